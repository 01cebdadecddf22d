"""A private Tor network on 127.0.0.1 (3 authorities, relays, one onion per testbed market, a client).

It never contacts the public Tor network: every torrc names only the local authorities,
``UseDefaultFallbackDirs 0`` and ``TestingTorNetwork 1`` (tor refuses that with the default
authorities). For hard isolation run it in a loopback-only namespace (``.ci/tor-tests.sh``).

    with TorNet(targets={"abyss": "127.0.0.1:8701"}) as net:
        net.socks_port, net.control_port, net.cookie_path, net.onions["abyss"]

Manual use: ``python -m onionwatch.testbed.tornet --market abyss=127.0.0.1:8701 [-- CMD ...]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from onionwatch.errors import TorNetError
from onionwatch.testbed.tornet_config import CTL, DIR, N_AUTH, SOCKS, Layout, Schedule, dirauthority_line, torrc

INSTALL_HINT = "tor not installed: apt-get install tor (or run .ci/install-tor.sh, which keeps the system tor off)"
WAIT_USER = "tornet-wait"  # SOCKS username of the launcher's own readiness probes (its own circuits)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_base_port(relays: int, rng: random.Random | None = None, tries: int = 50) -> int:
    """A random base port whose whole block of node ports is free on 127.0.0.1."""
    rng = rng or random.Random()
    for _ in range(tries):
        base = rng.randrange(20000, 59000, 100)
        if all(_port_free(p) for p in Layout(base, relays).all_ports()):
            return base
    raise TorNetError("no free block of ports found on 127.0.0.1 between 20000 and 59000")


@dataclass
class TorNet:
    """Context manager running the network; attributes are valid inside the ``with`` block."""

    targets: dict[str, str] = field(default_factory=dict)  # market -> 127.0.0.1:PORT of its server
    relays: int = 3
    base_port: int | None = None  # None: a random free block
    timeout: float = 240.0  # seconds until every onion answers
    workdir: Path | None = None  # None: a fresh temp dir, removed on exit
    keep: bool = False  # keep the working dir after teardown (logs)
    schedule: Schedule = field(default_factory=Schedule)
    tor: str = "tor"
    tor_gencert: str = "tor-gencert"
    log: bool = True  # progress lines on stderr

    def __post_init__(self) -> None:
        self.onions: dict[str, str] = {}  # market -> xxx.onion
        self._procs: dict[str, subprocess.Popen[bytes]] = {}
        self._own_dir = False
        self._t0 = time.monotonic()
        self.layout: Layout | None = None
        self.startup_seconds: float | None = None
        self._owner: subprocess.Popen[bytes] | None = None
        self.dirauth: list[str] = []  # the DirAuthority lines of the running network
        Layout(0, self.relays, dict(self.targets))  # ValueError now for a bad market name or target

    # ------------------------------------------------------------------ public attributes
    @property
    def socks_port(self) -> int:
        return self._layout.port("client", SOCKS)

    @property
    def control_port(self) -> int:
        return self._layout.port("client", CTL)

    @property
    def cookie_path(self) -> Path:
        return self._dir / "client" / "control_auth_cookie"

    @property
    def socks_url(self) -> str:
        return f"socks5h://127.0.0.1:{self.socks_port}"

    def env(self) -> dict[str, str]:
        """Connection info as environment variables (same names as tornet.sh, plus per-market onions)."""
        env = {
            "TORNET_DIR": str(self._dir),
            "TORNET_SOCKS_PORT": str(self.socks_port),
            "TORNET_SOCKS": self.socks_url,
            "TORNET_CONTROL_PORT": str(self.control_port),
            "TORNET_CONTROL_COOKIE": str(self.cookie_path),
            "TORNET_ONIONS": " ".join(f"{m}={o}" for m, o in self.onions.items()),
        }
        for market, onion in self.onions.items():
            env[f"TORNET_ONION_{market.upper().replace('-', '_')}"] = onion
        return env

    @property
    def _layout(self) -> Layout:
        if self.layout is None:
            raise TorNetError("the network is not running")
        return self.layout

    @property
    def _dir(self) -> Path:
        if self.workdir is None:
            raise TorNetError("the network is not running")
        return self.workdir

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> TorNet:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._check_binaries()
        base = self.base_port if self.base_port is not None else pick_base_port(self.relays)
        layout = Layout(base, self.relays, dict(self.targets))
        for p in layout.all_ports():
            if not _port_free(p):
                raise TorNetError(f"port {p} on 127.0.0.1 is in use (choose another base_port)")
        for market, target in layout.targets.items():
            host, _, port = target.rpartition(":")
            try:
                socket.create_connection((host, int(port)), timeout=2).close()
            except OSError:
                raise TorNetError(f"onion target for {market}: nothing listens on {target}") from None
        self.layout = layout
        if self.workdir is None:
            self.workdir = Path(tempfile.mkdtemp(prefix="tornet."))
            self._own_dir = True
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._t0 = time.monotonic()
        self._log(f"building {len(layout.nodes)} tor nodes in {self.workdir} (ports {base}..{base + 99})")
        dirauth = self._make_authority_keys()
        self.dirauth = dirauth
        (self._dir / "empty.torrc").write_text("")
        for node in layout.nodes:
            d = self._dir / node
            d.mkdir(mode=0o700, exist_ok=True)
            (d / "torrc").write_text(torrc(layout, node, self._dir, dirauth, self._owner_pid(), self.schedule))
        self._prefill_onions()
        self._start_owner()
        launched = time.monotonic()
        for node in layout.nodes:
            self._launch(node)
        deadline = launched + self.timeout
        self._wait_log("client", "Bootstrapped 100%", deadline, "client bootstrapped 100%")
        self._read_onions(deadline)
        for market, onion in self.onions.items():
            self._wait_onion(market, onion, deadline)
        self.startup_seconds = time.monotonic() - launched
        self._log(f"network up ({self.startup_seconds:.1f}s after launching tor)")

    def stop(self) -> None:
        """SIGTERM every process, SIGKILL after 5 s, remove the working dir (unless keep)."""
        procs = list(self._procs.values())
        for p in procs:
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    p.send_signal(signal.SIGTERM)
        end = time.monotonic() + 5
        for p in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=max(0.0, end - time.monotonic()))
        for p in procs:
            if p.poll() is None:  # a rare hang in tor's exit path was seen with 0.4.9.11
                with contextlib.suppress(ProcessLookupError):
                    p.kill()
                p.wait()
        self._procs.clear()
        if self._owner is not None:
            with contextlib.suppress(OSError):
                self._owner.kill()
            self._owner.wait()
            self._owner = None
        if self.workdir is not None and self._own_dir and not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)
        elif self.workdir is not None and self.keep:
            self._log(f"kept {self.workdir}")

    def pids(self) -> list[int]:
        return [p.pid for p in self._procs.values()]

    def client_lines(self) -> list[str]:
        """torrc lines that make another tor client (crawler/tor_pool.py) join this network, and no other."""
        return ["TestingTorNetwork 1", *self.dirauth, "UseDefaultFallbackDirs 0", "PathsNeededToBuildCircuits 0.67",
                "V3AuthNIntervalsValid 2", "GeoIPFile", "GeoIPv6File"]

    # ------------------------------------------------------------------ steps
    def _check_binaries(self) -> None:
        for b in (self.tor, self.tor_gencert):
            if shutil.which(b) is None:
                raise TorNetError(f"{INSTALL_HINT} ({b!r} not found on PATH)")

    def _make_authority_keys(self) -> list[str]:
        """tor-gencert + relay identity for each authority, run in parallel; the DirAuthority lines."""
        layout = self._layout
        empty = self._dir / "empty.torrc"
        empty.write_text("")
        gencerts = {}
        for i in range(N_AUTH):
            node = f"auth{i}"
            keys = self._dir / node / "keys"
            keys.mkdir(parents=True, mode=0o700, exist_ok=True)
            (self._dir / node).chmod(0o700)
            gencerts[node] = subprocess.Popen(
                [self.tor_gencert, "--create-identity-key", "--passphrase-fd", "0", "-m", "12",
                 "-i", str(keys / "authority_identity_key"), "-s", str(keys / "authority_signing_key"),
                 "-c", str(keys / "authority_certificate"), "-a", f"127.0.0.1:{layout.port(node, DIR)}"],
                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
        fprs = {}
        for node in gencerts:
            fprs[node] = subprocess.Popen(
                [self.tor, "--defaults-torrc", str(empty), "-f", str(empty), "--DataDirectory",
                 str(self._dir / node), "--ORPort", "1", "--list-fingerprint", "--Log", "err stderr"],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
        lines = []
        for node, proc in gencerts.items():
            _, err = proc.communicate(b"\n", timeout=60)
            if proc.returncode != 0:
                raise TorNetError(f"tor-gencert failed for {node}: {err.decode(errors='replace').strip()}")
            cert = (self._dir / node / "keys" / "authority_certificate").read_text()
            m = re.search(r"^fingerprint ([0-9A-F]{40})$", cert, re.M)
            out, err = fprs[node].communicate(timeout=60)
            fm = re.search(r"([0-9A-F]{4}(?: [0-9A-F]{4}){9})\s*$", out.decode(errors="replace"))
            if not m or not fm:
                raise TorNetError(f"no key fingerprint for {node}: {err.decode(errors='replace').strip()}")
            lines.append(dirauthority_line(layout, node, m.group(1), fm.group(1).replace(" ", "")))
        return lines

    def _prefill_onions(self) -> None:
        """Give each market its fixed .onion address (testbed.onion: deterministic key per market name)."""
        from onionwatch.testbed.onion import write_hs_dir

        hs = self._dir / "hs"
        hs.mkdir(mode=0o700, exist_ok=True)
        for market in self._layout.targets:
            write_hs_dir(market, hs / market)

    def _owner_pid(self) -> int:
        if self._owner is None:
            self._start_owner()
        assert self._owner is not None
        return self._owner.pid

    def _start_owner(self) -> None:
        """The __OwningControllerProcess of every tor: a `cat` reading a pipe from us.

        When this Python process dies (even by SIGKILL) the pipe closes, `cat` exits and every tor
        exits by itself. It is not our own pid because stem, connecting from the owning pid, sends
        TAKEOWNERSHIP, after which closing that controller would stop the tor.
        """
        if self._owner is None:
            self._owner = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)

    def _launch(self, node: str) -> None:
        d = self._dir / node
        with open(d / "stdout.log", "wb") as out:
            self._procs[node] = subprocess.Popen(
                [self.tor, "--defaults-torrc", str(self._dir / "empty.torrc"), "-f", str(d / "torrc")],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )

    def _check_alive(self) -> None:
        for node, p in self._procs.items():
            if p.poll() is not None:
                raise TorNetError(f"tor node {node} exited early (status {p.returncode}): {self._why(node)}")

    def _why(self, node: str) -> str:
        text = ""
        for name in ("notice.log", "stdout.log"):
            with contextlib.suppress(OSError):
                text += (self._dir / node / name).read_text(errors="replace")
        m = re.search(r"Could not bind to 127\.0\.0\.1:(\d+)", text)
        if m:
            return f"port {m.group(1)} on 127.0.0.1 is in use"
        lines = [ln for ln in text.splitlines() if "[err]" in ln or "[warn]" in ln] or text.splitlines()
        return lines[-1][-300:] if lines else "no log output"

    def _wait_log(self, node: str, needle: str, deadline: float, what: str) -> None:
        path = self._dir / node / "notice.log"
        while True:
            with contextlib.suppress(OSError):
                if needle in path.read_text(errors="replace"):
                    break
            self._check_alive()
            if time.monotonic() > deadline:
                raise TorNetError(f"timeout after {self.timeout:.0f}s waiting for {what}; see {path}")
            time.sleep(0.25)
        self._log(what)

    def _read_onions(self, deadline: float) -> None:
        for market in self._layout.targets:
            path = self._dir / "hs" / market / "hostname"
            while not (path.exists() and path.read_text().strip()):
                self._check_alive()
                if time.monotonic() > deadline:
                    raise TorNetError(f"no onion hostname for {market} in {path.parent}")
                time.sleep(0.2)
            self.onions[market] = path.read_text().strip()

    def _wait_onion(self, market: str, onion: str, deadline: float) -> None:
        """GET http://ONION/ through the client until it answers; NEWNYM between tries.

        The client's first descriptor fetch can race the service's upload and tor does not soon re-ask
        the same HSDir; NEWNYM purges the client's onion-service state.
        """
        import httpx

        proxy = f"socks5h://{WAIT_USER}:x@127.0.0.1:{self.socks_port}"
        tries = 0
        last = ""
        while True:
            tries += 1
            try:
                with httpx.Client(proxy=proxy, timeout=30, trust_env=False) as client:
                    status = client.get(f"http://{onion}/").status_code
                self._log(f"{market}: http://{onion}/ answers over Tor ({status}, attempt {tries})")
                return
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
            self._check_alive()
            if time.monotonic() > deadline:
                raise TorNetError(f"timeout waiting for {market} at http://{onion}/ ({last})")
            self._newnym()
            time.sleep(1)

    def _newnym(self) -> None:
        from stem import Signal
        from stem.control import Controller

        with contextlib.suppress(Exception), Controller.from_port(port=self.control_port) as c:
            c.authenticate()
            c.signal(Signal.NEWNYM)

    def _log(self, msg: str) -> None:
        if self.log:
            print(f"[tornet {time.monotonic() - self._t0:6.1f}s] {msg}", file=sys.stderr, flush=True)


def _parse_markets(values: list[str]) -> dict[str, str]:
    targets = {}
    for v in values:
        market, sep, target = v.partition("=")
        if not sep:
            raise SystemExit(f"--market {v!r}: expected NAME=127.0.0.1:PORT")
        targets[market] = target
    return targets


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    cmd: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, cmd = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(prog="python -m onionwatch.testbed.tornet", description=__doc__.splitlines()[0])
    ap.add_argument("--market", action="append", default=[], metavar="NAME=127.0.0.1:PORT",
                    help="an onion service for this market, forwarding port 80 to the given server")
    ap.add_argument("--relays", type=int, default=3)
    ap.add_argument("--base-port", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=240.0)
    ap.add_argument("--keep", action="store_true", help="keep the working dir (logs) afterwards")
    args = ap.parse_args(argv)
    try:
        net = TorNet(targets=_parse_markets(args.market), relays=args.relays, base_port=args.base_port,
                     timeout=args.timeout, keep=args.keep)
    except ValueError as exc:
        print(f"tornet: {exc}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with net:
            if cmd:
                return subprocess.call(cmd, env={**os.environ, **net.env()})
            for k, v in net.env().items():
                print(f"{k}={v}", flush=True)
            print("running; Ctrl-C to stop", file=sys.stderr, flush=True)
            while True:
                time.sleep(3600)
    except TorNetError as exc:
        print(f"tornet: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
