"""`onionwatch serve` and `onionwatch demo` stop on the FIRST Ctrl-C (SIGINT) or SIGTERM while serving: exit
within seconds, 130 / 143, and no process of theirs left behind.

Each command runs in its own session (as a terminal would give it its own process group); the signal goes to
the whole group, as Ctrl-C does. The demo case matters most: its crawl (Scrapy) installs signal handlers that
used to swallow the signal uvicorn hands back when it stops (dashboards/web.py).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from onionwatch.indexer.sqlite import SQLiteStore

pytestmark = [pytest.mark.integration]
ROOT = Path(__file__).resolve().parents[1]
STOP_WITHIN = 10.0  # seconds from the signal to the exit (GRACE is 5; this leaves room on a loaded machine)


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ONIONWATCH_DATA_DIR=str(tmp_path / "data"), ONIONWATCH_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("ONIONWATCH_STORE", None)
    return env


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return int(sock.getsockname()[1])


def _start(args: list[str], tmp_path: Path, port: int, timeout: float) -> subprocess.Popen[bytes]:
    with (tmp_path / "stderr").open("wb") as stderr:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen([sys.executable, "-m", "onionwatch.cli", *args, "--port", str(port)], cwd=ROOT,
                                env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=stderr,
                                start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, (tmp_path / "stderr").read_text()[-3000:]
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("the dashboard never answered: " + (tmp_path / "stderr").read_text()[-3000:])


def _session_members(sid: int) -> list[str]:
    """Live (not zombie) processes of session ``sid``, as 'pid state command'."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(f"{entry.name} {fields[0]} {cmd[:120]}")
    return found


def _stop(proc: subprocess.Popen[bytes], signum: int, tmp_path: Path) -> tuple[int, float]:
    sent = time.monotonic()
    os.killpg(proc.pid, signum)  # the whole process group, as a terminal's Ctrl-C
    try:
        code = proc.wait(STOP_WITHIN)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError(f"still running {STOP_WITHIN}s after {signal.Signals(signum).name}") from None
    took = time.monotonic() - sent
    deadline = time.monotonic() + 5  # a helper (multiprocessing's resource tracker) ends when its parent has
    while _session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session_members(proc.pid) == [], "left behind"
    assert f"stopped ({signal.Signals(signum).name})" in (tmp_path / "stderr").read_text()
    return code, took


@pytest.mark.parametrize(("signum", "expected"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_serve_stops_on_the_first_signal(tmp_path: Path, signum: int, expected: int) -> None:
    (tmp_path / "data").mkdir()
    SQLiteStore(f"sqlite:///{tmp_path / 'data' / 'onionwatch.sqlite'}").close()  # serve only reads a store
    port = _free_port()
    proc = _start(["serve"], tmp_path, port, timeout=60)
    idle = http.client.HTTPConnection("127.0.0.1", port, timeout=5)  # a browser's kept-alive connection
    idle.request("GET", "/login")
    idle.getresponse().read()
    half = socket.create_connection(("127.0.0.1", port))  # and one whose request never finishes
    half.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    try:
        code, took = _stop(proc, signum, tmp_path)
    finally:
        idle.close()
        half.close()
    assert code == expected and took < STOP_WITHIN


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "expected"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_demo_stops_on_the_first_signal_after_its_crawl(tmp_path: Path, signum: int, expected: int) -> None:
    port = _free_port()
    proc = _start(["demo", "--listings", "30", "--vendors", "5"], tmp_path, port, timeout=300)
    code, took = _stop(proc, signum, tmp_path)
    assert code == expected and took < STOP_WITHIN
