"""Is this instance ready for traffic: database reachable and schema at the newest migration."""

from __future__ import annotations

import logging
from functools import cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

import config as settings
from companion.extensions import db

log = logging.getLogger(__name__)


@cache
def expected_heads() -> frozenset[str]:
    alembic_cfg = Config()
    alembic_cfg.set_main_option("script_location", str(settings.ROOT / "migrations"))
    return frozenset(ScriptDirectory.from_config(alembic_cfg).get_heads())


def check() -> dict[str, str]:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        log.warning("readiness: database unreachable", extra={"error_class": type(exc).__name__})
        return {"status": "not-ready", "database": "unreachable", "migrations": "unknown"}
    migrations = "at-head" if current == expected_heads() else "behind"
    status = "ready" if migrations == "at-head" else "not-ready"
    return {"status": status, "database": "ok", "migrations": migrations}
