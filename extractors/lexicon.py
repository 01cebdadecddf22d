"""The substance lexicon: loads the data file, expands spelling variants and Russian case endings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, field_validator

from onionwatch.config_errors import read_yaml, validate
from onionwatch.errors import LexiconError
from onionwatch.extractors.fuzzy import FuzzyIndex
from onionwatch.extractors.text import normalize
from onionwatch.paths import package_file

DEFAULT_LEXICON_PATH = package_file("onionwatch.extractors", "data", "substances.yaml")
# The default lexicon is substances.yaml plus every `substances_*.yaml` beside it (one file per
# concern: regional slang, performance drugs ...); an entry named in two files merges its aliases.
CLASSES = (
    "stimulant", "opioid", "cannabinoid", "synthetic_cannabinoid", "psychedelic", "dissociative",
    "benzodiazepine", "cathinone", "nitazene", "empathogen", "sedative", "performance", "other",
)  # fmt: skip
_CYR_WORD = re.compile(r"^[\u0400-\u04ff]+$")
_VOWELS = set("аеиоуыэюя")
_HOMOGLYPH_LATIN = re.compile(r"^[\d\-, ]*[abcehkmoptxy][abcehkmoptxy\d\-, ]*$")
_LAT2CYR = str.maketrans("abcehkmoptxy", "авсенкмортху")
# a fluorinated analogue's short name, the position glued to the F ("5f-adb", "4f-mph", "5f-akb48")
_FLUORO_PREFIX = re.compile(r"^(\d)f-(?=[a-z])")
_USABLE = re.compile(r"[^\W\d_]")  # a surface form needs at least one letter
# a Latin name of two or three words is also written as one ("BubbaKush", "GirlScoutCookies", "MSContin")
_JOINABLE = re.compile(r"^[a-z][a-z0-9]+(?: [a-z0-9]{2,}){1,2}$")
_MIN_JOINED = 6  # "ad30", "e404" joined are codes, not words


def _scalar(v: Any) -> Any:
    """YAML may read an alias or a name as a number (`2c-b` is a string, `25` is not): keep its text."""
    return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


Alias = Annotated[str, BeforeValidator(_scalar), Field(min_length=1)]
Canonical = Annotated[str, BeforeValidator(_scalar), Field(min_length=1)]


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
    fuzzy: FuzzyIndex | None = None  # misspellings of long unambiguous names (extractors/fuzzy.py)

    def __len__(self) -> int:
        return len(self.entries)

    def level(self, surface: str) -> int:
        """0 unambiguous, 1 ambiguous slang, 2 form descriptor ("crystal", "кристаллы")."""
        return 2 if surface in self.descriptors else 1 if surface in self.weak else 0

    def is_descriptor(self, surface: str) -> bool:
        """Whether `surface` (as written) is a form descriptor ("кристаллы", "крис", "crystal"): it names its
        substance only when nothing else is named in the listing or offer."""
        return normalize(surface).lower() in self.descriptors

    def fuzzy_lookup(self, word: str) -> str | None:
        """The canonical name a misspelled `word` stands for (extractors/fuzzy.py guards), if exactly one."""
        return self.fuzzy.lookup(word) if self.fuzzy is not None else None

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
    if (fluoro := _FLUORO_PREFIX.match(base)) is not None:  # "5f-adb" is also written "5-F-ADB" (real dev misses 4)
        out.add(f"{fluoro.group(1)}-f-{base[fluoro.end():]}")
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


def joined(alias: str) -> str | None:
    """A Latin name of two or three words written as one ("bubba kush" -> "bubbakush"), if it makes a word."""
    base = normalize(alias).lower().strip()
    if _JOINABLE.match(base) and len(base) - base.count(" ") >= _MIN_JOINED:
        return base.replace(" ", "")
    return None


def lexicon_files(path: str | Path | Sequence[str | Path] | None = None) -> tuple[Path, ...]:
    """The files one lexicon is read from: those given, or the default file and its `substances_*` siblings."""
    if isinstance(path, str | Path):
        return (Path(path),)
    if path:
        return tuple(Path(p) for p in path)
    return (DEFAULT_LEXICON_PATH, *sorted(DEFAULT_LEXICON_PATH.parent.glob("substances_*.yaml")))


def load_lexicon(path: str | Path | Sequence[str | Path] | None = None) -> Lexicon:
    return _load_cached(tuple(str(p) for p in lexicon_files(path)))


class LexiconEntry(BaseModel):
    """One substance: `canonical: {class: CLASS, aliases: [...]}`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    cls: str = Field(alias="class")
    aliases: list[Alias] = Field(default_factory=list)

    @field_validator("cls", mode="plain")
    @classmethod
    def _class(cls, v: Any) -> str:
        if v not in CLASSES:
            raise ValueError(f"must be one of {', '.join(CLASSES)}")
        return str(v)

    @field_validator("aliases", mode="before")
    @classmethod
    def _none_is_empty(cls, v: Any) -> Any:
        return [] if v is None else v


class LexiconFile(RootModel[dict[Canonical, LexiconEntry]]):
    """extractors/data/substances.yaml: canonical name -> entry."""


def _read_entries(paths: tuple[str, ...]) -> dict[str, LexiconEntry]:
    merged: dict[str, LexiconEntry] = {}
    for path in paths:
        data = read_yaml(Path(path), LexiconError)
        if not isinstance(data, dict):
            raise LexiconError(f"{path}: (top level): expected a mapping canonical -> {{class, aliases}}")
        parsed: LexiconFile = validate(LexiconFile, data, path, LexiconError)
        for name, spec in parsed.root.items():
            if name not in merged:
                merged[name] = spec
            elif merged[name].cls != spec.cls:
                raise LexiconError(f"{path}: {name}.class: {spec.cls} here but {merged[name].cls} in another file")
            else:
                merged[name] = spec.model_copy(update={"aliases": [*merged[name].aliases, *spec.aliases]})
    return merged


def _add_joined(lex: Lexicon, entries: dict[str, LexiconEntry]) -> None:
    """Joined spellings of multi-word aliases, as strong or ambiguous as the alias, never over a written one
    ("blue berry" joined is "blueberry", which the lexicon lists as an ambiguous strain)."""
    for name, spec in entries.items():
        for raw in spec.aliases:
            form = joined(raw.lstrip("~"))
            if form is None or form in lex.strong or form in lex.weak:
                continue
            (lex.weak if raw.startswith("~") else lex.strong)[form] = name


@lru_cache(maxsize=8)
def _load_cached(paths: tuple[str, ...]) -> Lexicon:
    lex = Lexicon()
    entries = _read_entries(paths)
    for name, spec in entries.items():
        lex.entries[name] = Entry(name, spec.cls)
        if f"~{name}" not in spec.aliases:
            for v in variants(name):
                lex.strong.setdefault(v, name)
        for raw in spec.aliases:
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
    _add_joined(lex, entries)
    lex.fuzzy = FuzzyIndex.build(lex.strong, [*lex.strong, *lex.weak])
    return lex
