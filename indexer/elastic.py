"""ElasticStore: the Store protocol on Elasticsearch 9.x, opened from `http(s)://HOST:PORT[/PREFIX]`.

The URL path or ``?index_prefix=`` is the index prefix (default ``onionwatch``); ``?refresh=false``
skips the refresh at the end of each write_batch. Answers are those of SQLiteStore (semantics in
indexer/query.py, sqlite_write.py, sqlite_search.py, sqlite_trends.py, sqlite_watch.py); index layout
in indexer/elastic_templates.py.

Costs and guarantees:
- write_batch = 2 mget + 1 search of the batch's earlier observations (change-only: indexer/changes.py;
  observations written by this instance are also remembered, for ``?refresh=false``) + 1 bulk + 1 search for
  stored watches (+ vendor look-ups and 1 bulk of alerts when watches exist) + 1 refresh. The refresh
  makes the batch visible to the very next search (what the contract tests, the demo and alerting need); it
  costs a small Lucene segment per batch, so bulk loaders pass ``?refresh=false`` and refresh once at the end.
- A batch that breaks SQLite's constraints (empty ids, negative prices, bad timestamps) is refused
  whole before anything is written, as on SQLite (StoreError naming the record).
- Otherwise not one transaction: a batch is written by idempotent operations (stable ids, external
  versions, create-only observations and alerts), so replaying it changes nothing. If the server
  becomes unreachable (or answers 5xx) mid-batch, the whole batch goes to a durable local spool
  (indexer/spool.py) and is replayed when the store is next opened (or by `replay_spool()`): every
  document ends up stored exactly once.
- A document the server rejects (mapping conflict from an older index version, bad value) is logged
  with index, document id and reason, saved to the spool's ``rejected/`` file, and the rest of the
  batch is still written.
- Watches are evaluated in Python with the shared `watch_matches` on every written listing (the
  percolator is not used: see `ElasticStore._evaluate_watches`).
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

from elasticsearch import ApiError, Elasticsearch, NotFoundError, UnsupportedProductError
from elasticsearch import TransportError as ESTransportError

from onionwatch.extractors.gc_batch import batch_gc
from onionwatch.extractors.records import Listing, Vendor
from onionwatch.indexer import changes, elastic_pivots, elastic_places, elastic_rollups, elastic_watch, es_url
from onionwatch.indexer import elastic_bulk as bulk
from onionwatch.indexer import elastic_queries as eq
from onionwatch.indexer.changes import ObsRow, change_key, vendor_diff, vendor_fields
from onionwatch.indexer.elastic_auth import es_auth
from onionwatch.indexer.elastic_docs import (
    check_row,
    doc_id,
    listing_doc,
    listing_from_source,
    observation_doc,
    vendor_doc,
    vendor_from_source,
)
from onionwatch.indexer.elastic_templates import (
    KINDS,
    MAPPINGS,
    REFRESH_INTERVAL,
    Capabilities,
    Names,
    additive,
    conflicts,
    detect,
    index_settings,
    replicas_for,
    template,
)
from onionwatch.indexer.highlight import highlight
from onionwatch.indexer.query import (
    QueryError,
    bound_ts,
    now_ts,
    page_bounds,
    sorted_counts,
    wanted_facets,
)
from onionwatch.indexer.query_lang import check_sort, positive_terms, resolve
from onionwatch.indexer.spool import Spool, SpoolError
from onionwatch.indexer.sqlite_rows import PreparedRow, prepare_listing, prepare_vendor
from onionwatch.indexer.sqlite_write import earliest_per_key, latest_per_key
from onionwatch.indexer.store import (
    PurgeResult,
    PurgeRules,
    SearchHit,
    SearchQuery,
    SearchResult,
    StoreError,
    WriteStats,
)
from onionwatch.indexer.watch_alerts import Prior
from onionwatch.private import redact_url

log = logging.getLogger(__name__)

PGP_SCORE = 1.0
NAME_SCORE = 0.6


def parse_url(url: str) -> tuple[str, str, bool]:
    """A store URL (indexer/es_url.py: one host or several) -> (server(s) as one string, prefix, refresh).

    The server string carries no credentials (indexer/elastic_auth.py supplies them to the client)."""
    parsed = es_url.parse(url)
    return parsed.server, parsed.prefix, parsed.refresh


def _buckets(agg: dict[str, Any]) -> list[dict[str, Any]]:
    """A facet's buckets: a terms aggregation, or one inside the filter of the other facets' selections."""
    return agg.get("b", agg).get("buckets", [])


def _seconds(ts: str) -> int:
    """External document version: the normalised timestamp as epoch seconds."""
    if len(ts) == 20 and ts[4] == "-" and ts[7] == "-" and ts[10] == "T" and ts[13] == ":" and ts[16] == ":" \
            and ts[19] == "Z" and (ts[:4] + ts[5:7] + ts[8:10] + ts[11:13] + ts[14:16] + ts[17:19]).isdigit():
        with contextlib.suppress(ValueError):  # strptime's answer, 6x faster; a leap second goes to strptime
            return calendar.timegm(datetime(int(ts[:4]), int(ts[5:7]), int(ts[8:10]), int(ts[11:13]),
                                            int(ts[14:16]), int(ts[17:19])).timetuple())
    return calendar.timegm(time.strptime(ts, "%Y-%m-%dT%H:%M:%SZ"))


def default_spool_dir(server: str, prefix: str) -> Path:
    from onionwatch.paths import data_dir

    tag = hashlib.blake2b(f"{server}/{prefix}".encode(), digest_size=6).hexdigest()
    return data_dir() / "spool" / f"elastic-{prefix}-{tag}"


class ElasticStore:
    """The Store protocol on an Elasticsearch 9.x cluster (see the module docstring for guarantees)."""

    def __init__(self, url: str, *, spool_dir: Path | None = None, timeout: float = 30.0, create: bool = True) -> None:
        self.url = redact_url(url)  # shown in messages and logs: never the password
        parsed = es_url.parse(url)
        self.server, prefix, self.refresh = parsed.server, parsed.prefix, parsed.refresh
        self.names = Names(prefix)
        auth = es_auth(url)
        if auth is not None:  # belt and braces: masked in every log record, whichever library logs it
            from onionwatch.crawler.redact import redact

            redact(auth.password)
        # several hosts: the client spreads requests and, when a node is down, retries on the others
        retries = 1 if len(parsed.servers) == 1 else len(parsed.servers)
        self.client = Elasticsearch(list(parsed.servers), request_timeout=timeout, max_retries=retries,
                                    retry_on_timeout=len(parsed.servers) > 1,
                                    basic_auth=auth.pair() if auth else None)
        self.spool = Spool(spool_dir or default_spool_dir(self.server, prefix))
        self.spooled = 0  # batches sent to the spool by this instance
        self.rejections: list[bulk.Rejection] = []  # documents the server refused (this instance)
        self._recent_obs: dict[str, list[tuple[str, str | None, dict[str, Any]]]] = {}  # see _remember
        self._loading = False  # inside bulk_loading()
        self.replicas = 0  # 1 on a cluster of several data nodes (set by _connect)
        self.caps = self._connect()
        if not create:
            self._require_indices()
        self.mapping_conflicts = self._setup()
        self.rollups = elastic_rollups.Rollups(self.client, self.names.index("rollups"), self.names.alias("rollups"))
        self.rollups_ready = self._open_rollups(create)
        self.replay_spool()

    def _open_rollups(self, writable: bool) -> bool:
        """Whether trends can read the rollups; a writable open builds them first when missing or stale."""
        try:
            ready = self.rollups.built()
            stale = self.rollups.stale_writers()
            if writable and (not ready or stale):
                self.rebuild_rollups(stale)
                return True
            return ready and not stale
        except (ESTransportError, ApiError) as e:
            raise StoreError(f"{self._where()}: cannot read the trend rollups: {e}") from e

    def rebuild_rollups(self, markers: Sequence[str] = ()) -> int:
        """Recompute the trend rollups from every stored listing (indexer/elastic_rollups.py); returns listings.
        Done on the first writable open of a store from before the rollups, or after a writer died mid-way."""
        t = time.perf_counter()
        self.client.indices.refresh(index=self._patterns(), allow_no_indices=True, ignore_unavailable=True)
        n = self.rollups.backfill(self._scan, self.names.alias("listings"), self._obs())
        self.rollups.remove_markers(markers)
        self.rollups_ready = True
        log.info("%s: trend rollups built from %d listings in %.1f s", self._where(), n, time.perf_counter() - t)
        return n

    # --- start-up

    def _where(self) -> str:
        return f"Elasticsearch at {self.server}"

    def _connect(self) -> Capabilities:
        try:
            health = self.client.cluster.health(timeout="5s")
            self.replicas = replicas_for(int(health.get("number_of_data_nodes", 1)))
            return detect(self.client)
        except UnsupportedProductError as e:
            raise StoreError(f"store URL {self.url!r}: the server is not Elasticsearch ({e})") from e
        except ESTransportError as e:
            raise StoreError(
                f"store URL {self.url!r}: {self._where()} is unreachable ({type(e).__name__}); "
                "start it (scripts/es-server.sh start) or fix the URL"
            ) from e
        except ApiError as e:
            raise StoreError(f"store URL {self.url!r}: {self._where()} answered {e.meta.status}: {e}") from e

    def _require_indices(self) -> None:
        """A command that only reads: the listings alias must exist (a mistyped prefix creates nothing)."""
        try:
            present = self.client.indices.exists_alias(name=self.names.alias("listings"))
        except (ESTransportError, ApiError) as e:
            raise StoreError(f"store URL {self.url!r}: {self._where()}: cannot check indices ({e})") from e
        if not present:
            raise StoreError(f"store URL {self.url!r}: no onionwatch indices with prefix {self.names.prefix!r} "
                             f"at {self._where()} (check --store or ONIONWATCH_STORE)")

    def _setup(self) -> list[str]:
        """Put the index templates, create the fixed indices; return (and log) mapping conflicts."""
        found: list[str] = []
        try:
            self._put_templates()
            for kind in KINDS:
                if not self.client.indices.exists_alias(name=self.names.alias(kind)):
                    try:
                        self.client.indices.create(index=self.names.index(kind))
                    except ApiError as e:
                        if "resource_already_exists" not in str(e):
                            raise
                        # an index from an interrupted set-up or an older version: give it the alias
                        self.client.indices.put_alias(index=self.names.index(kind), name=self.names.alias(kind))
            for kind in (*KINDS, "observations"):
                found += self._check_mappings(kind)
            # normal settings: indices made on one node gain their replica on a cluster, and a bulk load that
            # died before restoring them (bulk_loading) leaves no index unrefreshed or without its replica
            self._index_settings(REFRESH_INTERVAL, self.replicas)
        except ESTransportError as e:
            raise StoreError(f"{self._where()}: unreachable during set-up ({e})") from e
        except ApiError as e:
            raise StoreError(f"{self._where()}: cannot set up indices for prefix {self.names.prefix!r}: {e}") from e
        for msg in found:
            log.warning("%s", msg)
        return found

    def _put_templates(self, refresh_interval: str = REFRESH_INTERVAL, replicas: int | None = None, *,
                       loading: bool = False) -> None:  # fmt: skip
        for kind in (*KINDS, "observations"):
            body = template(self.names, kind, self.caps, self.replicas if replicas is None else replicas,
                            refresh_interval, loading=loading)  # fmt: skip
            self.client.indices.put_index_template(name=self.names.alias(kind), body=body)

    def _index_settings(self, refresh_interval: str, replicas: int, *, loading: bool = False) -> None:
        self.client.indices.put_settings(index=self._patterns(), allow_no_indices=True,
                                         settings=index_settings(refresh_interval, replicas, loading=loading))

    @contextlib.contextmanager
    def bulk_loading(self) -> Iterator[ElasticStore]:
        """A bulk load (an import, a benchmark): no refresh and no replicas (and the translog durability
        BULK_DURABILITY, the server's default unless set) while it runs, one refresh and the normal settings
        (refresh 1s, 1 replica on a cluster, default durability) after it, even when it fails. Indices created
        meanwhile (monthly observations) get the bulk settings from the templates, then the normal ones.
        Searches during the load may not see its documents. Not for stores that others write at the same time."""
        refresh, self.refresh, self._loading = self.refresh, False, True
        try:
            self._put_templates("-1", 0, loading=True)
            self._index_settings("-1", 0, loading=True)
            yield self
        finally:
            self.refresh, self._loading = refresh, False
            self._flush_rollups()
            self._put_templates()
            self._index_settings(REFRESH_INTERVAL, self.replicas)
            self.client.indices.refresh(index=self._patterns(), allow_no_indices=True, ignore_unavailable=True)

    def _patterns(self) -> str:
        return ",".join(self.names.pattern(kind) for kind in (*KINDS, "observations"))

    def _check_mappings(self, kind: str) -> list[str]:
        try:
            existing = self.client.indices.get_mapping(index=self.names.alias(kind))
        except NotFoundError:
            return []
        expected = MAPPINGS[kind](self.caps)
        out = []
        for index, body in existing.items():
            problems = conflicts(expected, body.get("mappings", {}))
            for problem in problems:
                out.append(
                    f"index {index}: {problem} (created by an older onionwatch?); documents needing it will "
                    "be rejected and kept in the spool's rejected/ folder: reindex or delete the index"
                )
            if not problems:  # an older index gains the fields added since it was created
                try:
                    props = additive(expected, body.get("mappings", {}))  # keeps frozen parameters as they are
                    self.client.indices.put_mapping(index=index, properties=props)
                except ApiError as e:
                    out.append(f"index {index}: cannot add new fields to its mapping: {e}")
                    continue
                if kind in ("listings", "vendors") and elastic_pivots.lacks_identifiers(body.get("mappings", {})):
                    n = elastic_pivots.backfill(self.client, self._scan, index, kind)
                    log.info("index %s: identifiers added to %d documents (schema 7 backfill)", index, n)
        return out

    # --- writes

    @batch_gc  # a batch builds ~10 short-lived containers per document: far fewer cyclic-GC passes (-25 % CPU)
    def write_batch(self, listings: Sequence[Listing], vendors: Sequence[Vendor]) -> WriteStats:
        """Upsert vendors and listings, append observations, raise alerts (see module docstring)."""
        try:
            pv = [prepare_vendor(v) for v in vendors]
            pl = [prepare_listing(item) for item in listings]
            for row in pv:
                check_row("vendor", row)
            for row in pl:
                check_row("listing", row)
        except QueryError as e:
            raise StoreError(f"write rejected, nothing written: {e}") from e
        try:
            return self._write(pl, pv)
        except ApiError as e:
            self._poison_rollups()
            if e.meta.status < 500:
                raise StoreError(f"{self._where()}: write failed: {e}") from e
            return self._spool(listings, vendors, e)
        except (bulk.Unreachable, ESTransportError) as e:
            self._poison_rollups()
            return self._spool(listings, vendors, e)

    def write_batches(self, batches: Iterable[tuple[Sequence[Listing], Sequence[Vendor]]]) -> WriteStats:
        """`write_batch` of each batch in turn as it comes (memory: one batch at a time), the stats summed.
        No transaction (module docstring): a batch refused or failing with a 4xx raises StoreError and the
        batches before it stay written (ids are stable: writing them again changes nothing); a batch the server
        could not take (unreachable, 5xx) is spooled for replay and counted in `WriteStats.spooled`, and the
        next batches are still tried."""
        total = WriteStats()
        for listings, vendors in batches:
            total.add(self.write_batch(listings, vendors))
        return total

    def _poison_rollups(self) -> None:
        """A write failed after it may have written something: the next writable open rebuilds the rollups."""
        if self.rollups.marked:
            with contextlib.suppress(ESTransportError, ApiError):
                self.rollups.poison()

    def _flush_rollups(self, clear: bool = True) -> None:
        """Write the pending rollup deltas and drop this writer's dirty marker (a failure: poisoned)."""
        try:
            self.rollups.flush()
            if clear:
                self.rollups.clear_dirty()
        except (ESTransportError, ApiError, elastic_rollups.RollupError) as e:
            log.error("%s: trend rollups not written (%s): rebuilt on the next open", self._where(), e)
            self._poison_rollups()

    def _spool(self, listings: Sequence[Listing], vendors: Sequence[Vendor], e: Exception) -> WriteStats:
        """The server is gone or failing (5xx): keep the whole batch for replay (ids are idempotent)."""
        path = self.spool.put(listings, vendors, reason=str(e))
        self.spooled += 1
        log.error(
            "%s unreachable mid-write (%s): batch of %d listings, %d vendors spooled to %s",
            self._where(), str(e)[:200], len(listings), len(vendors), path,
        )  # fmt: skip
        return WriteStats(spooled=1)

    def _write(self, pl: list[PreparedRow], pv: list[PreparedRow]) -> WriteStats:
        stats = WriteStats()
        keys: dict[str, str] = {}
        history: list[dict[str, Any]] = []
        reappeared: set[tuple[str, str]] = set()

        def vendor_seen(row: PreparedRow, cur: dict[str, Any], src: dict[str, Any]) -> None:
            if row.values["doc_hash"] != cur["_source"]["ow"]["doc_hash"]:
                history.extend(self._history_actions(row, cur["_source"], keys))

        written: dict[tuple[str, str], Prior | None] = {}  # listings this batch writes -> their prior state
        track = elastic_rollups.Batch()

        def listing_seen(row: PreparedRow, cur: dict[str, Any], src: dict[str, Any]) -> None:
            written[row.key] = Prior(cur["_source"]["last_seen"], cur["_source"].get("price_usd"))
            if cur["_source"].get("status") != "gone":
                return
            if row.seen > cur["_source"]["last_seen"]:
                reappeared.add(row.key)
            else:  # the same sighting again: it stays gone
                src["status"], src["gone_at"] = "gone", cur["_source"].get("gone_at")

        obs_ids: set[str] = set()

        def observations() -> Iterator[dict[str, Any]]:  # after the listings: needs `reappeared`
            for row, change in self._changed(pl, reappeared, track):
                did = doc_id(row.values["market"], row.values["listing_id"], row.seen)
                obs_ids.add(did)
                keys[did] = f"observation {row.record.key}@{row.seen}"
                source = observation_doc(row, change)
                track.note_observation(did, source)
                yield {"_op_type": "create", "_index": self.names.observations_index(row.seen), "_id": did,
                       "_source": source}

        # one lazy stream: documents are built while the previous bulk request is indexed (elastic_bulk.run)
        actions = chain(self._upserts("vendors", pv, stats, keys, vendor_doc, vendor_seen), history,
                        self._upserts("listings", pl, stats, keys, listing_doc, listing_seen,
                                      on_new=lambda row: written.__setitem__(row.key, None), track=track),
                        observations())  # fmt: skip
        if pl:
            self.rollups.mark_dirty()
        result = self._bulk(actions, keys)
        stats.observations = len(obs_ids & result.created_ids)
        rejected = {r.doc_id for r in result.rejected}
        self.rollups.add(track, result.created_ids, {r.record.key for r in pl if doc_id(*r.key) in rejected})
        if not self._loading or self.rollups.pending_listings >= elastic_rollups.FLUSH_LISTINGS:
            self._flush_rollups(clear=not self._loading)
        self._evaluate_watches(pl, written)
        if self.refresh:
            self._refresh()
        return stats

    def _changed(self, rows: list[PreparedRow], reappeared: set[tuple[str, str]],
                 track: elastic_rollups.Batch) -> list[tuple[PreparedRow, str]]:
        """The sightings that record an observation (indexer/changes.py), oldest first per listing, with their
        change keys; the stored ones go to `track` (the rollups' "before")."""
        for r in rows:
            track.note_sighting(r.record.key, r.seen)
        if not rows:
            return []
        stored: dict[str, list[tuple[str, str | None]]] = {}
        names = sorted({r.record.key for r in rows})
        wanted = set(names)
        for i in range(0, len(names), 500):
            query = {"terms": {"key": names[i:i + 500]}}
            for h in self._scan(self._obs(), query, [{"key": "asc"}, {"observed_at": "asc"}],
                                source=["change_key", *elastic_rollups.ROW_FIELDS], missing_ok=True):
                src = h["_source"]
                stored.setdefault(src["key"], []).append((src["observed_at"], src.get("change_key")))
                track.note_stored(src)
        for k, recent in self._recent_obs.items():
            if k in wanted:
                stored.setdefault(k, []).extend((t, c) for t, c, _ in recent)
                for _, _, src in recent:
                    track.note_stored(src)
        latest = latest_per_key(rows)
        out = []
        for r in sorted(rows, key=lambda x: (x.key, x.seen)):
            key = change_key(r.record)
            series = stored.setdefault(r.record.key, [])
            before = [x for x in series if x[0] <= r.seen]
            prev = max(before, key=lambda x: x[0])[1] if before else None
            if before and prev == key and not (r.key in reappeared and latest[r.key] is r):
                continue
            if any(t == r.seen for t, _ in series):
                continue  # a replay: the observation at this time exists
            series.append((r.seen, key))
            out.append((r, key))
            self._remember(r.record.key, r.seen, key, r)
        return out

    def _remember(self, key: str, seen: str, change: str, row: PreparedRow) -> None:
        """Observations written by this instance, for batches written with ?refresh=false (not yet searchable)."""
        if len(self._recent_obs) > 100_000:
            self._recent_obs.clear()
        v = row.values
        src = {"key": key, "observed_at": seen, "market": row.record.market, "substance": row.record.substance,
               "price_per_gram_usd": v["price_per_gram_usd"], "vendor_key": v["vendor_key"]}  # fmt: skip
        self._recent_obs.setdefault(key, []).append((seen, change, src))

    def _history_actions(self, row: PreparedRow, cur: dict[str, Any], keys: dict[str, str]) -> list[dict[str, Any]]:
        old = vendor_fields(Vendor(cur["market"], cur["vendor_id"], cur.get("name") or "", cur.get("url") or "",
                                   pgp_fingerprint=cur.get("pgp_fingerprint"), pgp_key_id=cur.get("pgp_key_id"),
                                   contacts=cur.get("contacts") or {},
                                   crypto_addresses=cur.get("crypto_addresses") or {}))
        out = []
        v = row.values  # text fields as stored (cleaned), the dicts as vendor_doc stores them
        new = vendor_fields(Vendor(v["market"], v["vendor_id"], v["name"], v["url"],
                                   pgp_fingerprint=v["pgp_fingerprint"], pgp_key_id=v["pgp_key_id"],
                                   contacts=row.record.contacts or {},
                                   crypto_addresses=row.record.crypto_addresses or {}))
        for name, before, after in vendor_diff(old, new):
            did = doc_id(*row.key, name, row.seen)
            keys[did] = f"vendor history {row.record.key} {name}@{row.seen}"
            out.append({"_op_type": "create", "_index": self.names.index("vendor_history"), "_id": did,
                        "_source": {"market": row.key[0], "vendor_id": row.key[1], "field": name,
                                    "old_value": before, "new_value": after, "changed_at": row.seen}})
        return out

    def _upserts(self, kind, rows, stats, keys, make, on_newer=None, on_new=None,
                 track=None) -> Iterator[dict[str, Any]]:
        """Index actions applying SQLite's rules: latest per key wins, older records only move first_seen.

        A generator (one mget when first pulled, then one document at a time); counts go to ``stats`` at its end."""
        rows = list(rows)
        latest = latest_per_key(rows)
        earliest = earliest_per_key(rows)
        ids = {key: doc_id(*key) for key in latest}
        existing = self._mget(self.names.alias(kind), list(ids.values()))
        if track is not None:  # the stored last_seen of each listing (the rollups' "before")
            for key, did in ids.items():
                if did in existing:
                    track.note_last_seen(latest[key].record.key, existing[did]["_source"]["last_seen"])
        new = changed = 0
        for key, row in latest.items():
            did = ids[key]
            keys[did] = f"{kind[:-1]} {key[0]}:{key[1]}"
            cur = existing.get(did)
            first = earliest[key]
            if cur is None:
                new += 1
                src, version = make(row, first), _seconds(row.seen)
                if on_new is not None:
                    on_new(row)
            elif row.seen >= cur["_source"]["last_seen"]:
                same = row.values["doc_hash"] == cur["_source"]["ow"]["doc_hash"]
                if same and row.seen == cur["_source"]["last_seen"] and first >= cur["_source"]["first_seen"]:
                    continue  # a replay: nothing to write
                changed += not same
                src = make(row, min(cur["_source"]["first_seen"], first))
                version = _seconds(row.seen)
                if on_newer is not None:
                    on_newer(row, cur, src)
            elif first < cur["_source"]["first_seen"]:
                src = {**cur["_source"], "first_seen": first}
                version = int(cur["_version"])
            else:
                continue
            yield {"_op_type": "index", "_index": self.names.index(kind), "_id": did, "version": version,
                   "version_type": "external_gte", "_source": src}
        if kind == "vendors":
            stats.vendors_new += new
            stats.vendors_updated += changed
        else:
            stats.listings_new += new
            stats.listings_updated += changed

    def _mget(self, index: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        try:
            res = self.client.mget(index=index, ids=ids)
        except ESTransportError as e:
            raise bulk.Unreachable(str(e)) from e
        except ApiError as e:
            if e.meta.status >= 500:
                raise bulk.Unreachable(str(e)) from e
            raise StoreError(f"{self._where()}: mget on {index} failed: {e}") from e
        return {d["_id"]: d for d in res["docs"] if d.get("found")}

    def _bulk(self, actions: Iterable[dict[str, Any]], keys: dict[str, str]) -> bulk.BulkResult:
        try:
            result = bulk.run(self.client, actions, keys)
        except ApiError as e:
            if e.meta.status >= 500:
                raise bulk.Unreachable(str(e)) from e
            raise StoreError(f"{self._where()}: bulk write failed: {e}") from e
        if result.rejected:
            path = self.spool.reject(
                [{"index": r.index, "id": r.doc_id, "key": r.key, "status": r.status, "reason": r.reason,
                  "source": r.source} for r in result.rejected]
            )  # fmt: skip
            for r in result.rejected:
                log.error("%s; kept in %s", r.message(), path)
            self.rejections += result.rejected
        return result

    def _refresh(self) -> None:
        try:
            self.client.indices.refresh(
                index=",".join(self.names.alias(k) for k in (*KINDS, "observations")), ignore_unavailable=True
            )
        except ESTransportError as e:
            raise bulk.Unreachable(str(e)) from e

    def replay_spool(self) -> int:
        """Write spooled batches, oldest first, until the server fails again; returns how many were written.

        A batch that can never be written (unreadable file, invalid record) is logged and left in place.
        """
        done = 0
        for path in self.spool.pending():
            try:
                ls, vs = self.spool.load(path)
            except SpoolError as e:
                log.error("%s", e)
                continue
            try:
                self._write([prepare_listing(x) for x in ls], [prepare_vendor(v) for v in vs])
            except (QueryError, StoreError) as e:  # this batch cannot be written as it is: keep it, go on
                log.error("spooled batch %s cannot be replayed (%s); kept for inspection", path, e)
                continue
            except (bulk.Unreachable, ESTransportError, ApiError) as e:
                log.warning("%s still unreachable (%s): %s stays spooled", self._where(), e, path)
                break
            self.spool.done(path)
            done += 1
            log.info("replayed spooled batch %s (%d listings, %d vendors)", path.name, len(ls), len(vs))
        return done

    # --- reads

    def _call(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except QueryError as e:
            raise StoreError(str(e)) from e
        except ESTransportError as e:
            raise StoreError(f"{self._where()}: unreachable ({e})") from e
        except ApiError as e:
            raise StoreError(f"{self._where()}: {e}") from e

    def search(self, query: SearchQuery) -> SearchResult:
        return self._call(self._search, query)

    def _search(self, q: SearchQuery) -> SearchResult:
        node, q = resolve(q)
        terms = positive_terms(node)
        limit, offset = page_bounds(q.limit, q.offset)
        vendors = self.names.alias("vendors")
        ident = elastic_pivots.identifier_clause(self._scan, vendors, q.identifier) if q.identifier else None
        res, aggs = self._msearch(*eq.search_bodies(q, node, self.caps, limit, offset, ident))
        total = res["hits"]["total"]["value"]
        relevance = check_sort(q.sort, bool(terms)) == "relevance"
        hits = []
        for h in res["hits"]["hits"] if limit else []:
            listing = listing_from_source(h["_source"])
            score = float(h.get("_score") or 0.0) if relevance else 0.0
            hits.append(SearchHit(listing=listing, score=score, highlight=highlight(listing, terms)))
        facets = {name: sorted_counts((b["key"], b["doc_count"]) for b in _buckets(aggs.get(name, {})))
                  for name in wanted_facets(q.facets)}  # fmt: skip
        return SearchResult(total=total, hits=hits, facets=facets)

    def _msearch(self, hits: dict[str, Any], facets: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
        """The hits request and the facet request (request cache on) in one round trip: (hits answer, aggs).
        Each reads the index as of its own moment: a refresh between them (writes going on) can make the facet
        counts one refresh newer or older than the hits, as between two separate searches."""
        index = self.names.alias("listings")
        searches: list[dict[str, Any]] = [{"index": index}, hits]
        if facets is not None:
            searches += [{"index": index, "request_cache": True}, facets]
        answers = self.client.msearch(searches=searches)["responses"]
        for a in answers:
            if "error" in a:
                raise StoreError(f"{self._where()}: search failed [{a.get('status')}]: {bulk.reason(a['error'])}")
        return answers[0], answers[1].get("aggregations", {}) if facets is not None else {}

    def get_vendor(self, market: str, vendor_id: str) -> dict[str, Any] | None:
        return self._call(self._get_vendor_src, market, vendor_id)

    def _get_vendor_src(self, market: str, vendor_id: str) -> dict[str, Any] | None:
        try:
            res = self.client.get(index=self.names.alias("vendors"), id=doc_id(market, vendor_id))
        except NotFoundError:
            return None
        return vendor_from_source(res["_source"])

    def get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        """One listing (search-hit shape) with its observation history under "observations"."""
        return self._call(self._get_listing, market, listing_id)

    def _get_listing(self, market: str, listing_id: str) -> dict[str, Any] | None:
        try:
            res = self.client.get(index=self.names.alias("listings"), id=doc_id(market, listing_id))
        except NotFoundError:
            return None
        out = listing_from_source(res["_source"])
        query = eq.bool_filter({"term": {"market": market}}, {"term": {"listing_id": listing_id}})
        fields = ("observed_at", "price", "currency", "price_usd", "price_per_gram_usd", "quantity", "unit")
        hits = self._scan(self._obs(), query, [{"observed_at": "asc"}])
        out["observations"] = [{f: h["_source"].get(f) for f in fields} for h in hits]
        return out

    def counts(self, market: str | None = None) -> dict[str, int]:
        """{"listings", "vendors", "observations"}: stored documents, optionally for one market."""
        query = {"term": {"market": market}} if market else {"match_all": {}}
        out = {}
        for kind in ("listings", "vendors", "observations"):
            res = self._call(self.client.count, index=self.names.alias(kind), query=query, ignore_unavailable=True)
            out[kind] = int(res["count"])
        return out

    # --- trends and profiles

    def _obs(self) -> str:
        return self.names.observations

    def _obs_rows(self, interval: str, market: str | None) -> list[ObsRow]:
        """Every observation (optionally of one market) with its listing's last_seen, sorted by listing and time."""
        from onionwatch.indexer.query import check_interval

        check_interval(interval)
        query: dict[str, Any] = {"term": {"market": market}} if market else {"match_all": {}}
        last = {h["_source"]["ow"]["key"]: h["_source"]["last_seen"]
                for h in self._scan(self.names.alias("listings"), query, [{"ow.key": "asc"}],
                                    source=["ow.key", "last_seen"])}
        fields = ["key", "observed_at", "market", "substance", "price_per_gram_usd", "vendor_key"]
        out = []
        for h in self._scan(self._obs(), query, [{"key": "asc"}, {"observed_at": "asc"}], source=fields,
                            missing_ok=True):
            o = h["_source"]
            if o["key"] in last:
                out.append(ObsRow(o["key"], o["observed_at"], o["market"], o.get("substance"),
                                  o.get("price_per_gram_usd"), o.get("vendor_key") or "", last[o["key"]]))
        return out

    def listings_per_substance(self, interval: str = "week", market: str | None = None) -> list[dict[str, Any]]:
        """From the rollups (indexer/elastic_rollups.py; a read-only open of a store without them: every
        observation, carried forward in Python)."""
        if self.rollups_ready:
            return self._call(self.rollups.listings_per_substance, interval, market)
        return self.raw_listings_per_substance(interval, market)

    def price_per_gram(self, substance: str | None = None, interval: str = "month") -> list[dict[str, Any]]:
        if self.rollups_ready:
            return self._call(self.rollups.price_per_gram, substance, interval)
        return self.raw_price_per_gram(substance, interval)

    def active_vendors(self, interval: str = "week", market: str | None = None) -> list[dict[str, Any]]:
        if self.rollups_ready:
            return self._call(self.rollups.active_vendors, interval, market)
        return self.raw_active_vendors(interval, market)

    def raw_listings_per_substance(self, interval: str = "week", market: str | None = None) -> list[dict[str, Any]]:
        """From every observation (what the rollups must equal; tests and bench compare)."""
        return self._call(lambda: changes.listings_per_substance(self._obs_rows(interval, market), interval))

    def raw_price_per_gram(self, substance: str | None = None, interval: str = "month") -> list[dict[str, Any]]:
        return self._call(lambda: changes.price_per_gram(self._obs_rows(interval, None), substance, interval))

    def raw_active_vendors(self, interval: str = "week", market: str | None = None) -> list[dict[str, Any]]:
        return self._call(lambda: changes.active_vendors(self._obs_rows(interval, market), interval))

    def substances_first_seen(self, since: str, until: str | None = None) -> list[dict[str, Any]]:
        def run() -> list[dict[str, Any]]:
            lo = bound_ts(since, end=False, field="since")
            hi = bound_ts(until, end=False, field="until") if until else None
            index = self.names.alias("listings")
            match_all: dict[str, Any] = {"match_all": {}}
            known = {
                b["key"]["s"]
                for b in eq.composite(self.client, index, match_all, [eq.term_source("s", "ow.known_substances")], {})
            }
            rows = []
            aggs = {"first": {"min": {"field": "first_seen"}}}
            for b in eq.composite(self.client, index, match_all, [eq.term_source("s", "ow.substances")], aggs):
                first = eq.ms_to_ts(b["first"]["value"])
                if first >= lo and (hi is None or first < hi):
                    sub = b["key"]["s"]
                    rows.append({"substance": sub, "known": sub in known, "first_seen": first,
                                 "listings": int(b["doc_count"])})  # fmt: skip
            rows.sort(key=lambda r: (r["first_seen"], r["substance"]))
            return rows

        return self._call(run)

    def vendor_profile(self, market: str, vendor_id: str) -> dict[str, Any] | None:
        return self._call(self._vendor_profile, market, vendor_id)

    def _vendor_profile(self, market: str, vendor_id: str) -> dict[str, Any] | None:
        try:
            res = self.client.get(index=self.names.alias("vendors"), id=doc_id(market, vendor_id))
        except NotFoundError:
            return None
        src = res["_source"]
        out = vendor_from_source(src)
        query = {
            "bool": {
                "filter": [{"term": {"market": market}}],
                "should": [
                    {"term": {"vendor_id": vendor_id}},
                    {
                        "bool": {
                            "must_not": [{"exists": {"field": "vendor_id"}}],
                            "filter": [{"term": {"ow.vendor_key": src["ow"]["name_key"]}}],
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        }
        aggs: dict[str, Any] = {
            "first": {"min": {"field": "first_seen"}},
            "last": {"max": {"field": "last_seen"}},
            "subs": {"terms": {"field": "ow.known_substances", "size": 10000}},
        }
        r = self.client.search(
            index=self.names.alias("listings"), query=query, aggs=aggs, size=0, track_total_hits=True
        )
        a = r["aggregations"]
        n = r["hits"]["total"]["value"]
        out["listings"] = n
        subs = sorted(((b["key"], b["doc_count"]) for b in a["subs"]["buckets"]), key=lambda kv: (-kv[1], kv[0]))
        out["substances"] = dict(subs)
        firsts = [src["first_seen"]] + ([eq.ms_to_ts(a["first"]["value"])] if n else [])
        lasts = [src["last_seen"]] + ([eq.ms_to_ts(a["last"]["value"])] if n else [])
        out["first_seen"], out["last_seen"] = min(firsts), max(lasts)
        out["linked"] = self._linked(src)
        return out

    def pivot(self, identifier: str) -> dict[str, Any]:
        return self._call(elastic_pivots.pivot, self.client, self._scan, self.names.alias("listings"),
                          self.names.alias("vendors"), identifier)  # fmt: skip

    def places(self, market: str | None = None) -> list[dict[str, Any]]:
        return self._call(elastic_places.places, self.client, self.names.alias("listings"), market)

    def city_summary(self, cities: Sequence[str], limit: int = 20, offset: int = 0) -> dict[str, Any]:
        return self._call(elastic_places.city_summary, self.client, self.names.alias("listings"), cities, limit,
                          offset)  # fmt: skip

    def _linked(self, src: dict[str, Any]) -> list[dict[str, Any]]:
        fp, norm = src.get("pgp_fingerprint"), src["ow"]["name_norm"]
        should = []
        if fp:
            should.append({"term": {"pgp_fingerprint": fp}})
        if norm:
            should.append({"term": {"ow.name_norm": norm}})
        if not should:
            return []
        query = {
            "bool": {
                "should": should,
                "minimum_should_match": 1,
                "must_not": [{"term": {"ow.key": src["ow"]["key"]}}],
            }
        }
        links = []
        for h in self._scan(self.names.alias("vendors"), query, [{"ow.key": "asc"}]):
            v = h["_source"]
            pgp = bool(fp) and v.get("pgp_fingerprint") == fp
            links.append(
                {
                    "market": v["market"],
                    "vendor_id": v["vendor_id"],
                    "name": v["name"],
                    "reason": "pgp" if pgp else "name",
                    "score": PGP_SCORE if pgp else NAME_SCORE,
                }
            )
        links.sort(key=lambda x: (-x["score"], x["market"], x["vendor_id"]))
        return links

    def _scan(self, index: str, query: dict[str, Any], sort: list[Any], page: int = 1000,
              source: list[str] | None = None, version: bool = False, missing_ok: bool = False):
        """Every hit of a query, in `sort` order (search_after paging); `missing_ok`: no index, no hits."""
        after = None
        while True:
            kwargs: dict[str, Any] = {"index": index, "query": query, "sort": sort, "size": page}
            if missing_ok:
                kwargs.update(ignore_unavailable=True, allow_no_indices=True)
            if source is not None:
                kwargs["source"] = source
            if version:
                kwargs["version"] = True
            if after:
                kwargs["search_after"] = after
            res = self.client.search(**kwargs)
            hits = res["hits"]["hits"]
            yield from hits
            if len(hits) < page:
                return
            after = hits[-1]["sort"]

    # --- watchlists: stored queries evaluated on every written batch (the shared watch_matches rules)

    def add_watch(self, watch: dict[str, Any]) -> str:
        return self._call(elastic_watch.add_watch, self, watch)  # type: ignore[no-any-return]

    def watches(self) -> list[dict[str, Any]]:
        return self._call(elastic_watch.watches, self)  # type: ignore[no-any-return]

    def update_watch(self, watch_id: str, watch: dict[str, Any]) -> None:
        self._call(elastic_watch.update_watch, self, watch_id, watch)

    def remove_watch(self, watch_id: str) -> bool:
        return self._call(elastic_watch.remove_watch, self, watch_id)  # type: ignore[no-any-return]

    def acknowledge_alerts(self, alert_ids: Sequence[str], actor: str) -> int:
        return self._call(elastic_watch.acknowledge, self, alert_ids, actor)  # type: ignore[no-any-return]

    def mark_alerts(self, alert_ids: Sequence[str], field: str) -> int:
        return self._call(elastic_watch.mark, self, alert_ids, field)  # type: ignore[no-any-return]

    def _watches(self) -> list[tuple[str, dict[str, Any]]]:
        hits = self._scan(self.names.alias("watches"), {"match_all": {}}, [{"seq": "asc"}])
        return [(h["_id"], h["_source"]["definition"]) for h in hits]

    def _fingerprints(self, rows: list[PreparedRow]) -> dict[tuple[str, str], str | None]:
        """The stored PGP fingerprint of each listing's vendor (by vendor_id, else by name on its market)."""
        out: dict[tuple[str, str], str | None] = {}
        by_id = {r.key: doc_id(r.values["market"], r.values["vendor_id"]) for r in rows if r.values["vendor_id"]}
        found = self._mget(self.names.alias("vendors"), sorted(set(by_id.values())))
        for key, did in by_id.items():
            out[key] = found[did]["_source"].get("pgp_fingerprint") if did in found else None
        nameless = [r for r in rows if not r.values["vendor_id"]]
        if nameless:
            self.client.indices.refresh(index=self.names.alias("vendors"))
        for r in nameless:
            res = self.client.search(
                index=self.names.alias("vendors"),
                query=eq.bool_filter(
                    {"term": {"market": r.values["market"]}},
                    {"term": {"ow.name_key": r.values["vendor_key"]}},
                    {"exists": {"field": "pgp_fingerprint"}},
                ),
                sort=[{"vendor_id": "asc"}],
                size=1,
            )
            hits = res["hits"]["hits"]
            out[r.key] = hits[0]["_source"]["pgp_fingerprint"] if hits else None
        return out

    def _evaluate_watches(self, rows: list[PreparedRow], written: dict[tuple[str, str], Prior | None]) -> None:
        """Alerts on new listings and price changes (indexer/watch_alerts.py, indexer/elastic_watch.py).

        Evaluated client-side with the shared rules so both stores raise the same alerts: the keyword rule
        is a case-insensitive substring, which an analysed percolator query cannot express, and the
        integ-test-zip server has no percolator to verify one against.
        """
        if not rows or not written:
            return
        try:
            watches = self._watches()
            if not watches:
                return
            fps = self._fingerprints(rows) if any("pgp_fingerprint" in w for _, w in watches) else {}
            actions = elastic_watch.evaluate(self, rows, written, fps, watches)
        except ESTransportError as e:
            raise bulk.Unreachable(str(e)) from e
        keys = {a["_id"]: f"alert {a['_source']['watch_name']} {a['_source']['market']}:"
                f"{a['_source']['listing_id']}" for a in actions}  # fmt: skip
        self._bulk(actions, keys)

    def alerts(self, since: str | None = None, *, unacked: bool = False, watch_id: str | None = None,
               unmarked: str | None = None) -> list[dict[str, Any]]:
        return self._call(elastic_watch.alerts, self, since, unacked=unacked,  # type: ignore[no-any-return]
                          watch_id=watch_id, unmarked=unmarked)

    # --- crawl state: one document per crawl in <prefix>-crawls

    def begin_crawl(self, market: str) -> str:
        if not market:
            raise StoreError("begin_crawl: empty market name")
        seq = time.time_ns()
        now = now_ts()
        doc: dict[str, Any] = {"market": market, "status": "running", "started_at": now, "updated_at": now,
                               "ended_at": None, "seq": seq, "counters": {}, "reasons": [], "fill_rates": {}}
        crawl_id = str(seq // 1000)  # microseconds: sortable, unique enough for one machine's crawls
        self._call(self.client.create, index=self.names.index("crawls"), id=crawl_id, document=doc,
                   refresh="wait_for")
        return crawl_id

    def update_crawl(self, crawl_id: str, status: str, counters: dict[str, Any], reasons: Sequence[str],
                     fill_rates: dict[str, float] | None = None) -> None:
        from onionwatch.indexer.sqlite_crawls import check_status

        try:
            check_status(status)
        except ValueError as e:
            raise StoreError(str(e)) from e
        now = now_ts()
        doc: dict[str, Any] = {"status": status, "updated_at": now, "ended_at": None if status == "running" else now,
                               "counters": counters, "reasons": list(reasons)}
        if fill_rates is not None:
            doc["fill_rates"] = fill_rates
        try:
            self.client.update(index=self.names.index("crawls"), id=str(crawl_id), doc=doc, refresh="wait_for")
        except NotFoundError:
            raise StoreError(f"{self._where()}: no crawl {crawl_id!r}") from None
        except ESTransportError as e:
            raise StoreError(f"{self._where()}: unreachable ({e})") from e
        except ApiError as e:
            raise StoreError(f"{self._where()}: {e}") from e

    def crawls(self, market: str | None = None) -> list[dict[str, Any]]:
        def run() -> list[dict[str, Any]]:
            query = {"term": {"market": market}} if market is not None else {"match_all": {}}
            hits = self._scan(self.names.alias("crawls"), query, [{"seq": "desc"}])
            keys = ("market", "status", "started_at", "updated_at", "ended_at", "counters", "reasons", "fill_rates")
            return [{"crawl_id": h["_id"], **{k: h["_source"].get(k) for k in keys}} for h in hits]

        return self._call(run)

    # --- mirror health: one document per sample in <prefix>-mirrors

    def record_mirror_health(self, samples: Sequence[dict[str, Any]]) -> int:
        from onionwatch.indexer.sqlite_mirrors import COLUMNS

        if not samples:
            return 0
        seq = time.time_ns()
        actions: list[dict[str, Any]] = []
        for i, sample in enumerate(samples):
            doc = {c: sample.get(c) for c in COLUMNS} | {"up": bool(sample["up"]), "seq": seq + i}
            actions += [{"index": {"_index": self.names.index("mirrors")}}, doc]

        def run() -> int:
            result = self.client.bulk(operations=actions, refresh="wait_for")
            if result.get("errors"):
                raise StoreError(f"{self._where()}: mirror health not written: {result['items'][0]}")
            return len(samples)

        return self._call(run)

    def mirror_health(self, market: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
        from onionwatch.indexer.sqlite_mirrors import COLUMNS

        def run() -> list[dict[str, Any]]:
            terms: list[dict[str, Any]] = [{"term": {"market": market}}] if market is not None else []
            if since is not None:
                terms.append({"range": {"checked_at": {"gte": since}}})
            query = {"bool": {"filter": terms}} if terms else {"match_all": {}}
            hits = self._scan(self.names.alias("mirrors"), query, [{"checked_at": "asc"}, {"seq": "asc"}])
            return [{c: h["_source"].get(c) for c in COLUMNS} for h in hits]

        return self._call(run)

    # --- change-only recrawls (indexer/changes.py)

    def mark_gone(self, crawl_id: str) -> int:
        try:
            crawl = self._call(self.client.get, index=self.names.alias("crawls"), id=str(crawl_id))["_source"]
        except StoreError as e:
            raise StoreError(f"mark_gone: no crawl {crawl_id!r} ({e})") from e
        if crawl["status"] != "complete":
            raise StoreError(f"mark_gone: crawl {crawl_id} is {crawl['status']}, not complete: nothing marked gone")
        gone_at = crawl.get("ended_at") or crawl["started_at"]
        query = eq.bool_filter({"term": {"market": crawl["market"]}},
                               {"range": {"last_seen": {"lt": crawl["started_at"]}}},
                               must_not=[{"term": {"status": "gone"}}])

        def run() -> int:
            hits = list(self._scan(self.names.alias("listings"), query, [{"ow.key": "asc"}], version=True))
            actions = [{"_op_type": "index", "_index": h["_index"], "_id": h["_id"], "version": int(h["_version"]),
                        "version_type": "external_gte", "_source": {**h["_source"], "status": "gone",
                                                                     "gone_at": gone_at}} for h in hits]
            result = self._bulk(actions, {a["_id"]: f"listing {a['_source']['ow']['key']}" for a in actions})
            if result.rejected:
                raise StoreError(f"{self._where()}: {len(result.rejected)} listings could not be marked gone")
            self._refresh()
            return len(actions)

        return self._call(run)

    def vendor_history(self, market: str, vendor_id: str) -> list[dict[str, Any]]:
        def run() -> list[dict[str, Any]]:
            query = eq.bool_filter({"term": {"market": market}}, {"term": {"vendor_id": vendor_id}})
            hits = self._scan(self.names.alias("vendor_history"), query, [{"changed_at": "asc"}, {"field": "asc"}])
            return [{"field": h["_source"]["field"], "old": h["_source"]["old_value"],
                     "new": h["_source"]["new_value"], "changed_at": h["_source"]["changed_at"]} for h in hits]

        return self._call(run)

    # --- lifecycle

    def drop(self) -> None:
        """Delete every index and template of this prefix (tests, `demo --fresh`)."""
        for pattern in self.names.all_patterns():
            self.client.indices.delete(index=pattern, ignore_unavailable=True, allow_no_indices=True)
        for kind in (*KINDS, "observations"):
            with contextlib.suppress(NotFoundError):
                self.client.indices.delete_index_template(name=self.names.alias(kind))

    # --- retention (indexer/elastic_retention.py)

    def purge(self, rules: PurgeRules, dry_run: bool = False) -> PurgeResult:
        from onionwatch.indexer import elastic_retention

        try:
            return elastic_retention.purge(self, rules, dry_run)
        except ESTransportError as e:
            raise StoreError(f"{self._where()}: unreachable during retention ({e})") from e
        except (ApiError, elastic_retention.RetentionWriteError) as e:
            raise StoreError(f"{self._where()}: retention failed: {e}") from e

    def close(self) -> None:
        if not self._loading:
            with contextlib.suppress(ESTransportError, ApiError):
                self._flush_rollups()
        self.client.close()

    def __enter__(self) -> ElasticStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
