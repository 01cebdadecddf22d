"""Bulk writes: NDJSON built once per action, parallel requests, 429 retries, benign 409s, rejections named.

A rejected document (mapping conflict, bad value) never fails the rest of its batch: it is reported as a
`Rejection` naming index, id and reason, and the caller keeps it (dead-letter file) so nothing is lost.
A connection failure raises `Unreachable`; the caller spools the whole batch (ids are idempotent, so a
replay of documents that did get written changes nothing).

Actions are consumed lazily: a chunk is sent as soon as it is serialised, and up to THREADS requests are
in flight while the caller's generator builds the next documents (the server indexes while Python works).
Each action is serialised once, with orjson when it is installed and the document is plain JSON to it,
else with the client's own serializer (the bytes the server gets mean the same either way: see `encode`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import ApiError
from elasticsearch import TransportError as ESTransportError

try:
    import orjson
except ImportError:  # pragma: no cover - a declared dependency; the client's serializer still works
    orjson = None  # type: ignore[assignment]

CHUNK_SIZE = 2000  # actions per bulk request (~2-4 MB of listings)
MAX_CHUNK_BYTES = 16 * 1024 * 1024  # a request is cut earlier when its body grows past this
THREADS = 2  # bulk requests in flight at once (the server indexes one while the next is built)
MAX_RETRIES = 5  # on 429 (too many requests), with exponential back-off
INITIAL_BACKOFF = 0.5
_META_KEYS = ("_index", "_id", "version", "version_type")
# what `_collect` reads of each item: the answer keeps only these (no _shards, _seq_no, _primary_term, _version)
_ITEM_FIELDS = ["items.*._index", "items.*._id", "items.*.status", "items.*.result", "items.*.error"]


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


def reason(error: Any) -> str:
    if isinstance(error, dict):
        reason = f"{error.get('type', 'error')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict):
            reason += f" (caused by {cause.get('type')}: {cause.get('reason', '')})"
        return reason[:500]
    return str(error)[:500]


_LEAVES = frozenset({str, int, bool, type(None)})  # JSON scalars that cannot be NaN or infinite


def _finite(obj: Any) -> bool:
    """No NaN or infinity anywhere (orjson writes them as null; the server refuses them as before).

    A container whose members are all strings, integers, booleans or None (token lists, most of a listing's
    fields) is passed over with one C-level look at their types."""
    stack = [obj]
    while stack:
        x = stack.pop()
        t = type(x)
        if t is float:
            if not math.isfinite(x):
                return False
            continue
        if t is dict:
            members: Any = x.values()
        elif t is list or t is tuple:
            members = x
        else:
            continue
        if not _LEAVES.issuperset(map(type, members)):
            stack.extend(members)
    return True


def encode(value: Any, fallback: Any) -> bytes:
    """One JSON line. orjson when it can write ``value`` exactly as the client's serializer would mean it;
    the client's serializer (``fallback``) for anything else: NaN/infinity, integers beyond 64 bits,
    non-string keys, lone surrogates, datetimes and other objects its ``default`` converts."""
    if orjson is not None and _finite(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)
        except TypeError:
            pass
    out = fallback.dumps(value)
    return out if isinstance(out, bytes) else out.encode("utf-8", "surrogatepass")


def action_lines(action: dict[str, Any], fallback: Any) -> bytes:
    """The NDJSON of one action (``_op_type`` index/create, ``_index``, ``_id``, optional external version)."""
    op = action.get("_op_type", "index")
    meta = {k: action[k] for k in _META_KEYS if k in action}
    return encode({op: meta}, fallback) + b"\n" + encode(action["_source"], fallback) + b"\n"


def chunks(actions: Iterable[dict[str, Any]], fallback: Any, size: int = CHUNK_SIZE,
           max_bytes: int = MAX_CHUNK_BYTES) -> Iterator[tuple[list[dict[str, Any]], bytes]]:
    """(actions, body) per request: at most ``size`` actions, cut earlier past ``max_bytes``."""
    batch: list[dict[str, Any]] = []
    body: list[bytes] = []
    n = 0
    for action in actions:
        lines = action_lines(action, fallback)
        if batch and (len(batch) >= size or n + len(lines) > max_bytes):
            yield batch, b"".join(body)
            batch, body, n = [], [], 0
        batch.append(action)
        body.append(lines)
        n += len(lines)
    if batch:
        yield batch, b"".join(body)


def run(client: Any, actions: Iterable[dict[str, Any]], keys: dict[str, str] | None = None) -> BulkResult:
    """Send actions (consumed lazily); each needs ``_index``, ``_id`` and ``_source``. ``keys`` maps _id ->
    natural key for messages (read after the actions are consumed, so a generator may fill it).

    Requests of up to CHUNK_SIZE actions, THREADS in flight; items answered 429 are sent again with
    exponential back-off (MAX_RETRIES), a request answered 429 as a whole likewise."""
    out = BulkResult()
    fallback = client.transport.serializers.get_serializer("application/json")
    busy: list[dict[str, Any]] = []
    try:
        with ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="es-bulk") as pool:
            pending: list[tuple[list[dict[str, Any]], Future]] = []
            for batch, body in chunks(actions, fallback):
                if len(pending) >= THREADS:  # bounded: at most THREADS bodies wait in memory
                    _collect(*_done(pending.pop(0)), out, busy)
                pending.append((batch, pool.submit(_send, client, body)))
            while pending:
                _collect(*_done(pending.pop(0)), out, busy)
        delay = INITIAL_BACKOFF
        for attempt in range(MAX_RETRIES + 1):
            if not busy:
                break
            time.sleep(delay)
            delay *= 2
            retry, busy = busy, []
            last = attempt == MAX_RETRIES
            for batch, body in chunks(retry, fallback):
                _collect(batch, _send(client, body), out, None if last else busy)
    except ESTransportError as exc:  # connection refused/reset, timeout
        raise Unreachable(str(exc)) from exc
    except ApiError as exc:
        if exc.meta.status >= 500:
            raise Unreachable(str(exc)) from exc
        raise
    for r in out.rejected:
        r.key = (keys or {}).get(r.doc_id, "?")
    if out.transient:
        raise Unreachable(f"{out.transient} document(s) failed with a server error (5xx)")
    return out


def _send(client: Any, body: bytes) -> list[dict[str, Any]]:
    """One bulk request; its items in request order. A 429 for the whole request is retried with back-off."""
    delay = INITIAL_BACKOFF
    for attempt in range(MAX_RETRIES + 1):
        try:
            return list(client.bulk(operations=body, filter_path=_ITEM_FIELDS)["items"])
        except ApiError as exc:
            if exc.meta.status != 429 or attempt == MAX_RETRIES:
                raise
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def _done(pending: tuple[list[dict[str, Any]], Future]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    batch, future = pending
    return batch, future.result()


def _collect(batch: list[dict[str, Any]], items: list[dict[str, Any]], out: BulkResult,
             busy: list[dict[str, Any]] | None) -> None:
    """Count the answers into ``out``; 429s go to ``busy`` when given (else they are rejections)."""
    for action, item in zip(batch, items, strict=True):
        info = next(iter(item.values()))
        status = int(info.get("status", 0))
        if 200 <= status < 300:
            if info.get("result") == "created":
                out.created += 1
                out.created_ids.add(info.get("_id", ""))
            else:
                out.updated += 1
        elif status == 409:
            out.conflicts += 1
        elif status == 429 and busy is not None:
            busy.append(action)
        elif status >= 500:  # shard unavailable, node closing: the whole batch is retried later
            out.transient += 1
        else:
            out.rejected.append(
                Rejection(
                    index=info.get("_index", action["_index"]),  # the concrete index when written via an alias
                    doc_id=info.get("_id", action["_id"]),
                    key="?",
                    status=status,
                    reason=reason(info.get("error")),
                    source=action.get("_source"),
                )
            )
