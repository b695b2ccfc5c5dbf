from companion.errors import PROBLEM_MIMETYPE


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "migrations": "at-head"}


def test_readyz_reports_schema_behind_migrations(client, monkeypatch):
    from companion.services import readiness

    monkeypatch.setattr(readiness, "expected_heads", lambda: frozenset({"a-newer-revision"}))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["migrations"] == "behind"


def test_request_id_is_generated_and_echoed(client):
    response = client.get("/healthz")
    assert len(response.headers["X-Request-ID"]) >= 16
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-12345678"})
    assert echoed.headers["X-Request-ID"] == "abc-12345678"


def test_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})
    assert response.headers["X-Request-ID"] != "bad id <script>"


def test_metrics_count_requests_by_route_template(client):
    client.get("/healthz")
    client.get("/v1/no-such-thing/123")
    body = client.get("/metrics").get_data(as_text=True)
    assert 'companion_http_requests_total{method="GET",route="/healthz",status="200"}' in body
    assert 'route="unmatched",status="404"' in body
    assert "no-such-thing" not in body


def test_metrics_token_is_enforced_when_configured(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-metrics-token"
    try:
        assert client.get("/metrics").status_code == 401
        ok = client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
        assert ok.status_code == 200
    finally:
        app.config["METRICS_TOKEN"] = None


def test_unexpected_exception_is_a_problem_without_internals(client, monkeypatch, caplog):
    from companion.services import readiness

    def explode():
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(readiness, "check", explode)
    response = client.get("/readyz", headers={"X-Request-ID": "req-boom-0001"})
    assert response.status_code == 500
    assert response.mimetype == PROBLEM_MIMETYPE
    body = response.get_json()
    assert body["status"] == 500 and body["title"] == "Internal server error"
    assert body["request_id"] == "req-boom-0001"
    assert "secret internal detail" not in response.get_data(as_text=True)
    logged = [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert logged and logged[0].request_id == "req-boom-0001"


def test_security_headers_and_closed_cors(client):
    response = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_database_outage_is_a_retryable_503_problem(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from companion.services import readiness

    def locked():
        raise OperationalError("SELECT 1", {}, Exception("database is locked"))

    monkeypatch.setattr(readiness, "check", locked)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.mimetype == PROBLEM_MIMETYPE
    assert response.headers["Retry-After"] == "1"
    assert "locked" not in response.get_data(as_text=True)


def test_hsts_is_sent_over_tls_only_and_patient_data_is_not_cached(client):
    from tests import factories

    headers = factories.bearer(factories.patient(factories.clinic()))
    plain = client.get("/v1/me", headers=headers)
    assert "Strict-Transport-Security" not in plain.headers
    assert plain.headers["Cache-Control"] == "no-store"
    secure = client.get("/v1/me", headers=headers, base_url="https://api.clinic.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
