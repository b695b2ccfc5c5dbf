import threading
from datetime import UTC, datetime, timedelta

import pyotp
import time_machine

from companion.extensions import db
from companion.models import Role
from tests import factories


def start(client, email):
    return client.post("/v1/auth/login", json={"email": email, "password": factories.PASSWORD})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


# A moment 10 s into a 30-second step, so that shifting by whole steps never straddles a boundary.
STEP_START = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)


def test_clinic_requiring_two_factor_walks_staff_through_setup_then_asks_for_codes(client):
    c = factories.clinic(require_two_factor=True)
    factories.staff(c, email="doc@clinic.example")

    with time_machine.travel(STEP_START, tick=False) as clock:
        first = start(client, "doc@clinic.example").get_json()
        assert first["status"] == "two_factor_setup_required" and "access_token" not in first
        setup = client.post("/v1/auth/two-factor/setup", headers=bearer(first["two_factor_token"])).get_json()
        totp = pyotp.TOTP(setup["secret"])
        confirmed = client.post(
            "/v1/auth/two-factor/confirm", json={"code": totp.now()}, headers=bearer(first["two_factor_token"])
        )
        assert confirmed.status_code == 200
        assert len(confirmed.get_json()["recovery_codes"]) == 10
        assert client.get("/v1/me", headers=bearer(confirmed.get_json()["access_token"])).status_code == 200

        clock.shift(30)
        second = start(client, "doc@clinic.example").get_json()
        assert second["status"] == "two_factor_required"
        wrong = client.post(
            "/v1/auth/two-factor/verify", json={"code": "000000"}, headers=bearer(second["two_factor_token"])
        )
        assert wrong.status_code == 422 and "code" in wrong.get_json()["errors"]
        ok = client.post(
            "/v1/auth/two-factor/verify", json={"code": totp.now()}, headers=bearer(second["two_factor_token"])
        )
        assert ok.status_code == 200 and ok.get_json()["status"] == "signed_in"


def _two_factor_staff(client, clock) -> pyotp.TOTP:
    doc = factories.staff(factories.clinic(), email="doc@clinic.example")
    headers = factories.bearer(doc)
    totp = pyotp.TOTP(client.post("/v1/auth/two-factor/setup", headers=headers).get_json()["secret"])
    assert client.post("/v1/auth/two-factor/confirm", json={"code": totp.now()}, headers=headers).status_code == 200
    clock.shift(30)
    return totp


def _verify(client, code: str):
    pending = start(client, "doc@clinic.example").get_json()["two_factor_token"]
    return client.post("/v1/auth/two-factor/verify", json={"code": code}, headers=bearer(pending))


def test_an_authenticator_code_signs_in_once(client):
    with time_machine.travel(STEP_START, tick=False) as clock:
        totp = _two_factor_staff(client, clock)
        code = totp.now()
        assert _verify(client, code).status_code == 200

        clock.shift(5)  # same step: the code is still "valid" by the clock, but it has been used
        replay = _verify(client, code)
        assert replay.status_code == 422
        assert "already used" in replay.get_json()["errors"]["code"][0]

        clock.shift(30)
        assert _verify(client, totp.now()).status_code == 200


def test_the_setup_code_cannot_be_replayed_to_sign_in(client):
    with time_machine.travel(STEP_START, tick=False):
        doc = factories.staff(factories.clinic(), email="doc@clinic.example")
        headers = factories.bearer(doc)
        totp = pyotp.TOTP(client.post("/v1/auth/two-factor/setup", headers=headers).get_json()["secret"])
        code = totp.now()
        assert client.post("/v1/auth/two-factor/confirm", json={"code": code}, headers=headers).status_code == 200
        assert _verify(client, code).status_code == 422


def test_a_code_from_a_slow_clock_is_accepted_but_not_an_older_one_after_a_newer_one(client):
    with time_machine.travel(STEP_START, tick=False) as clock:
        totp = _two_factor_staff(client, clock)
        now = datetime.now(UTC)
        previous, current = totp.at(now - timedelta(seconds=30)), totp.at(now)

        assert _verify(client, current).status_code == 200
        # A phone 30 s behind would still be accepted, but not once a later step has signed in.
        assert _verify(client, previous).status_code == 422
        clock.shift(30)
        assert _verify(client, totp.at(datetime.now(UTC) - timedelta(seconds=30))).status_code == 422  # == current
        assert _verify(client, totp.now()).status_code == 200


def test_a_code_one_step_behind_signs_in_but_not_two(client):
    with time_machine.travel(STEP_START, tick=False) as clock:
        totp = _two_factor_staff(client, clock)
        clock.shift(60)  # two steps on: neither of the next checks meets a step already used
        now = datetime.now(UTC)
        assert _verify(client, totp.at(now - timedelta(seconds=60))).status_code == 422
        assert _verify(client, totp.at(now - timedelta(seconds=30))).status_code == 200


def test_recovery_code_works_once(client):
    c = factories.clinic()
    doc = factories.staff(c, email="doc@clinic.example")
    headers = factories.bearer(doc)
    secret = client.post("/v1/auth/two-factor/setup", headers=headers).get_json()["secret"]
    codes = client.post(
        "/v1/auth/two-factor/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=headers
    ).get_json()["recovery_codes"]

    pending = start(client, "doc@clinic.example").get_json()["two_factor_token"]
    used = client.post("/v1/auth/two-factor/verify", json={"recovery_code": codes[0]}, headers=bearer(pending))
    assert used.status_code == 200
    pending = start(client, "doc@clinic.example").get_json()["two_factor_token"]
    reused = client.post("/v1/auth/two-factor/verify", json={"recovery_code": codes[0]}, headers=bearer(pending))
    assert reused.status_code == 422


def test_two_factor_token_is_not_an_access_token(client):
    c = factories.clinic(require_two_factor=True)
    factories.staff(c, email="doc@clinic.example")
    pending = start(client, "doc@clinic.example").get_json()["two_factor_token"]
    assert client.get("/v1/me", headers=bearer(pending)).status_code == 401
    assert client.get("/v1/patients", headers=bearer(pending)).status_code == 401


def test_patients_do_not_need_two_factor_even_when_the_clinic_requires_it(client):
    c = factories.clinic(require_two_factor=True)
    factories.patient(c, email="pat@mail.example")
    assert start(client, "pat@mail.example").get_json()["status"] == "signed_in"


def test_patients_cannot_turn_on_staff_two_factor(client):
    headers = factories.bearer(factories.patient(factories.clinic()))
    assert client.post("/v1/auth/two-factor/setup", headers=headers).status_code == 403


def test_admin_can_require_two_factor_for_the_clinic(client):
    c = factories.clinic()
    admin = factories.staff(c, Role.ADMIN)
    response = client.patch("/v1/clinic", json={"require_two_factor": True}, headers=factories.bearer(admin))
    assert response.status_code == 200
    db.session.refresh(c)
    assert c.require_two_factor is True


def test_two_requests_racing_with_one_code_let_exactly_one_sign_in(app):
    with time_machine.travel(STEP_START, tick=False) as clock, app.app_context():
        client = app.test_client()
        totp = _two_factor_staff(client, clock)
        pending = [start(client, "doc@clinic.example").get_json()["two_factor_token"] for _ in range(2)]
        code = totp.now()
        results: list[int] = []
        barrier = threading.Barrier(2)

        def attempt(token: str) -> None:
            with app.app_context():
                barrier.wait()
                response = app.test_client().post(
                    "/v1/auth/two-factor/verify", json={"code": code}, headers=bearer(token)
                )
                results.append(response.status_code)

        threads = [threading.Thread(target=attempt, args=(token,)) for token in pending]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results) == [200, 422]
