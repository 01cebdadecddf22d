"""`onionwatch demo --faults --tor` (small markets) over the private Tor network: the DDoS queue, the captcha
bound to the queue ticket, the 18+ form, the login captcha and PGP 2FA passed through onion services; every
listing of each epoch found, no duplicates, change-only observations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.tor.conftest import ROOT, tor_required

pytestmark = [pytest.mark.tor, pytest.mark.slow]


def test_demo_with_faults_over_tor(tmp_path: Path) -> None:
    tor_required()
    env = dict(os.environ, ONIONWATCH_DATA_DIR=str(tmp_path / "data"), ONIONWATCH_CONFIG_DIR=str(tmp_path / "cfg"))
    for name in ("ONIONWATCH_STORE", "ONIONWATCH_MARKETS_DIR"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, "-m", "onionwatch.cli", "demo", "--faults", "--tor", "--no-serve",
                           "--json", "--listings", "60", "--vendors", "10"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, _why(proc)
    summary = json.loads(proc.stdout)
    assert summary["transport"] == "tor" and summary["exit_code"] == 0
    for name, m in summary["markets"].items():
        assert m["complete"] and m["duplicates"] == 0, name
        assert m["observations"] == m["observations_expected"] and m["observations"][0] == 60, name
        assert m["observations"][2] == 0 and m["captchas_answered"] >= 3 and m["paused_seconds"] > 0, name
        for c in m["crawls"]:
            assert c["status"] == "complete" and c["listings_found"] == c["listings_expected"], (name, c)
            assert c["vendors_found"] == c["vendors_expected"] and c["listings_gone"] == c["listings_gone_expected"]


def _why(proc: subprocess.CompletedProcess[str]) -> str:
    """The summary (per-crawl reasons) and the log without the many routine pause lines, for a failure."""
    log = [line for line in proc.stderr.splitlines() if "crawl paused" not in line]
    return f"summary: {proc.stdout[-4000:]}\nlog: " + "\n".join(log)[-4000:]
