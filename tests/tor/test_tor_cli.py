"""`onionwatch tor check` against the private network: ready, circuits, and clear errors for bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.tor.conftest import ROOT, tor_env

pytestmark = pytest.mark.tor


def _check(net: Any, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", "tor", "check", *args], cwd=ROOT,
                          env={**os.environ, **tor_env(net), **(env or {})}, capture_output=True, text=True,
                          timeout=60)


def test_check_ready(tornet: Any) -> None:
    proc = _check(tornet, "--circuits")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"SOCKS      127.0.0.1:{tornet.socks_port}" in proc.stdout and "ok (SOCKS5)" in proc.stdout
    assert "bootstrap  100% (Done); circuit established: yes" in proc.stdout
    assert "BUILT" in proc.stdout and "ready: yes" in proc.stdout


def test_check_wrong_cookie_is_an_auth_failure(tornet: Any, tmp_path: Path) -> None:
    cookie = tmp_path / "cookie"
    cookie.write_bytes(b"\x00" * 32)
    proc = _check(tornet, "--cookie", str(cookie))
    assert proc.returncode == 1
    assert f"Tor control port 127.0.0.1:{tornet.control_port}: authentication failed" in proc.stdout


def test_check_ports_swapped_names_them(tornet: Any) -> None:
    proc = _check(tornet, "--socks-port", str(tornet.control_port), "--control-port", str(tornet.socks_port))
    assert proc.returncode == 1
    assert f"Tor SOCKS port 127.0.0.1:{tornet.control_port}:" in proc.stdout and "wrong port?" in proc.stdout
    assert f"Tor control port 127.0.0.1:{tornet.socks_port}:" in proc.stdout
