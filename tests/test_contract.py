"""The committed OpenAPI spec and the migrations must match the code."""

from pathlib import Path

import yaml
from openapi_spec_validator import validate
from sqlalchemy import Column, Integer, MetaData, String, Table

from companion.extensions import api, db
from tests.drift import generated_spec_yaml, schema_diff, spec_diff

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
REGENERATE = "regenerate it with `flask --app wsgi openapi write --format yaml openapi.yaml`"


def test_committed_spec_matches_the_code(app):
    diff = spec_diff(SPEC_PATH.read_text(), generated_spec_yaml(api))
    assert not diff, "openapi.yaml is out of date; " + REGENERATE + "\n" + "\n".join(diff[:40])


def test_spec_drift_check_catches_a_changed_spec(app):
    drifted = generated_spec_yaml(api).replace("Report that the process is up.", "Something else.")
    assert spec_diff(drifted, generated_spec_yaml(api))


def test_committed_spec_is_valid_openapi():
    validate(yaml.safe_load(SPEC_PATH.read_text()))


def test_migrations_match_the_models(app):
    with db.engine.connect() as conn:
        diff = schema_diff(conn, db.metadata)
    assert not diff, f"models and migrations disagree; run `flask db migrate`: {diff}"


def test_schema_drift_check_catches_a_model_without_migration(app):
    drifted = MetaData()
    for table in db.metadata.tables.values():
        table.to_metadata(drifted)
    Table("unmigrated_thing", drifted, Column("id", Integer, primary_key=True), Column("name", String(10)))
    with db.engine.connect() as conn:
        diff = schema_diff(conn, drifted)
    assert any(op[0] == "add_table" and op[1].name == "unmigrated_thing" for op in diff)


def test_docs_are_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.get_data(as_text=True)
