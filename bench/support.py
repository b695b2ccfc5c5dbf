"""What the benchmark scripts share: where they write, which database they wipe, progress lines."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def target_database(default_file: str) -> str:
    """DATABASE_URL, else a fresh SQLite file in bench/out; the scripts wipe it, so never `test`."""
    OUT.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{OUT / default_file}"
    if url.rsplit("/", 1)[-1].split("?")[0] == "test":
        sys.exit("refusing to wipe the test suite's database; use e.g. .../bench")
    if url.startswith("sqlite:///"):
        # A fresh file: downgrading SQLite tables that still hold rows trips over foreign keys.
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # an access line per request would drown the figures
    return url


def progress(label: str, done: int, total: int) -> None:
    print(f"\r{label}: {done}/{total} ({100 * done // max(total, 1)}%)", end="", file=sys.stderr, flush=True)
    if done >= total:
        print(file=sys.stderr)
