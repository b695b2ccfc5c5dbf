"""Nudge planning (pure) and the scheduler process that drives it."""
