"""One-time codes (activation, recovery): random, shown once, stored only as a keyed digest."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

# Crockford-style alphabet: no I, L, O or U, so codes read aloud or typed from paper survive.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code(groups: int = 2, group_length: int = 5) -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(groups * group_length))
    return "-".join(raw[i : i + group_length] for i in range(0, len(raw), group_length))


def normalise(code: str) -> str:
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def digest(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()
