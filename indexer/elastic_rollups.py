"""Elasticsearch trend rollups, kept on write: the SQLite rollups (indexer/sqlite_rollups.py) as documents.

Trends read a few hundred documents instead of scanning every observation into Python. Each listing
contributes its carried segments (indexer/changes.py `segments`) as +1 at the first period and -1 after
the last, exactly as in SQLite (the same `sqlite_rollups.Deltas` computes them). Index ``<prefix>-rollups``
holds one document per key with its deltas per period in ``d`` (``{"<period index>": delta}``, not indexed):

- ``counts``  (interval, substance, market): listings per carried substance, EXACT.
- ``prices``  (interval, substance, chunk): ``{"<period>:<bucket>": [n, micros]}``, the SQLite price
  histogram (trend_prices); the count is EXACT, the median the mean price of the bucket holding the middle
  rank (exact when that bucket holds one price, else within it, ~2 %: as SQLite, sqlite_rollups.py explains).
  A chunk is CHUNK[interval] consecutive periods, so a trend reads a few dozen documents and a write rewrites
  only the chunks its periods fall in.
- ``vendor``  (interval, market, vendor_key): how many of the vendor's listings are carried.
- ``vendors`` (interval, market): +1/-1 at the bounds of each vendor's active ranges, EXACT distinct
  active vendors (changed from the ``vendor`` documents a flush touches, before and after).
- ``state``: ``built`` once the rollups hold every stored listing (a new index, or `backfill`).
- ``dirty``: one per writing store instance, from before its first write until its rollups are flushed
  and it closes; one older than STALE_MINUTES is a writer that died mid-way: the rollups are rebuilt.

Write path (`Batch`, one per write_batch): the stored observations the write already reads (change-only
check) and the listings' stored last_seen are the "before" rows; the same plus the observations the bulk
created and the new last_seen are the "after" rows; the difference goes into `Rollups.pending`, flushed
after every batch, or every FLUSH_LISTINGS listings (and at the end) inside `bulk_loading()`. A flush
reads the touched documents (mget) and writes them back with ``if_seq_no``/``if_primary_term``, re-reading
on a conflict, so concurrent writers add up instead of overwriting each other.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from onionwatch.indexer import changes, sqlite_rollups
from onionwatch.indexer.changes import ObsRow
from onionwatch.indexer.elastic_docs import doc_id
from onionwatch.indexer.query import check_interval, now_ts

log = logging.getLogger(__name__)

ROW_FIELDS = ["key", "observed_at", "market", "substance", "price_per_gram_usd", "vendor_key"]
FLUSH_LISTINGS = 50_000  # inside bulk_loading(): flush the pending deltas after this many listings
STALE_MINUTES = 15
MGET_CHUNK = 2000
RETRIES = 8
CHUNK = {"day": 31, "week": 13, "month": 10**9}  # periods per prices document

Scan = Callable[..., Iterator[dict[str, Any]]]


def obs_row(src: dict[str, Any], last_seen: str) -> ObsRow:
    """An observation document's rollup fields (ROW_FIELDS) with its listing's last_seen."""
    return ObsRow(src["key"], src["observed_at"], src["market"], src.get("substance"), src.get("price_per_gram_usd"),
                  src.get("vendor_key") or "", last_seen)  # fmt: skip


class Batch:
    """One write batch: what the write read before (stored observations, last_seen) and what it wrote."""

    def __init__(self) -> None:
        self.stored: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)  # key -> observed_at -> fields
        self.last_seen: dict[str, str] = {}  # listing key -> stored last_seen
        self.new_obs: dict[str, tuple[str, dict[str, Any]]] = {}  # observation doc id -> (key, fields)
        self.seen: dict[str, str] = {}  # listing key -> latest sighting in this batch

    def note_stored(self, src: dict[str, Any]) -> None:
        self.stored[src["key"]][src["observed_at"]] = src

    def note_last_seen(self, key: str, last_seen: str) -> None:
        self.last_seen[key] = last_seen

    def note_sighting(self, key: str, seen: str) -> None:
        if seen > self.seen.get(key, ""):
            self.seen[key] = seen

    def note_observation(self, did: str, src: dict[str, Any]) -> None:
        self.new_obs[did] = (src["key"], src)

    def rows(self, created: set[str], refused: set[str]) -> tuple[list[ObsRow], list[ObsRow]]:
        """(before, after) rows of every listing of the batch, sorted by listing and time. `created`: the
        observation ids the bulk created; `refused`: listing keys whose document was not written."""
        added: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for did, (key, src) in self.new_obs.items():
            if did in created:
                added[key].append(src)
        before: list[ObsRow] = []
        after: list[ObsRow] = []
        for key in sorted(set(self.seen) | set(self.stored)):
            old = self.stored.get(key, {})
            last = self.last_seen.get(key)
            if old and last is not None:
                before += [obs_row(src, last) for _, src in sorted(old.items())]
            new_last = last
            if key not in refused and self.seen.get(key, "") > (last or ""):
                new_last = self.seen[key]
            obs = {**old, **{src["observed_at"]: src for src in added.get(key, [])}}
            if obs and new_last is not None:
                after += [obs_row(src, new_last) for _, src in sorted(obs.items())]
        return before, after


class Rollups:
    """The rollup documents of one store: pending deltas, flushes, reads, backfill."""

    def __init__(self, client: Any, index: str, alias: str) -> None:
        self.client, self.index, self.alias = client, index, alias
        self.pending = sqlite_rollups.Deltas()
        self.pending_listings = 0
        self.writer = uuid.uuid4().hex  # this instance's dirty marker
        self.marked = False
        self.poisoned = False

    # --- write path

    def add(self, batch: Batch, created: set[str], refused: set[str]) -> None:
        before, after = batch.rows(created, refused)
        if not before and not after:
            return
        self.mark_dirty()
        self.pending.add(before, -1)
        self.pending.add(after, +1)
        self.pending_listings += len(batch.seen)

    def mark_dirty(self) -> None:
        """Before anything this instance writes could be missing from the rollups (kept until `close`)."""
        if not self.marked:
            self._put_marker()
            self.marked = True

    def _put_marker(self, at: str | None = None) -> None:
        doc = {"kind": "dirty", "at": at or now_ts()}
        self.client.index(index=self.index, id=f"dirty-{self.writer}", document=doc, refresh=at is not None)

    def poison(self) -> None:
        """A write failed part-way: the rollups may miss some of it; the next writable open rebuilds them."""
        self.pending, self.pending_listings = sqlite_rollups.Deltas(), 0
        self._put_marker("1970-01-01T00:00:00Z")
        self.poisoned = True

    def clear_dirty(self) -> None:
        if self.marked and self.empty() and not self.poisoned:
            self.client.options(ignore_status=404).delete(index=self.index, id=f"dirty-{self.writer}")
            self.marked = False

    def empty(self) -> bool:
        p = self.pending
        return not (p.counts or p.prices or p.vendors)

    def flush(self) -> None:
        """Add the pending deltas to the stored documents (read, add, write back if unchanged meanwhile)."""
        if self.empty():
            return
        p, self.pending, self.pending_listings = self.pending, sqlite_rollups.Deltas(), 0
        updates: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}  # doc id -> (fields, {period: delta})
        for (interval, sub, market, period), delta in p.counts.items():
            if delta:
                _cell(updates, "counts", interval, {"substance": sub, "market": market})[str(period)] = delta
        for (interval, sub, bucket, period), (n, micros) in p.prices.items():
            if n or micros:
                key = {"substance": sub, "chunk": period // CHUNK[interval]}
                _cell(updates, "prices", interval, key)[f"{period}:{bucket}"] = [n, micros]
        vendor_updates: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
        for (interval, market, vendor), deltas in p.vendors.items():
            nonzero = {str(k): v for k, v in deltas.items() if v}
            if nonzero:
                _cell(vendor_updates, "vendor", interval, {"market": market, "vendor_key": vendor}).update(nonzero)
        counts = self._merge(vendor_updates, on_write=_vendor_counts_change)
        for (interval, market), change in counts.items():
            cell = _cell(updates, "vendors", interval, {"market": market})
            for period, delta in change.items():
                cell[str(period)] = cell.get(str(period), 0) + delta
        self._merge(updates)

    def _merge(self, updates: dict[str, tuple[dict[str, Any], dict[str, Any]]],
               on_write: Callable[[dict[str, Any], dict[str, Any], dict[str, Any]], Any] | None = None
               ) -> dict[Any, dict[int, int]]:  # fmt: skip
        """Add `updates` to the stored documents; `on_write(fields, old d, new d)` for each document written,
        its {key: {period: delta}} results summed and returned."""
        out: dict[Any, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        todo = dict(updates)
        for _ in range(RETRIES):
            if not todo:
                return out
            ids = sorted(todo)
            stored: dict[str, dict[str, Any]] = {}
            for i in range(0, len(ids), MGET_CHUNK):
                res = self.client.mget(index=self.index, ids=ids[i : i + MGET_CHUNK])
                stored |= {d["_id"]: d for d in res["docs"] if d.get("found")}
            ops: list[dict[str, Any]] = []
            writes: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {}
            for did in ids:
                fields, delta = todo[did]
                cur = stored.get(did)
                old = cur["_source"].get("d", {}) if cur else {}
                new = _added(old, delta)
                if cur:
                    ops.append({"index": {"_index": self.index, "_id": did, "if_seq_no": cur["_seq_no"],
                                          "if_primary_term": cur["_primary_term"]}})  # fmt: skip
                else:
                    ops.append({"create": {"_index": self.index, "_id": did}})
                ops.append({**fields, "d": new})
                writes[did] = (fields, old, new)
            res = self.client.bulk(operations=ops)
            retry: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
            for item in res["items"]:
                op = item.get("index") or item.get("create")
                did = op["_id"]
                if op.get("status") == 409:
                    retry[did] = todo[did]
                elif op.get("status", 500) >= 300:
                    raise RollupError(f"rollup document {did}: {op.get('error')}")
                elif on_write is not None:
                    for key, change in on_write(*writes[did]).items():
                        for period, delta in change.items():
                            out[key][period] += delta
            todo = retry
        raise RollupError(f"{len(todo)} rollup documents kept changing under concurrent writes")

    # --- reads

    def built(self) -> bool:
        res = self.client.options(ignore_status=404).get(index=self.index, id="state")
        return bool(res.get("found")) and bool(res["_source"].get("built"))

    def stale_writers(self) -> list[str]:
        """Dirty markers older than STALE_MINUTES (a writer that died before its rollups were flushed)."""
        cutoff = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - STALE_MINUTES * 60))
        res = self.client.search(index=self.alias, size=1000, source=False,
                                 query={"bool": {"filter": [{"term": {"kind": "dirty"}},
                                                            {"range": {"at": {"lt": cutoff}}}]}})  # fmt: skip
        return [h["_id"] for h in res["hits"]["hits"]]

    def _docs(self, kind: str, interval: str, **terms: str | None) -> Iterator[dict[str, Any]]:
        check_interval(interval)
        flt = [{"term": {"kind": kind}}, {"term": {"interval": interval}}]
        flt += [{"term": {k: v}} for k, v in terms.items() if v]
        after = None
        while True:
            kwargs: dict[str, Any] = {"index": self.alias, "query": {"bool": {"filter": flt}}, "size": 10000,
                                      "sort": ["_doc"], "filter_path": "hits.hits._source,hits.hits.sort"}  # fmt: skip
            if after:
                kwargs["search_after"] = after
            hits = self.client.search(**kwargs).get("hits", {}).get("hits", [])
            for h in hits:
                yield h["_source"]
            if len(hits) < 10000:
                return
            after = hits[-1]["sort"]

    def _totals(self, kind: str, key: str, what: str, interval: str, **terms: str | None) -> list[dict[str, Any]]:
        sums: dict[tuple[str, int], int] = defaultdict(int)
        for src in self._docs(kind, interval, **terms):
            for period, delta in src["d"].items():
                sums[(src[key], int(period))] += delta
        rows = [(k, p, d) for (k, p), d in sorted(sums.items())]
        out = [{"period": changes.period_label(p, interval), key: k, what: n}
               for k, p, n in sqlite_rollups._running(rows)]  # fmt: skip
        return sorted(out, key=lambda x: (x["period"], x[key]))

    def listings_per_substance(self, interval: str, market: str | None) -> list[dict[str, Any]]:
        return self._totals("counts", "substance", "listings", interval, market=market)

    def active_vendors(self, interval: str, market: str | None) -> list[dict[str, Any]]:
        return self._totals("vendors", "market", "vendors", interval, market=market)

    def price_per_gram(self, substance: str | None, interval: str) -> list[dict[str, Any]]:
        rows = []
        for src in self._docs("prices", interval, substance=substance):
            for cell, (n, micros) in src["d"].items():
                if n or micros:
                    period, bucket = cell.split(":")
                    rows.append((src["substance"], int(period), int(bucket), n, micros))
        rows.sort(key=lambda r: (r[0], r[1]))
        return sqlite_rollups.medians(rows, interval)

    # --- migration

    def backfill(self, scan: Scan, listings: str, observations: str) -> int:
        """Rebuild every rollup document from the stored listings and observations; returns listings counted.
        Run when a store without them (or with a stale dirty marker) is opened for writing, and by
        `ElasticStore.rebuild_rollups()`."""
        last = {h["_source"]["ow"]["key"]: h["_source"]["last_seen"]
                for h in scan(listings, {"match_all": {}}, [{"ow.key": "asc"}], page=5000,
                              source=["ow.key", "last_seen"])}  # fmt: skip
        deltas, current, n = sqlite_rollups.Deltas(), None, 0
        batch: list[ObsRow] = []
        hits = scan(observations, {"match_all": {}}, [{"key": "asc"}, {"observed_at": "asc"}], page=5000,
                    source=ROW_FIELDS, missing_ok=True)  # fmt: skip
        for h in hits:
            src = h["_source"]
            if src["key"] not in last:
                continue
            if src["key"] != current:
                current = src["key"]
                n += 1
                if n % 20_000 == 0:
                    deltas.add(batch, +1)
                    batch = []
            batch.append(obs_row(src, last[src["key"]]))
        deltas.add(batch, +1)
        old = [h["_id"] for h in scan(self.alias, {"terms": {"kind": ["counts", "prices", "vendor", "vendors"]}},
                                      [{"_doc": "asc"}], page=5000, source=False)]  # fmt: skip
        self._delete(old)
        self.client.indices.refresh(index=self.alias)
        self.pending, self.pending_listings = deltas, 0
        self.flush()
        self.client.index(index=self.index, id="state", document={"kind": "state", "built": True, "at": now_ts()},
                          refresh=True)  # fmt: skip
        return n

    def _delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), 5000):
            ops = [{"delete": {"_index": self.index, "_id": did}} for did in ids[i : i + 5000]]
            self.client.bulk(operations=ops)

    def remove_markers(self, ids: Iterable[str]) -> None:
        self._delete(list(ids))
        self.client.indices.refresh(index=self.alias)

    def remove(self, rows: list[ObsRow]) -> None:
        """Subtract these listings' rows (before a purge deletes them)."""
        self.mark_dirty()
        self.pending.add(rows, -1)
        self.flush()
        self.clear_dirty()


def listing_rows(scan: Scan, listings: str, observations: str, keys: list[str]) -> list[ObsRow]:
    """The stored observations of these listings (keys "market:listing_id") with their last_seen, sorted."""
    out: list[ObsRow] = []
    for i in range(0, len(keys), 500):
        part = keys[i : i + 500]
        last = {h["_source"]["ow"]["key"]: h["_source"]["last_seen"]
                for h in scan(listings, {"terms": {"ow.key": part}}, [{"ow.key": "asc"}],
                              source=["ow.key", "last_seen"])}  # fmt: skip
        for h in scan(observations, {"terms": {"key": part}}, [{"key": "asc"}, {"observed_at": "asc"}],
                      source=ROW_FIELDS, missing_ok=True):  # fmt: skip
            if h["_source"]["key"] in last:
                out.append(obs_row(h["_source"], last[h["_source"]["key"]]))
    return out


class RollupError(Exception):
    """A rollup document could not be written (the caller rebuilds or reports)."""


def _cell(updates: dict[str, tuple[dict[str, Any], dict[str, Any]]], kind: str, interval: str,
          key: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    did = _doc_id(kind, interval, *key.values())
    cell = updates.get(did)
    if cell is None:
        cell = updates[did] = ({"kind": kind, "interval": interval, **key}, {})
    return cell[1]


@lru_cache(maxsize=200_000)
def _doc_id(kind: str, interval: str, *key: Any) -> str:
    return doc_id(kind, interval, *(str(v) for v in key))


def _added(old: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """Period deltas added (ints, or [n, micros] pairs); entries that become zero are dropped."""
    out = dict(old)
    for period, d in delta.items():
        if isinstance(d, list):
            cur = out.get(period, [0, 0])
            v: Any = [cur[0] + d[0], cur[1] + d[1]]
            zero = v == [0, 0]
        else:
            v = out.get(period, 0) + d
            zero = v == 0
        if zero:
            out.pop(period, None)
        else:
            out[period] = v
    return out


def _vendor_counts_change(fields: dict[str, Any], old: dict[str, Any],
                          new: dict[str, Any]) -> dict[Any, dict[int, int]]:  # fmt: skip
    """How a vendor document's change moves the distinct-vendor counts of its (interval, market)."""
    out: dict[int, int] = defaultdict(int)
    for sign, deltas in ((-1, old), (1, new)):
        for lo, end in sqlite_rollups._active_ranges({int(p): d for p, d in deltas.items()}):
            out[lo] += sign
            out[end] -= sign
    return {(fields["interval"], fields["market"]): {p: d for p, d in out.items() if d}}
