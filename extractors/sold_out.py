"""Tiers marked sold out ("1g - SOLD OUT", "[OUT OF STOCK] 3.5g $120"): no offer; the base is the first one on sale."""

from __future__ import annotations

import re

from onionwatch.extractors.prices import PriceMention
from onionwatch.extractors.quantities import QtyMention

# a stock mark ("OOS" in capitals only: "oos" is part of words and names)
_MARK = re.compile(r"(?<![^\W\d_])(?i:sold[\s-]?out|out\s+of\s+stock|no\s+stock|not\s+in\s+stock|restocking|"
                   r"нет\s+в\s+наличии|законч\w+)(?![^\W\d_])|(?<![^\W\d_])OOS(?![^\W\d_])")
# a tier's own segment: a line, a cell between bars, an item between semicolons, bullets or ", " / ". "
_SEPARATOR = re.compile(r"\n|\||;|•|,\s|\.\s")
_HINTS = ("sold", "stock", "oos", "нет", "закон")
_SCAN = 20_000  # the part of a hostile text read for marks


def sold_out_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the segments of `text` that carry a sold-out mark."""
    head = text[:_SCAN]
    lowered = head.lower()
    if not any(h in lowered for h in _HINTS):
        return []
    marks = [m.start() for m in _MARK.finditer(head)]
    if not marks:
        return []
    cuts = [0, *(m.end() for m in _SEPARATOR.finditer(head)), len(head)]
    spans = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if any(a <= m < b for m in marks):
            spans.append((a, b))
    return spans


def on_sale(text: str, qs: list[QtyMention], ps: list[PriceMention]) -> tuple[list[QtyMention], list[PriceMention]]:
    """The amounts and prices outside sold-out segments; all of them when no amount on sale would be left (a
    listing marked sold out as a whole still reads as what it sells)."""
    spans = sold_out_spans(text) if qs else []
    if not spans:
        return qs, ps

    def out(pos: int) -> bool:
        return any(a <= pos < b for a, b in spans)

    kept_q = [q for q in qs if not out(q.start)]
    if not any(not q.dose for q in kept_q):
        return qs, ps
    return kept_q, [p for p in ps if not out(p.start)]
