import threading
from datetime import timedelta

import pytest
import time_machine

from companion.extensions import db
from companion.models import Alert, IdempotencyKey, SelfReport
from companion.models.base import utcnow
from tests import factories
from tests.reports.helpers import phq9, submit

POSITIVE = phq9([1, 1, 1, 1, 1, 1, 1, 1, 2])


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def patient():
    return factories.patient(factories.clinic())


def test_a_retry_replays_the_first_answer_including_crisis_guidance(client, patient):
    headers = factories.bearer(patient)
    completed = utcnow()
    first = submit(client, headers, key="retry-key-0001", completed_at=completed, answers=POSITIVE)
    again = submit(client, headers, key="retry-key-0001", completed_at=completed, answers=POSITIVE)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["safety"]["crisis_resources"]
    assert count(SelfReport) == 1 and count(Alert) == 1


def test_same_key_with_another_body_is_refused(client, patient):
    headers = factories.bearer(patient)
    completed = utcnow()
    submit(client, headers, key="reused-key-0001", completed_at=completed, answers=phq9([0] * 9))
    other = submit(client, headers, key="reused-key-0001", completed_at=completed, answers=phq9([1] * 9))
    assert other.status_code == 422 and "Idempotency-Key" in other.get_json()["errors"]
    assert count(SelfReport) == 1


def test_keys_are_scoped_per_user(client):
    clinic = factories.clinic()
    a, b = factories.patient(clinic), factories.patient(clinic)
    completed = utcnow()
    submit(client, factories.bearer(a), key="shared-key-0001", completed_at=completed, answers=phq9([0] * 9))
    theirs = submit(client, factories.bearer(b), key="shared-key-0001", completed_at=completed, answers=phq9([0] * 9))
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs.headers
    assert count(SelfReport) == 2


def test_a_retry_while_the_first_is_running_gets_409_until_its_claim_times_out(client, patient, monkeypatch):
    from companion.api import idempotency

    # Pin the body digest so a claim can be planted exactly as a running first request leaves it.
    digest = "d" * 64
    monkeypatch.setattr(idempotency, "_digest", lambda: digest)
    db.session.add(
        IdempotencyKey(
            owner=f"account:{patient.account_id}",
            key="inflight-key-1",
            endpoint="POST /v1/me/reports",
            request_digest=digest,
            expires_at=utcnow() + timedelta(days=30),
        )
    )
    db.session.commit()
    completed = utcnow()
    busy = submit(
        client, factories.bearer(patient), key="inflight-key-1", completed_at=completed, answers=phq9([0] * 9)
    )
    assert busy.status_code == 409 and busy.headers["Retry-After"] == "1"
    assert count(SelfReport) == 0
    # A claim left by a process that died is taken over once its lock has timed out.
    with time_machine.travel(utcnow() + timedelta(minutes=2), tick=False):
        taken = submit(
            client, factories.bearer(patient), key="inflight-key-1", completed_at=completed, answers=phq9([0] * 9)
        )
    assert taken.status_code == 201 and count(SelfReport) == 1


def test_missing_key_is_refused(client, patient):
    response = client.post(
        "/v1/me/reports",
        json={"instrument": "phq9", "answers": phq9([0] * 9), "completed_at": utcnow().isoformat()},
        headers=factories.bearer(patient),
    )
    assert response.status_code == 422 and "Idempotency-Key" in response.get_json()["errors"]


def test_a_failed_attempt_frees_the_key_for_a_corrected_retry(client, patient):
    headers = factories.bearer(patient)
    bad = submit(client, headers, key="fix-then-retry", answers=phq9([9] * 9))
    assert bad.status_code == 422
    good = submit(client, headers, key="fix-then-retry", answers=phq9([1] * 9))
    assert good.status_code == 201


def test_keys_expire_after_thirty_days(client, patient):
    headers = factories.bearer(patient)
    completed = utcnow()
    submit(client, headers, key="old-key-000001", completed_at=completed, answers=phq9([0] * 9))
    with time_machine.travel(utcnow() + timedelta(days=31), tick=False):
        from companion.api.idempotency import purge_expired

        assert purge_expired() == 1
    assert count(IdempotencyKey) == 0


def test_fifty_concurrent_retries_store_one_report_and_one_alert(app):
    with app.app_context():
        patient = factories.patient(factories.clinic())
        headers = factories.bearer(patient)
    completed = utcnow()
    barrier = threading.Barrier(50)
    statuses: list[int] = []
    lock = threading.Lock()

    def retry():
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            response = submit(client, headers, key="storm-key-00001", completed_at=completed, answers=POSITIVE)
            with lock:
                statuses.append(response.status_code)

    threads = [threading.Thread(target=retry) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {201, 409} and 201 in statuses
    db.session.expire_all()
    assert count(SelfReport) == 1
    assert count(Alert) == 1
