"""Serve one simulated market over plain HTTP on 127.0.0.1, with a request log and a block injector."""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from onionwatch.testbed.gates import GatedSite, GateFaults
from onionwatch.testbed.generate import DEFAULT_LISTINGS, DEFAULT_SEED, DEFAULT_VENDORS, MARKETS, build_market
from onionwatch.testbed.html_abyss import block_page
from onionwatch.testbed.model import Market
from onionwatch.testbed.netfaults import NetFaults, send_faulty
from onionwatch.testbed.sites import AbyssSite, KladmenSite, Request, Response

BLOCK_KINDS = ("429", "403", "captcha")
MAX_BODY = 64 * 1024
CONTROL_PREFIX = "/__testbed/"


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str  # path + query as requested
    host: str  # the Host header ("" if absent)
    client: str  # "ip:port"
    status: int
    blocked: str | None  # the injected block or network fault (testbed/netfaults.py), if this request got one
    at: float = field(default_factory=time.time)  # when the request was read (epoch seconds)


class _Handler(BaseHTTPRequestHandler):
    server: MarketServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; avoid the 40 ms delayed-ACK stall
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # quiet; the server keeps its own log
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def _serve(self, head: bool = False) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._send(Response(413, "<h1>413 Payload Too Large</h1>", headers=[("Connection", "close")]), head)
            return
        body = self.rfile.read(length) if length > 0 else b""
        parts = urlsplit(self.path)
        cookies: dict[str, str] = {}
        try:
            jar = SimpleCookie(self.headers.get("Cookie") or "")
            cookies = {k: m.value for k, m in jar.items()}
        except CookieError:
            pass
        req = Request(self.command, parts.path or "/", parse_qs(parts.query), dict(self.headers.items()), body,
                      cookies)
        at = time.time()
        faults = self.server.faults
        fault = faults.pick(self.path) if faults is not None and not req.path.startswith(CONTROL_PREFIX) else None
        blocked: str | None
        if fault == "throttle":
            assert faults is not None
            resp, blocked = faults.throttled(), fault
        else:
            resp, blocked = self.server.dispatch(req)
        self.server.record(LoggedRequest(self.command, self.path, self.headers.get("Host") or "",
                                         f"{self.client_address[0]}:{self.client_address[1]}", resp.status,
                                         fault or blocked, at))
        if fault in ("slow", "truncate", "cut", "down"):
            send_faulty(self, fault, resp, head)
        else:
            self._send(resp, head)

    def _send(self, resp: Response, head: bool) -> None:
        data = resp.body.encode("utf-8")
        self.send_response(resp.status)
        self.send_header("Content-Type", resp.content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in resp.headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)


class MarketServer(ThreadingHTTPServer):
    """One market on 127.0.0.1:port (0 = ephemeral). `.url`, `.port`, `.log`, `.block_next()`, `.stop()`."""

    request_queue_size = 128
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, market: str, port: int = 0, seed: int = DEFAULT_SEED, n_vendors: int = DEFAULT_VENDORS,
                 n_listings: int = DEFAULT_LISTINGS, host: str = "127.0.0.1", gates: GateFaults | None = None,
                 mirror_of: MarketServer | None = None, net_faults: NetFaults | None = None):
        self.market: Market = mirror_of.market if mirror_of else build_market(market, seed, n_vendors, n_listings)
        self._build = (market, seed, n_vendors, n_listings)
        self.site: AbyssSite | KladmenSite | GatedSite
        if mirror_of is not None:  # a mirror shares sessions too
            self.site = mirror_of.site
        else:
            site = AbyssSite(self.market) if market == "abyss" else KladmenSite(self.market)
            self.site = site if gates is None else GatedSite(site, gates)
        self.faults: NetFaults | None = net_faults  # network faults (testbed/netfaults.py)
        self._lock = threading.Lock()
        self._log: list[LoggedRequest] = []
        self._blocks: list[str] = []
        self.errors: list[str] = []  # unexpected exceptions while serving (should stay empty)
        self._thread: threading.Thread | None = None
        super().__init__((host, port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    def block_next(self, n: int, kind: str = "429") -> None:
        """Answer the next `n` normal (non-control) requests with a block: 429, 403 or a captcha page."""
        if kind not in BLOCK_KINDS:
            raise ValueError(f"block kind must be one of {', '.join(BLOCK_KINDS)}, not {kind!r}")
        if n < 0:
            raise ValueError("n must be >= 0")
        with self._lock:
            self._blocks = [kind] * n

    def expire_sessions(self) -> None:
        self.site.expire_sessions()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-response is normal (crawler timeouts); anything else is kept."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            with self._lock:
                self.errors.append(repr(exc))

    def dispatch(self, req: Request) -> tuple[Response, str | None]:
        if req.path.startswith(CONTROL_PREFIX):
            return self._control(req), None
        with self._lock:
            kind = self._blocks.pop(0) if self._blocks else None
        if kind is not None:
            status, html = block_page(kind)
            headers = [("Retry-After", "5")] if status == 429 else []
            return Response(status, html, headers=headers), kind
        try:
            return self.site.handle(req), None
        except Exception as exc:  # a bug in the testbed must show as a 500, not a hung connection
            return Response(500, f"<h1>500 Internal Server Error</h1><pre>{type(exc).__name__}</pre>"), None

    def _control(self, req: Request) -> Response:
        action = req.path[len(CONTROL_PREFIX):]
        if action == "block":
            n, kind = req.param("n", "1"), req.param("kind", "429")
            if not n.isdigit() or kind not in BLOCK_KINDS:
                return _json(400, {"error": "n must be a non-negative integer, kind one of 429|403|captcha"})
            self.block_next(int(n), kind)
            return _json(200, {"ok": True, "n": int(n), "kind": kind})
        if action == "expire":
            self.expire_sessions()
            return _json(200, {"ok": True})
        if action == "faults":
            if req.query:
                try:
                    self.faults = NetFaults.from_query(req)
                except ValueError as exc:
                    return _json(400, {"error": str(exc)})
            return _json(200, {"ok": True, "faults": self.faults.to_dict() if self.faults else None})
        if action == "captcha" and isinstance(self.site, GatedSite):  # the answer, for the analyst's stand-in
            return _json(200, {"answer": self.site.captcha_answer(req.param("c"))})
        if action == "epoch":  # the market changes between crawls (testbed/epochs.py)
            n = req.param("n", "1")
            if not n.isdigit() or int(n) > 100:
                return _json(400, {"error": "n must be an integer 0..100"})
            self.market = build_market(*self._build, epoch=int(n))
            self.site.set_market(self.market)
            return _json(200, {"ok": True, "epoch": int(n), "listings": len(self.market.listings)})
        if action == "truth":
            return _json(200, self.market.truth())
        if action == "health":
            return _json(200, {"ok": True, "market": self.market.name, "listings": len(self.market.listings)})
        return _json(404, {"error": f"unknown control endpoint {action!r}"})

    def start(self) -> MarketServer:
        self._thread = threading.Thread(target=self.serve_forever, name=f"testbed-{self.market.name}",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


def _json(status: int, payload: dict[str, Any]) -> Response:
    return Response(status, json.dumps(payload, ensure_ascii=False), "application/json")


def start_market(market: str, port: int = 0, seed: int = DEFAULT_SEED, n_vendors: int = DEFAULT_VENDORS,
                 n_listings: int = DEFAULT_LISTINGS) -> MarketServer:
    """Generate `market` and serve it on 127.0.0.1:port in a background thread."""
    return MarketServer(market, port, seed, n_vendors, n_listings).start()


def start_all(ports: dict[str, int] | None = None, seed: int = DEFAULT_SEED, n_vendors: int = DEFAULT_VENDORS,
              n_listings: int = DEFAULT_LISTINGS) -> dict[str, MarketServer]:
    """Start every testbed market (ports default to ephemeral); returns {market: server}."""
    ports = ports or {}
    return {m: start_market(m, ports.get(m, 0), seed, n_vendors, n_listings) for m in MARKETS}
