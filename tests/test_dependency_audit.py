"""The dependency audit: OSV range semantics, the offline stand-in for OSV, and the committed snapshot."""

from __future__ import annotations

import datetime as dt
import json
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.security import audit

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = sorted((ROOT / "requirements").glob("*.txt"))


def advisory(*events: dict[str, str], name: str = "demo-pkg", **extra: object) -> dict:
    affected = {
        "package": {"ecosystem": "PyPI", "name": name},
        "ranges": [{"type": "ECOSYSTEM", "events": list(events)}],
    }
    return {"id": "PYSEC-0000-1", "aliases": ["CVE-0000-1"], "affected": [affected], **extra}


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.9", False), ("1.0", True), ("1.4.2", True), ("1.5", False), ("2.0", False)],
)
def test_introduced_is_inclusive_and_fixed_is_exclusive(version, expected):
    record = advisory({"introduced": "1.0"}, {"fixed": "1.5"})
    assert audit.is_affected(record, "demo-pkg", version) is expected


@pytest.mark.parametrize(("version", "expected"), [("0", True), ("2.3", True), ("2.3.post1", False), ("3", False)])
def test_last_affected_is_inclusive(version, expected):
    record = advisory({"introduced": "0"}, {"last_affected": "2.3"})
    assert audit.is_affected(record, "demo-pkg", version) is expected


@pytest.mark.parametrize(("version", "expected"), [("1.1", True), ("1.2", False), ("2.0", True), ("2.1", False)])
def test_events_are_evaluated_in_version_order_whatever_their_listed_order(version, expected):
    record = advisory({"introduced": "2.0"}, {"fixed": "2.1"}, {"introduced": "0"}, {"fixed": "1.2"})
    assert audit.is_affected(record, "demo-pkg", version) is expected


def test_an_explicit_versions_list_counts_when_there_is_no_range():
    record = {
        "id": "X",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "demo-pkg"}, "versions": ["1.0", "1.1"]}],
    }
    assert audit.is_affected(record, "demo-pkg", "1.1")
    assert audit.is_affected(record, "demo-pkg", "1.1.0")  # the same version, spelled differently
    assert not audit.is_affected(record, "demo-pkg", "1.2")


def test_names_are_compared_in_canonical_form_and_other_projects_do_not_match():
    record = advisory({"introduced": "0"}, {"fixed": "9"}, name="Demo_Pkg")
    assert audit.is_affected(record, "demo.pkg", "1")
    assert not audit.is_affected(record, "other-pkg", "1")


def test_withdrawn_advisories_and_unparseable_versions_do_not_match():
    assert not audit.is_affected(advisory({"introduced": "0"}, withdrawn="2026-01-01T00:00:00Z"), "demo-pkg", "1")
    record = advisory({"introduced": "not a version"}, {"introduced": "1.0"}, {"fixed": "1.5"})
    assert audit.is_affected(record, "demo-pkg", "1.2")
    assert not audit.is_affected(record, "demo-pkg", "not a version either")


def test_pins_are_read_with_extras_markers_and_comments(tmp_path):
    requirements = tmp_path / "req.txt"
    requirements.write_text(
        "# a comment\n"
        "Flask==3.1.3\n"
        "psycopg[binary]==3.3.9  # via base.in\n"
        "zope.interface==8.7 ; python_version >= '3.11'\n"
        "-r other.txt\n"
        "loose>=1\n"
    )
    assert audit.pinned([requirements]) == {"flask": "3.1.3", "psycopg": "3.3.9", "zope-interface": "8.7"}


def _advisory_file(database: Path, folder: str, name: str, text: str) -> None:
    (database / "vulns" / folder).mkdir(parents=True)
    (database / "vulns" / folder / name).write_text(text)


def test_snapshot_is_built_from_a_database_checkout_keeping_facts_only(tmp_path):
    _advisory_file(
        tmp_path,
        "Demo_Pkg",
        "PYSEC-2020-1.yaml",
        "id: PYSEC-2020-1\n"
        "summary: A long story\n"
        "details: More of the story\n"
        "aliases: [CVE-2020-1]\n"
        "modified: 2024-01-01T00:00:00Z\n"
        "published: 2020-01-01T00:00:00Z\n"
        "affected:\n"
        "- package: {ecosystem: PyPI, name: demo-pkg}\n"
        "  ranges:\n"
        "  - {type: GIT, repo: 'https://example.invalid', events: [{introduced: '0'}, {fixed: abc123}]}\n"
        "  - {type: ECOSYSTEM, events: [{introduced: '0'}, {fixed: '1.5'}]}\n"
        "  versions: ['1.0', '1.4']\n"
        "references: [{type: WEB, url: 'https://example.invalid'}]\n",
    )
    snapshot = audit.build_snapshot(tmp_path, {"demo-pkg": "1.0", "clean-pkg": "2.0"}, dt.date(2026, 11, 24))

    assert snapshot["taken"] == "2026-11-24"
    assert snapshot["packages"] == {
        "clean-pkg": {"directory": None, "advisory_files": 0},
        "demo-pkg": {"directory": "vulns/Demo_Pkg", "advisory_files": 1},
    }
    (record,) = snapshot["advisories"]
    assert set(record) == {"id", "aliases", "published", "modified", "affected", "source"}
    assert record["affected"] == [
        {
            "package": {"ecosystem": "PyPI", "name": "demo-pkg"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.5"}]}],
        }
    ]
    assert record["source"] == "pypa/advisory-database/vulns/Demo_Pkg/PYSEC-2020-1.yaml"
    assert audit.is_affected(record, "demo-pkg", "1.0")


def test_the_oldest_flat_range_layout_becomes_an_event_list(tmp_path):
    _advisory_file(
        tmp_path,
        "demo-pkg",
        "PYSEC-0000-CVE-2018-1.yaml",
        "id: PYSEC-0000-CVE-2018-1\n"
        "affected:\n"
        "- package: {ecosystem: PyPI, name: demo-pkg}\n"
        "  ranges: [{type: ECOSYSTEM, fixed: 0.12.30}]\n",
    )
    (record,) = audit.build_snapshot(tmp_path, {"demo-pkg": "1"}, dt.date(2026, 11, 24))["advisories"]
    assert record["affected"][0]["ranges"] == [
        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0.12.30"}]}
    ]
    assert audit.is_affected(record, "demo-pkg", "0.12.29")
    assert not audit.is_affected(record, "demo-pkg", "0.12.30")


def test_a_numbered_record_supersedes_the_draft_with_the_same_alias():
    draft = advisory({"introduced": "0"}) | {"id": "PYSEC-0000-CVE-2023-1", "aliases": ["CVE-2023-1"]}
    numbered = advisory({"introduced": "0"}) | {"id": "PYSEC-2023-7", "aliases": ["CVE-2023-1"], "withdrawn": "2023-06"}
    lone_draft = advisory({"introduced": "0"}) | {"id": "PYSEC-0000-CVE-2024-9", "aliases": ["CVE-2024-9"]}
    kept = audit.without_superseded_drafts([draft, numbered, lone_draft])
    assert [r["id"] for r in kept] == ["PYSEC-2023-7", "PYSEC-0000-CVE-2024-9"]


def _query(url: str, body: bytes) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def test_the_mirror_answers_like_osv():
    records = [advisory({"introduced": "0"}, {"fixed": "1.5"})]
    with audit.osv_mirror(records) as url:
        status, body = _query(
            url, json.dumps({"package": {"name": "Demo_Pkg", "ecosystem": "PyPI"}, "version": "1.0"}).encode()
        )
        assert status == 200
        assert [vuln["id"] for vuln in body["vulns"]] == ["PYSEC-0000-1"]
        assert body["vulns"][0]["aliases"] == ["CVE-0000-1"]

        assert _query(url, json.dumps({"package": {"name": "demo-pkg"}, "version": "1.5"}).encode()) == (200, {})
        assert _query(url, b"{not json")[0] == 400
        assert (
            _query(url, json.dumps({"package": {"name": "demo-pkg", "ecosystem": "npm"}, "version": "1"}).encode())[0]
            == 400
        )
        assert _query(url.replace("/v1/query", "/v1/querybatch"), b"{}")[0] == 404


@pytest.fixture
def unreachable_osv() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1/query"  # nothing listens there once the socket closes


def _offline_audit(tmp_path: Path, url: str, records: list[dict], covered: list[str]) -> int:
    requirements = tmp_path / "req.txt"
    requirements.write_text("itsdangerous==2.2.0\nblinker==1.9.0\n")
    snapshot = tmp_path / "snapshot.json"
    packages = {name: {"directory": None, "advisory_files": 0} for name in covered}
    snapshot.write_text(json.dumps({"taken": "2026-11-01", "packages": packages, "advisories": records}))
    return audit.audit([requirements], snapshot, live_url=url)


def test_offline_audit_fails_on_a_known_vulnerability_and_passes_without(tmp_path, unreachable_osv):
    assert not audit.osv_reachable(unreachable_osv, timeout=1)
    vulnerable = [advisory({"introduced": "2.0"}, {"fixed": "2.2.1"}, name="itsdangerous")]
    assert _offline_audit(tmp_path, unreachable_osv, vulnerable, ["itsdangerous", "blinker"]) == 1
    fixed_long_ago = [advisory({"introduced": "0"}, {"fixed": "2.1"}, name="itsdangerous")]
    assert _offline_audit(tmp_path, unreachable_osv, fixed_long_ago, ["itsdangerous", "blinker"]) == 0


def test_offline_audit_refuses_a_pin_the_snapshot_never_looked_up(tmp_path, unreachable_osv, capsys):
    assert _offline_audit(tmp_path, unreachable_osv, [], ["itsdangerous"]) == 1
    assert "no record for: blinker" in capsys.readouterr().err


def test_the_committed_snapshot_covers_every_pin_and_finds_no_known_vulnerability():
    snapshot = audit.load_snapshot()
    pins = audit.pinned(REQUIREMENTS)
    assert audit.uncovered(snapshot, pins) == []
    found = {
        name: [a["id"] for a in audit.matching(snapshot["advisories"], name, version)] for name, version in pins.items()
    }
    assert {name: ids for name, ids in found.items() if ids} == {}
