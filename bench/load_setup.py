"""Prepare a database for the load test: a clinic with staff, a push client and patients who can sign in.

    .venv/bin/python bench/load_setup.py --patients 200      # DATABASE_URL, or bench/out/load.db

Wipes and migrates the target, loads the content library, and writes the sign-in details the
locustfile reads to bench/out/load_users.json. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import uuid
from datetime import UTC, datetime, timedelta

from support import OUT, ROOT, target_database

sys.path.insert(0, str(ROOT))  # the companion package, for the imports inside main()

PASSWORD = "load-test-passphrase"  # noqa: S105 (throwaway load-test accounts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    url = target_database("load.db")

    from flask_migrate import downgrade, upgrade

    from companion import create_app
    from companion.auth import passwords
    from companion.extensions import db
    from companion.models import (
        Account,
        AccountStatus,
        Appointment,
        Clinic,
        Patient,
        Role,
        SelfReport,
        ServiceClient,
        TreatmentCourse,
    )
    from companion.services.content_library import load_library

    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    app = create_app()
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            downgrade(revision="base")
        upgrade()
        load_library()
        clinic = Clinic(name="Load clinic", timezone="America/New_York")
        db.session.add(clinic)
        db.session.flush()
        hashed = passwords.hash_password(PASSWORD)
        staff = []
        for role in (Role.CLINICIAN, Role.ADMIN):
            account = Account(
                clinic_id=clinic.id,
                role=role,
                status=AccountStatus.ACTIVE,
                password_hash=hashed,
                email=f"{role.value}@load.example",
                display_name=role.value.title(),
            )
            db.session.add(account)
            staff.append(account.email)
        secret = uuid.uuid4().hex
        db.session.add(
            ServiceClient(
                clinic_id=clinic.id,
                client_id="svc_load",
                name="load push",
                secret_hash=passwords.hash_password(secret),
                role=Role.PUSH_SERVICE,
            )
        )
        people = []
        for n in range(args.patients):
            account = Account(
                clinic_id=clinic.id,
                role=Role.PATIENT,
                status=AccountStatus.ACTIVE,
                password_hash=hashed,
                email=f"patient{n}@load.example",
                display_name=f"Patient {n}",
            )
            db.session.add(account)
            db.session.flush()
            patient = Patient(
                clinic_id=clinic.id,
                account_id=account.id,
                full_name=f"Patient {n}",
                timezone=rng.choice(["America/New_York", "Europe/London", "Australia/Sydney"]),
            )
            db.session.add(patient)
            db.session.flush()
            course = TreatmentCourse(
                clinic_id=clinic.id,
                patient_id=patient.id,
                indication="depression",
                start_date=(now - timedelta(days=60)).date(),
            )
            db.session.add(course)
            db.session.flush()
            for week in range(8):
                starts = now - timedelta(days=56 - 7 * week, hours=rng.randint(0, 5))
                db.session.add(
                    Appointment(
                        clinic_id=clinic.id,
                        patient_id=patient.id,
                        course_id=course.id,
                        starts_at=starts,
                        status="completed",
                        clinic_timezone=clinic.timezone,
                        patient_timezone=patient.timezone,
                    )
                )
                total = max(0, 20 - 2 * week + rng.randint(-2, 2))
                answers = {f"phq9_{i}": min(3, total // 9 + (1 if i <= total % 9 else 0)) for i in range(1, 10)}
                db.session.add(
                    SelfReport(
                        clinic_id=clinic.id,
                        patient_id=patient.id,
                        course_id=course.id,
                        instrument_id="phq9",
                        instrument_version="1",
                        answers=answers,
                        total=sum(answers.values()),
                        completed_at=starts - timedelta(hours=2),
                        received_at=starts,
                    )
                )
            db.session.add(
                Appointment(
                    clinic_id=clinic.id,
                    patient_id=patient.id,
                    course_id=course.id,
                    starts_at=now + timedelta(days=3, hours=n % 8),
                    clinic_timezone=clinic.timezone,
                    patient_timezone=patient.timezone,
                )
            )
            people.append({"email": account.email, "patient_id": str(patient.id)})
        db.session.commit()
    (OUT / "load_users.json").write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "patients": people,
                "clinician": staff[0],
                "admin": staff[1],
                "push": {"client_id": "svc_load", "client_secret": secret},
            }
        )
    )
    print(f"prepared {args.patients} patients on {url.split('@')[-1]}")


if __name__ == "__main__":
    main()
