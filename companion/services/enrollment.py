"""Enrollment: staff invite patients and colleagues; an invitee activates with a one-time code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from companion.auth import codes, passwords
from companion.auth.principal import Principal
from companion.auth.tokens import IssuedTokens, start_account_session
from companion.errors import Conflict, NotFound, ValidationFailed, field_error
from companion.extensions import db
from companion.models import Account, AccountStatus, ActivationCode, Patient, Role
from companion.models.base import utcnow
from companion.services import audit


@dataclass(frozen=True)
class Invitation:
    account: Account
    code: str
    expires_at: datetime


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _issue_code(account: Account, created_by: Principal | None) -> Invitation:
    now = utcnow()
    # A new code replaces any earlier one still waiting, so only the newest letter works.
    db.session.execute(
        update(ActivationCode)
        .where(ActivationCode.account_id == account.id, ActivationCode.used_at.is_(None))
        .values(expires_at=now)
    )
    code = codes.new_code()
    expires_at = now + timedelta(hours=current_app.config["ENROLLMENT_CODE_HOURS"])
    db.session.add(
        ActivationCode(
            account_id=account.id,
            code_digest=codes.digest(code),
            expires_at=expires_at,
            created_by_id=created_by.id if created_by and created_by.kind == "account" else None,
        )
    )
    return Invitation(account, code, expires_at)


def _email_taken(email: str) -> bool:
    return db.session.scalar(select(Account.id).where(Account.email == email)) is not None


def enroll_patient(principal: Principal, data: dict) -> tuple[Patient, Invitation]:
    email = normalise_email(data["email"]) if data.get("email") else None
    if email and _email_taken(email):
        raise field_error("email", "This email is already in use.", Conflict)
    account = Account(
        clinic_id=principal.clinic_id,
        role=Role.PATIENT,
        status=AccountStatus.INVITED,
        email=email,
        display_name=data["full_name"],
    )
    db.session.add(account)
    db.session.flush()
    patient = Patient(
        clinic_id=principal.clinic_id,
        account_id=account.id,
        full_name=data["full_name"],
        preferred_language=data.get("preferred_language", "en"),
        timezone=data["timezone"],
        enrolled_by_id=principal.id,
    )
    db.session.add(patient)
    db.session.flush()
    invitation = _issue_code(account, principal)
    audit.record(principal, "patient.enroll", patient_id=patient.id)
    db.session.commit()
    return patient, invitation


def reissue_patient_code(principal: Principal, patient: Patient) -> Invitation:
    if patient.account.status != AccountStatus.INVITED:
        raise Conflict("This patient has already activated their account.")
    invitation = _issue_code(patient.account, principal)
    db.session.commit()
    return invitation


def invite_staff(principal: Principal, data: dict) -> Invitation:
    email = normalise_email(data["email"])
    if _email_taken(email):
        raise field_error("email", "This email is already in use.", Conflict)
    account = Account(
        clinic_id=principal.clinic_id,
        role=Role(data["role"]),
        status=AccountStatus.INVITED,
        email=email,
        display_name=data["display_name"],
    )
    db.session.add(account)
    db.session.flush()
    invitation = _issue_code(account, principal)
    db.session.commit()
    return invitation


def activate(code: str, password: str, email: str | None) -> IssuedTokens:
    """Turn an invitation into an active account and sign it in; each code works once."""
    now = utcnow()
    row = db.session.scalar(select(ActivationCode).where(ActivationCode.code_digest == codes.digest(code)))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise field_error("code", "This code is not valid or has expired; ask your clinic for a new one.", NotFound)
    account = row.account
    if account.status != AccountStatus.INVITED:
        raise field_error("code", "This account is already active; sign in instead.", Conflict)

    if account.email is None:
        if not email:
            raise field_error("email", "Choose the email address you will sign in with.")
        email = normalise_email(email)
        if _email_taken(email):
            raise field_error("email", "This email is already in use.", Conflict)
        account.email = email
    problems = passwords.password_problems(password, email=account.email)
    if problems:
        raise ValidationFailed("password: " + " ".join(problems), errors={"password": problems})

    claimed = db.session.execute(
        update(ActivationCode).where(ActivationCode.id == row.id, ActivationCode.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if not claimed:
        db.session.rollback()
        raise field_error("code", "This code has already been used.", Conflict)
    account.password_hash = passwords.hash_password(password)
    account.status = AccountStatus.ACTIVE
    account.last_login_at = now
    tokens = start_account_session(account)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise field_error("email", "This email is already in use.", Conflict) from exc
    return tokens
