"""Crawl the default-size markets with their YAML definitions: every ground-truth record is reachable."""

from __future__ import annotations

import collections
import re
import warnings
from urllib.parse import urljoin, urlsplit

import httpx
import pgpy
import pytest
from parsel import Selector

from onionwatch.crawler.markets import MarketDefinition, get_market
from onionwatch.crawler.pages import read_field
from onionwatch.extractors.listing_fields import shown_quantity
from onionwatch.extractors.pgp import normalize_fingerprint
from onionwatch.testbed.generate import build_market
from onionwatch.testbed.server import MarketServer, start_market
from onionwatch.testbed.sites import TESTBED_PASSWORD, TESTBED_USERNAME

pytestmark = pytest.mark.integration
NAV_PATH = {"abyss": re.compile(r"^/category/"), "kladmen": re.compile(r"^/g/[^/]+/[^/]+$")}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _hrefs(sel: Selector, css: str | None, base: str) -> list[str]:
    return [_path(urljoin(base, h)) for h in sel.css(css).getall()] if css else []


def _client(server: MarketServer, definition: MarketDefinition) -> httpx.Client:
    client = httpx.Client(base_url=server.url)
    if definition.login:
        form = Selector(text=client.get(definition.login.url).text).css(definition.login.form)
        data = {i.attrib["name"]: i.attrib.get("value", "") for i in form.css("input[name]")}
        data[definition.login.username_field] = TESTBED_USERNAME
        data[definition.login.password_field] = TESTBED_PASSWORD
        client.post(form.attrib.get("action") or definition.login.url, data=data)
        assert Selector(text=client.get("/").text).css(definition.login.success)
    return client


def _walk_navigation(client: httpx.Client, definition: MarketDefinition, market: str):
    """BFS over navigation and pagination pages; returns listing links per nav page, vendor links."""
    nav = definition.navigation
    queue, seen = collections.deque(nav.start), set(nav.start)
    listing_links: collections.Counter[str] = collections.Counter()
    vendor_links: set[str] = set()
    while queue:
        path = queue.popleft()
        r = client.get(path)
        assert r.status_code == 200, path
        sel = Selector(text=r.text)
        if NAV_PATH[market].search(urlsplit(path).path):
            listing_links.update(_hrefs(sel, nav.listing_links, path))
        vendor_links.update(_hrefs(sel, nav.vendor_links, path))
        for link in [h for css in nav.follow for h in _hrefs(sel, css, path)] + _hrefs(sel, nav.next_page, path):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return listing_links, vendor_links


def _field(sel: Selector, spec) -> str | list[str] | None:
    return read_field(sel, spec)  # the crawl's own reader: fallback selectors, keep filters


@pytest.mark.parametrize("market", ["abyss", "kladmen"])
def test_navigation_reaches_every_listing_once_and_every_vendor(market: str) -> None:
    definition = get_market(market)
    truth = build_market(market).truth()
    server = start_market(market)
    try:
        client = _client(server, definition)
        try:
            listing_links, vendor_links = _walk_navigation(client, definition, market)
            assert set(listing_links) == {t["url"] for t in truth["listings"]}
            assert set(listing_links.values()) == {1}, "a listing appears on more than one paginated page"
            assert vendor_links == {v["url"] for v in truth["vendors"]}
            by_url = {t["url"]: t for t in truth["listings"]}
            for url in sorted(by_url)[::40]:  # a spread sample of listing pages read with the definition
                _check_listing(client, definition, url, by_url[url])
            vendors = {v["url"]: v for v in truth["vendors"]}
            for url in sorted(vendors)[::10]:
                _check_vendor(client, definition, url, vendors[url])
        finally:
            client.close()
    finally:
        server.stop()


def _check_listing(client: httpx.Client, definition: MarketDefinition, url: str, t: dict) -> None:
    assert re.search(definition.listing.url_pattern, url).group("id") == t["listing_id"]
    sel = Selector(text=client.get(url).text)
    assert sel.css(definition.listing.require)
    f = {name: _field(sel, spec) for name, spec in definition.listing.fields.items()}
    assert f["title"] == t["title"]
    vendor_page = definition.vendor
    assert vendor_page is not None
    assert re.search(vendor_page.url_pattern, _path(f["vendor_url"])).group("id") == t["vendor_id"]
    amount = t["price"]["amount"]
    shown = f"{amount:.2f}" if definition.name == "abyss" else str(int(amount))
    assert re.sub(r"\D", "", f["price_text"]) == re.sub(r"\D", "", shown)
    assert len(f["tiers"]) == len(t["tiers"])
    shown = shown_quantity(f["quantity"])
    assert (shown and {"value": shown.value, "unit": shown.unit}) == (t["quantity"] or None)
    if definition.name == "kladmen":
        assert f["location"] == t["location"] == f"{f['city']} / {f['district']}"
    else:
        assert f["category"] == t["category"] and f["ships_from"] == t["ships_from"]


def _check_vendor(client: httpx.Client, definition: MarketDefinition, url: str, v: dict) -> None:
    assert definition.vendor is not None
    sel = Selector(text=client.get(url).text)
    f = {name: _field(sel, spec) for name, spec in definition.vendor.fields.items()}
    assert f["name"] == v["name"]
    assert sorted(f["crypto_addresses"]) == sorted(a for addrs in v["crypto_addresses"].values() for a in addrs)
    contact_text = " ".join(f["contacts"])
    assert all(h in contact_text for hs in v["contacts"].values() for h in hs)
    if v["pgp_fingerprint"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key, _ = pgpy.PGPKey.from_blob(f["pgp_key"])
        assert key.fingerprint.replace(" ", "") == v["pgp_fingerprint"]
        if "pgp_fingerprint" in definition.vendor.fields:  # abyss shows it as text too
            assert normalize_fingerprint(f["pgp_fingerprint"]) == v["pgp_fingerprint"]
    else:
        assert f["pgp_key"] is None
