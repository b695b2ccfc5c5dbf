import json
import logging

import pytest
from cryptography.fernet import Fernet
from flask_migrate import downgrade, upgrade

from companion import create_app
from companion.observability import JsonFormatter
from config import ConfigError, ProductionConfig, TestingConfig

STRONG = "x7G" * 16


def production(**settings):
    return type(
        "Configured",
        (ProductionConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://db/companion",
            "SECRET_KEY": STRONG,
            "JWT_SECRET_KEY": STRONG,
            "SECRETS_ENCRYPTION_KEYS": [Fernet.generate_key().decode()],
            **settings,
        },
    )


@pytest.mark.parametrize("name", ["SECRET_KEY", "JWT_SECRET_KEY"])
@pytest.mark.parametrize("value", [None, "", "secret", "short-but-not-empty"])
def test_production_refuses_missing_or_weak_secrets(name, value):
    with pytest.raises(ConfigError, match=name):
        create_app(production(**{name: value}))


def test_production_refuses_sqlite():
    with pytest.raises(ConfigError, match="PostgreSQL"):
        production(SQLALCHEMY_DATABASE_URI="sqlite:///x.db").validate()


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"], [Fernet.generate_key().decode(), "x7G" * 16]])
def test_production_refuses_missing_or_malformed_sealing_keys(keys):
    with pytest.raises(ConfigError, match="SECRETS_ENCRYPTION_KEYS"):
        production(SECRETS_ENCRYPTION_KEYS=keys).validate()


def test_production_accepts_strong_settings():
    production().validate()


def test_cors_is_closed_by_default_and_opens_for_listed_origins():
    open_app = create_app(type("Cors", (TestingConfig,), {"CORS_ORIGINS": ["https://app.clinic.example"]}))
    client = open_app.test_client()
    allowed = client.options("/v1/articles", headers={"Origin": "https://app.clinic.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.clinic.example"
    other = client.options("/v1/articles", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_logs_are_json_with_request_id_and_never_bodies(client, caplog):
    caplog.set_level(logging.INFO, logger="companion.access")
    client.post(
        "/v1/auth/login",
        json={"email": "who@mail.example", "password": "hunter2-secret-words"},
        headers={"X-Request-ID": "req-log-00001"},
    )
    access = [r for r in caplog.records if r.name == "companion.access"]
    assert access and access[-1].request_id == "req-log-00001" and access[-1].route == "/v1/auth/login"
    line = JsonFormatter().format(access[-1])
    assert json.loads(line)["status"] == 401
    everything = "\n".join(JsonFormatter().format(r) for r in caplog.records)
    assert "hunter2" not in everything and "who@mail.example" not in everything


def test_migrations_run_down_to_nothing_and_back_up(app):
    downgrade(revision="base")
    upgrade()
    from companion.services.readiness import check

    assert check()["migrations"] == "at-head"
