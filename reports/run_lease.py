"""One run of a scheduled job, once: a run-lease table beside the shared job store.

APScheduler 3 alone lets two schedulers on one job store both fire a due job. Every scheduler of
`onionwatch schedule run` (one, or several with `--shared`) submits jobs through `LeasedExecutor`: before a
run it inserts (job id, scheduled run time) into `onionwatch_job_runs` in the job store's SQLite file
(BEGIN IMMEDIATE, primary key); the process whose insert wins runs it, the others skip it and log who
has it. Scheduled run times come from the job's trigger, so every scheduler asks for the same key.
Rows older than KEEP_DAYS are pruned.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor

KEEP_DAYS = 30
logger = logging.getLogger("onionwatch.schedule")

_SCHEMA = """CREATE TABLE IF NOT EXISTS onionwatch_job_runs (
    job_id TEXT NOT NULL, run_time TEXT NOT NULL, owner TEXT NOT NULL, taken_at REAL NOT NULL,
    PRIMARY KEY (job_id, run_time))"""


def owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class RunLeases:
    """The run-lease table in one SQLite file (the job store's)."""

    def __init__(self, path: Path, me: str | None = None) -> None:
        self.path = path
        self.me = me or owner()
        with self._connect() as db:
            db.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def take(self, job_id: str, run_time: datetime) -> str | None:
        """None when this process may run `job_id` due at `run_time`; else the owner that has it."""
        key = run_time.isoformat()
        db = self._connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            won = db.execute("INSERT OR IGNORE INTO onionwatch_job_runs (job_id, run_time, owner, taken_at) "
                             "VALUES (?, ?, ?, ?)", (job_id, key, self.me, time.time())).rowcount == 1
            holder = None if won else db.execute("SELECT owner FROM onionwatch_job_runs WHERE job_id = ? AND "
                                                 "run_time = ?", (job_id, key)).fetchone()[0]
            db.execute("DELETE FROM onionwatch_job_runs WHERE taken_at < ?", (time.time() - KEEP_DAYS * 86400,))
            db.execute("COMMIT")
            return holder
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()


class LeasedExecutor(ThreadPoolExecutor):
    """A thread pool that runs only the runs whose lease this process took."""

    def __init__(self, leases: RunLeases, max_workers: int = 10) -> None:
        super().__init__(max_workers)
        self.leases = leases

    def submit_job(self, job: Any, run_times: list[datetime]) -> None:
        won = []
        for run_time in run_times:
            holder = self.leases.take(job.id, run_time)
            if holder is None:
                won.append(run_time)
            else:
                logger.info("%s: run due %s taken by scheduler %s: skipped here", job.id, run_time, holder)
        if won:
            super().submit_job(job, won)
