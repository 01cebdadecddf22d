"""Fixtures for the Tor tests: a probe-crawl runner and ONE private Tor network per session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tor.servers import PageServer

ROOT = Path(__file__).resolve().parents[2]


def run_probe(spec: dict[str, Any], env: dict[str, str] | None = None, timeout: float = 180) -> dict[str, Any]:
    """Run tests/tor/probe.py in a subprocess (Scrapy's reactor cannot restart); return stats per market."""
    proc = subprocess.run([sys.executable, "-m", "tests.tor.probe", json.dumps(spec)], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["_stderr"] = proc.stderr
    return result


def tor_required() -> None:
    """Skip without tor or root, except in CI (CI=true with tor installed): there the tests must run."""
    have_tor = shutil.which("tor") is not None and shutil.which("tor-gencert") is not None
    if os.environ.get("CI") == "true" and have_tor:
        return
    if not have_tor:
        pytest.skip("tor not installed (apt-get install tor, or .ci/install-tor.sh)")


TESTBED_SIZE = {"n_listings": 150, "n_vendors": 20}  # per market; the full demo size is 2000 / 200


@pytest.fixture(scope="session")
def markets() -> Iterator[dict[str, PageServer]]:
    """Two plain page servers with injectable blocks, served as onions "probe-a" and "probe-b"."""
    with PageServer("probe-a") as a, PageServer("probe-b") as b:
        yield {"probe-a": a, "probe-b": b}


@pytest.fixture(scope="session")
def testbed() -> Iterator[dict[str, Any]]:
    """The real testbed markets (abyss: EN with login, kladmen: RU klad shop), small."""
    from onionwatch.testbed.generate import DEFAULT_SEED
    from onionwatch.testbed.server import start_market

    servers = {m: start_market(m, port=0, seed=DEFAULT_SEED, **TESTBED_SIZE) for m in ("abyss", "kladmen")}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def kladmen_mirror(testbed: dict[str, Any]) -> Iterator[Any]:
    """A second server of the testbed's kladmen (same listings), its own onion "kladmen-mirror"; a test may
    take it down (tests/tor/test_tor_mirrors.py)."""
    from onionwatch.testbed.netfaults import start_mirror

    server = start_mirror(testbed["kladmen"])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def canary() -> Iterator[PageServer]:
    with PageServer("canary") as server:
        yield server


@pytest.fixture(scope="session")
def trickling() -> Iterator[Any]:
    """The fault market (tests/crawler/faultmarket.py) with item 2 trickling a byte a second, forever."""
    from tests.crawler.faultmarket import FaultMarket

    with FaultMarket(items=4, trickle={2}, trickle_every=1.0) as server:
        yield server


@pytest.fixture(scope="session")
def tornet(markets: dict[str, PageServer], testbed: dict[str, Any], trickling: Any,
           kladmen_mirror: Any) -> Iterator[Any]:  # fmt: skip
    """ONE private Tor network for the session: an onion per testbed market, mirror and probe server."""
    tor_required()
    from onionwatch.testbed.tornet import TorNet

    servers = {**testbed, **markets, "fault": trickling, "kladmen-mirror": kladmen_mirror}
    targets = {name: f"127.0.0.1:{srv.port}" for name, srv in servers.items()}
    with TorNet(targets=targets, timeout=180) as net:
        pids, workdir = net.pids(), net.workdir
        yield net
    # teardown leaves nothing behind: no tor process, no temp dir
    assert workdir is not None and not workdir.exists(), workdir
    alive = [p for p in pids if Path(f"/proc/{p}").exists()
             and Path(f"/proc/{p}/stat").read_text().split()[2] != "Z"]
    assert not alive, f"tor processes left after teardown: {alive}"


def tor_env(net: Any) -> dict[str, str]:
    return {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": str(net.socks_port),
            "TOR_CONTROL_PORT": str(net.control_port), "TOR_CONTROL_COOKIE": str(net.cookie_path)}


def tor_settings(net: Any) -> dict[str, Any]:
    return {"TOR_SOCKS_HOST": "127.0.0.1", "TOR_SOCKS_PORT": net.socks_port,
            "TOR_CONTROL_PORT": net.control_port, "TOR_CONTROL_COOKIE": str(net.cookie_path)}
