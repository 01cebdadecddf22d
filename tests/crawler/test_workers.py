"""Three crawler processes on one Redis frontier against a real testbed market over loopback HTTP; one is killed
with SIGKILL mid-crawl. The crawl still ends `complete` with 100 % of the testbed's listings and vendors, every
listing observed once (0 duplicate observations), one crawl id, and its Redis keys gone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawler.conftest import ROOT
from tests.crawler.test_resume import check_store
from tests.redisserver import redis_url  # noqa: F401 - the fixture

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LISTINGS, VENDORS = 300, 30


@pytest.fixture(scope="module")
def market() -> Iterator[object]:
    from onionwatch.testbed.server import start_market

    server = start_market("kladmen", n_vendors=VENDORS, n_listings=LISTINGS)
    yield server
    server.stop()


def workers_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(stat[1]) == pid and b"onionwatch.crawler.workers" in cmd:
            found.append(int(entry.name))
    return sorted(found)


def done_pages(redis_url: str) -> int:  # noqa: F811
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return sum(int(client.hget(key, "done") or 0) for key in client.scan_iter(match="onionwatch:*:kladmen:*:counts"))
    finally:
        client.close()


def test_three_workers_one_killed(market, tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    import redis

    from onionwatch.testbed.truth import market_truth

    store = tmp_path / "s.sqlite"
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "c"),
           "ONIONWATCH_CONCURRENCY": "4", "ONIONWATCH_TRANSPORT": "direct", "ONIONWATCH_FRONTIER_LEASE": "3"}
    proc = subprocess.Popen([sys.executable, "-m", "onionwatch.cli", "crawl", "kladmen", "--mirror", market.url,
                             "--transport", "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress",
                             "--frontier", redis_url, "--workers", "3"],
                            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()[1][-3000:]
            workers = workers_of(proc.pid)
            if len(workers) == 3 and done_pages(redis_url) >= 60:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the workers did not get going")
        os.kill(workers[1], signal.SIGKILL)  # mid-crawl: its leased pages must go back to the others
        at_kill = done_pages(redis_url)
        out, err = proc.communicate(timeout=400)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-3000:]
    outcome = json.loads(out)[0]
    assert outcome["status"] == "complete", outcome
    assert at_kill < outcome["pages"], (at_kill, outcome["pages"])  # killed before the end, not after
    assert "crawl worker 1 ended without a result" in err
    assert outcome["listings"] == LISTINGS and outcome["counters"]["listings_indexed"] == LISTINGS
    check_store(store, market_truth("kladmen", n_vendors=VENDORS, n_listings=LISTINGS))
    client = redis.Redis.from_url(redis_url)
    assert list(client.scan_iter(match=f"onionwatch:*:kladmen:{outcome['crawl_id']}:*")) == []  # keys dropped
    client.close()


def test_kill_9_of_the_crawl_then_resume(market, tmp_path: Path, redis_url: str) -> None:  # noqa: F811
    """The crawl process itself killed: its workers and stage die with it, the Redis frontier keeps the crawl,
    and the same command resumes it to the same truth (the design of "Crawls that last days", unchanged)."""
    from onionwatch.testbed.truth import market_truth

    store = tmp_path / "s.sqlite"
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "c"),
           "ONIONWATCH_CONCURRENCY": "4", "ONIONWATCH_TRANSPORT": "direct", "ONIONWATCH_FRONTIER_LEASE": "3"}
    args = [sys.executable, "-m", "onionwatch.cli", "crawl", "kladmen", "--mirror", market.url, "--transport",
            "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress", "--frontier", redis_url,
            "--workers", "2"]
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 240
    while done_pages(redis_url) < 80:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1][-3000:]
        time.sleep(0.05)
    workers = workers_of(proc.pid)
    proc.kill()
    proc.communicate(timeout=30)
    time.sleep(1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"]  # the workers died with it
    again = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert again.returncode == 0, again.stderr[-3000:]
    out = json.loads(again.stdout)[0]
    assert out["status"] == "complete" and out["resumed"], out
    assert f"kladmen: resuming crawl {out['crawl_id']} (" in again.stderr
    check_store(store, market_truth("kladmen", n_vendors=VENDORS, n_listings=LISTINGS))
