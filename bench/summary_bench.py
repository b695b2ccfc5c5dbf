"""Benchmark: the clinician's patient summary and the clinic panel over a year of data.

    .venv/bin/python bench/summary_bench.py                       # SQLite file bench/out/bench.db
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench .venv/bin/python bench/summary_bench.py

It wipes and migrates the target database, bulk-loads one clinic of patients (default 5,000)
with a year of weekly PHQ-9 and GAD-7, 6 to 10 infusions each with pre/post reports, side
effects, checklist ticks, some corrections, alerts and MADRS ratings (deterministic seed),
then times GET /v1/patients/{id}/summary and GET /v1/clinic/panel through the Flask test
client with a real clinician token, and prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

from support import ROOT, progress, target_database

sys.path.insert(0, str(ROOT))  # the companion package, for the imports inside main()

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)  # time is frozen here so every run builds the same data
SYMPTOMS = ["dissociation", "nausea", "dizziness", "headache", "raised_blood_pressure", "drowsiness", "anxiety"]
CHECKLIST = ["stop_solid_food", "stop_clear_liquids", "ride_home", "no_driving", "medication_list"]
INDUCTION_DAYS = [0, 2, 4, 7, 9, 11]


class Builder:
    """Rows for one clinic, made patient by patient and inserted in batches."""

    def __init__(self, clinic_id: uuid.UUID, rng: random.Random) -> None:
        from companion import instruments

        self.clinic_id, self.rng = clinic_id, rng
        self.rows: dict[str, list[dict]] = {}
        self.scored = {}  # (instrument, total) -> (answers, band): scoring once per total keeps loading quick
        for name in ("phq9", "gad7"):
            definition = instruments.get(name)
            for total in range(definition.max_total + 1):
                answers, left = {}, total
                for item in definition.items:
                    value = 0 if item.safety_flag else min(item.max_value, left)
                    answers[item.id], left = value, left - value
                if left == 0:
                    self.scored[name, total] = (answers, instruments.score(definition, answers).band)

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, table: str, **row) -> dict:
        self.rows.setdefault(table, []).append({"id": self.uid(), **row})
        return self.rows[table][-1]

    def report(self, patient, name, total, at, course_id=None, appointment_id=None, phase=None, **extra) -> dict:
        top = 24 if name == "phq9" else 21  # PHQ-9 item 9 stays 0: this bench is not about safety events
        answers, band = self.scored[name, max(0, min(top, round(total)))]
        return self.add(
            "reports",
            clinic_id=self.clinic_id,
            patient_id=patient,
            course_id=course_id,
            appointment_id=appointment_id,
            phase=phase,
            instrument_id=name,
            instrument_version="1",
            answers=answers,
            total=sum(answers.values()),
            band=band,
            completed_at=at,
            received_at=at + timedelta(minutes=2),
            **extra,
        )

    def patient(self, n: int) -> uuid.UUID:
        rng, clinic_id = self.rng, self.clinic_id
        account = self.add("accounts", clinic_id=clinic_id, role="patient", status="active", display_name="P")
        account["email"] = f"bench-patient-{n}@mail.example"
        patient = self.add(
            "patients",
            clinic_id=clinic_id,
            account_id=account["id"],
            full_name=f"Bench Patient {n:05d}",
            timezone="America/New_York",
        )["id"]
        start = NOW - timedelta(days=rng.randint(20, 330))
        phase = rng.choices(["induction", "maintenance", "paused", "ended"], [45, 45, 5, 5])[0]
        course = self.add(
            "courses",
            clinic_id=clinic_id,
            patient_id=patient,
            indication="depression",
            phase=phase,
            start_date=start.date(),
            ended_at=NOW if phase == "ended" else None,
        )["id"]
        days = INDUCTION_DAYS + [11 + 28 * k + rng.randint(-4, 4) for k in range(1, 5)]
        infusions = []
        for day in days[: rng.randint(6, 10)]:
            starts = start.replace(hour=rng.choice([13, 15, 17]), minute=0) + timedelta(days=day)
            if starts > NOW + timedelta(days=14):
                break
            status = rng.choices(["completed", "no_show", "cancelled"], [90, 5, 5])[0] if starts < NOW else "scheduled"
            infusions.append(
                self.add(
                    "appointments",
                    clinic_id=clinic_id,
                    patient_id=patient,
                    course_id=course,
                    starts_at=starts,
                    status=status,
                    clinic_timezone="America/New_York",
                    patient_timezone="America/New_York",
                )
            )
        first = infusions[0]["starts_at"]
        baseline = rng.randint(12, 24)
        target = baseline * (0.3 if rng.random() < 0.55 else 0.8)

        def level(at: datetime, scale: float = 1.0) -> float:
            if at < first:
                return baseline * scale + rng.gauss(0, 1.5)
            fade = math.exp(-(at - first).days / 14)
            return (target + (baseline - target) * fade) * scale + rng.gauss(0, 2)

        week = NOW - timedelta(days=365)
        while week < NOW:
            at = week + timedelta(hours=rng.randint(0, 12))
            sent = self.report(patient, "phq9", level(at), at, course if at >= start else None)
            if rng.random() < 0.01:  # a corrected report: only the correction counts
                self.report(patient, "phq9", sent["total"] + 1, at + timedelta(hours=1), supersedes_id=sent["id"])
            self.report(patient, "gad7", level(at, 0.75), at + timedelta(minutes=10))
            week += timedelta(days=7)
        for visit in infusions:
            at, done = visit["starts_at"], visit["status"] == "completed"
            if done and rng.random() < 0.95:
                self.report(patient, "phq9", level(at), at - timedelta(hours=2), course, visit["id"], "pre")
            if done and at + timedelta(hours=19) < NOW and rng.random() < 0.85:
                self.report(patient, "phq9", level(at), at + timedelta(hours=19), course, visit["id"], "post")
            for key in CHECKLIST[: rng.randint(0, 5)] if visit["status"] != "cancelled" else []:
                self.add("ticks", appointment_id=visit["id"], item_key=key, ticked_at=at - timedelta(hours=20))
            for _ in range(rng.choice([0, 1, 1, 2, 3]) if done else 0):
                ongoing = rng.random() < 0.05
                onset = at + timedelta(minutes=rng.randint(5, 90))
                self.add(
                    "side_effects",
                    clinic_id=clinic_id,
                    patient_id=patient,
                    appointment_id=visit["id"],
                    symptom=rng.choice(SYMPTOMS),
                    severity=rng.randint(1, 7),
                    onset_at=onset,
                    duration_minutes=None if ongoing else rng.randint(10, 180),
                    ongoing=ongoing,
                    reported_at=onset + timedelta(minutes=30),
                )
        if rng.random() < 0.2:
            for k in range(0, 12):
                at = first - timedelta(days=1) + timedelta(days=28 * k)
                if at < NOW:
                    self.add(
                        "ratings",
                        clinic_id=clinic_id,
                        patient_id=patient,
                        instrument="madrs",
                        total=max(0, round(level(at) * 1.6)),
                        rated_at=at,
                    )
        if rng.random() < 0.09:
            source = rng.choice(self.rows["reports"][-20:])
            self.add(
                "alerts",
                clinic_id=clinic_id,
                patient_id=patient,
                reason="clinic_rule:phq9",
                source_type="self_report",
                source_id=source["id"],
                status=rng.choice(["open", "resolved"]),
                raised_at=source["completed_at"],
            )
        return patient

    def flush(self) -> None:
        from sqlalchemy import insert

        from companion import models as m
        from companion.extensions import db

        tables = [
            ("accounts", m.Account),
            ("patients", m.Patient),
            ("courses", m.TreatmentCourse),
            ("appointments", m.Appointment),
            ("reports", m.SelfReport),
            ("ticks", m.ChecklistTick),
            ("side_effects", m.SideEffect),
            ("ratings", m.ClinicianRating),
            ("alerts", m.Alert),
        ]
        for name, model in tables:
            rows = self.rows.pop(name, [])
            corrections = [r for r in rows if r.get("supersedes_id")]
            originals = [r for r in rows if not r.get("supersedes_id")] if corrections else rows
            for chunk in (originals, corrections):  # a correction names a report that must exist first
                if chunk:
                    db.session.execute(
                        insert(model), [{"supersedes_id": None, **r} for r in chunk] if name == "reports" else chunk
                    )
        db.session.commit()


def load(patients: int, seed: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    from sqlalchemy import insert

    from companion.extensions import db
    from companion.models import Account, Clinic

    rng = random.Random(seed)
    clinic_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    db.session.execute(insert(Clinic), [{"id": clinic_id, "name": "Bench clinic"}])
    builder = Builder(clinic_id, rng)
    clinician = builder.add(
        "accounts", clinic_id=clinic_id, role="clinician", status="active", display_name="Bench clinician"
    )
    clinician["email"] = "bench-clinician@clinic.example"
    db.session.execute(insert(Account), builder.rows.pop("accounts"))
    ids, batch = [], 250
    for n in range(patients):
        ids.append(builder.patient(n))
        if len(ids) % batch == 0 or len(ids) == patients:
            builder.flush()
            progress("loading patients", len(ids), patients)
    return clinician["id"], ids


def _timed(client, path: str, headers: dict, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return times


def _line(label: str, times: list[float]) -> str:
    p = statistics.quantiles(times, n=100, method="inclusive")
    return f"{label:<34} n={len(times):<4} p50={p[49]:8.1f} ms  p95={p[94]:8.1f} ms  max={max(times):8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5_000)
    parser.add_argument("--summaries", type=int, default=200, help="random patients whose summary is timed")
    parser.add_argument("--panel-runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = target_database("bench.db")

    import time_machine
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import event, func, select, text

    from companion import create_app
    from companion.auth.tokens import start_account_session
    from companion.extensions import db
    from companion.models import Account, SelfReport

    app = create_app()
    with time_machine.travel(NOW, tick=True), app.app_context():
        started = time.perf_counter()
        downgrade(revision="base")
        upgrade()
        clinician_id, patient_ids = load(args.patients, args.seed)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))  # fresh bulk load: give the planner real statistics
            db.session.commit()
        reports = db.session.scalar(select(func.count()).select_from(SelfReport))
        print(f"loaded {len(patient_ids)} patients, {reports} reports in {time.perf_counter() - started:.0f} s")

        client = app.test_client()
        token = start_account_session(db.session.get(Account, clinician_id)).access_token
        db.session.commit()
        headers = {"Authorization": f"Bearer {token}"}
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

        sample = random.Random(args.seed + 1).sample(patient_ids, args.summaries)
        _timed(client, f"/v1/patients/{sample[0]}/summary", headers, 3)  # warm caches and the pool
        statements.clear()
        summary_times = []
        for n, patient_id in enumerate(sample, 1):
            summary_times += _timed(client, f"/v1/patients/{patient_id}/summary", headers, 1)
            if n % 20 == 0 or n == len(sample):
                progress("summaries", n, len(sample))
        per_summary = len(statements) / len(sample)
        _timed(client, "/v1/clinic/panel", headers, 1)
        statements.clear()
        panel = _panel(client, headers, args.panel_runs)
        per_panel = len(statements) / (3 * args.panel_runs)
        dialect = db.engine.dialect.name

    print(f"database: {dialect} ({url.split('@')[-1]}), {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(_line("GET /patients/{id}/summary", summary_times), f"statements/request={per_summary:.0f}")
    print(f"panel ({per_panel:.0f} statements/request):")
    for label, times in panel.items():
        print(_line(label, times))
    print("load average during the run: " + " ".join(f"{n:.2f}" for n in os.getloadavg()))


def _panel(client, headers: dict, runs: int) -> dict[str, list[float]]:
    return {
        f"GET /clinic/panel{query}": _timed(client, f"/v1/clinic/panel?per_page=50&{query[1:]}", headers, runs)
        for query in ("", "?sort=last_report", "?flag=worsening")
    }


if __name__ == "__main__":
    main()
