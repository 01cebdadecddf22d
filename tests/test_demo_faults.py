"""`onionwatch demo --faults` end to end over loopback HTTP (small markets): gates passed with the analyst's
stand-in, every listing and vendor of each epoch found, no duplicates, change-only observations."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, subprocess.CompletedProcess[str]]:
    tmp = tmp_path_factory.mktemp("demo-faults")
    env = dict(os.environ, ONIONWATCH_DATA_DIR=str(tmp / "data"), ONIONWATCH_CONFIG_DIR=str(tmp / "config"))
    for name in ("ONIONWATCH_STORE", "ONIONWATCH_MARKETS_DIR"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "demo", "--faults", "--no-serve", "--json",
                           "--listings", "60", "--vendors", "10"], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout), tmp, proc


def test_every_crawl_is_complete_against_its_epoch(demo: tuple[dict, Path, subprocess.CompletedProcess]) -> None:
    summary, _, _ = demo
    assert summary["exit_code"] == 0 and summary["incomplete"] == [] and summary["epochs"] == [0, 1, 1]
    assert set(summary["markets"]) == {"abyss", "kladmen"}
    for name, m in summary["markets"].items():
        assert m["complete"] and m["duplicates"] == 0, name
        for c in m["crawls"]:
            assert c["status"] == "complete", (name, c)
            assert c["listings_found"] == c["listings_expected"] == c["listings_collected"], (name, c)
            assert c["vendors_found"] == c["vendors_expected"] == 10, (name, c)
            assert c["stale_listings"] == 0 and c["duplicates"] == 0, (name, c)
        assert m["crawls"][0]["listings_expected"] == 60
        assert m["crawls"][1]["listings_expected"] != 60  # the market changed (listings removed and added)


def test_observations_are_change_only(demo: tuple[dict, Path, subprocess.CompletedProcess]) -> None:
    summary, _, _ = demo
    for name, m in summary["markets"].items():
        first, changed, unchanged = m["observations"]
        assert m["observations"] == m["observations_expected"], name
        assert first == 60 and 0 < changed < 60 and unchanged == 0, name
        gone = [c["listings_gone"] for c in m["crawls"]]
        assert gone == [c["listings_gone_expected"] for c in m["crawls"]] and gone[0] == gone[2] == 0 < gone[1]


def test_the_analyst_was_asked_and_the_pause_is_reported(demo: tuple[dict, Path, subprocess.CompletedProcess]) \
        -> None:
    summary, _, proc = demo
    assert summary["faults"] == {"abyss": ["login-captcha", "2fa", "expiry", "slow", "cut"],
                                 "kladmen": ["queue", "captcha", "age", "expiry", "throttle", "truncate"]}
    for name, m in summary["markets"].items():
        assert m["captchas_answered"] >= 3 and m["analyst_errors"] == [], name  # once per crawl at least
        assert all(c["paused_seconds"] > 0 for c in m["crawls"]), name
        assert m["paused_seconds"] == pytest.approx(sum(c["paused_seconds"] for c in m["crawls"]), abs=0.05)
    assert "answer with: onionwatch session solve kladmen" in proc.stderr
    assert "BEGIN PGP PRIVATE" not in proc.stdout + proc.stderr


def test_the_store_holds_one_row_per_listing(demo: tuple[dict, Path, subprocess.CompletedProcess]) -> None:
    summary, tmp, _ = demo
    store = tmp / "data" / "demo-faults.sqlite"
    assert summary["store"] == f"sqlite:///{store}"
    with sqlite3.connect(store) as db:
        per_market = dict(db.execute("SELECT market, count(*) FROM listings GROUP BY market").fetchall())
        crawls = db.execute("SELECT market, status, counters FROM crawls ORDER BY id").fetchall()
    for name, m in summary["markets"].items():
        c0, c1 = m["crawls"][0], m["crawls"][1]
        assert per_market[name] == c1["listings_expected"] + c1["listings_gone"]  # live + gone, once each
        assert c0["listings_expected"] == 60
    assert len(crawls) == 6 and {c[1] for c in crawls} == {"complete"}
    assert all(json.loads(c[2])["paused_seconds"] > 0 for c in crawls)  # kept with the crawl record


def test_the_temporary_key_and_definitions_are_gone(demo: tuple[dict, Path, subprocess.CompletedProcess]) -> None:
    _, tmp, _ = demo
    assert not (tmp / "config" / "credentials.yaml").exists()  # the demo's own config dir was temporary
    assert not (tmp / "config" / "analyst.asc").exists()
