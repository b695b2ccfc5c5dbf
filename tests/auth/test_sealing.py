"""Authenticator secrets are sealed at rest with keys from the environment, and keys can rotate."""

import pyotp
import pytest
import time_machine
from cryptography.fernet import Fernet
from sqlalchemy import select

from companion.auth import sealing
from companion.extensions import db
from companion.models import Account
from companion.models.base import utcnow
from tests import factories
from tests.auth.test_two_factor import STEP_START, start


@pytest.fixture
def keys(app):
    """Swap the sealing keys for the duration of a test."""
    original = list(app.config["SECRETS_ENCRYPTION_KEYS"])

    def use(*new_keys: bytes) -> None:
        app.config["SECRETS_ENCRYPTION_KEYS"] = [key.decode() for key in new_keys]

    yield use
    app.config["SECRETS_ENCRYPTION_KEYS"] = original


def _stored_secret(account_id) -> str:
    """The column as the database holds it (the attribute is a plain string: no decoding on the way)."""
    return db.session.execute(select(Account.totp_secret).where(Account.id == account_id)).scalar_one()


def test_the_database_holds_a_sealed_secret_not_the_one_the_app_shows(client):
    doc = factories.staff(factories.clinic(), email="doc@clinic.example")
    shown = client.post("/v1/auth/two-factor/setup", headers=factories.bearer(doc)).get_json()["secret"]

    stored = _stored_secret(doc.id)
    assert stored.startswith("fernet:") and shown not in stored
    assert sealing.unseal(stored) == shown


def test_rotating_keys_keeps_codes_working_and_retires_the_old_key(app, client, keys):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    keys(old)
    with time_machine.travel(STEP_START, tick=False) as clock:
        doc = factories.staff(factories.clinic(), email="doc@clinic.example")
        headers = factories.bearer(doc)
        totp = pyotp.TOTP(client.post("/v1/auth/two-factor/setup", headers=headers).get_json()["secret"])
        assert client.post("/v1/auth/two-factor/confirm", json={"code": totp.now()}, headers=headers).status_code == 200

        keys(new, old)  # the new key seals, the old one still opens
        result = app.test_cli_runner().invoke(args=["reseal-secrets"])
        assert result.exit_code == 0 and "sealed with the newest key: 1" in result.output

        keys(new)  # the old key is gone
        clock.shift(30)
        pending = start(client, "doc@clinic.example").get_json()["two_factor_token"]
        signed_in = client.post(
            "/v1/auth/two-factor/verify", json={"code": totp.now()}, headers={"Authorization": f"Bearer {pending}"}
        )
        assert signed_in.status_code == 200

    keys(old)
    with pytest.raises(sealing.SealingError):
        sealing.unseal(_stored_secret(doc.id))


def test_a_secret_stored_before_sealing_still_works_and_setup_seals_it(app, client):
    with time_machine.travel(STEP_START, tick=False) as clock:
        doc = factories.staff(factories.clinic(), email="doc@clinic.example")
        plain = pyotp.random_base32()
        doc.totp_secret = plain
        doc.totp_confirmed_at = utcnow()
        db.session.commit()

        pending = start(client, "doc@clinic.example").get_json()["two_factor_token"]
        code = pyotp.TOTP(plain).now()
        verified = client.post(
            "/v1/auth/two-factor/verify", json={"code": code}, headers={"Authorization": f"Bearer {pending}"}
        )
        assert verified.status_code == 200

        result = app.test_cli_runner().invoke(args=["setup"])
        assert result.exit_code == 0, result.output
        stored = _stored_secret(doc.id)
        assert stored.startswith("fernet:") and plain not in stored

        clock.shift(30)
        pending = start(client, "doc@clinic.example").get_json()["two_factor_token"]
        code = pyotp.TOTP(plain).now()
        verified = client.post(
            "/v1/auth/two-factor/verify", json={"code": code}, headers={"Authorization": f"Bearer {pending}"}
        )
        assert verified.status_code == 200


def test_resealing_with_keys_that_open_nothing_changes_nothing(app, keys):
    keys(Fernet.generate_key())
    doc = factories.staff(factories.clinic(), email="doc@clinic.example")
    doc.totp_secret = sealing.seal(pyotp.random_base32())
    db.session.commit()
    before = _stored_secret(doc.id)

    keys(Fernet.generate_key())
    result = app.test_cli_runner().invoke(args=["reseal-secrets"])
    assert result.exit_code != 0 and "No key in SECRETS_ENCRYPTION_KEYS" in result.output
    db.session.expire_all()
    assert _stored_secret(doc.id) == before
