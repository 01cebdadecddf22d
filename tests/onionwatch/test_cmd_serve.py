"""`onionwatch serve` / `demo` on a port that cannot be bound: one error line naming the option, exit 1, fast."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        yield sock.getsockname()[1]


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_STORE": ""}
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


def test_serve_port_in_use(taken_port: int, tmp_path: Path) -> None:
    from onionwatch.indexer.sqlite import SQLiteStore

    SQLiteStore(f"sqlite:///{tmp_path / 'data' / 'onionwatch.sqlite'}").close()  # serve only reads a store
    proc = _run(["serve", "--port", str(taken_port)], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (f"onionwatch: error: --port {taken_port}: cannot listen on 127.0.0.1:{taken_port}: "
                                   "Address already in use")


def test_demo_port_in_use_fails_before_the_crawl(taken_port: int, tmp_path: Path) -> None:
    t0 = time.perf_counter()
    proc = _run(["demo", "--port", str(taken_port), "--listings", "50", "--vendors", "5"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        f"onionwatch: error: --port {taken_port}: cannot listen on 127.0.0.1:{taken_port}: Address already in use")
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "data" / "onionwatch.sqlite").exists()  # nothing crawled or indexed
    assert time.perf_counter() - t0 < 10


def test_serve_refuses_a_missing_store_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "store.sqlite"
    proc = _run(["serve", "--port", "0", "--store", f"sqlite:///{missing}"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"onionwatch: error: store {missing}: no such store file (check --store or ONIONWATCH_STORE)"
    assert not missing.parent.exists()
