import uuid
from datetime import datetime

from companion.models.base import utcnow

PHQ9_ITEMS = [f"phq9_{i}" for i in range(1, 10)]


def phq9(values: list[int]) -> dict[str, int]:
    return dict(zip(PHQ9_ITEMS, values, strict=True))


def submit(client, headers, *, key: str | None = None, completed_at: datetime | None = None, **body):
    payload = {"instrument": "phq9", "completed_at": (completed_at or utcnow()).isoformat(), **body}
    return client.post("/v1/me/reports", json=payload, headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())})


def log_effect(client, headers, *, key: str | None = None, **body):
    payload = {"symptom": "nausea", "severity": 3, "onset_at": utcnow().isoformat(), "duration_minutes": 30, **body}
    return client.post(
        "/v1/me/side-effects", json=payload, headers={**headers, "Idempotency-Key": key or str(uuid.uuid4())}
    )
