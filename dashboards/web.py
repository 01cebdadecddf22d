"""Serve the dashboard with uvicorn: `python -m onionwatch.dashboards.web --store URL [--port 8765]`.

Loopback by default. Any other address is refused unless a TLS certificate and key are given (then uvicorn
serves HTTPS and the session cookie is Secure). Requests whose Host header is not the bound host, localhost,
127.0.0.1 or an ``--allowed-host`` are refused (400). uvicorn runs with its pure-Python pieces named
(asyncio loop, h11, no websockets, no lifespan, no proxy headers): nothing optional is imported. Its own
access log is off; ours logs client, method, path and status (never the query string: it may hold
investigation terms).

Stopping: the first SIGINT (Ctrl-C) or SIGTERM ends the server; requests still open get ``GRACE`` seconds, a
second Ctrl-C ends them at once. ``serve`` returns the signal, and the commands exit 128 + its number (130,
143). uvicorn re-raises a signal it caught into the handlers it found at start, so ours are installed first:
a handler left by an earlier stage of the same process (the demo's Scrapy crawl) would otherwise swallow it.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import sys
import threading
from typing import Any

from onionwatch.dashboards.app import DashboardApp, make_app
from onionwatch.errors import ListenError, ServeError
from onionwatch.indexer.store import StoreError, open_store
from onionwatch.visible import terminal_safe

__all__ = ["DashboardApp", "DashboardServer", "ListenError", "build_server", "check_listen", "exit_status", "make_app",
           "serve"]


MAX_LOGGED_PATH = 512  # characters of a request path written to the access log
GRACE = 5  # seconds open requests get after SIGINT/SIGTERM before the server closes them
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, tls_cert: str | None, tls_key: str | None) -> None:
    """Refuse (ServeError) a non-loopback bind without TLS, half a TLS pair, or an unreadable cert/key."""
    if (tls_cert is None) != (tls_key is None):
        raise ServeError("--tls-cert and --tls-key go together")
    for option, path in (("--tls-cert", tls_cert), ("--tls-key", tls_key)):
        if path is not None and not os.access(path, os.R_OK):
            raise ServeError(f"{option} {path}: not a readable file")
    if not is_loopback(host) and tls_cert is None:
        raise ServeError(f"--host {host}: not a loopback address; the dashboard shows investigation data, "
                         "so it serves other hosts only over TLS (--tls-cert/--tls-key)")


class AccessLog:
    """ASGI wrapper writing one line per request: client, method, path (no query string), status."""

    def __init__(self, app: Any, stream: Any = None) -> None:
        self.app = app
        self.stream = stream

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = {"code": 500}

        async def record(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            client = (scope.get("client") or ("-", 0))[0]
            path = terminal_safe(scope["path"])  # attacker-controlled: shown visibly, cut
            path = path if len(path) <= MAX_LOGGED_PATH else path[:MAX_LOGGED_PATH] + "…"
            (self.stream or sys.stderr).write(f"{client} {terminal_safe(scope['method'])[:16]} {path} "
                                              f"{status['code']}\n")


class DashboardServer:
    """A bound (not yet serving) uvicorn server; port 0 picks a free port (``server_port``)."""

    def __init__(self, app: DashboardApp, host: str, port: int, tls_cert: str | None = None,
                 tls_key: str | None = None) -> None:  # fmt: skip
        import uvicorn

        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        try:
            self.socket = socket.create_server((host, port), family=family)
        except OSError as exc:
            raise ListenError(f"cannot listen on {host}:{port}: {_reason(exc)}") from None
        self.server_port = self.socket.getsockname()[1]
        self.app = app
        self.scheme = "https" if tls_cert else "http"
        config = uvicorn.Config(AccessLog(app), loop="asyncio", http="h11", ws="none", lifespan="off",
                                interface="asgi3", access_log=False, log_config=None, server_header=False,
                                proxy_headers=False, ssl_certfile=tls_cert, ssl_keyfile=tls_key,
                                timeout_graceful_shutdown=GRACE)
        self.server = uvicorn.Server(config)
        self._done = threading.Event()

    def serve_forever(self) -> int | None:
        """Serve until ``shutdown()`` or, in the main thread, SIGINT/SIGTERM: returns that signal's number."""
        caught: list[int] = []
        previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            for signum in STOP_SIGNALS:  # uvicorn hands the signal back to these when it has stopped
                previous[signum] = signal.signal(signum, lambda number, _frame: caught.append(number))
        try:
            self.server.run(sockets=[self.socket])
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self._done.set()
        return caught[0] if caught else None

    def shutdown(self) -> None:
        self.server.should_exit = True
        self._done.wait(10)

    def server_close(self) -> None:
        self.socket.close()


def build_server(store_url: str | None, host: str = "127.0.0.1", port: int = 8765, operator: str | None = None,
                 tls_cert: str | None = None, tls_key: str | None = None,
                 allowed_hosts: list[str] | None = None) -> DashboardServer:  # fmt: skip
    check_exposure(host, tls_cert, tls_key)
    from onionwatch.i18n import default_language

    default_language()  # a bad ONIONWATCH_LANG stops the start with one line, not every page later
    hosts = list(dict.fromkeys([host, "localhost", "127.0.0.1", *(allowed_hosts or [])]))
    app = make_app(open_store(store_url, create=False), operator=operator, allowed_hosts=hosts,
                   secure_cookies=bool(tls_cert))
    return DashboardServer(app, host, port, tls_cert, tls_key)


def check_listen(host: str, port: int) -> None:
    """Raise ListenError now if host:port cannot be bound (before a long job that ends in serve())."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise ListenError(f"cannot listen on {host}:{port}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc)


def serve(store_url: str | None, host: str = "127.0.0.1", port: int = 8765, operator: str | None = None,
          tls_cert: str | None = None, tls_key: str | None = None,
          allowed_hosts: list[str] | None = None) -> int | None:  # fmt: skip
    """Serve the dashboard until SIGINT/SIGTERM; returns that signal's number (None: stopped otherwise).
    Raises ServeError/ListenError (one line) when it cannot serve."""
    server = build_server(store_url, host, port, operator, tls_cert, tls_key, allowed_hosts)
    shown = f"[{host}]" if ":" in host else host
    print(f"onionwatch dashboard on {server.scheme}://{shown}:{server.server_port}/ (Ctrl-C to stop)",
          file=sys.stderr)
    if not server.app.accounts.users():
        print("no dashboard users yet: add one (another terminal will do) with "
              "`onionwatch users add NAME --role analyst`, then log in", file=sys.stderr)
    try:
        stopped = server.serve_forever()
    except KeyboardInterrupt:  # a Ctrl-C before uvicorn took the signals over
        stopped = signal.SIGINT
    finally:
        server.server_close()
    if stopped:
        print(f"onionwatch dashboard: stopped ({signal.Signals(stopped).name})", file=sys.stderr)
    return stopped


def exit_status(stopped: int | None) -> int:
    """The shell's convention for a process ended by a signal: 130 for SIGINT, 143 for SIGTERM; else 0."""
    return 128 + stopped if stopped else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onionwatch.dashboards.web", description=__doc__)
    parser.add_argument("--store", help="sqlite:///PATH or http://HOST:9200 (default: user data dir)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    try:
        stopped = serve(args.store, args.host, args.port)
    except (StoreError, ServeError, OSError) as exc:
        print(f"onionwatch: error: {exc}", file=sys.stderr)
        return 1
    return exit_status(stopped)


if __name__ == "__main__":
    sys.exit(main())

