"""The private network's layout and torrc safety invariants; launcher errors (no network started)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from onionwatch.testbed.tornet import TorNet, TorNetError
from onionwatch.testbed.tornet_config import Layout, Schedule, dirauthority_line, torrc

LAYOUT = Layout(30000, relays=3, targets={"abyss": "127.0.0.1:8701", "kladmen": "127.0.0.1:8702"})
AUTH = [dirauthority_line(LAYOUT, f"auth{i}", "A" * 40, "B" * 40) for i in range(3)]


def _all() -> dict[str, str]:
    return {n: torrc(LAYOUT, n, Path("/tmp/x"), AUTH, 1234, Schedule()) for n in LAYOUT.nodes}


def test_layout_ports_are_distinct() -> None:
    ports = LAYOUT.all_ports()
    assert len(ports) == len(set(ports)) == 4 * 8
    assert LAYOUT.nodes == ["auth0", "auth1", "auth2", "relay0", "relay1", "relay2", "hs", "client"]


def test_every_torrc_is_private_and_loopback_only() -> None:
    for node, text in _all().items():
        assert "TestingTorNetwork 1" in text, node
        assert "UseDefaultFallbackDirs 0" in text, node
        assert len(re.findall(r"^DirAuthority ", text, re.M)) == 3, node
        assert "__OwningControllerProcess 1234" in text, node
        for line in text.splitlines():
            if re.match(r"(ORPort|DirPort|ControlPort|SocksPort) ", line) and not line.endswith(" 0"):
                assert " 127.0.0.1:" in line, (node, line)
        assert "ExitRelay 1" not in text and "accept" not in text.replace("ExitPolicy reject *:*", ""), node


def test_one_hidden_service_dir_per_market() -> None:
    hs = _all()["hs"]
    assert "HiddenServiceDir /tmp/x/hs/abyss\nHiddenServicePort 80 127.0.0.1:8701" in hs
    assert "HiddenServiceDir /tmp/x/hs/kladmen\nHiddenServicePort 80 127.0.0.1:8702" in hs
    client = _all()["client"]
    assert f"SocksPort 127.0.0.1:{LAYOUT.port('client', 3)} IsolateSOCKSAuth" in client


@pytest.mark.parametrize("target", ["10.0.0.1:80", "localhost:80", "127.0.0.1", "127.0.0.1:0", "0.0.0.0:80"])
def test_targets_must_be_loopback_ports(target: str) -> None:
    with pytest.raises(ValueError, match="must be 127.0.0.1:PORT"):
        Layout(30000, targets={"abyss": target})


def test_schedule_rules() -> None:
    Schedule().check()
    with pytest.raises(ValueError, match="vote\\+dist delay"):
        Schedule(initial_interval=5, interval=10, delay=3).check()


def test_tor_not_installed_gives_install_hint() -> None:
    with pytest.raises(TorNetError, match="tor not installed: apt-get install tor"):
        TorNet(targets={"abyss": "127.0.0.1:8701"}, tor="/nonexistent/tor", log=False).start()


def test_port_in_use_is_named(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        base = s.getsockname()[1]
        net = TorNet(targets={}, base_port=base, tor="true", tor_gencert="true", workdir=tmp_path, log=False)
        with pytest.raises(TorNetError, match=f"port {base} on 127.0.0.1 is in use"):
            net.start()


def test_bad_market_name_fails_at_construction() -> None:
    with pytest.raises(ValueError, match="market names must be lowercase"):
        TorNet(targets={"Bad": "127.0.0.1:8701"}, log=False)


def test_target_without_server_is_named(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: nothing answers
        net = TorNet(targets={"abyss": f"127.0.0.1:{port}"}, workdir=tmp_path, log=False)
        with pytest.raises(TorNetError, match=f"onion target for abyss: nothing listens on 127.0.0.1:{port}"):
            net.start()
