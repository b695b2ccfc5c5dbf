"""Secrets the service must read back, such as authenticator seeds, sealed at rest.

A copy of the database alone must not be enough to generate a clinician's sign-in codes, so
these values are encrypted with Fernet keys held in the environment (SECRETS_ENCRYPTION_KEYS,
newest first). Any listed key opens a value; `flask reseal-secrets` re-seals every value with
the newest one, after which an old key can be dropped.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

PREFIX = "fernet:"


class SealingError(RuntimeError):
    """A sealed value that none of the configured keys opens: the keys are misconfigured."""


def _keys() -> MultiFernet:
    keys = tuple(current_app.config["SECRETS_ENCRYPTION_KEYS"])
    cached = current_app.extensions.get("sealing")
    if cached is None or cached[0] != keys:
        cached = (keys, MultiFernet([Fernet(key) for key in keys]))
        current_app.extensions["sealing"] = cached
    return cached[1]


def seal(secret: str) -> str:
    return PREFIX + _keys().encrypt(secret.encode()).decode()


def unseal(stored: str) -> str:
    """The secret; a value stored before sealing existed comes back as it is until it is resealed."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _keys().decrypt(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise SealingError("No key in SECRETS_ENCRYPTION_KEYS opens a sealed secret.") from exc


def reseal(stored: str) -> str:
    """The same secret sealed with the newest key (sealing it for the first time if it was plain)."""
    if not stored.startswith(PREFIX):
        return seal(stored)
    try:
        return PREFIX + _keys().rotate(stored.removeprefix(PREFIX).encode()).decode()
    except InvalidToken as exc:
        raise SealingError("No key in SECRETS_ENCRYPTION_KEYS opens a sealed secret.") from exc
