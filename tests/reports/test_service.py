"""`onionwatch schedule run|list`: persistent job store, lock, misfires, subprocess jobs, SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from onionwatch.errors import ScheduleError
from onionwatch.reports.config import load_service_config, parse_service_config
from onionwatch.reports.service import acquire_lock, configure, listing, run_command, wanted_jobs

ONIONWATCH = str(Path(sys.executable).parent / "onionwatch")
CONFIG = """\
jobs:
  - {name: weekly, report: emerging, cron: "0 7 * * MON", period: 1w, pdf: false}
crawls:
  - {market: alpha, cron: "0 */6 * * *", args: ["--fresh"]}
digest: {cron: "0 8 * * *"}
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "schedule.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_config_has_crawls_digest_and_delivery(config: Path) -> None:
    service = load_service_config(config)
    jobs = {j["id"]: j for j in wanted_jobs(service, ("0 3 * * *", None))}
    assert sorted(jobs) == ["crawl:alpha", "digest", "report:weekly", "retention"]
    assert jobs["crawl:alpha"]["args"][1][1:] == ["crawl", "alpha", "--no-progress", "--fresh"]
    assert jobs["digest"]["args"][1][1:] == ["watch", "digest"]  # the digest CLI, as a subprocess


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ({"jobs": [], "crawls": [{"market": "a", "cron": "0 * * *"}]}, "x: crawls[0].cron: bad cron string"),
        ({"jobs": [], "crawls": [{"market": "a", "cron": "0 * * * *"}] * 2}, "x: crawls[1].market: 'a' is already"),
        ({"jobs": [], "digest": {"cron": "0 8 * * *", "to": "x"}}, "x: digest.to: "),
        ({"jobs": [], "delivery": {"mail_to": ["nobody"]}}, "x: delivery.mail_to: expected a list of e-mail"),
        ({"jobs": [], "delivery": {"mail_to": ["a@b.kz"], "attach": ["exe"]}}, "x: delivery.attach: expected"),
    ],
)
def test_config_errors_name_the_field(raw: dict, needle: str) -> None:
    with pytest.raises(ScheduleError) as exc:
        parse_service_config(raw, "x")
    assert str(exc.value).startswith(needle), str(exc.value)


def test_scheduled_command_failure_is_raised(tmp_path: Path) -> None:
    assert run_command("ok", [sys.executable, "-c", "pass"]) == 0
    with pytest.raises(RuntimeError, match="exited with status 3"):
        run_command("bad", [sys.executable, "-c", "raise SystemExit(3)"])


def touch_job(job_id: str, marker: Path, cron: str = "0 7 * * *") -> dict:
    argv = [sys.executable, "-c", f"open({str(marker)!r}, 'a').write('ran\\n')"]
    return {"id": job_id, "func": run_command, "args": [job_id, argv], "trigger": CronTrigger.from_crontab(cron,
            timezone="UTC")}  # fmt: skip


def test_missed_runs_fire_once_within_grace_and_are_skipped_beyond(tmp_path: Path) -> None:
    late, lost = tmp_path / "late", tmp_path / "lost"
    done, missed = threading.Event(), []
    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_listener(lambda e: done.set(), EVENT_JOB_EXECUTED)
    scheduler.add_listener(lambda e: missed.append(e.job_id), EVENT_JOB_MISSED)
    # a daily time half a day from now: no scheduled run of the cron falls in the 3 hours before now, so only the
    # stored next run times below decide (a fixed "0 7 * * *" fired "lost" when the test ran between 07:00 and 08:00)
    daily = f"0 {(datetime.now(UTC).hour + 12) % 24} * * *"
    configure(scheduler, [touch_job("late", late, daily), touch_job("lost", lost, daily)], tmp_path)
    now = datetime.now(UTC)
    scheduler.modify_job("late", next_run_time=now - timedelta(minutes=10))  # the service was down 10 min
    scheduler.modify_job("lost", next_run_time=now - timedelta(hours=3))  # beyond the hour of grace
    scheduler.resume()
    try:
        assert done.wait(20), "the late job did not run"
        time.sleep(0.5)
    finally:
        scheduler.shutdown(wait=True)
    assert late.read_text() == "ran\n" and not lost.exists() and missed == ["lost"]


def test_job_store_persists_keeps_unchanged_jobs_and_drops_stale_ones(tmp_path: Path) -> None:
    first = BackgroundScheduler(timezone=UTC)
    configure(first, [touch_job("a", tmp_path / "a"), touch_job("b", tmp_path / "b")], tmp_path)
    kept = first.get_job("a").next_run_time
    first.modify_job("a", next_run_time=kept + timedelta(days=1))  # a stored next run, not recomputed below
    first.shutdown(wait=False)
    second = BackgroundScheduler(timezone=UTC)
    configure(second, [touch_job("a", tmp_path / "a"), touch_job("c", tmp_path / "c", "0 9 * * *")], tmp_path)
    assert sorted(j.id for j in second.get_jobs()) == ["a", "c"]
    assert second.get_job("a").next_run_time == kept + timedelta(days=1)
    second.shutdown(wait=False)
    assert sorted(j["id"] for j in listing(tmp_path)) == ["a", "c"]


def test_services_starting_together_on_a_new_job_store_all_start(tmp_path: Path) -> None:
    """Shared services start at once: only one may create the job store's table (no "already exists")."""
    start = threading.Barrier(6)
    errors: list[BaseException] = []
    schedulers = [BackgroundScheduler(timezone=UTC) for _ in range(6)]

    def go(scheduler: BackgroundScheduler) -> None:
        start.wait()
        try:
            configure(scheduler, [touch_job("a", tmp_path / "a")], tmp_path)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(s,)) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all([j.id for j in s.get_jobs()] == ["a"] for s in schedulers)
    for s in schedulers:
        s.shutdown(wait=False)


def test_one_service_per_job_store(tmp_path: Path) -> None:
    held = acquire_lock(tmp_path)
    try:
        with pytest.raises(ScheduleError, match=f"pid {os.getpid()}"):
            acquire_lock(tmp_path)
    finally:
        held.close()
    acquire_lock(tmp_path).close()


@pytest.mark.slow
def test_schedule_run_is_a_service_that_stops_on_sigterm(config: Path, private_data_dir: Path) -> None:
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(private_data_dir)}
    args = ["schedule", "run", "--config", str(config), "--no-retention"]
    proc = subprocess.Popen([ONIONWATCH, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("running"):
                break
        assert any(" digest: next " in line for line in lines) and any("crawl:alpha" in line for line in lines)
        again = subprocess.run([ONIONWATCH, *args], env=env, capture_output=True, text=True, timeout=60)
        assert again.returncode == 2 and again.stdout == ""
        assert again.stderr.count("\n") == 1 and "another `onionwatch schedule run`" in again.stderr
        listed = subprocess.run([ONIONWATCH, "schedule", "list", "--config", str(config), "--no-retention"], env=env,
                                capture_output=True, text=True, timeout=60, check=True).stdout  # fmt: skip
        assert listed.count("(stored)") == 3 and listed.endswith("3 job(s)\n")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and out.endswith("stopped\n") and "running jobs finish first" in err
    assert (private_data_dir / "schedule.sqlite").exists()


def test_schedule_list_without_a_service_computes_next_runs(config: Path, private_data_dir: Path) -> None:
    from click.testing import CliRunner

    from onionwatch.cmd_schedule import schedule

    result = CliRunner().invoke(schedule, ["list", "--config", str(config), "--no-retention"])
    assert result.exit_code == 0 and result.output.count("(not yet stored)") == 3
