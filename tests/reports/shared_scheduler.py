"""A scheduler process for tests/reports/test_run_lease.py: the service's `configure` with interval jobs.

    python -m tests.reports.shared_scheduler DATA_DIR OUT START_EPOCH SECONDS [--no-lease]

Every job appends "job time pid" to OUT when it runs; the process runs SECONDS, then shuts down.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

JOBS = ("a", "b", "c")


def tick(out: str, name: str) -> None:
    fd = os.open(out, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{name} {time.time():.3f} {os.getpid()}\n".encode())
    finally:
        os.close(fd)


def main(argv: list[str]) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    from onionwatch.reports.service import configure

    directory, out, start, seconds = Path(argv[0]), argv[1], float(argv[2]), float(argv[3])
    start_date = datetime.fromtimestamp(start, UTC)
    jobs = [{"id": name, "func": tick, "args": [out, name], "trigger": IntervalTrigger(seconds=1, start_date=start_date)}
            for name in JOBS]
    scheduler = BackgroundScheduler(timezone="UTC")
    configure(scheduler, jobs, directory, leased="--no-lease" not in argv)
    scheduler.resume()
    time.sleep(max(0.0, start + seconds - time.time()))
    scheduler.shutdown(wait=True)


if __name__ == "__main__":
    main(sys.argv[1:])
