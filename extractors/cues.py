"""Non-drug cues (data: extractors/data/non_drug.yaml): guides, paraphernalia, fraud, job ads sell no drug."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from onionwatch.config_errors import read_yaml, validate
from onionwatch.errors import LexiconError
from onionwatch.extractors.prefilter import Alternation, SharedScan
from onionwatch.paths import package_file

NON_DRUG_PATH = package_file("onionwatch.extractors", "data", "non_drug.yaml")
_WORDS_RE = re.compile(r"[^\W\d_][\w-]*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r:.60} ({exc})") from None
    return pattern


Regex = Annotated[str, AfterValidator(_regex)]


class NonDrugFile(BaseModel):
    """extractors/data/non_drug.yaml."""

    model_config = ConfigDict(extra="forbid")
    words: list[str] = Field(min_length=1)
    soft_words: list[str] = Field(default_factory=list)
    soft_phrases: list[Regex] = Field(default_factory=list)
    phrases: list[Regex] = Field(min_length=1)
    ru_stems: list[str] = Field(min_length=1)
    not_substances: list[Regex] = Field(default_factory=list)
    not_cues: list[Regex] = Field(default_factory=list)


@dataclass(frozen=True)
class NonDrugCues:
    """Cues of listings that sell no substance (data: extractors/data/non_drug.yaml). The phrase lists are
    hundreds of alternatives: each is prefiltered on the literals its matches need (extractors/prefilter.py)."""

    words: frozenset[str]
    soft_words: frozenset[str]
    phrases: Alternation
    ru_stems: Alternation
    not_substances: Alternation | None = None
    not_cues: Alternation | None = None
    soft_phrases: Alternation | None = None

    @classmethod
    def load(cls, path: Path = NON_DRUG_PATH) -> NonDrugCues:
        """Read and validate the cue data; LexiconError lists every `file: field: problem`."""
        raw = read_yaml(path, LexiconError)
        if not isinstance(raw, dict):
            raise LexiconError(f"{path}: (top level): expected a mapping with words, phrases, ru_stems")
        data: NonDrugFile = validate(NonDrugFile, raw, path, LexiconError)
        word = r"(?<![^\W\d_]){}(?![^\W\d_])"  # a phrase as a whole word
        cues = cls(
            frozenset(w.lower() for w in data.words),
            frozenset(w.lower() for w in data.soft_words),
            Alternation(data.phrases, word, re.I),
            Alternation([re.escape(s) for s in data.ru_stems], r"(?<![^\W\d_]){}", re.I),
            Alternation(data.not_substances, word, re.I) if data.not_substances else None,
            Alternation(data.not_cues, word, re.I) if data.not_cues else None,
            Alternation(data.soft_phrases, "{}", re.I) if data.soft_phrases else None,
        )
        # level() and shadowed() read one text with each list in turn: one literal pass serves them all
        SharedScan([a for a in (cues.not_cues, cues.phrases, cues.ru_stems, cues.soft_phrases, cues.not_substances)
                    if a is not None])  # fmt: skip
        return cues

    def shadowed(self, text: str) -> list[tuple[int, int]]:
        """Spans of phrases that look like a drug name but are none ("2FA", "high speed", "ice cream")."""
        if self.not_substances is None:
            return []
        return [m.span() for m in self.not_substances.finditer(text)]

    def match(self, text: str) -> bool:
        return self.level(text) > 0

    def level(self, text: str) -> int:
        """2: a hard cue (guide, ebook, scales, job ad); 1: a soft cue (account, watch, pistol); 0: none. Words are
        also read apart at hyphens ("VIDEO-TUTORIAL", "Mankind-Arthur"); an offer's own phrases ("Marquis tested",
        "PDF lab results") are blanked first."""
        if self.not_cues is not None:
            text = self.not_cues.sub(" ", text)
        words = _WORDS_RE.findall(text.lower())
        words += [part for w in words if "-" in w for part in w.split("-")]
        if not self.words.isdisjoint(words):
            return 2
        if self.phrases.search(text) is not None or (_CYRILLIC.search(text) and self.ru_stems.search(text) is not None):
            return 2
        if not self.soft_words.isdisjoint(words):
            return 1
        return 1 if self.soft_phrases is not None and self.soft_phrases.search(text[:500]) is not None else 0


NON_DRUG = NonDrugCues.load()


def is_non_drug(text: str) -> bool:
    """A guide, an ebook, paraphernalia, fraud, a job ad ...: a listing that sells no substance."""
    return NON_DRUG.match(text)
