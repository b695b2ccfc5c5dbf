"""Clinic administration: staff accounts, machine clients and clinic settings."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from companion import instruments
from companion.auth import passwords
from companion.auth.principal import Principal
from companion.auth.tokens import revoke_all_sessions
from companion.errors import Conflict, NotFound, field_error
from companion.extensions import db
from companion.models import Account, AccountStatus, Clinic, Patient, Role, ServiceClient, TokenFamily
from companion.models.base import utcnow
from companion.services import nudges
from companion.services.enrollment import normalise_email
from companion.services.signin import new_client_secret


def account_for_update(principal: Principal, account_id: uuid.UUID) -> Account:
    account = db.session.get(Account, account_id)
    if account is None or account.clinic_id != principal.clinic_id or account.role == Role.PATIENT:
        raise NotFound("No staff member with this id in your clinic.")
    return account


def list_staff(principal: Principal) -> list[Account]:
    return list(
        db.session.scalars(
            select(Account)
            .where(Account.clinic_id == principal.clinic_id, Account.role.in_([Role.CLINICIAN, Role.ADMIN]))
            .order_by(Account.display_name, Account.id)
        )
    )


def deactivate_staff(principal: Principal, account_id: uuid.UUID) -> Account:
    account = account_for_update(principal, account_id)
    if account.id == principal.id:
        raise Conflict("You cannot deactivate your own account; ask another admin.")
    account.status = AccountStatus.DEACTIVATED
    revoke_all_sessions(account.id, "deactivated")
    db.session.commit()
    return account


def create_service_client(principal: Principal, name: str) -> tuple[ServiceClient, str]:
    secret = new_client_secret()
    client = ServiceClient(
        clinic_id=principal.clinic_id,
        client_id="svc_" + uuid.uuid4().hex[:20],
        secret_hash=passwords.hash_password(secret),
        name=name,
        role=Role.PUSH_SERVICE,
        created_by_id=principal.id,
    )
    db.session.add(client)
    db.session.commit()
    return client, secret


def list_service_clients(principal: Principal) -> list[ServiceClient]:
    return list(
        db.session.scalars(
            select(ServiceClient)
            .where(ServiceClient.clinic_id == principal.clinic_id)
            .order_by(ServiceClient.created_at)
        )
    )


def deactivate_service_client(principal: Principal, client_id: uuid.UUID) -> ServiceClient:
    client = db.session.get(ServiceClient, client_id)
    if client is None or client.clinic_id != principal.clinic_id:
        raise NotFound("No service client with this id in your clinic.")
    client.active = False
    now = utcnow()
    for family in db.session.scalars(
        select(TokenFamily).where(TokenFamily.service_client_id == client.id, TokenFamily.revoked_at.is_(None))
    ):
        family.revoked_at, family.revoked_reason = now, "deactivated"
    db.session.commit()
    return client


def clinic_of(principal: Principal) -> Clinic:
    clinic = db.session.get(Clinic, principal.clinic_id)
    if clinic is None:
        raise NotFound("Your clinic no longer exists.")
    return clinic


def update_clinic(principal: Principal, changes: dict) -> Clinic:
    clinic = clinic_of(principal)
    solid = changes.get("fasting_solid_hours", clinic.fasting_solid_hours)
    liquid = changes.get("fasting_clear_liquid_hours", clinic.fasting_clear_liquid_hours)
    if liquid > solid:
        raise field_error(
            "fasting_clear_liquid_hours",
            f"Clear liquids stop no earlier than food: use at most {solid} hours.",
        )
    for language, by_instrument in (changes.get("instrument_prompts") or {}).items():
        for instrument_id, overrides in by_instrument.items():
            try:
                instruments.with_prompts(instrument_id, overrides)
            except ValueError as exc:  # an item that does not exist would silently keep the default wording
                raise field_error(f"instrument_prompts.{language}.{instrument_id}", str(exc)) from exc
    for field, value in changes.items():
        setattr(clinic, field, value)
    if changes.keys() & {"fasting_solid_hours", "fasting_clear_liquid_hours", "checkin_offsets_hours"}:
        db.session.flush()
        patient_ids = list(db.session.scalars(select(Patient.id).where(Patient.clinic_id == clinic.id)))
        for start in range(0, len(patient_ids), 500):
            nudges.replan(patient_ids[start : start + 500])
    db.session.commit()
    return clinic


def create_clinic_with_admin(name: str, timezone: str, admin_email: str, admin_name: str, password: str) -> Account:
    """Bootstrap: a clinic and its first admin, active at once (used by the CLI)."""
    email = normalise_email(admin_email)
    if db.session.scalar(select(Account.id).where(Account.email == email)):
        raise Conflict(f"An account with {email} already exists.")
    clinic = Clinic(name=name, timezone=timezone)
    db.session.add(clinic)
    db.session.flush()
    admin = Account(
        clinic_id=clinic.id,
        role=Role.ADMIN,
        status=AccountStatus.ACTIVE,
        email=email,
        display_name=admin_name,
        password_hash=passwords.hash_password(password),
    )
    db.session.add(admin)
    db.session.commit()
    return admin
