"""Settings for every environment; the process environment is read here and nowhere else."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = ROOT / "instance"

# Values a developer might paste from a tutorial; production refuses to start with them.
_WEAK_SECRETS = {"", "secret", "changeme", "change-me", "dev", "development", "test", "password"}
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """Raised at start-up when the settings would make the service unsafe to run."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _env_list(name: str) -> list[str]:
    raw = _env(name, "") or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


def _derived_sealing_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development and tests only."""
    return base64.urlsafe_b64encode(hashlib.sha256(b"companion-sealing:" + secret_key.encode()).digest()).decode()


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def _normalise_database_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class BaseConfig:
    ENV_NAME = "base"
    TESTING = False
    DEBUG = False

    SECRET_KEY = _env("SECRET_KEY", "dev-only-secret-key-not-for-production-use")
    JWT_SECRET_KEY = _env("JWT_SECRET_KEY", "dev-only-jwt-secret-key-not-for-production-use")
    # Fernet keys, newest first, that seal authenticator secrets at rest (companion/auth/sealing.py).
    SECRETS_ENCRYPTION_KEYS = _env_list("SECRETS_ENCRYPTION_KEYS") or [_derived_sealing_key(SECRET_KEY)]
    SQLALCHEMY_DATABASE_URI = _normalise_database_url(
        _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'companion.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    LOG_LEVEL = (_env("LOG_LEVEL", "INFO") or "INFO").upper()
    CORS_ORIGINS = _env_list("CORS_ORIGINS")  # closed unless an operator opens it
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 256 * 1024)
    METRICS_TOKEN = _env("METRICS_TOKEN")  # when set, /metrics wants "Authorization: Bearer <token>"
    # Set by config/gunicorn.py: /metrics then adds up every worker's counts, not just its own.
    METRICS_MULTIPROC_DIR = _env("PROMETHEUS_MULTIPROC_DIR")
    TRUST_PROXY_HOPS = _env_int("TRUST_PROXY_HOPS", 0)

    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True

    # Pinning the algorithm is what refuses alg=none and key-confusion tokens.
    JWT_ALGORITHM = "HS256"
    JWT_DECODE_ALGORITHMS = ["HS256"]
    JWT_TOKEN_LOCATION = ["headers"]
    LOGIN_LIMIT_PER_IP = _env("LOGIN_LIMIT_PER_IP", "30 per minute;300 per hour")
    # Counts failed attempts only, so a patient who signs in often is never locked out.
    LOGIN_LIMIT_PER_ACCOUNT = _env("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;20 per hour")
    ACTIVATION_LIMIT_PER_IP = _env("ACTIVATION_LIMIT_PER_IP", "10 per minute;50 per hour")

    JWT_ACCESS_TOKEN_MINUTES = _env_int("JWT_ACCESS_TOKEN_MINUTES", 15)
    JWT_REFRESH_TOKEN_DAYS = _env_int("JWT_REFRESH_TOKEN_DAYS", 30)
    # A refresh retried this soon, before its new token is used, gets the same pair (a lost answer).
    JWT_REFRESH_RETRY_SECONDS = _env_int("JWT_REFRESH_RETRY_SECONDS", 60)
    ENROLLMENT_CODE_HOURS = _env_int("ENROLLMENT_CODE_HOURS", 72)
    # argon2id cost; tests lower it so the suite stays quick, production keeps the library defaults.
    ARGON2_TIME_COST = _env_int("ARGON2_TIME_COST", 3)
    ARGON2_MEMORY_COST = _env_int("ARGON2_MEMORY_COST", 65536)
    ARGON2_PARALLELISM = _env_int("ARGON2_PARALLELISM", 4)

    API_TITLE = "Ketamine Infusion Companion API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    OPENAPI_SWAGGER_UI_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"

    @classmethod
    def validate(cls) -> None:
        """Refuse settings that are unsafe for this environment."""


class DevelopmentConfig(BaseConfig):
    ENV_NAME = "development"


class TestingConfig(BaseConfig):
    ENV_NAME = "testing"
    TESTING = True
    SQLALCHEMY_DATABASE_URI = _normalise_database_url(
        _env("TEST_DATABASE_URL", _env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'test.db'}"))
    )
    RATELIMIT_STORAGE_URI = _env("TEST_RATELIMIT_STORAGE_URI", "memory://")
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    LOG_LEVEL = "WARNING"


class ProductionConfig(BaseConfig):
    ENV_NAME = "production"
    SECRET_KEY = _env("SECRET_KEY")
    JWT_SECRET_KEY = _env("JWT_SECRET_KEY")
    SECRETS_ENCRYPTION_KEYS = _env_list("SECRETS_ENCRYPTION_KEYS")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 5}

    @classmethod
    def validate(cls) -> None:
        for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
            value = getattr(cls, name) or ""
            if value.lower() in _WEAK_SECRETS or len(value) < MIN_SECRET_LENGTH or "dev-only" in value:
                raise ConfigError(
                    f"{name} is missing or too weak for production: set it to a random value of at "
                    f'least {MIN_SECRET_LENGTH} characters, e.g. `python -c "import secrets; '
                    f'print(secrets.token_urlsafe(48))"`.'
                )
        if not cls.SECRETS_ENCRYPTION_KEYS or not all(map(_is_fernet_key, cls.SECRETS_ENCRYPTION_KEYS)):
            raise ConfigError(
                "SECRETS_ENCRYPTION_KEYS must list one or more Fernet keys (newest first), kept outside the "
                'database, e.g. `python -c "from cryptography.fernet import Fernet; '
                'print(Fernet.generate_key().decode())"`.'
            )
        if cls.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            raise ConfigError("DATABASE_URL must point at PostgreSQL in production.")


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def from_environment() -> type[BaseConfig]:
    """The settings class named by COMPANION_ENV (development when unset)."""
    name = _env("COMPANION_ENV", "development") or "development"
    try:
        return CONFIGS[name]
    except KeyError as exc:
        raise ConfigError(f"COMPANION_ENV must be one of {sorted(CONFIGS)}, got {name!r}") from exc
