"""Hostile market pages turned into raw records (crawler/records_from_pages.py, shared by the spider and
archive re-extraction): attacker-written links and markup give a record or a PageMismatch, never a crash."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector

from onionwatch.crawler.markets import load_definition
from onionwatch.crawler.pages import MAX_FIELD_CHARS, PageMismatch
from onionwatch.crawler.records_from_pages import listing_record
from onionwatch.crawler.trial import _first
from tests.crawler.conftest import FIXTURE_MARKETS

MINI = load_definition(FIXTURE_MARKETS / "mini.yaml")
URL = "http://mini.onion/item/7"


def _page(seller_href: str, title: str = "Cocaine 1g") -> Selector:
    return Selector(text=f'<div class="item-page"><h1>{title}</h1><span class="price">$80</span>'
                         f'<a class="seller" href="{seller_href}">shop</a></div>')


@pytest.mark.parametrize("href", ["http://[::1", "//[bad/v", "https://[vendor]x/"])
def test_a_broken_vendor_link_is_dropped_not_a_crash(href: str) -> None:
    """urljoin raised ValueError ("Invalid IPv6 URL") on such a vendor link: the spider's page callback failed
    and `onionwatch reextract` stopped on the first such archived page."""
    item = listing_record(MINI, _page(href), URL, "7", "2024-03-01T00:00:00+00:00")
    assert item.title == "Cocaine 1g" and item.vendor_name == "shop" and item.vendor_url is None


def test_a_good_vendor_link_still_resolves() -> None:
    item = listing_record(MINI, _page("../seller/bob?x=1#top"), URL, "7", "2024-03-01T00:00:00+00:00")
    assert item.vendor_url == "/seller/bob?x=1"


_HREF = st.lists(st.sampled_from([*"[]:/?#@%.\\ \x00aZ9", "http://", "//", "[::1", "\u3000"]),
                max_size=12).map("".join)


@settings(max_examples=200, deadline=None)
@given(_HREF, st.text(st.characters(codec="utf-8"), max_size=60))  # decoded bytes: no surrogates
def test_any_vendor_link_and_title(href: str, title: str) -> None:
    html_title = title.replace("<", "&lt;")
    try:
        item = listing_record(MINI, _page(href.replace('"', "&quot;"), html_title), URL, "7", "2024-03-01")
    except PageMismatch:
        return
    assert item.vendor_url is None or isinstance(item.vendor_url, str)
    assert len(item.title) <= MAX_FIELD_CHARS


@pytest.mark.parametrize("href", ["http://[::1", " //[bad/v ", "https://[vendor]x/"])
def test_markets_try_skips_a_broken_first_link(href: str) -> None:
    """`onionwatch markets try` follows the first listing link: urljoin's ValueError was a traceback."""
    sel = Selector(text=f'<td class="item"><a href="{href}">x</a></td><td class="item"><a href="/item/2">y</a></td>')
    assert _first(MINI, sel, "td.item a::attr(href)", URL) is None
    assert _first(MINI, sel, "td.item + td.item a::attr(href)", URL) == "http://mini.onion/item/2"
