"""Under gunicorn, /metrics adds up every worker's counts instead of reporting whichever answered."""

from __future__ import annotations

import re
import socket
import time
import urllib.request

from tests import servers

HEALTHZ = re.compile(r'^companion_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)$', re.M)
WORKERS = 3


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.read().decode()


def _healthz_count(port: int) -> float:
    return float(HEALTHZ.search(_get(port, "/metrics"))[1])


def _one_request_per_worker(port: int) -> None:
    """Half-sent requests pin each sync worker in turn, so every worker answers one."""
    connections = []
    for _ in range(WORKERS):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        connections.append(connection)
        time.sleep(0.3)  # a free worker accepts it and waits for the rest of the request
    for connection in connections:
        connection.sendall(b"Connection: close\r\n\r\n")
        assert connection.recv(1024).startswith(b"HTTP/1.1 200")
        connection.close()


def test_metrics_count_requests_across_all_workers(app, tmp_path):
    port = servers.free_port()
    server = servers.start_gunicorn(port, workers=WORKERS, env={"PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    try:
        _one_request_per_worker(port)
        before = _healthz_count(port)
        _one_request_per_worker(port)
        for _ in range(60 - WORKERS):
            _get(port, "/healthz")
        readings = {_healthz_count(port) for _ in range(9)}
        answering_workers = len(list(tmp_path.glob("counter_*.db")))
    finally:
        servers.kill(server)

    assert answering_workers == WORKERS
    assert readings == {before + 60}  # whichever worker answers /metrics
