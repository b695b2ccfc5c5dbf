"""Fuzz the running API with Schemathesis, signed in as each role, against the committed openapi.yaml.

    .venv/bin/python tests/fuzz/run.py [--examples 10]

It starts gunicorn on a throwaway database (a temp SQLite file, or the PostgreSQL database in
DATABASE_URL, which it wipes), loads the demo clinic, signs in as patient, clinician, admin
and push service, and runs every Schemathesis check against each. Exit status is non-zero
when any run finds a failure. Settings and the few documented exceptions: .ci/schemathesis.toml.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# Signing out, refreshing or changing the password would end the very session the run uses.
EXCLUDE = r"/v1/auth/(logout|refresh)|/v1/me/password"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, body: dict) -> dict:
    request = urllib.request.Request(  # noqa: S310 (loopback only)
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.load(response)


def _prepare(env: dict) -> None:
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    if env["DATABASE_URL"].startswith("postgresql"):
        subprocess.run([*flask, "db", "downgrade", "base"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    subprocess.run([*flask, "setup"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603
    subprocess.run([*flask, "demo"], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603


def _tokens(base: str) -> dict[str, str]:
    from companion.services.demo import (
        ADMIN_EMAIL,
        CLINICIAN_EMAIL,
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_PASSWORD,
        PATIENT_EMAIL,
    )

    tokens = {
        role: _post(f"{base}/v1/auth/login", {"email": email, "password": DEMO_PASSWORD})["access_token"]
        for role, email in (("patient", PATIENT_EMAIL), ("clinician", CLINICIAN_EMAIL), ("admin", ADMIN_EMAIL))
    }
    grant = {"grant_type": "client_credentials", "client_id": DEMO_CLIENT_ID, "client_secret": DEMO_CLIENT_SECRET}
    tokens["push_service"] = _post(f"{base}/v1/auth/token", grant)["access_token"]
    return tokens


def main() -> int:
    parser = argparse.ArgumentParser(description="Fuzz the API with Schemathesis as every role.")
    parser.add_argument("--examples", type=int, default=10)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    scratch = Path(tempfile.mkdtemp(prefix="fuzz-"))
    env = {
        **os.environ,
        "COMPANION_ENV": "development",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{scratch / 'fuzz.db'}",
        # Sign-in throttling is tested elsewhere; here it would only hide endpoints behind 429s.
        "LOGIN_LIMIT_PER_IP": "100000 per minute",
        "ACTIVATION_LIMIT_PER_IP": "100000 per minute",
    }
    _prepare(env)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        failed = []
        for role, token in _tokens(base).items():
            print(f"== schemathesis as {role}", flush=True)
            run = subprocess.run(  # noqa: S603
                [
                    str(BIN / "schemathesis"),
                    "--config-file",
                    str(ROOT / ".ci" / "schemathesis.toml"),
                    "run",
                    str(ROOT / "openapi.yaml"),
                    "--url",
                    base,
                    "-H",
                    f"Authorization: Bearer {token}",
                    "--checks",
                    "all",
                    "--max-examples",
                    str(args.examples),
                    "--seed",
                    "20261124",
                    "--phases",
                    "examples,fuzzing,stateful",
                    "--exclude-path-regex",
                    EXCLUDE,
                    "--warnings",
                    "off",
                    "--no-color",
                    # The API refuses NUL and unpaired surrogates with a 422 on purpose (no database
                    # column can hold them; see companion/http.py), so valid data leaves them out.
                    "--generation-allow-x00",
                    "false",
                    "--generation-codec",
                    "utf-8",
                ],
                cwd=ROOT,
            )
            if run.returncode:
                failed.append(role)
        print("fuzzing found problems as: " + ", ".join(failed) if failed else "fuzzing found nothing")
        return 1 if failed else 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


if __name__ == "__main__":
    sys.exit(main())
