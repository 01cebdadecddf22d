"""Places on Elasticsearch: the same answers as indexer/sqlite_places.py (city and district are keywords)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from onionwatch.indexer import elastic_queries as eq
from onionwatch.indexer.elastic_docs import listing_from_source
from onionwatch.indexer.query import page_bounds
from onionwatch.indexer.sqlite_places import summary

_ALL = 10000  # buckets per terms aggregation (a city has far fewer substances or districts)


def places(client: Any, index: str, market: str | None) -> list[dict[str, Any]]:
    query = eq.bool_filter({"exists": {"field": "city"}}, {"term": {"market": market}} if market else None,
                           must_not=[{"term": {"city": ""}}])  # fmt: skip
    sources = [eq.term_source("city", "city"), {"district": {"terms": {"field": "district", "missing_bucket": True}}}]
    out = [{"city": b["key"]["city"], "district": b["key"]["district"] or None, "listings": b["doc_count"]}
           for b in eq.composite(client, index, query, sources, {})]  # fmt: skip
    merged: dict[tuple[str, str | None], int] = {}
    for r in out:  # "" and missing districts are one bucket, as in SQLite's GROUP BY over NULLIF
        merged[(r["city"], r["district"])] = merged.get((r["city"], r["district"]), 0) + r["listings"]
    rows: list[dict[str, Any]] = [{"city": c, "district": d, "listings": n} for (c, d), n in merged.items()]
    rows.sort(key=lambda r: (-r["listings"], r["city"], r["district"] or ""))
    return rows


def city_summary(client: Any, index: str, cities: Sequence[str], limit: int, offset: int) -> dict[str, Any]:
    limit, offset = page_bounds(limit, offset)
    names = sorted(set(cities))
    if not names:
        return summary(0, [], [], {}, {})
    query = {"terms": {"city": names}}
    aggs = {
        "substances": {"terms": {"field": "substance", "size": _ALL},
                       "aggs": {"median": eq.MEDIAN, "priced": {"value_count": {"field": "price_per_gram_usd"}}}},
        "districts": {"terms": {"field": "district", "size": _ALL, "exclude": [""]}},
    }  # fmt: skip
    res = client.search(index=index, query=query, aggs=aggs, from_=offset, size=limit, track_total_hits=True,
                        sort=[{"last_seen": "desc"}, {"market": "asc"}, {"listing_id": "asc"}])  # fmt: skip
    a = res["aggregations"]
    subs = {}
    for b in a["substances"]["buckets"]:
        priced = int(b["priced"]["value"])
        med = b["median"]["values"].get("50.0") if priced else None
        subs[b["key"]] = (b["doc_count"], med, priced)
    sources = [eq.term_source("market", "market"), eq.term_source("vendor_key", "ow.vendor_key"),
               {"vendor_id": {"terms": {"field": "vendor_id", "missing_bucket": True}}}]  # fmt: skip
    vendors = [{"market": b["key"]["market"], "vendor": first_name(b), "vendor_id": b["key"]["vendor_id"],
                "listings": b["doc_count"]}
               for b in eq.composite(client, index, query, sources, FIRST_NAME)]  # fmt: skip
    return summary(res["hits"]["total"]["value"], [listing_from_source(h["_source"]) for h in res["hits"]["hits"]],
                   vendors, subs, {b["key"]: b["doc_count"] for b in a["districts"]["buckets"]})  # fmt: skip


# the smallest vendor name spelling in a bucket (SQLite: min(vendor))
FIRST_NAME = {"name": {"terms": {"field": "vendor", "size": 1, "order": {"_key": "asc"}}}}


def first_name(bucket: dict[str, Any]) -> str:
    found = bucket["name"]["buckets"]
    return found[0]["key"] if found else ""
