"""config/schedule.yaml: report jobs by cron string, validated with `file: field: problem` errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from onionwatch.config_errors import check_cron, read_yaml, validate
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
    pdf: bool = True

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
    pdf: bool = True

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
        return check_cron(v)

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
                       out=Path(self.out).expanduser() if self.out else None, pdf=self.pdf)  # fmt: skip


class Crawl(BaseModel):
    """One entry of `crawls:`: `onionwatch crawl <market> [args]` on a cron string (a subprocess)."""

    model_config = ConfigDict(extra="forbid")
    market: str
    cron: str
    args: list[str] = []

    _market = field_validator("market", mode="plain")(_text)
    _cron = field_validator("cron")(Job._cron.__func__)  # type: ignore[attr-defined]

    @field_validator("market")
    @classmethod
    def _market_name(cls, v: str) -> str:
        if not _NAME_RE.match(v):
            raise ValueError(f"{v!r:.60} must be letters, digits, '.', '_' or '-'")
        return v

    @field_validator("args", mode="plain")
    @classmethod
    def _args(cls, v: Any) -> list[str]:
        if not isinstance(v, list) or not all(isinstance(a, str) and "\x00" not in a for a in v):
            raise ValueError(f"expected a list of strings, got {v!r:.60}")
        return list(v)


class Digest(BaseModel):
    """`digest:`: the alerts digest (`onionwatch watch digest`) on a cron string (a subprocess)."""

    model_config = ConfigDict(extra="forbid")
    cron: str
    args: list[str] = []

    _cron = field_validator("cron")(Job._cron.__func__)  # type: ignore[attr-defined]
    _args = field_validator("args", mode="plain")(Crawl._args.__func__)  # type: ignore[attr-defined]


class Delivery(BaseModel):
    """`delivery:`: who receives each scheduled report by e-mail (reports/delivery.py)."""

    model_config = ConfigDict(extra="forbid")
    mail_to: list[str]
    attach: list[str] = ["pdf", "xlsx"]

    @field_validator("mail_to", mode="plain")
    @classmethod
    def _to(cls, v: Any) -> list[str]:
        if not isinstance(v, list) or not v or not all(isinstance(a, str) and "@" in a.strip("@") for a in v):
            raise ValueError(f"expected a list of e-mail addresses, got {v!r:.60}")
        return [a.strip() for a in v]

    @field_validator("attach", mode="plain")
    @classmethod
    def _attach(cls, v: Any) -> list[str]:
        kinds = ("pdf", "xlsx", "html", "json", "csv")
        if not isinstance(v, list) or not all(k in kinds for k in v):
            raise ValueError(f"expected a list of {', '.join(kinds)}, got {v!r:.60}")
        return list(v)


class Schedule(BaseModel):
    """config/schedule.yaml: report `jobs:`, and optionally `crawls:`, `digest:` and `delivery:`."""

    model_config = ConfigDict(extra="forbid")
    jobs: list[Job]
    crawls: list[Crawl] = []
    digest: Digest | None = None
    delivery: Delivery | None = None

    @model_validator(mode="after")
    def _unique(self) -> Schedule:
        seen: set[str] = set()
        for i, job in enumerate(self.jobs):
            if job.name in seen:
                raise ValueError(f"jobs[{i}].name: duplicate job name {job.name!r}")
            seen.add(job.name)
        return self


@dataclass(frozen=True)
class ServiceConfig:
    """Everything `onionwatch schedule run` schedules from one file."""

    source: str
    jobs: list[JobSpec]
    crawls: list[tuple[str, str, tuple[str, ...]]]  # (market, cron, extra args)
    digest: tuple[str, tuple[str, ...]] | None  # (cron, extra args)
    delivery: dict[str, Any] | None  # {"mail_to": [...], "attach": [...]}


def load_schedule(path: Path | None = None) -> list[JobSpec]:
    """Parse and validate the schedule file; ScheduleError lists every `file: field: problem`."""
    return load_service_config(path).jobs


def load_service_config(path: Path | None = None) -> ServiceConfig:
    """The whole schedule file (report jobs, crawls, digest, delivery), validated."""
    path = Path(path or DEFAULT_SCHEDULE)
    return parse_service_config(read_yaml(path, ScheduleError, MAX_CONFIG_BYTES), str(path))


def parse_schedule(raw: Any, source: str) -> list[JobSpec]:
    return parse_service_config(raw, source).jobs


def parse_service_config(raw: Any, source: str) -> ServiceConfig:
    if not isinstance(raw, dict):
        raise ScheduleError(f"{source}: (top level): expected a mapping with `jobs` (and crawls, digest, delivery)")
    schedule: Schedule = validate(Schedule, raw, source, ScheduleError)
    markets = [c.market for c in schedule.crawls]
    for i, market in enumerate(markets):
        if market in markets[:i]:
            raise ScheduleError(f"{source}: crawls[{i}].market: {market!r} is already scheduled")
    return ServiceConfig(
        source=source,
        jobs=[job.spec() for job in schedule.jobs],
        crawls=[(c.market, c.cron, tuple(c.args)) for c in schedule.crawls],
        digest=(schedule.digest.cron, tuple(schedule.digest.args)) if schedule.digest else None,
        delivery=schedule.delivery.model_dump() if schedule.delivery else None,
    )
