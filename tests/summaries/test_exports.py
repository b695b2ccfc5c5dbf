"""CSV exports for the clinic, and the pseudonymised research file."""

import csv
import io

import pytest

from companion.extensions import db
from companion.models import ReportPhase, Role, Symptom
from tests import factories
from tests.summaries import builders as b
from tests.summaries.builders import at


@pytest.fixture
def history():
    clinic = factories.clinic()
    patient = factories.patient(clinic, full_name="Harriet Quill", email="harriet@mail.example")
    first = b.infusion(b.course(patient), at(2026, 3, 2, 15))
    wrong = b.report(patient, 14, at(2026, 3, 2, 13), around=first, phase=ReportPhase.PRE)
    b.report(patient, 13, at(2026, 3, 2, 13, 10), around=first, phase=ReportPhase.PRE, corrects=wrong)
    b.report(patient, 9, at(2026, 3, 3, 10), instrument="gad7")
    b.report(patient, 4, at(2026, 3, 3, 11), instrument="pain_nrs")
    b.side_effect(patient, Symptom.NAUSEA, 3, at(2026, 3, 2, 15, 30), minutes=45, around=first)
    b.side_effect(patient, Symptom.OTHER, 2, at(2026, 3, 4, 9), minutes=10, other_text="=HYPERLINK(1)")
    return clinic, patient, factories.bearer(factories.staff(clinic))


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_report_csv_has_one_row_per_current_report(client, history):
    _, patient, headers = history
    rows = rows_of(client.get(f"/v1/patients/{patient.id}/export.csv", headers=headers))
    assert [(r["instrument"], r["total"]) for r in rows] == [("phq9", "13"), ("gad7", "9"), ("pain_nrs", "4")]


def test_report_csv_has_every_answer_in_its_own_column(client, history):
    _, patient, headers = history
    phq9 = rows_of(client.get(f"/v1/patients/{patient.id}/export.csv", headers=headers))[0]
    # 13 filled item by item: 3, 3, 3, 3, 1, then zeros
    assert [phq9[f"phq9_{i}"] for i in range(1, 10)] == ["3", "3", "3", "3", "1", "0", "0", "0", "0"]
    assert (phq9["phase"], phq9["infusion_number"], phq9["gad7_1"]) == ("pre", "1", "")
    assert phq9["corrects_report_id"]  # it replaced the report that said 14


def test_side_effect_csv_has_one_row_per_side_effect(client, history):
    _, patient, headers = history
    rows = rows_of(client.get(f"/v1/patients/{patient.id}/side-effects.csv", headers=headers))
    assert [(r["symptom"], r["severity"], r["duration_minutes"], r["infusion_number"]) for r in rows] == [
        ("nausea", "3", "45", "1"),
        ("other", "2", "10", ""),
    ]


def test_free_text_cannot_become_a_spreadsheet_formula(client, history):
    _, patient, headers = history
    rows = rows_of(client.get(f"/v1/patients/{patient.id}/side-effects.csv", headers=headers))
    assert rows[1]["other_text"] == "'=HYPERLINK(1)"


def test_the_download_is_named_without_the_patient(client, history):
    _, patient, headers = history
    response = client.get(f"/v1/patients/{patient.id}/export.csv", headers=headers)
    assert response.headers["Content-Disposition"] == 'attachment; filename="reports.csv"'


@pytest.fixture
def research(client, history):
    clinic, _, _ = history
    other = factories.patient(clinic, full_name="Ivo Marsh")
    b.report(other, 7, at(2026, 3, 5, 9))
    admin = factories.bearer(factories.staff(clinic, Role.ADMIN))
    return lambda: client.get("/v1/clinic/research-export.csv", headers=admin)


def test_research_export_has_no_names_emails_free_text_or_ids(research, history):
    _, patient, _ = history
    text = research().get_data(as_text=True)
    for secret in ("Harriet", "Quill", "harriet@mail.example", "Ivo", "HYPERLINK", str(patient.id)):
        assert secret not in text
    assert "report_id" not in text and "appointment_id" not in text


def test_research_pseudonyms_are_stable_across_exports(research):
    first, second = rows_of(research()), rows_of(research())
    assert [r["pseudonym"] for r in first] == [r["pseudonym"] for r in second]
    assert len({r["pseudonym"] for r in first}) == 2  # two patients, two pseudonyms
    assert all(len(r["pseudonym"]) == 16 for r in first)


def test_research_rows_keep_the_clinical_content(research):
    rows = rows_of(research())
    phq9 = next(r for r in rows if r["instrument"] == "phq9" and r["total"] == "13")
    assert (phq9["indication"], phq9["days_since_course_start"], phq9["infusion_number"]) == ("depression", "0", "1")
    assert phq9["phq9_1"] == "3"


def test_research_export_is_for_admins_only(client, history):
    _, _, clinician = history
    response = client.get("/v1/clinic/research-export.csv", headers=clinician)
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_research_export_shows_only_the_callers_clinic(client, history):
    stranger_clinic = factories.clinic()
    b.report(factories.patient(stranger_clinic), 5, at(2026, 3, 5, 9))
    admin = factories.bearer(factories.staff(stranger_clinic, Role.ADMIN))
    rows = rows_of(client.get("/v1/clinic/research-export.csv", headers=admin))
    assert len(rows) == 1


def test_research_export_streams_in_pages_after_the_view_has_returned(client, monkeypatch):
    """The CSV is read after the request's session is gone (PostgreSQL would drop a held cursor)."""
    from companion.services import exports
    from tests import factories
    from tests.reports.helpers import phq9, submit

    real = exports._in_batches
    monkeypatch.setattr(exports, "_in_batches", lambda query: real(query, size=2))
    clinic = factories.clinic()
    patient = factories.patient(clinic)
    for _ in range(5):
        submit(client, factories.bearer(patient), answers=phq9([1] * 9))
    admin = factories.bearer(factories.staff(clinic, factories.Role.ADMIN))
    response = client.get("/v1/clinic/research-export.csv", headers=admin, buffered=False)
    db.session.remove()  # what the end of the request does before the stream is read
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5 and {r["total"] for r in rows} == {"9"}
