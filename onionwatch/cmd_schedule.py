"""`onionwatch schedule run|list`: the scheduling service (reports/service.py) and what it will run."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click

from onionwatch.errors import OnionwatchError


def _fail(message: str, code: int = 2) -> NoReturn:
    from onionwatch.cmd_search import terminal_safe

    click.echo(f"onionwatch: error: {terminal_safe(message)}", err=True)
    sys.exit(code)


_CONFIG = click.option("--config", type=click.Path(path_type=Path),
                       help="Schedule file (default: config/schedule.yaml).")  # fmt: skip
_RETENTION = click.option("--retention-config", type=click.Path(path_type=Path),
                          help="Retention file (default: config/retention.yaml).")  # fmt: skip


@click.group()
def schedule() -> None:
    """The scheduling service: reports, crawls per market, the alerts digest and retention on cron strings."""


def _retention(no_retention: bool, config: Path | None) -> tuple[str, Path | None] | None:
    if no_retention:
        return None
    from onionwatch.retention_config import load_retention

    policy = load_retention(config)
    return (policy.schedule, config) if policy.schedule else None


@schedule.command("run")
@_CONFIG
@_RETENTION
@click.option("--no-retention", is_flag=True, help="Do not schedule `retention apply`.")
@click.option("--shared", is_flag=True,
              help="Share the job store with other `schedule run --shared` services: each due run runs once, in "
                   "the service that takes its run lease (default: one service per job store).")
def run(config: Path | None, retention_config: Path | None, no_retention: bool, shared: bool) -> None:
    """Run the service until SIGTERM or Ctrl-C (running jobs finish first); one per job store unless --shared."""
    from onionwatch.netguard import allow_stores, install_for_command

    install_for_command("schedule run")  # first: nothing may open a socket before the egress guard
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MISSED
    from apscheduler.schedulers.background import BackgroundScheduler

    from onionwatch.reports.config import load_service_config
    from onionwatch.reports.service import acquire_lock, configure, jobstore_path, wanted_jobs

    try:
        service = load_service_config(config)
        jobs = wanted_jobs(service, _retention(no_retention, retention_config))
        allow_stores(spec.store for spec in service.jobs)
        lock = None if shared else acquire_lock()
    except OnionwatchError as exc:
        _fail(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s", stream=sys.stderr)
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_listener(_report_event, EVENT_JOB_ERROR | EVENT_JOB_MISSED)
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        configure(scheduler, jobs)
        scheduler.resume()
        click.echo(f"job store {jobstore_path()}; {len(jobs)} job(s) from {service.source}")
        for job in scheduler.get_jobs():
            click.echo(f"  {job.id}: next {job.next_run_time:%Y-%m-%d %H:%M} UTC ({job.trigger})")
        click.echo("running; SIGTERM or Ctrl-C to stop")
        sys.stdout.flush()
        while not stopping.wait(1.0):
            pass
        click.echo("stopping: running jobs finish first", err=True)
        scheduler.shutdown(wait=True)
    finally:
        if lock is not None:
            lock.close()
    click.echo("stopped")


def _report_event(event: Any) -> None:
    from apscheduler.events import EVENT_JOB_MISSED

    log = logging.getLogger("onionwatch.schedule")
    if event.code == EVENT_JOB_MISSED:
        log.warning("%s: run due %s missed by more than the grace time: skipped", event.job_id,
                    event.scheduled_run_time)  # fmt: skip
    else:
        log.error("%s: failed: %s", event.job_id, event.exception)


@schedule.command("list")
@_CONFIG
@_RETENTION
@click.option("--no-retention", is_flag=True, help="Leave out `retention apply`.")
def list_jobs(config: Path | None, retention_config: Path | None, no_retention: bool) -> None:
    """The jobs the config asks for, with their next run (from the job store when the service has run)."""
    from datetime import UTC, datetime

    from onionwatch.reports.config import load_service_config
    from onionwatch.reports.service import listing, wanted_jobs

    try:
        service = load_service_config(config)
        jobs = wanted_jobs(service, _retention(no_retention, retention_config))
        stored = {j["id"]: j for j in listing()}
    except OnionwatchError as exc:
        _fail(str(exc))
    now = datetime.now(UTC)
    for job in jobs:
        nxt = stored[job["id"]]["next_run"] if job["id"] in stored else job["trigger"].get_next_fire_time(None, now)
        where = "stored" if job["id"] in stored else "not yet stored"
        click.echo(f"{job['id']}: {job['trigger']} next {nxt:%Y-%m-%d %H:%M} UTC ({where})")
    for old in sorted(set(stored) - {j["id"] for j in jobs}):
        click.echo(f"{old}: in the job store but no longer in {service.source} (removed at the next start)")
    click.echo(f"{len(jobs)} job(s)")
