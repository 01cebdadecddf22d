"""The crawl frontier on Redis: several crawler processes share one frontier, seen-set and raw-item queue.

The same `Frontier` / `RawQueue` protocols and the same page states as `SQLiteFrontier` (crawler/frontier.py),
so the crawl session, the index stage, resume and outcomes work unchanged. Every mutation is ONE Lua script
(atomic on the server), so a `kill -9` of any worker leaves either all of a page or none of it.

What several workers add is leases. `next_batch` pops pages off the shared queue and leases them to this worker
(`leased`: url -> worker id); the worker keeps a liveness key (`worker:<id>`, SET PX) fresh from a daemon
thread. A worker killed mid-crawl stops refreshing it; once it expires (`lease_seconds`) the next `next_batch`
of any worker puts the dead worker's pages back at the front of the queue. A page handed out more than
`max_handouts` times (it kills or loses every worker that takes it) is marked failed. `page_done` of a page
another worker already finished does nothing (no second raw item: 0 duplicate observations).

Keys (one crawl): ``<prefix>:{meta,state,depth,chain,kind,counts,queue,leased,handouts,notes,items,seq}``,
``<prefix>:worker:<id>``. The prefix is ``onionwatch:<store key>:<market>:<crawl id>``.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from onionwatch.crawler.frontier import FrontierCounts, PageState, QueuedPage, RawItem, StageProgress
from onionwatch.errors import CrawlRefused, InputError

SCHEMES = ("redis://", "rediss://", "unix://")
LEASE_SECONDS = 30.0
MAX_HANDOUTS = 5
_FIELDS = ("meta", "state", "depth", "chain", "kind", "counts", "queue", "leased", "handouts", "notes", "items", "seq")
_NAMES = {int(s): s.name.lower() for s in PageState}

# Lua helpers shared by the scripts: K(name) builds a key of this crawl; setstate moves the state counters.
_LIB = """
local P = ARGV[1]
local function K(n) return P .. ':' .. n end
local NAMES = {[0]='queued', [1]='done', [2]='failed', [3]='mismatch', [4]='beyond_depth', [5]='refused',
               [6]='beyond_pagination', [7]='gone'}
local function setstate(url, new, kind)
  local old = redis.call('HGET', K('state'), url)
  if old then
    redis.call('HINCRBY', K('counts'), NAMES[tonumber(old)], -1)
    local oldkind = redis.call('HGET', K('kind'), url)
    if tonumber(old) == 1 and oldkind then redis.call('HINCRBY', K('counts'), 'kind:' .. oldkind, -1) end
  end
  redis.call('HSET', K('state'), url, new)
  redis.call('HINCRBY', K('counts'), NAMES[tonumber(new)], 1)
  if kind and kind ~= '' then
    redis.call('HSET', K('kind'), url, kind)
    if tonumber(new) == 1 then redis.call('HINCRBY', K('counts'), 'kind:' .. kind, 1) end
  end
end
local function note(state, text)
  if text and text ~= '' then redis.call('HSETNX', K('notes'), NAMES[tonumber(state)], text) end
end
local function add(url, depth, state, chain)
  -- a new URL, or one known only beyond a limit that is now found within the limits
  local old = redis.call('HGET', K('state'), url)
  if old and not ((old == '4' or old == '6') and state == 0) then return end
  setstate(url, state, nil)
  redis.call('HSET', K('depth'), url, depth)
  redis.call('HSET', K('chain'), url, chain)
  if state == 0 then redis.call('RPUSH', K('queue'), url) end
end
"""

_SEED = _LIB + """
for i = 2, #ARGV do add(ARGV[i], 0, 0, 0) end
return 0
"""

# ARGV: prefix, url, depth, state, kind, item, note, depth_limit, pagination_limit, n_links, links..., next_pages...
_PAGE_DONE = _LIB + """
local url, depth, state, kind = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local item, text, dlimit, plimit, nlinks = ARGV[6], ARGV[7], tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
redis.call('HDEL', K('leased'), url)
local old = redis.call('HGET', K('state'), url)
if old == '1' or old == '3' then return 0 end  -- another worker parsed it first: nothing twice
setstate(url, state, kind)
if not redis.call('HGET', K('depth'), url) then redis.call('HSET', K('depth'), url, depth) end
local child = depth + 1
local lstate = 0
if child > dlimit then lstate = 4 end
for i = 11, 10 + nlinks do add(ARGV[i], child, lstate, 0) end
if #ARGV > 10 + nlinks then
  local chain = tonumber(redis.call('HGET', K('chain'), url) or '0') + 1
  local nstate = 0
  if chain > plimit then nstate = 6 end
  for i = 11 + nlinks, #ARGV do add(ARGV[i], depth, nstate, chain) end
end
if item ~= '' then
  local seq = redis.call('INCR', K('seq'))
  redis.call('ZADD', K('items'), seq, seq .. '\\t' .. item)
  if kind == 'rows' then
    local rows = cjson.decode(string.sub(item, 6))['listings']
    redis.call('HINCRBY', K('counts'), 'row_listings', #rows)
  end
end
note(state, text)
return 1
"""

# ARGV: prefix, url, state, note
_PAGE_FAILED = _LIB + """
redis.call('HDEL', K('leased'), ARGV[2])
local old = redis.call('HGET', K('state'), ARGV[2])
if not old or old == '1' or old == '3' then return 0 end
setstate(ARGV[2], tonumber(ARGV[3]), nil)
note(ARGV[3], ARGV[4])
return 1
"""

# Put the pages of dead workers (or of this worker, on rewind) back at the front of the queue.
# ARGV: prefix, worker, n, max_handouts, rewind(0/1)
_NEXT = _LIB + """
local me, n, maxh, rewind = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5] == '1'
local leased = redis.call('HGETALL', K('leased'))
local alive = {}
for i = 1, #leased, 2 do
  local url, who = leased[i], leased[i + 1]
  if alive[who] == nil then alive[who] = redis.call('EXISTS', K('worker:' .. who)) == 1 end
  if (not alive[who]) or (rewind and who == me) then
    redis.call('HDEL', K('leased'), url)
    if redis.call('HGET', K('state'), url) == '0' then redis.call('LPUSH', K('queue'), url) end
  end
end
local out = {}
while #out < 2 * n do
  local url = redis.call('LPOP', K('queue'))
  if not url then break end
  if redis.call('HGET', K('state'), url) == '0' and not redis.call('HGET', K('leased'), url) then
    local h = redis.call('HINCRBY', K('handouts'), url, 1)
    if h > maxh then
      setstate(url, 2, nil)
      note(2, url .. ': handed out ' .. maxh .. ' times and never parsed (a worker died or dropped it each time)')
    else
      redis.call('HSET', K('leased'), url, me)
      out[#out + 1] = url
      out[#out + 1] = redis.call('HGET', K('depth'), url) or '0'
    end
  end
end
return out
"""

_REQUEUE_FAILED = _LIB + """
local states = redis.call('HGETALL', K('state'))
local n = 0
for i = 1, #states, 2 do
  if states[i + 1] == '2' then
    setstate(states[i], 0, nil)
    redis.call('HDEL', K('handouts'), states[i])
    redis.call('RPUSH', K('queue'), states[i])
    n = n + 1
  end
end
return n
"""


def is_redis_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(SCHEMES)


def frontier_endpoint(url: str | None) -> tuple[str, int] | None:
    """host:port of a redis:// frontier URL (for the egress guard); None for anything else."""
    if not url or not url.startswith(("redis://", "rediss://")):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port or 6379
    except ValueError:
        return None
    return (parts.hostname or "127.0.0.1").lower(), port


def check_url(url: str) -> str:
    """A usable --frontier URL, or InputError naming the problem (no password in the message)."""
    if not is_redis_url(url):
        raise InputError(f"--frontier: {url.split('@')[-1]!r} is not a redis:// URL (e.g. redis://127.0.0.1:6390/0)")
    if url.startswith(("redis://", "rediss://")) and frontier_endpoint(url) is None:
        raise InputError(f"--frontier: {url.split('@')[-1]!r}: bad host or port")
    return url


def connect(url: str) -> Any:
    """A redis-py client for `url`; CrawlRefused when the server does not answer."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10, health_check_interval=30)
    try:
        client.ping()
    except redis.RedisError as exc:
        endpoint = frontier_endpoint(url)
        where = f"{endpoint[0]}:{endpoint[1]}" if endpoint else url.split("@")[-1]  # never the password
        raise CrawlRefused(f"--frontier: Redis at {where} does not answer ({exc}); start it with "
                          "scripts/redis-server.sh start") from None
    return client


class RedisFrontier:
    """Frontier + RawQueue on one Redis server, shared by every worker of a crawl (one object per process)."""

    shared = True  # other processes hand out pages of this frontier too (the spider waits for their leases)

    def __init__(self, url: str, prefix: str, depth_limit: int = 50, pagination_limit: int = 10_000,
                 lease_seconds: float = LEASE_SECONDS, max_handouts: int = MAX_HANDOUTS,
                 worker: str | None = None) -> None:
        self.url = url
        self.prefix = prefix
        self.depth_limit = depth_limit
        self.pagination_limit = pagination_limit
        self.lease_seconds = lease_seconds
        self.max_handouts = max_handouts
        self.worker = worker or uuid.uuid4().hex[:12]
        self._r = connect(url)
        self._scripts = {name: self._r.register_script(src) for name, src in
                         (("seed", _SEED), ("done", _PAGE_DONE), ("failed", _PAGE_FAILED), ("next", _NEXT),
                          ("requeue", _REQUEUE_FAILED))}
        self._alive = threading.Event()
        self._beat: threading.Thread | None = None

    @property
    def locator(self) -> str:
        """What another process opens this frontier with (`open_frontier`)."""
        return f"{self.url}#{self.prefix}"

    @classmethod
    def from_locator(cls, locator: str, **kwargs: Any) -> RedisFrontier:
        url, _, prefix = locator.partition("#")
        return cls(url, prefix, **kwargs)

    @classmethod
    def create(cls, url: str, prefix: str, depth_limit: int, meta: dict[str, str],
               pagination_limit: int = 10_000, **kwargs: Any) -> RedisFrontier:
        f = cls(url, prefix, depth_limit, pagination_limit, **kwargs)
        f.discard()
        f._r.hset(f._k("meta"), mapping=meta)
        return f

    def exists(self) -> bool:
        return bool(self._r.exists(self._k("meta")))

    def _k(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    # --- liveness (the lease of every page this worker holds)

    def _heartbeat(self) -> None:
        ms = int(self.lease_seconds * 1000)
        while not self._alive.wait(self.lease_seconds / 3):
            try:
                self._r.set(self._k(f"worker:{self.worker}"), "1", px=ms)
            except Exception:  # noqa: BLE001 - a missed beat only lets the lease lapse; the crawl goes on
                continue

    def _ensure_alive(self) -> None:
        self._r.set(self._k(f"worker:{self.worker}"), "1", px=int(self.lease_seconds * 1000))
        if self._beat is None:
            self._beat = threading.Thread(target=self._heartbeat, name="frontier-lease", daemon=True)
            self._beat.start()

    # --- meta

    def get_meta(self, key: str) -> str | None:
        value = self._r.hget(self._k("meta"), key)
        return value.decode() if value is not None else None

    def set_meta(self, key: str, value: str) -> None:
        self._r.hset(self._k("meta"), key, value)

    def note(self, key: str) -> str | None:
        value = self._r.hget(self._k("notes"), key)
        return value.decode() if value is not None else None

    # --- crawl side

    def seed(self, urls: Sequence[str]) -> None:
        if urls:
            self._scripts["seed"](args=[self.prefix, *urls])

    def requeue_failed(self) -> int:
        return int(self._scripts["requeue"](args=[self.prefix]))

    def next_batch(self, n: int) -> list[QueuedPage]:
        return self._hand_out(n, rewind=False)

    def rewind(self) -> None:
        """Pages this worker holds go back to the queue (the spider calls this with nothing in flight)."""
        self._hand_out(0, rewind=True)

    def _hand_out(self, n: int, rewind: bool) -> list[QueuedPage]:
        if n <= 0 and not rewind:
            return []
        self._ensure_alive()
        raw = self._scripts["next"](args=[self.prefix, self.worker, max(n, 0), self.max_handouts,
                                          "1" if rewind else "0"])
        return [QueuedPage(raw[i].decode(), int(raw[i + 1])) for i in range(0, len(raw), 2)]

    def page_done(self, url: str, links: Iterable[str], depth: int, item: tuple[str, dict[str, Any]] | None = None,
                  state: PageState = PageState.DONE, note: str | None = None, next_pages: Iterable[str] = ()) -> None:
        next_pages = list(dict.fromkeys(next_pages))
        plain = [link for link in dict.fromkeys(links) if link not in next_pages]
        body = f"{item[0]}\t{json.dumps(item[1], ensure_ascii=False)}" if item is not None else ""
        self._scripts["done"](args=[self.prefix, url, depth, int(state), item[0] if item else "", body, note or "",
                                    self.depth_limit, self.pagination_limit, len(plain), *plain, *next_pages])

    def page_failed(self, url: str, state: PageState = PageState.FAILED, note: str | None = None) -> None:
        self._scripts["failed"](args=[self.prefix, url, int(state), note or ""])

    def counts(self) -> FrontierCounts:
        raw = {k.decode(): int(v) for k, v in self._r.hgetall(self._k("counts")).items()}
        c = FrontierCounts(**{name: raw.get(name, 0) for name in _NAMES.values()})
        c.row_listings = raw.get("row_listings", 0)
        c.listings = raw.get("kind:listing", 0) + c.row_listings
        c.vendors = raw.get("kind:vendor", 0)
        c.items_waiting = int(self._r.zcard(self._k("items")))
        return c

    def leased(self) -> int:
        """Pages handed out to workers and not yet parsed or failed."""
        return int(self._r.hlen(self._k("leased")))

    # --- stage side

    def pending(self, after: int, limit: int) -> list[RawItem]:
        rows = self._r.zrangebyscore(self._k("items"), f"({after}", "+inf", start=0, num=limit)
        items = []
        for row in rows:
            seq, kind, body = row.decode().split("\t", 2)
            items.append(RawItem(int(seq), kind, json.loads(body)))
        return items

    def indexed(self, progress: StageProgress) -> None:
        pipe = self._r.pipeline(transaction=True)
        pipe.zremrangebyscore(self._k("items"), "-inf", progress.cursor)
        pipe.hset(self._k("meta"), "stage", json.dumps(progress.__dict__))
        pipe.execute()

    def progress(self) -> StageProgress:
        raw = self.get_meta("stage")
        return StageProgress(**json.loads(raw)) if raw else StageProgress()

    # --- the end

    def discard(self) -> None:
        """Delete the crawl's keys (a finished crawl, or a new one under the same prefix)."""
        keys = [self._k(name) for name in _FIELDS]
        keys += [k.decode() for k in self._r.scan_iter(match=self._k("worker:*"), count=1000)]
        self._r.delete(*keys)

    def drop(self) -> None:
        """The crawl ended for good: delete its keys and close."""
        self.discard()
        self.close()

    def close(self) -> None:
        self._alive.set()
        if self._beat is not None:
            self._beat.join(2)
        with contextlib.suppress(Exception):  # the lease lapses on its own
            self._r.delete(self._k(f"worker:{self.worker}"))
        self._r.close()
