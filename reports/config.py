"""config/schedule.yaml: report jobs by cron string, validated with `file: field: problem` errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from onionwatch.config_errors import read_yaml, validate
from onionwatch.errors import ScheduleError
from onionwatch.paths import CONFIG_DIR
from onionwatch.reports.jobs import JOBS
from onionwatch.reports.period import PERIOD_KINDS

DEFAULT_SCHEDULE = CONFIG_DIR / "schedule.yaml"
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_CONFIG_BYTES = 1_000_000


@dataclass(frozen=True)
class JobSpec:
    name: str
    report: str
    cron: str
    period: str
    store: str | None = None
    out: Path | None = None

    def trigger(self, timezone: str = "UTC") -> CronTrigger:
        return CronTrigger.from_crontab(self.cron, timezone=timezone)


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"expected a non-empty string, got {v!r:.60}")
    return v.strip()


def _optional_text(v: Any) -> str | None:
    return None if v is None else _text(v)


class Job(BaseModel):
    """One entry of `jobs:`."""

    model_config = ConfigDict(extra="forbid")
    name: str
    report: str
    cron: str
    period: str
    store: str | None = None
    out: str | None = None

    _required = field_validator("name", "report", "cron", "period", mode="plain")(_text)
    _optional = field_validator("store", "out", mode="plain")(_optional_text)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME_RE.match(v):
            raise ValueError(f"{v!r:.60} must be letters, digits, '.', '_' or '-' (used as a folder)")
        return v

    @field_validator("report")
    @classmethod
    def _report(cls, v: str) -> str:
        if v not in JOBS:
            raise ValueError(f"unknown report {v!r:.40} (known: {', '.join(sorted(JOBS))})")
        return v

    @field_validator("cron")
    @classmethod
    def _cron(cls, v: str) -> str:
        try:
            CronTrigger.from_crontab(v, timezone="UTC")
        except (ValueError, TypeError) as e:
            raise ValueError(f"bad cron string {v!r:.60}: {e}") from None
        return v

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        if v not in PERIOD_KINDS:
            raise ValueError(f"expected one of {', '.join(PERIOD_KINDS)}, got {v!r:.40}")
        return v

    @field_validator("store")
    @classmethod
    def _store(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("sqlite:", "http://", "https://")):
            raise ValueError(f"expected sqlite:///PATH or http(s)://HOST:9200, got {v!r:.60}")
        return v

    def spec(self) -> JobSpec:
        return JobSpec(name=self.name, report=self.report, cron=self.cron, period=self.period, store=self.store,
                       out=Path(self.out).expanduser() if self.out else None)  # fmt: skip


class Schedule(BaseModel):
    """config/schedule.yaml: `jobs:` and nothing else."""

    model_config = ConfigDict(extra="forbid")
    jobs: list[Job]

    @model_validator(mode="after")
    def _unique(self) -> Schedule:
        seen: set[str] = set()
        for i, job in enumerate(self.jobs):
            if job.name in seen:
                raise ValueError(f"jobs[{i}].name: duplicate job name {job.name!r}")
            seen.add(job.name)
        return self


def load_schedule(path: Path | None = None) -> list[JobSpec]:
    """Parse and validate the schedule file; ScheduleError lists every `file: field: problem`."""
    path = Path(path or DEFAULT_SCHEDULE)
    return parse_schedule(read_yaml(path, ScheduleError, MAX_CONFIG_BYTES), str(path))


def parse_schedule(raw: Any, source: str) -> list[JobSpec]:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{source}: (top level): expected a mapping with only `jobs`")
    schedule: Schedule = validate(Schedule, raw, source, ScheduleError)
    return [job.spec() for job in schedule.jobs]
