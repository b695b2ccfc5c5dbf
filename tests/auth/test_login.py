from argon2 import PasswordHasher

from companion.extensions import db, limiter
from companion.models import Account, AccountStatus
from tests import factories


def login(client, email, password=factories.PASSWORD, **kw):
    return client.post("/v1/auth/login", json={"email": email, "password": password}, **kw)


def test_patient_signs_in_and_reaches_their_profile(client):
    p = factories.patient(factories.clinic(), email="pat@mail.example")
    response = login(client, "PAT@mail.example ")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "signed_in" and body["token_type"] == "Bearer"
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.get_json()["patient"]["id"] == str(p.id)


def test_wrong_password_and_unknown_email_look_the_same(client):
    factories.patient(factories.clinic(), email="pat@mail.example")
    wrong = login(client, "pat@mail.example", "not-the-password")
    unknown = login(client, "nobody@mail.example")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json()["detail"] == unknown.get_json()["detail"]


def test_deactivated_account_cannot_sign_in(client):
    factories.staff(factories.clinic(), email="gone@clinic.example", status=AccountStatus.DEACTIVATED)
    assert login(client, "gone@clinic.example").status_code == 401


def test_password_hash_is_upgraded_when_parameters_change(client):
    p = factories.patient(factories.clinic(), email="old@mail.example")
    old_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(factories.PASSWORD)
    p.account.password_hash = old_hash
    db.session.commit()
    assert login(client, "old@mail.example").status_code == 200
    db.session.expire_all()
    new_hash = db.session.get(Account, p.account_id).password_hash
    assert new_hash != old_hash and "m=1024" in new_hash


def test_failed_attempts_on_one_account_are_throttled_with_retry_after(client):
    factories.patient(factories.clinic(), email="target@mail.example")
    statuses = [login(client, "target@mail.example", "wrong-password").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    blocked = login(client, "target@mail.example")  # even the right password waits
    assert blocked.status_code == 429
    assert blocked.mimetype == "application/problem+json"
    assert int(blocked.headers["Retry-After"]) > 0


def test_successful_sign_ins_do_not_count_towards_the_account_limit(client):
    factories.patient(factories.clinic(), email="often@mail.example")
    assert all(login(client, "often@mail.example").status_code == 200 for _ in range(8))


def test_one_address_is_throttled_across_accounts(client, app):
    c = factories.clinic()
    emails = [factories.patient(c).account.email for _ in range(3)]
    app.config["LOGIN_LIMIT_PER_IP"] = "4 per minute"
    try:
        statuses = [login(client, emails[i % 3], "wrong-password").status_code for i in range(5)]
    finally:
        app.config["LOGIN_LIMIT_PER_IP"] = "30 per minute;300 per hour"
    assert statuses[-1] == 429


def test_limiter_uses_the_configured_storage(app):
    # The PostgreSQL CI run points this at Redis, so the throttling tests above run on Redis there.
    expected = app.config["RATELIMIT_STORAGE_URI"].split(":")[0]
    assert type(limiter.limiter.storage).__name__.lower().startswith(expected)
