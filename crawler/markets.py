"""Market definitions: one YAML per market under config/markets/, validated by one schema.

Every problem is reported as ``file: field: problem`` (see :class:`MarketDefinitionError`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from parsel import Selector
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from onionwatch.config_errors import dotted, format_validation_error, read_yaml
from onionwatch.crawler.limits import Limits
from onionwatch.crawler.politeness import Politeness
from onionwatch.errors import MarketDefinitionError, UnknownMarketError
from onionwatch.netguard import is_ip, is_loopback
from onionwatch.paths import markets_dir


def _css_problem(css: Any) -> str | None:
    """Why `css` is not a selector parsel can run (one phrase), or None."""
    if not isinstance(css, str) or not css.strip():
        return f"invalid CSS selector {css!r} (expected a non-empty string)"
    try:
        Selector(text="<html></html>").css(css)
    except Exception as exc:  # cssselect raises several types; all mean "bad selector"
        hint = ""
        if css.lstrip().startswith(("/", "(", "./")):
            hint = "; XPath is not accepted: write CSS, e.g. 'dt:contains(\"Ships from\") + dd::text'"
        return f"invalid CSS selector {css!r} ({exc.__class__.__name__}{hint})"
    return None


def _check_css(css: str) -> str:
    problem = _css_problem(css)
    if problem:
        raise ValueError(problem)
    return css


class FieldSpec(BaseModel):
    """How to read one field: CSS selectors (parsel syntax, ``::text``/``::attr(x)`` allowed) tried in order.

    ``css`` is one selector or a list of fallbacks: the first that yields a non-empty value wins.
    ``keep: tier_lines`` keeps only the values that show a quantity and a price ("1 g — $60"), no regex needed.
    """

    model_config = ConfigDict(extra="forbid")
    css: list[str]  # one selector (a YAML string) or fallbacks in order (a YAML list)
    many: bool = False  # a list of values, one per match
    join: str = " "  # how several text nodes of a single-valued field are joined
    regex: str | None = None  # optional: keep the first group (or whole match) of this regex
    keep: Literal["tier_lines"] | None = None  # optional value filter (crawler/pages.py `_keep`)
    required: bool = False  # a page without this field is a selector mismatch
    # optional: one value per element from its text and attributes ("{text} - {@data-price} USD"): for a value
    # split between the text and attributes (a quantity <option> whose price is in data-price); element selectors
    template: str | None = None
    # optional: the selected text is JSON (a JSON-LD ``<script>``): keep what these dotted paths give in it,
    # joined by `join` ("offers.price", "offers.priceCurrency" -> "120.00 EUR"); crawler/jsonld.py
    json_paths: list[str] | None = Field(default=None, alias="json")
    # listing_rows fields only: read this field in the row's nearest enclosing element that matches this CSS
    # (a ``<details>`` whose ``<summary>`` names the district), or in the whole page (``page``)
    within: str | None = None

    @field_validator("css", "json_paths", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("css")
    @classmethod
    def _css(cls, v: list[str]) -> list[str]:
        if not v:
            raise ValueError("needs at least one selector")
        bad = [_css_problem(c) for c in v]
        if any(bad):
            raise ValueError("; ".join(b for b in bad if b))
        return v

    @field_validator("regex")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"invalid regex {v!r}: {exc}") from None
        return v

    @field_validator("template")
    @classmethod
    def _template(cls, v: str | None) -> str | None:
        problem = None if v is None else _template_problem(v)
        if problem:
            raise ValueError(problem)
        return v

    @field_validator("json_paths")
    @classmethod
    def _json(cls, v: list[str] | None) -> list[str] | None:
        if v is not None and (not v or any(not p.strip() or "" in p.strip().split(".") for p in v)):
            raise ValueError("expected dotted key paths, e.g. 'offers.price' or ['offers.price', "
                             "'offers.priceCurrency']")
        return v

    @field_validator("within")
    @classmethod
    def _within(cls, v: str | None) -> str | None:
        return v if v is None or v == "page" else _check_css(v)

    @model_validator(mode="after")
    def _template_needs_elements(self) -> FieldSpec:
        if self.template is not None and self.json_paths is not None:
            raise ValueError("template and json read a value two ways: keep one")
        if self.template is not None:
            values = [c for c in self.css if "::text" in c or "::attr(" in c]
            if values:
                raise ValueError(f"template reads elements, but selector {values[0]!r} yields text (drop its "
                                 "::text or ::attr(...): the template names the attributes)")
        return self


TEMPLATE_PART = re.compile(r"\{(text|header|@[A-Za-z_:][-\w:.]*)\}")  # {text}, {header} or {@attribute} in a template


def _template_problem(template: str) -> str | None:
    """Why `template` is not a usable field template (one phrase), or None."""
    if not TEMPLATE_PART.search(template):
        return "needs {text}, {header} or {@attribute} (e.g. '{text} - {@data-price} USD')"
    rest = TEMPLATE_PART.sub("", template.replace("{{", "").replace("}}", ""))
    if "{" in rest or "}" in rest:
        return (f"{template!r}: only {{text}}, {{header}} and {{@attribute}} can stand in braces "
                "(write {{{{ }}}} for a brace)")
    return None


def _coerce_fields(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: ({"css": s} if isinstance(s, str | list) else s) for k, s in v.items()}
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


def _one_field(v: Any) -> Any:
    return {"css": v} if isinstance(v, str | list) else v


class ListingRows(BaseModel):
    """Listings shown only as rows of navigation pages, with no page per listing (a klad shop's table Город |
    Район | Товар | Вес | Цена): every element `row` matches on a page that is neither a listing nor a vendor page
    is one listing, its fields read inside that element. `id` reads the listing's id from the row (a code, a
    ``data-id``, a buy link); without it (or when a row has none) the id is a hash of the row's title, city,
    district, quantity and price text, so the same offer has the same id in every crawl."""

    model_config = ConfigDict(extra="forbid")
    row: str  # CSS selector of one listing's element (``table.tovary tbody tr``)
    id: FieldSpec | None = None
    fields: dict[str, FieldSpec]  # listing fields (title required), selectors relative to the row

    _fields = field_validator("fields", mode="before")(_coerce_fields)
    _id = field_validator("id", mode="before")(_one_field)

    @field_validator("row")
    @classmethod
    def _row(cls, v: str) -> str:
        return _check_css(v)


LISTING_FIELDS = (
    "title", "description", "price_text", "vendor_name", "vendor_url", "category", "ships_from",
    "ships_to", "location", "city", "district", "quantity", "escrow", "tiers",
)  # fmt: skip
VENDOR_FIELDS = ("name", "rating", "sales", "joined", "pgp_key", "pgp_fingerprint", "contacts", "crypto_addresses",
                 "description")  # fmt: skip


class Navigation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # link selectors: ``a::attr(href)``, or an element selector (its href, the links inside it, or for a GET form's
    # <option>/<select> the URL the form goes to: pages.link_hrefs)
    start: list[str] = Field(default_factory=lambda: ["/"])  # paths (or URLs) the crawl starts from (one or a list)
    follow: list[str] = Field(default_factory=list)  # link selectors to navigation pages (one or a list)
    next_page: str | None = None  # link selector of the "next page" link (or of every page number)
    listing_links: str | None = None  # link selector of listing pages (required when `listing` pages exist)
    vendor_links: str | None = None  # link selector of vendor pages
    # query parameters that do not change the page (`?ref=grid`, `?from=search`): dropped from every link, so a
    # listing linked with several of them is fetched and collected once
    drop_params: list[str] = Field(default_factory=list)

    @field_validator("start", "follow", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v  # one path or selector, like a field's css

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


class EntryStep(BaseModel):
    """One entry gate step (crawler/gates.py): shown when `marker` matches a page, passed when `success` does.

    kind follow-link: follow the link `css` selects (``::attr(href)``); submit-form: submit the form `css`
    selects without credentials, plus `fields`; wait-queue: wait out the page's meta refresh or the number in
    `timer` (seconds, capped by `max_wait`), then load the refresh target (or the same page) again.
    """

    model_config = ConfigDict(extra="forbid")
    kind: Literal["follow-link", "submit-form", "wait-queue"]
    marker: str  # CSS selector present only on this step's page
    success: str  # CSS selector present once the step is passed (any page of the market)
    css: str | None = None  # follow-link: link selector; submit-form: form selector
    fields: dict[str, str] = Field(default_factory=dict)  # submit-form: extra fields (e.g. a checkbox)
    timer: str | None = None  # wait-queue: CSS selector of a shown countdown (seconds) when there is no refresh
    max_wait: float = Field(default=120.0, gt=0, le=3600)  # wait-queue: cap on one wait, seconds
    max_tries: int = Field(default=30, gt=0, le=1000)  # the step shown again this often in a row: give up

    @field_validator("marker", "success", "css", "timer")
    @classmethod
    def _css(cls, v: str | None) -> str | None:
        return None if v is None else _check_css(v)

    @model_validator(mode="after")
    def _needs_css(self) -> EntryStep:
        if self.kind != "wait-queue" and not self.css:
            raise ValueError(f"css: field required for a {self.kind} step")
        return self


class CaptchaSpec(BaseModel):
    """A captcha page answered by the analyst (`onionwatch session solve MARKET`)."""

    model_config = ConfigDict(extra="forbid")
    marker: str  # CSS selector present only on a captcha page
    image: str  # CSS selector of the challenge image (``img.captcha::attr(src)``)
    form: str  # CSS selector of the answer form
    answer_field: str = "captcha"
    pause_minutes: float = Field(default=30.0, gt=0, le=24 * 60)  # wait this long for the answer, then stop

    @field_validator("marker", "image", "form")
    @classmethod
    def _css(cls, v: str) -> str:
        return _check_css(v)


class PgpChallengeSpec(BaseModel):
    """A login second factor: a PGP message to the analyst's key holding a code (crawler/pgp2fa.py)."""

    model_config = ConfigDict(extra="forbid")
    marker: str  # CSS selector present only on the challenge page
    message: str  # CSS selector of the armored PGP message (``pre.challenge::text``)
    form: str  # CSS selector of the answer form
    answer_field: str = "code"
    code_regex: str = r"(?i)code\W{0,5}([A-Za-z0-9-]{4,64})"  # the code inside the decrypted text (group 1)
    key: str  # credentials key whose entry holds pgp_key_file (or pgp_key) and pgp_passphrase

    @field_validator("marker", "message", "form")
    @classmethod
    def _css(cls, v: str) -> str:
        return _check_css(v)

    @field_validator("code_regex")
    @classmethod
    def _regex(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as exc:
            raise ValueError(f"invalid regex {v!r}: {exc}") from None
        return v


class Gates(BaseModel):
    """What stands between the crawler and the market: entry steps, captchas, a PGP 2FA login step."""

    model_config = ConfigDict(extra="forbid")
    entry: list[EntryStep] = Field(default_factory=list)
    captcha: CaptchaSpec | None = None  # a standalone captcha page (e.g. after a DDoS queue)
    login_captcha: CaptchaSpec | None = None  # a captcha inside the login form (answered with the credentials)
    pgp_2fa: PgpChallengeSpec | None = None


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


def _closest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def cross_problems(raw: Any) -> list[tuple[str, str]]:
    """Problems that span sections (field names per page type, vendor pages need vendor links), read from the
    raw YAML mapping so they are reported together with every other error: [(field path, problem)]."""
    problems: list[tuple[str, str]] = []
    if not isinstance(raw, dict):
        return problems
    for page, known in (("listing", LISTING_FIELDS), ("listing_rows", LISTING_FIELDS), ("vendor", VENDOR_FIELDS)):
        spec = raw.get(page)
        fields = spec.get("fields") if isinstance(spec, dict) else None
        if not isinstance(fields, dict):
            continue
        for name, field in fields.items():
            if name not in known:
                problems.append((dotted((page, "fields", name)), f"unknown field{_closest(str(name), known)}"))
            if page != "listing_rows" and isinstance(field, dict) and field.get("within") is not None:
                problems.append((dotted((page, "fields", name, "within")), "for listing_rows fields only (a page's "
                                 "fields are read in the whole page already)"))
        if page != "vendor" and fields.get("title") is None:
            problems.append((f"{page}.fields.title", "field required"))
    navigation = raw.get("navigation")
    if raw.get("listing") is None and raw.get("listing_rows") is None:
        problems.append(("listing", "field required (a listing page spec, or listing_rows for listings shown only "
                                    "as rows of navigation pages)"))
    if isinstance(raw.get("listing"), dict) and isinstance(navigation, dict) and not navigation.get("listing_links"):
        problems.append(("navigation.listing_links", "field required when listing pages are defined"))
    if isinstance(raw.get("vendor"), dict) and isinstance(navigation, dict) and not navigation.get("vendor_links"):
        problems.append(("navigation.vendor_links", "field required when vendor pages are defined"))
    return problems


def _raw_fields(fields: dict[str, FieldSpec]) -> dict[str, dict[str, Any]]:
    return {name: spec.model_dump(by_alias=True) for name, spec in fields.items()}


class MarketDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    title: str
    language: Literal["en", "ru"]
    currency: Literal["USD", "EUR", "GBP", "RUB", "KZT", "AUD", "CAD", "GEL", "UAH", "BYN", "UZS", "KGS", "TJS",
                      "AZN", "AMD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK",
                      "BTC", "XMR"]  # extractors.records.CURRENCIES (a test keeps them equal)
    network: Literal["onion", "clearnet"] = "onion"
    mirrors: list[str] = Field(min_length=1)
    login: Login | None = None
    navigation: Navigation
    listing: PageSpec | None = None  # listing pages (one page per listing); required unless listing_rows
    listing_rows: ListingRows | None = None  # listings shown only as rows of navigation pages
    vendor: PageSpec | None = None
    max_pages: int | None = Field(default=None, gt=0)  # older spelling of limits.max_pages
    limits: Limits = Field(default_factory=Limits)  # caps and the download deadline (crawler/limits.py)
    blocked: list[str] = Field(default_factory=list)  # regexes on body text that signal a block page
    politeness: Politeness = Field(default_factory=Politeness)  # concurrency, delay, backoff, failover
    gates: Gates = Field(default_factory=Gates)  # entry steps, captchas, PGP 2FA (crawler/gates.py)

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
        problems = [("mirrors", f"{url!r} {problem}") for url in self.mirrors
                    if (problem := mirror_problem(url, self.network))]
        problems += cross_problems({
            "listing": {"fields": _raw_fields(self.listing.fields)} if self.listing is not None else None,
            "listing_rows": {"fields": dict(self.listing_rows.fields)} if self.listing_rows is not None else None,
            "vendor": {"fields": _raw_fields(self.vendor.fields)} if self.vendor is not None else None,
            "navigation": {"vendor_links": self.navigation.vendor_links,
                           "listing_links": self.navigation.listing_links},
        })
        if problems:
            raise ValueError("\n".join(f"{where}: {problem}" for where, problem in problems))
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
    try:
        definition = MarketDefinition.model_validate(raw)
    except ValidationError as exc:
        lines = format_validation_error(path, exc, MarketDefinition).splitlines()
        lines += [line for where, problem in cross_problems(raw)
                  if (line := f"{path}: {where}: {problem}") not in lines]
        if isinstance(raw.get("name"), str) and raw["name"] != path.stem:
            lines.append(f"{path}: name: {raw['name']!r} does not match the file name")
        raise MarketDefinitionError("\n".join(lines)) from None
    except RecursionError:
        raise MarketDefinitionError(f"{path}: (file): nested too deeply") from None
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
