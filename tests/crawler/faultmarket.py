"""A market server that misbehaves on purpose: pages that trickle, hang, are huge or nest too deeply.

`/` links to /item/1..N; an item page is a normal listing unless its number is in `trickle` (headers, then
one byte every `trickle_every` seconds, never finishing), `hang` (accepts, never answers) or `deep`
(100,000 nested elements). `pad` bytes of random text make every item page bigger (caps, a full disk). Used by
tests/crawler/test_limits.py and the Tor deadline test.
"""

from __future__ import annotations

import base64
import os
import threading
import time
from http.server import BaseHTTPRequestHandler

from tests.crawler.loopback import LoopbackServer

DEEP = 100_000


class _Handler(BaseHTTPRequestHandler):
    server: FaultMarket
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        srv = self.server
        with srv.lock:
            srv.hits.append(self.path)
        if self.path == "/":
            links = "".join(f'<a class="item" href="/item/{i}">{i}</a>' for i in range(1, srv.items + 1))
            return self._send(f"<html><body>{links}</body></html>".encode())
        if not self.path.startswith("/item/"):
            return self._send(b"<html><body>nothing</body></html>")
        i = int(self.path[6:])
        if i in srv.hang:
            srv.stopped.wait()  # never answers while the server runs
            return None
        if i in srv.trickle:
            return self._trickle()
        if i in srv.deep:
            body = "<div>" * DEEP + "x" + "</div>" * DEEP
            return self._send(f'<html><body><div class="item-page"><h1>Deep {i}</h1>{body}</div></body></html>'
                              .encode())
        pad = srv.padding
        return self._send(f'<html><body><div class="item-page"><h1>Item {i} - 1g speed</h1>'
                          f'<span class="price">USD {10 * i}.00</span><p>{pad}</p></div></body></html>'.encode())

    def _trickle(self) -> None:
        srv = self.server
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        try:
            self.wfile.write(b"<html>")
            self.wfile.flush()
            while not srv.stopped.wait(srv.trickle_every):
                self.wfile.write(b" ")
                self.wfile.flush()
                with srv.lock:
                    srv.trickled += 1
        except OSError:  # the client gave up (the deadline): what the test wants
            with srv.lock:
                srv.dropped += 1


class FaultMarket(LoopbackServer):
    def __init__(self, items: int = 5, trickle: set[int] | None = None, hang: set[int] | None = None,
                 deep: set[int] | None = None, pad: int = 0, trickle_every: float = 1.0) -> None:
        super().__init__(_Handler)
        self.items = items
        self.trickle = trickle or set()
        self.hang = hang or set()
        self.deep = deep or set()
        self.padding = base64.b64encode(os.urandom(pad))[:pad].decode()  # does not gzip away (archive tests)
        self.trickle_every = trickle_every
        self.hits: list[str] = []
        self.trickled = 0  # bytes trickled in all
        self.dropped = 0  # trickling responses the client hung up on
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def item_hits(self) -> int:
        with self.lock:
            return sum(1 for p in self.hits if p.startswith("/item/"))

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        super().__exit__(*exc)


if __name__ == "__main__":  # a server for trying things by hand: python -m tests.crawler.faultmarket
    with FaultMarket(items=5, trickle={2}, hang={3}) as m:
        print(m.url, flush=True)
        time.sleep(3600)
