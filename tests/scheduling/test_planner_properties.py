"""Properties of whole plans over DST-heavy instants, many zones and any quiet-hour window."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from companion.scheduling import kinds
from companion.scheduling.planner import (
    AppointmentPlan,
    ClinicRules,
    CourseState,
    ExpectedReport,
    PatientSettings,
    plan_nudges,
)
from companion.scheduling.quiet_hours import in_quiet_hours, local_to_utc
from tests.scheduling.zones import PROPERTY, instants, quiet_windows, zones

MINUTES_PER_DAY = 24 * 60
HORIZON = timedelta(days=14)


@dataclass(frozen=True)
class Scenario:
    patient: PatientSettings
    clinic: ClinicRules
    appointments: tuple[AppointmentPlan, ...]
    course: CourseState | None
    reports: tuple[ExpectedReport, ...]
    now: datetime

    @property
    def zone(self):
        return ZoneInfo(self.patient.timezone)

    def plan(self, appointments=None, reports=None):
        return plan_nudges(
            self.patient,
            self.clinic,
            self.appointments if appointments is None else appointments,
            self.course,
            self.reports if reports is None else reports,
            self.now,
            HORIZON,
        )


def minutes_around(now, earliest_days, latest_days):
    minutes = st.integers(earliest_days * MINUTES_PER_DAY, latest_days * MINUTES_PER_DAY)
    return minutes.map(lambda minute: now + timedelta(minutes=minute))


NOTHING_MUTED = st.just(frozenset())


@st.composite
def scenarios(draw, muted=NOTHING_MUTED):
    now = draw(instants)
    quiet_start, quiet_end = draw(quiet_windows)
    patient = PatientSettings(uuid.UUID(int=1), draw(zones), quiet_start, quiet_end, draw(muted))
    clinic = ClinicRules(
        fasting_solid_hours=draw(st.integers(0, 12)), fasting_clear_liquid_hours=draw(st.integers(0, 4))
    )
    statuses = st.sampled_from(("scheduled", "completed", "cancelled", "no_show"))
    appointments = tuple(
        AppointmentPlan(uuid.UUID(int=100 + number), starts_at, status, number)
        for number, (starts_at, status) in enumerate(
            draw(st.lists(st.tuples(minutes_around(now, -9, 13), statuses), min_size=1, max_size=3)), start=1
        )
    )
    phases = st.sampled_from(("induction", "maintenance", "paused", "ended"))
    course = draw(st.none() | st.builds(CourseState, phases, minutes_around(now, -90, 3)))
    reports = tuple(
        ExpectedReport(f"report-{index}", due_at, completed)
        for index, (due_at, completed) in enumerate(
            draw(st.lists(st.tuples(minutes_around(now, -6, 14), st.booleans()), max_size=3))
        )
    )
    return Scenario(patient, clinic, appointments, course, reports, now)


def intended_due(nudge, scenario):
    """Where the rule puts the nudge before quiet hours, restated from the rules themselves."""
    clinic, zone = scenario.clinic, scenario.zone
    if nudge.kind == kinds.WEEKLY_CHECKIN:
        year, week = (int(part) for part in nudge.dedup_key.rsplit(":", 1)[1].split("-W"))
        weekday = scenario.course.maintenance_since.astimezone(zone).isoweekday()
        return local_to_utc(date.fromisocalendar(year, week, weekday), clinic.weekly_checkin_local_time, zone)
    if nudge.kind == kinds.OVERDUE_REPORT:
        report = next(r for r in scenario.reports if nudge.dedup_key.endswith(f":{r.key}"))
        return report.due_at + clinic.overdue_after
    starts_at = next(a.starts_at for a in scenario.appointments if a.appointment_id == nudge.appointment_id)
    day = starts_at.astimezone(zone).date()
    stop_solids = starts_at - timedelta(hours=clinic.fasting_solid_hours)
    if nudge.kind == kinds.PREPARATION_DAY_BEFORE:
        return local_to_utc(day - timedelta(days=1), clinic.day_before_local_time, zone)
    if nudge.kind == kinds.PREPARATION_MORNING:
        return min(local_to_utc(day, clinic.morning_of_local_time, zone), stop_solids - timedelta(minutes=30))
    if nudge.kind == kinds.PRE_INFUSION_REPORT:
        return starts_at - timedelta(hours=3)
    if nudge.kind == kinds.POST_INFUSION_CHECKIN:
        offsets = {"4h": timedelta(hours=4), "24h": timedelta(hours=24), "7d": timedelta(days=7)}
        return starts_at + offsets[nudge.params["after"]]
    evening = local_to_utc(day, clinic.side_effect_check_local_time, zone)
    return evening if evening >= starts_at + timedelta(hours=2) else starts_at + timedelta(hours=4)


@PROPERTY
@given(scenarios())
def test_no_ordinary_nudge_is_due_in_quiet_hours(scenario):
    for nudge in scenario.plan():
        assert not in_quiet_hours(nudge.local_due.time(), scenario.patient.quiet_start, scenario.patient.quiet_end)


@PROPERTY
@given(scenarios())
def test_every_nudge_is_fresh_in_the_window_and_in_utc(scenario):
    for nudge in scenario.plan():
        assert nudge.due_at.tzinfo is UTC and nudge.stale_at.tzinfo is UTC
        assert nudge.due_at < nudge.stale_at
        assert scenario.now < nudge.stale_at and nudge.due_at <= scenario.now + HORIZON
        assert nudge.local_due.tzinfo == scenario.zone
        assert nudge.local_due.astimezone(UTC) == nudge.due_at


@PROPERTY
@given(scenarios())
def test_nudge_is_due_when_its_rule_says_unless_quiet_hours_moved_it_later(scenario):
    quiet = (scenario.patient.quiet_start, scenario.patient.quiet_end)
    for nudge in scenario.plan():
        intended = intended_due(nudge, scenario)
        if in_quiet_hours(intended.astimezone(scenario.zone).time(), *quiet):
            assert nudge.due_at > intended
        else:
            assert nudge.due_at == intended


@PROPERTY
@given(scenarios())
def test_clinic_wall_times_hold_on_the_patient_clock(scenario):
    clinic, quiet = scenario.clinic, (scenario.patient.quiet_start, scenario.patient.quiet_end)
    wall_times = {
        kinds.PREPARATION_DAY_BEFORE: clinic.day_before_local_time,
        kinds.WEEKLY_CHECKIN: clinic.weekly_checkin_local_time,
    }
    for nudge in scenario.plan():
        if nudge.kind in wall_times and not in_quiet_hours(wall_times[nudge.kind], *quiet):
            assert nudge.local_due.time() == wall_times[nudge.kind]


@PROPERTY
@given(scenarios(), st.randoms(use_true_random=False))
def test_plan_is_deterministic_whatever_the_input_order(scenario, shuffler):
    appointments, reports = list(scenario.appointments), list(scenario.reports)
    shuffler.shuffle(appointments)
    shuffler.shuffle(reports)
    assert scenario.plan() == scenario.plan(appointments, reports)


@PROPERTY
@given(scenarios())
def test_dedup_keys_are_unique_within_a_plan(scenario):
    keys = [nudge.dedup_key for nudge in scenario.plan()]
    assert len(keys) == len(set(keys))


@PROPERTY
@given(scenarios(muted=st.frozensets(st.sampled_from(kinds.OPTIONAL_KINDS), min_size=1)))
def test_muted_kinds_never_appear(scenario):
    assert not {nudge.kind for nudge in scenario.plan()} & scenario.patient.muted_kinds
