"""Read a page's fields with its definition's selectors: pure functions over HTML, no network."""

from __future__ import annotations

import re
from collections.abc import Mapping

from parsel import Selector

from onionwatch.crawler.markets import FieldSpec, PageSpec

MAX_FIELD_CHARS = 100_000  # a single field longer than this is truncated (hostile pages)
_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")  # keep at most one blank line (armoured PGP blocks need it)


class PageMismatch(Exception):
    """A page whose URL says it is a listing/vendor page does not match its definition's selectors."""


def _clean(text: str, keep_newlines: bool) -> str:
    if keep_newlines:
        text = "\n".join(_WS.sub(" ", line).strip() for line in text.splitlines())
        text = _BLANKS.sub("\n\n", text).strip()
    else:
        text = _WS.sub(" ", text.replace("\n", " ")).strip()
    return text[:MAX_FIELD_CHARS]


def _values(sel: Selector, spec: FieldSpec) -> list[str]:
    css = spec.css.strip()
    if css.endswith("::text") or "::attr(" in css:
        return [v for v in sel.css(css).getall() if v is not None]
    # an element selector: its descendant text nodes (one value per element for `many` fields)
    texts = [[t for t in el.css("::text").getall() if t.strip()] for el in sel.css(css)]
    if spec.many:
        return [" ".join(t) for t in texts]
    return [t for group in texts for t in group]


def _apply_regex(value: str, regex: str | None) -> str | None:
    if regex is None:
        return value
    m = re.search(regex, value)
    if not m:
        return None
    return m.group(1) if m.groups() else m.group(0)


def read_field(sel: Selector, spec: FieldSpec) -> str | list[str] | None:
    keep_newlines = "\n" in spec.join
    raw = _values(sel, spec)
    if spec.many:
        out = []
        for v in raw:
            cleaned = _apply_regex(_clean(v, keep_newlines), spec.regex)
            if cleaned:
                out.append(cleaned)
        return out
    if not raw:
        return None
    joined = _clean(spec.join.join(raw), keep_newlines)
    value = _apply_regex(joined, spec.regex)
    return value or None


def read_page(sel: Selector, page: PageSpec, url: str) -> dict[str, str | list[str] | None]:
    """All fields of one page; raise PageMismatch when `require` or a required field is missing."""
    if not sel.css(page.require):
        raise PageMismatch(f"page {url} does not match its definition: selector {page.require!r} found nothing")
    values: dict[str, str | list[str] | None] = {}
    for name, spec in page.fields.items():
        value = read_field(sel, spec)
        if spec.required and not value:
            raise PageMismatch(f"page {url} does not match its definition: field {name!r} ({spec.css!r}) is empty")
        values[name] = value
    return values


def page_id(page: PageSpec, path: str) -> str | None:
    """The id of a listing/vendor page from its URL path (+ query), or None if it is not such a page."""
    m = re.search(page.url_pattern, path)
    return m.group("id") if m else None


def as_text(values: Mapping[str, object], name: str) -> str | None:
    v = values.get(name)
    if isinstance(v, list):
        return " ".join(v) or None
    return v if isinstance(v, str) else None


def as_list(values: Mapping[str, object], name: str) -> list[str]:
    v = values.get(name)
    if isinstance(v, list):
        return v
    return [v] if isinstance(v, str) and v else []
