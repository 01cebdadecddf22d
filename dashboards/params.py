"""Query-string parsing for the dashboard: every parameter validated, bad input -> BadRequest (HTTP 400)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from onionwatch.indexer.changes import check_status
from onionwatch.indexer.query import MAX_WINDOW, QueryError, bound_ts, check_interval
from onionwatch.indexer.store import SearchQuery

MAX_TEXT = 2000  # characters in the search box
MAX_VALUE = 200  # characters in any other parameter
PER_PAGE = (10, 20, 50, 100)


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
        raw = self.text(name, max_len=32)
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            raise BadRequest(f"{name}: expected a number, got {raw!r}") from None
        if not math.isfinite(value) or value < 0:
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
            bound_ts(raw, end=end, field=name)
        except QueryError:
            raise BadRequest(f"{name}: expected a date YYYY-MM-DD (or ISO datetime), got {raw!r}") from None
        return raw

    def interval(self, name: str, default: str) -> str:
        raw = self.text(name, max_len=10) or default
        try:
            return check_interval(raw)
        except QueryError as exc:
            raise BadRequest(str(exc)) from None


@dataclass
class SearchForm:
    """The search page's parameters: the store query plus paging and the form values to echo back."""

    query: SearchQuery
    page: int
    per_page: int
    values: dict[str, str] = field(default_factory=dict)


def _status(params: Params) -> str:
    try:
        return check_status(params.text("status", max_len=10))
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


def search_form(params: Params) -> SearchForm:
    per_page = params.integer("per_page", 20, 1, 100)
    if per_page not in PER_PAGE:
        raise BadRequest(f"per_page: one of {', '.join(map(str, PER_PAGE))}")
    page = params.integer("page", 1, 1, MAX_WINDOW // per_page)
    price_min, price_max = params.number("min_price"), params.number("max_price")
    if price_min is not None and price_max is not None and price_min > price_max:
        raise BadRequest("min_price: is above max_price")
    query = SearchQuery(
        text=params.text("q", max_len=MAX_TEXT) or "",
        market=params.text("market"),
        vendor=params.text("vendor"),
        substance=params.text("substance"),
        substance_class=params.text("class"),
        price_min=price_min,
        price_max=price_max,
        since=params.date("since"),
        until=params.date("until", end=True),
        status=_status(params),
        limit=per_page,
        offset=(page - 1) * per_page,
    )
    keys = ("q", "market", "vendor", "substance", "class", "min_price", "max_price", "since", "until", "status")
    values = {k: params.values[k].strip() for k in keys if params.values.get(k, "").strip()}
    if per_page != 20:
        values["per_page"] = str(per_page)
    return SearchForm(query=query, page=page, per_page=per_page, values=values)
