"""A static market on loopback: every golden page fixture of a market (tests/fixtures/pages/<market>/*/) served at
the URL its output.json names (path + query), anything else 404. The pages an analyst saved are the market. A page
that is not UTF-8 (prilavok's windows-1251) is served as `text/html` with no charset, as such shops do: the page's
own `<meta http-equiv>` names its encoding."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.crawler.loopback import LoopbackServer

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def site(market: str) -> dict[str, Path]:
    """{path + query: input.html} for every fixture of `market` whose output.json names its url."""
    out = {}
    for case in sorted((PAGES / market).glob("*/output.json")):
        url = json.loads(case.read_text(encoding="utf-8")).get("url")
        if url:
            out[url] = case.parent / "input.html"
    return out


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class _Handler(BaseHTTPRequestHandler):
    server: StaticMarket

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.server.requests.append(self.path)
        page = self.server.pages.get(self.path)
        data = page.read_bytes() if page is not None else b"<html><body>not found</body></html>"
        self.send_response(200 if page is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8" if _utf8(data) else "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class StaticMarket(LoopbackServer):
    def __init__(self, market: str) -> None:
        super().__init__(_Handler)
        self.pages = site(market)
        self.requests: list[str] = []


if __name__ == "__main__":
    import sys
    import time

    with StaticMarket(sys.argv[1]) as m:
        print(m.url, flush=True)
        while True:
            time.sleep(3600)
