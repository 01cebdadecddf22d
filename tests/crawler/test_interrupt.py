"""A crawl stopped by SIGINT/SIGTERM exits 130 with one error line; what it indexed is in the store, marked with
its crawl's status (interrupted), and the same command resumes it to the end."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.crawler.conftest import ROOT
from tests.crawler.minimarket import MiniMarket

pytestmark = pytest.mark.integration


def _listings(store: Path) -> int:
    if not store.exists():
        return 0
    with sqlite3.connect(store) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'listings'").fetchone():
            return 0
        return db.execute("SELECT count(*) FROM listings").fetchone()[0]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_crawl_is_marked_and_resumes(crawl_env: dict, tmp_path: Path, signum: int) -> None:
    store = tmp_path / "s.sqlite"
    with MiniMarket(item_delay=0.8) as market:
        proc = subprocess.Popen(
            [sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", market.url, "--transport",
             "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"],
            env=crawl_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 30
        while market.item_hits < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, "the crawl ended before it could be interrupted"
        time.sleep(0.3)  # some item pages answered, more in flight
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
        hits = market.item_hits
    assert 0 < hits < 20  # really interrupted mid-crawl
    assert proc.returncode == 130
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("onionwatch: error:")]
    assert errors == ["onionwatch: error: mini: crawl interrupted (Ctrl-C / SIGTERM); the same command resumes it"], err
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT status FROM crawls").fetchall() == [("interrupted",)]
    before = _listings(store)
    assert before < 20
    with MiniMarket() as market:  # the same command again (the market answers quickly now)
        again = subprocess.run(
            [sys.executable, "-m", "onionwatch.cli", "crawl", "mini", "--mirror", market.url, "--transport",
             "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"],
            env=crawl_env, cwd=ROOT, capture_output=True, text=True, timeout=120)
        item_gets = [p for m, p in market.requests if p.startswith("/item/")]
    assert again.returncode == 0, again.stderr
    assert "mini: resuming crawl 1 (" in again.stderr
    assert _listings(store) == 20
    assert len(item_gets) <= 20 - before and len(set(item_gets)) == len(item_gets)  # nothing done is fetched again
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT status FROM crawls").fetchall() == [("complete",)]
        assert db.execute("SELECT count(*) FROM observations").fetchone()[0] == 20
    archives = sorted(p.name for p in (tmp_path / "data" / "archive" / "mini").iterdir())
    assert len(archives) == 2 and archives[0].endswith(".partial.warc.gz")  # kept, and marked incomplete
