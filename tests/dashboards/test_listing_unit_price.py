"""The listing page shows a tier's per-unit price ("$3 each" of "100x Xanax, $3 each") next to its total."""

from __future__ import annotations

from typing import Any

from onionwatch.crawler.items import RawListing
from onionwatch.dashboards.web import make_app
from onionwatch.extractors.pipeline import Extractor
from onionwatch.indexer.store import open_store
from tests.dashboards.client import call


def _app(tmp_path: Any) -> Any:
    ex = Extractor()
    raws = [
        RawListing(market="m", listing_id="pu", url="http://m.onion/pu", title="100x Xanax 2mg bars, $3 each",
                   description="Pfizer", lang="en", currency="USD", scraped_at="2024-03-01T00:00:00+00:00"),
        RawListing(market="m", listing_id="gram", url="http://m.onion/g", title="Cocaine 5g at $90/g",
                   description="", lang="en", currency="USD", scraped_at="2024-03-01T00:00:00+00:00"),
    ]  # fmt: skip
    store = open_store(f"sqlite:///{tmp_path}/unit.sqlite")
    store.write_batch(ex.listings(raws), [])
    return make_app(store)


def test_listing_page_shows_the_unit_price(tmp_path: Any) -> None:
    app = _app(tmp_path)
    page = call(app, "/listing", {"market": "m", "id": "pu"})
    assert page.status == 200
    assert "Per unit" in page.text
    assert "300.00 USD" in page.text.replace("\u00a0", " ")
    assert "3.00 USD each" in page.text.replace("\u00a0", " ")
    gram = call(app, "/listing", {"market": "m", "id": "gram"}).text.replace("\u00a0", " ")
    assert "450.00 USD" in gram and "90.00 USD / g" in gram
