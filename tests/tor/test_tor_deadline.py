"""Over the private Tor network, a page trickling a byte a second ends on the whole-download deadline.

httpx's timeout applies to each read: without the deadline this page would hold the crawl for as long as it
trickles (the issue measured 400 s); with it the crawl ends a few seconds after the deadline, partial.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.crawler.conftest import FIXTURE_MARKETS
from tests.tor.conftest import ROOT, tor_env

pytestmark = [pytest.mark.tor, pytest.mark.slow]

DEADLINE = 8  # seconds: a page over the private network takes well under 1 s


def test_trickling_onion_page_ends_on_the_deadline(tornet: Any, trickling: Any, tmp_path: Path) -> None:
    markets = tmp_path / "markets"
    markets.mkdir()
    text = (FIXTURE_MARKETS / "fault.yaml").read_text()
    (markets / "fault.yaml").write_text(text.replace("navigation:", f"limits:\n  download_deadline: {DEADLINE}s\n"
                                                                     "navigation:", 1))
    env = {**os.environ, **tor_env(tornet), "ONIONWATCH_MARKETS_DIR": str(markets),
           "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config")}
    with trickling.lock:
        trickling.hits.clear()
        dropped = trickling.dropped
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", "fault", "--mirror",
                           f"http://{tornet.onions['fault']}", "--transport", "tor", "--store",
                           f"sqlite:///{tmp_path / 's.sqlite'}", "--json", "--no-progress"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - t0
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 3, proc.stderr[-3000:]  # partial: 3 listings, one page cut at the deadline
    result = json.loads(proc.stdout.strip().splitlines()[-1])[0]
    assert result["status"] == "partial" and result["listings"] == 3
    assert result["shortfalls"]["deadline"]["count"] == 1 and result["failed_pages"] == 1
    assert trickling.hits.count("/item/2") == 1  # not retried
    assert seconds < DEADLINE + 30, seconds  # start-up (Tor preflight, spaCy) + the deadline, not minutes
    time.sleep(2)  # the onion service notices the closed stream and drops the server's connection
    assert trickling.dropped > dropped  # the download was really cancelled, not left trickling
    print(f"tor trickle: crawl ended in {seconds:.1f} s with a {DEADLINE} s deadline")
