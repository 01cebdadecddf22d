"""A crawl stopped by SIGINT/SIGTERM writes nothing to the store and exits non-zero with one error line."""

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
def test_interrupted_crawl_writes_nothing(crawl_env: dict, tmp_path: Path, signum: int) -> None:
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
    assert proc.returncode != 0
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("onionwatch: error:")]
    assert errors == ["onionwatch: error: mini: crawl interrupted (shutdown): nothing indexed"], err
    assert _listings(store) == 0
    archives = [p.name for p in (tmp_path / "data" / "archive" / "mini").iterdir()]
    assert len(archives) == 1 and archives[0].endswith(".partial.warc.gz")  # kept, and marked incomplete
