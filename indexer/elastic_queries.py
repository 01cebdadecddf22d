"""Elasticsearch query and aggregation bodies for search, facets and trends (same answers as SQLite).

Semantics are those of indexer/sqlite_search.py and indexer/sqlite_trends.py. Distinct counts use the
``cardinality`` aggregation with precision_threshold 40000 (exact in practice below that many distinct
values per bucket); medians use ``percentiles`` (the server's hybrid t-digest sorts small buckets, so
the median is exact there, the mean of the two middle values for an even count; approximate beyond
several thousand values per bucket). Every composite aggregation is paged to the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from onionwatch.indexer.changes import check_status
from onionwatch.indexer.elastic_docs import query_terms
from onionwatch.indexer.elastic_templates import Capabilities
from onionwatch.indexer.query import FACET_SIZE, bound_ts, check_interval, check_number, vendor_key
from onionwatch.indexer.store import SearchQuery

PRECISION = 40000
COMPOSITE_PAGE = 1000
_TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def ms_to_ts(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime(_TS_FORMAT)


def search_filters(q: SearchQuery, identifier: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Filter clauses over the listings index (raises QueryError on malformed input); ``identifier``: the
    clause for q.identifier (indexer/elastic_pivots.py identifier_clause, it needs the vendors index)."""
    f: list[dict[str, Any]] = []
    if identifier is not None:
        f.append(identifier)
    if q.market:
        f.append({"term": {"market": q.market}})
    if q.vendor:
        f.append({"term": {"ow.vendor_key": vendor_key(q.vendor)}})
    if q.substance:
        f.append({"term": {"ow.substances": q.substance.strip().casefold()}})
    if q.substance_class:
        f.append({"term": {"ow.classes": q.substance_class.strip().casefold()}})
    price_min = check_number(q.price_min, "price_min")
    price_max = check_number(q.price_max, "price_max")
    if price_min is not None or price_max is not None:
        rng: dict[str, float] = {}
        if price_min is not None:
            rng["gte"] = price_min
        if price_max is not None:
            rng["lte"] = price_max
        f.append({"range": {"price_usd": rng}})
    if q.since:
        f.append({"range": {"last_seen": {"gte": bound_ts(q.since, end=False, field="since")}}})
    if q.until:
        f.append({"range": {"first_seen": {"lte": bound_ts(q.until, end=True, field="until")}}})
    status = check_status(q.status)
    if status == "gone":
        f.append({"term": {"status": "gone"}})
    elif status == "live":  # documents from before change-only recrawls have no status: live
        f.append({"bool": {"must_not": [{"term": {"status": "gone"}}]}})
    for term in query_terms(q.text):
        f.append({"prefix": {"ow.tokens": term}})
    return f


def search_body(q: SearchQuery, caps: Capabilities, limit: int, offset: int,
                identifier: dict[str, Any] | None = None) -> dict[str, Any]:
    terms = query_terms(q.text)
    query: dict[str, Any] = {"bool": {"filter": search_filters(q, identifier)}}
    if terms:
        # Ranking only (matching is the prefix filters): title 10, vendor 3, description 1, like SQLite's
        # BM25 weights; stemmed subfields join in where the server has the analyzers.
        fields = ["title^10", "vendor.text^3", "description"]
        if caps.english:
            fields += ["title.en^5", "description.en^0.5"]
        if caps.russian:
            fields += ["title.ru^5", "description.ru^0.5"]
        text = " ".join(terms)
        query["bool"]["should"] = [
            {"multi_match": {"query": text, "fields": fields, "type": "most_fields"}},
        ]
    sort: list[Any] = [{"last_seen": "desc"}, {"market": "asc"}, {"listing_id": "asc"}]
    if terms:
        sort = ["_score", *sort]
    return {
        "query": query,
        "from": offset,
        "size": limit,
        "sort": sort,
        "track_total_hits": True,
        "track_scores": True,
        "aggs": {
            "market": {"terms": {"field": "market", "size": FACET_SIZE}},
            "substance": {"terms": {"field": "ow.known_substances", "size": FACET_SIZE}},
            "substance_class": {"terms": {"field": "ow.known_classes", "size": FACET_SIZE}},
        },
    }


def composite(
    client: Any, index: str, query: dict[str, Any], sources: list[dict[str, Any]], aggs: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """Every bucket of a composite aggregation, page after page."""
    after: dict[str, Any] | None = None
    while True:
        comp: dict[str, Any] = {"size": COMPOSITE_PAGE, "sources": sources}
        if after:
            comp["after"] = after
        body = {"size": 0, "query": query, "aggs": {"c": {"composite": comp, "aggs": aggs}}}
        res = client.search(index=index, body=body)
        agg = res["aggregations"]["c"]
        yield from agg["buckets"]
        after = agg.get("after_key")
        if not after or len(agg["buckets"]) < COMPOSITE_PAGE:
            return


def period_source(interval: str) -> dict[str, Any]:
    interval = check_interval(interval)
    return {
        "period": {
            "date_histogram": {
                "field": "observed_at",
                "calendar_interval": interval,
                "format": "yyyy-MM-dd",
                "time_zone": "UTC",
            }
        }
    }


def term_source(name: str, field: str) -> dict[str, Any]:
    return {name: {"terms": {"field": field}}}


def distinct(field: str) -> dict[str, Any]:
    return {"cardinality": {"field": field, "precision_threshold": PRECISION}}


MEDIAN = {"percentiles": {"field": "price_per_gram_usd", "percents": [50], "tdigest": {"compression": 1000}}}


def bool_filter(*clauses: dict[str, Any] | None, must_not: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"filter": [c for c in clauses if c]}
    if must_not:
        out["must_not"] = must_not
    return {"bool": out}
