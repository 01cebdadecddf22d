"""Query-string parsing for the dashboard: every parameter validated, bad input -> BadRequest (HTTP 400)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from onionwatch.indexer.changes import check_status
from onionwatch.indexer.query import MAX_WINDOW, QueryError, bound_ts, check_interval
from onionwatch.indexer.query_lang import check_sort, parse
from onionwatch.indexer.query_values import parse_date, parse_number
from onionwatch.indexer.store import SearchQuery
from onionwatch.indexer.suggest import resolve_substance

MAX_TEXT = 2000  # characters in the search box
MAX_VALUE = 200  # characters in any other parameter
PER_PAGE = (10, 20, 50, 100)

# the search page's parameters (also what its export links carry: dashboards/export_views.py)
SEARCH_PARAMS = {"q", "market", "vendor", "substance", "class", "country", "city", "district", "min_price",
                 "max_price", "since", "until", "status", "sort", "page", "per_page", "exact"}  # fmt: skip


class BadRequest(Exception):
    """A request parameter is malformed; the message names it and is shown to the user (HTTP 400)."""


class Params:
    """The single-valued parameters of one query string."""

    def __init__(self, query_string: str) -> None:
        try:
            parsed = parse_qs(query_string, keep_blank_values=True, max_num_fields=64, errors="strict")
        except ValueError as exc:
            raise BadRequest(f"malformed query string: {exc}") from None
        self.values = {k: v[-1] for k, v in parsed.items()}
        self.lists = parsed  # every value of a repeated parameter (multi-select facets)

    def many(self, name: str, *, max_values: int = 20) -> tuple[str, ...]:
        """All non-empty values of a repeated parameter, validated like `text`, without duplicates."""
        raw = self.lists.get(name, [])
        if len(raw) > max_values:
            raise BadRequest(f"{name}: at most {max_values} values")
        out: list[str] = []
        for value in raw:
            v = value.strip()
            if len(v) > MAX_VALUE:
                raise BadRequest(f"{name}: too long (at most {MAX_VALUE} characters)")
            if any(ord(ch) < 32 for ch in v):
                raise BadRequest(f"{name}: control characters are not allowed")
            if v and v not in out:
                out.append(v)
        return tuple(out)

    def text(self, name: str, *, max_len: int = MAX_VALUE) -> str | None:
        value = self.values.get(name, "").strip()
        if len(value) > max_len:
            raise BadRequest(f"{name}: too long (at most {max_len} characters)")
        if any(ord(ch) < 32 for ch in value):
            raise BadRequest(f"{name}: control characters are not allowed")
        return value or None

    def required(self, name: str) -> str:
        value = self.text(name)
        if value is None:
            raise BadRequest(f"{name}: required")
        return value

    def number(self, name: str) -> float | None:
        """A non-negative number in Russian or English notation ("10,5", "1 000", "10.5")."""
        raw = self.text(name, max_len=32)
        if raw is None:
            return None
        try:
            value = parse_number(raw, name)
        except QueryError:
            raise BadRequest(f"{name}: expected a number such as 10,5 or 1 000, got {raw!r}") from None
        if value < 0:
            raise BadRequest(f"{name}: expected a non-negative number, got {raw!r}")
        return value

    def integer(self, name: str, default: int, lo: int, hi: int) -> int:
        raw = self.text(name, max_len=12)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadRequest(f"{name}: expected a whole number, got {raw!r}") from None
        if not lo <= value <= hi:
            raise BadRequest(f"{name}: must be between {lo} and {hi}, got {value}")
        return value

    def date(self, name: str, *, end: bool = False) -> str | None:
        raw = self.text(name, max_len=40)
        if raw is None:
            return None
        try:
            iso = parse_date(raw, name)
            bound_ts(iso, end=end, field=name)
        except QueryError:
            raise BadRequest(f"{name}: expected a date such as 01.12.2026 or 2026-12-01, got {raw!r}") from None
        return iso

    def interval(self, name: str, default: str) -> str:
        raw = self.text(name, max_len=10) or default
        try:
            return check_interval(raw)
        except QueryError as exc:
            raise BadRequest(str(exc)) from None


# (SearchQuery field, query-string parameter) of the multi-select facets
FACET_PARAMS = (("market", "market"), ("substance", "substance"), ("substance_class", "class"),
                ("country", "country"), ("city", "city"), ("district", "district"))  # fmt: skip
TEXT_PARAMS = ("q", "vendor", "min_price", "max_price", "since", "until", "status", "sort", "exact")


@dataclass
class SearchForm:
    """The search page's parameters: the store query, paging, the values to echo back (facet parameters as
    lists) and the errors of values the user typed (shown next to the search, which is kept)."""

    query: SearchQuery
    page: int
    per_page: int
    values: dict[str, str | list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _status(params: Params) -> str:
    try:
        return check_status(params.text("status", max_len=10))
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


def _typed(errors: list[str], fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    """A typed value's parser; its BadRequest/QueryError is kept for the page instead of raised."""
    try:
        return fn(*args, **kwargs)
    except (BadRequest, QueryError) as exc:
        errors.append(str(exc))
        return None


def search_form(params: Params) -> SearchForm:
    """Paging, status and malformed parameters raise BadRequest; typed values (text, prices, dates, sort,
    a substance name) that fail are collected in ``errors`` and the page keeps the search."""
    per_page = params.integer("per_page", 20, 1, 100)
    if per_page not in PER_PAGE:
        raise BadRequest(f"per_page: one of {', '.join(map(str, PER_PAGE))}")
    page = params.integer("page", 1, 1, MAX_WINDOW // per_page)
    errors: list[str] = []
    text = params.text("q", max_len=MAX_TEXT) or ""
    _typed(errors, parse, text)
    price_min = _typed(errors, params.number, "min_price")
    price_max = _typed(errors, params.number, "max_price")
    if price_min is not None and price_max is not None and price_min > price_max:
        errors.append("min_price: is above max_price")
    sort = params.text("sort", max_len=20) or "relevance"
    _typed(errors, check_sort, sort, True)
    selected = {attr: params.many(param) for attr, param in FACET_PARAMS}
    selected["substance"] = tuple(
        c for c in (_typed(errors, resolve_substance, s, "substance") for s in selected["substance"]) if c
    )  # a typed name ("мефедрон") means its canonical substance
    query = SearchQuery(
        text=text,
        market=selected["market"] or None,
        substance=selected["substance"] or None,
        substance_class=selected["substance_class"] or None,
        country=selected["country"] or None,
        city=selected["city"] or None,
        district=selected["district"] or None,
        vendor=params.text("vendor"),
        price_min=price_min,
        price_max=price_max,
        since=_typed(errors, params.date, "since"),
        until=_typed(errors, params.date, "until", end=True),
        status=_status(params),
        sort=sort,
        limit=per_page,
        offset=(page - 1) * per_page,
        facets_exact=params.text("exact", max_len=1) == "1",  # else sampled when broad
    )
    values: dict[str, str | list[str]] = {k: params.values[k].strip() for k in TEXT_PARAMS
                                          if params.values.get(k, "").strip()}  # fmt: skip
    for _, param in FACET_PARAMS:
        if params.many(param):
            values[param] = list(params.many(param))
    if per_page != 20:
        values["per_page"] = str(per_page)
    return SearchForm(query=query, page=page, per_page=per_page, values=values, errors=errors)
