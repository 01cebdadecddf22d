"""The report scheduler: APScheduler only maps each job's cron string to `run_job`; `run_once` runs all."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from onionwatch.audit import record
from onionwatch.indexer.store import open_store
from onionwatch.reports.config import JobSpec
from onionwatch.reports.jobs import JOBS, default_out_dir
from onionwatch.reports.period import last_complete


def _utc(now: datetime | None) -> datetime:
    now = now or datetime.now(UTC)
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def run_job(spec: JobSpec, now: datetime | None = None) -> list[Path]:
    """Run one job for the last complete period before ``now`` (UTC): <out or data dir>/reports/<name>/."""
    now = _utc(now)
    period = last_complete(spec.period, now.date())
    out_dir = spec.out or default_out_dir(spec.name)
    record(
        "report.run",
        spec.report,
        {
            "job": spec.name,
            "since": str(period.start),
            "until": str(period.end),
            "out": str(out_dir),
            "scheduled": True,
        },
    )  # AuditError: the job is refused
    store = open_store(spec.store, create=False)
    try:
        return JOBS[spec.report](
            store,
            period,
            out_dir=out_dir,
            generated_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
            pdf=spec.pdf,
        )
    finally:
        store.close()


def run_once(specs: list[JobSpec], now: datetime | None = None) -> dict[str, list[Path]]:
    """Every job once, for its last complete period; {job name: files}."""
    return {spec.name: run_job(spec, now) for spec in specs}


def build_scheduler(specs: list[JobSpec], scheduler: BaseScheduler | None = None, **kwargs: Any) -> BaseScheduler:
    """A scheduler (default: BlockingScheduler in UTC) with one cron-triggered `run_job` per spec."""
    scheduler = scheduler or BlockingScheduler(timezone=UTC, **kwargs)
    for spec in specs:
        scheduler.add_job(
            run_job,
            trigger=spec.trigger(),
            args=[spec],
            id=spec.name,
            name=spec.name,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
        )
    return scheduler


RETENTION_JOB = "retention"


def run_retention(config: Path | None = None) -> None:
    """The scheduled retention run: config and holds are read afresh each time (a new hold counts at once)."""
    from onionwatch.retention import apply, operator
    from onionwatch.retention_config import holds, load_retention

    policy = load_retention(config)
    held = holds()
    store = open_store(None, create=False)
    try:
        run = apply(policy, held, store, by=f"{operator()} (scheduled)")
    finally:
        store.close()
    if run.errors:
        raise OSError("; ".join(run.errors))  # APScheduler logs a failed run with its reason


def add_retention(scheduler: BaseScheduler, cron: str | None, config: Path | None = None) -> bool:
    """Schedule `run_retention` on `cron` (config/retention.yaml's `schedule`); False when it is null."""
    if cron is None:
        return False
    from apscheduler.triggers.cron import CronTrigger

    scheduler.add_job(run_retention, trigger=CronTrigger.from_crontab(cron, timezone="UTC"), args=[config],
                      id=RETENTION_JOB, name=RETENTION_JOB, coalesce=True, max_instances=1,
                      misfire_grace_time=3600)  # fmt: skip
    return True
