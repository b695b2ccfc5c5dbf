"""A patient's self-reports as a FHIR R4 Bundle of type collection.

Each current report becomes a QuestionnaireResponse with its answers, and, when it has a total,
an Observation coded with the instrument's LOINC total code; where the instrument also has a
LOINC panel code, a panel Observation groups the total. The Patient entry carries only the id:
the receiving system already knows who the patient is.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from companion import instruments
from companion.extensions import db
from companion.models import Patient, SelfReport
from companion.models.base import utcnow
from companion.services.reports import current_only

BASE = "https://companion.example/fhir"
LOINC = "http://loinc.org"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


def _definition(report: SelfReport) -> instruments.Instrument:
    try:
        return instruments.get(f"{report.instrument_id}@{report.instrument_version}")
    except instruments.UnknownInstrument:
        return instruments.get(report.instrument_id)


def _entry(resource_id: uuid.UUID, resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource_id}", "resource": {"id": str(resource_id), **resource}}


def _questionnaire_response(report: SelfReport, definition: instruments.Instrument, subject: dict) -> dict:
    answers = report.answers or {}
    resource = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": f"{BASE}/self-report", "value": str(report.id)},
        "questionnaire": f"{BASE}/Questionnaire/{definition.id}|{definition.version}",
        "status": "completed",
        "subject": subject,
        "authored": report.completed_at.isoformat(),
    }
    items = [
        {"linkId": item_id, "answer": [{"valueInteger": answers[item_id]}]}
        for item_id in definition.item_ids
        if isinstance(answers.get(item_id), int)
    ]
    if items:  # FHIR refuses an empty list
        resource["item"] = items
    return _entry(report.id, resource)


def _code(definition: instruments.Instrument, code: str | None, what: str) -> dict:
    if code:
        return {"coding": [{"system": LOINC, "code": code, "display": f"{definition.title} {what}"}]}
    # No LOINC code known (e.g. PCL-5): a local code says what it is without claiming one.
    return {
        "coding": [{"system": f"{BASE}/CodeSystem/instrument-{what}", "code": definition.id}],
        "text": f"{definition.title} {what}",
    }


def _observations(report: SelfReport, definition: instruments.Instrument, subject: dict) -> list[dict]:
    source = [{"reference": f"urn:uuid:{report.id}"}]
    total_id = uuid.uuid5(report.id, "total")
    band = next((b.label for b in definition.bands if b.id == report.band), None)
    total = {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": _code(definition, definition.loinc_total, "total score"),
        "subject": subject,
        "effectiveDateTime": report.completed_at.isoformat(),
        "valueInteger": report.total,
        "derivedFrom": source,
    }
    if band:
        total["interpretation"] = [{"text": band}]
    found = [_entry(total_id, total)]
    if definition.loinc_panel:
        panel = {
            "resourceType": "Observation",
            "status": "final",
            "category": [SURVEY],
            "code": _code(definition, definition.loinc_panel, "panel"),
            "subject": subject,
            "effectiveDateTime": report.completed_at.isoformat(),
            "hasMember": [{"reference": f"urn:uuid:{total_id}"}],
            "derivedFrom": source,
        }
        found.append(_entry(uuid.uuid5(report.id, "panel"), panel))
    return found


def bundle(patient: Patient, now: datetime | None = None) -> dict:
    """The Bundle as a JSON-ready dict."""
    subject = {"reference": f"urn:uuid:{patient.id}"}
    entries = [_entry(patient.id, {"resourceType": "Patient"})]
    reports = db.session.scalars(
        select(SelfReport)
        .where(SelfReport.patient_id == patient.id, current_only())
        .order_by(SelfReport.completed_at, SelfReport.id)
    )
    for report in reports:
        definition = _definition(report)
        entries.append(_questionnaire_response(report, definition, subject))
        if report.total is not None:
            entries.extend(_observations(report, definition, subject))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": (now or utcnow()).isoformat(),
        "entry": entries,
    }
