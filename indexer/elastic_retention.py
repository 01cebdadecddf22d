"""Retention on Elasticsearch: the same purge as indexer/sqlite_retention.py, by queries and bulk writes.

Listings go with their observations and alerts (delete-by-query on their keys); a vendor's personal fields
are emptied by re-indexing its document under its own external version (`external_gte`), so a later
sighting still overwrites it. Not one transaction: every step is idempotent, a re-run finishes the job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from onionwatch.indexer import elastic_rollups
from onionwatch.indexer.elastic_docs import INTERNAL, doc_id
from onionwatch.indexer.store import PERSONAL_FIELDS, PurgeResult, PurgeRules

if TYPE_CHECKING:
    from onionwatch.indexer.elastic import ElasticStore

CHUNK = 500


def purge(store: ElasticStore, rules: PurgeRules, dry_run: bool) -> PurgeResult:
    result = PurgeResult()
    store.client.indices.refresh(index=",".join(store.names.alias(k) for k in ("listings", "vendors")))
    if rules.listings_before is not None:
        _listings(store, rules, dry_run, result)
    if rules.vendor_personal_before is not None:
        _vendors(store, rules, dry_run, result)
    if not dry_run and (result.listings or result.vendors):
        store.client.indices.refresh(index=",".join(store.names.alias(k) for k in ("listings", "vendors", "alerts")),
                                     ignore_unavailable=True)  # fmt: skip
    return result


def _older(before: str) -> dict[str, Any]:
    return {"range": {"last_seen": {"lt": before}}}


def _sorted(items: list[dict[str, Any]], id_key: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda d: (d["market"], d[id_key]))


def _listings(store: ElasticStore, rules: PurgeRules, dry_run: bool, result: PurgeResult) -> None:
    assert rules.listings_before is not None
    doomed: list[str] = []
    for h in store._scan(store.names.alias("listings"), _older(rules.listings_before), [{"ow.key": "asc"}]):
        src = h["_source"]
        market, listing_id = src["market"], src["listing_id"]
        if rules.held.listing_held(market, listing_id, src.get("vendor_id")):
            result.held.append({"kind": "listing", "market": market, "id": listing_id, "last_seen": src["last_seen"]})
            continue
        doomed.append(src[INTERNAL]["key"])
        result.listings.append({"market": market, "listing_id": listing_id, "last_seen": src["last_seen"],
                                "observations": 0})  # fmt: skip
    counts = _observation_counts(store, doomed)
    for item in result.listings:
        item["observations"] = counts.get(f"{item['market']}:{item['listing_id']}", 0)
    result.listings = _sorted(result.listings, "listing_id")
    result.held = _sorted(result.held, "id")
    if dry_run:
        return
    for i in range(0, len(doomed), CHUNK):
        keys = doomed[i : i + CHUNK]
        store.rollups.remove(elastic_rollups.listing_rows(store._scan, store.names.alias("listings"),
                                                          store.names.observations, keys))  # fmt: skip
        pairs = [k.split(":", 1) for k in keys]
        alerts = {"bool": {"should": [{"bool": {"filter": [{"term": {"market": m}}, {"term": {"listing_id": x}}]}}
                                      for m, x in pairs], "minimum_should_match": 1}}  # fmt: skip
        _delete_matching(store, store.names.observations, {"terms": {"key": keys}})
        _delete_matching(store, store.names.alias("alerts"), alerts)
        _delete_matching(store, store.names.alias("listings"), {"terms": {"ow.key": keys}})


def _delete_matching(store: ElasticStore, index: str, query: dict[str, Any]) -> None:
    """Delete every document matching `query` (found by search, removed by bulk: no delete-by-query, which
    the minimal server distribution lacks). StoreError-worthy failures raise ApiError from the client."""
    if not store.client.indices.exists_alias(name=index) and not store.client.indices.exists(index=index):
        return
    while True:  # search, delete, refresh, again: no paging over a result set that is being deleted
        hits = store.client.search(index=index, query=query, size=CHUNK, source=False)["hits"]["hits"]
        if not hits:
            return
        ops = [{"delete": {"_index": h["_index"], "_id": h["_id"]}} for h in hits]
        res = store.client.bulk(operations=ops, refresh=True)
        if res.get("errors"):
            bad = [item["delete"] for item in res["items"] if item["delete"].get("status") not in (200, 404)]
            if bad:
                raise RetentionWriteError(f"{index}: {len(bad)} document(s) not deleted, first: {bad[0]}")
        if not any(item["delete"].get("status") == 200 for item in res["items"]):
            return  # only already-gone documents left in the (not yet refreshed) answer


class RetentionWriteError(RuntimeError):
    """The server refused some deletions (turned into StoreError by ElasticStore.purge)."""


def _observation_counts(store: ElasticStore, keys: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(keys), CHUNK):
        chunk = keys[i : i + CHUNK]
        res = store.client.search(index=store.names.observations, query={"terms": {"key": chunk}}, size=0,
                                  aggs={"k": {"terms": {"field": "key", "size": len(chunk)}}},
                                  ignore_unavailable=True)  # fmt: skip
        for b in (res.get("aggregations") or {}).get("k", {}).get("buckets", []):
            out[b["key"]] = b["doc_count"]
    return out


def _held_listing_vendors(store: ElasticStore, rules: PurgeRules) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for market, listing_id in rules.held.listings:
        src = store._get_listing(market, listing_id)
        if src and src.get("vendor_id"):
            out.add((market, src["vendor_id"]))
    return out


def _vendors(store: ElasticStore, rules: PurgeRules, dry_run: bool, result: PurgeResult) -> None:
    from onionwatch.indexer.elastic import _seconds as seconds  # the version its writes gave it

    assert rules.vendor_personal_before is not None
    held_via_listing = _held_listing_vendors(store, rules)
    personal = {"bool": {"should": [{"exists": {"field": f}} for f in
                                    ("pgp_fingerprint", "pgp_key_id", "ow.contacts", "ow.crypto")],
                         "minimum_should_match": 1}}  # fmt: skip
    query = {"bool": {"filter": [_older(rules.vendor_personal_before), personal]}}
    held, purged = [], []
    for h in store._scan(store.names.alias("vendors"), query, [{"ow.key": "asc"}]):
        src = h["_source"]
        market, vendor_id = src["market"], src["vendor_id"]
        if rules.held.vendor_held(market, vendor_id, held_via_listing):
            held.append({"kind": "vendor", "market": market, "id": vendor_id, "last_seen": src["last_seen"]})
            continue
        purged.append({"market": market, "vendor_id": vendor_id, "last_seen": src["last_seen"],
                       "fields": list(PERSONAL_FIELDS)})  # fmt: skip
        if not dry_run:
            src = {**src, "contacts": {}, "crypto_addresses": {}, "pgp_fingerprint": None, "pgp_key_id": None}
            src[INTERNAL] = {**src[INTERNAL], "contacts": [], "crypto": [], "doc_hash": ""}
            store.client.index(index=h["_index"], id=doc_id(market, vendor_id), document=src,
                               version=seconds(src["last_seen"]), version_type="external_gte")  # fmt: skip
    result.vendors = _sorted(purged, "vendor_id")
    result.held += _sorted(held, "id")
