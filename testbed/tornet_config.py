"""torrc text for each node of the private loopback Tor network (pure functions, no processes)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# ports of node i: base + 10*i + offset
OR, DIR, CTL, SOCKS = 0, 1, 2, 3
N_AUTH = 3

_TARGET = re.compile(r"^127\.0\.0\.1:(\d{1,5})$")


@dataclass(frozen=True)
class Schedule:
    """Authority voting schedule in seconds (5/10/2 measured at ~13 s to a reachable onion)."""

    initial_interval: int = 5
    interval: int = 10
    delay: int = 2

    def check(self) -> None:
        if 2 * self.delay >= self.initial_interval or 2 * self.delay >= self.interval / 2:
            raise ValueError(f"voting schedule {self}: vote+dist delay must be < interval/2")
        if 86400 % self.interval or 86400 % self.initial_interval:
            raise ValueError(f"voting schedule {self}: intervals must divide 24 h")


@dataclass
class Layout:
    """Node names, port numbers and onion targets of one network."""

    base_port: int
    relays: int = 3
    targets: dict[str, str] = field(default_factory=dict)  # market -> 127.0.0.1:PORT

    def __post_init__(self) -> None:
        for market, target in self.targets.items():
            m = _TARGET.match(target)
            if not m or not 0 < int(m.group(1)) < 65536:
                raise ValueError(f"onion target for {market!r} must be 127.0.0.1:PORT, got {target!r}")
        if not re.fullmatch(r"[a-z0-9_-]+", "".join(self.targets) or "x"):
            raise ValueError(f"market names must be lowercase [a-z0-9_-]: {sorted(self.targets)}")

    @property
    def nodes(self) -> list[str]:
        return [f"auth{i}" for i in range(N_AUTH)] + [f"relay{i}" for i in range(self.relays)] + ["hs", "client"]

    def port(self, node: str, offset: int) -> int:
        return self.base_port + 10 * self.nodes.index(node) + offset

    def all_ports(self) -> list[int]:
        return [self.port(n, k) for n in self.nodes for k in (OR, DIR, CTL, SOCKS)]


def dirauthority_line(layout: Layout, node: str, v3ident: str, fingerprint: str) -> str:
    return (
        f"DirAuthority {node} orport={layout.port(node, OR)} no-v2 v3ident={v3ident} "
        f"127.0.0.1:{layout.port(node, DIR)} {fingerprint}"
    )


def common_torrc(layout: Layout, node: str, workdir: Path, dirauth_lines: list[str], owner_pid: int) -> str:
    d = workdir / node
    return "\n".join([
        "# --- common: private testing network only, never the public one",
        "TestingTorNetwork 1",
        *dirauth_lines,
        "UseDefaultFallbackDirs 0",
        f"DataDirectory {d}",
        f"Nickname {node}",
        f"PidFile {d}/pid",
        f"Log notice file {d}/notice.log",
        "SafeLogging 0",
        "LogTimeGranularity 1",
        f"ControlPort 127.0.0.1:{layout.port(node, CTL)}",
        "CookieAuthentication 1",
        "ShutdownWaitLength 0",
        f"__OwningControllerProcess {owner_pid}",
        "# fast small-network bootstrap (chutney's common.i)",
        "PathsNeededToBuildCircuits 0.67",
        "TestingDirAuthVoteExit *",
        "TestingDirAuthVoteHSDir *",
        "TestingDirAuthVoteGuard *",
        "TestingMinExitFlagThreshold 0",
        "V3AuthNIntervalsValid 2",
        "# skip GeoIP parsing (~1 s CPU per tor at startup)",
        "GeoIPFile",
        "GeoIPv6File",
    ])


def relay_torrc(layout: Layout, node: str) -> str:
    return "\n".join([
        "# --- relay (no exit: onion services only)",
        "SocksPort 0",
        f"ORPort 127.0.0.1:{layout.port(node, OR)}",
        "Address 127.0.0.1",
        "AssumeReachable 1",
        f"ContactInfo {node}@tornet.invalid",
        "ServerDNSDetectHijacking 0",
        "ServerDNSTestAddresses",
        "ServerDNSResolvConfFile /dev/null",
        "ExitRelay 0",
        "ExitPolicy reject *:*",
    ])


def authority_torrc(layout: Layout, node: str, schedule: Schedule) -> str:
    return "\n".join([
        "# --- directory authority",
        f"DirPort 127.0.0.1:{layout.port(node, DIR)}",
        "AuthoritativeDirectory 1",
        "V3AuthoritativeDirectory 1",
        f"TestingV3AuthInitialVotingInterval {schedule.initial_interval}",
        f"TestingV3AuthInitialVoteDelay {schedule.delay}",
        f"TestingV3AuthInitialDistDelay {schedule.delay}",
        f"V3AuthVotingInterval {schedule.interval}",
        f"V3AuthVoteDelay {schedule.delay}",
        f"V3AuthDistDelay {schedule.delay}",
    ])


def hs_torrc(layout: Layout, workdir: Path) -> str:
    lines = ["# --- onion services: one HiddenServiceDir per market", "SocksPort 0"]
    for market, target in layout.targets.items():
        lines += [f"HiddenServiceDir {workdir / 'hs' / market}", f"HiddenServicePort 80 {target}"]
    return "\n".join(lines)


def client_torrc(layout: Layout) -> str:
    return "\n".join([
        "# --- client (IsolateSOCKSAuth is on by default: one circuit per SOCKS username/password)",
        f"SocksPort 127.0.0.1:{layout.port('client', SOCKS)} IsolateSOCKSAuth",
    ])


def torrc(
    layout: Layout, node: str, workdir: Path, dirauth_lines: list[str], owner_pid: int, schedule: Schedule
) -> str:
    parts = [common_torrc(layout, node, workdir, dirauth_lines, owner_pid)]
    if node.startswith("auth"):
        parts += [relay_torrc(layout, node), authority_torrc(layout, node, schedule)]
    elif node.startswith("relay"):
        parts.append(relay_torrc(layout, node))
    elif node == "hs":
        parts.append(hs_torrc(layout, workdir))
    elif node == "client":
        parts.append(client_torrc(layout))
    else:
        raise ValueError(f"unknown node {node!r}")
    return "\n".join(parts) + "\n"
