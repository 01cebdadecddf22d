"""Offline rendering with real Debian Chromium: the archived page is drawn, and nothing is fetched, ever."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from onionwatch.errors import EvidenceError
from onionwatch.evidence_render import CHROMIUM, FLAGS, Renderer
from tests.browser import BROWSER_MARKS, CHROMIUM_ARGS

pytestmark = BROWSER_MARKS


class Recorder(ThreadingHTTPServer):
    """A loopback server that records every request it gets (the renderer must give it none)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                recorder.hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _hostile(port: int) -> bytes:
    base = f"http://127.0.0.1:{port}"
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="{base}/style.css"><link rel="prefetch" href="{base}/prefetch">
<link rel="dns-prefetch" href="//tracker.example"><meta http-equiv="refresh" content="0;url={base}/refresh">
<style>body{{background:url({base}/bg.png)}} @import url({base}/imp.css);</style></head>
<body><h1>Listing 7: 5g test powder</h1><img src="{base}/img.png"><img src="/relative.png">
<iframe src="{base}/frame"></iframe><object data="{base}/obj"></object><video src="{base}/v.mp4" autoplay></video>
<script src="{base}/script.js"></script><script>new Image().src="{base}/js-beacon";fetch("{base}/fetch")</script>
<form action="{base}/form"><input name=q></form></body></html>""".encode()


def test_renders_offline_with_zero_requests_out(recorder: Recorder, tmp_path: Path) -> None:
    out = tmp_path / "page.png"
    with Renderer() as renderer:
        refused = renderer.render(_hostile(recorder.server_address[1]), "text/html; charset=utf-8", out)
    assert recorder.hits == []  # not one request reached the loopback server
    assert refused >= 3 and all("script.js" not in u and "js-beacon" not in u for u in renderer.blocked)
    assert any(u.endswith("/img.png") for u in renderer.blocked)  # refused by the router, not fetched
    png = out.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


def test_the_project_chromium_flags_are_kept() -> None:
    assert set(CHROMIUM_ARGS) <= set(FLAGS) and CHROMIUM == "/usr/bin/chromium"


def test_junk_and_huge_pages_render_or_fail_in_one_line(recorder: Recorder, tmp_path: Path) -> None:
    with Renderer() as renderer:
        renderer.render(b"\x00\xff\xfe<<<>>>" * 1000, "text/html", tmp_path / "junk.png")
        renderer.render(b"<p>" + b"A" * 2_000_000, "text/html; charset=utf-8", tmp_path / "big.png")
    assert (tmp_path / "junk.png").exists() and (tmp_path / "big.png").exists() and recorder.hits == []


def test_missing_chromium_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="Chromium not found"), Renderer(str(tmp_path / "no-chromium")):
        pass
