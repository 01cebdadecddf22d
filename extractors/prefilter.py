"""A literal prefilter for large regular-expression alternations (cue lists of hundreds of phrases).

Python's `re` tries every alternative of a big alternation at every position of the text, and a pattern that
starts with a look-behind loses its first-character skip: a 3,300-character cue list costs ~100 us on a 44-char
title. `Alternation` reads each alternative once and collects the literal strings of which every match of it
must contain one (the longest run of literal characters it cannot match without). One Aho-Corasick pass over
the text, case-folded the way `re.IGNORECASE` compares, tells which alternatives could match; only those run,
each compiled on its own, and their matches are merged the way the alternation picks them (leftmost first; at
one position the earliest alternative; then on from its end). An alternative that cannot match anywhere in a
text never wins at any position, so every search, finditer and sub answers exactly as the pattern with all
alternatives does. An alternative that needs no literal (".*", a character class alone) always runs.
"""

from __future__ import annotations

import _sre
import re
import re._compiler as re_compiler
import re._constants as sre_c
import re._parser as sre_parse
from collections.abc import Iterator, Sequence
from functools import lru_cache
from re._casefix import _EXTRA_CASES
from typing import Any

import ahocorasick

_Items = list[tuple[Any, Any]]  # re._parser's (opcode, argument) pairs
_CASED_BELOW = 0x20000  # no cased character lies above plane 1 (Unicode 15: the last is Adlam, U+1E943)
_REPEATS = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT)


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, int]:
    """Code point -> its `re.IGNORECASE` class representative: the simple lower case (`_sre.unicode_tolower`, as
    the regex engine uses, not str.lower's full mapping), then one member of each group of lower-case letters
    that share an upper case ("s"/"ſ", "i"/"ı", "µ"/"μ": re/_casefix.py)."""
    canon: dict[int, int] = {}
    for lo, others in _EXTRA_CASES.items():
        rep = min((lo, *others))
        for c in (lo, *others):
            canon[c] = min(canon.get(c, rep), rep)
    table: dict[int, int] = {}
    for c in range(_CASED_BELOW):
        lo = _sre.unicode_tolower(c)
        folded = canon.get(lo, lo)
        if folded != c:
            table[c] = folded
    return table


def fold(text: str) -> str:
    """The text with each character replaced by its IGNORECASE class representative (ASCII text: its lower case,
    as every ASCII letter represents its class)."""
    return text.lower() if text.isascii() else text.translate(_fold_table())


def _required(items: _Items) -> set[str] | None:
    """Literal strings of which every match of the sequence `items` contains one (None: none found)."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            candidates.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is sre_c.LITERAL:
            run.append(chr(av))
            continue
        if op in _REPEATS and len(av[2]) == 1 and av[2][0][0] is sre_c.LITERAL and av[0] >= 1:
            low, high, body = av
            run.append(chr(body[0][1]) * low)  # "ab+c": "ab" is required ("abb…" after it)
            if high == low:
                continue
        flush()
        found: set[str] | None = None
        if op is sre_c.SUBPATTERN:
            found = _required(av[3])
        elif op is sre_c.ATOMIC_GROUP:
            found = _required(av)
        elif op is sre_c.BRANCH:
            parts = [_required(branch) for branch in av[1]]
            found = None if any(p is None for p in parts) else set().union(*(p for p in parts if p))
        elif op in _REPEATS:
            found = _required(av[2]) if av[0] >= 1 else None
        if found:
            candidates.append(found)
    flush()
    if not candidates:
        return None
    # the most selective: the longest shortest string, then the fewest strings
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def required_literals(pattern: re.Pattern[str]) -> set[str] | None:
    """Case-folded literal strings of which every match of `pattern` contains one; None when some match may
    contain none (then no prefilter can skip a text). Strings containing another one are dropped."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    found = _required(list(parsed))
    if not found or any(not s for s in found):
        return None
    folded = sorted({fold(s) for s in found}, key=len)
    kept: list[str] = []
    for s in folded:
        if not any(k in s for k in kept):
            kept.append(s)
    return set(kept)


class Alternation:
    """The pattern `template` with its "{}" replaced by the alternation of `alternatives` (compiled with `flags`),
    with the methods the extractors call: search, finditer, sub. Each text runs only the alternatives whose
    required literals it contains, each compiled on its own (inside the template); their matches are merged
    as the alternation finds them: leftmost first, at one position the earliest alternative, then on after it."""

    __slots__ = ("alternatives", "template", "flags", "_always", "_automaton", "_single", "_full", "_literals",
                 "_shared", "_member")  # fmt: skip

    def __init__(self, alternatives: Sequence[str], template: str = "{}", flags: int = 0) -> None:
        self.alternatives = list(alternatives)
        self.template, self.flags = template, flags
        self._single = [re.compile(template.format(f"(?:{alt})"), flags) for alt in self.alternatives]
        self._full: re.Pattern[str] | None = None  # the whole alternation, compiled when first needed
        by_literal: dict[str, list[int]] = {}
        always: list[int] = []
        for i, single in enumerate(self._single):
            lits = required_literals(single)
            if lits is None:
                always.append(i)
            for lit in lits or ():
                by_literal.setdefault(lit, []).append(i)
        self._always = tuple(always)
        self._literals = {lit: tuple(idx) for lit, idx in by_literal.items()}
        self._shared: SharedScan | None = None  # set by SharedScan: one pass for it and its companions
        self._member = 0
        self._automaton: ahocorasick.Automaton | None = None  # built on first use: a SharedScan member never needs it

    def _own_automaton(self) -> ahocorasick.Automaton:
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for lit, idx in self._literals.items():
                automaton.add_word(lit, idx)
            if self._literals:
                automaton.make_automaton()
            self._automaton = automaton  # one assignment: a racing thread builds an equal one
        return self._automaton

    @property
    def full(self) -> re.Pattern[str]:
        """The alternation as one pattern (what every answer here equals)."""
        if self._full is None:
            body = "|".join(f"(?:{a})" for a in self.alternatives)
            self._full = re.compile(self.template.format(f"(?:{body})"), self.flags)
        return self._full

    def candidates(self, text: str) -> list[int]:
        """The alternatives that may match in `text`, in their order (a list shared with the SharedScan, if any:
        read it, never change it)."""
        if self._shared is not None:
            return self._shared.candidates(text)[self._member]
        found = set(self._always)
        automaton = self._own_automaton()
        if automaton.kind == ahocorasick.AHOCORASICK:
            for _end, idx in automaton.iter(fold(text)):
                found.update(idx)
        return sorted(found)

    def _merged(self, text: str, cands: list[int]) -> list[re.Match[str]] | None:
        """The alternation's matches from the candidates' own; None if one is empty (then the full pattern)."""
        nxt = {i: self._single[i].search(text) for i in cands}
        out: list[re.Match[str]] = []
        while True:
            live = [(m.start(), i) for i, m in nxt.items() if m is not None]
            if not live:
                return out
            _, first = min(live)  # the leftmost; at one position the earliest alternative
            m = nxt[first]
            assert m is not None
            if m.end() == m.start():
                return None
            out.append(m)
            for i, mi in nxt.items():  # a match starting inside the one taken is searched again after it
                if mi is not None and mi.start() < m.end():
                    nxt[i] = self._single[i].search(text, m.end())

    def search(self, text: str) -> re.Match[str] | None:
        cands = self.candidates(text)
        if len(cands) <= 1:
            return self._single[cands[0]].search(text) if cands else None
        found = [(m.start(), i, m) for i in cands if (m := self._single[i].search(text)) is not None]
        return min(found, key=lambda f: f[:2])[2] if found else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        cands = self.candidates(text)
        if len(cands) <= 1:
            return self._single[cands[0]].finditer(text) if cands else iter(())
        merged = self._merged(text, cands)
        return iter(merged) if merged is not None else self.full.finditer(text)

    def sub(self, repl: str, text: str) -> str:
        """re.sub with a literal replacement (a backslash in it: the full pattern's sub)."""
        cands = self.candidates(text)
        if not cands:
            return text
        merged = self._merged(text, cands) if "\\" not in repl else None
        if merged is None:
            return self.full.sub(repl, text)
        parts, pos = [], 0
        for m in merged:
            parts += [text[pos : m.start()], repl]
            pos = m.end()
        return "".join(parts) + text[pos:]


class SharedScan:
    """Alternations that read the same texts (one after another, as NonDrugCues.level does), scanned in one
    Aho-Corasick pass over the case-folded text instead of one pass each. The answers for the last text scanned
    are kept (with the text itself, compared by identity: the same string object, never an equal one), so each
    member asking about it next gets its candidates without a new pass; another text is scanned afresh. Each
    member's candidates are exactly those its own automaton finds (the literals are the same, tagged by member)."""

    __slots__ = ("_members", "_automaton", "_last")

    def __init__(self, members: Sequence[Alternation]) -> None:
        self._members = list(members)
        by_literal: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        for no, alt in enumerate(self._members):
            if alt._shared is not None:
                raise ValueError("an Alternation belongs to one SharedScan only")
            for lit, idx in alt._literals.items():
                by_literal.setdefault(lit, []).append((no, idx))
        self._automaton = ahocorasick.Automaton()
        for lit, tagged in by_literal.items():
            self._automaton.add_word(lit, tuple(tagged))
        if by_literal:
            self._automaton.make_automaton()
        self._last: tuple[str, tuple[list[int], ...]] | None = None
        for no, alt in enumerate(self._members):
            alt._shared, alt._member = self, no

    def candidates(self, text: str) -> tuple[list[int], ...]:
        """Per member (in the order given), the alternatives that may match in `text`."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1]
        found = [set(alt._always) for alt in self._members]
        if self._automaton.kind == ahocorasick.AHOCORASICK:
            for _end, tagged in self._automaton.iter(fold(text)):
                for no, idx in tagged:
                    found[no].update(idx)
        result = tuple(sorted(f) for f in found)
        self._last = (text, result)  # one assignment: a thread reads the old pair or the new one
        return result


# every pattern made by `first_char_gated`, with its ungated source (tests/extractors/test_prefilter.py compares them)
GATED: list[tuple[re.Pattern[str], str]] = []


def first_char_gated(first: str, pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern` compiled behind a look-ahead on `first`, a character class every match of it starts with. A pattern
    that opens with a look-behind or an alternation of classes gets no first-character skip from `re`: it is tried
    in full at every position; the look-ahead fails fast where no match can start. Same matches (it only rules out
    positions where none starts)."""
    gated = re.compile(f"(?={first})(?:{pattern})", flags)
    GATED.append((gated, pattern))
    return gated


_CATEGORY_CLASS = {
    sre_c.CATEGORY_DIGIT: r"\d",
    sre_c.CATEGORY_NOT_DIGIT: r"\D",
    sre_c.CATEGORY_SPACE: r"\s",
    sre_c.CATEGORY_NOT_SPACE: r"\S",
    sre_c.CATEGORY_WORD: r"\w",
    sre_c.CATEGORY_NOT_WORD: r"\W",
}
_ZERO_WIDTH = (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT)


class _NoGate(Exception):
    """The pattern holds something `_first_classes` does not read (a back-reference, `.`, inline flags ...)."""


def _char(code: int) -> str:
    return f"\\U{code:08x}"  # any code point, written so that no class syntax can misread it


def _class_of(items: _Items) -> str:
    """The character class `[...]` of a parsed IN."""
    parts: list[str] = []
    for op, av in items:
        if op is sre_c.NEGATE:
            parts.insert(0, "^")
        elif op is sre_c.LITERAL:
            parts.append(_char(av))
        elif op is sre_c.RANGE:
            parts.append(f"{_char(av[0])}-{_char(av[1])}")
        elif op is sre_c.CATEGORY and av in _CATEGORY_CLASS:
            parts.append(_CATEGORY_CLASS[av])
        else:
            raise _NoGate(op)
    return f"[{''.join(parts)}]"


def _first_classes(items: _Items) -> tuple[list[str], bool]:
    """(classes one of which holds the first character of every non-empty match of the sequence `items`,
    whether it can match the empty string). Zero-width items (anchors, look-arounds) are passed over."""
    classes: list[str] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is sre_c.LITERAL:
            return [*classes, f"[{_char(av)}]"], False
        if op is sre_c.IN:
            return [*classes, _class_of(av)], False
        if op is sre_c.SUBPATTERN:
            found, empty = _first_classes(av[3])
            if av[1] == re.IGNORECASE and not av[2]:  # (?i:...): its classes compare as it does
                found = [f"(?i:{c})" for c in found]
            elif av[1] or av[2]:  # other inline flags are not read here
                raise _NoGate(op)
        elif op is sre_c.BRANCH:
            found, empty = [], False
            for branch in av[1]:
                f, e = _first_classes(branch)
                found, empty = found + f, empty or e
        elif op in _REPEATS:
            found, empty = _first_classes(av[2])
            empty = empty or av[0] == 0
        else:
            raise _NoGate(op)
        classes += found
        if not empty:
            return classes, False
    return classes, True


_NARROW = re.compile(r"\[(?:\\U[0-9a-f]{8}(?:-\\U[0-9a-f]{8})?|\\d)+\]")  # literals, ranges, \d: no negation
_RANGE = re.compile(r"\\U([0-9a-f]{8})-\\U([0-9a-f]{8})")
_ANCHORS = (sre_c.AT_BEGINNING, sre_c.AT_BEGINNING_STRING)


def _narrow(cls: str) -> bool:
    """A class of a few characters: literals, \\d, ranges of up to 10 (not a script's letters)."""
    cls = cls.removeprefix("(?i:").removesuffix(")")
    return bool(_NARROW.fullmatch(cls)) and all(int(b, 16) - int(a, 16) < 10 for a, b in _RANGE.findall(cls))


def _sre_skips(parsed: Any, flags: int) -> bool:
    """Whether `re` itself skips to where a match can start: a literal prefix or a first-character set it read
    (re._compiler._compile_info); a gate in front would take that away."""
    try:
        prefix, _skip, _all = re_compiler._get_literal_prefix(parsed, flags)
        return bool(prefix) or re_compiler._get_charset_prefix(parsed, flags) is not None
    except (AttributeError, TypeError, ValueError):  # another Python's private API: gate nothing
        return True


def _slow_start(items: _Items) -> bool:
    """Whether every try of the pattern does work before its first character can fail it: it opens with a
    look-around or a word boundary, or with a choice of alternatives (each tried in turn)."""
    if not items:
        return False
    op, av = items[0]
    if op is sre_c.SUBPATTERN:
        return _slow_start(list(av[3]))
    return op in (sre_c.ASSERT, sre_c.ASSERT_NOT, sre_c.AT, sre_c.BRANCH)


def auto_gated(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` behind a look-ahead on the characters its matches can start with, read off the pattern itself
    (as `first_char_gated` with a hand-written class, but it cannot go stale when the pattern changes). Same
    matches. The pattern itself where a gate saves nothing: `re` already skips to a first character, the pattern
    opens with what fails fast anyway (a character or a class, not a look-around or a choice) or with an anchor,
    a match may be empty, a first character may be one of a broad class (a letter, any non-space ...), or the
    parse holds something not read here (a back-reference, `.`, inline flags other than (?i:...))."""
    if pattern.flags & re.VERBOSE or any(gated is pattern for gated, _source in GATED):
        return pattern  # (a verbose pattern's last comment would run into the gate's closing parenthesis)
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if (
        _sre_skips(parsed, pattern.flags)
        or not _slow_start(list(parsed))
        or (parsed[0][0] is sre_c.AT and parsed[0][1] in _ANCHORS)
    ):
        return pattern
    try:
        classes, empty = _first_classes(list(parsed))
    except _NoGate:
        return pattern
    if empty or not classes or not all(_narrow(c) for c in classes):
        return pattern
    plain = [c[1:-1] for c in classes if c.startswith("[") and not c.startswith("[^")]
    others = [c for c in classes if not c.startswith("[") or c.startswith("[^")]
    first = "|".join(dict.fromkeys([f"[{''.join(plain)}]"] * bool(plain) + others))  # plain classes merged in one
    try:
        gated = re.compile(f"(?={first})(?:{pattern.pattern})", pattern.flags)
    except re.error:  # global inline flags ("(?i)...") must open a pattern: left as it is
        return pattern
    GATED.append((gated, pattern.pattern))
    return gated


def gate_patterns(namespace: dict[str, Any]) -> int:
    """Every compiled pattern bound at the top level of a module (`vars(module)`) replaced by `auto_gated` of it;
    the number gated. Functions read their module's patterns when called, so they run the gated ones."""
    gated = 0
    for name, value in list(namespace.items()):
        if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
            new = auto_gated(value)
            if new is not value:
                namespace[name] = new
                gated += 1
    return gated
