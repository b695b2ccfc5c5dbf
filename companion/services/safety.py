"""The safety path: what raises an alert, and the guidance the patient sees at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from companion.content import safety_texts
from companion.extensions import db
from companion.instruments import Score
from companion.models import Alert, Clinic, Patient, SelfReport, SideEffect, Symptom
from companion.services import nudges
from companion.timeutil import in_zone

SEVERE_SEVERITY = 8
ALWAYS_SEVERE = frozenset({Symptom.CHEST_PAIN, Symptom.FAINTING})
SUICIDALITY = "suicidality_item_positive"
SEVERE_SIDE_EFFECT = "severe_side_effect"


@dataclass(frozen=True)
class Guidance:
    reasons: tuple[str, ...]
    message: str
    crisis_resources: list[dict]
    notice: str


def report_reasons(clinic: Clinic, report: SelfReport, score: Score) -> list[str]:
    reasons = [SUICIDALITY] if score.safety_event else []
    for rule in clinic.alert_rules or []:
        wanted = rule.get("instrument")
        if wanted == report.instrument_id and score.total is not None and score.total >= rule["total_at_least"]:
            reasons.append(f"clinic_rule:{wanted}>={rule['total_at_least']}")
    return reasons


def side_effect_reasons(clinic: Clinic, effect: SideEffect, zone: str, now: datetime) -> list[str]:
    """Severe: severity 8+, chest pain or fainting, or dissociation still present on a later local day."""
    reasons = []
    lingering = (
        effect.symptom == Symptom.DISSOCIATION
        and effect.ongoing
        and in_zone(effect.onset_at, zone).date() < in_zone(now, zone).date()
    )
    if effect.severity >= SEVERE_SEVERITY or effect.symptom in ALWAYS_SEVERE or lingering:
        reasons.append(SEVERE_SIDE_EFFECT)
    for rule in clinic.alert_rules or []:
        if rule.get("symptom") == effect.symptom.value and effect.severity >= rule["severity_at_least"]:
            reasons.append(f"clinic_rule:{rule['symptom']}>={rule['severity_at_least']}")
    return reasons


def raise_alerts(patient: Patient, source_type: str, source_id: uuid.UUID, reasons: list[str]) -> list[Alert]:
    """Add the alerts to the caller's transaction, so they exist exactly when the report does."""
    existing = set(
        db.session.scalars(select(Alert.reason).where(Alert.source_type == source_type, Alert.source_id == source_id))
    )
    alerts = [
        Alert(
            id=uuid.uuid4(),
            clinic_id=patient.clinic_id,
            patient_id=patient.id,
            reason=reason,
            source_type=source_type,
            source_id=source_id,
        )
        for reason in reasons
        if reason not in existing
    ]
    db.session.add_all(alerts)
    for alert in alerts:
        # The push follow-up's key carries the alert's id only, never what raised it.
        nudges.enqueue_safety(patient, str(alert.id))
    return alerts


def guidance(clinic: Clinic, language: str, reasons: list[str]) -> Guidance | None:
    if not reasons:
        return None
    texts = safety_texts()
    most_urgent = next((r for r in (SUICIDALITY, SEVERE_SIDE_EFFECT) if r in reasons), "clinic_rule")

    def text(key: str) -> str:
        return texts[key].get(language, texts[key]["en"])

    return Guidance(tuple(reasons), text(most_urgent), list(clinic.crisis_resources or []), text("not_monitored"))
