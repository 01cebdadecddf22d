"""Misspelled drug names ("flubromazolan", "mephedrome", "alprazolom"): a guarded edit-distance match.

Guards, in order: the word has at least MIN_LEN letters; it is not an alias itself, nor a word on the deny
list (extractors/data/fuzzy_deny.yaml: ordinary words a few edits from a drug name); only long one-word
unambiguous aliases are targets; the first letter must agree; at most one edit (optimal string alignment:
substitution, insertion, deletion or a swap of neighbours) below LONG_LEN letters, two from LONG_LEN on; the
closest alias must name a single canonical. The caller adds the last guard: drug context in the text
(extractors/substances.py). Distances come from rapidfuzz (C, no data files, no network).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import process
from rapidfuzz.distance import OSA

from onionwatch.config_errors import read_yaml, validate
from onionwatch.errors import LexiconError
from onionwatch.paths import package_file

DENY_PATH = package_file("onionwatch.extractors", "data", "fuzzy_deny.yaml")
MIN_LEN = 7  # "ketamin" (7) is an alias already; shorter words are too close to ordinary ones
LONG_LEN = 11  # from here two edits are allowed ("isotonitazine" -> isotonitazene is one, "flubromazolan" one)
_TARGET = re.compile(r"^[^\W\d_]+$")


class DenyFile(BaseModel):
    """extractors/data/fuzzy_deny.yaml."""

    model_config = ConfigDict(extra="forbid")
    words: list[str] = Field(min_length=1)


def load_deny(path: Path = DENY_PATH) -> frozenset[str]:
    raw = read_yaml(path, LexiconError)
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: (top level): expected a mapping with words")
    data: DenyFile = validate(DenyFile, raw, path, LexiconError)
    return frozenset(w.lower() for w in data.words)


def max_edits(length: int) -> int:
    return 1 if length < LONG_LEN else 2


@dataclass
class FuzzyIndex:
    """Long unambiguous aliases by first letter; `lookup` returns the one canonical a typo stands for."""

    known: frozenset[str]  # every alias (strong and ambiguous): an exact alias is never a typo
    deny: frozenset[str]
    targets: dict[str, str] = field(default_factory=dict)  # alias -> canonical
    by_first: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, strong: dict[str, str], known: Iterable[str], deny: frozenset[str] | None = None) -> FuzzyIndex:
        index = cls(frozenset(known), load_deny() if deny is None else deny)
        # "adbhexinaca" is only the joined spelling of a code name: codes one letter apart are other substances
        joined = {a.replace("-", "") for a in strong if "-" in a}
        for alias, canonical in strong.items():
            if len(alias) >= MIN_LEN and _TARGET.match(alias) and alias not in joined:
                index.targets[alias] = canonical
                index.by_first.setdefault(alias[0], []).append(alias)
        return index

    def lookup(self, word: str) -> str | None:
        w = word.lower()
        if len(w) < MIN_LEN or w in self.known or w in self.deny or not _TARGET.match(w):
            return None
        limit = max_edits(len(w))
        choices = [a for a in self.by_first.get(w[0], ()) if abs(len(a) - len(w)) <= limit]
        found = process.extract(w, choices, scorer=OSA.distance, score_cutoff=limit, limit=8)
        if not found:
            return None
        best = min(score for _, score, _ in found)
        canonicals = {self.targets[alias] for alias, score, _ in found if score == best}
        if len(canonicals) != 1:
            return None  # two names equally close: no guess
        alias = next(a for a, score, _ in found if score == best)
        if best == 2 and len(alias) < LONG_LEN:
            return None  # the alias itself is short: two edits are too many
        return canonicals.pop()
