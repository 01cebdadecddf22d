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
from onionwatch.indexer.elastic_docs import fold
from onionwatch.indexer.elastic_templates import Capabilities
from onionwatch.indexer.query import (
    FACET_SIZE,
    FACETS,
    bound_ts,
    check_interval,
    check_number,
    facet_values,
    vendor_key,
    wanted_facets,
)
from onionwatch.indexer.query_lang import And, Filter, Node, Not, Phrase, Term, check_sort, positive_terms
from onionwatch.indexer.query_values import review_value
from onionwatch.indexer.search_keys import country_key, place_key, query_stem, substance_of
from onionwatch.indexer.sqlite_query import seen_bounds
from onionwatch.indexer.store import SearchQuery

PRECISION = 40000
COMPOSITE_PAGE = 1000
_TS_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def ms_to_ts(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime(_TS_FORMAT)


def _ts_range(field: str, **bounds: str | None) -> dict[str, Any]:
    return {"range": {field: {k: v for k, v in bounds.items() if v is not None}}}


def word_clauses(node: Term | Phrase) -> list[dict[str, Any]]:
    """The alternatives a word or phrase matches (indexer/sqlite_query.py word_match)."""
    if isinstance(node, Term) and len(node.words) == 1:
        word = node.words[0]
        out: list[dict[str, Any]] = [{"prefix": {"ow.tokens": fold(word)}}]
        if node.prefix:
            return out
        out.append({"prefix": {"ow.stems": query_stem(word)}})
    else:
        phrase = " ".join(query_stem(w) for w in node.words)
        out = [{"match_phrase": {"ow.stem_text": {"query": phrase, "analyzer": "whitespace"}}}]
    canonical = substance_of(node.raw)
    if canonical:
        out.append({"term": {"ow.substances": canonical}})
    return out


def node_query(node: Node) -> dict[str, Any]:
    """The query-language tree as a bool query (filter context: matching only)."""
    if isinstance(node, Term | Phrase):
        return {"bool": {"should": word_clauses(node), "minimum_should_match": 1}}
    if isinstance(node, Filter):
        return filter_query(node)
    if isinstance(node, Not):
        return {"bool": {"must_not": [node_query(node.child)]}}
    kids = [node_query(c) for c in node.children]
    if isinstance(node, And):
        return {"bool": {"filter": kids}}
    return {"bool": {"should": kids, "minimum_should_match": 1}}


def filter_query(f: Filter) -> dict[str, Any]:
    v = f.value
    if f.field == "market":
        return {"term": {"market": v.casefold()}}
    if f.field == "vendor":
        return {"term": {"ow.vendor_key": vendor_key(v)}}
    if f.field == "substance":
        return {"term": {"ow.substances": substance_of(v) or v.casefold()}}
    if f.field == "class":
        return {"term": {"ow.classes": v.casefold()}}
    if f.field in ("city", "district"):
        return {"term": {f"ow.{f.field}_key": place_key(v)}}
    if f.field == "country":
        return {"term": {"country": country_key(v) or v}}
    if f.field == "review":
        want = review_value(v)
        if want is True:
            return {"term": {"review": True}}
        if want is False:  # documents from before the field count as not flagged
            return {"bool": {"must_not": [{"term": {"review": True}}]}}
        return {"term": {"review_reason": want}}
    r = f.range
    assert r is not None
    if f.field == "price":
        rng: dict[str, float] = {}
        if r.low is not None:
            rng["gte" if r.low_inclusive else "gt"] = float(r.low)
        if r.high is not None:
            rng["lte" if r.high_inclusive else "lt"] = float(r.high)
        return {"range": {"price_usd": rng}}
    since, until, inclusive = seen_bounds(r)
    parts = []
    if since:
        parts.append(_ts_range("last_seen", gte=since))
    if until:
        parts.append(_ts_range("first_seen", **{"lte" if inclusive else "lt": until}))
    return {"bool": {"filter": parts}}


def base_filters(q: SearchQuery, node: Node | None, identifier: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Everything but the facet selections (raises QueryError on malformed input); ``identifier``: the clause
    for q.identifier (indexer/elastic_pivots.py identifier_clause, built with the vendors index)."""
    f: list[dict[str, Any]] = [identifier] if identifier is not None else []
    if q.vendor:
        f.append({"term": {"ow.vendor_key": vendor_key(q.vendor)}})
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
    if node is not None:
        f.append(node_query(node))
    return f


_FACET_FIELDS = {"market": "market", "substance": "ow.substances", "substance_class": "ow.classes",
                 "country": "country", "city": "ow.city_key", "district": "ow.district_key"}  # fmt: skip
# the fields facets count (known substances only; places as stored, not their keys)
_BUCKET_FIELDS = {"market": "market", "substance": "ow.known_substances", "substance_class": "ow.known_classes",
                  "country": "country", "city": "city", "district": "district"}  # fmt: skip


def facet_filters(q: SearchQuery) -> dict[str, dict[str, Any]]:
    """facet name -> terms filter of its selected values (indexer/sqlite_query.py facet_conds)."""
    out: dict[str, dict[str, Any]] = {}
    for name in FACETS:
        values = facet_values(getattr(q, name))
        if not values:
            continue
        if name in ("substance", "substance_class"):
            keys = [v.casefold() for v in values]
        elif name == "country":
            keys = [country_key(v) or v for v in values]
        elif name in ("city", "district"):
            keys = [k for v in values if (k := place_key(v))]
        else:
            keys = list(values)
        out[name] = {"terms": {_FACET_FIELDS[name]: keys}}
    return out


SORTS: dict[str, list[Any]] = {
    "newest": [{"last_seen": "desc"}, {"market": "asc"}, {"listing_id": "asc"}],
    "oldest": [{"first_seen": "asc"}, {"market": "asc"}, {"listing_id": "asc"}],
    "price_asc": [{"price_usd": {"order": "asc", "missing": "_last"}}],
    "price_desc": [{"price_usd": {"order": "desc", "missing": "_last"}}],
    "ppg_asc": [{"price_per_gram_usd": {"order": "asc", "missing": "_last"}}],
}
_TIES = SORTS["newest"]
RANK_SUBSTANCE = 100.0  # as indexer/sqlite_search.py


def search_bodies(q: SearchQuery, node: Node | None, caps: Capabilities, limit: int, offset: int,
                  identifier: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(hits, facets): the hits request (page, sort, total after the facet selections) and the facet counts
    as a separate ``size: 0`` request (None when no facet is wanted). The server's shard request cache
    keeps size-0 answers until a refresh changes the index, so a repeated facet request (the match-all
    landing page, a dashboard panel) is answered from it; the hits request never was cacheable."""
    terms = positive_terms(node)
    sort_name = check_sort(q.sort, bool(terms))
    base = base_filters(q, node, identifier)
    selected = facet_filters(q)
    query: dict[str, Any] = {"bool": {"filter": base}}
    if sort_name == "relevance":
        query["bool"]["should"] = rank_clauses(terms, caps)
    sort: list[Any] = ["_score", *_TIES] if sort_name == "relevance" else SORTS[sort_name]
    if sort_name.startswith(("price", "ppg")):
        sort = [*sort, *_TIES]
    hits: dict[str, Any] = {"query": query, "from": offset, "size": limit, "sort": sort, "track_total_hits": True,
                            "track_scores": sort_name == "relevance"}  # fmt: skip
    if selected:
        hits["post_filter"] = {"bool": {"filter": list(selected.values())}}
    aggs: dict[str, Any] = {}
    for name in wanted_facets(q.facets):
        others = [c for n, c in selected.items() if n != name]
        bucket = {"terms": {"field": _BUCKET_FIELDS[name], "size": FACET_SIZE}}
        aggs[name] = {"filter": {"bool": {"filter": others}}, "aggs": {"b": bucket}} if others else bucket
    if not aggs:
        return hits, None
    facet_query = {"bool": {"filter": base}}  # no scoring: the counts need matching only
    return hits, {"query": facet_query, "size": 0, "track_total_hits": False, "aggs": aggs}


def rank_clauses(terms: list[Term | Phrase], caps: Capabilities) -> list[dict[str, Any]]:
    """Scoring only (matching is the filter): stemmed words, title 10, vendor 3, description 1, like SQLite's
    BM25 weights, the analyzers' subfields where the server has them, and RANK_SUBSTANCE for a named
    substance."""
    if not terms:
        return []
    text = " ".join(query_stem(w) for t in terms for w in t.words)
    out: list[dict[str, Any]] = [{"match": {"ow.stem_text": {"query": text, "analyzer": "whitespace"}}}]
    words = " ".join(w for t in terms for w in t.words)
    fields = ["title^10", "vendor.text^3", "description"]
    if caps.english:
        fields += ["title.en^5", "description.en^0.5"]
    if caps.russian:
        fields += ["title.ru^5", "description.ru^0.5"]
    out.append({"multi_match": {"query": words, "fields": fields, "type": "most_fields"}})
    subs = sorted({c for t in terms if not (isinstance(t, Term) and t.prefix) and (c := substance_of(t.raw))})
    if subs:
        out.append({"constant_score": {"filter": {"terms": {"ow.known_substances": subs}}, "boost": RANK_SUBSTANCE}})
    return out


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
