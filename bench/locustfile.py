"""Load test: a realistic mix of patients, clinicians and the push service, plus two reference loads.

Classes (pick with the class names on the command line):
    PatientUser, ClinicianUser, PushUser  the product mix (weights 8 : 2 : 1)
    CeilingUser                           GET /healthz: the server's ceiling for a trivial JSON answer
    BareInsertUser                        POST /v1/me/devices: one authenticated insert, the yardstick
    SubmitterUser                         POST /v1/me/reports only, to compare with BareInsertUser
Reads bench/out/load_users.json written by bench/load_setup.py.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import UTC, datetime
from pathlib import Path

from locust import HttpUser, between, constant, task

USERS = json.loads((Path(__file__).resolve().parent / "out" / "load_users.json").read_text())
SLUGS = ["preparing-for-your-infusion", "how-a-session-goes", "side-effects-and-when-to-call", "course-of-treatment"]


def _now() -> str:
    return datetime.now(UTC).isoformat()


class _SignedIn(HttpUser):
    abstract = True

    def sign_in(self, email: str) -> None:
        body = self.client.post(
            "/v1/auth/login", json={"email": email, "password": USERS["password"]}, name="/v1/auth/login"
        ).json()
        self.client.headers["Authorization"] = f"Bearer {body['access_token']}"

    def report(self) -> None:
        answers = {f"phq9_{i}": random.randint(0, 2) for i in range(1, 10)}
        self.client.post(
            "/v1/me/reports",
            json={"instrument": "phq9", "answers": answers, "completed_at": _now()},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="/v1/me/reports",
        )


class PatientUser(_SignedIn):
    weight = 8
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        self.sign_in(random.choice(USERS["patients"])["email"])

    @task(3)
    def read_articles(self) -> None:
        self.client.get("/v1/articles", name="/v1/articles")

    @task(2)
    def read_article(self) -> None:
        self.client.get(f"/v1/articles/{random.choice(SLUGS)}", name="/v1/articles/[slug]")

    @task(3)
    def appointments(self) -> None:
        self.client.get("/v1/me/appointments", name="/v1/me/appointments")

    @task(2)
    def submit_report(self) -> None:
        self.report()

    @task(1)
    def log_side_effect(self) -> None:
        self.client.post(
            "/v1/me/side-effects",
            json={"symptom": "nausea", "severity": random.randint(0, 6), "onset_at": _now(), "duration_minutes": 20},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="/v1/me/side-effects",
        )

    @task(1)
    def inbox(self) -> None:
        self.client.get("/v1/me/notifications", name="/v1/me/notifications")


class ClinicianUser(_SignedIn):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.sign_in(USERS["clinician"])

    @task(3)
    def summary(self) -> None:
        patient = random.choice(USERS["patients"])["patient_id"]
        self.client.get(f"/v1/patients/{patient}/summary", name="/v1/patients/[id]/summary")

    @task(1)
    def panel(self) -> None:
        self.client.get("/v1/clinic/panel", name="/v1/clinic/panel")

    @task(1)
    def alerts(self) -> None:
        self.client.get("/v1/alerts?status=open", name="/v1/alerts")


class PushUser(HttpUser):
    weight = 1
    wait_time = constant(1)

    def on_start(self) -> None:
        grant = {"grant_type": "client_credentials", **USERS["push"]}
        token = self.client.post("/v1/auth/token", json=grant, name="/v1/auth/token").json()["access_token"]
        self.client.headers["Authorization"] = f"Bearer {token}"

    @task
    def lease_and_ack(self) -> None:
        leased = self.client.post("/v1/push/leases", json={"limit": 50}, name="/v1/push/leases").json()
        results = [{"nudge_id": n["nudge_id"], "outcome": "delivered"} for n in leased.get("nudges", [])]
        if results:
            self.client.post("/v1/push/reports", json={"results": results}, name="/v1/push/reports")


class CeilingUser(HttpUser):
    wait_time = constant(0)

    @task
    def health(self) -> None:
        self.client.get("/healthz", name="/healthz")


class BareInsertUser(_SignedIn):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.sign_in(random.choice(USERS["patients"])["email"])

    @task
    def register_device(self) -> None:
        self.client.post(
            "/v1/me/devices", json={"platform": "android", "token": uuid.uuid4().hex}, name="/v1/me/devices"
        )


class SubmitterUser(_SignedIn):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.sign_in(random.choice(USERS["patients"])["email"])

    @task
    def submit(self) -> None:
        self.report()
