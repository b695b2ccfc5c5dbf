"""Every submission that was answered 201 survives the server being killed with SIGKILL mid-stream."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
import uuid

from companion.extensions import db
from companion.models import SelfReport
from companion.models.base import utcnow
from tests import factories, servers


def _submit(port: int, token: str) -> str | None:
    """One report; its id when the server answered 201, else None."""
    body = json.dumps({"instrument": "pain_nrs", "answers": {"pain_nrs_1": 4}, "completed_at": utcnow().isoformat()})
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/me/reports",
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": str(uuid.uuid4()),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return json.load(response)["report"]["id"] if response.status == 201 else None
    except (OSError, http.client.HTTPException, ValueError, KeyError):
        return None  # the kill cut this one off mid-answer: not acknowledged


def test_acknowledged_submissions_survive_sigkill(app):
    patient = factories.patient(factories.clinic())
    token = factories.tokens_for(patient)["access_token"]
    db.session.commit()
    port = servers.free_port()
    server = servers.start_gunicorn(port)
    acknowledged: list[str] = []
    stop = threading.Event()

    def stream():
        while not stop.is_set():
            report_id = _submit(port, token)
            if report_id:
                acknowledged.append(report_id)

    senders = [threading.Thread(target=stream) for _ in range(4)]
    for sender in senders:
        sender.start()
    try:
        deadline = time.monotonic() + 20
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        servers.kill(server)  # master and workers, mid-stream
    finally:
        stop.set()
        for sender in senders:
            sender.join()
    assert len(acknowledged) >= 40, "the stream was too slow to make the test meaningful"

    restarted = servers.start_gunicorn(port)
    try:
        db.session.expire_all()
        stored = {
            str(i) for i in db.session.scalars(db.select(SelfReport.id).where(SelfReport.patient_id == patient.id))
        }
        missing = set(acknowledged) - stored
        assert not missing, f"{len(missing)} acknowledged submissions were lost"
        assert _submit(port, token) is not None  # and the restarted server serves again
    finally:
        servers.kill(restarted)
