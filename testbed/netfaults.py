"""Network faults of a testbed market: answers asking to slow down (429/503 with Retry-After), slow answers
(past the crawler's timeout), truncated HTML (an honest short Content-Length, or a connection cut mid-body),
and mirrors (a second server of the same market on another port, to stop mid-crawl).

A fault hits a share of the pages, chosen by a hash of (fault, path) so a run is reproducible, and only the
first `times` requests of each such page: a crawler that retries reaches every page. Configure from Python
(``server.faults = NetFaults(...)``) or over HTTP: ``/__testbed/faults?throttle=0.2&retry_after=2`` (the
query keys are the field names; no query shows the current faults). The server's log records each request's
time and fault, so tests can check that a Retry-After was honoured.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field, fields
from email.utils import formatdate
from typing import Any

from onionwatch.testbed.sites import Request, Response

KINDS = ("throttle", "slow", "truncate", "cut")
FAULT_NAMES = KINDS  # the network family of testbed/faults.py: `--faults throttle,slow,truncate,cut`
PLAN_SHARES = {"throttle": 0.01, "slow": 0.02, "truncate": 0.02, "cut": 0.02}  # of pages, each faulted once


@dataclass
class NetFaults:
    throttle: float = 0.0  # share of pages answered `throttle_status` with a Retry-After first
    throttle_status: int = 429  # 429 or 503
    retry_after: float = 2.0  # seconds the Retry-After asks for
    retry_after_date: bool = False  # send it as an HTTP date instead of seconds
    slow: float = 0.0  # share of pages answered only after `slow_seconds`
    slow_seconds: float = 5.0
    truncate: float = 0.0  # share of HTML pages cut in half, with an honest (short) Content-Length
    cut: float = 0.0  # share of pages whose connection is closed mid-body (Content-Length says more)
    times: int = 1  # requests of a faulty page that get the fault before it is served normally
    down: bool = False  # every request: the connection is closed unanswered (see take_down)
    seen: dict[tuple[str, str], int] = field(default_factory=dict, repr=False, compare=False)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("seen", "lock")}

    @classmethod
    def from_query(cls, req: Request) -> NetFaults:
        """From /__testbed/faults?name=value...; ValueError (one phrase) for an unknown name or bad value."""
        kinds = {f.name: f.type for f in fields(cls) if f.name not in ("seen", "lock")}
        values: dict[str, Any] = {}
        for name in req.query:
            if name not in kinds:
                raise ValueError(f"unknown fault {name!r} (known: {', '.join(kinds)})")
            raw = req.param(name)
            try:
                values[name] = raw in ("1", "true", "yes") if kinds[name] == "bool" else float(raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r}: not a number") from None
        for name in ("throttle_status", "times"):
            if name in values:
                values[name] = int(values[name])
        faults = cls(**values)
        if faults.throttle_status not in (429, 503):
            raise ValueError("throttle_status must be 429 or 503")
        return faults

    def pick(self, path: str) -> str | None:
        """The fault this request of `path` gets (one of KINDS, or "down"), or None; counts the request."""
        if self.down:
            return "down"
        for kind in KINDS:
            share = float(getattr(self, kind))
            if share <= 0 or _bucket(kind, path) >= share:
                continue
            with self.lock:
                n = self.seen.get((kind, path), 0)
                if n >= self.times:
                    continue
                self.seen[(kind, path)] = n + 1
            return kind
        return None

    def throttled(self) -> Response:
        value = formatdate(time.time() + self.retry_after, usegmt=True) if self.retry_after_date \
            else str(int(self.retry_after))
        title = "429 Too Many Requests" if self.throttle_status == 429 else "503 Service Unavailable"
        return Response(self.throttle_status, f"<html><body><h1>{title}</h1></body></html>",
                        headers=[("Retry-After", value)])


def server_kwargs(on: frozenset[str], plan: Any) -> dict[str, Any]:
    """MarketServer arguments for the network faults `on` (testbed/faults.py): a small share of pages each,
    429 with a 1 s Retry-After, 1 s slow answers (well inside any download deadline)."""
    unknown = set(on) - set(FAULT_NAMES)
    if unknown:
        raise ValueError(f"unknown network fault(s) {sorted(unknown)}")
    faults = NetFaults(retry_after=1.0, slow_seconds=1.0)
    for kind in on:
        setattr(faults, kind, PLAN_SHARES[kind])
    return {"net_faults": faults}


def _bucket(kind: str, path: str) -> float:
    """A stable number in [0, 1) for (fault, path)."""
    digest = hashlib.sha256(f"{kind}\0{path}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def send_faulty(handler: Any, kind: str, resp: Response, head: bool) -> int:
    """Write `resp` to the client with fault `kind` (slow, truncate or cut); returns the status sent."""
    faults: NetFaults = handler.server.faults
    data = resp.body.encode("utf-8")
    if kind == "down":
        handler.close_connection = True
        return 0
    if kind == "slow":
        time.sleep(faults.slow_seconds)
    if kind == "truncate" and resp.content_type.startswith("text/html"):
        data = data[: len(data) // 2]
    handler.send_response(resp.status)
    handler.send_header("Content-Type", resp.content_type)
    handler.send_header("Content-Length", str(len(data)))
    for name, value in resp.headers:
        handler.send_header(name, value)
    if kind == "cut":
        handler.send_header("Connection", "close")
    handler.end_headers()
    if head:
        return resp.status
    if kind == "cut":
        handler.wfile.write(data[: len(data) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        return resp.status
    handler.wfile.write(data)
    return resp.status


def start_mirror(primary: Any, port: int = 0) -> Any:
    """A second server of `primary`'s market (same listings, same sessions, as a real mirror shares its
    backend) on another 127.0.0.1 port; stop it with `.stop()` to take the mirror down."""
    from onionwatch.testbed.server import MarketServer

    return MarketServer(primary.market.name, port, mirror_of=primary).start()


def take_down(server: Any) -> None:
    """Take a mirror down for good: connections it had open are closed unanswered, new ones are refused."""
    if server.faults is None:
        server.faults = NetFaults()
    server.faults.down = True
    server.stop()
