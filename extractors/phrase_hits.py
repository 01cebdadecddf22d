"""The substance matcher's hits straight from PhraseMatcher output: no Span objects, no `filter_spans` over them."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

Hit = tuple[int, int, str, int]  # start char, end char, canonical name, level (0 unambiguous, 1 slang, 2 descriptor)
_LABELS: dict[int, tuple[str, int]] = {}  # match id -> (canonical, level), from labels "LEVEL|canonical"


def _label(doc: Doc, match_id: int) -> tuple[str, int]:
    found = _LABELS.get(match_id)
    if found is None:
        level, canonical = doc.vocab.strings[match_id].split("|", 1)
        found = _LABELS[match_id] = (canonical, int(level))
    return found


def phrase_hits(matcher: Any, doc: Doc) -> list[Hit]:
    """What `[Span(doc, s, e, label=m) for m, s, e in matcher(doc)]` through `spacy.util.filter_spans` gives, as
    (span.start_char, span.end_char, canonical, level) of each label "LEVEL|canonical": overlapping matches
    leave the longest, at equal length the first (ties of one span keep the matcher's order), in text order."""
    matches = matcher(doc)
    if not matches:
        return []
    ranked = sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)  # filter_spans' order (stable)
    kept: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    for match_id, start, end in ranked:
        if start not in seen and end - 1 not in seen:
            kept.append((match_id, start, end))
            seen.update(range(start, end))
    kept.sort(key=lambda m: m[1])
    hits: list[Hit] = []
    for match_id, start, end in kept:
        canonical, level = _label(doc, match_id)
        last = doc[end - 1]
        hits.append((doc[start].idx, last.idx + len(last), canonical, level))
    return hits
