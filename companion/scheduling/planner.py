"""Plan a patient's nudges from appointments, course and settings: pure, no clock, no database.

Dedup keys name a purpose, never a time: ``preparation_day_before:<appointment id>``,
``post_infusion_checkin:<appointment id>:24h``, ``weekly_checkin:<patient id>:2026-W19``,
``overdue_report:<patient id>:<report key>``. Re-planning after a reschedule therefore gives
the same key with a new ``due_at``: the caller upserts pending nudges by key and cancels
pending keys that are no longer planned (a cancelled appointment plans nothing). One delivery
is ``(dedup_key, due_at)``, so a reminder already sent for the old time is sent again for
the new one, which a patient whose infusion moved needs.

Nudges already due but not yet stale are kept: the caller sends them late, which is how the
scheduler catches up after downtime. Template ids are the kind names.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import partial
from typing import Literal
from zoneinfo import ZoneInfo

from companion.scheduling import kinds
from companion.scheduling.quiet_hours import apply_quiet_hours, clock, iso_week, local_to_utc

WEEK = timedelta(days=7)
PRE_INFUSION_REPORT_LEAD = timedelta(hours=3)
# Time to read the morning reminder before food has to stop.
MORNING_MARGIN = timedelta(minutes=30)
# If the evening check would come within two hours of the start, the patient may still be in
# observation or on the way home; four hours after the start they are settled.
SIDE_EFFECT_CHECK_TOO_SOON = timedelta(hours=2)
SIDE_EFFECT_CHECK_FALLBACK = timedelta(hours=4)
SIDE_EFFECT_CHECK_STALE_AT = time(12, 0)
CHECKIN_STALE_AFTER = timedelta(hours=24)
# A week-later check-in still asks about the same week a day later.
LONG_CHECKIN_STALE_AFTER = timedelta(hours=48)
WEEKLY_CHECKIN_STALE_AFTER = timedelta(hours=48)
OVERDUE_REPORT_STALE_AFTER = timedelta(hours=72)
SAFETY_STALE_AFTER = timedelta(hours=24)


def _require_aware(name: str, value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class PatientSettings:
    patient_id: uuid.UUID
    timezone: str
    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    muted_kinds: frozenset[str] = frozenset()
    language: Literal["en", "es"] = "en"

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class ClinicRules:
    fasting_solid_hours: int = 6
    fasting_clear_liquid_hours: int = 2
    post_checkin_offsets: tuple[timedelta, ...] = (timedelta(hours=4), timedelta(hours=24), WEEK)
    day_before_local_time: time = time(18, 0)
    morning_of_local_time: time = time(7, 0)
    side_effect_check_local_time: time = time(19, 0)
    weekly_checkin_local_time: time = time(10, 0)
    overdue_after: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class AppointmentPlan:
    appointment_id: uuid.UUID
    starts_at: datetime
    status: Literal["scheduled", "completed", "cancelled", "no_show"]
    number: int

    def __post_init__(self) -> None:
        _require_aware("starts_at", self.starts_at)


@dataclass(frozen=True)
class CourseState:
    phase: Literal["induction", "maintenance", "paused", "ended"]
    maintenance_since: datetime | None = None

    def __post_init__(self) -> None:
        _require_aware("maintenance_since", self.maintenance_since)


@dataclass(frozen=True)
class ExpectedReport:
    key: str
    due_at: datetime
    completed: bool

    def __post_init__(self) -> None:
        _require_aware("due_at", self.due_at)


@dataclass(frozen=True)
class PlannedNudge:
    kind: str
    due_at: datetime
    # After this instant the message no longer applies and must not be sent.
    stale_at: datetime
    dedup_key: str
    appointment_id: uuid.UUID | None
    template: str
    # Only times, dates and clinic settings: a message can sit on a lock screen.
    params: dict[str, str | int | bool] = field(hash=False)
    local_due: datetime
    is_safety: bool


def plan_nudges(
    patient: PatientSettings,
    clinic: ClinicRules,
    appointments: Sequence[AppointmentPlan],
    course: CourseState | None,
    expected_reports: Sequence[ExpectedReport],
    now: datetime,
    horizon: timedelta = timedelta(days=14),
) -> list[PlannedNudge]:
    """Every nudge not yet stale at ``now`` and due by ``now + horizon``, earliest first."""
    _require_aware("now", now)
    zone, until = patient.zone, now + horizon
    drafts = [
        *_weekly_checkins(patient, clinic, course, now, until),
        *_overdue_reports(patient, clinic, expected_reports),
    ]
    for appointment in appointments:
        if appointment.status == "scheduled" and appointment.starts_at > now:
            drafts += _preparation(appointment, clinic, zone)
        elif appointment.status == "completed":
            drafts += _aftercare(appointment, clinic, zone)
    planned = []
    for draft in drafts:
        if draft.kind in patient.muted_kinds and not draft.is_safety:
            continue
        nudge = _respect_quiet_hours(draft, patient)
        if nudge is not None and nudge.stale_at > now and nudge.due_at <= until:
            planned.append(nudge)
    return sorted(planned, key=lambda nudge: (nudge.due_at, nudge.dedup_key))


def plan_safety_nudge(patient: PatientSettings, now: datetime, reason_key: str) -> PlannedNudge:
    """A safety follow-up due at once, whatever the quiet hours and mutes.

    ``reason_key`` ends up in the dedup key, so pass an opaque id such as the alert's, never
    the symptom or answer that raised it.
    """
    _require_aware("now", now)
    stale_at = now + SAFETY_STALE_AFTER
    return _nudge(kinds.SAFETY, now, stale_at, patient.zone, owner=patient.patient_id, purpose=reason_key)


def _respect_quiet_hours(nudge: PlannedNudge, patient: PatientSettings) -> PlannedNudge | None:
    if nudge.is_safety:
        return nudge
    local_due = apply_quiet_hours(nudge.local_due, patient.quiet_start, patient.quiet_end)
    due_at = local_due.astimezone(UTC)
    # A reminder that would only arrive once it no longer applies is worse than none.
    if due_at >= nudge.stale_at:
        return None
    return replace(nudge, due_at=due_at, local_due=local_due)


def _preparation(appointment: AppointmentPlan, clinic: ClinicRules, zone: tzinfo) -> Iterator[PlannedNudge]:
    starts_at = appointment.starts_at.astimezone(UTC)
    day = starts_at.astimezone(zone).date()
    stop_solids = starts_at - timedelta(hours=clinic.fasting_solid_hours)
    stop_clear_liquids = starts_at - timedelta(hours=clinic.fasting_clear_liquid_hours)
    fasting = {
        "appointment_time": clock(starts_at, zone),
        "stop_solids_at": clock(stop_solids, zone),
        "stop_clear_liquids_at": clock(stop_clear_liquids, zone),
        # An early infusion moves the last meal to the evening before; the text must say so.
        "stop_solids_previous_day": stop_solids.astimezone(zone).date() < day,
        "solid_fasting_hours": clinic.fasting_solid_hours,
        "clear_liquid_fasting_hours": clinic.fasting_clear_liquid_hours,
    }
    day_before = local_to_utc(day - timedelta(days=1), clinic.day_before_local_time, zone)
    morning = min(local_to_utc(day, clinic.morning_of_local_time, zone), stop_solids - MORNING_MARGIN)
    nudge = partial(_nudge, zone=zone, owner=appointment.appointment_id, appointment_id=appointment.appointment_id)
    yield nudge(kinds.PREPARATION_DAY_BEFORE, day_before, stop_solids, params=fasting)
    yield nudge(kinds.PREPARATION_MORNING, morning, starts_at, params=fasting)
    report_params = {"appointment_time": fasting["appointment_time"]}
    yield nudge(kinds.PRE_INFUSION_REPORT, starts_at - PRE_INFUSION_REPORT_LEAD, starts_at, params=report_params)


def _aftercare(appointment: AppointmentPlan, clinic: ClinicRules, zone: tzinfo) -> Iterator[PlannedNudge]:
    starts_at = appointment.starts_at.astimezone(UTC)
    nudge = partial(_nudge, zone=zone, owner=appointment.appointment_id, appointment_id=appointment.appointment_id)
    # Duplicate offsets in a clinic's settings would plan the same check-in twice.
    for offset in sorted(set(clinic.post_checkin_offsets)):
        due_at, label = starts_at + offset, offset_label(offset)
        stale_after = LONG_CHECKIN_STALE_AFTER if offset >= WEEK else CHECKIN_STALE_AFTER
        yield nudge(kinds.POST_INFUSION_CHECKIN, due_at, due_at + stale_after, purpose=label, params={"after": label})
    day = starts_at.astimezone(zone).date()
    evening = local_to_utc(day, clinic.side_effect_check_local_time, zone)
    if evening < starts_at + SIDE_EFFECT_CHECK_TOO_SOON:
        evening = starts_at + SIDE_EFFECT_CHECK_FALLBACK
    stale_at = local_to_utc(day + timedelta(days=1), SIDE_EFFECT_CHECK_STALE_AT, zone)
    yield nudge(kinds.SIDE_EFFECT_CHECK, evening, stale_at)


def _weekly_checkins(
    patient: PatientSettings, clinic: ClinicRules, course: CourseState | None, now: datetime, until: datetime
) -> Iterator[PlannedNudge]:
    if course is None or course.phase != "maintenance" or course.maintenance_since is None:
        return
    zone, since = patient.zone, course.maintenance_since
    first_day = since.astimezone(zone).date()
    # The first check-in comes a week into maintenance. Starting a week before the first one
    # that could still be fresh means one missed during downtime is still caught up.
    week = max(1, (now - WEEKLY_CHECKIN_STALE_AFTER - since) // WEEK - 1)
    while (due_at := local_to_utc(first_day + week * WEEK, clinic.weekly_checkin_local_time, zone)) <= until:
        # Keyed by ISO week, so a re-plan from another `now` names the same check-in the same way.
        purpose = iso_week(first_day + week * WEEK)
        stale_at = due_at + WEEKLY_CHECKIN_STALE_AFTER
        yield _nudge(kinds.WEEKLY_CHECKIN, due_at, stale_at, zone, owner=patient.patient_id, purpose=purpose)
        week += 1


def _overdue_reports(
    patient: PatientSettings, clinic: ClinicRules, expected_reports: Sequence[ExpectedReport]
) -> Iterator[PlannedNudge]:
    for report in expected_reports:
        if not report.completed:
            due_at = report.due_at + clinic.overdue_after
            stale_at = due_at + OVERDUE_REPORT_STALE_AFTER
            owner, zone = patient.patient_id, patient.zone
            yield _nudge(kinds.OVERDUE_REPORT, due_at, stale_at, zone, owner=owner, purpose=report.key)


def offset_label(offset: timedelta) -> str:
    """The clinic's name for a check-in offset: '4h', '24h', '48h', '7d'."""
    seconds, day = int(offset.total_seconds()), 24 * 3600
    if seconds >= 3 * day and seconds % day == 0:
        return f"{seconds // day}d"
    for unit, size in (("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _nudge(
    kind: str,
    due_at: datetime,
    stale_at: datetime,
    zone: tzinfo,
    *,
    owner: uuid.UUID,
    purpose: str | None = None,
    appointment_id: uuid.UUID | None = None,
    params: dict[str, str | int | bool] | None = None,
) -> PlannedNudge:
    due_at = due_at.astimezone(UTC)
    return PlannedNudge(
        kind=kind,
        due_at=due_at,
        stale_at=stale_at.astimezone(UTC),
        dedup_key=":".join(str(part) for part in (kind, owner, purpose) if part is not None),
        appointment_id=appointment_id,
        template=kind,
        params=dict(params or {}),
        local_due=due_at.astimezone(zone),
        is_safety=kind == kinds.SAFETY,
    )
