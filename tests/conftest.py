"""Fixtures: one app and one migrated database per session; every test starts from empty tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from companion import create_app
from companion.extensions import db, limiter
from config import TestingConfig


def _reset_database(app: Flask) -> None:
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
    else:
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if not tables:
        return
    with db.engine.begin() as conn:
        if db.engine.url.get_backend_name() == "postgresql":
            if conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")):
                # DELETE is far cheaper than TRUNCATE on tiny tables; replica mode skips the FK and
                # append-only triggers for this cleanup transaction only (it needs a superuser).
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                for table in tables:
                    conn.execute(table.delete())
            else:
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            # articles and article_versions point at each other; check keys once everything is gone.
            conn.execute(text("PRAGMA defer_foreign_keys = ON"))
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    app = create_app(TestingConfig)
    with app.app_context():
        _reset_database(app)
        upgrade()
    yield app


@pytest.fixture(autouse=True)
def _clean_state(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        _empty_tables()
        limiter.reset()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()
