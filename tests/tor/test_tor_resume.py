"""kill -9 a crawl running through the private Tor network, run it again: it resumes over Tor, and the store
equals the testbed's ground truth (every listing once, no duplicate observation, integrity ok)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.crawler.test_resume import check_store, frontier_state
from tests.tor.conftest import ROOT, tor_env

pytestmark = [pytest.mark.tor, pytest.mark.slow]


def test_kill_9_over_tor_then_resume(tornet: Any, testbed: dict[str, Any], tmp_path: Path) -> None:
    server = testbed["kladmen"]
    mark = len(server.log)
    env = {**os.environ, **tor_env(tornet), "ONIONWATCH_DATA_DIR": str(tmp_path / "data"),
           "ONIONWATCH_CONFIG_DIR": str(tmp_path / "c"), "ONIONWATCH_CONCURRENCY": "8"}
    store = tmp_path / "s.sqlite"
    args = [sys.executable, "-m", "onionwatch.cli", "crawl", "kladmen", "--mirror",
            f"http://{tornet.onions['kladmen']}", "--transport", "tor", "--store", f"sqlite:///{store}", "--json",
            "--no-progress"]
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    state = None
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1][-3000:]
        state = frontier_state(tmp_path / "data")
        if state is not None and state["done"] >= 60:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            break
        time.sleep(0.02)
    assert state is not None and state["done"] >= 60 and proc.returncode == -signal.SIGKILL
    again = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-3000:]
    out = json.loads(again.stdout)[0]
    assert out["status"] == "complete" and out["resumed"]
    assert "kladmen: resuming crawl 1 (" in again.stderr
    fetched = Counter(e.path for e in server.log[mark:] if e.method == "GET")
    twice = [p for p, n in fetched.items() if n > 1]
    assert len(twice) <= 16, twice  # the in-flight window: 2 x 8
    check_store(store, server.market.truth())
