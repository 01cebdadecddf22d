"""`onionwatch markets try`: real testbed servers on 127.0.0.1, the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest

from onionwatch.crawler.trial import shown
from onionwatch.testbed.generate import build_market
from onionwatch.testbed.server import MarketServer, start_market
from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME
from tests.crawler.conftest import FIXTURE_MARKETS, ROOT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def abyss() -> Iterator[MarketServer]:
    server = start_market("abyss")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def kladmen() -> Iterator[MarketServer]:
    server = start_market("kladmen")
    yield server
    server.stop()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in [k for k in env if k.startswith(("ONIONWATCH_", "TOR_"))]:
        del env[name]
    env.update({"ONIONWATCH_DATA_DIR": str(tmp_path / "data"), "ONIONWATCH_CONFIG_DIR": str(tmp_path / "config"),
                "ONIONWATCH_CRED_ABYSS_USERNAME": TESTBED_USERNAME, "ONIONWATCH_CRED_ABYSS_PASSWORD": TESTBED_PASSWORD,
                **extra})
    return env


def _try(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "onionwatch.cli", "markets", "try", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_abyss_logs_in_walks_to_a_listing_and_extracts_it(abyss: MarketServer, tmp_path: Path) -> None:
    proc = _try(_env(tmp_path), "abyss", "--mirror", abyss.url, "--transport", "direct", "--json")
    assert proc.returncode == 0, proc.stderr
    trial = json.loads(proc.stdout)
    assert trial["logged_in"] is True and trial["transport"] == "direct"
    assert [p["kind"] for p in trial["pages"]] == ["navigation", "listing"]
    assert trial["pages"][0]["links"]["listing_links"] > 0
    page = trial["pages"][1]
    truth = {t["listing_id"]: t for t in build_market("abyss").truth()["listings"]}[page["page_id"]]
    fields = {f["name"]: f for f in page["fields"]}
    assert fields["title"]["selector"] == "div.listing-detail h1.listing-title::text"
    assert fields["price_text"]["normalised"] == f"{truth['price']['amount']:g} USD"
    x = page["extracted"]
    assert (x["substance"], x["quantity"], x["price"]) == (truth["substance"], truth["quantity"], truth["price"])
    assert x["category"] == truth["category"]
    logins = [r for r in abyss.log if r.path == "/login"]
    assert any(r.method == "POST" for r in logins)
    assert TESTBED_PASSWORD not in proc.stdout + proc.stderr


def test_abyss_vendor_page_fingerprint_shown_as_text(abyss: MarketServer, tmp_path: Path) -> None:
    vendor = next(v for v in build_market("abyss").vendors if v.pgp is not None)
    proc = _try(_env(tmp_path), "abyss", vendor.url, "--mirror", abyss.url, "--transport", "direct", "--json")
    assert proc.returncode == 0, proc.stderr
    (page,) = json.loads(proc.stdout)["pages"]
    assert page["kind"] == "vendor" and page["page_id"] == vendor.vendor_id
    fields = {f["name"]: f for f in page["fields"]}
    assert fields["pgp_fingerprint"]["normalised"] == vendor.pgp.fingerprint
    assert " " in fields["pgp_fingerprint"]["raw"]  # shown in groups on the page
    assert page["extracted"]["pgp_fingerprint"] == vendor.pgp.fingerprint


def test_kladmen_listing_city_district_quantity_text_output(kladmen: MarketServer, tmp_path: Path) -> None:
    listing = next(li for li in build_market("kladmen").listings if li.quantity and li.quantity.unit == "g")
    proc = _try(_env(tmp_path), "kladmen", listing.url, "--mirror", kladmen.url, "--transport", "direct")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"listing page id {listing.listing_id}: {listing.url} (HTTP 200)" in out
    assert "[div.mesto span.gorod-imya::text]" in out and listing.extra["city"] in out
    assert f"normalised: {listing.quantity.value:g} g" in out
    proc = _try(_env(tmp_path), "kladmen", listing.url, "--mirror", kladmen.url, "--transport", "direct", "--json")
    x = json.loads(proc.stdout)["pages"][0]["extracted"]
    assert (x["city"], x["district"]) == (listing.extra["city"], listing.extra["district"])
    assert x["quantity"] == listing.quantity.to_dict()
    assert x["currency"] == listing.currency


def test_navigation_url_then_its_first_listing(kladmen: MarketServer, tmp_path: Path) -> None:
    city, districts = next(iter(build_market("kladmen").nav["cities"].items()))
    district = next(iter(districts))
    proc = _try(_env(tmp_path), "kladmen", f"/g/{city}/{district}", "--mirror", kladmen.url, "--transport",
                "direct", "--json")
    assert proc.returncode == 0, proc.stderr
    pages = json.loads(proc.stdout)["pages"]
    assert [p["kind"] for p in pages] == ["navigation", "listing"]
    assert pages[0]["links"]["listing_links"] == 20 and pages[0]["links"]["next_page"] == 1


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/no-such-page", "matched nothing: its URL matches neither listing.url_pattern nor vendor.url_pattern"),
        ("/tovar/1", "matched nothing: its URL makes it a listing page but listing.require "
                     "'div.kartochka h1.tovar-nazvanie' found nothing"),
        ("http://example.com/tovar/1", "'http://example.com/tovar/1' is not on the market's mirror"),
    ],
)
def test_page_that_matches_nothing_is_one_line_and_exit_1(kladmen: MarketServer, tmp_path: Path, path: str,
                                                          message: str) -> None:
    proc = _try(_env(tmp_path), "kladmen", path, "--mirror", kladmen.url, "--transport", "direct")
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr, proc.stderr
    assert proc.stdout == ""


def test_bad_credentials_fail_in_one_line(abyss: MarketServer, tmp_path: Path) -> None:
    proc = _try(_env(tmp_path, ONIONWATCH_CRED_ABYSS_PASSWORD="wrong-password"), "abyss", "--mirror", abyss.url,
                "--transport", "direct")
    assert proc.returncode == 1
    assert proc.stderr.startswith("onionwatch: error: abyss: login failed at") and "wrong-password" not in proc.stderr


def test_direct_to_an_onion_market_is_refused(tmp_path: Path) -> None:
    proc = _try(_env(tmp_path), "kladmen", "--transport", "direct")
    assert proc.returncode == 1
    assert "refusing a direct connection to an onion market" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_tor_transport_needs_tor(tmp_path: Path) -> None:
    proc = _try(_env(tmp_path, TOR_SOCKS_PORT="1"), "kladmen")  # nothing listens on port 1
    assert proc.returncode == 1 and len(proc.stderr.splitlines()) == 1
    assert proc.stderr.startswith("onionwatch: error: kladmen: refusing to try the market: Tor SOCKS port 127.0.0.1:1")


class _Hostile(BaseHTTPRequestHandler):
    """A 'mini' market page whose fields carry terminal escapes, bidi overrides and a huge title."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        title = "\x1b[31mRED\x1b[0m \u202egnp.exe 1g cocaine " + "A" * 5000
        body = (f'<html><body><div class="item-page"><h1>{title}</h1><span class="price">$50</span>'
                "</div></body></html>").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_hostile_field_text_is_cut_and_escaped(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = _env(tmp_path, ONIONWATCH_MARKETS_DIR=str(FIXTURE_MARKETS), ONIONWATCH_CRED_MINI_USERNAME="u",
                   ONIONWATCH_CRED_MINI_PASSWORD="p")
        mini = FIXTURE_MARKETS / "mini.yaml"
        text = mini.read_text().replace("login:\n", "xlogin:\n", 1)
        (tmp_path / "markets").mkdir()
        (tmp_path / "markets" / "mini.yaml").write_text(
            "\n".join(line for line in text.splitlines()
                      if not line.startswith(("xlogin:", "  url:", "  form:", "  username_field:",
                                              "  password_field:", "  credentials:", "  success:"))))
        env["ONIONWATCH_MARKETS_DIR"] = str(tmp_path / "markets")
        proc = _try(env, "mini", "/item/7", "--mirror", f"http://127.0.0.1:{server.server_address[1]}",
                    "--transport", "direct")
    finally:
        server.shutdown()
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\u202e" not in proc.stdout
    assert "\\x1b[31mRED" in proc.stdout and "\\u202e" in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) < 400
    assert "chars)" in proc.stdout  # the title was cut


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("a\nb\tc", "a\\nb\\tc"),
        ("\x1b[2J", "\\x1b[2J"),
        ("x" * 200, "x" * 160 + "... (200 chars)"),
        (["one", "two"], "one | two"),
    ],
)
def test_shown(value: object, expected: str) -> None:
    assert shown(value) == expected


def test_a_relative_vendor_url_is_shown_as_the_record_stores_it() -> None:
    """`markets try` showed obsidian's "../vendor/hanse_pharm" as its normalised value; the record stores it resolved
    against the page (its `<base href>` if any)."""
    from parsel import Selector

    from onionwatch.crawler.markets import FieldSpec
    from onionwatch.crawler.trial import _field

    sel = Selector(text='<div class="seller"><a class="vnd" href="../vendor/hanse_pharm">hanse_pharm</a></div>')
    spec = FieldSpec(css=["a.vnd::attr(href)"])
    got = _field("vendor_url", spec, sel, "USD", "http://x.onion/shop/item/c0ffee")
    assert (got.raw, got.normalised) == ("../vendor/hanse_pharm", "/shop/vendor/hanse_pharm")
    assert _field("vendor_url", spec, sel, "USD", "http://x.onion/m/base/").normalised == "/m/vendor/hanse_pharm"
