"""A demo clinic so a newcomer can try every role within minutes. Refused in production."""

from __future__ import annotations

from sqlalchemy import select

from companion.auth import passwords
from companion.extensions import db
from companion.models import Account, AccountStatus, Clinic, Patient, Role, ServiceClient
from companion.services.staff import create_clinic_with_admin

DEMO_CLINIC = "Demo Infusion Clinic"
# Known on purpose: demo data for trying the roles, refused in production (see cli.demo).
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105
DEMO_CLIENT_ID = "svc_demo_push"
DEMO_CLIENT_SECRET = "demo-push-secret-2026"  # noqa: S105  # nosec B105
ADMIN_EMAIL = "admin@demo.example"
CLINICIAN_EMAIL = "clinician@demo.example"
PATIENT_EMAIL = "patient@demo.example"


def create_demo() -> list[str]:
    """Create the demo clinic once; running it again only prints how to sign in."""
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == DEMO_CLINIC))
    if clinic is None:
        admin = create_clinic_with_admin(DEMO_CLINIC, "America/New_York", ADMIN_EMAIL, "Demo Admin", DEMO_PASSWORD)
        hashed = passwords.hash_password(DEMO_PASSWORD)
        clinician = Account(
            clinic_id=admin.clinic_id,
            role=Role.CLINICIAN,
            status=AccountStatus.ACTIVE,
            email=CLINICIAN_EMAIL,
            display_name="Dr. Demo Clinician",
            password_hash=hashed,
        )
        patient_account = Account(
            clinic_id=admin.clinic_id,
            role=Role.PATIENT,
            status=AccountStatus.ACTIVE,
            email=PATIENT_EMAIL,
            display_name="Demo Patient",
            password_hash=hashed,
        )
        db.session.add_all([clinician, patient_account])
        db.session.flush()
        db.session.add(
            Patient(
                clinic_id=admin.clinic_id,
                account_id=patient_account.id,
                full_name="Demo Patient",
                preferred_language="en",
                timezone="America/New_York",
                enrolled_by_id=clinician.id,
            )
        )
        db.session.add(
            ServiceClient(
                clinic_id=admin.clinic_id,
                client_id=DEMO_CLIENT_ID,
                name="Demo push service",
                secret_hash=passwords.hash_password(DEMO_CLIENT_SECRET),
                role=Role.PUSH_SERVICE,
                created_by_id=admin.id,
            )
        )
        db.session.commit()
        header = f"Created {DEMO_CLINIC}."
    else:
        header = f"{DEMO_CLINIC} already exists."
    login = "curl -s -X POST localhost:5000/v1/auth/login -H 'Content-Type: application/json' -d"
    return [
        header,
        "Sign in as any of these (password for people: " + DEMO_PASSWORD + "):",
        f'  admin:     {login} \'{{"email": "{ADMIN_EMAIL}", "password": "{DEMO_PASSWORD}"}}\'',
        f'  clinician: {login} \'{{"email": "{CLINICIAN_EMAIL}", "password": "{DEMO_PASSWORD}"}}\'',
        f'  patient:   {login} \'{{"email": "{PATIENT_EMAIL}", "password": "{DEMO_PASSWORD}"}}\'',
        "  push service: curl -s -X POST localhost:5000/v1/auth/token -H 'Content-Type: application/json' -d "
        f'\'{{"grant_type": "client_credentials", "client_id": "{DEMO_CLIENT_ID}", '
        f'"client_secret": "{DEMO_CLIENT_SECRET}"}}\'',
        "Then send the access_token as 'Authorization: Bearer <token>'. API docs: http://localhost:5000/docs",
    ]
