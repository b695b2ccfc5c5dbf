"""The push service leases due nudges, reports outcomes, and nothing is lost or sent twice."""

import threading
from datetime import timedelta

import pytest
import time_machine

from companion.extensions import db
from companion.models import Device, Nudge, NudgeStatus
from companion.scheduling import jobs
from companion.services import delivery
from tests import factories
from tests.nudges.conftest import INFUSION, NOW, nudges_of

DAY_BEFORE = INFUSION.replace(day=5, hour=18)


def register(client, patient, token="tok-ios-000001", platform="ios"):
    return client.post(
        "/v1/me/devices",
        json={"platform": platform, "token": token, "app_version": "1.4.0"},
        headers=factories.bearer(patient),
    )


def lease(client, push, **body):
    return client.post("/v1/push/leases", json=body, headers=factories.bearer(push))


def report(client, push, *results):
    return client.post("/v1/push/reports", json={"results": list(results)}, headers=factories.bearer(push))


def test_devices_register_once_and_refresh_when_seen_again(client, world):
    with time_machine.travel(NOW, tick=False):
        first = register(client, world["patient"])
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        again = register(client, world["patient"])
        listed = client.get("/v1/me/devices", headers=factories.bearer(world["patient"])).get_json()
    assert (first.status_code, again.status_code) == (201, 200)
    assert len(listed) == 1 and listed[0]["last_seen_at"].startswith("2026-05-05")
    assert "token" not in listed[0] and listed[0]["token_ending"] == "000001"


def test_nothing_is_leased_before_it_is_due(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
        assert lease(client, world["push"]).get_json()["nudges"] == []


def test_due_nudge_is_leased_with_tokens_and_a_text_without_health_details(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
    with time_machine.travel(DAY_BEFORE + timedelta(minutes=1), tick=False):
        leased = lease(client, world["push"], limit=10).get_json()["nudges"]
    assert [n["kind"] for n in leased] == ["preparation_day_before"]
    item = leased[0]
    assert item["devices"][0]["token"] == "tok-ios-000001" and item["attempt"] == 1
    assert "04:00" in item["body"] and "infusion" not in item["body"].lower()


def test_delivered_is_recorded_once_and_never_leased_again(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
    with time_machine.travel(DAY_BEFORE + timedelta(minutes=1), tick=False):
        nudge_id = lease(client, world["push"]).get_json()["nudges"][0]["nudge_id"]
        done = {"nudge_id": nudge_id, "outcome": "delivered"}
        first = report(client, world["push"], done).get_json()["results"][0]
        again = report(client, world["push"], done).get_json()["results"][0]
        assert first["status"] == again["status"] == "sent" and again["accepted"]
        assert lease(client, world["push"]).get_json()["nudges"] == []


def test_inbox_lists_due_messages_with_read_state(client, world):
    with time_machine.travel(DAY_BEFORE + timedelta(minutes=5), tick=False):
        headers = factories.bearer(world["patient"])
        inbox = client.get("/v1/me/notifications", headers=headers).get_json()
        assert inbox["total"] == inbox["unread"] == 1  # only what is due shows; tomorrow's wait
        message = inbox["items"][0]
        assert message["title"] == "Your visit tomorrow" and "04:00" in message["body"]
        read = client.post(f"/v1/me/notifications/{message['id']}/read", headers=headers)
        assert read.status_code == 200 and read.get_json()["read_at"]
        assert client.get("/v1/me/notifications", headers=headers).get_json()["unread"] == 0
        other = factories.bearer(factories.patient(world["clinic"]))
        assert client.post(f"/v1/me/notifications/{message['id']}/read", headers=other).status_code == 404


def test_retryable_failure_backs_off_then_dies_after_the_limit(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
    moment = DAY_BEFORE + timedelta(minutes=1)
    with time_machine.travel(moment, tick=False):
        nudge_id = lease(client, world["push"]).get_json()["nudges"][0]["nudge_id"]
        failed = report(client, world["push"], {"nudge_id": nudge_id, "outcome": "failed", "reason": "provider 503"})
        assert failed.get_json()["results"][0]["status"] == "failed"
        assert lease(client, world["push"]).get_json()["nudges"] == []  # waiting for its backoff
    nudge = db.session.get(Nudge, _uuid(nudge_id))
    assert timedelta(seconds=15) <= nudge.next_attempt_at - moment <= timedelta(seconds=30)
    for attempt in range(2, delivery.MAX_ATTEMPTS + 1):
        moment += timedelta(hours=1, minutes=1)  # past any backoff (capped at an hour)
        with time_machine.travel(moment, tick=False):
            leased = lease(client, world["push"]).get_json()["nudges"]
            assert leased[0]["attempt"] == attempt
            status = report(client, world["push"], {"nudge_id": nudge_id, "outcome": "failed"}).get_json()
    assert status["results"][0]["status"] == "dead"


def _uuid(value):
    import uuid

    return uuid.UUID(value)


def test_invalid_token_deactivates_the_device(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
    with time_machine.travel(DAY_BEFORE + timedelta(minutes=1), tick=False):
        item = lease(client, world["push"]).get_json()["nudges"][0]
        report(
            client,
            world["push"],
            {
                "nudge_id": item["nudge_id"],
                "outcome": "failed",
                "retryable": False,
                "reason": "unregistered",
                "invalid_device_ids": [item["devices"][0]["id"]],
            },
        )
    device = db.session.scalars(db.select(Device)).one()
    assert device.active is False and device.deactivated_reason == "invalid_token"
    assert db.session.get(Nudge, _uuid(item["nudge_id"])).status == NudgeStatus.DEAD


def test_an_unreported_lease_expires_and_comes_back(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
    with time_machine.travel(DAY_BEFORE + timedelta(minutes=1), tick=False):
        first = lease(client, world["push"], lease_seconds=30).get_json()["nudges"][0]
    with time_machine.travel(DAY_BEFORE + timedelta(minutes=3), tick=False):
        assert jobs.run_job(next(j for j in jobs.JOBS if j.name == "reclaim-expired-leases")) == 1
        again = lease(client, world["push"]).get_json()["nudges"]
    assert [n["nudge_id"] for n in again] == [first["nudge_id"]] and again[0]["attempt"] == 2


def test_a_push_client_sees_only_its_own_clinic(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
        stranger = factories.service_client(factories.clinic())
    with time_machine.travel(DAY_BEFORE + timedelta(minutes=1), tick=False):
        assert lease(client, stranger).get_json()["nudges"] == []
        nudge_id = str(nudges_of(world["patient"])[0].id)
        refused = report(client, stranger, {"nudge_id": nudge_id, "outcome": "delivered"}).get_json()["results"][0]
    assert refused["accepted"] is False


def test_people_cannot_use_the_push_endpoints(client, world):
    for who in (world["patient"], factories.staff(world["clinic"])):
        assert client.post("/v1/push/leases", json={}, headers=factories.bearer(who)).status_code == 403


def test_six_hours_of_scheduler_downtime_catches_up_without_stale_or_double_sends(client, world):
    with time_machine.travel(NOW, tick=False):
        register(client, world["patient"])
    # The scheduler was down from 17:00 to 23:00: the 18:00 reminder is overdue but still fresh.
    with time_machine.travel(DAY_BEFORE + timedelta(hours=5), tick=False):
        jobs.run_all()
        leased = lease(client, world["push"]).get_json()["nudges"]
        assert [n["kind"] for n in leased] == ["preparation_day_before"]
        report(client, world["push"], {"nudge_id": leased[0]["nudge_id"], "outcome": "delivered"})
    # Down again until after the infusion: the morning reminders went stale and must not go out.
    with time_machine.travel(INFUSION + timedelta(hours=1), tick=False):
        assert None not in jobs.run_all().values()
        assert lease(client, world["push"]).get_json()["nudges"] == []
    statuses = sorted(n.status.value for n in nudges_of(world["patient"]))
    assert statuses == ["sent", "stale", "stale"]


def test_two_schedulers_and_two_push_workers_never_double_plan_or_double_lease(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite allows one scheduler (see the file-lock test); the race is PostgreSQL's")
    with app.app_context(), time_machine.travel(NOW, tick=False):
        clinic = factories.clinic()
        staff = factories.bearer(factories.staff(clinic))
        push = factories.service_client(clinic)
        client = app.test_client()
        for i in range(30):
            patient = factories.patient(clinic)
            client.post(
                f"/v1/patients/{patient.id}/courses",
                json={"indication": "depression", "start_date": "2026-05-01"},
                headers=staff,
            )
            client.post(
                f"/v1/patients/{patient.id}/appointments",
                json={"starts_at": (INFUSION + timedelta(minutes=i)).isoformat()},
                headers=staff,
            )
            register(client, patient, token=f"token-{i:08d}")
        db.session.execute(db.delete(Nudge))  # start from nothing so both schedulers race to plan all of it
        db.session.commit()

    def scheduler():
        with app.app_context(), time_machine.travel(NOW, tick=False):
            jobs.plan_upcoming(NOW)

    _together(scheduler, scheduler)
    with app.app_context():
        keys = [(n.dedup_key, n.due_at) for n in db.session.scalars(db.select(Nudge))]
        assert len(keys) == len(set(keys)) == 90

    leased: list[list[str]] = []

    def worker():
        with app.app_context(), time_machine.travel(INFUSION - timedelta(hours=1), tick=False):
            headers = factories.bearer(db.session.merge(push))
            response = app.test_client().post("/v1/push/leases", json={"limit": 200}, headers=headers)
            leased.append([n["nudge_id"] for n in response.get_json()["nudges"]])

    _together(worker, worker)
    everything = leased[0] + leased[1]
    assert len(everything) == len(set(everything)) == 60  # day-before and morning are due and fresh


def _together(*targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        barrier.wait()
        try:
            target()
        except Exception as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_a_second_scheduler_on_sqlite_is_refused(app, tmp_path):
    from companion.scheduling.process import AlreadyRunning, single_process_guard

    first = single_process_guard(tmp_path)
    try:
        with pytest.raises(AlreadyRunning):
            single_process_guard(tmp_path)
    finally:
        first.close()
    single_process_guard(tmp_path).close()  # free again once the first one stops
