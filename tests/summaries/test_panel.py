"""The triage panel: who comes first, filters, sorting and pages.

Six patients on 2026-03-20 (PHQ-9 baseline -> later reports):
    Alice  16 -> 12, 10   an open alert
    Bob    10 -> 12, 14   worse than baseline
    Cara   18 -> 15       infusion two days ago, no post report yet (overdue)
    Dan    18 -> 9, 7     improving, in maintenance
    Eve    20 -> 8, 11    better than baseline but worse than last time
    Fay    no course, no reports
"""

from datetime import timedelta

import pytest
import time_machine
from flask import current_app

from companion.extensions import db
from companion.models import AppointmentStatus, AuditEvent, Phase, ReportPhase
from tests import factories
from tests.summaries import builders as b
from tests.summaries.builders import at

NOW = at(2026, 3, 20, 12)


def _patient(clinic, name, baseline=None, later=(), last_day=10, phase=Phase.INDUCTION):
    patient = factories.patient(clinic, full_name=name)
    if baseline is None:
        return patient
    course = b.course(patient, phase=phase)
    first = b.infusion(course, at(2026, 3, 2, 15))
    b.report(patient, baseline, at(2026, 3, 1, 9))
    for offset, total in enumerate(reversed(later)):
        b.report(patient, total, at(2026, 3, last_day - offset, 9))
    return patient, course, first


@pytest.fixture
def clinic_panel():
    with time_machine.travel(NOW, tick=False):
        clinic = factories.clinic()
        alice, _, _ = _patient(clinic, "Alice A", 16, (12, 10), last_day=10)
        b.alert(alice, b.report(alice, 10, at(2026, 3, 10, 10)))
        _patient(clinic, "Bob B", 10, (12, 14), last_day=11)
        cara, course, _ = _patient(clinic, "Cara C", 18, (15,), last_day=12)
        recent = b.infusion(course, NOW - timedelta(days=2))
        b.report(cara, 15, recent.starts_at - timedelta(hours=1), around=recent, phase=ReportPhase.PRE)
        _patient(clinic, "Dan D", 18, (9, 7), last_day=13, phase=Phase.MAINTENANCE)
        _patient(clinic, "Eve E", 20, (8, 11), last_day=14)
        factories.patient(clinic, full_name="Fay F")
        elsewhere = factories.patient(factories.clinic(), full_name="Zed Elsewhere")
        b.alert(elsewhere, b.report(elsewhere, 22, at(2026, 3, 10, 9)))
        headers = factories.bearer(factories.staff(clinic))
        yield lambda status=200, **query: _get(headers, query, status)


def _get(headers, query, status):
    response = current_app.test_client().get("/v1/clinic/panel", query_string=query, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def names(body: dict) -> list[str]:
    return [row["patient_name"] for row in body["items"]]


def test_alerts_first_then_worsening_then_overdue_then_the_rest(clinic_panel):
    assert names(clinic_panel()) == ["Alice A", "Bob B", "Eve E", "Cara C", "Dan D", "Fay F"]


def test_each_row_says_why_it_is_where_it_is(clinic_panel):
    rows = {row["patient_name"]: row for row in clinic_panel()["items"]}
    assert {name: row["flags"] for name, row in rows.items()} == {
        "Alice A": ["open_alert"],
        "Bob B": ["worsening"],
        "Eve E": ["worsening"],
        "Cara C": ["overdue"],
        "Dan D": [],
        "Fay F": [],
    }
    assert rows["Eve E"]["phq9"] == {"baseline": 20, "previous": 8, "latest": 11}
    assert (rows["Cara C"]["overdue_infusions"], rows["Alice A"]["open_alerts"]) == (1, 1)
    assert rows["Fay F"]["course_phase"] is None and rows["Dan D"]["course_phase"] == "maintenance"


def test_filter_by_one_flag(clinic_panel):
    assert names(clinic_panel(flag="worsening")) == ["Bob B", "Eve E"]


def test_filter_by_several_flags_keeps_patients_with_any(clinic_panel):
    assert names(clinic_panel(flag=["overdue", "open_alert"])) == ["Alice A", "Cara C"]


def test_filter_by_course_phase(clinic_panel):
    assert names(clinic_panel(phase="maintenance")) == ["Dan D"]


def test_pages_keep_the_priority_order_and_the_total(clinic_panel):
    second = clinic_panel(page=2, per_page=2)
    assert names(second) == ["Eve E", "Cara C"]
    assert (second["total"], second["page"], second["per_page"]) == (6, 2, 2)


def test_a_page_past_the_end_is_empty_but_knows_the_total(clinic_panel):
    body = clinic_panel(page=9, per_page=2)
    assert (body["items"], body["total"]) == ([], 6)


def test_sort_by_name(clinic_panel):
    assert names(clinic_panel(sort="name")) == ["Alice A", "Bob B", "Cara C", "Dan D", "Eve E", "Fay F"]


def test_sort_by_last_report_puts_patients_without_reports_last(clinic_panel):
    # Last reports: Eve 14th, Dan 13th, Cara 18th (her pre-infusion report), Bob 11th, Alice 10th.
    assert names(clinic_panel(sort="last_report")) == ["Cara C", "Eve E", "Dan D", "Bob B", "Alice A", "Fay F"]


def test_an_unknown_flag_or_sort_is_refused(clinic_panel):
    assert "flag.0" in clinic_panel(status=422, flag="sad")["errors"]
    assert "sort" in clinic_panel(status=422, sort="age")["errors"]


def test_the_panel_read_is_one_audit_event(clinic_panel):
    clinic_panel()
    actions = [e.action for e in db.session.scalars(db.select(AuditEvent))]
    assert actions == ["panel.read"]


def test_a_cancelled_recent_infusion_is_not_overdue(client):
    with time_machine.travel(NOW, tick=False):
        clinic = factories.clinic()
        _, course, _ = _patient(clinic, "Gus G", 18, (15,))
        b.infusion(course, NOW - timedelta(days=1), status=AppointmentStatus.CANCELLED)
        body = client.get("/v1/clinic/panel", headers=factories.bearer(factories.staff(clinic))).get_json()
    assert body["items"][0]["flags"] == []


def test_each_patients_baseline_is_cut_at_their_own_first_infusion(client):
    with time_machine.travel(NOW, tick=False):
        clinic = factories.clinic()
        _patient(clinic, "Early Starter", 18, (12,))  # first infusion on 2 March
        late = factories.patient(clinic, full_name="Late Starter")
        b.infusion(b.course(late), at(2026, 3, 10, 15))
        for day, total in ((1, 24), (8, 10), (12, 12), (14, 11)):
            b.report(late, total, at(2026, 3, day, 9))
        body = client.get("/v1/clinic/panel?sort=name", headers=factories.bearer(factories.staff(clinic))).get_json()
    row = next(r for r in body["items"] if r["patient_name"] == "Late Starter")
    # Baseline is 10 (8 March, the last before her infusion on the 10th), not 24: 11 > 10 is worse.
    assert (row["phq9"], row["flags"]) == ({"baseline": 10, "previous": 12, "latest": 11}, ["worsening"])
