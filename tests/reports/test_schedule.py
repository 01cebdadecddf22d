"""config/schedule.yaml validation and the APScheduler wiring: cron -> run_job -> files."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger

from onionwatch.reports.config import DEFAULT_SCHEDULE, ScheduleError, load_schedule
from onionwatch.reports.schedule import build_scheduler

GOOD_JOB = {"name": "weekly", "report": "emerging", "cron": "0 7 * * MON", "period": "1w"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def job_yaml(**fields: object) -> str:
    job = {**GOOD_JOB, **fields}
    return "jobs:\n" + "".join(f"  {'-' if i == 0 else ' '} {k}: {v!r}\n" for i, (k, v) in enumerate(job.items()))


def test_the_shipped_schedule_is_valid() -> None:
    specs = load_schedule(DEFAULT_SCHEDULE)
    assert [(s.name, s.period) for s in specs] == [("weekly-emerging", "1w"), ("monthly-emerging", "1m")]


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        (job_yaml(cron="0 7 * *"), "jobs[0].cron", "bad cron string"),
        (job_yaml(cron="61 7 * * MON"), "jobs[0].cron", "bad cron string"),
        # a valid cron string that never fires: `report validate` / `schedule list` printed `next` with a traceback
        (job_yaml(cron="0 7 31 2 *"), "jobs[0].cron", "cron string '0 7 31 2 *' never fires"),
        (job_yaml() + "crawls:\n  - {market: alpha, cron: '0 0 30 2 *'}\n", "crawls[0].cron", "never fires"),
        (job_yaml(report="weekly-digest"), "jobs[0].report", "unknown report"),
        (job_yaml(period="2w"), "jobs[0].period", "expected one of 7d, 1w, 1m"),
        (job_yaml(name="../etc"), "jobs[0].name", "letters, digits"),
        (job_yaml(store="ftp://x"), "jobs[0].store", "expected sqlite"),
        (job_yaml(colour="red"), "jobs[0].colour", "unknown field"),
        ("jobs: {}\n", "jobs", "expected a list"),
        ("jobs:\n  - 42\n", "jobs[0]", "expected a mapping"),
        ("jobs: [\n", "line 2", "malformed YAML"),
        ("- 1\n", "(top level)", "expected a mapping"),
    ],
)
def test_errors_name_file_and_field(tmp_path: Path, text: str, field: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScheduleError) as exc:
        load_schedule(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: {field}") and problem in message and "\n" not in message


def test_duplicate_names_and_missing_file(tmp_path: Path) -> None:
    path = write(tmp_path, job_yaml() + job_yaml().replace("jobs:\n", ""))
    with pytest.raises(ScheduleError, match=r"jobs\[1\]\.name: duplicate job name 'weekly'"):
        load_schedule(path)
    with pytest.raises(ScheduleError, match=r"nowhere.yaml: \(file\): cannot read"):
        load_schedule(tmp_path / "nowhere.yaml")


def test_scheduler_maps_cron_to_the_job(tmp_path: Path, sqlite_url: str) -> None:
    out = tmp_path / "out"
    specs = load_schedule(write(tmp_path, job_yaml(store=sqlite_url, out=str(out), pdf=False)))
    scheduler = build_scheduler(specs, BackgroundScheduler(timezone=UTC))
    (job,) = scheduler.get_jobs()
    wednesday = datetime(2024, 3, 27, 12, 0, tzinfo=UTC)
    assert job.trigger.get_next_fire_time(None, wednesday) == datetime(2024, 4, 1, 7, 0, tzinfo=UTC)
    fire_time = datetime(2024, 3, 25, 7, 0, tzinfo=UTC)  # the Monday run reports the week just ended
    files = job.func(*job.args, now=fire_time)
    assert [f.name for f in files][:3] == [f"2024-03-18_2024-03-24.{ext}" for ext in ("html", "json", "xlsx")]
    assert '"generated_at": "2024-03-25T07:00:00Z"' in files[1].read_text(encoding="utf-8")
    assert '"new_substances": 2' in files[1].read_text(encoding="utf-8")


def test_a_started_scheduler_fires_the_job(tmp_path: Path, sqlite_url: str, monkeypatch) -> None:
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(tmp_path / "data"))
    specs = load_schedule(write(tmp_path, job_yaml(store=sqlite_url, pdf=False)))
    scheduler = build_scheduler(specs, BackgroundScheduler(timezone=UTC))
    done = threading.Event()
    results: list[object] = []
    scheduler.add_listener(lambda e: (results.append(e), done.set()), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.start()
    try:  # same registered job, its trigger moved to half a second from now
        scheduler.reschedule_job("weekly", trigger=DateTrigger(datetime.now(UTC) + timedelta(seconds=0.5)))
        assert done.wait(4), "the job did not fire"
    finally:
        scheduler.shutdown(wait=True)
    event = results[0]
    assert getattr(event, "exception", None) is None
    files = event.retval  # type: ignore[attr-defined]
    assert all(f.parent == tmp_path / "data" / "reports" / "weekly" and f.is_file() for f in files)
