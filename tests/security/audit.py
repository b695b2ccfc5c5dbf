"""Audit the pinned dependencies with pip-audit, online or against a committed advisory snapshot.

    .venv/bin/python tests/security/audit.py requirements/base.txt [requirements/dev.txt ...]
    .venv/bin/python tests/security/audit.py --refresh DIR requirements/*.txt

pip-audit asks OSV (api.osv.dev) whether each pinned version has a known vulnerability. Where
OSV cannot be reached, as on the sandboxed machines that run CI, the same pip-audit run goes to
a local stand-in for OSV's query endpoint that answers from `advisories.json`: the PyPA advisory
database's records for every pinned project, reduced to identifiers and affected version ranges.
Either way a known vulnerability fails the run. Offline, a pinned project the snapshot has no
record of also fails it, so a new dependency cannot slip in unaudited.

`--refresh DIR` rebuilds the snapshot from a checkout of https://github.com/pypa/advisory-database
(`git clone --depth 1` or its archive): it reads `vulns/<project>/*.yaml` for every pinned project.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "advisories.json"
LIVE_OSV = "https://api.osv.dev/v1/query"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")

Advisory = dict[str, Any]


def pinned(requirement_files: Iterable[Path]) -> dict[str, str]:
    """Canonical project name to pinned version, from `name==version` lines."""
    pins: dict[str, str] = {}
    for path in requirement_files:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = PIN.match(line.strip())
            if match:
                pins[canonicalize_name(match[1])] = match[2]
    return pins


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV's evaluation of one ECOSYSTEM range: walk the events in version order."""
    keyed = []
    for event in events:
        kind, value = next(iter(event.items()))
        if kind == "limit":
            continue
        at = Version("0") if value == "0" else _version(value)
        if at is not None:
            keyed.append((at, kind))
    affected = False
    for at, kind in sorted(keyed, key=lambda item: item[0]):
        if kind == "introduced" and version >= at:
            affected = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            affected = False
    return affected


def is_affected(advisory: Advisory, name: str, version: str) -> bool:
    """True when this advisory names `version` of project `name` (PyPI) as affected."""
    if advisory.get("withdrawn"):
        return False
    wanted = canonicalize_name(name)
    parsed = _version(version)
    for affected in advisory.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI" or canonicalize_name(package.get("name", "")) != wanted:
            continue
        ranges = [r for r in affected.get("ranges", []) if r.get("type") == "ECOSYSTEM"]
        if parsed is not None and any(_in_range(parsed, r.get("events", [])) for r in ranges):
            return True
        listed = {_version(v) for v in affected.get("versions", [])} - {None}
        if parsed is not None and parsed in listed:
            return True
    return False


def matching(advisories: list[Advisory], name: str, version: str) -> list[Advisory]:
    return [advisory for advisory in advisories if is_affected(advisory, name, version)]


def _as_osv(advisory: Advisory) -> Advisory:
    """The record as OSV's API would return it, minus the prose the snapshot leaves out."""
    record = {key: advisory[key] for key in ("id", "aliases", "published", "modified", "affected") if key in advisory}
    record["summary"] = f"see https://osv.dev/vulnerability/{advisory['id']}"
    return record


class _QueryHandler(BaseHTTPRequestHandler):
    advisories: list[Advisory] = []

    def do_POST(self) -> None:
        if self.path != "/v1/query":
            self.send_error(404)
            return
        try:
            query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            name, version = query["package"]["name"], query["version"]
            if query["package"].get("ecosystem", "PyPI") != "PyPI":
                raise ValueError("only the PyPI ecosystem is mirrored")
        except (ValueError, KeyError, TypeError) as error:
            self.send_error(400, str(error))
            return
        found = [_as_osv(advisory) for advisory in matching(self.advisories, name, version)]
        body = json.dumps({"vulns": found} if found else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def osv_mirror(advisories: list[Advisory]) -> Iterator[str]:
    """Serve OSV's `/v1/query` on a loopback port from these records; yields the query URL."""
    handler = type("Handler", (_QueryHandler,), {"advisories": advisories})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


def osv_reachable(url: str = LIVE_OSV, timeout: float = 5.0) -> bool:
    query = json.dumps({"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "0"}).encode()
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(url, data=query, headers=headers, method="POST")  # noqa: S310 (ours, http(s))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def load_snapshot(path: Path = SNAPSHOT) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def uncovered(snapshot: dict[str, Any], pins: dict[str, str]) -> list[str]:
    """Pinned projects the snapshot never looked up, so it cannot vouch for them."""
    return sorted(set(pins) - set(snapshot["packages"]))


def _events(ecosystem_range: Advisory) -> list[dict[str, str]]:
    """A range's events; the oldest records give a flat `introduced`/`fixed` pair instead of a list."""
    if "events" in ecosystem_range:
        return ecosystem_range["events"]
    events = [{"introduced": str(ecosystem_range.get("introduced", "0"))}]
    return events + [
        {kind: str(ecosystem_range[kind])} for kind in ("fixed", "last_affected") if kind in ecosystem_range
    ]


def _facts(record: Advisory, source: str) -> Advisory:
    """Identifiers and affected versions of one OSV record; no prose."""
    affected = []
    for entry in record.get("affected", []):
        kept: Advisory = {"package": {"ecosystem": "PyPI", "name": entry["package"]["name"]}}
        ranges = [r for r in entry.get("ranges", []) if r.get("type") == "ECOSYSTEM"]
        if ranges:
            kept["ranges"] = [{"type": "ECOSYSTEM", "events": _events(r)} for r in ranges]
        elif entry.get("versions"):
            kept["versions"] = entry["versions"]
        affected.append(kept)
    facts = {"id": record["id"], "aliases": record.get("aliases", [])}
    for key in ("published", "modified", "withdrawn"):
        if record.get(key):
            facts[key] = str(record[key])
    facts["affected"] = affected
    facts["source"] = source
    return facts


def without_superseded_drafts(records: list[Advisory]) -> list[Advisory]:
    """Drop `PYSEC-0000-*` drafts that a numbered record shares an alias with.

    Contributors file new advisories as PYSEC-0000 placeholders and the database's bot numbers
    them; copies of the placeholder can linger with a first, rougher range (all versions, or a
    pre-release range that sorts the wrong way) that the numbered record corrected or withdrew.
    """
    numbered = {alias for r in records if not r["id"].startswith("PYSEC-0000-") for alias in r.get("aliases", [])}
    return [r for r in records if not (r["id"].startswith("PYSEC-0000-") and numbered & set(r.get("aliases", [])))]


def build_snapshot(database: Path, pins: dict[str, str], taken: dt.date) -> dict[str, Any]:
    """Snapshot of a PyPA advisory database checkout for the pinned projects."""
    directories = {canonicalize_name(path.name): path for path in (database / "vulns").iterdir() if path.is_dir()}
    packages: dict[str, Any] = {}
    advisories: list[Advisory] = []
    for name in sorted(pins):
        directory = directories.get(name)
        files = sorted(directory.glob("*.yaml")) if directory else []
        packages[name] = {"directory": f"vulns/{directory.name}" if directory else None, "advisory_files": len(files)}
        for file in files:
            # BaseLoader builds nothing but strings, lists and dicts, so version 1.10 stays "1.10".
            record = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506
            advisories.append(_facts(record, f"pypa/advisory-database/{file.relative_to(database).as_posix()}"))
    return {
        "source": "https://github.com/pypa/advisory-database (PYSEC records, CC-BY 4.0), identifiers and ranges only",
        "taken": taken.isoformat(),
        "packages": packages,
        "advisories": without_superseded_drafts(advisories),
    }


def _pip_audit(requirement_files: list[Path], osv_url: str) -> int:
    command = [str(Path(sys.executable).parent / "pip-audit"), "--no-deps", "--progress-spinner", "off"]
    command += ["--vulnerability-service", "osv", "--osv-url", osv_url, "--aliases", "on"]
    for path in requirement_files:
        command += ["-r", str(path)]
    return subprocess.call(command)  # noqa: S603 (our own argument list)


def audit(requirement_files: list[Path], snapshot_path: Path = SNAPSHOT, live_url: str = LIVE_OSV) -> int:
    if osv_reachable(live_url):
        print(f"pip-audit against OSV ({live_url})", flush=True)
        return _pip_audit(requirement_files, live_url)
    snapshot = load_snapshot(snapshot_path)
    pins = pinned(requirement_files)
    missing = uncovered(snapshot, pins)
    if missing:
        print(f"The advisory snapshot has no record for: {', '.join(missing)}.", file=sys.stderr)
        print("Refresh it (see the top of tests/security/audit.py) before pinning them.", file=sys.stderr)
        return 1
    newest = max((str(record.get("modified", "")) for record in snapshot["advisories"]), default="none")[:10]
    print(
        f"OSV is unreachable: pip-audit against the committed advisory snapshot (taken {snapshot['taken']}, "
        f"newest record modified {newest}): {len(snapshot['advisories'])} records for {len(pins)} pinned projects",
        flush=True,
    )
    with osv_mirror(snapshot["advisories"]) as url:
        return _pip_audit(requirement_files, url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("requirements", nargs="+", type=Path)
    parser.add_argument("--refresh", type=Path, metavar="DIR", help="rebuild the snapshot from this database checkout")
    args = parser.parse_args(argv)
    if args.refresh:
        snapshot = build_snapshot(args.refresh, pinned(args.requirements), dt.date.today())
        SNAPSHOT.write_text(json.dumps(snapshot, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(snapshot['advisories'])} records for {len(snapshot['packages'])} projects -> {SNAPSHOT}")
        return 0
    return audit(args.requirements)


if __name__ == "__main__":
    sys.exit(main())
