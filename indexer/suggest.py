"""Names typed by people resolved to what the store keeps, or a QueryError with "did you mean" suggestions.

- Substances: any name, slang, code or Russian form in the lexicon resolves to its canonical name
  ("мефедрон", "4-MMC", "меф" -> mephedrone); an unknown name fails with the closest canonical names.
- Known values (markets, classes): exact (case-insensitive) or a QueryError naming the known ones.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from onionwatch.errors import QueryError
from onionwatch.extractors.lexicon import CLASSES, load_lexicon
from onionwatch.indexer.search_keys import substance_of

MAX_NAMED = 30  # known values listed in a message


def resolve_substance(name: str, field: str = "substance") -> str:
    """The canonical substance (casefolded) a name means; QueryError with suggestions when none."""
    text = (name or "").strip()
    if text:
        canonical = substance_of(text)
        if canonical:
            return canonical
        lex = load_lexicon()
        if text.casefold() in {c.casefold() for c in lex.entries}:
            return text.casefold()
        fuzzy = lex.fuzzy_lookup(text)
        if fuzzy:
            raise QueryError(f"{field}: unknown substance {text!r:.60}; did you mean {fuzzy}?")
        forms = {**lex.strong, **lex.weak}
        close = difflib.get_close_matches(text.casefold(), list(forms), n=8, cutoff=0.75)
        names = list(dict.fromkeys(forms[c] for c in close))[:3]
        if names:
            raise QueryError(f"{field}: unknown substance {text!r:.60}; did you mean {', '.join(names)}?")
    raise QueryError(f"{field}: unknown substance {text!r:.60} (not in the lexicon, extractors/data/substances.yaml)")


def resolve_known(value: str, known: Iterable[str], field: str) -> str:
    """``value`` as one of ``known`` (case-insensitive); QueryError naming them (and the closest) otherwise."""
    names = sorted(set(known))
    by_key = {n.casefold(): n for n in names}
    text = (value or "").strip()
    if text.casefold() in by_key:
        return by_key[text.casefold()]
    close = difflib.get_close_matches(text.casefold(), list(by_key), n=1, cutoff=0.6)
    hint = f"; did you mean {by_key[close[0]]}?" if close else ""
    listed = ", ".join(names[:MAX_NAMED]) + (", …" if len(names) > MAX_NAMED else "")
    raise QueryError(f"{field}: unknown {text!r:.60}{hint} (known: {listed or 'none yet'})")


def resolve_class(value: str, field: str = "class") -> str:
    return resolve_known(value, CLASSES, field)
