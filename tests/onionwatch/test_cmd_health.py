"""`onionwatch markets health`: probes every mirror of a testbed market (one of them down), records the
samples in the store as a time series, and shows uptime % and p50 latency per mirror."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from onionwatch.indexer.store import open_store
from onionwatch.testbed.netfaults import start_mirror, take_down
from onionwatch.testbed.server import MarketServer, start_market

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mirrors() -> Iterator[tuple[MarketServer, MarketServer]]:
    up = start_market("kladmen", n_vendors=5, n_listings=20)
    down = start_mirror(up)
    take_down(down)
    yield up, down
    up.stop()


def health(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", "markets", "health", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_probes_record_a_time_series_and_show_uptime(mirrors: tuple[MarketServer, MarketServer],
                                                     tmp_path: Path) -> None:
    up, down = mirrors
    store = f"sqlite:///{tmp_path / 's.sqlite'}"
    probe = ["kladmen", "--transport", "direct", "--mirror", up.url, "--mirror", down.url, "--timeout", "5",
             "--store", store]
    for _ in range(3):
        assert health(tmp_path, *probe).returncode == 0
    out = health(tmp_path, *probe, "--json")
    assert out.returncode == 0, out.stderr
    rows = {r["mirror"]: r for r in json.loads(out.stdout)["mirrors"]}
    assert rows[up.url]["uptime_pct"] == 100.0 and rows[up.url]["samples"] == 4
    assert rows[up.url]["p50_latency_ms"] > 0
    assert rows[down.url]["uptime_pct"] == 0.0 and not rows[down.url]["last_up"]
    assert "refused" in rows[down.url]["last_error"].lower()
    assert sum(1 for e in up.log if e.path == "/") >= 4  # each run probed the live mirror once
    s = open_store(store)
    try:
        series = s.mirror_health("kladmen")
    finally:
        s.close()
    assert len(series) == 8 and {x["source"] for x in series} == {"probe"}
    assert [x["checked_at"] for x in series] == sorted(x["checked_at"] for x in series)
    table = health(tmp_path, "--no-probe", "--store", store)
    assert table.returncode == 0
    assert "100.0%" in table.stdout and "0.0%" in table.stdout and "DOWN" in table.stdout


def test_no_mirror_answering_exits_1(mirrors: tuple[MarketServer, MarketServer], tmp_path: Path) -> None:
    _, down = mirrors
    out = health(tmp_path, "kladmen", "--transport", "direct", "--mirror", down.url, "--timeout", "2")
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1] == "onionwatch: error: no mirror answered: kladmen"


@pytest.mark.parametrize("args, message", [
    (["--window", "7"], "not a duration"),
    (["kladmen", "--mirror", "http://10.0.0.1:80"], "IP address"),
    (["nosuch"], "unknown market"),
    (["--mirror", "http://127.0.0.1:9"], "--mirror needs a market NAME"),
])  # fmt: skip
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    out = health(tmp_path, "--transport", "direct", *args)
    assert out.returncode != 0 and message in out.stderr and "Traceback" not in out.stderr
