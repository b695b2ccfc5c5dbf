import pytest
from sqlalchemy import text

from companion.extensions import db
from companion.models import AuditEvent, Role
from tests import factories


def test_clinician_read_is_logged_with_who_what_and_request_id(client):
    c = factories.clinic()
    p = factories.patient(c, full_name="Secret Name")
    doc = factories.staff(c)
    client.get(f"/v1/patients/{p.id}", headers={**factories.bearer(doc), "X-Request-ID": "req-audit-0001"})
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert (event.actor_id, event.actor_role, event.action) == (doc.id, "clinician", "patient.read")
    assert (event.patient_id, event.outcome, event.request_id) == (p.id, "allowed", "req-audit-0001")
    assert "Secret" not in repr(vars(event))


def test_attempt_on_another_clinics_patient_is_logged_as_not_found(client):
    stranger = factories.patient(factories.clinic())
    doc = factories.staff(factories.clinic())
    assert client.get(f"/v1/patients/{stranger.id}", headers=factories.bearer(doc)).status_code == 404
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert event.outcome == "not_found" and event.patient_id is None and event.clinic_id == doc.clinic_id


def test_admin_queries_the_clinics_audit_log(client):
    c = factories.clinic()
    p = factories.patient(c)
    doc = factories.staff(c)
    client.get(f"/v1/patients/{p.id}", headers=factories.bearer(doc))
    client.get(
        f"/v1/patients/{factories.patient(factories.clinic()).id}",
        headers=factories.bearer(factories.staff(factories.clinic())),
    )
    admin = factories.bearer(factories.staff(c, Role.ADMIN))
    body = client.get(f"/v1/audit-events?patient_id={p.id}", headers=admin).get_json()
    assert body["total"] == 1 and body["items"][0]["actor_id"] == str(doc.id)


def test_audit_events_cannot_be_rewritten_through_the_orm(client):
    c = factories.clinic()
    client.get("/v1/patients", headers=factories.bearer(factories.staff(c)))
    event = db.session.scalars(db.select(AuditEvent)).one()
    event.outcome = "denied"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_audit_events_cannot_be_rewritten_in_postgresql(client):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    c = factories.clinic()
    client.get("/v1/patients", headers=factories.bearer(factories.staff(c)))
    with pytest.raises(Exception, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET outcome = 'denied'"))
