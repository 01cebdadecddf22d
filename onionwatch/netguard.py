"""The process egress guard: a Python audit hook that refuses every socket destination off the allow-list.

Why at the socket level: the crawler's own egress middleware only sees Scrapy requests; a dependency that
opens a socket on its own (tldextract fetching the Public Suffix List was one) goes around it. Every
``socket.connect``/``sendto``/``sendmsg`` and every name lookup (``getaddrinfo``, ``gethostbyname[_ex]``,
``gethostbyaddr``, ``getnameinfo``) of this Python process passes :func:`_hook` first, whichever thread and
library makes it.

Allowed, and nothing else (:class:`Policy`):
- loopback (127.0.0.0/8, ::1, ``localhost``), any port but 53: the testbed, the private Tor network, the
  dashboards. Port 53 is refused because a loopback stub resolver forwards queries to the clear net;
- the configured Tor SOCKS and control endpoints, the store's host:port (an Elasticsearch URL);
- host:port of the mirrors of markets explicitly ``network: clearnet`` crawled with ``--transport direct``
  (granted by crawler.run once the definitions are validated; a name is resolved by the guard itself, and
  a connection to any address it does not resolve to is refused);
- Unix and netlink sockets (local IPC).

A refused call raises :class:`EgressBlocked` (an OSError, EACCES: Twisted turns it into a failed connection,
not a hang) or, for lookups, :class:`LookupBlocked` (also a ``socket.gaierror``: resolvers turn it into "no
address"). Each refusal is logged with the module that tried (the first frame outside the socket and
HTTP-client layers) and kept (:func:`refusals`) so the crawl summary reports it.

Audit hooks cannot be removed, so the hook is installed once and consults a module-level :class:`Policy`
that callers widen (:func:`allow`) or tests swap (:func:`use_policy`). Every command that can talk to a
market calls :func:`install_for_command` as its first statement; no market definition and no setting can
switch it off. Importing this module imports neither Scrapy nor any HTTP client.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

from onionwatch.errors import EgressBlocked

logger = logging.getLogger(__name__)

LOOKUP_EVENTS = frozenset({"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                           "socket.getnameinfo"})
SEND_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
EVENTS = LOOKUP_EVENTS | SEND_EVENTS
DNS_PORT = 53
LOCAL_FAMILIES = frozenset(f for f in (getattr(socket, "AF_UNIX", None), getattr(socket, "AF_NETLINK", None))
                           if f is not None)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# modules that only carry a connection for someone else: the culprit is the first frame outside them
_PLUMBING = ("socket", "ssl", "selectors", "asyncio", "concurrent", "threading", "http.client", "urllib",
             "urllib3", "requests", "httpx", "httpcore", "anyio", "socksio", "twisted.internet", "twisted.python",
             "twisted._threads",
             "elastic_transport", "email", "smtplib", "onionwatch.netguard")


class LookupBlocked(EgressBlocked, socket.gaierror):
    """A name lookup refused by the guard; a gaierror too, so resolvers report "no address" and go on."""


@dataclass(frozen=True)
class Refusal:
    """One refused socket call: what, where to, and which module tried."""

    event: str
    destination: str
    module: str
    thread: str
    stack: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "destination": self.destination, "module": self.module,
                "thread": self.thread}


def is_loopback(host: str) -> bool:
    """``localhost`` (and ``*.localhost``), 127.0.0.0/8, ::1 and IPv4-mapped loopback."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def _norm(host: str | bytes | None) -> str:
    if isinstance(host, bytes):
        host = host.decode("idna", "replace")
    return (host or "").strip("[]").lower().rstrip(".")


def url_endpoint(url: str) -> tuple[str, int] | None:
    """(host, port) of an http(s) URL, default ports filled in; None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return _norm(parts.hostname), port or _DEFAULT_PORTS[parts.scheme]


@dataclass(frozen=True)
class Policy:
    """Where this process may connect: explicit (host, port) endpoints, plus loopback when ``loopback``."""

    endpoints: frozenset[tuple[str, int]] = frozenset()
    loopback: bool = True

    def with_endpoints(self, endpoints: Iterable[tuple[str, int]]) -> Policy:
        extra = {(_norm(h), int(p)) for h, p in endpoints if h}
        return replace(self, endpoints=self.endpoints | extra)

    def names(self) -> set[str]:
        return {h for h, _ in self.endpoints}

    def lookup_problem(self, host: str) -> str | None:
        """None when a lookup of `host` may happen (it reveals only the name), else why not."""
        if not host or (self.loopback and is_loopback(host)) or host in self.names():
            return None
        return f"lookup of {host!r} (not an allowed destination)"

    def connect_problem(self, host: str, port: int) -> str | None:
        """None when a connection to host:port may be opened, else why not."""
        if self.loopback and is_loopback(host):
            if port == DNS_PORT and (host, port) not in self.endpoints:
                return f"{host}:{port} (DNS on loopback forwards to the clear net)"
            return None
        if (host, port) in self.endpoints:
            return None
        if is_ip(host) and host in _RESOLVED.addresses(self, port):
            return None
        return f"{host}:{port} (not Tor, the store, loopback or a clearnet mirror)"


class _Resolutions:
    """Addresses of the allowed names, resolved by the guard itself (bypassing the hook), cached briefly."""

    ttl = 60.0

    def __init__(self) -> None:
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def addresses(self, policy: Policy, port: int) -> set[str]:
        found: set[str] = set()
        for host, allowed_port in policy.endpoints:
            if allowed_port == port and not is_ip(host):
                found |= self._resolve(host)
        return found

    def _resolve(self, host: str) -> frozenset[str]:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(host)
        if cached is not None and cached[0] > now:
            return cached[1]
        _local.busy = True
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
            addresses = frozenset(_norm(str(info[4][0])) for info in infos)
        except OSError:
            addresses = frozenset()
        finally:
            _local.busy = False
        with self._lock:
            self._cache[host] = (now + self.ttl, addresses)
        return addresses


_RESOLVED = _Resolutions()
_local = threading.local()


@dataclass
class _State:
    policy: Policy = field(default_factory=Policy)
    installed: bool = False
    refusals: list[Refusal] = field(default_factory=list)
    count: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


_STATE = _State()
MAX_KEPT = 200  # refusals kept in full; the count goes on


def _destination(event: str, args: tuple[Any, ...]) -> tuple[str, int | None] | None:
    """(host, port) the call is about; None for a local socket family or an unknown address form."""
    if event in SEND_EVENTS:
        sock, address = args[0], args[1]
        if getattr(sock, "family", None) in LOCAL_FAMILIES or not isinstance(address, tuple):
            return None
        if len(address) < 2 or not isinstance(address[0], (str, bytes)):
            return None
        return _norm(address[0]), int(address[1])
    if event == "socket.getaddrinfo":
        host, port = args[0], args[1]
        return _norm(host), port if isinstance(port, int) else None
    if event == "socket.getnameinfo":
        sockaddr = args[0]
        return (_norm(sockaddr[0]), None) if isinstance(sockaddr, tuple) and sockaddr else None
    return _norm(args[0]), None  # gethostbyname(_ex), gethostbyaddr


def check(event: str, args: tuple[Any, ...], policy: Policy | None = None) -> str | None:
    """Why this audited socket call must not happen (one phrase), or None when it may."""
    if event not in EVENTS:
        return None
    dest = _destination(event, args)
    if dest is None:
        return None
    policy = policy or _STATE.policy
    host, port = dest
    if event in ("socket.getaddrinfo", "socket.gethostbyname") and is_ip(host):
        return None  # a numeric address is not looked up (nothing is sent); its connection is checked
    if event in LOOKUP_EVENTS:
        return policy.lookup_problem(host)
    return policy.connect_problem(host, port if port is not None else 0)


def _is_plumbing(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in _PLUMBING)


def culprit(frame: Any) -> tuple[str, tuple[str, ...]]:
    """The first module outside the socket/HTTP-client layers on the stack, and the modules above it."""
    stack: list[str] = []
    while frame is not None and len(stack) < 60:
        stack.append(str(frame.f_globals.get("__name__", "?")))
        frame = frame.f_back
    first = next((m for m in stack if not _is_plumbing(m)), None)
    if first is None:
        first = next((m for m in stack if m not in ("socket", "onionwatch.netguard")), "?")
    return first, tuple(stack[:12])


def _refuse(event: str, args: tuple[Any, ...], reason: str) -> None:
    module, stack = culprit(sys._getframe(2))
    dest = _destination(event, args)
    where = "?" if dest is None else dest[0] if dest[1] is None else f"{dest[0]}:{dest[1]}"
    refusal = Refusal(event, where, module, threading.current_thread().name, stack)
    with _STATE.lock:
        _STATE.count += 1
        if len(_STATE.refusals) < MAX_KEPT:
            _STATE.refusals.append(refusal)
    message = f"egress refused: {event} {reason} by {module}"
    _local.busy = True
    try:
        logger.warning("%s", message)
    finally:
        _local.busy = False
    if event in LOOKUP_EVENTS:
        raise LookupBlocked(socket.EAI_NONAME, message)
    raise EgressBlocked(errno.EACCES, message)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in EVENTS or getattr(_local, "busy", False):
        return
    reason = check(event, args)
    if reason is not None:
        _refuse(event, args, reason)


def install(policy: Policy | None = None) -> None:
    """Install the hook once per process (idempotent) and set the policy (default: loopback only)."""
    with _STATE.lock:
        if policy is not None or not _STATE.installed:
            _STATE.policy = policy or Policy()
        if not _STATE.installed:
            sys.addaudithook(_hook)
            _STATE.installed = True


def installed() -> bool:
    return _STATE.installed


def current_policy() -> Policy:
    return _STATE.policy


def allow(endpoints: Iterable[tuple[str, int]]) -> None:
    """Widen the policy by these (host, port) endpoints (Tor, the store, clearnet mirrors)."""
    with _STATE.lock:
        _STATE.policy = _STATE.policy.with_endpoints(endpoints)


@contextmanager
def use_policy(policy: Policy) -> Iterator[Policy]:
    """Tests: consult `policy` inside the block, then restore the previous one (the hook stays)."""
    with _STATE.lock:
        previous, _STATE.policy = _STATE.policy, policy
    try:
        yield policy
    finally:
        with _STATE.lock:
            _STATE.policy = previous


def refusal_count() -> int:
    return _STATE.count


def refusals(since: int = 0) -> list[Refusal]:
    """Refusals kept since the count was `since` (see :func:`refusal_count`)."""
    with _STATE.lock:
        return list(_STATE.refusals[since:])


def allow_stores(store_urls: Iterable[str | None]) -> None:
    """Widen the policy by the host:port of every Elasticsearch store URL given (SQLite needs nothing)."""
    allow(ep for u in store_urls for ep in store_endpoints(u))


def store_endpoint(store_url: str | None) -> tuple[str, int] | None:
    """host:port of an Elasticsearch store URL (its first host); None for SQLite (a file) or no URL."""
    found = store_endpoints(store_url)
    return found[0] if found else None


def store_endpoints(store_url: str | None) -> list[tuple[str, int]]:
    """Every host:port an Elasticsearch store URL lists (`es://h1:p1,h2:p2`, indexer/es_url.py); [] for SQLite,
    no URL or a URL that does not parse (opening the store then fails with the reason)."""
    from onionwatch.errors import StoreError
    from onionwatch.indexer import es_url  # stdlib only: no HTTP client imported

    if not es_url.is_es_url(store_url):
        return []
    try:
        return list(es_url.parse(str(store_url)).endpoints)
    except StoreError:
        return []


def tor_endpoints(env: dict[str, str] | None = None) -> list[tuple[str, int]]:
    """The Tor SOCKS and control endpoints named by TOR_SOCKS_HOST/PORT and TOR_CONTROL_PORT (defaults 9050/9051)."""
    env = dict(os.environ) if env is None else env
    host = env.get("TOR_SOCKS_HOST") or "127.0.0.1"
    found = []
    for var, default in (("TOR_SOCKS_PORT", 9050), ("TOR_CONTROL_PORT", 9051)):
        try:
            found.append((host, int(env.get(var) or default)))
        except ValueError:
            continue  # the crawl settings reject the value with a clear error
    return found


def install_for_command(command: str, store_url: str | None = None,
                        extra: Iterable[tuple[str, int]] = ()) -> None:
    """First statement of every command that can talk to a market: pin dependencies offline, then guard.

    Allowed from the start: loopback, the Tor endpoints from the environment, the store (the --store URL,
    else ONIONWATCH_STORE) and `extra` (e.g. `tor check --socks-host`). The crawl widens it with the settings
    it runs with (crawler.run).
    """
    from onionwatch import offline

    offline.pin_environment()
    endpoints = [*tor_endpoints(), *extra]
    endpoints += store_endpoints(store_url or os.environ.get("ONIONWATCH_STORE"))
    install(Policy().with_endpoints(endpoints))
    logger.debug("egress guard on for %s: %s", command, sorted(_STATE.policy.endpoints))
