"""`onionwatch tor check` without Tor: exit 1 and a message naming the port."""

from __future__ import annotations

import socket

from click.testing import CliRunner

from onionwatch.cmd_tor import tor


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_check_reports_closed_ports_and_fails() -> None:
    socks, ctl = _closed_port(), _closed_port()
    result = CliRunner().invoke(tor, ["check", "--socks-port", str(socks), "--control-port", str(ctl)])
    assert result.exit_code == 1
    assert f"Tor SOCKS port 127.0.0.1:{socks}: connection refused" in result.output
    assert f"Tor control port 127.0.0.1:{ctl}: cannot connect" in result.output
    assert "ready: NO" in result.output


def test_check_json() -> None:
    import json

    result = CliRunner().invoke(tor, ["check", "--json", "--socks-port", str(_closed_port()),
                                      "--control-port", str(_closed_port())])
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["ready"] is False and data["socks_ok"] is False
