"""Every endpoint that touches patient data, called as every kind of caller.

Only the rightful callers get data; everyone else gets 401, 403 or 404, and a clinician of
another clinic cannot tell a patient that exists elsewhere from one that does not exist.
Later capabilities add their endpoints to ENDPOINTS.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from companion.extensions import db
from companion.models import (
    Alert,
    Appointment,
    Device,
    DevicePlatform,
    Indication,
    Nudge,
    NudgeStatus,
    Role,
    SelfReport,
    SideEffect,
    Symptom,
    TreatmentCourse,
)
from companion.models.base import utcnow
from tests import factories


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {patient} is the owner patient's id
    allowed: frozenset[str]
    body: dict | None = None
    own_data: frozenset[str] = field(default_factory=frozenset)  # callers who get their *own* data back
    allowed_status: int | None = None  # when the rightful caller meets a business rule instead (e.g. 409)
    idempotent: bool = False  # needs an Idempotency-Key header


PATIENT_SELF = frozenset({"owner"})
STAFF = frozenset({"clinician", "admin"})
ANY_PATIENT = frozenset({"other_patient"})

ENDPOINTS = [
    Endpoint("GET", "/v1/me", PATIENT_SELF | STAFF, own_data=ANY_PATIENT | frozenset({"foreign_clinician"})),
    Endpoint("PATCH", "/v1/me", PATIENT_SELF, body={"preferred_language": "es"}, own_data=ANY_PATIENT),
    Endpoint("GET", "/v1/me/export", PATIENT_SELF, own_data=ANY_PATIENT),
    Endpoint("GET", "/v1/patients", STAFF, own_data=frozenset({"foreign_clinician"})),
    Endpoint(
        "POST",
        "/v1/patients",
        STAFF,
        body={"full_name": "New One", "timezone": "Europe/London"},
        own_data=frozenset({"foreign_clinician"}),
    ),
    Endpoint("GET", "/v1/patients/{patient}", STAFF),
    Endpoint("POST", "/v1/patients/{patient}/activation-code", STAFF, allowed_status=409),  # owner is active
    Endpoint("GET", "/v1/audit-events?patient_id={patient}", frozenset({"admin"})),
    Endpoint("GET", "/v1/patients/{patient}/courses", STAFF),
    Endpoint(
        "POST",
        "/v1/patients/{patient}/courses",
        STAFF,
        body={"indication": "ptsd", "start_date": "2026-12-01"},
        allowed_status=409,
    ),  # the owner already has an active course
    Endpoint("PATCH", "/v1/patients/{patient}/courses/{course}", STAFF, body={"planned_induction_infusions": 8}),
    Endpoint("GET", "/v1/patients/{patient}/appointments?when=all", STAFF),
    Endpoint("POST", "/v1/patients/{patient}/appointments", STAFF, body={"starts_at": "2030-01-07T10:00:00+00:00"}),
    Endpoint("GET", "/v1/appointments/{appointment}", STAFF),
    Endpoint("PATCH", "/v1/appointments/{appointment}", STAFF, body={"starts_at": "2030-02-07T10:00:00+00:00"}),
    Endpoint("POST", "/v1/appointments/{appointment}/cancel", STAFF, body={}),
    Endpoint("PUT", "/v1/appointments/{appointment}/session-record", STAFF, body={"notes": "x"}, allowed_status=409),
    Endpoint("GET", "/v1/appointments/{appointment}/events", STAFF),
    Endpoint("GET", "/v1/clinic/appointments?date=2030-01-06", STAFF, own_data=frozenset({"foreign_clinician"})),
    Endpoint("GET", "/v1/me/appointments?when=all", PATIENT_SELF, own_data=ANY_PATIENT),
    Endpoint("PUT", "/v1/me/appointments/{appointment}/checklist/ride_home", PATIENT_SELF),
    Endpoint("DELETE", "/v1/me/appointments/{appointment}/checklist/ride_home", PATIENT_SELF),
    Endpoint("POST", "/v1/me/calendar", PATIENT_SELF, own_data=ANY_PATIENT),
    Endpoint("GET", "/v1/me/reports", PATIENT_SELF, own_data=ANY_PATIENT),
    Endpoint(
        "POST",
        "/v1/me/reports",
        PATIENT_SELF,
        own_data=ANY_PATIENT,
        idempotent=True,
        body={"instrument": "pain_nrs", "answers": {"pain_nrs_1": 3}, "completed_at": "{now}"},
    ),
    Endpoint("GET", "/v1/me/reports/{report}", PATIENT_SELF),
    Endpoint("GET", "/v1/me/side-effects", PATIENT_SELF, own_data=ANY_PATIENT),
    Endpoint(
        "POST",
        "/v1/me/side-effects",
        PATIENT_SELF,
        own_data=ANY_PATIENT,
        idempotent=True,
        body={"symptom": "nausea", "severity": 2, "onset_at": "{now}", "duration_minutes": 5},
    ),
    Endpoint("POST", "/v1/me/side-effects/{effect}/resolve", PATIENT_SELF, body={"resolved_at": "{now}"}),
    Endpoint("GET", "/v1/patients/{patient}/reports", STAFF),
    Endpoint("GET", "/v1/patients/{patient}/side-effects", STAFF),
    Endpoint("GET", "/v1/patients/{patient}/courses/{course}/baselines", STAFF),
    Endpoint(
        "PUT",
        "/v1/patients/{patient}/courses/{course}/baselines",
        STAFF,
        body={"instrument": "phq9", "report_id": "{report}"},
    ),
    Endpoint("GET", "/v1/alerts", STAFF, own_data=frozenset({"foreign_clinician"})),
    Endpoint("GET", "/v1/me/devices", PATIENT_SELF, own_data=ANY_PATIENT),
    Endpoint(
        "POST",
        "/v1/me/devices",
        PATIENT_SELF,
        own_data=ANY_PATIENT,
        body={"platform": "android", "token": "fcm-token-from-the-matrix"},
    ),
    Endpoint("DELETE", "/v1/me/devices/{device}", PATIENT_SELF),
    Endpoint("GET", "/v1/me/notifications", PATIENT_SELF, own_data=ANY_PATIENT),
    Endpoint("POST", "/v1/me/notifications/{nudge}/read", PATIENT_SELF),
    Endpoint("POST", "/v1/push/leases", frozenset({"service"}), body={"limit": 10}),
    Endpoint(
        "POST",
        "/v1/push/reports",
        frozenset({"service"}),
        body={"results": [{"nudge_id": "{nudge}", "outcome": "delivered"}]},
    ),
    Endpoint("POST", "/v1/alerts/{alert}/acknowledge", STAFF),
    Endpoint("POST", "/v1/alerts/{alert}/resolve", STAFF, body={"note": "Followed up by phone."}),
    Endpoint("GET", "/v1/patients/{patient}/summary", STAFF),
    Endpoint("GET", "/v1/patients/{patient}/chart.svg", STAFF),
    Endpoint("GET", "/v1/patients/{patient}/export.csv", STAFF),
    Endpoint("GET", "/v1/patients/{patient}/side-effects.csv", STAFF),
    Endpoint("GET", "/v1/patients/{patient}/fhir", STAFF),
    Endpoint("GET", "/v1/clinic/panel", STAFF, own_data=frozenset({"foreign_clinician"})),
    Endpoint("GET", "/v1/clinic/research-export.csv", frozenset({"admin"})),
]

CALLERS = [
    "owner",
    "other_patient",
    "clinician",
    "admin",
    "foreign_clinician",
    "service",
    "no_token",
    "expired",
    "tampered",
    "revoked",
]


@pytest.fixture
def world():
    home, away = factories.clinic("Home"), factories.clinic("Away")
    owner = factories.patient(home, full_name="Owner Patient")
    course = TreatmentCourse(
        clinic_id=home.id, patient_id=owner.id, indication=Indication.DEPRESSION, start_date=date(2030, 1, 1)
    )
    db.session.add(course)
    db.session.flush()
    appointment = Appointment(
        clinic_id=home.id,
        patient_id=owner.id,
        course_id=course.id,
        starts_at=datetime(2030, 1, 6, 15, tzinfo=UTC),
        clinic_timezone=home.timezone,
        patient_timezone=owner.timezone,
    )
    db.session.add(appointment)
    report = SelfReport(
        clinic_id=home.id,
        patient_id=owner.id,
        instrument_id="phq9",
        instrument_version="1",
        answers={},
        total=3,
        completed_at=utcnow() - timedelta(days=1),
    )
    effect = SideEffect(
        clinic_id=home.id,
        patient_id=owner.id,
        symptom=Symptom.NAUSEA,
        severity=2,
        onset_at=utcnow() - timedelta(hours=2),
        ongoing=True,
        reported_at=utcnow(),
    )
    db.session.add_all([report, effect])
    db.session.flush()
    alert = Alert(
        clinic_id=home.id,
        patient_id=owner.id,
        reason="suicidality_item_positive",
        source_type="self_report",
        source_id=report.id,
    )
    db.session.add(alert)
    device = Device(patient_id=owner.id, platform=DevicePlatform.IOS, token="owner-device-token-1")
    nudge = Nudge(
        clinic_id=home.id,
        patient_id=owner.id,
        kind="weekly_checkin",
        dedup_key=f"weekly:{owner.id}",
        template="weekly_checkin",
        due_at=utcnow() - timedelta(hours=1),
        stale_at=utcnow() + timedelta(days=1),
        status=NudgeStatus.SENT,
    )
    db.session.add_all([device, nudge])
    db.session.commit()
    ids = {
        "patient": owner.id,
        "course": course.id,
        "appointment": appointment.id,
        "report": report.id,
        "effect": effect.id,
        "alert": alert.id,
        "device": device.id,
        "nudge": nudge.id,
    }
    people = {
        "owner": owner,
        "other_patient": factories.patient(home),
        "clinician": factories.staff(home),
        "admin": factories.staff(home, Role.ADMIN),
        "foreign_clinician": factories.staff(away),
        "service": factories.service_client(home),
    }
    return owner, people, ids


def _headers(caller: str, people: dict, rightful: str) -> dict:
    if caller == "no_token":
        return {}
    if caller in people:
        return factories.bearer(people[caller])
    token = factories.tokens_for(people[rightful])["access_token"]
    if caller == "tampered":
        head, payload, sig = token.split(".")
        return {"Authorization": f"Bearer {head}.{payload}.{sig[::-1]}"}
    if caller == "revoked":
        from flask import current_app

        current_app.test_client().post("/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
@pytest.mark.parametrize("caller", CALLERS)
def test_only_rightful_callers_get_patient_data(client, world, endpoint, caller):
    owner, people, ids = world
    rightful = next(iter(endpoint.allowed), "clinician") if endpoint.allowed else "clinician"
    headers = _headers(caller, people, rightful)
    path = endpoint.path.format(**ids)
    body = _fill(endpoint.body, {**ids, "now": utcnow().isoformat()})
    if endpoint.idempotent:
        headers = {**headers, "Idempotency-Key": str(uuid.uuid4())}
    if caller == "expired":
        with time_machine.travel(utcnow() + timedelta(minutes=20), tick=False):
            response = client.open(path, method=endpoint.method, json=body, headers=headers)
    else:
        response = client.open(path, method=endpoint.method, json=body, headers=headers)

    text = response.get_data(as_text=True)
    if caller in endpoint.allowed:
        if endpoint.allowed_status:
            assert response.status_code == endpoint.allowed_status, text
        else:
            assert response.status_code < 300, text
        return
    if caller in endpoint.own_data:
        assert response.status_code < 300, text
        assert "Owner Patient" not in text and str(owner.id) not in text
        return
    assert response.status_code in (401, 403, 404), f"{caller}: {response.status_code} {text}"
    assert response.mimetype == "application/problem+json"
    assert "Owner Patient" not in text and owner.account.email not in text
    if caller in {"no_token", "expired", "tampered", "revoked"}:
        assert response.status_code == 401


def _fill(body, values: dict):
    """Put the world's ids (and now) into a request body template, at any depth."""
    if isinstance(body, dict):
        return {key: _fill(value, values) for key, value in body.items()}
    if isinstance(body, list):
        return [_fill(item, values) for item in body]
    return body.format(**values) if isinstance(body, str) and "{" in body else body


def test_other_clinic_cannot_tell_existing_from_missing_patients(client, world):
    owner, people, _ = world
    headers = factories.bearer(people["foreign_clinician"])
    existing = client.get(f"/v1/patients/{owner.id}", headers=headers)
    missing = client.get(f"/v1/patients/{uuid.uuid4()}", headers=headers)
    assert existing.status_code == missing.status_code == 404
    strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert strip(existing.get_json()) == strip(missing.get_json())
