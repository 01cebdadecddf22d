"""Listings the drug-class model classed or disagrees with are marked on the listing page and in results,
and `review:yes` finds them (extractors/drug_class.py, indexer/query_values.py review_value)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from onionwatch.dashboards.web import make_app
from tests.dashboards.client import call
from tests.indexer import data


def _flagged(store: Any) -> None:
    a1 = data.base_listings()["a1"]
    model = replace(a1, listing_id="m1", title="<b>Gorilla</b> zip", substance=None, substances=[],
                    substance_class="cannabinoid", class_source="model", review=True, review_reason="model_class",
                    scraped_at="2024-03-01T00:00:00Z")  # fmt: skip
    disagree = replace(a1, listing_id="m2", class_source="lexicon", review=True, review_reason="model_disagrees",
                       scraped_at="2024-03-01T00:00:00Z")  # fmt: skip
    store.write_batch([model, disagree], [])


def test_listing_page_marks_a_model_class(store: Any) -> None:
    _flagged(store)
    r = call(make_app(store), "/listing", {"market": "alpha", "id": "m1"})
    assert r.status == 200
    assert "class from the trained model" in r.text and "the class is the trained model&#39;s guess" in r.text
    assert "&lt;b&gt;Gorilla&lt;/b&gt;" in r.text and "<b>Gorilla" not in r.text
    r = call(make_app(store), "/listing", {"market": "alpha", "id": "m2"})
    assert "gives another class than the substance names" in r.text
    assert "class from the trained model" not in r.text
    plain = call(make_app(store), "/listing", {"market": "alpha", "id": "a1"})
    assert "to review" not in plain.text


def test_search_filter_review_yes(store: Any) -> None:
    _flagged(store)
    r = call(make_app(store), "/", {"q": "review:yes"})
    assert r.status == 200
    ids = sorted(re.findall(r'href="/listing\?market=\w+&amp;id=(\w+)"', r.text))
    assert ids == ["m1", "m2"]
    assert "review: cannabinoid?" in r.text
    r = call(make_app(store), "/", {"q": "review:model_disagrees"})
    assert sorted(re.findall(r'href="/listing\?market=\w+&amp;id=(\w+)"', r.text)) == ["m2"]
