from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from companion.extensions import db
from companion.models import Alert, AuditEvent, Role
from companion.models.base import utcnow
from tests import factories
from tests.reports.helpers import log_effect, phq9, submit


@pytest.fixture
def people():
    clinic = factories.clinic()
    return clinic, factories.patient(clinic), factories.staff(clinic)


def alerts() -> list[Alert]:
    return list(db.session.scalars(db.select(Alert)))


def test_mild_side_effect_is_logged_without_alarm(client, people):
    _, patient, _ = people
    response = log_effect(client, factories.bearer(patient), symptom="nausea", severity=3)
    assert response.status_code == 201
    body = response.get_json()
    assert body["safety"] is None and body["side_effect"]["symptom"] == "nausea"
    assert alerts() == []


@pytest.mark.parametrize(
    "effect",
    [
        {"symptom": "headache", "severity": 8},
        {"symptom": "chest_pain", "severity": 2},
        {"symptom": "fainting", "severity": 1},
    ],
)
def test_severe_side_effects_alert_the_clinic_and_guide_the_patient(client, people, effect):
    _, patient, _ = people
    body = log_effect(client, factories.bearer(patient), **effect).get_json()
    assert body["safety"]["reasons"] == ["severe_side_effect"] and body["safety"]["crisis_resources"]
    assert [a.reason for a in alerts()] == ["severe_side_effect"]


def test_dissociation_still_present_the_next_local_day_is_severe(client):
    evening = datetime(2026, 6, 10, 23, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    with time_machine.travel(evening + timedelta(hours=3), tick=False):  # 02:00 the next local day
        patient = factories.patient(factories.clinic(), timezone="America/Los_Angeles")
        lingering = log_effect(
            client,
            factories.bearer(patient),
            symptom="dissociation",
            severity=4,
            onset_at=evening.isoformat(),
            ongoing=True,
            duration_minutes=None,
        )
        same_day = log_effect(
            client,
            factories.bearer(patient),
            symptom="dissociation",
            severity=4,
            onset_at=(evening + timedelta(hours=2, minutes=30)).isoformat(),
            ongoing=True,
            duration_minutes=None,
        )
    assert lingering.get_json()["safety"]["reasons"] == ["severe_side_effect"]
    assert same_day.get_json()["safety"] is None


def test_side_effect_input_is_checked(client, people):
    _, patient, _ = people
    headers = factories.bearer(patient)
    other = log_effect(client, headers, symptom="other")
    assert other.status_code == 422 and "other_text" in other.get_json()["errors"]
    both = log_effect(client, headers, ongoing=True, duration_minutes=20)
    assert "duration_minutes" in both.get_json()["errors"]
    loud = log_effect(client, headers, severity=11)
    assert "severity" in loud.get_json()["errors"]
    future = log_effect(client, headers, onset_at=(utcnow() + timedelta(hours=2)).isoformat())
    assert "onset_at" in future.get_json()["errors"]


def test_resolving_an_ongoing_side_effect_records_how_long_it_lasted(client, people):
    _, patient, _ = people
    headers = factories.bearer(patient)
    onset = utcnow() - timedelta(hours=3)
    effect = log_effect(
        client, headers, symptom="dizziness", onset_at=onset.isoformat(), ongoing=True, duration_minutes=None
    ).get_json()["side_effect"]
    url = f"/v1/me/side-effects/{effect['id']}/resolve"
    resolved_at = (onset + timedelta(minutes=90)).isoformat()
    done = client.post(url, json={"resolved_at": resolved_at}, headers=headers)
    assert done.status_code == 200 and done.get_json()["duration_minutes"] == 90
    assert client.post(url, json={"resolved_at": resolved_at}, headers=headers).status_code == 200
    assert client.post(url, json={"resolved_at": utcnow().isoformat()}, headers=headers).status_code == 409


def test_side_effect_retry_is_idempotent(client, people):
    _, patient, _ = people
    headers = factories.bearer(patient)
    onset = utcnow().isoformat()
    first = log_effect(client, headers, key="effect-key-001", symptom="chest_pain", severity=5, onset_at=onset)
    again = log_effect(client, headers, key="effect-key-001", symptom="chest_pain", severity=5, onset_at=onset)
    assert again.get_json() == first.get_json() and len(alerts()) == 1


def test_clinician_acknowledges_and_resolves_an_alert_with_every_step_audited(client, people):
    _, patient, doc = people
    submit(client, factories.bearer(patient), answers=phq9([0] * 8 + [3]))
    staff = factories.bearer(doc)
    listed = client.get("/v1/alerts?status=open", headers=staff).get_json()
    assert listed["total"] == 1 and listed["items"][0]["patient_name"] == patient.full_name
    alert_id = listed["items"][0]["id"]
    acknowledged = client.post(f"/v1/alerts/{alert_id}/acknowledge", headers=staff).get_json()
    assert acknowledged["status"] == "acknowledged" and acknowledged["acknowledged_by_id"] == str(doc.id)
    no_note = client.post(f"/v1/alerts/{alert_id}/resolve", json={}, headers=staff)
    assert no_note.status_code == 422 and "note" in no_note.get_json()["errors"]
    resolved = client.post(
        f"/v1/alerts/{alert_id}/resolve", json={"note": "Called the patient; safe, seen today."}, headers=staff
    ).get_json()
    assert resolved["status"] == "resolved" and resolved["resolution_note"].startswith("Called")
    assert client.post(f"/v1/alerts/{alert_id}/resolve", json={"note": "again"}, headers=staff).status_code == 409
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.occurred_at))]
    assert actions == ["alert.read", "alert.acknowledge", "alert.resolve"]


def test_open_alerts_come_first(client, people):
    _, patient, doc = people
    headers = factories.bearer(patient)
    submit(client, headers, answers=phq9([0] * 8 + [1]))
    submit(client, headers, answers=phq9([0] * 8 + [2]))
    staff = factories.bearer(doc)
    first_id = client.get("/v1/alerts", headers=staff).get_json()["items"][1]["id"]
    client.post(f"/v1/alerts/{first_id}/resolve", json={"note": "Handled by phone."}, headers=staff)
    statuses = [a["status"] for a in client.get("/v1/alerts", headers=staff).get_json()["items"]]
    assert statuses == ["open", "resolved"]


def test_another_clinic_cannot_see_or_touch_alerts(client, people):
    _, patient, _ = people
    submit(client, factories.bearer(patient), answers=phq9([0] * 8 + [1]))
    alert_id = alerts()[0].id
    stranger = factories.bearer(factories.staff(factories.clinic()))
    assert client.get("/v1/alerts", headers=stranger).get_json()["total"] == 0
    assert client.post(f"/v1/alerts/{alert_id}/acknowledge", headers=stranger).status_code == 404


def test_staff_read_patient_reports_and_side_effects_with_audit(client, people):
    _, patient, doc = people
    submit(client, factories.bearer(patient), answers=phq9([1] * 9))
    log_effect(client, factories.bearer(patient))
    staff = factories.bearer(doc)
    assert client.get(f"/v1/patients/{patient.id}/reports", headers=staff).get_json()["total"] == 1
    assert client.get(f"/v1/patients/{patient.id}/side-effects", headers=staff).get_json()["total"] == 1
    logged = {e.action for e in db.session.scalars(db.select(AuditEvent))}
    assert {"report.list", "side_effect.list"} <= logged


def test_baseline_is_the_last_report_before_the_first_infusion_unless_marked(client):
    start = datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(start, tick=False):
        clinic = factories.clinic()
        staff = factories.bearer(factories.staff(clinic, Role.CLINICIAN))
        patient = factories.patient(clinic)
        course = client.post(
            f"/v1/patients/{patient.id}/courses",
            json={"indication": "depression", "start_date": "2026-06-01"},
            headers=staff,
        ).get_json()
        client.post(
            f"/v1/patients/{patient.id}/appointments",
            json={"starts_at": (start + timedelta(days=3)).isoformat()},
            headers=staff,
        )
        mine = factories.bearer(patient)
        early = submit(client, mine, completed_at=start - timedelta(days=2), answers=phq9([3] * 9)).get_json()
        late = submit(client, mine, completed_at=start, answers=phq9([2] * 9)).get_json()
    with time_machine.travel(start + timedelta(days=4), tick=False):
        submit(client, factories.bearer(patient), answers=phq9([1] * 9))  # after the first infusion
        staff = factories.bearer(factories.staff(clinic))
        url = f"/v1/patients/{patient.id}/courses/{course['id']}/baselines"
        shown = client.get(url, headers=staff).get_json()
        assert [(b["instrument"], b["report"]["id"], b["source"]) for b in shown] == [
            ("phq9", late["report"]["id"], "last-report-before-first-infusion@1")
        ]
        marked = client.put(url, json={"instrument": "phq9", "report_id": early["report"]["id"]}, headers=staff)
        assert marked.status_code == 200
        assert client.get(url, headers=staff).get_json()[0]["report"]["id"] == early["report"]["id"]
        wrong = client.put(url, json={"instrument": "gad7", "report_id": early["report"]["id"]}, headers=staff)
        assert wrong.status_code == 422
