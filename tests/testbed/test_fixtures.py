"""Golden page fixtures: each saved page read by the real page code (the spider's and re-extraction's
`records_from_pages`) with its market definition gives output.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from onionwatch.crawler.markets import MarketDefinition, load_definition
from onionwatch.crawler.pages import link_hrefs, page_text
from onionwatch.crawler.records_from_pages import listing_record, page_kind, row_listings, vendor_record
from onionwatch.paths import MARKETS_DIR

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
FIXTURE_MARKETS = FIXTURES.parent / "markets"  # test-only definitions (markets with no production config)
CASES = sorted(p for p in FIXTURES.glob("*/*") if (p / "input.html").is_file())


def definition_path(market: str) -> Path:
    """config/markets/<market>.yaml, else tests/fixtures/markets/<market>.yaml (a market kept as test data)."""
    path = MARKETS_DIR / f"{market}.yaml"
    return path if path.is_file() else FIXTURE_MARKETS / f"{market}.yaml"


def record(definition: MarketDefinition, sel: Selector, path: str, kind: str) -> Any:
    """The raw record the crawler would emit for this page, found by its URL like the spider finds it."""
    url = definition.mirrors[0] + path
    found = page_kind(definition, url)
    assert found is not None and found[0] == kind, f"{path}: url_pattern does not make it a {kind} page"
    build = listing_record if kind == "listing" else vendor_record
    return build(definition, sel, url, found[1], "2024-01-01T00:00:00Z")


def links(sel: Selector, definition: MarketDefinition) -> dict[str, list[str]]:
    nav = definition.navigation
    return {
        "listing_links": link_hrefs(sel, nav.listing_links),
        "vendor_links": link_hrefs(sel, nav.vendor_links),
        "next_page": link_hrefs(sel, nav.next_page),
        "follow": [href for css in nav.follow for href in link_hrefs(sel, css)],
    }


def test_fixtures_exist_for_both_markets() -> None:
    kinds = {(p.parent.name, p.name.rsplit("-", 1)[0]) for p in CASES}
    for market in ("abyss", "kladmen"):
        assert {(market, "listing"), (market, "vendor")} <= kinds


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(case: Path) -> None:
    definition = load_definition(definition_path(case.parent.name))
    sel = Selector(text=page_text((case / "input.html").read_bytes()))  # a windows-1251 page by its <meta>
    expected = json.loads((case / "output.json").read_text(encoding="utf-8"))
    kind = case.name.rsplit("-", 1)[0]
    if "fields" in expected:
        page = definition.listing if kind == "listing" else definition.vendor
        assert page is not None
        got = record(definition, sel, expected["url"], kind)
        for name, want in expected["fields"].items():
            assert name in page.fields, f"fixture field {name!r} has no selector in the definition"
            value = getattr(got, name)
            if isinstance(want, list):
                assert value == want, name
            else:  # a record holds "" or None for an absent field
                assert (value or None) == (want or None), name
    if "rows" in expected:  # a navigation page's listing rows (listing_rows): ids and fields, in page order
        got_rows = row_listings(definition, sel, definition.mirrors[0] + expected["url"], "2024-01-01T00:00:00Z")
        assert [r.listing_id for r in got_rows] == [row["listing_id"] for row in expected["rows"]]
        for got_row, row in zip(got_rows, expected["rows"], strict=True):
            assert got_row.url == expected["url"]
            for name, want in row["fields"].items():
                assert (getattr(got_row, name) or None) == (want or None), (row["listing_id"], name)
    if "links" in expected:
        got_links = links(sel, definition)
        for name, want in expected["links"].items():
            if name == "vendor_links":
                assert sorted(set(got_links[name])) == sorted(set(want)), name
            else:
                assert got_links[name] == want, name


def test_fixtures_are_current(tmp_path: Path) -> None:
    """The saved pages are what the default-seed testbed serves today (`python -m onionwatch.testbed fixtures`)."""
    from onionwatch.testbed.fixtures import write_fixtures

    for d in write_fixtures(tmp_path):
        rel = d.relative_to(tmp_path)
        for name in ("input.html", "output.json"):
            assert (d / name).read_bytes() == (FIXTURES / rel / name).read_bytes(), f"{rel}/{name} is stale"
