"""The summary reads a fixed number of SQL statements, however long the patient's history is."""

from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event

from companion.extensions import db
from companion.models import Symptom
from tests import factories
from tests.summaries import builders as b
from tests.summaries.builders import at


@contextmanager
def counted():
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def patient_with(clinic, infusions: int, weekly_reports: int):
    patient = factories.patient(clinic)
    course = b.course(patient, planned=infusions)
    b.report(patient, 21, at(2026, 2, 20, 9))
    for week in range(weekly_reports):
        b.report(patient, 18 - week % 10, at(2026, 3, 1, 9) + timedelta(weeks=week))
        b.report(patient, 12, at(2026, 3, 1, 9, 30) + timedelta(weeks=week), instrument="gad7")
    for n in range(infusions):
        appointment = b.infusion(course, at(2026, 3, 2, 15) + timedelta(days=2 * n))
        b.pre_post(patient, appointment, 20 - n, 16 - n)
        b.side_effect(
            patient, Symptom.NAUSEA, 3, appointment.starts_at + timedelta(minutes=30), minutes=20, around=appointment
        )
        b.ticks(appointment, 3)
        b.rating(patient, 30 - n, appointment.starts_at - timedelta(days=1))
    return patient


def statements_for_summary(client, patient, headers) -> int:
    with counted() as statements:
        response = client.get(f"/v1/patients/{patient.id}/summary", headers=headers)
    assert response.status_code == 200, response.get_json()
    return len(statements)


def test_summary_statement_count_does_not_grow_with_history(client):
    clinic = factories.clinic()
    short = patient_with(clinic, infusions=2, weekly_reports=1)
    long = patient_with(clinic, infusions=6, weekly_reports=30)
    headers = factories.bearer(factories.staff(clinic))
    assert statements_for_summary(client, short, headers) == statements_for_summary(client, long, headers)


def statements_for_panel(client, headers) -> int:
    with counted() as statements:
        response = client.get("/v1/clinic/panel", headers=headers)
    assert response.status_code == 200, response.get_json()
    return len(statements)


def test_panel_statement_count_does_not_grow_with_the_clinic(client):
    small, large = factories.clinic(), factories.clinic()
    patient_with(small, infusions=1, weekly_reports=1)
    for _ in range(5):
        patient_with(large, infusions=3, weekly_reports=3)
    small_count = statements_for_panel(client, factories.bearer(factories.staff(small)))
    assert small_count == statements_for_panel(client, factories.bearer(factories.staff(large)))
