from datetime import timedelta

import time_machine

from companion.extensions import db
from companion.models import Account, AccountStatus
from companion.models.base import utcnow
from tests import factories


def enroll(client, headers, **fields):
    body = {"full_name": "Rosa Diaz", "timezone": "America/Chicago", "preferred_language": "es", **fields}
    return client.post("/v1/patients", json=body, headers=headers)


def activate(client, code, email="rosa@mail.example", password="my own passphrase 42"):
    return client.post("/v1/auth/activate", json={"code": code, "email": email, "password": password})


def test_clinician_enrolls_and_patient_activates_with_the_code(client):
    headers = factories.bearer(factories.staff(factories.clinic()))
    enrolled = enroll(client, headers)
    assert enrolled.status_code == 201
    body = enrolled.get_json()
    assert body["patient"]["status"] == "invited"
    activated = activate(client, body["activation"]["code"].lower())  # typed on a phone, lower-case
    assert activated.status_code == 201
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {activated.get_json()['access_token']}"})
    assert me.get_json()["patient"]["preferred_language"] == "es"
    assert me.get_json()["email"] == "rosa@mail.example"


def test_code_works_only_once(client):
    headers = factories.bearer(factories.staff(factories.clinic()))
    code = enroll(client, headers).get_json()["activation"]["code"]
    assert activate(client, code).status_code == 201
    again = activate(client, code, email="other@mail.example")
    assert again.status_code in (404, 409)
    assert "code" in again.get_json()["errors"]


def test_code_expires(client):
    headers = factories.bearer(factories.staff(factories.clinic()))
    code = enroll(client, headers).get_json()["activation"]["code"]
    with time_machine.travel(utcnow() + timedelta(hours=73), tick=False):
        response = activate(client, code)
    assert response.status_code == 404
    assert db.session.scalars(db.select(Account).where(Account.status == AccountStatus.INVITED)).one()


def test_reissued_code_replaces_the_old_one(client):
    headers = factories.bearer(factories.staff(factories.clinic()))
    enrolled = enroll(client, headers).get_json()
    new = client.post(f"/v1/patients/{enrolled['patient']['id']}/activation-code", headers=headers)
    assert new.status_code == 201
    assert activate(client, enrolled["activation"]["code"]).status_code == 404
    assert activate(client, new.get_json()["code"]).status_code == 201


def test_weak_password_is_refused_with_reasons(client):
    headers = factories.bearer(factories.staff(factories.clinic()))
    code = enroll(client, headers).get_json()["activation"]["code"]
    short = activate(client, code, password="short")
    assert short.status_code == 422 and "password" in short.get_json()["errors"]
    common = activate(client, code, password="password123")
    assert "too common" in " ".join(common.get_json()["errors"]["password"])
    assert activate(client, code).status_code == 201  # refusals did not burn the code


def test_guessing_codes_is_rate_limited(client):
    statuses = [activate(client, f"AAAAA-BBBB{i}").status_code for i in range(11)]
    assert statuses[:10] == [404] * 10
    assert statuses[10] == 429


def test_there_is_no_open_sign_up(client):
    response = client.post("/v1/auth/activate", json={"code": "", "email": "x@mail.example", "password": "x" * 12})
    assert response.status_code == 422
    assert client.post("/v1/patients", json={"full_name": "Me", "timezone": "Europe/London"}).status_code == 401


def test_staff_invitation_activates_a_clinician(client):
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, factories.Role.ADMIN))
    invited = client.post(
        "/v1/staff",
        json={"email": "new.doc@clinic.example", "display_name": "Dr New", "role": "clinician"},
        headers=admin,
    )
    assert invited.status_code == 201
    code = invited.get_json()["activation"]["code"]
    response = client.post("/v1/auth/activate", json={"code": code, "password": "a fine passphrase 7"})
    assert response.status_code == 201
