"""Test data built straight through the models; sessions started the way sign-in starts them."""

from __future__ import annotations

import itertools

from companion.auth import passwords
from companion.auth.tokens import start_account_session, start_service_session
from companion.extensions import db
from companion.models import Account, AccountStatus, Clinic, Patient, Role, ServiceClient

PASSWORD = "a-long-test-passphrase"
_counter = itertools.count(1)


def clinic(name: str | None = None, **fields) -> Clinic:
    obj = Clinic(name=name or f"Clinic {next(_counter)}", **fields)
    db.session.add(obj)
    db.session.commit()
    return obj


def staff(in_clinic: Clinic, role: Role = Role.CLINICIAN, *, email: str | None = None, **fields) -> Account:
    account = Account(
        clinic_id=in_clinic.id,
        role=role,
        status=fields.pop("status", AccountStatus.ACTIVE),
        email=email or f"{role.value}{next(_counter)}@clinic.example",
        display_name=fields.pop("display_name", f"{role.value.title()} {next(_counter)}"),
        password_hash=passwords.hash_password(fields.pop("password", PASSWORD)),
        **fields,
    )
    db.session.add(account)
    db.session.commit()
    return account


def patient(in_clinic: Clinic, *, email: str | None = None, timezone: str = "America/New_York", **fields) -> Patient:
    name = fields.pop("full_name", f"Patient {next(_counter)}")
    account = Account(
        clinic_id=in_clinic.id,
        role=Role.PATIENT,
        status=fields.pop("status", AccountStatus.ACTIVE),
        email=email or f"patient{next(_counter)}@mail.example",
        display_name=name,
        password_hash=passwords.hash_password(fields.pop("password", PASSWORD)),
    )
    db.session.add(account)
    db.session.flush()
    obj = Patient(clinic_id=in_clinic.id, account_id=account.id, full_name=name, timezone=timezone, **fields)
    db.session.add(obj)
    db.session.commit()
    return obj


def service_client(in_clinic: Clinic, secret: str = "a-service-secret") -> ServiceClient:
    client = ServiceClient(
        clinic_id=in_clinic.id,
        client_id=f"svc_test_{next(_counter)}",
        name="Push",
        secret_hash=passwords.hash_password(secret),
        role=Role.PUSH_SERVICE,
    )
    db.session.add(client)
    db.session.commit()
    return client


def tokens_for(who: Account | Patient | ServiceClient) -> dict:
    if isinstance(who, ServiceClient):
        issued = start_service_session(who)
    else:
        issued = start_account_session(who.account if isinstance(who, Patient) else who)
    db.session.commit()
    return issued.as_dict()


def bearer(who: Account | Patient | ServiceClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens_for(who)['access_token']}"}
