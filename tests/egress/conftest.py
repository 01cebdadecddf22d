"""Fixtures for the egress tests: empty caches, a socket recorder in every Python child, and the rule for
where the host-network tests run.

The `host_network` tests prove zero clear-net egress where it could really happen: outside any network
namespace, with real DNS available and every cache empty. `scripts/test` runs the suite inside `unshare -n`
(ONIONWATCH_TEST_NETNS=1), where those tests skip themselves, and runs them again on the host network
(ONIONWATCH_TEST_HOST_EGRESS=1), where skipping is an error. They only ever connect to 127.0.0.1; the
recorder (tests/egress/recorder/sitecustomize.py) records every socket event of the processes under test
and refuses anything outside loopback, so a leak is a failing test, never a packet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECORDER = Path(__file__).resolve().parent / "recorder"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "host_network: must run outside a network namespace (scripts/test runs "
                                       "them separately on the host network)")


@pytest.fixture
def host_network() -> None:
    """Skip inside the test namespace; on the host-network run of scripts/test, never skip."""
    if os.environ.get("ONIONWATCH_TEST_HOST_EGRESS") == "1":
        assert os.environ.get("ONIONWATCH_TEST_NETNS") != "1", "host-network run started inside the namespace"
        return
    if os.environ.get("ONIONWATCH_TEST_NETNS") == "1":
        pytest.skip("inside the test network namespace: scripts/test runs this on the host network")


@dataclass
class Recorded:
    """A clean environment for subprocesses and the socket events they recorded."""

    env: dict[str, str]
    record: Path
    tmp: Path

    def events(self) -> list[dict[str, Any]]:
        if not self.record.exists():
            return []
        return [json.loads(line) for line in self.record.read_text().splitlines() if line.strip()]

    def outside_loopback(self) -> list[dict[str, Any]]:
        return [e for e in self.events() if e["blocked"]]

    def run(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "onionwatch.cli", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def recorded(tmp_path: Path) -> Recorded:
    """Fresh HOME, XDG dirs and TLDEXTRACT_CACHE (every cache empty); the recorder on PYTHONPATH."""
    home = tmp_path / "home"
    for d in ("home", "home/.cache", "xdg-cache", "xdg-config", "xdg-data"):
        (tmp_path / d).mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ONIONWATCH_", "TLDEXTRACT_", "XDG_", "TOR_")) and k != "PYTHONPATH"}
    record = tmp_path / "sockets.jsonl"
    env.update({
        "HOME": str(home), "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "TLDEXTRACT_CACHE": str(tmp_path / "xdg-cache" / "tldextract"),
        "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHONPATH": os.pathsep.join([str(RECORDER), str(ROOT)]),
        "ONIONWATCH_EGRESS_RECORD": str(record),
    })
    for var in ("ONIONWATCH_TEST_NETNS", "ONIONWATCH_TEST_HOST_EGRESS"):
        env.pop(var, None)
    return Recorded(env, record, tmp_path)


def assert_loopback_only(rec: Recorded, *, at_least: int = 1) -> list[dict[str, Any]]:
    """Every recorded socket event went to loopback, and the recorder saw the command work at all."""
    events = rec.events()
    assert rec.outside_loopback() == [], rec.outside_loopback()[:10]
    connects = [e for e in events if e["event"] == "socket.connect"]
    assert len(connects) >= at_least, f"recorder saw {len(connects)} connects: is it installed? {events[:5]}"
    return events
