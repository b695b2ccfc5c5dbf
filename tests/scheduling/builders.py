"""Small builders for planner inputs: a patient, an appointment, a plan with defaults."""

import uuid
from datetime import UTC, datetime, time, timedelta

from companion.scheduling.planner import AppointmentPlan, ClinicRules, PatientSettings, plan_nudges

PATIENT_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
APPOINTMENT_ID = uuid.UUID("00000000-0000-4000-8000-0000000000a1")
NO_QUIET_HOURS = (time(0, 0), time(0, 0))


def patient(zone="America/New_York", quiet=(time(21, 0), time(8, 0)), muted=()):
    return PatientSettings(PATIENT_ID, zone, quiet[0], quiet[1], frozenset(muted))


def appointment(starts_at, status="scheduled", appointment_id=APPOINTMENT_ID, number=1):
    return AppointmentPlan(appointment_id, starts_at, status, number)


def plan(
    now,
    appointments=(),
    *,
    who=None,
    clinic=None,
    course=None,
    reports=(),
    horizon=timedelta(days=14),
):
    return plan_nudges(who or patient(), clinic or ClinicRules(), appointments, course, reports, now, horizon)


def by_kind(nudges, kind):
    return [nudge for nudge in nudges if nudge.kind == kind]


def only(nudges, kind):
    found = by_kind(nudges, kind)
    assert len(found) == 1, f"expected one {kind}, got {found}"
    return found[0]


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)
