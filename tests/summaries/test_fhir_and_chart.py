"""The FHIR bundle validates as R4; the chart is a standalone SVG with no name in it."""

import xml.etree.ElementTree as ET

import pytest
from fhir.resources.R4B.bundle import Bundle

from companion.models import ReportPhase
from tests import factories
from tests.summaries import builders as b
from tests.summaries.builders import at

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def patient_and_staff():
    clinic = factories.clinic()
    patient = factories.patient(clinic, full_name="Harriet Quill")
    course = b.course(patient)
    first, second = b.infusion(course, at(2026, 3, 2, 15)), b.infusion(course, at(2026, 3, 4, 15))
    b.pre_post(patient, first, 20, 15)
    b.pre_post(patient, second, 14, 9)
    b.report(patient, 12, at(2026, 3, 2, 13, 5), instrument="gad7", around=first, phase=ReportPhase.PRE)
    b.report(patient, 33, at(2026, 3, 3, 9), instrument="pcl5")
    return patient, factories.bearer(factories.staff(clinic))


@pytest.fixture
def bundle(client, patient_and_staff):
    patient, headers = patient_and_staff
    response = client.get(f"/v1/patients/{patient.id}/fhir", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    return response.get_json()


def resources(body: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_is_valid_fhir_r4(bundle):
    parsed = Bundle.model_validate(bundle)
    assert parsed.type == "collection"


def test_one_questionnaire_response_per_report_with_its_answers(bundle):
    responses = resources(bundle, "QuestionnaireResponse")
    assert len(responses) == 6  # 4 PHQ-9, 1 GAD-7, 1 PCL-5
    first = responses[0]
    assert first["questionnaire"].endswith("/Questionnaire/phq9|1")
    # 20 filled item by item: 3 x 6, then 2, then zeros (item 9 stays 0)
    assert [i["answer"][0]["valueInteger"] for i in first["item"]] == [3, 3, 3, 3, 3, 3, 2, 0, 0]


def test_totals_are_observations_with_the_instruments_loinc_code(bundle):
    codes = [o["code"]["coding"][0]["code"] for o in resources(bundle, "Observation") if "valueInteger" in o]
    assert codes.count("44261-6") == 4 and codes.count("70274-6") == 1
    phq9 = next(o for o in resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "44261-6")
    assert (phq9["valueInteger"], phq9["status"]) == (20, "final")


def test_panel_codes_group_the_totals(bundle):
    panels = [o for o in resources(bundle, "Observation") if "hasMember" in o]
    assert sorted({o["code"]["coding"][0]["code"] for o in panels}) == ["44249-1", "69737-5"]


def test_an_instrument_without_a_loinc_code_is_not_given_one(bundle):
    pcl5 = next(o for o in resources(bundle, "Observation") if o.get("valueInteger") == 33)
    assert pcl5["code"]["coding"][0]["system"] != "http://loinc.org"


def test_the_bundle_carries_no_name(bundle):
    assert "Harriet" not in str(bundle) and "Quill" not in str(bundle)
    assert resources(bundle, "Patient")[0].keys() == {"resourceType", "id"}


@pytest.fixture
def svg(client, patient_and_staff):
    patient, headers = patient_and_staff
    response = client.get(f"/v1/patients/{patient.id}/chart.svg", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    return response.get_data()


def test_chart_is_valid_svg(svg):
    root = ET.fromstring(svg)  # noqa: S314 (our own output, parsed to prove it is well-formed)
    assert root.tag == f"{SVG}svg"


def test_chart_has_no_patient_name_and_loads_no_script(svg):
    text = svg.decode()
    assert "Harriet" not in text and "Quill" not in text
    assert "Scores across the course" in text
    assert "<script" not in text


def test_chart_draws_each_instrument_and_marks_infusions_and_bands(svg):
    text = svg.decode()
    for label in ("PHQ-9", "GAD-7", "PCL-5", "Infusions", "Infusion 1", "Infusion 2", "Moderate (10)"):
        assert label in text, label


def test_chart_without_scores_says_so(client):
    clinic = factories.clinic()
    patient = factories.patient(clinic)
    response = client.get(f"/v1/patients/{patient.id}/chart.svg", headers=factories.bearer(factories.staff(clinic)))
    assert response.status_code == 200 and "No scores yet" in response.get_data(as_text=True)
    ET.fromstring(response.get_data())  # noqa: S314 (our own output)
