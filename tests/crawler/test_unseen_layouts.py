"""Markets not in the repository, described by an analyst from the README alone (tests/fixtures/markets/bazaar.yaml,
zakladka.yaml, tablica.yaml; round 3: lattice.yaml, okruga.yaml; round 4: souk.yaml, vybor.yaml; round 5: ledger.yaml,
prilavok.yaml; round 6: obsidian.yaml, sunduk.yaml), crawled for real over HTTP on 127.0.0.1 from their
saved pages (tests/crawler/staticmarket.py): every listing and vendor page is collected, with the fields its golden
output.json names."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from onionwatch.indexer.sqlite import SQLiteStore
from tests.crawler.conftest import run
from tests.crawler.staticmarket import PAGES, StaticMarket

pytestmark = pytest.mark.integration

STORED = {"title": "title", "description": "description", "vendor_name": "vendor", "category": "category",
          "ships_from": "ships_from", "ships_to": "ships_to", "city": "city", "district": "district"}


def _expected(market: str, kind: str) -> dict[str, dict]:
    """{url: fields} of the market's golden listing or vendor fixtures."""
    cases = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((PAGES / market).glob(f"{kind}-*/output.json"))]
    return {case["url"]: case["fields"] for case in cases}


@pytest.mark.parametrize("market", ["bazaar", "zakladka"])
def test_unseen_layout_is_crawled_completely(market: str, crawl_env: dict, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    listings, vendors = _expected(market, "listing"), _expected(market, "vendor")
    with StaticMarket(market) as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", market, "--mirror", site.url, "--transport",
                    "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"], crawl_env)
        fetched = set(site.requests)
    assert proc.returncode == 0, proc.stderr
    [out] = json.loads(proc.stdout)
    assert out["status"] == "complete" and out["reasons"] == []
    assert out["counters"]["listings_indexed"] == len(listings) and out["counters"]["vendors_indexed"] == len(vendors)
    assert fetched == set(site.pages), "every saved page, index pages of every pagination included, and no other"
    db = SQLiteStore(f"sqlite:///{store}", create=False)
    for url, fields in listings.items():
        listing_id = url.rsplit("/", 1)[1].split("-", 1)[0]
        got = db.get_listing(market, listing_id)
        assert got is not None and got["url"] == url, url
        for name, column in STORED.items():
            if name in fields:
                want = fields[name] if name != "description" else " ".join(fields[name].split())
                have = got[column] if name != "description" else " ".join((got[column] or "").split())
                assert have == want, (url, name)
        assert got["price"] is not None and got["price_usd"], url
        assert len(got["tiers"]) == len(fields["tiers"]), url
    for url, fields in vendors.items():
        got = db.get_vendor(market, url.rsplit("/", 1)[1])
        assert got is not None and got["name"] == fields["name"], url


def _with_pattern(tmp_path: Path, crawl_env: dict, pattern: str) -> dict:
    """crawl_env with bazaar's listing.url_pattern replaced (an analyst's first try at slug URLs)."""
    markets = tmp_path / "markets"
    markets.mkdir()
    text = (Path(crawl_env["ONIONWATCH_MARKETS_DIR"]) / "bazaar.yaml").read_text(encoding="utf-8")
    old = "url_pattern: '^/listing/(?P<id>\\d+)-[a-z0-9-]+$'"
    assert old in text
    (markets / "bazaar.yaml").write_text(text.replace(old, f"url_pattern: '{pattern}'"), encoding="utf-8")
    return {**crawl_env, "ONIONWATCH_MARKETS_DIR": str(markets)}


def test_listing_links_the_pattern_misses_are_named_not_blamed_on_a_gate(crawl_env: dict, tmp_path: Path) -> None:
    """`/listing/48213-mdma-crystals-84` under `^/listing/(?P<id>\\d+)$`: `markets try` and the crawl both say
    which link the pattern missed (the crawl used to blame an entry gate)."""
    env = _with_pattern(tmp_path, crawl_env, r"^/listing/(?P<id>\d+)$")
    want = ("navigation.listing_links found '/listing/48213-mdma-crystals-84', but listing.url_pattern "
            r"'^/listing/(?P<id>\d+)$' does not match it")
    with StaticMarket("bazaar") as site:
        trial = run([sys.executable, "-m", "onionwatch.cli", "markets", "try", "bazaar", "--mirror", site.url,
                     "--transport", "direct"], env)
        crawl = run([sys.executable, "-m", "onionwatch.cli", "crawl", "bazaar", "--mirror", site.url, "--transport",
                     "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--no-progress"], env)
    assert trial.returncode == 1 and trial.stderr.strip() == f"onionwatch: error: bazaar: {want} (the pattern is " \
        "searched in the path + query), so it is not read as a listing"
    assert crawl.returncode == 1
    assert f"onionwatch: error: bazaar: no listing collected; {want}" in crawl.stderr
    assert "entry gate" not in crawl.stderr


def test_listings_shown_only_as_rows_are_collected(crawl_env: dict, tmp_path: Path) -> None:
    """tablica: a klad shop with no page per listing (`listing_rows`): every row of every city page, next pages
    included, is a listing with its city, district, weight and price; a row shown on two pages is one listing; a
    row without a title (the "нет в наличии" line) is none; the offsite "Купить" bot links are never fetched."""
    store = tmp_path / "s.sqlite"
    want = {row["listing_id"]: (case["url"], row["fields"])
            for case in (json.loads(p.read_text(encoding="utf-8")) for p in sorted((PAGES / "tablica").glob("index-*/output.json")))
            for row in case.get("rows", [])}  # fmt: skip
    assert len(want) == 6
    with StaticMarket("tablica") as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "tablica", "--mirror", site.url, "--transport",
                    "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"], crawl_env)
        fetched = set(site.requests)
    assert proc.returncode == 0, proc.stderr
    [out] = json.loads(proc.stdout)
    assert out["status"] == "complete" and out["reasons"] == []
    assert out["counters"]["listings_collected"] == 7  # rows read: a101 is shown on two pages
    assert fetched == set(site.pages)
    db = SQLiteStore(f"sqlite:///{store}", create=False)
    assert db.counts("tablica")["listings"] == 6
    for listing_id, (_, fields) in want.items():
        got = db.get_listing("tablica", listing_id)
        assert got is not None, listing_id
        assert got["title"] == fields["title"] and got["city"] == fields["city"], listing_id
        assert got["price"] is not None and got["price_usd"], listing_id
    almaty = db.get_listing("tablica", "a102")
    assert almaty is not None and almaty["price"]["currency"] == "KZT" and almaty["substance"] == "cannabis"
    bishkek = db.get_listing("tablica", "b201")
    assert bishkek is not None and bishkek["price"]["currency"] == "KGS" and bishkek["substance"] == "mephedrone"


def test_markets_try_shows_listing_rows(crawl_env: dict) -> None:
    with StaticMarket("tablica") as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "markets", "try", "tablica", f"{site.url}/almaty",
                    "--mirror", site.url, "--transport", "direct", "--json"], crawl_env)
        text = run([sys.executable, "-m", "onionwatch.cli", "markets", "try", "tablica", f"{site.url}/almaty",
                    "--mirror", site.url, "--transport", "direct"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    [page] = json.loads(proc.stdout)["pages"]
    assert (page["kind"], page["rows"], page["page_id"]) == ("navigation", 3, "a101")
    assert {f["name"]: f["value"] for f in page["fields"]}["district"] == "Бостандыкский"
    assert page["extracted"]["substance"] == "mephedrone" and page["extracted"]["currency"] == "KZT"
    assert text.returncode == 0 and "listing_rows     3 listing(s) read as rows" in text.stdout


def _crawl(market: str, crawl_env: dict, store: Path) -> tuple[dict, list[str], StaticMarket]:
    with StaticMarket(market) as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", market, "--mirror", site.url, "--transport",
                    "direct", "--store", f"sqlite:///{store}", "--json", "--no-progress"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    [out] = json.loads(proc.stdout)
    assert out["status"] == "complete" and out["reasons"] == []
    return out, site.requests, site


def _last_segment(url: str) -> str:
    return url.rsplit("/", 1)[1]


def _crawled_pages(market: str, crawl_env: dict, tmp_path: Path, page_id: Callable[[str], str] = _last_segment,
                   fields: tuple[str, ...] = tuple(STORED)) -> tuple[SQLiteStore, dict[str, dict], dict[str, dict]]:
    """Crawl a market of listing and vendor pages (lattice, souk, ledger, obsidian): each saved page fetched once and
    no other, every listing stored under its url with the golden `fields` it names (of those given), every vendor
    with its name and a profile counting the listings that name it. Returns the store and the golden listings and
    vendors ({url: fields}) for the market's own checks (prices, tiers)."""
    store = tmp_path / "s.sqlite"
    listings, vendors = _expected(market, "listing"), _expected(market, "vendor")
    out, requests, site = _crawl(market, crawl_env, store)
    assert sorted(requests) == sorted(site.pages), "each saved page once, every index page included, no other"
    assert (out["counters"]["listings_indexed"], out["counters"]["vendors_indexed"]) == (len(listings), len(vendors))
    db = SQLiteStore(f"sqlite:///{store}", create=False)
    for url, want in listings.items():
        got = db.get_listing(market, page_id(url))
        assert got is not None and got["url"] == url, url
        named = [name for name in fields if name in want]
        assert [got[STORED[name]] for name in named] == [want[name] for name in named], url
    for url, want in vendors.items():
        got = db.get_vendor(market, page_id(url))
        assert got is not None and got["name"] == want["name"], url
        # the listings' vendor id is the one `vendor.url_pattern` reads from the vendor link (the id the vendor's
        # page is stored under), so the profile counts its listings
        profile = db.vendor_profile(market, page_id(url))
        assert profile is not None and profile["listings"] == sum(
            f["vendor_name"] == want["name"] for f in listings.values()) > 0, url
    return db, listings, vendors


def test_utility_classes_cursor_pages_and_json_ld_are_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """lattice (round 3): both "Load more" cursor pages, every `/item?id=` listing with the title from utility-class
    divs, the price and currency from the JSON-LD Product (`json:`, "€" listings in EUR), the vendor from a `title`
    attribute; vendor pages' `?src=vendor` links are the same listings (drop_params)."""
    db, listings, _ = _crawled_pages("lattice", crawl_env, tmp_path, lambda url: url.split("=", 1)[1],
                                     ("title", "vendor_name", "category", "ships_from"))
    for url, fields in listings.items():
        got = db.get_listing("lattice", url.split("=", 1)[1])
        amount, currency = fields["price_text"].split()
        assert got is not None and got["price"] == {"amount": float(amount), "currency": currency} and got["price_usd"]


def test_district_blocks_and_an_age_landing_page_are_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """okruga (round 3): the "18+" page (a follow-link gate whose link leads into the shop, no cookie) is passed
    and read as a landing page instead of being passed forever; every <li> offer of every city page is a listing
    with its city (the page's <h1>) and district (its <details>' <summary>, `within:`); the product pages, which
    repeat only the name, are never fetched."""
    store = tmp_path / "s.sqlite"
    want = {row["listing_id"]: row["fields"]
            for case in (json.loads(p.read_text(encoding="utf-8")) for p in sorted((PAGES / "okruga").glob("index-*/output.json")))
            for row in case.get("rows", [])}  # fmt: skip
    assert len(want) == 6
    out, requests, site = _crawl("okruga", crawl_env, store)
    assert set(requests) == set(site.pages) - {"/p/101"} and requests.count("/") == 2  # the gate met, then read
    assert out["counters"]["listings_indexed"] == 6
    db = SQLiteStore(f"sqlite:///{store}", create=False)
    for listing_id, fields in want.items():
        got = db.get_listing("okruga", listing_id)
        assert got is not None, listing_id
        assert (got["title"], got["city"], got["district"], got["vendor"]) == (
            fields["title"], fields["city"], fields["district"], fields["vendor_name"]), listing_id
        assert got["price"]["currency"] == "RUB" and got["price"]["amount"] == float(
            fields["price_text"].rstrip("₽").replace(" ", "")), listing_id


def test_markets_try_drops_the_params_the_crawl_drops(crawl_env: dict) -> None:
    """lattice's cards link `/item?id=ab12cd&src=grid`; `navigation.drop_params: [src]` makes it the listing
    `/item?id=ab12cd` for `markets try` as for the crawl (try used to fail naming the link as unmatched)."""
    with StaticMarket("lattice") as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "markets", "try", "lattice", "--mirror", site.url,
                    "--transport", "direct", "--json"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    pages = json.loads(proc.stdout)["pages"]
    assert [(p["kind"], p["url"]) for p in pages] == [("navigation", "/shop"), ("listing", "/item?id=ab12cd")]
    assert {f["name"]: f["value"] for f in pages[1]["fields"]}["price_text"] == "45.00 USD"


def test_data_attribute_tiles_title_meta_and_script_state_are_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """souk (round 4): catalog tiles whose link is a `data-href`, "Load more" to `?page=2` (the page-number links
    and the `?cur=` currency switcher are not followed), product pages whose title is only in og:title or <title>,
    the vendor in a "Sold by" row of a table with unclosed cells, the category only in a
    `window.__INITIAL_STATE__ = {...};` script (`json:`), tiers from `<option>`s; vendor pages from the "Sold by" links
    (`?cur=USD` dropped)."""
    db, listings, _ = _crawled_pages("souk", crawl_env, tmp_path)
    for url, fields in listings.items():
        got = db.get_listing("souk", _last_segment(url))
        amount = float(fields["price_text"].split()[1])
        assert got is not None and got["price"] == {"amount": amount, "currency": "USD"}, url
        assert len(got["tiers"]) == len(fields["tiers"]), url


def test_city_selects_and_a_weight_table_are_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """vybor (round 4): city pages reached through a `<select>`'s option values, the city from the selected option,
    the districts from a second `<select>`, the price, weight and tiers from a Вес | Цена table (its cells are spaced
    in readable text); one product offered in two cities (`/tovar/101?city=msk`, `?city=ekb`) is two listings, the
    id group taking in the city."""
    store = tmp_path / "s.sqlite"
    listings = _expected("vybor", "listing")
    out, requests, site = _crawl("vybor", crawl_env, store)
    assert sorted(requests) == sorted(site.pages)
    assert out["counters"]["listings_indexed"] == 4
    db = SQLiteStore(f"sqlite:///{store}", create=False)
    for url, fields in listings.items():
        got = db.get_listing("vybor", url.rsplit("/", 1)[1])
        assert got is not None and got["url"] == url, url
        assert (got["title"], got["city"], got["district"], got["vendor"]) == (
            fields["title"], fields["city"], fields["district"], fields["vendor_name"]), url
        assert got["price"] == {"amount": float(fields["price_text"].rstrip(" ₽").replace(" ", "")), "currency": "RUB"}
        assert len(got["tiers"]) == len(fields["tiers"]) >= 2, url


def test_one_id_under_two_queries_is_named(crawl_env: dict, tmp_path: Path) -> None:
    """vybor with an analyst's first `url_pattern: '^/tovar/(?P<id>\\d+)'`: `/tovar/101?city=msk` and `?city=ekb`
    are one listing '101' to it, so whichever the crawl meets second is never fetched (a renamed slug is meant to be;
    which comes first depends on which city page answers first); the crawl says so once, naming both URLs and the two
    ways out, instead of completing in silence."""
    markets = tmp_path / "markets"
    markets.mkdir()
    text = (Path(crawl_env["ONIONWATCH_MARKETS_DIR"]) / "vybor.yaml").read_text(encoding="utf-8")
    old = "url_pattern: '^/tovar/(?P<id>\\d+\\?city=[a-z]+)$'"
    assert old in text
    (markets / "vybor.yaml").write_text(text.replace(old, "url_pattern: '^/tovar/(?P<id>\\d+)'"), encoding="utf-8")
    env = {**crawl_env, "ONIONWATCH_MARKETS_DIR": str(markets)}
    with StaticMarket("vybor") as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "crawl", "vybor", "--mirror", site.url, "--transport",
                    "direct", "--store", f"sqlite:///{tmp_path / 's.sqlite'}", "--no-progress"], env)
        requests = list(site.requests)
    assert proc.returncode == 0, proc.stderr
    fetched = [url for url in requests if url.startswith("/tovar/101?")]
    assert len(fetched) == 1, requests
    second = ({"/tovar/101?city=msk", "/tovar/101?city=ekb"} - set(fetched)).pop()
    warnings = [line for line in proc.stderr.splitlines() if "already met as" in line]
    assert len(warnings) == 1
    assert f"vybor: {second} is listing '101', already met as {fetched[0]}: fetched once" in warnings[0]
    assert "navigation.drop_params" in warnings[0] and "listing.url_pattern" in warnings[0]


def test_header_labelled_tables_base_href_and_hidden_tabs_are_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """ledger (round 5): catalog rows of a class-less <table> under a `<base href="/market/">` (every link relative,
    `item/1041`), the next page from `<link rel="next">` in the <head> (no `?offset=0` page, none after the last),
    product fields by their <th> label, the vendor's name without its glued "[Lvl 5]" badge and its `../vendor/` link
    resolved, the price "Ƀ0.0012 / $54.20" read in USD, tiers with the Bitcoin figure cut out (two regex groups), the
    description from a hidden tab."""
    db, listings, _ = _crawled_pages("ledger", crawl_env, tmp_path)
    for url, fields in listings.items():
        got = db.get_listing("ledger", _last_segment(url))
        assert got is not None and got["price"] == {"amount": float(fields["price_text"].lstrip("$")), "currency": "USD"}
        assert [t["price"]["currency"] for t in got["tiers"]] == ["USD"] * len(fields["tiers"]) >= ["USD"] * 2, url


def test_a_windows_1251_shop_behind_an_age_page_is_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """prilavok (round 5): pages in windows-1251 named only by their <meta http-equiv> (served with no charset), an
    "18+" page passed by its link, "Показать ещё" to `&p=2`, fields from a <dl> by their <dt> label, the districts
    from the rows of the Наличие table, prices "1 500 ₽" with thin and no-break spaces, tiers pairing each price
    cell with its column's weight (`{header}`)."""
    store = tmp_path / "s.sqlite"
    listings = _expected("prilavok", "listing")
    out, requests, site = _crawl("prilavok", crawl_env, store)
    assert set(requests) == set(site.pages) and requests[0] == "/"
    assert out["counters"]["listings_indexed"] == 4
    db = SQLiteStore(f"sqlite:///{store}", create=False)
    for url, fields in listings.items():
        got = db.get_listing("prilavok", url.rsplit("=", 1)[1])
        assert got is not None and got["url"] == url, url
        assert (got["title"], got["city"], got["district"], got["vendor"], got["category"], got["description"]) == (
            fields["title"], fields["city"], fields["district"], fields["vendor_name"], fields["category"],
            fields["description"]), url
        assert got["price"] == {"amount": float(fields["price_text"].rstrip(" ₽").replace(" ", "")), "currency": "RUB"}
        want = [(float(w.split()[0].replace(",", ".")), float(p.rstrip(" ₽").replace(" ", "")))
                for w, p in (t.split(" — ") for t in fields["tiers"])]
        assert [(t["quantity"]["value"], t["price"]["amount"]) for t in got["tiers"]] == want, url


def test_markets_try_reads_a_page_in_its_meta_charset(crawl_env: dict) -> None:
    """`markets try` on a windows-1251 page whose server names no charset: read in the <meta>'s charset as the crawl
    reads it (requests took it as ISO-8859-1: "Ìåôåäðîí")."""
    with StaticMarket("prilavok") as site:
        proc = run([sys.executable, "-m", "onionwatch.cli", "markets", "try", "prilavok", f"{site.url}/tovar?id=11",
                    "--mirror", site.url, "--transport", "direct", "--json"], crawl_env)
    assert proc.returncode == 0, proc.stderr
    [page] = json.loads(proc.stdout)["pages"]
    fields = {f["name"]: f["value"] for f in page["fields"]}
    assert (fields["title"], fields["city"], fields["price_text"]) == ("Мефедрон кристалл VHQ", "Новосибирск", "1 500 ₽")
    assert page["extracted"]["substance"] == "mephedrone"


def test_json_ld_offers_data_attributes_and_a_form_pager_are_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """obsidian (round 6): product fields from JSON-LD (title, description, category; each Offer a tier priced in
    XMR) and data-* attributes (ships from / to), the catalog's second page reached only through a `<select>` in a
    GET form (an `<option>` is the URL the form goes to: `?sort=new&page=2`, no `/shop/2`), `../vendor/x` links."""
    db, listings, _ = _crawled_pages("obsidian", crawl_env, tmp_path)
    for url, fields in listings.items():
        got = db.get_listing("obsidian", _last_segment(url))
        amount = float(fields["price_text"].split()[0])
        assert got is not None and got["price"] == {"amount": amount, "currency": "XMR"} and got["price_usd"], url
        assert [(t["price"]["amount"], t["price"]["currency"]) for t in got["tiers"]] == [
            (float(t.split()[-2]), "XMR") for t in fields["tiers"]], url


def test_one_page_of_city_blocks_with_a_bom_is_crawled(crawl_env: dict, tmp_path: Path) -> None:
    """sunduk (round 6): one UTF-8 page with a byte-order mark and CRLF line ends; every product row of every city's
    <details> (a folded "Ещё позиции" block inside a city included: `within: details.gorod`) is a listing with the
    weight from its name cell, "от 2 500 ₽" from a nested table, the comma list of districts; the "нет в наличии"
    row, the header rows and the nested price tables' rows are none."""
    [case] = [json.loads(p.read_text(encoding="utf-8")) for p in (PAGES / "sunduk").glob("index-*/output.json")]
    want = {row["listing_id"]: row["fields"] for row in case["rows"]}
    out, requests, _ = _crawl("sunduk", crawl_env, tmp_path / "s.sqlite")
    assert requests == ["/"] and out["counters"]["listings_collected"] == len(want) == 8
    db = SQLiteStore(f"sqlite:///{tmp_path / 's.sqlite'}", create=False)
    assert db.counts("sunduk")["listings"] == 8
    for listing_id, fields in want.items():
        got = db.get_listing("sunduk", listing_id)
        assert got is not None, listing_id
        assert (got["title"], got["city"], got["district"], got["vendor"]) == (
            fields["title"], fields["city"], fields["district"], fields["vendor_name"]), listing_id
        amount = float(fields["price_text"].removeprefix("от ").rstrip(" ₽").replace(" ", ""))
        assert got["price"] == {"amount": amount, "currency": "RUB"}, listing_id
