"""Drift checks shared by the real tests and by the tests that prove the checks can fail."""

from __future__ import annotations

import difflib

import yaml
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection


def generated_spec_yaml(api) -> str:
    # The same serialisation `flask openapi write --format yaml` uses.
    return yaml.dump(api.spec.to_dict())


def spec_diff(committed: str, generated: str) -> list[str]:
    return list(
        difflib.unified_diff(committed.splitlines(), generated.splitlines(), "openapi.yaml", "generated", lineterm="")
    )


def schema_diff(connection: Connection, metadata: MetaData) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, metadata)
