import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from companion.extensions import db
from companion.models import Alert, SelfReport
from companion.models.base import utcnow
from tests import factories
from tests.reports.helpers import phq9, submit


@pytest.fixture
def patient():
    return factories.patient(factories.clinic())


def test_server_scores_the_report_and_keeps_the_raw_answers(client, patient):
    response = submit(client, factories.bearer(patient), answers=phq9([2, 2, 1, 1, 2, 1, 1, 0, 0]))
    assert response.status_code == 201
    body = response.get_json()
    assert (body["report"]["total"], body["report"]["band"], body["band_label"]) == (10, "moderate", "Moderate")
    assert body["safety"] is None
    stored = db.session.get(SelfReport, uuid.UUID(body["report"]["id"]))
    assert stored.answers["phq9_1"] == 2 and stored.instrument_version == "1"


def test_pcl5_clusters_and_daily_check_in(client, patient):
    headers = factories.bearer(patient)
    pcl5 = {f"pcl5_{i}": 2 for i in range(1, 21)}
    body = submit(client, headers, instrument="pcl5", answers=pcl5).get_json()["report"]
    assert body["total"] == 40 and body["cluster_scores"] == {"B": 10, "C": 4, "D": 14, "E": 12}
    assert "provisional_ptsd" in body["flags"]
    daily = submit(
        client, headers, instrument="daily_checkin", answers={"daily_checkin_mood": 6, "daily_checkin_energy": 4}
    ).get_json()["report"]
    assert daily["total"] is None and daily["item_scores"] == {"daily_checkin_mood": 6, "daily_checkin_energy": 4}


@pytest.mark.parametrize(
    ("answers", "field", "fragment"),
    [
        ({f"phq9_{i}": 0 for i in range(1, 9)}, "answers.phq9_9", "required"),
        ({**phq9([0] * 9), "phq9_10": 1}, "answers.phq9_10", "unknown"),
        (phq9([0, 0, 4, 0, 0, 0, 0, 0, 0]), "answers.phq9_3", "between 0 and 3"),
        (phq9([0, -1, 0, 0, 0, 0, 0, 0, 0]), "answers.phq9_2", "between 0 and 3"),
        ({**phq9([0] * 9), "phq9_4": "2"}, "answers.phq9_4", "whole number"),
        ({**phq9([0] * 9), "phq9_5": 1.5}, "answers.phq9_5", "whole number"),
        ({**phq9([0] * 9), "phq9_6": True}, "answers.phq9_6", "whole number"),
        ({**phq9([0] * 9), "phq9_7": None}, "answers.phq9_7", "whole number"),
    ],
)
def test_invalid_answers_get_422_naming_the_item(client, patient, answers, field, fragment):
    response = submit(client, factories.bearer(patient), answers=answers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert field in errors and fragment in " ".join(errors[field])
    assert db.session.scalar(db.select(db.func.count()).select_from(SelfReport)) == 0


def test_unknown_instrument_is_named(client, patient):
    response = submit(client, factories.bearer(patient), instrument="cssrs", answers={})
    assert response.status_code == 422 and "instrument" in response.get_json()["errors"]


def test_positive_item_nine_raises_one_alert_and_returns_crisis_guidance(client, patient):
    response = submit(client, factories.bearer(patient), answers=phq9([0, 0, 0, 0, 0, 0, 0, 0, 1]))
    assert response.status_code == 201
    body = response.get_json()
    assert body["report"]["total"] == 1 and body["report"]["safety_event"] is True
    safety = body["safety"]
    assert safety["reasons"] == ["suicidality_item_positive"]
    assert any(r.get("phone") == "988" for r in safety["crisis_resources"])
    assert "not watched around the clock" in safety["notice"]
    alerts = db.session.scalars(db.select(Alert)).all()
    assert len(alerts) == 1 and alerts[0].patient_id == patient.id and alerts[0].status.value == "open"


def test_high_total_without_item_nine_raises_no_alert(client, patient):
    body = submit(client, factories.bearer(patient), answers=phq9([3, 3, 3, 3, 3, 3, 3, 3, 0])).get_json()
    assert body["report"]["band"] == "severe" and body["safety"] is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Alert)) == 0


def test_clinic_rule_raises_an_alert(client):
    clinic = factories.clinic(alert_rules=[{"instrument": "phq9", "total_at_least": 20}])
    patient = factories.patient(clinic)
    body = submit(client, factories.bearer(patient), answers=phq9([3, 3, 3, 3, 3, 3, 2, 0, 0])).get_json()
    assert body["safety"]["reasons"] == ["clinic_rule:phq9>=20"]


def test_guidance_speaks_the_patients_language_and_uses_the_clinics_contacts(client):
    clinic = factories.clinic(crisis_resources=[{"label": "Línea de la clínica", "phone": "+34 900 000 000"}])
    patient = factories.patient(clinic, preferred_language="es")
    safety = submit(client, factories.bearer(patient), answers=phq9([0] * 8 + [2])).get_json()["safety"]
    assert safety["crisis_resources"] == [{"label": "Línea de la clínica", "phone": "+34 900 000 000"}]
    assert "aviso" in safety["message"] and "24 horas" in safety["notice"]


def _patient_with_appointment(client, starts_at: datetime):
    """A patient on a course with one infusion booked through the staff API."""
    clinic = factories.clinic()
    staff = factories.bearer(factories.staff(clinic))
    patient = factories.patient(clinic)
    client.post(
        f"/v1/patients/{patient.id}/courses",
        json={"indication": "depression", "start_date": "2026-06-01"},
        headers=staff,
    )
    appointment = client.post(
        f"/v1/patients/{patient.id}/appointments", json={"starts_at": starts_at.isoformat()}, headers=staff
    ).get_json()
    return patient, appointment


def test_offline_report_three_days_late_keeps_its_time_and_window(client):
    now = datetime(2026, 6, 10, 15, 0, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(now - timedelta(days=5), tick=False):
        patient, appointment = _patient_with_appointment(client, now - timedelta(days=3, hours=2))
    with time_machine.travel(now, tick=False):
        filled_in = now - timedelta(days=3)  # two hours after the infusion, sent three days later
        response = submit(
            client,
            factories.bearer(patient),
            completed_at=filled_in,
            appointment_id=appointment["id"],
            answers=phq9([1] * 9),
        )
    assert response.status_code == 201, response.get_json()
    report = response.get_json()["report"]
    assert report["phase"] == "post"
    assert datetime.fromisoformat(report["completed_at"]) == filled_in
    assert datetime.fromisoformat(report["received_at"]) == now


def test_pre_report_outside_the_24_hour_window_is_refused(client):
    now = datetime(2026, 6, 10, 15, 0, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(now, tick=False):
        patient, appointment = _patient_with_appointment(client, now + timedelta(hours=30))
        early = submit(
            client, factories.bearer(patient), appointment_id=appointment["id"], phase="pre", answers=phq9([1] * 9)
        )
        assert early.status_code == 422 and "phase" in early.get_json()["errors"]
    with time_machine.travel(now + timedelta(hours=10), tick=False):
        ok = submit(client, factories.bearer(patient), appointment_id=appointment["id"], answers=phq9([1] * 9))
        assert ok.status_code == 201 and ok.get_json()["report"]["phase"] == "pre"


def test_future_completion_time_is_refused(client, patient):
    response = submit(
        client, factories.bearer(patient), completed_at=utcnow() + timedelta(hours=1), answers=phq9([0] * 9)
    )
    assert response.status_code == 422 and "completed_at" in response.get_json()["errors"]


def test_correction_supersedes_and_both_are_kept(client, patient):
    headers = factories.bearer(patient)
    first = submit(client, headers, answers=phq9([1] * 9)).get_json()["report"]
    second = submit(client, headers, answers=phq9([2] * 9), supersedes=first["id"]).get_json()["report"]
    assert second["supersedes"] == first["id"]
    listed = client.get("/v1/me/reports", headers=headers).get_json()
    assert [r["id"] for r in listed["items"]] == [second["id"]]
    everything = client.get("/v1/me/reports?include_superseded=true", headers=headers).get_json()
    assert {r["id"] for r in everything["items"]} == {first["id"], second["id"]}
    again = submit(client, headers, answers=phq9([3] * 9), supersedes=first["id"])
    assert again.status_code == 409


def test_history_filters_and_pages(client, patient):
    headers = factories.bearer(patient)
    base = utcnow() - timedelta(days=10)
    for day in range(5):
        submit(client, headers, completed_at=base + timedelta(days=day), answers=phq9([day % 4] * 9))
    submit(client, headers, instrument="pain_nrs", answers={"pain_nrs_1": 5})
    page = client.get("/v1/me/reports?instrument=phq9&per_page=2&page=2", headers=headers).get_json()
    assert page["total"] == 5 and len(page["items"]) == 2
    since = (base + timedelta(days=3)).isoformat()
    recent = client.get("/v1/me/reports", query_string={"instrument": "phq9", "since": since}, headers=headers)
    assert recent.get_json()["total"] == 2


def test_instruments_are_served_with_clinic_wording(client):
    clinic = factories.clinic(instrument_prompts={"es": {"phq9": {"phq9_1": "Poco interés en hacer cosas"}}})
    headers = factories.bearer(factories.patient(clinic))
    listed = client.get("/v1/instruments", headers=headers).get_json()
    assert {i["id"] for i in listed} == {"phq9", "gad7", "pcl5", "pain_nrs", "daily_checkin"}
    spanish = client.get("/v1/instruments/phq9?lang=es", headers=headers).get_json()
    assert spanish["items"][0]["prompt"] == "Poco interés en hacer cosas"
    assert spanish["loinc"]["panel"] == "44249-1" and spanish["items"][8]["loinc"] == "44260-8"
    assert client.get("/v1/instruments/madrs", headers=headers).status_code == 404


def test_export_holds_reports_side_effects_and_alerts(client, patient):
    headers = factories.bearer(patient)
    submit(client, headers, answers=phq9([0] * 8 + [1]))
    export = client.get("/v1/me/export", headers=headers).get_json()
    assert len(export["self_reports"]) == 1 and export["self_reports"][0]["answers"]["phq9_9"] == 1
    assert export["side_effects"] == [] and [a["reason"] for a in export["alerts"]] == ["suicidality_item_positive"]


def test_unknown_references_in_the_body_are_422_naming_the_field(client, patient):
    headers = factories.bearer(patient)
    stranger = str(uuid.uuid4())
    for field in ("appointment_id", "supersedes"):
        response = submit(client, headers, answers=phq9([0] * 9), **{field: stranger})
        assert response.status_code == 422 and field in response.get_json()["errors"]
