"""indexer/elastic_queries.py search_bodies: hits and facet counts as two requests; the facet request is
answered from the server's request cache when repeated, and never stale after a refresh (real server)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from onionwatch.indexer import elastic_queries as eq
from onionwatch.indexer.elastic_templates import Capabilities
from onionwatch.indexer.query import FACETS
from onionwatch.indexer.query_lang import resolve
from onionwatch.indexer.store import SearchQuery
from tests.indexer import data
from tests.indexer.test_elastic import require_es


def _bodies(q: SearchQuery, limit: int = 20):
    node, q = resolve(q)
    return eq.search_bodies(q, node, Capabilities(), limit, 0)


def test_match_all_facets_are_a_separate_size_0_request_of_bare_terms_aggregations() -> None:
    hits, facets = _bodies(SearchQuery())
    assert "aggs" not in hits and "post_filter" not in hits
    assert hits["size"] == 20 and hits["track_total_hits"] is True and hits["track_scores"] is False
    assert facets is not None and facets["size"] == 0 and facets["track_total_hits"] is False
    assert set(facets["aggs"]) == set(FACETS)
    assert all(set(a) == {"terms"} for a in facets["aggs"].values())  # no filter wrapper: nothing selected
    assert facets["query"] == hits["query"]


def test_a_selection_filters_the_hits_and_the_other_facets_but_not_its_own() -> None:
    hits, facets = _bodies(SearchQuery(market="alpha", text="mdma"))
    assert hits["post_filter"] == {"bool": {"filter": [{"terms": {"market": ["alpha"]}}]}}
    assert facets is not None and "post_filter" not in facets
    assert facets["aggs"]["market"] == {"terms": {"field": "market", "size": eq.FACET_SIZE}}
    sub = facets["aggs"]["substance"]
    assert sub["filter"] == {"bool": {"filter": [{"terms": {"market": ["alpha"]}}]}} and "b" in sub["aggs"]
    assert "should" in hits["query"]["bool"] and "should" not in facets["query"]["bool"]  # ranking: hits only
    assert facets["query"]["bool"]["filter"] == hits["query"]["bool"]["filter"]


def test_no_facets_wanted_means_no_facet_request() -> None:
    hits, facets = _bodies(SearchQuery(facets=()))
    assert facets is None and "aggs" not in hits


def _cache_hits(store) -> int:
    stats = store.client.indices.stats(index=store.names.alias("listings"), metric="request_cache")
    return int(stats["_all"]["total"]["request_cache"]["hit_count"])


@pytest.mark.elasticsearch
def test_repeated_facets_come_from_the_request_cache_and_a_refresh_makes_them_current(tmp_path: Path) -> None:
    from onionwatch.indexer.elastic import ElasticStore

    store = ElasticStore(f"{require_es()}/?index_prefix=ow-q-{uuid.uuid4().hex[:8]}", spool_dir=tmp_path / "s")
    try:
        batches = data.batches()
        store.write_batch(*batches[0])
        first = store.search(SearchQuery())
        before = _cache_hits(store)
        again = store.search(SearchQuery())
        assert again == first
        assert _cache_hits(store) > before  # the facet request was answered from the cache
        narrowed = store.search(SearchQuery(market="klad", facets=("market", "substance")))
        assert set(narrowed.facets) == {"market", "substance"} and narrowed.total < first.total
        assert narrowed.facets["market"] == first.facets["market"]  # its own selection ignored
        for listings, vendors in batches[1:]:
            store.write_batch(listings, vendors)  # refreshed after each batch (no ?refresh=false)
        after = store.search(SearchQuery())
        assert after.total > first.total
        assert sum(after.facets["market"].values()) == after.total  # counted again, not the cached answer
    finally:
        store.drop()
        store.close()
