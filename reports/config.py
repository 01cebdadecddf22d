"""config/schedule.yaml: report jobs by cron string, validated with `file: field: problem` errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from apscheduler.triggers.cron import CronTrigger

from onionwatch.errors import ScheduleError
from onionwatch.paths import CONFIG_DIR
from onionwatch.reports.jobs import JOBS
from onionwatch.reports.period import PERIOD_KINDS

DEFAULT_SCHEDULE = CONFIG_DIR / "schedule.yaml"
JOB_FIELDS = ("name", "report", "cron", "period", "store", "out")
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


def load_schedule(path: Path | None = None) -> list[JobSpec]:
    """Parse and validate the schedule file; ScheduleError on the first problem."""
    path = Path(path or DEFAULT_SCHEDULE)
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ScheduleError(f"{path}: file is larger than {MAX_CONFIG_BYTES} bytes")
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except ScheduleError:
        raise
    except OSError as e:
        raise ScheduleError(f"{path}: cannot read: {e.strerror or e}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        problem = str(e).replace("\n", " ")
        raise ScheduleError(f"{path}: not valid YAML: {problem[:200]}") from None
    return parse_schedule(raw, str(path))


def parse_schedule(raw: Any, source: str) -> list[JobSpec]:
    if not isinstance(raw, dict) or set(raw) - {"jobs"}:
        raise ScheduleError(f"{source}: top level: expected a mapping with only `jobs`")
    jobs = raw.get("jobs")
    if not isinstance(jobs, list):
        raise ScheduleError(f"{source}: jobs: expected a list of jobs")
    out: list[JobSpec] = []
    for i, item in enumerate(jobs):
        spec = _job(item, f"{source}: jobs[{i}]")
        if any(j.name == spec.name for j in out):
            raise ScheduleError(f"{source}: jobs[{i}].name: duplicate job name {spec.name!r}")
        out.append(spec)
    return out


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ScheduleError(f"{where}.{key}: expected a non-empty string, got {value!r:.60}")
    return value.strip()


def _job(item: Any, where: str) -> JobSpec:
    if not isinstance(item, dict):
        raise ScheduleError(f"{where}: expected a mapping with {', '.join(JOB_FIELDS)}")
    unknown = sorted(str(k) for k in item if k not in JOB_FIELDS)
    if unknown:
        raise ScheduleError(f"{where}.{unknown[0]}: unknown field (expected {', '.join(JOB_FIELDS)})")
    name = _text(item, "name", where) or ""
    if not _NAME_RE.match(name):
        raise ScheduleError(f"{where}.name: {name!r:.60} must be letters, digits, '.', '_' or '-' (used as a folder)")
    report = _text(item, "report", where) or ""
    if report not in JOBS:
        raise ScheduleError(f"{where}.report: unknown report {report!r:.40} (known: {', '.join(sorted(JOBS))})")
    cron = _text(item, "cron", where) or ""
    try:
        CronTrigger.from_crontab(cron, timezone="UTC")
    except (ValueError, TypeError) as e:
        raise ScheduleError(f"{where}.cron: bad cron string {cron!r:.60}: {e}") from None
    period = _text(item, "period", where) or ""
    if period not in PERIOD_KINDS:
        raise ScheduleError(f"{where}.period: expected one of {', '.join(PERIOD_KINDS)}, got {period!r:.40}")
    store = _text(item, "store", where, required=False)
    if store is not None and not store.startswith(("sqlite:", "http://", "https://")):
        raise ScheduleError(f"{where}.store: expected sqlite:///PATH or http(s)://HOST:9200, got {store!r:.60}")
    out = _text(item, "out", where, required=False)
    return JobSpec(name=name, report=report, cron=cron, period=period, store=store,
                   out=Path(out).expanduser() if out else None)  # fmt: skip
