import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from companion.scheduling import kinds
from companion.scheduling.planner import (
    AppointmentPlan,
    ClinicRules,
    CourseState,
    ExpectedReport,
    offset_label,
    plan_safety_nudge,
)
from tests.scheduling.builders import (
    APPOINTMENT_ID,
    NO_QUIET_HOURS,
    PATIENT_ID,
    appointment,
    by_kind,
    only,
    patient,
    plan,
    utc,
)

NEW_YORK = ZoneInfo("America/New_York")
# Tuesday 12 May 2026, 10:00 in New York (EDT, UTC-4); planned from a week before.
TUESDAY_TEN = utc(2026, 5, 12, 14, 0)
WEEK_BEFORE = utc(2026, 5, 5, 12, 0)


def in_new_york(*parts):
    return datetime(*parts, tzinfo=NEW_YORK)


def test_day_before_reminder_keeps_local_evening_after_spring_forward():
    monday_after_clock_change = utc(2026, 3, 9, 14, 0)  # 10:00 EDT
    nudges = plan(utc(2026, 3, 1), [appointment(monday_after_clock_change)])
    day_before = only(nudges, kinds.PREPARATION_DAY_BEFORE)
    assert day_before.due_at == utc(2026, 3, 8, 22, 0)
    assert day_before.local_due == in_new_york(2026, 3, 8, 18, 0)


def test_day_before_reminder_gives_fasting_times_on_the_patient_clock():
    nudges = plan(utc(2026, 3, 1), [appointment(utc(2026, 3, 9, 14, 0))])
    assert only(nudges, kinds.PREPARATION_DAY_BEFORE).params == {
        "appointment_time": "10:00",
        "stop_solids_at": "04:00",
        "stop_clear_liquids_at": "08:00",
        "stop_solids_previous_day": False,
        "solid_fasting_hours": 6,
        "clear_liquid_fasting_hours": 2,
    }


def test_fasting_times_follow_the_clinic_rules():
    clinic = ClinicRules(fasting_solid_hours=8, fasting_clear_liquid_hours=3)
    params = only(plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)], clinic=clinic), kinds.PREPARATION_DAY_BEFORE).params
    assert (params["stop_solids_at"], params["stop_clear_liquids_at"]) == ("02:00", "07:00")


def test_early_infusion_puts_the_last_meal_on_the_evening_before():
    five_in_the_morning = utc(2026, 5, 12, 9, 0)
    params = only(plan(WEEK_BEFORE, [appointment(five_in_the_morning)]), kinds.PREPARATION_DAY_BEFORE).params
    assert (params["stop_solids_at"], params["stop_solids_previous_day"]) == ("23:00", True)


def test_day_before_reminder_goes_stale_when_fasting_starts():
    day_before = only(plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)]), kinds.PREPARATION_DAY_BEFORE)
    assert day_before.stale_at == TUESDAY_TEN - timedelta(hours=6)


def test_reschedule_keeps_one_key_per_purpose():
    before = plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)])
    after = plan(WEEK_BEFORE, [appointment(TUESDAY_TEN + timedelta(days=2, hours=5))])
    assert {n.dedup_key for n in before} == {n.dedup_key for n in after}


def test_reschedule_moves_every_due_time():
    before = {n.dedup_key: n.due_at for n in plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)])}
    after = {n.dedup_key: n.due_at for n in plan(WEEK_BEFORE, [appointment(TUESDAY_TEN + timedelta(days=2))])}
    assert all(after[key] != due_at for key, due_at in before.items())


@pytest.mark.parametrize("status", ["cancelled", "no_show"])
def test_cancelled_or_missed_appointment_plans_nothing(status):
    assert plan(WEEK_BEFORE, [appointment(TUESDAY_TEN, status=status)]) == []


def test_appointment_already_started_gets_no_preparation():
    assert plan(TUESDAY_TEN + timedelta(minutes=5), [appointment(TUESDAY_TEN)]) == []


def test_quiet_hours_move_the_morning_reminder_to_quiet_end():
    two_in_the_afternoon = utc(2026, 5, 12, 18, 0)
    morning = only(plan(WEEK_BEFORE, [appointment(two_in_the_afternoon)]), kinds.PREPARATION_MORNING)
    assert morning.local_due == in_new_york(2026, 5, 12, 8, 0)


def test_morning_reminder_dropped_when_quiet_end_is_too_late():
    eight_in_the_morning = utc(2026, 5, 12, 12, 0)
    assert by_kind(plan(WEEK_BEFORE, [appointment(eight_in_the_morning)]), kinds.PREPARATION_MORNING) == []


def test_morning_reminder_comes_before_fasting_starts():
    noon = utc(2026, 5, 12, 16, 0)
    nudges = plan(WEEK_BEFORE, [appointment(noon)], who=patient(quiet=NO_QUIET_HOURS))
    assert only(nudges, kinds.PREPARATION_MORNING).local_due == in_new_york(2026, 5, 12, 5, 30)


def test_pre_infusion_report_three_hours_before_until_the_start():
    nudges = plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)], who=patient(quiet=NO_QUIET_HOURS))
    report = only(nudges, kinds.PRE_INFUSION_REPORT)
    assert (report.due_at, report.stale_at) == (TUESDAY_TEN - timedelta(hours=3), TUESDAY_TEN)


def test_completed_infusion_gets_checkins_at_the_clinic_offsets():
    nudges = plan(TUESDAY_TEN, [appointment(TUESDAY_TEN, status="completed")])
    checkins = {n.dedup_key: n.due_at for n in by_kind(nudges, kinds.POST_INFUSION_CHECKIN)}
    assert checkins == {
        f"post_infusion_checkin:{APPOINTMENT_ID}:4h": TUESDAY_TEN + timedelta(hours=4),
        f"post_infusion_checkin:{APPOINTMENT_ID}:24h": TUESDAY_TEN + timedelta(hours=24),
        f"post_infusion_checkin:{APPOINTMENT_ID}:7d": TUESDAY_TEN + timedelta(days=7),
    }


def test_week_later_checkin_stays_fresh_longer():
    nudges = plan(TUESDAY_TEN, [appointment(TUESDAY_TEN, status="completed")])
    freshness = {n.params["after"]: n.stale_at - n.due_at for n in by_kind(nudges, kinds.POST_INFUSION_CHECKIN)}
    assert freshness == {"4h": timedelta(hours=24), "24h": timedelta(hours=24), "7d": timedelta(hours=48)}


def test_completed_infusion_gets_no_preparation():
    nudges = plan(TUESDAY_TEN - timedelta(days=1), [appointment(TUESDAY_TEN, status="completed")])
    assert {n.kind for n in nudges} == {kinds.POST_INFUSION_CHECKIN, kinds.SIDE_EFFECT_CHECK}


def test_side_effect_check_in_the_evening_until_next_noon():
    check = only(plan(TUESDAY_TEN, [appointment(TUESDAY_TEN, status="completed")]), kinds.SIDE_EFFECT_CHECK)
    assert (check.local_due, check.stale_at) == (in_new_york(2026, 5, 12, 19, 0), utc(2026, 5, 13, 16, 0))


def test_side_effect_check_after_a_late_infusion_waits_four_hours():
    six_in_the_evening = utc(2026, 5, 12, 22, 0)
    nudges = plan(
        six_in_the_evening, [appointment(six_in_the_evening, status="completed")], who=patient(quiet=NO_QUIET_HOURS)
    )
    assert only(nudges, kinds.SIDE_EFFECT_CHECK).local_due == in_new_york(2026, 5, 12, 22, 0)


def test_overdue_report_nudged_a_day_after_it_was_due():
    report = ExpectedReport("phq9-week-2", utc(2026, 5, 11, 13, 0), completed=False)
    overdue = only(plan(utc(2026, 5, 11, 14, 0), reports=[report]), kinds.OVERDUE_REPORT)
    assert (overdue.due_at, overdue.stale_at) == (utc(2026, 5, 12, 13, 0), utc(2026, 5, 15, 13, 0))
    assert overdue.dedup_key == f"overdue_report:{PATIENT_ID}:phq9-week-2"


def test_completed_report_is_not_chased():
    report = ExpectedReport("phq9-week-2", utc(2026, 5, 11, 13, 0), completed=True)
    assert plan(utc(2026, 5, 11, 14, 0), reports=[report]) == []


def test_overdue_report_beyond_the_horizon_waits_for_a_later_plan():
    report = ExpectedReport("phq9-week-2", utc(2026, 5, 11, 13, 0), completed=False)
    assert plan(utc(2026, 5, 1), reports=[report], horizon=timedelta(days=7)) == []


def test_weekly_checkin_every_seven_days_of_maintenance():
    course = CourseState("maintenance", utc(2026, 5, 4, 15, 0))
    weekly = by_kind(plan(utc(2026, 5, 5), course=course), kinds.WEEKLY_CHECKIN)
    assert [(n.local_due, n.dedup_key) for n in weekly] == [
        (in_new_york(2026, 5, 11, 10, 0), f"weekly_checkin:{PATIENT_ID}:2026-W20"),
        (in_new_york(2026, 5, 18, 10, 0), f"weekly_checkin:{PATIENT_ID}:2026-W21"),
    ]


def test_weekly_checkin_key_is_the_same_from_any_planning_time():
    course = CourseState("maintenance", utc(2026, 5, 4, 15, 0))
    early = {n.dedup_key: n.due_at for n in plan(utc(2026, 5, 5), course=course)}
    later = {n.dedup_key: n.due_at for n in plan(utc(2026, 5, 12), course=course)}
    week_21 = f"weekly_checkin:{PATIENT_ID}:2026-W21"
    assert early[week_21] == later[week_21] == utc(2026, 5, 18, 14, 0)


@pytest.mark.parametrize(
    "course",
    [None, CourseState("induction"), CourseState("paused", utc(2026, 4, 1)), CourseState("ended", utc(2026, 4, 1))],
)
def test_no_weekly_checkin_outside_maintenance(course):
    assert plan(utc(2026, 5, 5), course=course) == []


def test_nudge_due_six_hours_ago_is_still_sent():
    nudges = plan(TUESDAY_TEN + timedelta(hours=30), [appointment(TUESDAY_TEN, status="completed")])
    assert f"post_infusion_checkin:{APPOINTMENT_ID}:24h" in {n.dedup_key for n in nudges}


def test_stale_nudge_is_not_sent():
    nudges = plan(TUESDAY_TEN + timedelta(hours=48), [appointment(TUESDAY_TEN, status="completed")])
    assert f"post_infusion_checkin:{APPOINTMENT_ID}:24h" not in {n.dedup_key for n in nudges}


def test_muted_kind_is_not_planned():
    nudges = plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)], who=patient(muted=[kinds.PREPARATION_MORNING]))
    assert by_kind(nudges, kinds.PREPARATION_MORNING) == []


def test_plan_is_in_due_order():
    nudges = plan(TUESDAY_TEN, [appointment(TUESDAY_TEN, status="completed")])
    assert [n.due_at for n in nudges] == sorted(n.due_at for n in nudges)


def test_messages_carry_no_identifiers():
    nudges = plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)])
    values = {str(value) for n in nudges for value in n.params.values()}
    assert not values & {str(APPOINTMENT_ID), str(PATIENT_ID)}


def test_safety_nudge_is_not_held_by_quiet_hours():
    eleven_at_night = utc(2026, 5, 13, 3, 0)
    nudge = plan_safety_nudge(patient(), eleven_at_night, "alert-17")
    assert (nudge.due_at, nudge.is_safety, nudge.local_due.hour) == (eleven_at_night, True, 23)


def test_safety_nudge_cannot_be_muted():
    nudge = plan_safety_nudge(patient(muted=kinds.ALL_KINDS), WEEK_BEFORE, "alert-17")
    assert (nudge.kind, nudge.stale_at) == (kinds.SAFETY, WEEK_BEFORE + timedelta(hours=24))


def test_safety_nudge_key_names_the_alert():
    assert plan_safety_nudge(patient(), WEEK_BEFORE, "alert-17").dedup_key == f"safety:{PATIENT_ID}:alert-17"


@pytest.mark.parametrize(
    ("offset", "label"),
    [
        (timedelta(hours=4), "4h"),
        (timedelta(hours=24), "24h"),
        (timedelta(hours=48), "48h"),
        (timedelta(days=7), "7d"),
        (timedelta(minutes=90), "90m"),
    ],
)
def test_offset_label_in_the_clinic_words(offset, label):
    assert offset_label(offset) == label


def test_naive_planning_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        plan(datetime(2026, 5, 5, 12, 0))


def test_naive_appointment_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        AppointmentPlan(uuid.uuid4(), datetime(2026, 5, 12, 10, 0), "scheduled", 1)


def test_all_times_are_utc():
    nudges = plan(WEEK_BEFORE, [appointment(TUESDAY_TEN)])
    assert {n.due_at.tzinfo for n in nudges} | {n.stale_at.tzinfo for n in nudges} == {UTC}
