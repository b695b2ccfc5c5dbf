"""Who may read summaries, charts and exports, and the audit trail every read leaves."""

import pytest

from companion.extensions import db
from companion.models import AuditEvent, Role
from tests import factories

PATIENT_READS = {
    "summary": "summary.read",
    "chart.svg": "chart.read",
    "export.csv": "report_export.read",
    "side-effects.csv": "side_effect_export.read",
    "fhir": "fhir_export.read",
}
CLINIC_READS = {"/v1/clinic/panel": "panel.read", "/v1/clinic/research-export.csv": "research_export.read"}


@pytest.fixture
def home():
    clinic = factories.clinic()
    return clinic, factories.patient(clinic, full_name="Owner Patient")


def events() -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.occurred_at)))


@pytest.mark.parametrize("path", PATIENT_READS)
def test_another_clinics_clinician_gets_404_and_the_attempt_is_logged(client, home, path):
    _, patient = home
    stranger = factories.staff(factories.clinic())
    response = client.get(f"/v1/patients/{patient.id}/{path}", headers=factories.bearer(stranger))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert "Owner Patient" not in response.get_data(as_text=True)
    [event] = events()
    assert (event.action, event.outcome, event.target_id, event.patient_id) == (
        PATIENT_READS[path],
        "not_found",
        patient.id,
        None,
    )


@pytest.mark.parametrize("path", [*(f"/v1/patients/{{id}}/{p}" for p in PATIENT_READS), *CLINIC_READS])
def test_patients_are_refused(client, home, path):
    _, patient = home
    response = client.get(path.format(id=patient.id), headers=factories.bearer(patient))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert events() == []


@pytest.mark.parametrize("path", PATIENT_READS)
def test_every_patient_read_is_logged_with_the_patient(client, home, path):
    clinic, patient = home
    doctor = factories.staff(clinic)
    assert client.get(f"/v1/patients/{patient.id}/{path}", headers=factories.bearer(doctor)).status_code == 200
    [event] = events()
    assert (event.action, event.actor_id, event.patient_id, event.outcome) == (
        PATIENT_READS[path],
        doctor.id,
        patient.id,
        "allowed",
    )


@pytest.mark.parametrize("path", CLINIC_READS)
def test_clinic_wide_reads_are_one_event_each(client, home, path):
    clinic, _ = home
    admin = factories.staff(clinic, Role.ADMIN)
    assert client.get(path, headers=factories.bearer(admin)).status_code == 200
    assert [(e.action, e.actor_id, e.patient_id) for e in events()] == [(CLINIC_READS[path], admin.id, None)]
