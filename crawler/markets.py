"""Market definitions: one YAML per market under config/markets/, validated by one schema.

Every problem is reported as ``file: field: problem`` (see :class:`MarketDefinitionError`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from parsel import Selector
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from onionwatch.config_errors import read_yaml, validate
from onionwatch.crawler.limits import Limits
from onionwatch.crawler.politeness import Politeness
from onionwatch.errors import MarketDefinitionError, UnknownMarketError
from onionwatch.netguard import is_ip, is_loopback
from onionwatch.paths import markets_dir


def _check_css(css: str) -> str:
    try:
        Selector(text="<html></html>").css(css)
    except Exception as exc:  # cssselect raises several types; all mean "bad selector"
        raise ValueError(f"invalid CSS selector {css!r} ({exc.__class__.__name__})") from None
    return css


class FieldSpec(BaseModel):
    """How to read one field: a CSS selector (parsel syntax, ``::text``/``::attr(x)`` allowed)."""

    model_config = ConfigDict(extra="forbid")
    css: str
    many: bool = False  # a list of values, one per match
    join: str = " "  # how several text nodes of a single-valued field are joined
    regex: str | None = None  # optional: keep the first group (or whole match) of this regex
    required: bool = False  # a page without this field is a selector mismatch

    @field_validator("css")
    @classmethod
    def _css(cls, v: str) -> str:
        return _check_css(v)

    @field_validator("regex")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"invalid regex {v!r}: {exc}") from None
        return v


def _coerce_fields(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: ({"css": s} if isinstance(s, str) else s) for k, s in v.items()}
    return v


class PageSpec(BaseModel):
    """A page type (listing or vendor): which URLs it covers, what must be present, which fields."""

    model_config = ConfigDict(extra="forbid")
    url_pattern: str  # regex with a named group `id`, matched against the URL path + query
    require: str  # CSS selector that must match, else the page does not match its definition
    fields: dict[str, FieldSpec]

    _fields = field_validator("fields", mode="before")(_coerce_fields)

    @field_validator("url_pattern")
    @classmethod
    def _pattern(cls, v: str) -> str:
        try:
            rx = re.compile(v)
        except re.error as exc:
            raise ValueError(f"invalid regex {v!r}: {exc}") from None
        if "id" not in rx.groupindex:
            raise ValueError("needs a named group (?P<id>...)")
        return v

    @field_validator("require")
    @classmethod
    def _require(cls, v: str) -> str:
        return _check_css(v)


LISTING_FIELDS = {
    "title", "description", "price_text", "vendor_name", "vendor_url", "category", "ships_from",
    "ships_to", "location", "escrow", "tiers",
}
VENDOR_FIELDS = {"name", "rating", "sales", "joined", "pgp_key", "contacts", "crypto_addresses", "description"}


class Navigation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: list[str] = Field(default_factory=lambda: ["/"])  # paths (or URLs) the crawl starts from
    follow: list[str] = Field(default_factory=list)  # link selectors to navigation pages
    next_page: str | None = None  # link selector of the "next page" link
    listing_links: str  # link selector of listing pages
    vendor_links: str | None = None  # link selector of vendor pages

    @field_validator("follow")
    @classmethod
    def _follow(cls, v: list[str]) -> list[str]:
        return [_check_css(c) for c in v]

    @field_validator("next_page", "listing_links", "vendor_links")
    @classmethod
    def _links(cls, v: str | None) -> str | None:
        return None if v is None else _check_css(v)


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str  # path of the login form page
    form: str = "form"  # CSS selector of the form
    username_field: str = "username"
    password_field: str = "password"
    credentials: str  # key into the user's credentials (file or env); never the secret itself
    success: str  # CSS selector present on a page only when logged in

    @field_validator("form", "success")
    @classmethod
    def _css(cls, v: str) -> str:
        return _check_css(v)


MIRROR_PORTS = (80, 443)  # the only ports a definition's mirror may use (the egress guard grants no other)


def mirror_problem(url: str, network: str) -> str | None:
    """Why `url` cannot be a mirror of a market on `network` (one phrase), or None.

    A definition names its market by .onion address (network onion) or public DNS name (network clearnet), on
    port 80 or 443; never an IP literal or a loopback name: a local testbed is given with ``--mirror``.
    """
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return "is not an http(s) URL with a valid port"
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme not in ("http", "https") or not host:
        return "is not an http(s) URL with a host"
    if is_ip(host) or is_loopback(host):
        return "is an IP address or loopback name; name the market by its .onion or DNS name (a local testbed " \
               "goes in --mirror)"
    onion = host.endswith(".onion")
    if network == "onion" and not onion:
        return "is not a .onion host but network is 'onion'"
    if network == "clearnet" and onion:
        return "is a .onion host but network is 'clearnet' (mark the market network: onion)"
    if port not in MIRROR_PORTS:
        return f"uses port {port} (mirrors use port 80 or 443: the egress guard allows no other)"
    if parts.username is not None or parts.password is not None:
        return "has credentials in the URL (use the login section and the credentials file)"
    return None


class MarketDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    language: Literal["en", "ru"]
    currency: Literal["USD", "EUR", "GBP", "RUB", "KZT", "BTC", "XMR"]
    network: Literal["onion", "clearnet"] = "onion"
    mirrors: list[str] = Field(min_length=1)
    login: Login | None = None
    navigation: Navigation
    listing: PageSpec
    vendor: PageSpec | None = None
    max_pages: int | None = Field(default=None, gt=0)  # older spelling of limits.max_pages
    limits: Limits = Field(default_factory=Limits)  # caps and the download deadline (crawler/limits.py)
    blocked: list[str] = Field(default_factory=list)  # regexes on body text that signal a block page
    politeness: Politeness = Field(default_factory=Politeness)  # concurrency, delay, backoff, failover

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z][a-z0-9_-]{1,40}", v):
            raise ValueError("must be lowercase letters, digits, '-' or '_' (2-41 chars)")
        return v

    @field_validator("mirrors")
    @classmethod
    def _mirrors(cls, v: list[str]) -> list[str]:
        for url in v:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError(f"mirror {url!r} is not an http(s) URL")
        return [u.rstrip("/") for u in v]

    @field_validator("blocked")
    @classmethod
    def _blocked(cls, v: list[str]) -> list[str]:
        for pattern in v:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
        return v

    @model_validator(mode="after")
    def _consistency(self) -> MarketDefinition:
        for url in self.mirrors:
            problem = mirror_problem(url, self.network)
            if problem:
                raise ValueError(f"mirrors: {url!r} {problem}")
        unknown = set(self.listing.fields) - LISTING_FIELDS
        if unknown:
            raise ValueError(f"listing.fields: unknown field(s) {sorted(unknown)}")
        if "title" not in self.listing.fields:
            raise ValueError("listing.fields.title: field required")
        if self.vendor is not None:
            unknown = set(self.vendor.fields) - VENDOR_FIELDS
            if unknown:
                raise ValueError(f"vendor.fields: unknown field(s) {sorted(unknown)}")
            if self.navigation.vendor_links is None:
                raise ValueError("navigation.vendor_links: field required when vendor pages are defined")
        if self.max_pages is not None:
            if "max_pages" in self.limits.model_fields_set and self.limits.max_pages != self.max_pages:
                raise ValueError("max_pages: conflicts with limits.max_pages (keep only limits.max_pages)")
            self.limits = self.limits.model_copy(update={"max_pages": self.max_pages})
        return self

    def hosts(self) -> set[str]:
        return {urlsplit(u).hostname or "" for u in self.mirrors}


def load_definition(path: str | Path) -> MarketDefinition:
    """Load and validate one definition file; raise MarketDefinitionError(`file: field: problem`)."""
    path = Path(path)
    raw = read_yaml(path, MarketDefinitionError)
    if not isinstance(raw, dict):
        raise MarketDefinitionError(f"{path}: (top level): must be a mapping")
    definition: MarketDefinition = validate(MarketDefinition, raw, path, MarketDefinitionError)
    if definition.name != path.stem:
        raise MarketDefinitionError(f"{path}: name: {definition.name!r} does not match the file name")
    return definition


def market_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or markets_dir()).glob("*.yaml"))


def with_mirror(definition: MarketDefinition, mirror: str | Sequence[str]) -> MarketDefinition:
    """The definition with its mirrors replaced by `mirror` (one URL or several, in failover order): each a
    loopback testbed (any port), or a mirror the definition itself could list (same network, port 80/443, no
    IP literal); MarketDefinitionError otherwise."""
    mirrors = [mirror] if isinstance(mirror, str) else list(mirror)
    for url in mirrors:
        _check_override(definition, url)
    unique = list(dict.fromkeys(m.rstrip("/") for m in mirrors))
    return definition.model_copy(update={"mirrors": unique})


def _check_override(definition: MarketDefinition, mirror: str) -> None:
    try:
        parts = urlsplit(mirror)
        parts.port  # noqa: B018 - raises ValueError when out of range or not a number
        ok = parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise MarketDefinitionError(f"{definition.name}: --mirror {mirror!r}: not an http(s) URL with a host "
                                    "and a valid port")
    problem = None if is_loopback(parts.hostname or "") else mirror_problem(mirror, definition.network)
    if problem:
        raise MarketDefinitionError(f"{definition.name}: --mirror {mirror!r} {problem}")


def get_market(name: str, directory: Path | None = None) -> MarketDefinition:
    directory = directory or markets_dir()
    path = directory / f"{name}.yaml"
    if not re.fullmatch(r"[a-z][a-z0-9_-]{1,40}", name) or not path.is_file():
        known = ", ".join(p.stem for p in market_files(directory)) or "none"
        raise UnknownMarketError(f"unknown market {name!r} (known: {known})")
    return load_definition(path)


def validate_all(directory: Path | None = None) -> list[str]:
    """Validate every definition; return one `file: field: problem` line per broken file."""
    problems = []
    for path in market_files(directory):
        try:
            load_definition(path)
        except MarketDefinitionError as exc:
            problems.append(str(exc))
    return problems
