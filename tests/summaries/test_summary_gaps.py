"""Missing data is named, never filled in; the date range and cancelled infusions behave as a clinician expects."""

from datetime import timedelta

import pytest

from companion.models import AppointmentStatus, ReportPhase
from tests import factories
from tests.summaries import builders as b
from tests.summaries.builders import at


@pytest.fixture
def setting():
    clinic = factories.clinic()
    patient = factories.patient(clinic)
    return patient, factories.bearer(factories.staff(clinic))


def read(client, setting, query: str = ""):
    patient, headers = setting
    response = client.get(f"/v1/patients/{patient.id}/summary{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def phq9(summary: dict) -> dict:
    return next(o for o in summary["outcomes"] if o["instrument"] == "phq9")


def test_no_report_before_the_first_infusion_means_no_baseline(client, setting):
    patient, _ = setting
    first = b.infusion(b.course(patient), at(2026, 3, 2, 15))
    b.pre_post(patient, first, None, 12)
    summary = read(client, setting)
    assert "baseline:phq9" in summary["missing"]
    outcome = phq9(summary)
    assert outcome["baseline"] is None and outcome["latest"]["total"] == 12
    assert (outcome["change_points"], outcome["change_percent"], outcome["response"]) == (None, None, None)


def test_a_skipped_post_report_is_named(client, setting):
    patient, _ = setting
    first = b.infusion(b.course(patient), at(2026, 3, 2, 15))
    b.pre_post(patient, first, 18, None)
    summary = read(client, setting)
    assert summary["missing"] == ["follow-up:phq9", "post:appointment-1"]
    assert summary["infusions"][0]["scores"]["phq9"] == {
        "pre": 18,
        "post": None,
        "change": None,
        "pre_report_id": summary["infusions"][0]["scores"]["phq9"]["pre_report_id"],
        "post_report_id": None,
    }


def test_upcoming_infusions_are_not_missing_anything(client, setting):
    patient, _ = setting
    course = b.course(patient)
    done = b.infusion(course, at(2026, 3, 2, 15))
    b.infusion(course, at(2026, 3, 4, 15), status=AppointmentStatus.SCHEDULED)
    b.pre_post(patient, done, 18, 12)
    assert read(client, setting)["missing"] == []


def test_a_patient_without_a_course_is_summarised_with_what_exists(client, setting):
    patient, _ = setting
    b.report(patient, 11, at(2026, 3, 1, 9))
    summary = read(client, setting)
    assert summary["course"] is None and summary["infusions"] == []
    assert summary["missing"] == ["course", "baseline:phq9"]
    assert phq9(summary)["latest"]["total"] == 11
    assert summary["adherence"]["infusions"] == {"done": 0, "of": None, "percent": None}


def test_cancelled_infusions_are_left_out_and_not_numbered(client, setting):
    patient, _ = setting
    course = b.course(patient)
    b.infusion(course, at(2026, 3, 2, 15))
    b.infusion(course, at(2026, 3, 4, 15), status=AppointmentStatus.CANCELLED)
    b.infusion(course, at(2026, 3, 6, 15), status=AppointmentStatus.NO_SHOW)
    summary = read(client, setting)
    assert [(i["number"], i["status"]) for i in summary["infusions"]] == [(1, "completed"), (2, "no_show")]
    assert summary["adherence"]["missed_infusions"] == 1


def test_the_date_range_picks_infusions_and_the_latest_score(client, setting):
    patient, _ = setting
    course = b.course(patient)
    first, second = b.infusion(course, at(2026, 3, 2, 15)), b.infusion(course, at(2026, 3, 9, 15))
    b.pre_post(patient, first, 20, 15)
    b.pre_post(patient, second, 14, 8)
    summary = read(client, setting, "?until=2026-03-05T00:00:00%2B00:00")
    assert [i["number"] for i in summary["infusions"]] == [1]
    outcome = phq9(summary)
    # The baseline stays the course's; the latest score is the last one inside the range.
    assert (outcome["baseline"]["total"], outcome["latest"]["total"], outcome["change_points"]) == (20, 15, -5)


def test_a_range_that_ends_before_it_starts_is_refused(client, setting):
    response = client.get(
        f"/v1/patients/{setting[0].id}/summary",
        query_string={"since": "2026-03-05T00:00:00+00:00", "until": "2026-03-01T00:00:00+00:00"},
        headers=setting[1],
    )
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "until" in response.get_json()["errors"]


def test_a_naive_date_time_is_refused(client, setting):
    response = client.get(
        f"/v1/patients/{setting[0].id}/summary", query_string={"since": "2026-03-05T00:00:00"}, headers=setting[1]
    )
    assert response.status_code == 422 and "since" in response.get_json()["errors"]


def test_a_clinician_marked_baseline_wins_over_the_rule(client, setting):
    patient, headers = setting
    course = b.course(patient)
    screening = b.report(patient, 24, at(2026, 2, 20, 9))
    first = b.infusion(course, at(2026, 3, 2, 15))
    b.pre_post(patient, first, 20, 12)
    marked = client.put(
        f"/v1/patients/{patient.id}/courses/{course.id}/baselines",
        json={"instrument": "phq9", "report_id": str(screening.id)},
        headers=headers,
    )
    assert marked.status_code == 200
    outcome = phq9(read(client, setting))
    assert (outcome["baseline"]["total"], outcome["baseline"]["rule"], outcome["change_points"]) == (24, "marked", -12)


def test_a_pre_report_sent_twice_counts_once_with_the_latest(client, setting):
    patient, _ = setting
    first = b.infusion(b.course(patient), at(2026, 3, 2, 15))
    b.report(patient, 19, first.starts_at - timedelta(hours=5), around=first, phase=ReportPhase.PRE)
    b.report(patient, 17, first.starts_at - timedelta(hours=1), around=first, phase=ReportPhase.PRE)
    summary = read(client, setting)
    assert summary["infusions"][0]["scores"]["phq9"]["pre"] == 17
    assert summary["adherence"]["self_reports"] == {"done": 1, "of": 2, "percent": 50.0}
