"""Identifier filter and pivots on Elasticsearch: the same answers as indexer/sqlite_identifiers.py.

Listing and vendor documents carry their identifiers as ``ow.identifiers`` ("kind:value" keywords, written with
the document, indexer/elastic_docs.py). A listing matches an identifier when its own document carries it or its
vendor's profile does (``ow.vendor_ref`` of the vendors whose document carries it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from onionwatch.errors import StoreError
from onionwatch.indexer import elastic_queries as eq
from onionwatch.indexer import identifiers as ids
from onionwatch.indexer.elastic_docs import doc_id, listing_from_source
from onionwatch.indexer.elastic_places import FIRST_NAME, first_name
from onionwatch.indexer.sqlite_identifiers import PIVOT_LISTINGS

Scan = Callable[..., Iterator[dict[str, Any]]]


def vendor_sources(scan: Scan, vendors_index: str, key: str) -> list[dict[str, Any]]:
    query = {"term": {"ow.identifiers": key}}
    return [h["_source"] for h in scan(vendors_index, query, [{"ow.key": "asc"}])]


def identifier_clause(scan: Scan, vendors_index: str, identifier: str) -> dict[str, Any]:
    """The listings filter for SearchQuery.identifier (QueryError when malformed)."""
    key = ids.key(*ids.parse(identifier))
    refs = [f"{v['market']}:{v['vendor_id']}" for v in vendor_sources(scan, vendors_index, key)]
    should: list[dict[str, Any]] = [{"term": {"ow.identifiers": key}}]
    if refs:
        should.append({"terms": {"ow.vendor_ref": refs}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _stats(client: Any, listings_index: str, market: str, vendor_id: str | None, name_key: str) -> tuple:
    """(listings, first_seen, last_seen) of a vendor's listings, as sqlite_identifiers counts them."""
    no_id = {"bool": {"must_not": [{"exists": {"field": "vendor_id"}}],
                      "filter": [{"term": {"ow.vendor_key": name_key}}]}}  # fmt: skip
    should = [no_id] if vendor_id is None else [{"term": {"vendor_id": vendor_id}}, no_id]
    query = {"bool": {"filter": [{"term": {"market": market}}], "should": should, "minimum_should_match": 1}}
    aggs = {"first": {"min": {"field": "first_seen"}}, "last": {"max": {"field": "last_seen"}}}
    r = client.search(index=listings_index, query=query, aggs=aggs, size=0, track_total_hits=True)
    n = r["hits"]["total"]["value"]
    a = r["aggregations"]
    if not n:
        return 0, None, None
    return n, eq.ms_to_ts(a["first"]["value"]), eq.ms_to_ts(a["last"]["value"])


def _entry(src: dict[str, Any] | None, market: str, vendor_id: str | None, name: str, stats: tuple,
           in_profile: bool) -> dict[str, Any]:
    n, first, last = stats
    firsts = [x for x in (first, src["first_seen"] if src else None) if x]
    lasts = [x for x in (last, src["last_seen"] if src else None) if x]
    return {"market": market, "vendor_id": vendor_id, "name": src["name"] if src else name, "listings": n,
            "matching_listings": 0, "in_profile": in_profile, "first_seen": min(firsts, default=None),
            "last_seen": max(lasts, default=None)}  # fmt: skip


def pivot(client: Any, scan: Scan, listings_index: str, vendors_index: str, identifier: str) -> dict[str, Any]:
    kind, value = ids.parse(identifier)
    key = ids.key(kind, value)
    vendors: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for src in vendor_sources(scan, vendors_index, key):
        stats = _stats(client, listings_index, src["market"], src["vendor_id"], src["ow"]["name_key"])
        vendors[(src["market"], src["vendor_id"], src["ow"]["name_key"])] = _entry(
            src, src["market"], src["vendor_id"], src["name"], stats, True)  # fmt: skip
    carried = {"term": {"ow.identifiers": key}}
    sources: list[dict[str, Any]] = [{"market": {"terms": {"field": "market"}}},
               {"vendor_id": {"terms": {"field": "vendor_id", "missing_bucket": True}}},
               {"vendor_key": {"terms": {"field": "ow.vendor_key"}}}]  # fmt: skip
    for b in eq.composite(client, listings_index, carried, sources, FIRST_NAME):
        market, vendor_id, vkey = b["key"]["market"], b["key"]["vendor_id"], b["key"]["vendor_key"]
        name = first_name(b)
        entry = next((e for (m, vid, k), e in vendors.items()
                      if m == market and (vid == vendor_id if vendor_id is not None else vid is None and k == vkey)),
                     None)  # fmt: skip
        if entry is None:
            stored = _vendor_src(client, vendors_index, market, vendor_id) if vendor_id is not None else None
            name_key = stored["ow"]["name_key"] if stored else vkey
            entry = _entry(stored, market, vendor_id, name, _stats(client, listings_index, market, vendor_id, name_key),
                           False)  # fmt: skip
            vendors[(market, vendor_id, vkey)] = entry
        entry["matching_listings"] += b["doc_count"]
    res = client.search(index=listings_index, query=carried, size=PIVOT_LISTINGS, track_total_hits=True,
                        sort=[{"last_seen": "desc"}, {"market": "asc"}, {"listing_id": "asc"}])  # fmt: skip
    listings = [listing_from_source(h["_source"]) for h in res["hits"]["hits"]]
    return ids.pivot_result(kind, value, list(vendors.values()), listings, res["hits"]["total"]["value"])


def _vendor_src(client: Any, vendors_index: str, market: str, vendor_id: str) -> dict[str, Any] | None:
    from elasticsearch import NotFoundError

    try:
        return client.get(index=vendors_index, id=doc_id(market, vendor_id))["_source"]  # type: ignore[no-any-return]
    except NotFoundError:
        return None


def lacks_identifiers(mapping: dict[str, Any]) -> bool:
    """An index created before version 7 (its mapping has no ``ow.identifiers``): its documents need a backfill."""
    ow = mapping.get("properties", {}).get("ow", {}).get("properties", {})
    return "identifiers" not in ow


def backfill(client: Any, scan: Scan, index: str, kind: str) -> int:
    """Give every document of a listings or vendors index its ``ow.identifiers`` (an index from before they were
    kept on write); returns how many documents were updated. Bulk errors raise (nothing is swallowed)."""
    from elasticsearch.helpers import BulkIndexError, bulk

    fields = ["title", "description", "vendor"] if kind == "listings" else \
        ["name", "pgp_fingerprint", "contacts", "crypto_addresses"]  # fmt: skip
    make = ids.from_listing if kind == "listings" else ids.from_vendor
    actions = ({"_op_type": "update", "_index": h["_index"], "_id": h["_id"],
                "doc": {"ow": {"identifiers": ids.keys(make(h["_source"]))}}}
               for h in scan(index, {"match_all": {}}, [{"_doc": "asc"}], source=fields))  # fmt: skip
    try:
        done, _ = bulk(client, actions, chunk_size=500, refresh="wait_for")
    except BulkIndexError as e:
        raise StoreError(f"index {index}: identifier backfill failed for {len(e.errors)} document(s): "
                         f"{str(e.errors[:1])[:300]}") from None
    return int(done)
