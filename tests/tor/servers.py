"""Loopback HTTP servers for the Tor tests: a logging page server (with injectable blocks) and a canary."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


class _Handler(BaseHTTPRequestHandler):
    server: PageServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        with srv.lock:
            srv.requests.append((self.path, self.headers.get("Host", "")))
            block = srv.blocks.pop(0) if srv.blocks else None
        if block is not None:
            body, status = (b"<html><title>captcha</title><img src='/captcha.png'></html>", 200)
            if block != "captcha":
                body, status = b"slow down", int(block)
            return self._send(body, status)
        if self.path == "/redirect-out" and srv.redirect_to:
            self.send_response(302)
            self.send_header("Location", srv.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        n = self.path.strip("/") or "index"
        return self._send(f"<html><body><h1>page {n} of {srv.name}</h1></body></html>".encode(), 200)

    def _send(self, body: bytes, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class PageServer(ThreadingHTTPServer):
    """Serves /<anything> as a tiny page; logs (path, Host) of every request; blocks on demand."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, name: str = "server", redirect_to: str = "") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.name = name
        self.redirect_to = redirect_to
        self.requests: list[tuple[str, str]] = []
        self.blocks: list[str] = []  # "429", "403", "captcha": served to the next requests, in order
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def block_next(self, n: int, kind: str = "429") -> None:
        with self.lock:
            self.blocks.extend([kind] * n)

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.shutdown()
        self.server_close()
