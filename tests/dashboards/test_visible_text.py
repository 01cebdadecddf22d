"""Hidden characters in scraped text (bidi overrides, ANSI, C0/C1, zero-width) on the real dashboard: shown
as markers, never live; the store keeps the raw text and search still finds the words around them. And a
request line over 64 KiB is answered and logged without crashing the server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.dashboards.accounts import Accounts
from onionwatch.dashboards.web import build_server, make_app
from onionwatch.extractors.pipeline import Extractor
from onionwatch.indexer.store import SearchQuery, Store, open_store
from onionwatch.visible import hidden
from tests.browser import BROWSER_MARKS, CHROMIUM, CHROMIUM_ARGS, IN_CI
from tests.dashboards.client import PASSWORD
from tests.dashboards.test_web import call

RLO, PDI, ZWSP = "\u202e", "\u2069", "\u200b"
TITLE = f"Pure mdma crystals {RLO}gnp.exe{PDI} invoice"
DESCRIPTION = f"Best \x1b[31mred\x1b[0m quality{ZWSP}{ZWSP} shipped \x07 daily \x85 from NL"
VENDOR = f"good{RLO}seller"


def _store(path: Path) -> Store:
    ex = Extractor()
    raw = RawListing(market="alpha", listing_id="b1", url="http://alpha.onion/l/b1", title=TITLE,
                     description=DESCRIPTION, price_text="$80", vendor_name=VENDOR, vendor_url="/v/v9",
                     lang="en", currency="USD", scraped_at="2024-03-01T00:00:00+00:00")
    vendor = RawVendor(market="alpha", vendor_id="v9", name=VENDOR, url="http://alpha.onion/v/v9",
                       contacts=[f"Telegram: @shop{RLO}x"], scraped_at="2024-03-01T00:00:00+00:00")
    store = open_store(f"sqlite:///{path}")
    store.write_batch(ex.listings([raw]), [ex.vendor(vendor)])
    return store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = _store(tmp_path_factory.mktemp("visible") / "v.sqlite")
    yield s
    s.close()


def _no_live(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in text if hidden(c)})


@pytest.mark.parametrize(("path", "query"), [
    ("/", {}), ("/", {"q": "crystals"}), ("/", {"q": f"x{RLO}y"}), ("/listing", {"market": "alpha", "id": "b1"}),
    ("/vendor", {"market": "alpha", "id": "v9"}), ("/listing", {"market": "alpha", "id": f"b{RLO}1"}),
])  # fmt: skip
def test_pages_show_markers_and_no_live_hidden_character(store: Store, path: str, query: dict[str, Any]) -> None:
    r = call(make_app(store), path, query)
    assert r.status in (200, 404)
    assert _no_live(r.text) == []


def test_listing_page_shows_each_hidden_character(store: Store) -> None:
    r = call(make_app(store), "/listing", {"market": "alpha", "id": "b1"})
    assert r.status == 200
    span = '<span class="ctl" title="hidden character in the scraped text">'
    assert f"<h1>Pure mdma crystals {span}⟨U+202E⟩</span>gnp.exe{span}⟨U+2069⟩</span> invoice</h1>" in r.text
    for marker in ("⟨ESC[31m⟩", "⟨ESC[0m⟩", "⟨U+200B ×2⟩", "⟨U+0007⟩", "⟨U+0085⟩"):
        assert f"{span}{marker}</span>" in r.text
    assert "<title>Pure mdma crystals ⟨U+202E⟩gnp.exe⟨U+2069⟩ invoice" in r.text  # plain text in <title>


def test_vendor_page_shows_markers_in_name_and_listings(store: Store) -> None:
    r = call(make_app(store), "/vendor", {"market": "alpha", "id": "v9"})
    assert r.status == 200
    assert "<h1>good<span class=\"ctl\"" in r.text and "⟨U+202E⟩</span>seller" in r.text
    assert "<title>good⟨U+202E⟩seller" in r.text
    assert "⟨U+202E⟩</span>gnp.exe" in r.text  # the recent listings table
    assert "@shop" in r.text  # (the contact extractor keeps the handle only)


def test_store_keeps_raw_text_and_search_finds_surrounding_words(store: Store) -> None:
    stored = store.get_listing("alpha", "b1")
    assert stored is not None and RLO in stored["title"] and "\x1b[31m" in stored["description"]
    for words in ("crystals invoice", "gnp", "shipped daily", "quality"):
        result = store.search(SearchQuery(text=words))
        assert [h.listing["listing_id"] for h in result.hits] == ["b1"], words
    r = call(make_app(store), "/", {"q": "invoice"})
    assert r.status == 200 and "b1" in r.text and "⟨U+202E⟩" in r.text


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("served") / "s.sqlite"
    _store(path).close()
    with pytest.MonkeyPatch.context() as mp:  # module-scoped: its own data dir (accounts, audit trail)
        mp.setenv("ONIONWATCH_DATA_DIR", str(tmp_path_factory.mktemp("served-data")))
        Accounts().add("ana", "analyst", PASSWORD)
        server = build_server(f"sqlite:///{path}", "127.0.0.1", 0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"127.0.0.1:{server.server_port}"
        server.shutdown()
        server.server_close()


def _raw_get(hostport: str, target: str) -> bytes:
    host, port = hostport.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_huge_url_is_refused_and_logged_without_a_crash(served: str, capfd: pytest.CaptureFixture[str]) -> None:
    answer = _raw_get(served, "/" + "a" * 70_000 + "?q=secret")  # no session: to the login page, or refused
    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] in (b"303", b"400", b"414"), answer[:200]
    long_path = _raw_get(served, "/" + "b" * 60_000 + "\x1b[2J?q=secret")
    assert long_path.split(b"\r\n", 1)[0].split(b" ")[1] in (b"303", b"400", b"414"), long_path[:200]
    assert _raw_get(served, "/login").split(b"\r\n", 1)[0].endswith(b"200 OK")  # still serving
    err = capfd.readouterr().err
    assert "Traceback" not in err and "AttributeError" not in err
    assert "secret" not in err and "\x1b" not in err
    assert max(len(line) for line in err.splitlines()) < 700


@pytest.mark.parametrize("_", [0], ids=["chromium"])
@pytest.mark.browser
@pytest.mark.skipif(BROWSER_MARKS[1].args[0], reason="chromium not installed (runs in CI)")
def test_rendered_page_has_markers_and_no_live_override(served: str, _: int) -> None:
    if IN_CI:
        from playwright.sync_api import sync_playwright
    else:
        sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"http://{served}/login")
            page.fill("input[name=user]", "ana")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url(f"http://{served}/")
            page.goto(f"http://{served}/listing?market=alpha&id=b1")
            heading = page.locator("h1").inner_text()
            body = page.locator("body").inner_text()
            markers = page.locator("span.ctl").all_inner_texts()
        finally:
            browser.close()
    assert heading == "Pure mdma crystals ⟨U+202E⟩gnp.exe⟨U+2069⟩ invoice"
    assert _no_live(body) == []
    assert {"⟨U+202E⟩", "⟨U+2069⟩", "⟨ESC[31m⟩", "⟨U+200B ×2⟩"} <= set(markers)
