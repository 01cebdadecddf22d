"""In-process dashboard tests (logged in as an analyst) against a real SQLite store: escaping, filters, headers, errors."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest

from onionwatch.dashboards.web import make_app
from onionwatch.indexer.store import SearchQuery, StoreError
from tests.dashboards.client import Response, call
from tests.indexer import data


def hit_ids(r: Response) -> list[str]:
    return sorted(re.findall(r'href="/listing\?market=\w+&amp;id=(\w+)"', r.text))


PAGES = [
    ("/", {}),
    ("/", {"q": "pills"}),
    ("/", {"q": "script"}),
    ("/", {"vendor": "iceking"}),
    ("/listing", {"market": "alpha", "id": "a5"}),
    ("/vendor", {"market": "alpha", "id": "v-ice"}),
    ("/trends", {"end": "2024-02-29"}),
    ("/emerging", {"days": "3650", "ref": "2024-03-01"}),
    ("/alerts", {}),
]


@pytest.mark.parametrize(("path", "query"), PAGES)
def test_hostile_scraped_text_is_escaped_everywhere(app, path: str, query: dict[str, str]) -> None:
    r = call(app, path, query)
    assert r.status == 200
    assert "<script" not in r.text.lower()
    assert "<img" not in r.text.lower()
    assert "onerror=" not in r.text or "&lt;img src=x onerror=alert(1)&gt;" in r.text


def test_hostile_title_shown_as_text(app) -> None:
    r = call(app, "/", {"q": "pills"})
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in r.text or "&lt;script&gt;alert(&#x27;x&#x27;)" in r.text
    assert "<mark>" in r.text


@pytest.mark.parametrize(("path", "query"), PAGES)
def test_security_headers_and_no_external_assets(app, path: str, query: dict[str, str]) -> None:
    r = call(app, path, query)
    csp = r.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'none'" in csp
    assert "http" not in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "same-origin"  # never sent off the dashboard
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    external = re.findall(r'(?:src|href|action)="(?![/?#])([^"]*)"', r.text)
    assert external == []
    style = re.search(r"<style>(.*?)</style>", r.text, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp  # the inline stylesheet is allowed by hash, nothing else inline


def test_search_filters(app) -> None:
    assert hit_ids(call(app, "/", {"q": "mdma"})) == ["a1", "a5"]
    assert hit_ids(call(app, "/", {"market": "klad"})) == ["k1", "k2", "k3"]
    assert hit_ids(call(app, "/", {"vendor": "DRGREEN"})) == ["a1", "a3"]
    assert hit_ids(call(app, "/", {"substance": "mephedrone", "max_price": "25"})) == ["k3"]
    assert hit_ids(call(app, "/", {"class": "opioid"})) == ["a3"]
    assert hit_ids(call(app, "/", {"since": "2024-02-01"})) == ["a1", "a4", "k1"]
    assert hit_ids(call(app, "/", {"until": "2024-01-02"})) == ["a1", "a2"]
    assert hit_ids(call(app, "/", {"q": "nothing-here"})) == []


def test_facets_link_to_filtered_searches(app) -> None:
    r = call(app, "/", {"q": "мефедрон"})
    assert "<b>2</b> listings" in r.text
    link = re.search(r'href="(/\?[^"]*substance=mephedrone[^"]*)"', r.text)
    assert link is not None
    qs = link.group(1).split("?", 1)[1].replace("&amp;", "&")
    assert hit_ids(call(app, "/", qs)) == ["k1", "k3"]


def test_sampled_facets_are_marked_with_an_exact_link(app, monkeypatch) -> None:
    from onionwatch.indexer import sqlite_facet_sample

    assert "facets-approximate" not in call(app, "/", {"min_price": "1"}).text
    monkeypatch.setattr(sqlite_facet_sample, "EXACT_MAX", 1)  # every search with 2+ hits samples
    monkeypatch.setattr(sqlite_facet_sample, "SAMPLE", 10**6)  # a "sample" of every hit
    r = call(app, "/", {"min_price": "1"})
    assert "facets-approximate" in r.text and "Counts estimated from a sample" in r.text
    link = re.search(r'href="(/\?[^"]*exact=1[^"]*)"', r.text)
    assert link is not None
    exact = call(app, "/", link.group(1).split("?", 1)[1].replace("&amp;", "&"))
    assert "facets-approximate" not in exact.text and hit_ids(exact) == hit_ids(r)
    kept = re.search(r'href="(/\?[^"]*substance=[^"]*)"', exact.text)  # a facet link keeps exact counts
    assert kept is not None and "exact=1" in kept.group(1)


def test_paging(store, app) -> None:
    template = data.base_listings()["a2"]
    store.write_batch([data.at(template, "2024-01-20T10:00:00Z", listing_id=f"b{i:02d}") for i in range(25)], [])
    first = call(app, "/", {"q": "cocaine", "per_page": "10"})
    assert "<b>26</b> listings, showing 1–10" in first.text and "page 1 of 3" in first.text
    third = call(app, "/", {"q": "cocaine", "per_page": "10", "page": "3"})
    assert "showing 21–26" in third.text
    assert len(hit_ids(third)) == 6
    assert 'rel="next"' not in third.text and 'rel="prev"' in third.text


def test_listing_detail_shows_history(app) -> None:
    r = call(app, "/listing", {"market": "alpha", "id": "a1"})
    assert r.status == 200
    assert r.text.count("<tr><td>2024-0") == 4  # four observations
    assert "<svg" in r.text and "Lab tested Dutch MDMA" in r.text


def test_vendor_profile_shows_links(app) -> None:
    r = call(app, "/vendor", {"market": "alpha", "id": "v-green"})
    assert r.status == 200
    assert 'href="/vendor?market=klad&amp;id=k-zel"' in r.text and "same PGP key" in r.text
    r = call(app, "/vendor", {"market": "alpha", "id": "v-ice"})
    assert 'href="/vendor?market=klad&amp;id=k-ice"' in r.text and "same name" in r.text


def test_vendor_page_shows_profile_history_escaped(store, app) -> None:
    from dataclasses import replace

    v = data.vendors()[0]
    store.write_batch([], [replace(v, name="<b>Greener</b>", scraped_at="2024-03-01T09:00:00Z")])
    r = call(app, "/vendor", {"market": "alpha", "id": "v-green"})
    assert r.status == 200 and "Profile history" in r.text
    assert "&lt;b&gt;Greener&lt;/b&gt;" in r.text and "<b>Greener</b>" not in r.text
    assert "DrGreen" in r.text
    quiet = call(app, "/vendor", {"market": "alpha", "id": "v-ice"})
    assert "No change of name, PGP key, contacts or addresses recorded." in quiet.text


def test_search_status_filter_and_gone_marker(store, app) -> None:
    crawl = store.begin_crawl("klad")
    store.update_crawl(crawl, "complete", {}, [])
    assert store.mark_gone(crawl) == 3
    gone = call(app, "/", {"status": "gone"})
    assert gone.status == 200 and "gone since" in gone.text and "<b>3</b> listings" in gone.text
    live = call(app, "/", {"status": "live"})
    assert "gone since" not in live.text and "<b>5</b> listings" in live.text
    assert call(app, "/", {"status": "deleted"}).status == 400
    detail = call(app, "/listing", {"market": "klad", "id": "k1"})
    assert "gone (a complete crawl on" in detail.text


# the trends and emerging pages: tests/dashboards/test_trends.py


BAD = [
    ("/", {"page": "0"}, "page"),
    ("/", {"page": "x"}, "page"),
    ("/", {"per_page": "7"}, "per_page"),
    ("/", {"q": "x" * 2001}, "q"),
    ("/", {"market": "a\x1bb"}, "market"),
    ("/", {"colour": "red"}, "colour"),
    ("/trends", {"weeks": "1"}, "weeks"),
    ("/trends", {"end": "soon"}, "end"),
    ("/emerging", {"days": "0"}, "days"),
    ("/emerging", {"ref": "soon"}, "ref"),
    ("/emerging", {"ref": "9999-12-31"}, "ref"),
    ("/emerging", {"ref": "0001-01-01", "days": "30"}, "ref"),
    ("/listing", {"market": "alpha"}, "id"),
    ("/vendor", {"id": "v-green"}, "market"),
]


@pytest.mark.parametrize(("path", "query", "name"), BAD)
def test_bad_parameters_are_400_with_a_clear_message(app, path: str, query: dict[str, str], name: str) -> None:
    r = call(app, path, query)
    assert r.status == 400
    message = re.search(r"<p>(.*?)</p>", r.text, re.S)
    assert message is not None and name in message.group(1)
    assert "Traceback" not in r.text and r.errors == ""


def test_not_found_and_method_not_allowed(app) -> None:
    assert call(app, "/admin").status == 404
    assert call(app, "/listing", {"market": "alpha", "id": "nope"}).status == 404
    assert call(app, "/vendor", {"market": "alpha", "id": "nope"}).status == 404
    r = call(app, "/", method="POST")
    assert r.status == 405 and r.headers["allow"] == "GET, HEAD"
    head = call(app, "/", method="HEAD")
    assert head.status == 200 and head.text == ""


class FailingStore:
    """A store whose search fails, to check error pages (pure logic: no data involved)."""

    url = "fake://"

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def search(self, query: SearchQuery) -> Any:
        raise self.exc


@pytest.mark.parametrize(("exc", "status"), [(StoreError("cluster red"), 503), (RuntimeError("bug"), 500)])
def test_store_failures_render_without_traceback(exc: Exception, status: int) -> None:
    r = call(make_app(FailingStore(exc)), "/", {"q": "x"})  # type: ignore[arg-type]
    assert r.status == status
    assert "Traceback" not in r.text
    assert "Traceback" in r.errors  # logged server-side


def test_alerts_page_lists_watch_hits(store, app) -> None:
    assert "No alerts" in call(app, "/alerts").text
    store.add_watch({"name": "<b>meph</b> watch", "substance": "mephedrone"})
    k3 = data.base_listings()["k3"]
    store.write_batch([data.at(k3, "2024-03-01T10:00:00Z")], [])  # seen again unchanged: no alert
    assert "No alerts" in call(app, "/alerts").text
    store.write_batch([data.at(k3, "2024-03-02T10:00:00Z", price_usd=(k3.price_usd or 0) / 2)], [])
    r = call(app, "/alerts")
    assert r.status == 200
    assert "&lt;b&gt;meph&lt;/b&gt; watch" in r.text
    assert 'href="/listing?market=klad&amp;id=k3"' in r.text
    assert "No alerts" in call(app, "/alerts", {"since": "2999-01-01"}).text
    assert call(app, "/alerts", {"since": "whenever"}).status == 400


def test_listing_detail_shows_city_district_escaped(store) -> None:
    from dataclasses import replace

    a1 = data.base_listings()["a1"]
    store.write_batch([replace(a1, city="<b>Almaty</b>", district="Бостандык", scraped_at="2024-03-01T00:00:00Z")],
                      [])
    r = call(make_app(store), "/listing", {"market": a1.market, "id": a1.listing_id})
    assert r.status == 200
    assert ('<dt>City</dt><dd><a href="/city?name=%3Cb%3EAlmaty%3C%2Fb%3E">&lt;b&gt;Almaty&lt;/b&gt;</a> · Бостандык'
            "</dd>") in r.text  # the city links to its city view


TYPED = [
    ({"since": "yesterday"}, "since"),
    ({"until": "2024-02-30"}, "until"),
    ({"min_price": "abc"}, "min_price"),
    ({"min_price": "-1"}, "min_price"),
    ({"max_price": "nan"}, "max_price"),
    ({"min_price": "50", "max_price": "10"}, "min_price"),
    ({"q": "mdma price:abc"}, "price"),
    ({"q": "mdma seen:32.01.2026"}, "seen"),
    ({"sort": "random"}, "sort"),
    ({"substance": "mephedrome"}, "did you mean mephedrone"),
]


@pytest.mark.parametrize(("query", "needle"), TYPED, ids=[n for _, n in TYPED])
def test_a_bad_typed_value_is_shown_next_to_the_kept_search(app, query: dict[str, str], needle: str) -> None:
    r = call(app, "/", {"q": "mdma", "vendor": "DrGreen", **query})
    assert r.status == 400 and r.errors == ""
    alert = re.search(r'<div class="error" id="search-errors" role="alert">(.*?)</div>', r.text, re.S)
    assert alert is not None and needle in alert.group(1)
    q = query.get("q", "mdma")
    assert f'name="q" value="{q}"' in r.text and 'name="vendor" value="DrGreen"' in r.text
    for name, value in query.items():
        if name not in ("q", "substance"):
            assert f'name="{name}"' in r.text and (f'value="{value}"' in r.text or f'value="{value}" selected' in r.text
                                                    or name == "sort")


def test_locale_numbers_and_dates(app) -> None:
    assert hit_ids(call(app, "/", {"substance": "mephedrone", "max_price": "25,0"})) == ["k3"]
    assert hit_ids(call(app, "/", {"min_price": "1 000"})) == []
    assert hit_ids(call(app, "/", {"since": "01.02.2024"})) == ["a1", "a4", "k1"]


def test_query_language_sort_and_multi_select_facets(app) -> None:
    assert hit_ids(call(app, "/", {"q": "mdma -pills"})) == ["a1"]
    assert hit_ids(call(app, "/", {"q": "mdma OR гашиш"})) == ["a1", "a5", "k2"]
    assert hit_ids(call(app, "/", {"q": "мефедрона"})) == ["k1", "k3"]
    assert hit_ids(call(app, "/", {"substance": "мефедрон"})) == ["k1", "k3"]  # a typed name resolves
    r = call(app, "/", {"market": "klad"})
    assert ">☑ klad<" in r.text and ">☐ alpha<" in r.text  # the other market stays visible
    link = re.search(r'href="(/\?[^"]*)"[^>]*><span>☐ alpha', r.text)
    assert link is not None
    both = call(app, "/", link.group(1).split("?", 1)[1].replace("&amp;", "&"))
    assert len(hit_ids(both)) == 8 and ">☑ alpha<" in both.text and ">☑ klad<" in both.text
    assert '<input type="hidden" name="market" value="alpha">' in both.text  # a new search keeps them
    prices = call(app, "/", {"sort": "price_asc", "per_page": "10"})
    assert re.findall(r'id=(\w+)"', prices.text)[:3] == ["k3", "k1", "a1"]
    assert '<option value="price_asc" selected>' in prices.text
