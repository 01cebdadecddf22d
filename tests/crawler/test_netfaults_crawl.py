"""`onionwatch crawl` against testbed markets with network faults (testbed/netfaults.py) over plain HTTP:
429/503 with Retry-After, timeouts, truncated HTML, a mirror going down mid-crawl, every mirror down.
Ground truth is still reached (100 % of the listings, 0 duplicates), and the testbed's request log shows
that Retry-After was honoured and that the crawl switched mirrors."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from onionwatch.crawler.credentials import env_names
from onionwatch.groundtruth import score_market
from onionwatch.indexer.store import open_store
from onionwatch.testbed.netfaults import NetFaults, start_mirror, take_down
from onionwatch.testbed.server import MarketServer, start_market
from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
SIZE = {"n_vendors": 12, "n_listings": 60}
CONCURRENCY = 16  # ONIONWATCH_CONCURRENCY's default


POLITENESS = {"max_retries": 4, "timeout_retries": 2, "backoff_base": "0.2s", "backoff_max": "3s",
              "mirror_failures": 3, "mirrors_dead_after": "3s"}


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The testbed definitions with a short download deadline and quick backoff (`politeness:`)."""
    markets = tmp_path / "markets"
    markets.mkdir()
    for name in ("abyss", "kladmen"):
        definition = yaml.safe_load((ROOT / "config" / "markets" / f"{name}.yaml").read_text())
        definition.setdefault("limits", {})["download_deadline"] = "2s"
        definition["politeness"] = POLITENESS
        (markets / f"{name}.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True))
    user_var, pass_var = env_names("abyss")
    return {**os.environ, user_var: TESTBED_USERNAME, pass_var: TESTBED_PASSWORD,
            "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config"),
            "ONIONWATCH_MARKETS_DIR": str(markets), "ONIONWATCH_TRANSPORT": "direct"}  # fmt: skip


@pytest.fixture(params=["abyss", "kladmen"])
def market(request: pytest.FixtureRequest) -> Iterator[MarketServer]:
    server = start_market(request.param, **SIZE)
    yield server
    take_down(server)


def crawl(env: dict[str, str], market: str, mirrors: list[str], store: Path, *extra: str,
          timeout: float = 240) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:  # fmt: skip
    args = [sys.executable, "-m", "onionwatch.cli", "crawl", market, "--transport", "direct", "--store",
            f"sqlite:///{store}", "--json", "--no-progress"]
    for mirror in mirrors:
        args += ["--mirror", mirror]
    proc = subprocess.run([*args, *extra], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    out = json.loads(proc.stdout)[0] if proc.stdout.strip().startswith("[") else {}
    return proc, out


def complete(store: Path, server: MarketServer) -> None:
    """Every ground-truth listing and vendor stored, each exactly once."""
    s = open_store(f"sqlite:///{store}")
    try:
        score = score_market(s, server.market.name, server.market.truth()).to_dict()
    finally:
        s.close()
    assert score["listings_found"] == score["ground_truth_listings"] == SIZE["n_listings"], score
    with sqlite3.connect(store) as db:
        listings = db.execute("SELECT count(*), count(DISTINCT listing_id) FROM listings").fetchone()
        vendors = db.execute("SELECT count(*), count(DISTINCT vendor_id) FROM vendors").fetchone()
    assert listings == (SIZE["n_listings"], SIZE["n_listings"])
    assert vendors[0] == vendors[1] == len(server.market.truth()["vendors"])


def health(store: Path) -> list[dict[str, Any]]:
    s = open_store(f"sqlite:///{store}")
    try:
        return s.mirror_health()
    finally:
        s.close()


@pytest.mark.parametrize("status, as_date", [(429, False), (503, True)])
def test_retry_after_is_honoured_and_every_listing_collected(market: MarketServer, env: dict, tmp_path: Path,
                                                             status: int, as_date: bool) -> None:
    market.faults = NetFaults(throttle=0.15, throttle_status=status, retry_after=2, retry_after_date=as_date)
    proc, out = crawl(env, market.market.name, [market.url], tmp_path / "s.sqlite")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out["status"] == "complete"
    complete(tmp_path / "s.sqlite", market)
    log = market.log
    throttled = [e for e in log if e.blocked == "throttle"]
    assert len(throttled) >= 3 and all(e.status == status for e in throttled)
    for hit in throttled:
        again = [e for e in log if e.path == hit.path and e.at > hit.at]
        assert again, f"{hit.path} never asked again"
        # an HTTP date has a resolution of one second: it may ask for a little less than 2 s
        assert again[0].at - hit.at >= (1.0 if as_date else 1.95), (hit.path, again[0].at - hit.at)
        # the whole market waited, not just that page: at most the requests already on their way (16 in flight
        # at most) arrived during the pause; without it the crawl sends hundreds a second to the testbed
        quiet = [e for e in log if hit.at + 0.2 < e.at < hit.at + (0.95 if as_date else 1.9)]
        assert len(quiet) < CONCURRENCY, [(e.path, round(e.at - hit.at, 2)) for e in quiet]
        assert not [e for e in quiet if e.at > hit.at + 1.0], "requests kept coming a second into the pause"


def test_timeouts_and_truncated_pages_are_fetched_again(market: MarketServer, env: dict, tmp_path: Path) -> None:
    market.faults = NetFaults(slow=0.05, slow_seconds=4, truncate=0.1, cut=0.1)
    proc, out = crawl(env, market.market.name, [market.url], tmp_path / "s.sqlite", "--log-level", "WARNING")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out["status"] == "complete", out["reasons"]
    complete(tmp_path / "s.sqlite", market)
    kinds = {e.blocked for e in market.log}
    assert {"slow", "truncate", "cut"} <= kinds
    for kind in ("truncate", "cut"):  # each page that arrived cut short was asked again
        for hit in [e for e in market.log if e.blocked == kind]:
            assert any(e.path == hit.path and e.at > hit.at and e.blocked is None for e in market.log), hit


def test_a_mirror_going_down_mid_crawl_switches_to_the_next(market: MarketServer, env: dict,
                                                            tmp_path: Path) -> None:
    first = start_mirror(market)  # the mirror crawled first; `market` is the second
    stopper = threading.Thread(target=_stop_after, args=(first, 25), daemon=True)
    stopper.start()
    try:
        proc, out = crawl(env, market.market.name, [first.url, market.url], tmp_path / "s.sqlite")
    finally:
        first.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out["status"] == "complete", out["reasons"]
    complete(tmp_path / "s.sqlite", market)
    assert len(first.log) >= 25 and len(market.log) > 0
    assert "mirror" in proc.stderr and "is down" in proc.stderr and "switching to" in proc.stderr
    rows = {r["mirror"]: r for r in health(tmp_path / "s.sqlite")}
    assert rows[first.url]["source"] == "crawl" and rows[first.url]["up"] is False
    assert "Refused" in (rows[first.url]["error"] or "") or "refused" in (rows[first.url]["error"] or "")
    assert rows[market.url]["up"] is True and rows[market.url]["latency_ms"] is not None


def test_every_mirror_down_fails_naming_them_and_resumes(market: MarketServer, env: dict, tmp_path: Path) -> None:
    first, second = start_mirror(market), start_mirror(market)
    threading.Thread(target=_stop_after, args=(first, 15), daemon=True).start()
    threading.Thread(target=_stop_after, args=(second, 15), daemon=True).start()
    store = tmp_path / "s.sqlite"
    try:
        proc, out = crawl(env, market.market.name, [first.url, second.url], store)
    finally:
        first.stop()
        second.stop()
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert out["status"] == "failed"
    line = out["reasons"][0]
    assert "every mirror is down" in line and first.url in line and second.url in line and "resumes" in line
    errors = [line for line in proc.stderr.splitlines() if line.startswith("onionwatch: error:")]
    assert len(errors) == 1 and "every mirror is down" in errors[0]
    again, out2 = crawl(env, market.market.name, [market.url], store)  # the market's last mirror: resumed
    assert again.returncode == 0, again.stderr[-2000:]
    assert out2["resumed"] and out2["status"] == "complete"
    complete(store, market)


def _stop_after(server: MarketServer, requests: int) -> None:
    """Take a mirror down (open connections dropped, its port refuses) after `requests` requests."""
    deadline = time.monotonic() + 120
    while len(server.log) < requests and time.monotonic() < deadline:
        time.sleep(0.01)
    take_down(server)


def test_definition_concurrency_and_delay_space_the_requests(env: dict, tmp_path: Path) -> None:
    markets = Path(env["ONIONWATCH_MARKETS_DIR"])
    definition = yaml.safe_load((markets / "kladmen.yaml").read_text())
    definition["politeness"] = {**POLITENESS, "concurrency": 1, "download_delay": "300ms"}
    (markets / "kladmen.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True))
    server = start_market("kladmen", n_vendors=4, n_listings=12)
    try:
        proc, out = crawl(env, "kladmen", [server.url], tmp_path / "s.sqlite")
    finally:
        server.stop()
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert out["status"] == "complete" and out["listings"] == 12
    times = [e.at for e in server.log]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) > 20 and min(gaps) >= 0.14  # Scrapy randomises the delay to 0.5x-1.5x
    assert sum(gaps) / len(gaps) >= 0.25
