"""The substance lexicon: loads the data file, expands spelling variants and Russian case endings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.text import normalize

DEFAULT_LEXICON_PATH = Path(__file__).resolve().parent / "data" / "substances.yaml"
CLASSES = (
    "stimulant", "opioid", "cannabinoid", "synthetic_cannabinoid", "psychedelic", "dissociative",
    "benzodiazepine", "cathinone", "nitazene", "empathogen", "sedative", "other",
)  # fmt: skip
_CYR_WORD = re.compile(r"^[\u0400-\u04ff]+$")
_VOWELS = set("аеиоуыэюя")
_HOMOGLYPH_LATIN = re.compile(r"^[\d\-, ]*[abcehkmoptxy][abcehkmoptxy\d\-, ]*$")
_LAT2CYR = str.maketrans("abcehkmoptxy", "авсенкмортху")
_USABLE = re.compile(r"[^\W\d_]")  # a surface form needs at least one letter


class LexiconError(ValueError):
    """The lexicon data file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Entry:
    canonical: str
    cls: str


@dataclass
class Lexicon:
    entries: dict[str, Entry] = field(default_factory=dict)  # canonical -> entry
    strong: dict[str, str] = field(default_factory=dict)  # surface form (lower) -> canonical
    weak: dict[str, str] = field(default_factory=dict)  # ambiguous surface form -> canonical
    descriptors: set[str] = field(default_factory=set)  # weak forms that yield to other weak ones ("крис")

    def __len__(self) -> int:
        return len(self.entries)

    def level(self, surface: str) -> int:
        """0 unambiguous, 1 ambiguous slang, 2 form descriptor ("crystal", "кристаллы")."""
        return 2 if surface in self.descriptors else 1 if surface in self.weak else 0

    def lookup(self, surface: str) -> tuple[Entry, bool] | None:
        """(entry, is_weak) for an exact surface form (case-insensitive), else None."""
        key = normalize(surface).lower()
        if key in self.strong:
            return self.entries[self.strong[key]], False
        if key in self.weak:
            return self.entries[self.weak[key]], True
        return None


def ru_forms(word: str) -> set[str]:
    """Common case forms of a Russian noun (nominative given); over-generation is harmless here."""
    forms = {word}
    if not _CYR_WORD.match(word) or len(word) < 3:
        return forms
    last = word[-1]
    stem = word[:-1]
    if last == "а":
        forms |= {stem + e for e in ("ы", "и", "е", "у", "ой", "ам", "ами", "ах")}
    elif last == "я":
        forms |= {stem + e for e in ("и", "е", "ю", "ей", "ям")}
    elif last in "иы":
        forms |= {stem + e for e in ("ам", "ами", "ах", "ов")}
    elif last == "ь":
        forms |= {stem + e for e in ("и", "ью", "ей", "я", "ю", "ем", "ям")}
    elif last == "й":
        forms |= {stem + e for e in ("я", "ю", "ем", "е", "и", "ев")}
    elif last not in _VOWELS:
        forms |= {word + e for e in ("а", "у", "ом", "е", "ы", "ов", "ами", "ах")}
    return forms


def variants(alias: str) -> set[str]:
    """Spelling variants of one alias: hyphen/space/joined forms, alpha/α/a, Russian case endings."""
    base = normalize(alias).lower().strip()
    out = {base}
    if "-" in base:
        out.add(base.replace("-", ""))
        out.add(base.replace("-", " "))
    if _HOMOGLYPH_LATIN.match(base):  # "3-mmc" is also written in Cyrillic look-alikes ("3-ММС")
        out.add(base.translate(_LAT2CYR))
    if base.startswith(("alpha-", "α-", "a-")):
        rest = base.split("-", 1)[1]
        for pre in ("alpha-", "α-", "a-", "alpha ", "a", "α"):
            out.add(pre + rest)
    if " " not in base:
        out |= ru_forms(base)
    elif _CYR_WORD.match(base.split()[-1]):
        head, last = base.rsplit(" ", 1)
        out |= {f"{head} {f}" for f in ru_forms(last)}
    return {v for v in out if _USABLE.search(v)}


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    path = Path(path) if path else DEFAULT_LEXICON_PATH
    return _load_cached(str(path))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Lexicon:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc}".splitlines()[0]) from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a mapping canonical -> {{class, aliases}}")
    lex = Lexicon()
    for canonical, spec in data.items():
        name = str(canonical)
        if not isinstance(spec, dict) or spec.get("class") not in CLASSES:
            raise LexiconError(f"{path}: {name}.class: must be one of {', '.join(CLASSES)}")
        aliases = spec.get("aliases") or []
        if not isinstance(aliases, list):
            raise LexiconError(f"{path}: {name}.aliases: expected a list")
        lex.entries[name] = Entry(name, spec["class"])
        if f"~{name}" not in aliases:
            for v in variants(name):
                lex.strong.setdefault(v, name)
        for alias in aliases:
            raw = str(alias)
            weak = raw.startswith("~")
            for v in variants(raw.lstrip("~")):
                if weak:
                    if v not in lex.strong and v not in lex.weak:
                        lex.weak[v] = name
                        if raw.startswith("~~"):
                            lex.descriptors.add(v)
                else:
                    lex.strong.setdefault(v, name)
                    lex.weak.pop(v, None)
                    lex.descriptors.discard(v)
    return lex
