"""Kinds of nudge a patient can receive; safety messages cannot be switched off."""

PREPARATION_DAY_BEFORE = "preparation_day_before"
PREPARATION_MORNING = "preparation_morning"
PRE_INFUSION_REPORT = "pre_infusion_report"
POST_INFUSION_CHECKIN = "post_infusion_checkin"
SIDE_EFFECT_CHECK = "side_effect_check"
WEEKLY_CHECKIN = "weekly_checkin"
OVERDUE_REPORT = "overdue_report"
SAFETY = "safety"

OPTIONAL_KINDS = (
    PREPARATION_DAY_BEFORE,
    PREPARATION_MORNING,
    PRE_INFUSION_REPORT,
    POST_INFUSION_CHECKIN,
    SIDE_EFFECT_CHECK,
    WEEKLY_CHECKIN,
    OVERDUE_REPORT,
)
ALL_KINDS = (*OPTIONAL_KINDS, SAFETY)
