"""Serve the dashboard with the standard library: `python -m dashboards.web --store URL [--port 8765]`."""

from __future__ import annotations

import argparse
import os
import socket
import sys
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from onionwatch.dashboards.app import DashboardApp, make_app
from onionwatch.errors import ListenError
from onionwatch.indexer.store import StoreError, open_store
from onionwatch.visible import terminal_safe

__all__ = ["DashboardApp", "ListenError", "build_server", "check_listen", "make_app", "serve"]


MAX_LOGGED_PATH = 512  # characters of a request path written to the access log


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    """Logs method, path and status only (no query strings: they may hold investigation terms)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # a request line over 64 KiB is answered 414 before `path` and `command` are parsed
        path = terminal_safe((getattr(self, "path", "") or "").split("?", 1)[0])
        path = path if len(path) <= MAX_LOGGED_PATH else path[:MAX_LOGGED_PATH] + "…"
        command = terminal_safe(getattr(self, "command", "") or "-")[:16]
        sys.stderr.write(f"{self.address_string()} {command} {path} {code}\n")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's signature
        message = terminal_safe(format % args)  # the request line is attacker-controlled
        sys.stderr.write(f"{self.address_string()} {message[:MAX_LOGGED_PATH]}\n")


def build_server(store_url: str | None, host: str = "127.0.0.1", port: int = 8765) -> WSGIServer:
    """A ready (not yet serving) threaded WSGI server; port 0 picks a free port (see server.server_port)."""
    app = make_app(open_store(store_url, create=False))
    return make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)


def check_listen(host: str, port: int) -> None:
    """Raise ListenError now if host:port cannot be bound (before a long job that ends in serve())."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise ListenError(f"cannot listen on {host}:{port}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else str(exc)


def serve(store_url: str | None, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the dashboard until interrupted. Binds to loopback by default: it shows investigation data.

    Raises ListenError (one line) when host:port cannot be bound."""
    try:
        server = build_server(store_url, host, port)
    except ListenError:
        raise
    except OSError as exc:
        raise ListenError(f"cannot listen on {host}:{port}: {_reason(exc)}") from None
    print(f"onionwatch dashboard on http://{host}:{server.server_port}/ (Ctrl-C to stop)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards.web", description=__doc__)
    parser.add_argument("--store", help="sqlite:///PATH or http://HOST:9200 (default: user data dir)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    try:
        serve(args.store, args.host, args.port)
    except (StoreError, OSError) as exc:
        print(f"onionwatch: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
