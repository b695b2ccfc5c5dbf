import pytest

from companion.models import Role
from tests import factories


def test_admin_invites_and_deactivates_a_clinician(client):
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, Role.ADMIN))
    doc = factories.staff(c)
    doc_headers = factories.bearer(doc)
    listed = client.get("/v1/staff", headers=admin).get_json()
    assert str(doc.id) in {s["id"] for s in listed}
    response = client.post(f"/v1/staff/{doc.id}/deactivate", headers=admin)
    assert response.status_code == 200 and response.get_json()["status"] == "deactivated"
    assert client.get("/v1/patients", headers=doc_headers).status_code == 401


def test_admin_cannot_deactivate_themselves(client):
    admin = factories.staff(factories.clinic(), Role.ADMIN)
    response = client.post(f"/v1/staff/{admin.id}/deactivate", headers=factories.bearer(admin))
    assert response.status_code == 409


def test_admin_cannot_touch_another_clinics_staff(client):
    admin = factories.bearer(factories.staff(factories.clinic(), Role.ADMIN))
    stranger = factories.staff(factories.clinic())
    assert client.post(f"/v1/staff/{stranger.id}/deactivate", headers=admin).status_code == 404


def test_clinicians_cannot_administer(client):
    doc = factories.bearer(factories.staff(factories.clinic()))
    assert client.get("/v1/staff", headers=doc).status_code == 403
    assert client.post("/v1/service-clients", json={"name": "Push"}, headers=doc).status_code == 403
    assert client.patch("/v1/clinic", json={"name": "Mine now"}, headers=doc).status_code == 403


def test_service_client_signs_in_with_its_secret_and_gets_a_limited_token(client):
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, Role.ADMIN))
    created = client.post("/v1/service-clients", json={"name": "Push gateway"}, headers=admin).get_json()
    grant = {
        "grant_type": "client_credentials",
        "client_id": created["client"]["client_id"],
        "client_secret": created["client_secret"],
    }
    token = client.post("/v1/auth/token", json=grant)
    assert token.status_code == 200 and "refresh_token" not in token.get_json()
    headers = {"Authorization": f"Bearer {token.get_json()['access_token']}"}
    assert client.get("/v1/patients", headers=headers).status_code == 403
    assert client.get("/v1/me", headers=headers).status_code == 403
    assert client.post(f"/v1/service-clients/{created['client']['id']}/deactivate", headers=admin).status_code == 200
    assert client.get("/v1/me", headers=headers).status_code == 401
    assert client.post("/v1/auth/token", json=grant).status_code == 401


def test_wrong_client_secret_is_refused(client):
    svc = factories.service_client(factories.clinic())
    grant = {"grant_type": "client_credentials", "client_id": svc.client_id, "client_secret": "nope"}
    assert client.post("/v1/auth/token", json=grant).status_code == 401


def test_admin_lists_only_their_clinics_patients(client):
    c = factories.clinic()
    mine = factories.patient(c, full_name="Zed Mine")
    factories.patient(factories.clinic(), full_name="Zed Theirs")
    body = client.get("/v1/patients?search=zed", headers=factories.bearer(factories.staff(c, Role.ADMIN))).get_json()
    assert [p["id"] for p in body["items"]] == [str(mine.id)] and body["total"] == 1


def test_admin_edits_fasting_rule_and_crisis_contacts(client):
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, Role.ADMIN))
    contacts = [{"label": "Clinic on-call line", "phone": "+1 555 0100", "available": "8am-8pm"}]
    response = client.patch(
        "/v1/clinic",
        json={"fasting_solid_hours": 8, "fasting_clear_liquid_hours": 2, "crisis_resources": contacts},
        headers=admin,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["fasting_solid_hours"], body["crisis_resources"]) == (8, contacts)


def test_new_clinics_start_with_default_crisis_contacts(client):
    c = factories.clinic()
    body = client.get("/v1/clinic", headers=factories.bearer(factories.staff(c))).get_json()
    assert any(r.get("phone") == "988" for r in body["crisis_resources"])


def test_clinic_settings_are_validated(client):
    admin = factories.bearer(factories.staff(factories.clinic(), Role.ADMIN))
    liquids_first = client.patch(
        "/v1/clinic", json={"fasting_solid_hours": 2, "fasting_clear_liquid_hours": 4}, headers=admin
    )
    assert liquids_first.status_code == 422 and "fasting_clear_liquid_hours" in liquids_first.get_json()["errors"]
    empty = client.patch("/v1/clinic", json={"crisis_resources": []}, headers=admin)
    assert empty.status_code == 422 and "crisis_resources" in empty.get_json()["errors"]
    bad_phone = client.patch(
        "/v1/clinic", json={"crisis_resources": [{"label": "X", "phone": "call me"}]}, headers=admin
    )
    assert "crisis_resources.0.phone" in bad_phone.get_json()["errors"]
    assert client.patch("/v1/clinic", json={"timezone": "EST"}, headers=admin).status_code == 422


def test_admin_sets_check_in_times_remission_thresholds_alert_rules_and_wording(client):
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, Role.ADMIN))
    settings = {
        "checkin_offsets_hours": [2, 24, 48, 168],
        "remission_thresholds": {"phq9": 5, "madrs": 10},
        "alert_rules": [{"instrument": "phq9", "total_at_least": 20}, {"symptom": "headache", "severity_at_least": 7}],
        "instrument_prompts": {"es": {"phq9": {"phq9_1": "Poco interés o placer en hacer cosas"}}},
    }
    response = client.patch("/v1/clinic", json=settings, headers=admin)
    assert response.status_code == 200, response.get_json()
    assert {k: response.get_json()[k] for k in settings} == settings


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("checkin_offsets_hours", []),
        ("remission_thresholds", {"cssrs": 3}),
        ("alert_rules", [{"instrument": "phq9"}]),
        ("alert_rules", [{"instrument": "phq9", "total_at_least": 20, "symptom": "nausea"}]),
        ("instrument_prompts", {"es": {"phq9": {"phq9_99": "no such item"}}}),
        ("instrument_prompts", {"fr": {"phq9": {"phq9_1": "pas de français"}}}),
    ],
)
def test_clinic_rule_settings_are_validated(client, field, value):
    admin = factories.bearer(factories.staff(factories.clinic(), Role.ADMIN))
    response = client.patch("/v1/clinic", json={field: value}, headers=admin)
    assert response.status_code == 422
    assert any(key.startswith(field) for key in response.get_json()["errors"])
