"""A pool of two tor clients on the private Tor network (ONIONWATCH_TOR_CLIENTS): the market goes through the
client its stable assignment names, on its own isolated circuits; with that client down it moves to the other
(said on stderr) and the crawl is still complete; with every client down the crawl refuses with one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from onionwatch.crawler.tor_pool import TorClient, TorPool, assign, free_base_port
from tests.tor.conftest import ROOT, TESTBED_SIZE, tor_required

pytestmark = [pytest.mark.tor, pytest.mark.integration, pytest.mark.slow]


def isolated_circuits(client: TorClient, user: str) -> int:
    from stem.control import Controller

    with Controller.from_port(port=client.control_port) as controller:
        controller.authenticate()
        return sum(1 for c in controller.get_circuits() if c.socks_username == user)


def crawl(tmp_path: Path, pool: TorPool, mirror: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "c"),
           "ONIONWATCH_TOR_CLIENTS": pool.env_value(), "ONIONWATCH_CONCURRENCY": "8"}
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", "crawl", "kladmen", "--mirror", mirror,
                           "--transport", "tor", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--json",
                           "--no-progress", "--fresh"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def test_pool_routes_isolates_and_fails_over(tornet: Any, testbed: dict[str, Any], tmp_path: Path) -> None:
    tor_required()
    pool = TorPool(2, free_base_port(2), tmp_path / "pool", extra=tornet.client_lines()).start()
    try:
        mirror = f"http://{tornet.onions['kladmen']}"
        home = assign(["kladmen"], pool.clients)["kladmen"]
        other = pool.clients[1 - home.index]
        first = crawl(tmp_path, pool, mirror)
        assert first.returncode == 0, first.stderr[-3000:]
        out = json.loads(first.stdout)[0]
        assert out["status"] == "complete" and out["listings"] == TESTBED_SIZE["n_listings"], out
        assert isolated_circuits(home, "onionwatch-kladmen") >= 1  # its client, its own circuits
        assert isolated_circuits(other, "onionwatch-kladmen") == 0

        pool.kill(home.index)
        moved = crawl(tmp_path, pool, mirror)
        assert moved.returncode == 0, moved.stderr[-3000:]
        assert f"Tor client {home.index} (127.0.0.1:{home.socks_port}) is down" in moved.stderr
        assert "kladmen moved to other clients" in moved.stderr
        assert json.loads(moved.stdout)[0]["listings"] == TESTBED_SIZE["n_listings"]
        assert isolated_circuits(other, "onionwatch-kladmen") >= 1

        pool.kill(other.index)
        none = crawl(tmp_path, pool, mirror)
        assert none.returncode == 1
        lines = none.stderr.strip().splitlines()
        assert lines[-1].startswith("onionwatch: error: refusing to crawl: none of the 2 Tor clients"), none.stderr
    finally:
        pool.stop()
