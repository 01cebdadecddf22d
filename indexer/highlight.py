"""Hit highlights, computed from the stored text the same way on every backend (scraped text escaped).

A token is marked when it matches a positive query word (indexer/query_lang.py ``positive_terms``): its
folded form starts with a word, or its stem starts with the word's stem (not for ``word*``). The snippet
is at most SNIPPET_TOKENS tokens around the first mark, of the column with most marks (title, vendor,
description on ties); only the ``<mark>`` tags are raw HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from onionwatch.indexer.query_lang import Phrase, Term
from onionwatch.indexer.search_keys import fold, query_stem, stem

SNIPPET_TOKENS = 24
_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)
_MAX_TEXT = 200_000  # characters of a column scanned for marks


def matcher(terms: list[Term | Phrase]) -> Callable[[str], bool]:
    """A predicate over folded tokens: does the token match any of the positive words?"""
    literal: list[str] = []
    stems: list[str] = []
    for t in terms:
        for w in t.words:
            literal.append(w)
            if not (isinstance(t, Term) and t.prefix):
                stems.append(query_stem(w))
    lit, st = tuple(literal), tuple(stems)
    return lambda tok: tok.startswith(lit) or (bool(st) and stem(tok).startswith(st))


def marked(text: str, match: Callable[[str], bool]) -> tuple[int, str]:
    """(number of matching tokens, escaped snippet around the first one)."""
    text = text[:_MAX_TEXT]
    spans = [(m.start(), m.end(), fold(m.group(0))) for m in _TOKEN_RE.finditer(text)]
    hits = [i for i, (_, _, tok) in enumerate(spans) if match(tok)]
    if not hits:
        return 0, ""
    first = max(0, min(hits[0] - SNIPPET_TOKENS // 4, len(spans) - SNIPPET_TOKENS))
    window = spans[first : first + SNIPPET_TOKENS]
    hit_set = set(hits)
    start = 0 if first == 0 else window[0][0]
    end = len(text) if first + SNIPPET_TOKENS >= len(spans) else window[-1][1]
    out, pos = [], start
    for i, (s, e, _) in enumerate(window, start=first):
        if i in hit_set:
            out.append(html.escape(text[pos:s], quote=True))
            out.append("<mark>" + html.escape(text[s:e], quote=True) + "</mark>")
            pos = e
    out.append(html.escape(text[pos:end], quote=True))
    return len(hits), ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def highlight(listing: dict[str, Any], terms: list[Term | Phrase]) -> str | None:
    """The escaped snippet of the column with most marks; None without positive words or marks."""
    if not terms:
        return None
    match = matcher(terms)
    best: tuple[int, str] = (0, "")
    for col in ("title", "vendor", "description"):
        n, snip = marked(listing.get(col) or "", match)
        if n > best[0]:
            best = (n, snip)
    return best[1] or None
