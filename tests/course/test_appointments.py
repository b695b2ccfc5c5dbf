from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from companion.extensions import db
from companion.models import Role
from tests import factories
from tests.course.conftest import at, start_course

NOW = datetime(2026, 5, 4, 14, 0, tzinfo=ZoneInfo("UTC"))
NY = "America/New_York"


@pytest.fixture
def setup(client):
    with time_machine.travel(NOW, tick=False):
        clinic = factories.clinic(timezone=NY)
        staff = factories.bearer(factories.staff(clinic))
        patient = factories.patient(clinic, timezone=NY)
        start_course(client, staff, patient)
        yield client, clinic, staff, patient


def book(client, staff, patient, *parts, **extra):
    return client.post(
        f"/v1/patients/{patient.id}/appointments", json={"starts_at": at(NY, *parts), **extra}, headers=staff
    )


def test_times_without_an_offset_are_refused(setup):
    client, _, staff, patient = setup
    response = client.post(
        f"/v1/patients/{patient.id}/appointments", json={"starts_at": "2026-05-10T10:00:00"}, headers=staff
    )
    assert response.status_code == 422
    assert "offset" in response.get_json()["errors"]["starts_at"][0]


def test_appointments_in_the_past_are_refused(setup):
    client, _, staff, patient = setup
    response = book(client, staff, patient, 2026, 5, 1, 10, 0)
    assert response.status_code == 422 and response.get_json()["errors"] == {"starts_at": ["Must be in the future."]}


def test_overlapping_appointments_are_refused(setup):
    client, _, staff, patient = setup
    assert book(client, staff, patient, 2026, 5, 10, 10, 0).status_code == 201
    clash = book(client, staff, patient, 2026, 5, 10, 11, 0)
    assert clash.status_code == 409 and "overlap" in clash.get_json()["detail"]
    assert book(client, staff, patient, 2026, 5, 10, 12, 0).status_code == 201  # right after the first ends


def test_a_series_with_one_bad_time_books_nothing(setup):
    client, _, staff, patient = setup
    response = client.post(
        f"/v1/patients/{patient.id}/appointments/series",
        json={"starts_at": [at(NY, 2026, 5, 10, 10, 0), at(NY, 2026, 5, 1, 10, 0)]},
        headers=staff,
    )
    assert response.status_code == 422 and "starts_at.1" in response.get_json()["errors"]
    assert client.get(f"/v1/patients/{patient.id}/appointments", headers=staff).get_json() == []


def test_scheduling_needs_an_active_course(client):
    with time_machine.travel(NOW, tick=False):
        clinic = factories.clinic()
        staff = factories.bearer(factories.staff(clinic))
        patient = factories.patient(clinic)
        response = book(client, staff, patient, 2026, 5, 10, 10, 0)
    assert response.status_code == 409 and "course" in response.get_json()["detail"]


def test_one_active_course_per_patient(setup):
    client, _, staff, patient = setup
    second = client.post(
        f"/v1/patients/{patient.id}/courses", json={"indication": "ptsd", "start_date": "2026-05-01"}, headers=staff
    )
    assert second.status_code == 409
    course_id = client.get(f"/v1/patients/{patient.id}/courses", headers=staff).get_json()[0]["id"]
    ended = client.patch(f"/v1/patients/{patient.id}/courses/{course_id}", json={"phase": "ended"}, headers=staff)
    assert ended.status_code == 200 and ended.get_json()["ended_at"]
    again = client.post(
        f"/v1/patients/{patient.id}/courses", json={"indication": "ptsd", "start_date": "2026-05-05"}, headers=staff
    )
    assert again.status_code == 201


def test_moving_to_maintenance_records_when(setup):
    client, _, staff, patient = setup
    course_id = client.get(f"/v1/patients/{patient.id}/courses", headers=staff).get_json()[0]["id"]
    body = client.patch(
        f"/v1/patients/{patient.id}/courses/{course_id}", json={"phase": "maintenance"}, headers=staff
    ).get_json()
    assert body["phase"] == "maintenance" and body["maintenance_since"].startswith("2026-05-04")


def test_completing_a_future_appointment_is_refused(setup):
    client, _, staff, patient = setup
    appointment = book(client, staff, patient, 2026, 5, 10, 10, 0).get_json()
    response = client.post(f"/v1/appointments/{appointment['id']}/complete", headers=staff)
    assert response.status_code == 409


def test_changes_are_versioned_events(setup):
    client, _, staff, patient = setup
    appointment = book(client, staff, patient, 2026, 5, 10, 10, 0).get_json()
    client.patch(
        f"/v1/appointments/{appointment['id']}",
        json={"starts_at": at(NY, 2026, 5, 11, 9, 0), "reason": "patient asked"},
        headers=staff,
    )
    client.post(f"/v1/appointments/{appointment['id']}/cancel", json={"reason": "feeling unwell"}, headers=staff)
    events = client.get(f"/v1/appointments/{appointment['id']}/events", headers=staff).get_json()
    assert [(e["version"], e["kind"], e["status"]) for e in events] == [
        (1, "scheduled", "scheduled"),
        (2, "rescheduled", "scheduled"),
        (3, "cancelled", "cancelled"),
    ]
    assert events[1]["previous_starts_at"].startswith("2026-05-10T14:00")
    assert events[1]["reason"] == "patient asked"
    again = client.patch(
        f"/v1/appointments/{appointment['id']}", json={"starts_at": at(NY, 2026, 5, 12, 9, 0)}, headers=staff
    )
    assert again.status_code == 409


def test_cancelled_infusions_do_not_count_in_numbering(setup):
    client, _, staff, patient = setup
    booked = [book(client, staff, patient, 2026, 5, d, 10, 0).get_json() for d in (10, 12, 14)]
    client.post(f"/v1/appointments/{booked[1]['id']}/cancel", json={}, headers=staff)
    listed = client.get(f"/v1/patients/{patient.id}/appointments?when=all", headers=staff).get_json()
    assert [(a["status"], a["number"]) for a in listed] == [("scheduled", 1), ("cancelled", None), ("scheduled", 2)]


def test_staff_record_the_session_after_it_starts(setup):
    client, clinic, staff, patient = setup
    appointment = book(client, staff, patient, 2026, 5, 5, 10, 0).get_json()
    record = {
        "started_at": at(NY, 2026, 5, 5, 10, 5),
        "ended_at": at(NY, 2026, 5, 5, 10, 50),
        "bp_systolic_before": 122,
        "bp_diastolic_before": 78,
        "bp_systolic_40min": 148,
        "bp_diastolic_40min": 92,
        "heart_rate_40min": 96,
        "notes": "Tolerated well.",
    }
    early = client.put(f"/v1/appointments/{appointment['id']}/session-record", json=record, headers=staff)
    assert early.status_code == 409
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        staff_later = factories.bearer(factories.staff(clinic))
        done = client.put(f"/v1/appointments/{appointment['id']}/session-record", json=record, headers=staff_later)
        assert done.status_code == 200 and done.get_json()["record"]["bp_systolic_40min"] == 148
        completed = client.post(f"/v1/appointments/{appointment['id']}/complete", headers=staff_later)
        assert completed.get_json()["status"] == "completed"


def test_session_vitals_and_times_are_checked(setup):
    client, _, staff, patient = setup
    appointment = book(client, staff, patient, 2026, 5, 5, 10, 0).get_json()
    url = f"/v1/appointments/{appointment['id']}/session-record"
    high = client.put(url, json={"bp_systolic_before": 900}, headers=staff)
    assert high.status_code == 422 and "bp_systolic_before" in high.get_json()["errors"]
    backwards = client.put(
        url, json={"started_at": at(NY, 2026, 5, 5, 11, 0), "ended_at": at(NY, 2026, 5, 5, 10, 0)}, headers=staff
    )
    assert backwards.status_code == 422 and "ended_at" in backwards.get_json()["errors"]


def test_patient_ticks_items_and_clinician_sees_them(setup):
    client, clinic, staff, patient = setup
    clinic.checklist_items = [{"key": "bring_snack", "label": "Bring a small snack for afterwards"}]
    db.session.commit()
    appointment = book(client, staff, patient, 2026, 5, 10, 10, 0).get_json()
    mine = factories.bearer(patient)
    url = f"/v1/me/appointments/{appointment['id']}/checklist"
    assert client.put(f"{url}/ride_home", headers=mine).status_code == 200
    assert client.put(f"{url}/ride_home", headers=mine).status_code == 200  # a retry is harmless
    assert client.put(f"{url}/clinic:bring_snack", headers=mine).status_code == 200
    assert client.put(f"{url}/no_such_item", headers=mine).status_code == 404
    seen = client.get(f"/v1/appointments/{appointment['id']}", headers=staff).get_json()["checklist"]
    assert {i["key"] for i in seen if i["done"]} == {"ride_home", "clinic:bring_snack"}
    after = client.delete(f"{url}/ride_home", headers=mine).get_json()["checklist"]
    assert {i["key"] for i in after if i["done"]} == {"clinic:bring_snack"}


def test_checklist_speaks_the_patients_language_and_clinic_fasting_rule(setup):
    client, clinic, staff, patient = setup
    clinic.fasting_solid_hours, clinic.fasting_clear_liquid_hours = 8, 3
    patient.preferred_language = "es"
    db.session.commit()
    book(client, staff, patient, 2026, 5, 10, 7, 0)
    items = client.get("/v1/me/appointments", headers=factories.bearer(patient)).get_json()[0]["checklist"]
    labels = {i["key"]: i["label"] for i in items}
    assert labels["stop_solid_food"] == "Deje de comer alimentos sólidos a las 23:00 (el día anterior)"
    assert labels["stop_clear_liquids"] == "Deje de tomar líquidos claros a las 04:00"


def test_another_patient_cannot_tick_my_checklist(setup):
    client, clinic, staff, patient = setup
    appointment = book(client, staff, patient, 2026, 5, 10, 10, 0).get_json()
    other = factories.bearer(factories.patient(clinic))
    response = client.put(f"/v1/me/appointments/{appointment['id']}/checklist/ride_home", headers=other)
    assert response.status_code == 404


def test_clinic_day_list_uses_the_clinics_zone(setup):
    client, clinic, staff, patient = setup
    other = factories.patient(clinic)
    start_course(client, staff, other)
    book(client, staff, patient, 2026, 5, 10, 8, 0)
    book(client, staff, patient, 2026, 5, 10, 23, 0)  # 03:00 UTC on the 11th, still the 10th in New York
    book(client, staff, other, 2026, 5, 11, 0, 30)
    day = client.get("/v1/clinic/appointments?date=2026-05-10", headers=staff).get_json()
    assert [datetime.fromisoformat(a["starts_clinic_local"]).hour for a in day] == [8, 23]
    assert {a["patient_name"] for a in day} == {patient.full_name}


def test_admin_may_schedule_too_but_patients_may_not(setup):
    client, clinic, _, patient = setup
    admin = factories.bearer(factories.staff(clinic, Role.ADMIN))
    assert book(client, admin, patient, 2026, 5, 10, 10, 0).status_code == 201
    assert book(client, factories.bearer(patient), patient, 2026, 5, 12, 10, 0).status_code == 403


def test_export_includes_the_course_and_appointments_with_session_records(setup):
    client, _, staff, patient = setup
    book(client, staff, patient, 2026, 5, 10, 10, 0)
    export = client.get("/v1/me/export", headers=factories.bearer(patient)).get_json()
    assert [c["indication"] for c in export["courses"]] == ["depression"]
    assert len(export["appointments"]) == 1 and "checklist" in export["appointments"][0]
