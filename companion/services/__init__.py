"""Business operations: plain functions with no flask.request; they own the transaction."""
