"""Bulk writes through elasticsearch.helpers: 429 retries, benign 409s, rejected documents named.

A rejected document (mapping conflict, bad value) never fails the rest of its batch: it is reported as a
`Rejection` naming index, id and reason, and the caller keeps it (dead-letter file) so nothing is lost.
A connection failure raises `Unreachable`; the caller spools the whole batch (ids are idempotent, so a
replay of documents that did get written changes nothing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import ApiError, helpers
from elasticsearch import TransportError as ESTransportError

CHUNK_SIZE = 2000  # actions per bulk request (~2-4 MB of listings)
THREADS = 2  # parallel bulk requests for a batch of more than CHUNK_SIZE actions
MAX_RETRIES = 5  # on 429 (too many requests), with exponential back-off
INITIAL_BACKOFF = 0.5


class Unreachable(Exception):
    """Elasticsearch did not answer (connection refused/reset, timeout): spool and replay later."""


@dataclass
class Rejection:
    index: str
    doc_id: str
    key: str  # the record's natural key (market:listing_id) for the message
    status: int
    reason: str
    source: dict[str, Any] | None = None

    def message(self) -> str:
        return f"index {self.index}: document {self.doc_id} ({self.key}) rejected [{self.status}]: {self.reason}"


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    conflicts: int = 0  # 409: an existing observation, or a newer version already stored (benign)
    transient: int = 0  # items that failed with 5xx (node shutting down): the caller spools the batch
    rejected: list[Rejection] = field(default_factory=list)
    created_ids: set[str] = field(default_factory=set)


def _reason(error: Any) -> str:
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict):
            reason += f" (caused by {cause.get('type')}: {cause.get('reason', '')})"
        return reason[:500]
    return str(error)[:500]


def run(client: Any, actions: Iterable[dict[str, Any]], keys: dict[str, str] | None = None) -> BulkResult:
    """Send actions; each needs ``_index`` and ``_id``. ``keys`` maps _id -> natural key for messages.

    Up to CHUNK_SIZE actions go in one request (streaming_bulk, 429s retried with back-off). More go as
    parallel requests on THREADS threads (helpers.parallel_bulk: the server indexes one chunk while the
    client serialises the next); items the server answered 429 there are sent again through streaming_bulk."""
    actions = list(actions)
    by_id = {(a["_index"], a["_id"]): a for a in actions}
    out = BulkResult()
    try:
        if len(actions) > CHUNK_SIZE and THREADS > 1:
            busy: list[dict[str, Any]] = []
            items = helpers.parallel_bulk(client, actions, thread_count=THREADS, chunk_size=CHUNK_SIZE,
                                          raise_on_error=False, raise_on_exception=True)  # fmt: skip
            _collect(items, out, by_id, actions, keys, busy)
            actions = busy  # too many requests: once more, with retries
        if actions:
            items = helpers.streaming_bulk(client, actions, chunk_size=CHUNK_SIZE, max_retries=MAX_RETRIES,
                                           initial_backoff=INITIAL_BACKOFF, raise_on_error=False,
                                           raise_on_exception=True)  # fmt: skip
            _collect(items, out, by_id, actions, keys, None)
    except ESTransportError as exc:  # connection refused/reset, timeout
        raise Unreachable(str(exc)) from exc
    except ApiError as exc:
        if exc.meta.status >= 500:
            raise Unreachable(str(exc)) from exc
        raise
    if out.transient:
        raise Unreachable(f"{out.transient} document(s) failed with a server error (5xx)")
    return out


def _collect(items: Iterable[tuple[bool, dict[str, Any]]], out: BulkResult, by_id: dict, actions: list,
             keys: dict[str, str] | None, busy: list[dict[str, Any]] | None) -> None:
    """Count the answers into ``out``; 429s go to ``busy`` when given (else they are rejections)."""
    for ok, item in items:
        _, info = next(iter(item.items()))
        status = int(info.get("status", 0))
        if ok:
            if info.get("result") == "created":
                out.created += 1
                out.created_ids.add(info.get("_id", ""))
            else:
                out.updated += 1
            continue
        index, did = info.get("_index", "?"), info.get("_id", "?")
        action = by_id.get((index, did)) or _find(actions, did)
        if status == 409:
            out.conflicts += 1
        elif status == 429 and busy is not None and action is not None:
            busy.append(action)
        elif status >= 500:  # shard unavailable, node closing: the whole batch is retried later
            out.transient += 1
        else:
            out.rejected.append(
                Rejection(
                    index=index,
                    doc_id=did,
                    key=(keys or {}).get(did, "?"),
                    status=status,
                    reason=_reason(info.get("error")),
                    source=(action or {}).get("_source"),
                )
            )


def _find(actions: list[dict[str, Any]], did: str) -> dict[str, Any] | None:
    """An index written through an alias reports the concrete index: look the action up by id."""
    return next((a for a in actions if a["_id"] == did), None)
