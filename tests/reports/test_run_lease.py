"""Two real scheduler processes on one job store, three jobs every second: each due run runs exactly once
(the run leases of reports/run_lease.py); without them (the control) APScheduler 3 runs some twice."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from onionwatch.reports.run_lease import RunLeases
from tests.reports.shared_scheduler import JOBS

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 8


def test_a_run_lease_is_taken_once(tmp_path: Path) -> None:
    due = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
    first, second = RunLeases(tmp_path / "s.sqlite", "host:1"), RunLeases(tmp_path / "s.sqlite", "host:2")
    assert first.take("report:weekly", due) is None
    assert second.take("report:weekly", due) == "host:1"
    assert second.take("report:weekly", due.replace(hour=21)) is None  # the next run is another lease


def _two_schedulers(tmp_path: Path, *extra: str) -> dict[str, list[tuple[float, int]]]:
    out = tmp_path / "runs.txt"
    start = int(time.time()) + 6  # both processes are up before the first run (same start: same run times)
    procs = [subprocess.Popen([sys.executable, "-m", "tests.reports.shared_scheduler", str(tmp_path / "data"),
                               str(out), str(start), str(SECONDS), *extra], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-3000:]
    runs: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for line in out.read_text().splitlines():
        name, at, pid = line.split()
        runs[name].append((float(at), int(pid)))
    return runs


@pytest.mark.integration
@pytest.mark.slow
def test_two_schedulers_run_each_job_once(tmp_path: Path) -> None:
    runs = _two_schedulers(tmp_path)
    assert sorted(runs) == sorted(JOBS)
    for name, times in runs.items():
        at = sorted(t for t, _ in times)
        assert len(at) >= SECONDS - 2, (name, at)  # every second's run happened ...
        gaps = [b - a for a, b in zip(at, at[1:], strict=False)]
        assert min(gaps) > 0.5, (name, gaps)  # ... and none twice
    pids = {pid for times in runs.values() for _, pid in times}
    print(f"runs per job: {[len(runs[j]) for j in JOBS]}, by {len(pids)} process(es)")


@pytest.mark.integration
@pytest.mark.slow
def test_control_without_leases_runs_some_twice(tmp_path: Path) -> None:
    runs = _two_schedulers(tmp_path, "--no-lease")
    gaps = [b - a for times in runs.values() for a, b in zip(sorted(t for t, _ in times),
                                                             sorted(t for t, _ in times)[1:], strict=False)]
    assert min(gaps) < 0.5, gaps  # APScheduler 3 alone: two schedulers fire the same run


@pytest.mark.slow
def test_two_shared_services_start_on_one_job_store(tmp_path: Path) -> None:
    import os
    import signal

    config = tmp_path / "schedule.yaml"
    config.write_text('jobs: []\ncrawls:\n  - {market: alpha, cron: "0 */6 * * *"}\n', encoding="utf-8")
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data")}
    onionwatch = str(Path(sys.executable).parent / "onionwatch")
    args = [onionwatch, "schedule", "run", "--shared", "--config", str(config), "--no-retention"]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    try:
        for proc in procs:
            assert proc.stdout is not None
            assert any(line.startswith("running") for line in proc.stdout), proc.stderr
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            out, err = proc.communicate(timeout=30)
            assert proc.returncode == 0 and out.endswith("stopped\n"), err
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
