"""Elasticsearch store URLs: one server or a cluster's several hosts.

    http(s)://HOST[:PORT][/INDEX_PREFIX][?index_prefix=P&refresh=false]
    es://HOST:PORT,HOST:PORT,...[/INDEX_PREFIX][?...]          (es: = http, es+https: = https)
    http://HOST:PORT,HOST:PORT/...                             (several hosts on http(s) too)

Every listed host is a node the client may send requests to (it spreads them and fails over); the egress
guard (onionwatch/netguard.py) allows exactly the listed host:port pairs. Default port: 9200 for http,
443 for https. Credentials (`user:password@` before the hosts) are read by indexer/elastic_auth.py and
never shown (onionwatch/private.py redact_url).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from onionwatch.errors import StoreError

SCHEMES = {"http": "http", "https": "https", "es": "http", "es+https": "https"}
DEFAULT_PORT = {"http": 9200, "https": 443}
_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,100}$")
_HOST_RE = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::([0-9]*))?$")


@dataclass(frozen=True)
class EsUrl:
    servers: tuple[str, ...]  # "scheme://host:port", no credentials
    endpoints: tuple[tuple[str, int], ...]  # (host, port) for the egress guard, host lowercased, no brackets
    prefix: str
    refresh: bool

    @property
    def server(self) -> str:
        """One string for messages and the spool key: the single server, or `scheme://h1:p1,h2:p2`."""
        if len(self.servers) == 1:
            return self.servers[0]
        scheme = self.servers[0].split("://", 1)[0]
        return f"{scheme}://" + ",".join(s.split("://", 1)[1] for s in self.servers)


def is_es_url(url: str | None) -> bool:
    """True for an Elasticsearch store URL (by its scheme; parse() checks the rest)."""
    return bool(url) and "://" in str(url) and str(url).split("://", 1)[0].lower() in SCHEMES


def _shown(url: str) -> str:
    from onionwatch.private import redact_url

    return redact_url(url)


def _netloc_hosts(netloc: str) -> str:
    return netloc.rsplit("@", 1)[1] if "@" in netloc else netloc


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) written before the hosts, or None."""
    netloc = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0] if "://" in url else ""
    if "@" not in netloc:
        return None
    userinfo = netloc.rsplit("@", 1)[0]
    user, _, password = userinfo.partition(":")
    return unquote(user), unquote(password)


def parse(url: str) -> EsUrl:
    """Parse an Elasticsearch store URL (StoreError naming the URL, password masked, on anything wrong)."""
    shown = _shown(url)
    usage = "expected http(s)://HOST:PORT[/INDEX_PREFIX] or es://HOST:PORT,HOST:PORT,...[/INDEX_PREFIX]"
    if "://" not in url:
        raise StoreError(f"store URL {shown!r}: {usage}")
    given, rest = url.split("://", 1)
    scheme = SCHEMES.get(given.lower())
    if scheme is None:
        raise StoreError(f"store URL {shown!r}: {usage}")
    cut = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    netloc, tail = _netloc_hosts(rest[:cut]), rest[cut:]
    try:  # the path and query with an ordinary parser (a host list is not a netloc it accepts)
        parts = urlsplit(f"http://h{tail}")
    except ValueError:
        raise StoreError(f"store URL {shown!r}: {usage}") from None
    servers, endpoints = [], []
    for item in netloc.split(","):
        m = _HOST_RE.match(item.strip())
        if not m:
            raise StoreError(f"store URL {shown!r}: bad host {item.strip()!r}; {usage}")
        host, port_text = m.group(1), m.group(2)
        port = DEFAULT_PORT[scheme] if not port_text else int(port_text)
        if not 0 < port < 65536:
            raise StoreError(f"store URL {shown!r}: bad port {port_text!r}")
        servers.append(f"{scheme}://{host}:{port}")
        endpoints.append((host.strip("[]").lower().rstrip("."), port))
    if len(set(servers)) != len(servers):
        raise StoreError(f"store URL {shown!r}: a host is listed twice")
    params = parse_qs(parts.query)
    prefix = params.get("index_prefix", [""])[-1] or parts.path.strip("/") or "onionwatch"
    if not _PREFIX_RE.match(prefix):
        raise StoreError(
            f"store URL {shown!r}: index prefix {prefix!r} must be lowercase letters, digits, '_', '-', '.'"
        )
    refresh = params.get("refresh", ["true"])[-1].lower() not in ("false", "0", "no")
    return EsUrl(tuple(servers), tuple(endpoints), prefix, refresh)
