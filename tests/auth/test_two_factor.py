import pyotp

from companion.extensions import db
from companion.models import Role
from tests import factories


def start(client, email):
    return client.post("/v1/auth/login", json={"email": email, "password": factories.PASSWORD})


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_clinic_requiring_two_factor_walks_staff_through_setup_then_asks_for_codes(client):
    c = factories.clinic(require_two_factor=True)
    factories.staff(c, email="doc@clinic.example")

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
