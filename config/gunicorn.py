"""gunicorn settings: `gunicorn -c config/gunicorn.py wsgi:app`. Environment overrides are gunicorn's own."""

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

# Every worker counts its own requests; prometheus_client adds them up across workers when this
# directory is set before it is first imported (here, in the master, before any worker starts).
_own_metrics_dir = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _own_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="companion-metrics-")

bind = os.environ.get("BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 20
keepalive = 5
# gunicorn would answer an over-long URL with its own HTML page; let the app answer every request in
# problem+json instead, and leave the size cap to the reverse proxy in front (nginx: 8 KB by default).
limit_request_line = 0
accesslog = None  # the app writes its own JSON access line, with the route template instead of the path


def on_starting(server):
    """Counts left by an earlier run in a reused directory would otherwise be added to this one's."""
    for leftover in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        leftover.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
