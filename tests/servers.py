"""Start the real API under gunicorn, on the test database, for tests that need whole processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from companion.extensions import db

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, *, workers: int = 2, env: dict[str, str] | None = None) -> subprocess.Popen:
    """gunicorn with config/gunicorn.py on the test database; returns once /healthz answers."""
    environment = {
        **os.environ,
        "COMPANION_ENV": "testing",
        "TEST_DATABASE_URL": str(db.engine.url.render_as_string(False)),
        **(env or {}),
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 (our own server, fixed arguments)
        [
            str(gunicorn),
            "-c",
            "config/gunicorn.py",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    kill(server)
    raise RuntimeError("the server did not start")


def kill(server: subprocess.Popen) -> None:
    """SIGKILL the master and its workers at once: no chance to clean up."""
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
