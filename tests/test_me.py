from companion.extensions import db
from companion.models import Account, Patient
from tests import factories


def test_patient_changes_their_settings(client):
    p = factories.patient(factories.clinic())
    response = client.patch(
        "/v1/me",
        json={
            "timezone": "Australia/Sydney",
            "preferred_language": "es",
            "quiet_hours_start": "22:30",
            "quiet_hours_end": "07:15",
            "muted_nudge_kinds": ["weekly_checkin"],
        },
        headers=factories.bearer(p),
    )
    assert response.status_code == 200
    profile = response.get_json()["patient"]
    assert profile["timezone"] == "Australia/Sydney"
    assert (profile["quiet_hours_start"], profile["quiet_hours_end"]) == ("22:30", "07:15")
    assert profile["muted_nudge_kinds"] == ["weekly_checkin"]


def test_unknown_time_zone_is_refused_by_name(client):
    p = factories.patient(factories.clinic())
    response = client.patch("/v1/me", json={"timezone": "Mars/Olympus"}, headers=factories.bearer(p))
    assert response.status_code == 422
    assert "IANA" in response.get_json()["errors"]["timezone"][0]


def test_safety_messages_cannot_be_muted(client):
    p = factories.patient(factories.clinic())
    response = client.patch("/v1/me", json={"muted_nudge_kinds": ["safety"]}, headers=factories.bearer(p))
    assert response.status_code == 422
    assert "muted_nudge_kinds.0" in response.get_json()["errors"]


def test_patient_cannot_set_role_clinic_or_id_through_any_write(client):
    c, other = factories.clinic(), factories.clinic()
    p = factories.patient(c)
    headers = factories.bearer(p)
    for field, value in {
        "role": "admin",
        "clinic_id": str(other.id),
        "id": str(other.id),
        "status": "active",
        "account_id": str(other.id),
        "email": "new@mail.example",
    }.items():
        response = client.patch("/v1/me", json={field: value}, headers=headers)
        assert response.status_code == 422, field
        assert response.get_json()["errors"] == {field: ["Unknown field."]}
    db.session.expire_all()
    account = db.session.get(Account, p.account_id)
    assert (account.role.value, account.clinic_id) == ("patient", c.id)
    assert db.session.get(Patient, p.id).clinic_id == c.id


def test_staff_settings_are_not_a_patient_profile(client):
    doc = factories.staff(factories.clinic())
    assert client.patch("/v1/me", json={"timezone": "Europe/London"}, headers=factories.bearer(doc)).status_code == 403
    assert client.get("/v1/me", headers=factories.bearer(doc)).get_json()["patient"] is None


def test_password_change_signs_out_other_devices(client):
    p = factories.patient(factories.clinic())
    here, elsewhere = factories.tokens_for(p), factories.tokens_for(p)
    headers = {"Authorization": f"Bearer {here['access_token']}"}
    response = client.post(
        "/v1/me/password",
        json={"current_password": factories.PASSWORD, "new_password": "a brand new passphrase"},
        headers=headers,
    )
    assert response.status_code == 204
    assert client.get("/v1/me", headers=headers).status_code == 200
    assert client.get("/v1/me", headers={"Authorization": f"Bearer {elsewhere['access_token']}"}).status_code == 401
    login = client.post("/v1/auth/login", json={"email": p.account.email, "password": "a brand new passphrase"})
    assert login.status_code == 200


def test_password_change_needs_the_current_password(client):
    p = factories.patient(factories.clinic())
    response = client.post(
        "/v1/me/password",
        json={"current_password": "wrong", "new_password": "a brand new passphrase"},
        headers=factories.bearer(p),
    )
    assert response.status_code == 422 and "current_password" in response.get_json()["errors"]


def test_export_holds_the_profile_and_who_opened_the_record(client):
    c = factories.clinic()
    p = factories.patient(c, full_name="Ana Export")
    doc = factories.staff(c)
    client.get(f"/v1/patients/{p.id}", headers=factories.bearer(doc))
    export = client.get("/v1/me/export", headers=factories.bearer(p))
    assert export.status_code == 200
    body = export.get_json()
    assert body["profile"]["full_name"] == "Ana Export"
    assert body["account"]["email"] == p.account.email
    assert [(e["actor_role"], e["action"]) for e in body["access_log"]] == [("clinician", "patient.read")]
    assert export.headers["Cache-Control"] == "no-store"
