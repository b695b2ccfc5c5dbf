import base64
import json
import threading
from datetime import timedelta

import jwt as pyjwt
import time_machine

from companion.extensions import db
from companion.models import RefreshToken, TokenFamily
from companion.models.base import utcnow
from companion.scheduling import jobs
from tests import factories


def refresh(client, token):
    return client.post("/v1/auth/refresh", json={"refresh_token": token})


def me(client, access_token):
    return client.get("/v1/me", headers={"Authorization": f"Bearer {access_token}"})


def test_refresh_rotates_the_pair(client):
    first = factories.tokens_for(factories.patient(factories.clinic()))
    response = refresh(client, first["refresh_token"])
    assert response.status_code == 200
    second = response.get_json()
    assert second["refresh_token"] != first["refresh_token"]
    assert me(client, second["access_token"]).status_code == 200


def test_reusing_a_rotated_refresh_token_ends_the_whole_family(client):
    first = factories.tokens_for(factories.patient(factories.clinic()))
    second = refresh(client, first["refresh_token"]).get_json()
    third = refresh(client, second["refresh_token"]).get_json()  # the new token is in use now
    replay = refresh(client, first["refresh_token"])
    assert replay.status_code == 401
    # The thief's replay also kills the legitimate holder's newer tokens.
    assert refresh(client, third["refresh_token"]).status_code == 401
    assert me(client, third["access_token"]).status_code == 401
    family = db.session.scalars(db.select(TokenFamily)).one()
    assert family.revoked_reason == "refresh-reuse"


def test_a_refresh_retried_after_a_lost_answer_gets_the_same_pair_again(client):
    with time_machine.travel(utcnow(), tick=False) as clock:
        first = factories.tokens_for(factories.patient(factories.clinic()))
        second = refresh(client, first["refresh_token"]).get_json()
        clock.shift(20)
        retried = refresh(client, first["refresh_token"])
        assert retried.status_code == 200
        again = retried.get_json()
        assert (again["access_token"], again["refresh_token"]) == (second["access_token"], second["refresh_token"])
        assert again["expires_in"] == second["expires_in"] - 20

        third = refresh(client, again["refresh_token"])
        assert third.status_code == 200 and me(client, third.get_json()["access_token"]).status_code == 200
    assert db.session.scalars(db.select(TokenFamily)).one().revoked_at is None


def test_a_retry_after_the_window_is_reuse(client):
    with time_machine.travel(utcnow(), tick=False) as clock:
        first = factories.tokens_for(factories.patient(factories.clinic()))
        second = refresh(client, first["refresh_token"]).get_json()
        clock.shift(61)
        assert refresh(client, first["refresh_token"]).status_code == 401
        assert refresh(client, second["refresh_token"]).status_code == 401
    assert db.session.scalars(db.select(TokenFamily)).one().revoked_reason == "refresh-reuse"


def test_the_pair_kept_for_retries_is_sealed_and_dropped_once_the_new_token_is_used(client):
    first = factories.tokens_for(factories.patient(factories.clinic()))
    second = refresh(client, first["refresh_token"]).get_json()
    kept = db.session.scalar(db.select(RefreshToken.successor_sealed).where(RefreshToken.successor_sealed.is_not(None)))
    assert kept.startswith("fernet:") and second["refresh_token"] not in kept and second["access_token"] not in kept

    refresh(client, second["refresh_token"])
    db.session.expire_all()
    sealed = db.session.scalars(db.select(RefreshToken.jti).where(RefreshToken.successor_sealed.is_not(None))).all()
    assert len(sealed) == 1  # only the newest pair is kept, for the newest token's own retries


def test_two_concurrent_refreshes_with_one_token_get_one_pair(app):
    with app.app_context():
        first = factories.tokens_for(factories.patient(factories.clinic()))
    results: list[tuple[int, str | None]] = []
    barrier = threading.Barrier(2)

    def attempt():
        with app.app_context():
            barrier.wait()
            response = refresh(app.test_client(), first["refresh_token"])
            results.append((response.status_code, response.get_json().get("refresh_token")))

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (status_a, pair_a), (status_b, pair_b) = results
    assert (status_a, status_b) == (200, 200) and pair_a == pair_b  # one rotation, answered twice
    db.session.expire_all()
    assert db.session.scalars(db.select(TokenFamily)).one().revoked_at is None
    assert db.session.scalar(db.select(db.func.count()).select_from(RefreshToken)) == 2


def test_logout_revokes_access_and_refresh(client):
    tokens = factories.tokens_for(factories.patient(factories.clinic()))
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/v1/auth/logout", headers=headers).status_code == 204
    assert me(client, tokens["access_token"]).status_code == 401
    assert refresh(client, tokens["refresh_token"]).status_code == 401


def test_access_token_expires_after_about_fifteen_minutes(client):
    tokens = factories.tokens_for(factories.patient(factories.clinic()))
    with time_machine.travel(utcnow() + timedelta(minutes=14), tick=False):
        assert me(client, tokens["access_token"]).status_code == 200
    with time_machine.travel(utcnow() + timedelta(minutes=16), tick=False):
        response = me(client, tokens["access_token"])
    assert response.status_code == 401
    assert "expired" in response.get_json()["detail"]


def _segments(token):
    header, payload, signature = token.split(".")
    pad = "=" * (-len(payload) % 4)
    return header, json.loads(base64.urlsafe_b64decode(payload + pad)), signature


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_tampered_token_is_refused(client):
    tokens = factories.tokens_for(factories.patient(factories.clinic()))
    header, claims, signature = _segments(tokens["access_token"])
    claims["role"] = "admin"
    forged = f"{header}.{_b64(claims)}.{signature}"
    assert me(client, forged).status_code == 401


def test_unsigned_alg_none_token_is_refused(client):
    tokens = factories.tokens_for(factories.patient(factories.clinic()))
    _, claims, _ = _segments(tokens["access_token"])
    unsigned = pyjwt.encode(claims, key=None, algorithm="none")
    response = me(client, unsigned)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_token_signed_with_another_key_is_refused(client):
    tokens = factories.tokens_for(factories.patient(factories.clinic()))
    _, claims, _ = _segments(tokens["access_token"])
    assert me(client, pyjwt.encode(claims, "some-other-key-of-enough-length!!", algorithm="HS256")).status_code == 401


def test_refresh_token_cannot_be_used_as_access_token(client):
    tokens = factories.tokens_for(factories.patient(factories.clinic()))
    assert me(client, tokens["refresh_token"]).status_code == 401


def test_access_token_cannot_be_used_to_refresh(client):
    tokens = factories.tokens_for(factories.patient(factories.clinic()))
    assert refresh(client, tokens["access_token"]).status_code == 401


def test_claims_carry_no_personal_or_health_data(client):
    p = factories.patient(factories.clinic(), email="private@mail.example", full_name="Private Person")
    _, claims, _ = _segments(factories.tokens_for(p)["access_token"])
    assert set(claims) <= {
        "sub",
        "role",
        "clinic",
        "fam",
        "jti",
        "type",
        "iat",
        "nbf",
        "exp",
        "fresh",
        "csrf",
    }
    assert isinstance(claims["sub"], str)
    assert "private" not in json.dumps(claims).lower()


def test_housekeeping_drops_month_old_ended_sessions_and_stale_retry_pairs(client):
    patient = factories.patient(factories.clinic())
    with time_machine.travel(utcnow(), tick=False) as clock:
        ended = factories.tokens_for(patient)
        client.post("/v1/auth/logout", headers={"Authorization": f"Bearer {ended['access_token']}"})
        clock.shift(timedelta(days=31))
        active = factories.tokens_for(patient)
        refresh(client, active["refresh_token"])
        recently_ended = factories.tokens_for(patient)
        client.post("/v1/auth/logout", headers={"Authorization": f"Bearer {recently_ended['access_token']}"})
        clock.shift(61)

        assert jobs.purge_sessions(utcnow()) == 1  # the month-old ended session only
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(TokenFamily)) == 2
    assert db.session.scalar(db.select(RefreshToken.successor_sealed).where(RefreshToken.used_at.is_not(None))) is None
