"""`onionwatch schedule run`: one long-running APScheduler with a persistent job store and a lock.

Jobs come from config/schedule.yaml: report jobs (reports/schedule.py `run_job`, then `deliver_report`),
crawls per market and the alerts digest (each an `onionwatch ...` subprocess: a crawl's Twisted reactor
and the digest's mail code stay out of this process), and retention (config/retention.yaml). The job
store is SQLAlchemyJobStore on <data dir>/schedule.sqlite, so next run times survive a restart; a run
missed while the service was down fires once on start if it is less than MISFIRE_GRACE seconds late
(coalesce: several missed runs fire once), and is otherwise skipped and logged. One service per job
store: <data dir>/schedule.lock is held (flock) for the service's lifetime — unless `--shared`: then several
services share the job store and each due run runs once, in the service that took its run lease
(reports/run_lease.py).
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger

from onionwatch.audit import record
from onionwatch.errors import ScheduleError
from onionwatch.paths import data_dir
from onionwatch.private import private_dir
from onionwatch.reports.config import JobSpec, ServiceConfig
from onionwatch.reports.delivery import deliver_report
from onionwatch.reports.run_lease import LeasedExecutor, RunLeases
from onionwatch.reports.schedule import RETENTION_JOB, run_job, run_retention

MISFIRE_GRACE = 3600  # seconds
COMMAND_TIMEOUT = 6 * 3600  # a crawl or digest subprocess still running after this is stopped
JOBSTORE = "schedule.sqlite"
LOCK = "schedule.lock"
CONFIGURE_LOCK = "schedule.configure.lock"
logger = logging.getLogger("onionwatch.schedule")


def jobstore_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / JOBSTORE


def acquire_lock(directory: Path | None = None) -> IO[str]:
    """Hold <data dir>/schedule.lock for the life of the returned file; ScheduleError if another holds it."""
    directory = private_dir(directory or data_dir())
    path = directory / LOCK
    fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the service's lifetime
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "?"
        fh.close()
        raise ScheduleError(f"{path}: another `onionwatch schedule run` (pid {holder}) uses this job store") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n")
    fh.flush()
    return fh


def onionwatch_argv(*args: str) -> list[str]:
    """The onionwatch command of this installation (the script beside this Python), then ``args``."""
    beside = Path(sys.executable).parent / "onionwatch"
    exe = str(beside) if beside.exists() else shutil.which("onionwatch") or "onionwatch"
    return [exe, *args]


def run_command(name: str, argv: Sequence[str], timeout: int = COMMAND_TIMEOUT) -> int:
    """Run one scheduled command; a non-zero exit raises (APScheduler logs the job as failed)."""
    record("schedule.run", name, {"argv": list(argv)})
    done = subprocess.run(list(argv), stdin=subprocess.DEVNULL, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name}: {' '.join(argv[1:])} exited with status {done.returncode}")
    return done.returncode


def run_report(spec: JobSpec, delivery: dict[str, Any] | None) -> list[Path]:
    """A scheduled report: write it (reports/schedule.py run_job), then deliver it when configured."""
    files = run_job(spec)
    sent = deliver_report(files, delivery)
    if sent:
        record("report.deliver", spec.name, {"to": sent, "files": [str(f) for f in files]})
    return files


def _cron(cron: str) -> CronTrigger:
    return CronTrigger.from_crontab(cron, timezone="UTC")


def wanted_jobs(config: ServiceConfig, retention: tuple[str, Path | None] | None) -> list[dict[str, Any]]:
    """add_job keyword arguments for every job the config asks for (ids: report:<name>, crawl:<market>,
    digest, retention)."""
    jobs: list[dict[str, Any]] = [
        {"id": f"report:{spec.name}", "func": run_report, "args": [spec, config.delivery], "trigger": spec.trigger()}
        for spec in config.jobs
    ]
    for market, cron, extra in config.crawls:
        argv = onionwatch_argv("crawl", market, "--no-progress", *extra)
        jobs.append({"id": f"crawl:{market}", "func": run_command, "trigger": _cron(cron),
                     "args": [f"crawl:{market}", argv]})  # fmt: skip
    if config.digest is not None:
        cron, extra = config.digest
        jobs.append({"id": "digest", "func": run_command, "trigger": _cron(cron),
                     "args": ["digest", onionwatch_argv("watch", "digest", *extra)]})  # fmt: skip
    if retention is not None:
        cron, retention_config = retention
        jobs.append({"id": RETENTION_JOB, "func": run_retention, "trigger": _cron(cron), "args": [retention_config]})
    return jobs


def configure(scheduler: BaseScheduler, jobs: list[dict[str, Any]], directory: Path | None = None,
              leased: bool = True) -> None:
    """Start ``scheduler`` paused on the persistent job store and make its jobs exactly ``jobs``: new ones
    added, changed ones (trigger or arguments) replaced, unchanged ones kept with their stored next run (so
    a run missed while the service was down is caught up or reported missed), stale ones removed. The
    caller resumes the scheduler. Jobs run through `LeasedExecutor` (reports/run_lease.py): a due run runs
    once even when several schedulers share the job store (`leased=False` only for the tests' control)."""
    path = jobstore_path(private_dir(directory or data_dir()))
    if leased:
        scheduler.add_executor(LeasedExecutor(RunLeases(path)), "default")
    # Services sharing the job store start at the same moment: creating its table and reconciling its jobs
    # happen one service at a time (two `CREATE TABLE` racing fail with "table already exists").
    with open(path.with_name(CONFIGURE_LOCK), "a", encoding="utf-8") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        _reconcile(scheduler, jobs, path)


def _reconcile(scheduler: BaseScheduler, jobs: list[dict[str, Any]], path: Path) -> None:
    scheduler.add_jobstore(SQLAlchemyJobStore(url=f"sqlite:///{path}"), "default")
    scheduler.start(paused=True)
    stored = {job.id: job for job in scheduler.get_jobs()}
    wanted = {job["id"] for job in jobs}
    for job_id in set(stored) - wanted:
        scheduler.remove_job(job_id)
    for job in jobs:
        old = stored.get(job["id"])
        if old is not None and str(old.trigger) == str(job["trigger"]) and list(old.args) == list(job["args"]) \
                and old.func is job["func"]:  # fmt: skip
            continue
        scheduler.add_job(name=job["id"], replace_existing=True, coalesce=True, max_instances=1,
                          misfire_grace_time=MISFIRE_GRACE, **job)  # fmt: skip


def listing(directory: Path | None = None) -> list[dict[str, Any]]:
    """The jobs in the persistent store (id, trigger, next run), without starting anything."""
    path = jobstore_path(directory)
    if not path.exists():
        return []
    store = SQLAlchemyJobStore(url=f"sqlite:///{path}")
    from apscheduler.schedulers.background import BackgroundScheduler

    store.start(BackgroundScheduler(timezone="UTC"), "default")
    try:
        return [{"id": j.id, "trigger": str(j.trigger), "next_run": j.next_run_time} for j in store.get_all_jobs()]
    finally:
        store.shutdown()
