"""Patients as their clinic sees them, and as they see themselves."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from companion.auth.principal import Principal
from companion.errors import Forbidden, NotFound
from companion.extensions import db
from companion.models import Account, AccountStatus, Alert, AuditEvent, Patient, SelfReport, SideEffect
from companion.models.base import utcnow
from companion.services import appointments, audit, courses, nudges
from companion.services.appointment_view import present
from companion.services.paging import page_of


def for_staff(principal: Principal, patient_id: uuid.UUID, action: str) -> Patient:
    """A patient of the caller's clinic, or 404: another clinic's patient looks like no patient at all.

    The access (or refused access) is audit-logged and committed before anything is returned, so the
    trail holds even when the action that follows fails.
    """
    patient = db.session.get(Patient, patient_id)
    if patient is None or patient.clinic_id != principal.clinic_id:
        audit.record_now(principal, action, target_id=patient_id, outcome="not_found")
        raise NotFound("No patient with this id in your clinic.")
    audit.record_now(principal, action, patient_id=patient.id)
    return patient


_PLANNING_SETTINGS = {"timezone", "quiet_hours_start", "quiet_hours_end", "muted_nudge_kinds"}


def own(principal: Principal) -> Patient:
    if principal.patient_id is None:
        raise Forbidden("Only patients have a patient profile.")
    patient = db.session.get(Patient, principal.patient_id)
    if patient is None:
        raise NotFound("No patient profile for this account.")
    return patient


def list_for_clinic(
    principal: Principal, *, status: str | None, search: str | None, page: int, per_page: int
) -> tuple[list[Patient], int]:
    query = (
        select(Patient).join(Account, Account.id == Patient.account_id).where(Patient.clinic_id == principal.clinic_id)
    )
    if status:
        query = query.where(Account.status == AccountStatus(status))
    if search:
        query = query.where(func.lower(Patient.full_name).contains(search.lower(), autoescape=True))
    rows, total = page_of(query, Patient.full_name, Patient.id, page=page, per_page=per_page)
    audit.record_now(principal, "patient.list")
    return rows, total


def update_profile(principal: Principal, changes: dict) -> Patient:
    patient = own(principal)
    for field, value in changes.items():
        setattr(patient, field, value)
    if changes.keys() & _PLANNING_SETTINGS:
        # A new zone, quiet hours or muted kinds re-plan pending reminders in the same transaction.
        db.session.flush()
        nudges.replan([patient.id])
    db.session.commit()
    return patient


def export(principal: Principal) -> dict:
    """Everything the service holds about the calling patient (right of access)."""
    patient = own(principal)
    account = patient.account
    access_log = db.session.scalars(
        select(AuditEvent).where(AuditEvent.patient_id == patient.id).order_by(AuditEvent.occurred_at)
    ).all()
    return {
        "generated_at": utcnow(),
        "account": {
            "email": account.email,
            "status": account.status.value,
            "created_at": account.created_at,
            "last_login_at": account.last_login_at,
        },
        "profile": patient,
        "clinic": {"id": patient.clinic_id, "name": account.clinic.name},
        "access_log": access_log,
        "courses": courses.for_patient(patient),
        "appointments": present(appointments.of_patient(patient.id)),
        "self_reports": list(
            db.session.scalars(
                select(SelfReport).where(SelfReport.patient_id == patient.id).order_by(SelfReport.completed_at)
            )
        ),
        "side_effects": list(
            db.session.scalars(
                select(SideEffect).where(SideEffect.patient_id == patient.id).order_by(SideEffect.onset_at)
            )
        ),
        "alerts": list(
            db.session.scalars(select(Alert).where(Alert.patient_id == patient.id).order_by(Alert.raised_at))
        ),
    }
