"""Elasticsearch watchlists: watches and alerts with SQLite's semantics (indexer/sqlite_watch.py,
indexer/watch_alerts.py), evaluated client-side after each batch's listings are written.

Alert ids: a ``new`` alert is doc_id(watch, market, listing) (one per listing ever, as before issue 13);
a ``price`` alert doc_id(watch, market, listing, "price", observed_at). Created with op ``create``, so a
replayed batch adds none. Acknowledgement and delivery marks are partial updates of unset fields.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from onionwatch.indexer.elastic_docs import doc_id
from onionwatch.indexer.query import QueryError, bound_ts, check_watch, listing_substances, now_ts
from onionwatch.indexer.sqlite_rows import PreparedRow
from onionwatch.indexer.sqlite_watch import check_unique
from onionwatch.indexer.sqlite_write import latest_per_key
from onionwatch.indexer.watch_alerts import ALERT_FIELDS, MARKS, Prior, decide, snapshot

if TYPE_CHECKING:
    from onionwatch.indexer.elastic import ElasticStore


def _definitions(store: ElasticStore) -> list[tuple[str, dict[str, Any]]]:
    hits = store._scan(store.names.alias("watches"), {"match_all": {}}, [{"seq": "asc"}])
    return [(h["_id"], h["_source"]["definition"]) for h in hits]


def add_watch(store: ElasticStore, watch: dict[str, Any]) -> str:
    w = check_watch(watch)
    check_unique(w, _definitions(store))
    wid = uuid.uuid4().hex[:16]
    doc = {"name": w["name"], "definition": w, "created_at": now_ts(), "seq": time.time_ns()}
    store.client.index(index=store.names.index("watches"), id=wid, document=doc, refresh="wait_for")
    return wid


def _get(store: ElasticStore, watch_id: str) -> dict[str, Any]:
    found = store._mget(store.names.alias("watches"), [str(watch_id)])
    if str(watch_id) not in found:
        raise QueryError(f"watch: no watch {str(watch_id)[:40]!r}")
    return found[str(watch_id)]


def update_watch(store: ElasticStore, watch_id: str, watch: dict[str, Any]) -> None:
    w = check_watch(watch)
    cur = _get(store, watch_id)
    check_unique(w, _definitions(store), skip=watch_id)
    doc = {**cur["_source"], "name": w["name"], "definition": w}
    store.client.index(index=cur["_index"], id=str(watch_id), document=doc, refresh="wait_for")


def remove_watch(store: ElasticStore, watch_id: str) -> bool:
    try:
        cur = _get(store, watch_id)
    except QueryError:
        return False
    from onionwatch.indexer.elastic_retention import _delete_matching  # no delete-by-query on the minimal server

    _delete_matching(store, store.names.alias("alerts"), {"term": {"watch_id": str(watch_id)}})
    store.client.delete(index=cur["_index"], id=str(watch_id), refresh="wait_for")
    return True


def watches(store: ElasticStore) -> list[dict[str, Any]]:
    hits = list(store._scan(store.names.alias("watches"), {"match_all": {}}, [{"seq": "asc"}]))
    counts: dict[str, list[int]] = {}
    for a in store._scan(store.names.alias("alerts"), {"match_all": {}}, [{"seq": "asc"}],
                         source=["watch_id", "acked_at"]):  # fmt: skip
        c = counts.setdefault(a["_source"]["watch_id"], [0, 0])
        c[0] += 1
        c[1] += a["_source"].get("acked_at") is None
    return [
        {"id": h["_id"], "name": h["_source"]["name"], "definition": h["_source"]["definition"],
         "created_at": h["_source"]["created_at"], "alerts": counts.get(h["_id"], [0, 0])[0],
         "unacked": counts.get(h["_id"], [0, 0])[1]}
        for h in hits
    ]  # fmt: skip


def _last_prices(store: ElasticStore, keys: list[tuple[str, str]]) -> dict[tuple[str, str, str], float | None]:
    """(watch_id, market, listing_id) -> price_usd of the latest alert, for the given listings."""
    out: dict[tuple[str, str, str], float | None] = {}
    if not keys:
        return out
    store.client.indices.refresh(index=store.names.alias("alerts"))
    wanted = set(keys)
    query = {"terms": {"listing_id": sorted({k[1] for k in keys})}}
    for h in store._scan(store.names.alias("alerts"), query, [{"seq": "asc"}]):
        s = h["_source"]
        if (s["market"], s["listing_id"]) in wanted:
            out[(s["watch_id"], s["market"], s["listing_id"])] = s.get("price_usd")
    return out


def evaluate(store: ElasticStore, rows: list[PreparedRow], before: dict[tuple[str, str], Prior | None],
             fps: dict[tuple[str, str], str | None], defs: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Bulk create actions for the alerts this batch raises. ``before``: the listings written by this batch
    (None: new; a Prior: the stored state it replaced); others (replays, older sightings) raise none."""
    latest = {k: r for k, r in latest_per_key(rows).items() if k in before}
    last = _last_prices(store, [k for k, p in before.items() if p is not None])
    created = now_ts()
    seq = time.time_ns()
    actions = []
    for key, row in latest.items():
        subs = listing_substances(row.record)
        for wid, w in defs:
            hit = decide(w, row.record, fps.get(key), row.seen, before[key], last.get((wid, *key)), subs)
            if hit is None:
                continue
            kind, old = hit
            did = doc_id(wid, *key) if kind == "new" else doc_id(wid, *key, "price", row.seen)
            seq += 1
            actions.append({
                "_op_type": "create", "_index": store.names.index("alerts"), "_id": did,
                "_source": {"watch_id": wid, "watch_name": w["name"], "kind": kind, "market": key[0],
                            "listing_id": key[1], **snapshot(row.record), "old_price_usd": old,
                            "observed_at": row.seen, "created_at": created, "seq": seq},
            })  # fmt: skip
    return actions


def alerts(store: ElasticStore, since: str | None, *, unacked: bool = False, watch_id: str | None = None,
           unmarked: str | None = None) -> list[dict[str, Any]]:
    filters: list[dict[str, Any]] = []
    if since:
        filters.append({"range": {"created_at": {"gte": bound_ts(since, end=False, field="since")}}})
    if watch_id is not None:
        filters.append({"term": {"watch_id": str(watch_id)}})
    must_not = []
    if unacked:
        must_not.append({"exists": {"field": "acked_at"}})
    if unmarked is not None:
        if unmarked not in MARKS:
            raise QueryError(f"alerts: unmarked: expected one of {', '.join(MARKS)}")
        must_not.append({"exists": {"field": unmarked}})
    query = {"bool": {"filter": filters, "must_not": must_not}}
    names = {wid: d["name"] for wid, d in _definitions(store)}
    hits = store._scan(store.names.alias("alerts"), query, [{"created_at": "asc"}, {"seq": "asc"}])
    out = []
    for h in hits:
        s = h["_source"]
        row = {f: s.get(f) for f in ALERT_FIELDS}
        row["id"] = h["_id"]
        row["kind"] = s.get("kind") or "new"
        row["watch_name"] = names.get(s["watch_id"], s.get("watch_name"))
        for f in ("url", "title", "vendor"):
            row[f] = row[f] or ""
        out.append(row)
    return out


def set_unset(store: ElasticStore, alert_ids: Iterable[str], fields: dict[str, Any]) -> int:
    """Partial update of alerts whose first field in ``fields`` is unset; returns how many changed."""
    ids = [str(i) for i in alert_ids]
    found = store._mget(store.names.alias("alerts"), ids)
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise QueryError(f"alert: no alert {unknown[0][:40]!r}")
    first = next(iter(fields))
    n = 0
    for i in ids:
        if found[i]["_source"].get(first) is None:
            store.client.update(index=found[i]["_index"], id=i, doc=fields)
            n += 1
    store.client.indices.refresh(index=store.names.alias("alerts"))
    return n


def acknowledge(store: ElasticStore, alert_ids: Iterable[str], actor: str) -> int:
    return set_unset(store, alert_ids, {"acked_at": now_ts(), "acked_by": actor})


def mark(store: ElasticStore, alert_ids: Iterable[str], field: str) -> int:
    if field not in MARKS:
        raise QueryError(f"alerts: mark: expected one of {', '.join(MARKS)}")
    return set_unset(store, alert_ids, {field: now_ts()})
