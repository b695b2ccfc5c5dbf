"""Every kind of error is RFC 9457 problem+json with type, title, status and detail."""

import pytest

from companion.errors import PROBLEM_MIMETYPE
from tests import factories


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_MIMETYPE
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    assert body["detail"]
    return body


def test_unknown_route(client):
    assert_problem(client.get("/v1/nothing-here"), 404)


def test_wrong_method_lists_allowed_methods(client):
    response = client.delete("/v1/auth/login")
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_malformed_json(client):
    response = client.post("/v1/auth/login", data="{not json", content_type="application/json")
    body = assert_problem(response, 400)
    assert body["errors"] == {"body": ["Not valid JSON."]}


def test_wrong_content_type(client):
    response = client.post(
        "/v1/auth/login", data="email=a&password=b", content_type="application/x-www-form-urlencoded"
    )
    body = assert_problem(response, 415)
    assert "application/json" in body["detail"]


def test_oversized_body(client, app):
    payload = '{"email": "' + "a" * (app.config["MAX_CONTENT_LENGTH"] + 10) + '"}'
    assert_problem(client.post("/v1/auth/login", data=payload, content_type="application/json"), 413)


def test_validation_names_each_field(client):
    body = assert_problem(client.post("/v1/auth/login", json={"email": "x@example.org", "extra": 1}), 422)
    assert body["errors"]["password"] == ["Missing data for required field."]
    assert body["errors"]["extra"] == ["Unknown field."]
    assert "password" in body["detail"]


def test_query_validation_names_the_parameter(client):
    c = factories.clinic()
    headers = factories.bearer(factories.staff(c))
    body = assert_problem(client.get("/v1/patients?page=0", headers=headers), 422)
    assert "page" in body["errors"]


def test_conflict(client):
    c = factories.clinic()
    factories.patient(c, email="taken@mail.example")
    headers = factories.bearer(factories.staff(c))
    response = client.post(
        "/v1/patients",
        json={"full_name": "A B", "timezone": "Europe/London", "email": "taken@mail.example"},
        headers=headers,
    )
    body = assert_problem(response, 409)
    assert body["errors"] == {"email": ["This email is already in use."]}


@pytest.mark.parametrize("header", [None, "Bearer not-a-jwt", "Basic abc"])
def test_auth_failures(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/v1/me", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_forbidden_role(client):
    c = factories.clinic()
    headers = factories.bearer(factories.patient(c))
    assert_problem(client.get("/v1/patients", headers=headers), 403)


def test_unpaired_surrogates_in_json_are_refused_not_a_server_error(client):
    headers = factories.bearer(factories.staff(factories.clinic(), factories.Role.ADMIN))
    body = (
        '{"language": "en", "category": "preparing", "title": "Broken \\ud904 text", '
        '"summary": "A summary long enough.", "body": "A body that is long enough."}'
    )
    response = client.post(
        "/v1/clinic/articles/some-slug/versions", data=body, content_type="application/json", headers=headers
    )
    problem = assert_problem(response, 422)
    assert problem["errors"] == {"body": ["Text must be valid Unicode without NUL characters."]}


def test_nul_characters_in_bodies_and_queries_are_refused_not_a_server_error(client):
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, factories.Role.ADMIN))
    body = {
        "language": "en",
        "category": "preparing",
        "title": "Nul",
        "summary": "A summary long enough.",
        "body": "A body with a \u0000 in it, long enough.",
    }
    assert_problem(client.post("/v1/clinic/articles/nul/versions", json=body, headers=admin), 422)
    response = client.get("/v1/patients?search=a%00b", headers=admin)
    assert assert_problem(response, 422)["errors"] == {"search": ["Text must be valid Unicode without NUL characters."]}


def test_numbers_beyond_what_the_database_holds_are_not_a_server_error(client):
    admin = factories.bearer(factories.staff(factories.clinic(), factories.Role.ADMIN))
    response = client.post("/v1/clinic/articles/some-slug/versions/7997837427/publish?language=en", headers=admin)
    assert_problem(response, 404)


def test_a_value_the_database_refuses_is_a_422_problem(client, monkeypatch):
    from sqlalchemy.exc import DataError

    from companion.services import patients

    def overflow(*args, **kwargs):
        raise DataError("SELECT", {}, Exception("integer out of range"))

    monkeypatch.setattr(patients, "list_for_clinic", overflow)
    admin = factories.bearer(factories.staff(factories.clinic(), factories.Role.ADMIN))
    body = assert_problem(client.get("/v1/patients", headers=admin), 422)
    assert "out of range" in body["detail"]
