"""The scheduler process: APScheduler 3 (BlockingScheduler, UTC) driving the tick jobs.

It runs as its own process (`flask scheduler`), never inside the web workers. On SQLite only
one may run (a file lock); on PostgreSQL several may, and advisory locks plus SKIP LOCKED
keep them from doing the same work twice.
"""

from __future__ import annotations

import fcntl
import logging
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from companion.extensions import db
from companion.scheduling.jobs import JOBS, run_job

log = logging.getLogger(__name__)


class AlreadyRunning(RuntimeError):
    pass


def single_process_guard(instance_dir: Path):
    """SQLite has no row locks to share work safely, so a second scheduler is refused."""
    handle = (instance_dir / "scheduler.lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise AlreadyRunning("Another scheduler is already running against this SQLite database.") from exc
    return handle


def build(app: Flask) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    )

    def tick(job):
        with app.app_context():
            run_job(job)

    for job in JOBS:
        # First run at start-up: after downtime, due nudges go out and stale ones are marked at once.
        scheduler.add_job(
            tick,
            "interval",
            args=[job],
            id=job.name,
            seconds=job.every.total_seconds(),
            next_run_time=datetime.now(UTC),
        )
    return scheduler


def run(app: Flask) -> None:
    guard = None
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            guard = single_process_guard(Path(app.instance_path))
    log.info("scheduler starting", extra={"jobs": [job.name for job in JOBS]})
    try:
        build(app).start()
    finally:
        if guard:
            guard.close()
