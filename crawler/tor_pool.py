"""Several tor clients for one machine's crawls: markets spread over them, per-market isolation kept.

`ONIONWATCH_TOR_CLIENTS` names the pool (`SOCKS:CONTROL[:COOKIE],...`, e.g. `9050:9051,9060:9061`);
`python -m onionwatch.crawler.tor_pool start N DIR` starts N tor processes (each its own SOCKS port, control
port and DataDirectory) and prints that value. A crawl routes each market to one client by rendezvous hashing
over the clients that are up: the assignment is stable (the same market, the same client, crawl after crawl),
and a client that is down moves only its own markets, to the others. With no client up the crawl refuses with
one line. Per-market circuit isolation is unchanged: every market keeps its own SOCKS credentials
(crawler/middlewares/tor.py, IsolateSOCKSAuth) on whichever client carries it.
"""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from onionwatch.crawler.transport import TorEndpoint, check_socks, tor_status
from onionwatch.errors import InputError, TorUnavailable

ENV = "ONIONWATCH_TOR_CLIENTS"


@dataclass(frozen=True)
class TorClient:
    index: int
    socks_port: int
    control_port: int
    cookie: str = ""  # control_auth_cookie path; empty: stem asks tor (PROTOCOLINFO)
    host: str = "127.0.0.1"

    @property
    def endpoint(self) -> TorEndpoint:
        return TorEndpoint(self.host, self.socks_port, self.control_port, control_cookie=self.cookie)

    def spec(self) -> str:
        return f"{self.socks_port}:{self.control_port}" + (f":{self.cookie}" if self.cookie else "")


def parse_clients(value: str) -> list[TorClient]:
    """`SOCKS:CONTROL[:COOKIE],...` -> clients; InputError naming ONIONWATCH_TOR_CLIENTS when malformed."""
    clients = []
    for i, part in enumerate(p.strip() for p in value.split(",") if p.strip()):
        fields = part.split(":", 2)
        try:
            socks, control = int(fields[0]), int(fields[1])
        except (IndexError, ValueError):
            raise InputError(f"{ENV}: {part!r}: expected SOCKS_PORT:CONTROL_PORT[:COOKIE_FILE]") from None
        if not (0 < socks < 65536 and 0 < control < 65536):
            raise InputError(f"{ENV}: {part!r}: ports must be 1-65535")
        clients.append(TorClient(i, socks, control, fields[2] if len(fields) > 2 else ""))
    if not clients:
        raise InputError(f"{ENV}: no client given (e.g. 9050:9051,9060:9061)")
    return clients


def _weight(market: str, client: TorClient) -> bytes:
    return hashlib.sha256(f"{market}\0{client.socks_port}".encode()).digest()


def assign(markets: Iterable[str], clients: Sequence[TorClient]) -> dict[str, TorClient]:
    """Rendezvous hashing: each market on the client with its highest weight among `clients`."""
    if not clients:
        raise TorUnavailable("refusing to crawl: no Tor client of the pool is up")
    return {m: _best(m, clients) for m in markets}


def _best(market: str, clients: Sequence[TorClient]) -> TorClient:
    return max(clients, key=lambda client: _weight(market, client))


def client_problem(client: TorClient) -> str | None:
    """None when the client's SOCKS port answers and it is bootstrapped; else why not."""
    problem = check_socks(client.endpoint, timeout=3.0)
    if problem is None:
        problem = tor_status(client.endpoint).problem()
    return problem


def route(markets: Sequence[str], clients: Sequence[TorClient], say: Callable[[str], None],
          problem: Callable[[TorClient], str | None] = client_problem) -> dict[str, TorClient]:
    """Markets -> the client that carries them; a client down is said, and its markets move to the others."""
    up: list[tuple[TorClient, str | None]] = []
    down: list[tuple[TorClient, str | None]] = []
    for client in clients:
        why = problem(client)
        (down if why else up).append((client, why))
    if not up:
        first = down[0][1] if down else "no client"
        raise TorUnavailable(f"refusing to crawl: none of the {len(clients)} Tor clients of {ENV} is up "
                             f"(client 0: {first})")
    routes = assign(markets, [c for c, _ in up])
    preferred = assign(markets, list(clients))
    for client, why in down:
        moved = sorted(m for m in markets if preferred[m] == client)
        if moved:
            say(f"Tor client {client.index} ({client.host}:{client.socks_port}) is down ({why}); "
                f"{', '.join(moved)} moved to other clients")
    return routes


ROUTES = "ONIONWATCH_TOR_ROUTES"  # a crawl's setting: market -> its client's TOR_* settings


def route_settings(routes: dict[str, TorClient]) -> dict[str, dict[str, object]]:
    return {m: {"TOR_SOCKS_HOST": c.host, "TOR_SOCKS_PORT": c.socks_port, "TOR_CONTROL_PORT": c.control_port,
                "TOR_CONTROL_COOKIE": c.cookie} for m, c in routes.items()}


def market_settings(settings: object, market: str) -> dict[str, object]:
    """The TOR_* settings of `market`'s client (empty without a pool), for the market's crawler."""
    routes = settings.get(ROUTES) if hasattr(settings, "get") else None
    return dict(routes.get(market, {})) if isinstance(routes, dict) else {}


def free_base_port(n: int, tries: int = 100) -> int:
    """A base port whose 2n ports (SOCKS, control per client) are free on 127.0.0.1."""
    import random
    import socket

    def free(port: int) -> bool:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                return False
        return True

    rng = random.Random()
    for _ in range(tries):
        base = rng.randrange(20000, 59000, 2)
        if all(free(p) for p in range(base, base + 2 * n)):
            return base
    raise TorUnavailable(f"no {2 * n} free ports on 127.0.0.1 between 20000 and 59000")


def client_torrc(socks_port: int, control_port: int, data_dir: Path, owner_pid: int,
                 extra: Sequence[str] = ()) -> str:
    return "\n".join([
        f"SocksPort 127.0.0.1:{socks_port} IsolateSOCKSAuth",
        f"ControlPort 127.0.0.1:{control_port}",
        "CookieAuthentication 1",
        f"DataDirectory {data_dir}",
        f"PidFile {data_dir}/pid",
        f"Log notice file {data_dir}/notice.log",
        f"__OwningControllerProcess {owner_pid}",  # the pool's owner process dies: the client exits
        *extra,
    ]) + "\n"


@dataclass
class TorPool:
    """N tor client processes started and stopped together (tests, the bench, `python -m … start`)."""

    n: int
    base_port: int
    workdir: Path | None = None
    extra: Sequence[str] = ()  # e.g. the private test network's lines (testbed/tornet.py client_lines)
    tor: str = "tor"
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.workdir = self.workdir or Path(tempfile.mkdtemp(prefix="torpool."))
        self._owner: subprocess.Popen[bytes] | None = None

    @property
    def clients(self) -> list[TorClient]:
        assert self.workdir is not None
        return [TorClient(i, self.base_port + 2 * i, self.base_port + 2 * i + 1,
                          str(self.workdir / f"client{i}" / "control_auth_cookie")) for i in range(self.n)]

    def env_value(self) -> str:
        return ",".join(c.spec() for c in self.clients)

    def start(self, timeout: float = 240.0) -> TorPool:
        assert self.workdir is not None
        self.workdir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._owner = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        empty = self.workdir / "empty.torrc"
        empty.write_text("")
        for client in self.clients:
            d = self.workdir / f"client{client.index}"
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
            (d / "torrc").write_text(client_torrc(client.socks_port, client.control_port, d, self._owner.pid,
                                                  self.extra))
            self.procs.append(subprocess.Popen([self.tor, "--defaults-torrc", str(empty), "-f", str(d / "torrc")],
                                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                               stdin=subprocess.DEVNULL))
        deadline = time.monotonic() + timeout
        for client, proc in zip(self.clients, self.procs, strict=True):
            log = self.workdir / f"client{client.index}" / "notice.log"
            while "Bootstrapped 100%" not in (log.read_text(errors="replace") if log.exists() else ""):
                if proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise TorUnavailable(f"Tor client {client.index} did not bootstrap (see {log})")
                time.sleep(0.25)
        return self

    def kill(self, index: int) -> None:
        """Stop one client (tests: a client down)."""
        proc = self.procs[index]
        proc.kill()
        proc.wait(10)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.procs.clear()
        if self._owner is not None:
            with contextlib.suppress(OSError):
                self._owner.kill()
            self._owner.wait()
            self._owner = None


def main(argv: Sequence[str]) -> int:
    """`python -m onionwatch.crawler.tor_pool start N DIR [BASE_PORT]`: start N clients, print the env value,
    run until killed (the clients exit with this process)."""
    if len(argv) < 3 or argv[0] != "start":
        print("usage: python -m onionwatch.crawler.tor_pool start N DIR [BASE_PORT]", file=sys.stderr)
        return 2
    pool = TorPool(int(argv[1]), int(argv[3]) if len(argv) > 3 else 9060, Path(argv[2])).start()
    print(f"{ENV}={pool.env_value()}", flush=True)
    try:
        while all(p.poll() is None for p in pool.procs):
            time.sleep(1)
    finally:
        pool.stop()
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
