"""Real headless Chromium: an archived page shown in the dashboard's sandboxed frame runs no script and reaches
no server (dashboards/archive_views.py), over a real crawl of the kladmen testbed market plus one hostile capture."""

from __future__ import annotations

import http.server
import io
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.web import build_server
from tests.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, IN_CI
from tests.dashboards.client import PASSWORD
from tests.evidence_crawl import Crawled, crawled_fixture  # noqa: F401 - the fixture "crawled"

pytestmark = [*BROWSER_MARKS, pytest.mark.integration]


class Trap(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        Trap.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def trap() -> Iterator[int]:
    Trap.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def _hostile_capture(folder: Path, url: str, port: int) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = (f"<html><head><title>archived</title></head><body><h1>hostile capture</h1>"
            f"<script>document.title='pwned'; parent.document.title='pwned'</script>"
            f"<img src=\"http://127.0.0.1:{port}/x\"><form action=\"http://127.0.0.1:{port}/f\"></form>"
            f"<link rel=\"stylesheet\" href=\"http://127.0.0.1:{port}/s.css\"></body></html>").encode()  # fmt: skip
    with (folder / "20990101T000000Z.warc.gz").open("wb") as f:
        writer = WARCWriter(f, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(html), http_headers=headers,
                                           warc_headers_dict={"WARC-Date": "2099-01-01T00:00:00Z"})  # fmt: skip
        writer.write_record(record)


@pytest.fixture
def base_url(crawled: Crawled, tmp_path: Path, trap: int, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    archive = tmp_path / "archive"
    shutil.copytree(crawled.archive, archive)
    _hostile_capture(archive / "kladmen", f"{crawled.mirror}/tovar/{crawled.listing}", trap)
    monkeypatch.setenv("ONIONWATCH_ARCHIVE_DIR", str(archive))
    Accounts().add("ana", "analyst", PASSWORD)
    server = build_server(crawled.store, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_archived_page_runs_no_script(base_url: str, crawled: Crawled, trap: int) -> None:
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(base_url + "/login")
            page.fill("input[name=user]", "ana")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(base_url + "/")
            page.goto(f"{base_url}/listing?market=kladmen&id={crawled.listing}")
            page.click("a.archive-link")
            page.wait_for_url("**/archive?*")
            title = page.title()
            assert "2099-01-01" in page.inner_text("main")  # the newest capture: the hostile one
            frame = page.frame_locator("iframe.archive-frame")
            assert frame.locator("h1").inner_text() == "hostile capture"  # the archived page is shown
            page.wait_for_timeout(1000)
            inner = next(f for f in page.frames if f != page.main_frame)
            assert inner.title() == "archived"  # its script did not run
            assert page.title() == title != "pwned"
        finally:
            browser.close()
    assert Trap.hits == []  # no image, stylesheet or anything else fetched from the archived page
