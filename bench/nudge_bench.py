"""Benchmark: planning nudges for many patients, and leasing/acking through the delivery API.

    .venv/bin/python bench/nudge_bench.py --patients 100000       # SQLite file bench/out/nudges.db
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench_nudges \
        .venv/bin/python bench/nudge_bench.py --patients 100000

It wipes and migrates the target database, bulk-loads patients with an active course and one
upcoming infusion each (deterministic seed), then times the scheduler's planning tick and a
push worker draining due nudges through POST /v1/push/leases and /v1/push/reports.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta

from support import ROOT, progress, target_database

sys.path.insert(0, str(ROOT))  # the companion package, for the imports inside main()

ZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Australia/Sydney"]


def load(patients: int, seed: int, now: datetime) -> tuple[uuid.UUID, uuid.UUID]:
    from sqlalchemy import insert

    from companion.auth import passwords
    from companion.extensions import db
    from companion.models import Account, Appointment, Clinic, Device, Patient, ServiceClient, TreatmentCourse

    rng = random.Random(seed)
    clinic_id = uuid.uuid4()
    db.session.execute(
        insert(Clinic),
        [
            {
                "id": clinic_id,
                "name": "Bench clinic",
                "created_at": now,
                "updated_at": now,
                "timezone": "America/New_York",
                "require_two_factor": False,
                "fasting_solid_hours": 6,
                "fasting_clear_liquid_hours": 2,
                "crisis_resources": [],
                "checklist_items": [],
                "alert_rules": [],
                "instrument_prompts": {},
                "remission_thresholds": {},
                "checkin_offsets_hours": [4, 24, 168],
            }
        ],
    )
    client_id = uuid.uuid4()
    db.session.execute(
        insert(ServiceClient),
        [
            {
                "id": client_id,
                "clinic_id": clinic_id,
                "client_id": "svc_bench",
                "secret_hash": passwords.hash_password("bench-secret"),
                "name": "bench push",
                "role": "push_service",
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    batch = 2000
    for start in range(0, patients, batch):
        accounts, people, courses, visits, devices = [], [], [], [], []
        for _ in range(min(batch, patients - start)):
            account_id, patient_id, course_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
            zone = rng.choice(ZONES)
            accounts.append(
                {
                    "id": account_id,
                    "clinic_id": clinic_id,
                    "role": "patient",
                    "status": "active",
                    "email": None,
                    "display_name": "P",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            people.append(
                {
                    "id": patient_id,
                    "clinic_id": clinic_id,
                    "account_id": account_id,
                    "full_name": "P",
                    "preferred_language": "en",
                    "timezone": zone,
                    "muted_nudge_kinds": [],
                    "created_at": now,
                    "updated_at": now,
                }
            )
            courses.append(
                {
                    "id": course_id,
                    "clinic_id": clinic_id,
                    "patient_id": patient_id,
                    "indication": "depression",
                    "phase": "induction",
                    "planned_induction_infusions": 6,
                    "induction_window_days": 21,
                    "start_date": date(2026, 1, 1),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            visits.append(
                {
                    "id": uuid.uuid4(),
                    "clinic_id": clinic_id,
                    "patient_id": patient_id,
                    "course_id": course_id,
                    "starts_at": now + timedelta(hours=rng.randint(2, 72)),
                    "duration_minutes": 120,
                    "status": "scheduled",
                    "clinic_timezone": "America/New_York",
                    "patient_timezone": zone,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            devices.append(
                {
                    "id": uuid.uuid4(),
                    "patient_id": patient_id,
                    "platform": "ios",
                    "token": uuid.uuid4().hex,
                    "active": True,
                    "created_at": now,
                    "last_seen_at": now,
                }
            )
        for model, rows in (
            (Account, accounts),
            (Patient, people),
            (TreatmentCourse, courses),
            (Appointment, visits),
            (Device, devices),
        ):
            db.session.execute(insert(model), rows)
        db.session.commit()
        progress("loading patients", start + len(people), patients)
    return clinic_id, client_id


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would give a long-running database."""
    from sqlalchemy import text

    from companion.extensions import db

    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--drain", type=int, default=5_000, help="nudges to lease and ack through the API")
    parser.add_argument("--lease-batch", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = target_database("nudges.db")

    import time_machine
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select, update

    from companion import create_app
    from companion.auth.tokens import start_service_session
    from companion.extensions import db
    from companion.models import Nudge, ServiceClient
    from companion.scheduling import jobs

    app = create_app()
    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    with app.app_context():
        downgrade(revision="base")
        upgrade()
        _, client_id = load(args.patients, args.seed, now)
        _analyze()

        started = time.perf_counter()
        planned = jobs.plan_upcoming(now)
        planning = time.perf_counter() - started
        _analyze()  # as autovacuum would after a quarter of a million new rows
        rows = db.session.scalar(select(func.count()).select_from(Nudge))
        print(f"planning: {planned} patients, {rows} nudges in {planning:.1f} s ({planned / planning:,.0f} patients/s)")

        again = time.perf_counter()
        jobs.plan_upcoming(now)
        replanning = time.perf_counter() - again
        assert db.session.scalar(select(func.count()).select_from(Nudge)) == rows, "re-planning must not duplicate"
        print(f"re-planning unchanged: {replanning:.1f} s ({planned / replanning:,.0f} patients/s)")

        # The delivery path is measured on a backlog that is all due and fresh at once.
        due = now + timedelta(hours=1)
        db.session.execute(update(Nudge).values(due_at=due - timedelta(minutes=1), stale_at=due + timedelta(days=1)))
        db.session.commit()
        with time_machine.travel(due, tick=False):
            token = start_service_session(db.session.get(ServiceClient, client_id)).access_token
            db.session.commit()
            headers = {"Authorization": f"Bearer {token}"}
            http = app.test_client()
            done, started = 0, time.perf_counter()
            while done < args.drain:
                leased = http.post("/v1/push/leases", json={"limit": args.lease_batch}, headers=headers).get_json()
                if not leased["nudges"]:
                    break
                results = [{"nudge_id": n["nudge_id"], "outcome": "delivered"} for n in leased["nudges"]]
                http.post("/v1/push/reports", json={"results": results}, headers=headers)
                done += len(results)
                progress("lease + ack", min(done, args.drain), args.drain)
            elapsed = time.perf_counter() - started
        print(
            f"lease + ack through the API: {done} nudges in {elapsed:.1f} s ({done / elapsed:,.0f} nudges/s, "
            f"batches of {args.lease_batch})"
        )
        print(f"database: {db.engine.dialect.name} ({url.split('@')[-1]})")


if __name__ == "__main__":
    main()
