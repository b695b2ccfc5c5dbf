"""A patient through six infusions, with every summary figure worked out by hand.

Course from 2026-03-02, six infusions at 15:00 UTC (Mon/Wed/Fri over two weeks), all completed.
PHQ-9 before (pre) and the morning after (post) each infusion:

    infusion   1   2   3   4   5   6
    pre       20  17  15  12   9   7
    post      16  14  11   9   -   4     (post 4 was sent as 10, then corrected to 9; post 5 never came)

A screening PHQ-9 of 22 on 2026-02-20 is older than the pre-infusion-1 report, so the baseline is 20.
"""

from datetime import timedelta

import pytest

from companion.extensions import db
from companion.models import AlertStatus, Clinic, ReportPhase, Role, Symptom
from tests import factories
from tests.summaries import builders as b
from tests.summaries.builders import at

STARTS = [at(2026, 3, d, 15) for d in (2, 4, 6, 9, 11, 13)]


@pytest.fixture
def example():
    clinic = factories.clinic(remission_thresholds={"phq9": 5, "madrs": 10})
    patient = factories.patient(clinic)
    course = b.course(patient, planned=6)
    infusions = [b.infusion(course, starts) for starts in STARTS]
    b.report(patient, 22, at(2026, 2, 20, 10))
    for appointment, pre, post in zip(infusions, (20, 17, 15, 12, 9, 7), (16, 14, 11, None, None, 4), strict=True):
        b.pre_post(patient, appointment, pre, post)
    sent = b.report(patient, 10, STARTS[3] + timedelta(hours=19), around=infusions[3], phase=ReportPhase.POST)
    b.report(patient, 9, STARTS[3] + timedelta(hours=20), around=infusions[3], phase=ReportPhase.POST, corrects=sent)
    b.report(patient, 14, at(2026, 3, 2, 13, 5), instrument="gad7", around=infusions[0], phase=ReportPhase.PRE)
    b.report(patient, 6, at(2026, 3, 14, 10, 5), instrument="gad7", around=infusions[5], phase=ReportPhase.POST)
    b.rating(patient, 34, at(2026, 3, 1, 11))
    b.rating(patient, 9, at(2026, 3, 16, 11))

    b.side_effect(patient, Symptom.DISSOCIATION, 6, STARTS[0] + timedelta(minutes=20), minutes=40, around=infusions[0])
    b.side_effect(patient, Symptom.NAUSEA, 3, STARTS[0] + timedelta(minutes=30), minutes=30, around=infusions[0])
    b.side_effect(patient, Symptom.NAUSEA, 5, STARTS[0] + timedelta(minutes=70), minutes=90, around=infusions[0])
    b.side_effect(patient, Symptom.DISSOCIATION, 4, STARTS[2] + timedelta(minutes=25), minutes=20, around=infusions[2])
    headache = b.side_effect(patient, Symptom.HEADACHE, 2, STARTS[2] + timedelta(hours=2), around=infusions[2])
    b.side_effect(patient, Symptom.DROWSINESS, 2, at(2026, 3, 17, 9), minutes=60)
    for appointment, ticked in zip(infusions, (5, 4, 5, 3, 5, 0), strict=True):
        b.ticks(appointment, ticked)
    open_alert = b.alert(patient, headache)
    b.alert(patient, sent, status=AlertStatus.RESOLVED)

    headers = factories.bearer(factories.staff(clinic))
    return patient, headers, infusions, open_alert


@pytest.fixture
def summary(client, example):
    patient, headers, _, _ = example
    response = client.get(f"/v1/patients/{patient.id}/summary", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def outcome(summary: dict, instrument: str) -> dict:
    return next(o for o in summary["outcomes"] if o["instrument"] == instrument)


def test_phq9_baseline_is_the_last_report_before_the_first_infusion(summary):
    baseline = outcome(summary, "phq9")["baseline"]
    assert (baseline["total"], baseline["rule"]) == (20, "last-report-before-first-infusion@1")


def test_phq9_change_response_and_remission(summary):
    phq9 = outcome(summary, "phq9")
    assert phq9["latest"]["total"] == 4  # post-infusion 6
    assert phq9["change_points"] == -16  # 4 - 20
    assert phq9["change_percent"] == -80.0  # -16 / 20 = -0.80
    assert phq9["response"] == {
        "met": True,  # a fall of 80 % is at least 50 %
        "rule": "response-fall-from-baseline@1",
        "threshold": 0.5,
        "instrument": "phq9@1",
        "definition_version": "1",
        "baseline": 20,
        "current": 4,
        "percent_change": -80.0,
    }
    assert phq9["remission"] == {
        "met": True,  # 4 < 5
        "rule": "remission-below-threshold@1",
        "threshold": 5,
        "instrument": "phq9@1",
        "definition_version": "1",
        "total": 4,
    }


def test_gad7_responds_but_has_no_remission_threshold(summary):
    gad7 = outcome(summary, "gad7")
    assert (gad7["baseline"]["total"], gad7["latest"]["total"]) == (14, 6)
    assert gad7["change_points"] == -8  # 6 - 14
    assert gad7["change_percent"] == -57.1  # -8 / 14 = -0.5714
    assert gad7["response"]["met"] is True  # 57.1 % >= 50 %
    assert gad7["remission"] is None


def test_madrs_from_clinician_ratings_uses_the_clinic_threshold(summary):
    madrs = outcome(summary, "madrs")
    assert (madrs["source"], madrs["baseline"]["total"], madrs["latest"]["total"]) == ("clinician_rating", 34, 9)
    assert madrs["change_points"] == -25  # 9 - 34
    assert madrs["change_percent"] == -73.5  # -25 / 34 = -0.7353
    assert madrs["response"]["met"] is True
    assert madrs["remission"] == {
        "met": True,  # 9 < 10, the clinic's MADRS threshold
        "rule": "remission-below-threshold@1",
        "threshold": 10,
        "instrument": "madrs",
        "definition_version": None,
        "total": 9,
    }


def test_each_infusion_shows_pre_post_and_change(summary):
    rows = [(i["number"], *(i["scores"]["phq9"][k] for k in ("pre", "post", "change"))) for i in summary["infusions"]]
    assert rows == [
        (1, 20, 16, -4),
        (2, 17, 14, -3),
        (3, 15, 11, -4),
        (4, 12, 9, -3),  # the correction (9) counts, not the report it replaced (10)
        (5, 9, None, None),
        (6, 7, 4, -3),
    ]


def test_side_effect_burden_per_infusion(summary):
    first, third = summary["infusions"][0]["side_effects"], summary["infusions"][2]["side_effects"]
    # durations 40 + 30 + 90 = 160; sorted 30, 40, 90 -> median 40
    assert (first["count"], first["max_severity"], first["duration_minutes_total"]) == (3, 6, 160)
    assert (first["duration_minutes_median"], first["ongoing"]) == (40, 0)
    assert first["by_symptom"] == [
        {
            "symptom": "dissociation",
            "count": 1,
            "max_severity": 6,
            "duration_minutes_total": 40,
            "duration_minutes_median": 40,
            "ongoing": 0,
        },
        {
            "symptom": "nausea",
            "count": 2,
            "max_severity": 5,  # max(3, 5)
            "duration_minutes_total": 120,  # 30 + 90
            "duration_minutes_median": 60,  # (30 + 90) / 2
            "ongoing": 0,
        },
    ]
    # The headache is still going on: counted, flagged, but it has no duration yet.
    assert (third["count"], third["max_severity"], third["duration_minutes_total"], third["ongoing"]) == (2, 4, 20, 1)
    assert summary["infusions"][1]["side_effects"]["count"] == 0


def test_side_effects_between_infusions_are_shown_apart(summary):
    apart = summary["side_effects_not_linked"]
    assert (apart["count"], apart["max_severity"], apart["duration_minutes_total"]) == (1, 2, 60)


def test_adherence(summary):
    assert summary["adherence"] == {
        "infusions": {"done": 6, "of": 6, "percent": 100.0},
        "missed_infusions": 0,
        "self_reports": {"done": 11, "of": 12, "percent": 91.7},  # 6 pre + 5 post of 2 x 6; 11/12 = 0.9167
        "checklist": {"done": 22, "of": 30, "percent": 73.3},  # 5+4+5+3+5+0 of 5 items x 6; 22/30 = 0.7333
    }


def test_missing_names_the_skipped_post_report_only(summary):
    assert summary["missing"] == ["post:appointment-5"]


def test_only_open_alerts_are_listed(summary, example):
    open_alert = example[3]
    assert [a["id"] for a in summary["open_alerts"]] == [str(open_alert.id)]


def test_an_admin_of_the_clinic_reads_the_same_summary(client, example, summary):
    patient = example[0]
    admin = factories.bearer(factories.staff(db.session.get(Clinic, patient.clinic_id), Role.ADMIN))
    again = client.get(f"/v1/patients/{patient.id}/summary", headers=admin).get_json()
    assert again["outcomes"] == summary["outcomes"]
