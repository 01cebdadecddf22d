"""The search query language, parsed into a small tree both stores evaluate (never raises on junk text).

Syntax (README "Query language"):

- words are ANDed; ``AND``/``И`` may be written; ``OR``/``ИЛИ``/``|`` between two operands; ``NOT``/``НЕ``
  or a leading ``-`` negates; ``( … )`` groups; ``"…"`` is a phrase (adjacent words); ``term*`` a prefix.
- field filters ``name:value`` (value may be quoted): market, vendor, substance, class, city, district,
  country, price (USD: ``<10``, ``10..50``, ``10,5``), seen (``>=01.12.2026``, ``2026-12-01..``) and the
  identifier filters btc, xmr, eth, tg, jabber, pgp (set SearchQuery.identifier, see ``resolve``).

Junk degrades instead of failing: an operator without operands is a plain word, unbalanced quotes and
parentheses are closed or dropped, an unknown ``name:`` is plain text, nesting beyond MAX_DEPTH and
words beyond MAX_LEAVES are ignored. Only a bad value of a known field raises QueryError naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Union

from onionwatch.errors import QueryError
from onionwatch.indexer.query_values import Range, parse_dates, parse_price, review_value

if TYPE_CHECKING:
    from onionwatch.indexer.store import SearchQuery

MAX_CHARS = 4000  # of query text considered
MAX_LEAVES = 32  # words, phrases and filters
MAX_DEPTH = 8  # nested parentheses
FIELDS = ("market", "vendor", "substance", "class", "city", "district", "country", "price", "seen", "review")
IDENTIFIER_FIELDS = ("btc", "xmr", "eth", "tg", "jabber", "pgp")
_AND = {"AND", "И", "&&"}
_OR = {"OR", "ИЛИ", "|", "||"}
_NOT = {"NOT", "НЕ"}
_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)"?|([^\s()"]+(?:"[^"]*"?)?))')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    """A word: ``words`` are its tokens (casefolded; "alpha-pvp" -> alpha, pvp), ``raw`` as typed."""

    raw: str
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    raw: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Filter:
    field: str  # one of FIELDS
    value: str  # as typed (stripped); price/seen also parsed into ``range``
    range: Range | None = None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Union[Term, Phrase, Filter, And, Or, Not]  # noqa: UP007 (a runtime alias)


@dataclass(frozen=True)
class Parsed:
    node: Node | None  # None: no text constraint
    identifier: str | None = None  # "kind:value" of the first identifier filter


def words_of(text: str) -> tuple[str, ...]:
    return tuple(m.group(0).casefold()[:64] for m in _WORD.finditer(text))


# --- lexing: ("(" | ")" | "op" | "word" | "phrase" | "field", text, value)


def _lex(text: str) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for m in _TOKEN.finditer(text[:MAX_CHARS]):
        if m.group(1):
            out.append(("(", "(", ""))
        elif m.group(2):
            out.append((")", ")", ""))
        elif m.group(3) is not None:
            out.append(("phrase", m.group(3), ""))
        elif m.group(4):
            out.append(_word(m.group(4)))
        if out and out[-1][0] in ("word", "phrase") and out[-1][1] != "-" and not _WORD.search(out[-1][1]):
            out.pop()  # "*", '""', "…": nothing to match, and no operand either
    return out


def _word(raw: str) -> tuple[str, str, str]:
    if raw in _AND or raw in _OR or raw in _NOT:
        return ("op", raw, "")
    name, sep, value = raw.partition(":")
    key = name.casefold()
    if sep and (key in FIELDS or key in IDENTIFIER_FIELDS) and value.strip('"').strip():
        return ("field", key, value.strip('"').strip())
    return ("word", raw, "")


# --- parsing


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, str]]) -> None:
        self.toks = _repair(tokens)
        self.pos = 0
        self.leaves = 0
        self.identifier: str | None = None

    def peek(self) -> tuple[str, str, str] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def parse_or(self, depth: int) -> Node | None:
        parts = [self.parse_and(depth)]
        while (t := self.peek()) is not None and t[0] == "op" and t[1] in _OR:
            self.pos += 1
            parts.append(self.parse_and(depth))
        kept = tuple(p for p in parts if p is not None)
        return None if not kept else kept[0] if len(kept) == 1 else Or(kept)

    def parse_and(self, depth: int) -> Node | None:
        parts: list[Node | None] = []
        while (t := self.peek()) is not None and t[0] != ")" and not (t[0] == "op" and t[1] in _OR):
            if t[0] == "op" and t[1] in _AND:
                self.pos += 1
                continue
            parts.append(self.parse_unary(depth))
        kept = tuple(p for p in parts if p is not None)
        return None if not kept else kept[0] if len(kept) == 1 else And(kept)

    def parse_unary(self, depth: int) -> Node | None:
        t = self.peek()
        assert t is not None
        if t[0] == "op" and t[1] in _NOT:
            self.pos += 1
            child = self.parse_unary(depth)
            return Not(child) if child is not None else None
        if t[0] == "word" and t[1].startswith("-") and len(t[1]) > 1 and _WORD.search(t[1]):
            self.toks[self.pos] = _word(t[1][1:]) if _word(t[1][1:])[0] != "op" else ("word", t[1][1:], "")
            child = self.parse_unary(depth)
            return Not(child) if child is not None else None
        self.pos += 1
        if t[0] == "(":
            inner = self.parse_or(depth + 1)
            if (c := self.peek()) is not None and c[0] == ")":
                self.pos += 1
            return inner
        return self.leaf(t)

    def leaf(self, t: tuple[str, str, str]) -> Node | None:
        if self.leaves >= MAX_LEAVES:
            return None
        kind, text, value = t
        if kind == "field":
            if text in IDENTIFIER_FIELDS:
                self.identifier = self.identifier or f"{text}:{value}"
                return None
            self.leaves += 1
            return _filter(text, value)
        words = words_of(text)
        if not words:
            return None
        self.leaves += 1
        if kind == "phrase":
            return Phrase(text, words) if len(words) > 1 else Term(text, words)
        return Term(text, words, prefix=text.endswith("*") and len(words) == 1)


def _filter(name: str, value: str) -> Filter:
    if name == "price":
        return Filter(name, value, parse_price(value, "price"))
    if name == "seen":
        return Filter(name, value, parse_dates(value, "seen"))
    if name == "review":
        review_value(value)  # yes / no / a reason, else QueryError naming the field
        return Filter(name, value[:40])
    return Filter(name, value[:200])


def _repair(tokens: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop unmatched or too deep parentheses; turn operators without operands into plain words."""
    tokens = [("op", "NOT", "") if t == ("word", "-", "") and i + 1 < len(tokens) and tokens[i + 1][0] == "("
              else t for i, t in enumerate(tokens)]  # fmt: skip
    depth, opened, keep = 0, [], [True] * len(tokens)
    for i, (kind, _, _) in enumerate(tokens):
        if kind == "(":
            opened.append(i)
        elif kind == ")":
            if opened:
                opened.pop()
            else:
                keep[i] = False
    for i in opened:
        keep[i] = False
    out: list[tuple[str, str, str]] = []
    for tok, k in zip(tokens, keep, strict=True):
        if not k:
            continue
        if tok[0] == "(":
            depth += 1
            if depth > MAX_DEPTH:
                continue
        elif tok[0] == ")":
            depth -= 1
            if depth >= MAX_DEPTH:
                continue
        out.append(tok)
    return _literal_operators(_drop_empty_groups(out))


def _drop_empty_groups(toks: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    changed = True
    while changed:
        changed = False
        for i in range(len(toks) - 1):
            if toks[i][0] == "(" and toks[i + 1][0] == ")":
                del toks[i : i + 2]
                changed = True
                break
    return toks


def _starts_operand(t: tuple[str, str, str] | None) -> bool:
    return t is not None and (t[0] in ("(", "word", "phrase", "field") or (t[0] == "op" and t[1] in _NOT))


def _ends_operand(t: tuple[str, str, str] | None) -> bool:
    return t is not None and t[0] in (")", "word", "phrase", "field")


def _literal_operators(toks: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    out = list(toks)
    for i in reversed(range(len(out))):  # right to left: a later lone operator is a word before we look at it
        t = out[i]
        if t[0] != "op":
            continue
        prev = out[i - 1] if i else None
        nxt = out[i + 1] if i + 1 < len(out) else None
        if t[1] in _NOT:
            ok = _starts_operand(nxt) and not (nxt is not None and nxt[0] == "op")
        else:
            ok = _ends_operand(prev) and _starts_operand(nxt)
        if not ok:
            out[i] = ("word", t[1], "")
    return out


def parse(text: str | None) -> Parsed:
    """The query tree of ``text`` (None when it has no words or filters); QueryError only for a bad field value."""
    if not text or not text.strip():
        return Parsed(None)
    p = _Parser(_lex(text))
    node = p.parse_or(0)
    while p.pos < len(p.toks):  # a stray ")" at top level: skip it and go on
        p.pos += 1
        more = p.parse_or(0)
        if more is not None:
            node = more if node is None else And((node, more))
    return Parsed(_simplify(node), p.identifier)


def _simplify(node: Node | None) -> Node | None:
    if isinstance(node, Not) and isinstance(node.child, Not):
        return _simplify(node.child.child)
    if isinstance(node, And | Or):
        kids: list[Node] = []
        for c in node.children:
            s = _simplify(c)
            if s is None:
                continue
            kids.extend(s.children if type(s) is type(node) else (s,))  # type: ignore[union-attr]
        if not kids:
            return None
        return kids[0] if len(kids) == 1 else type(node)(tuple(kids))
    return node


def positive_terms(node: Node | None) -> list[Term | Phrase]:
    """The words and phrases not under a NOT (what ranks and highlights a hit)."""
    if node is None or isinstance(node, Not | Filter):
        return []
    if isinstance(node, Term | Phrase):
        return [node]
    out: list[Term | Phrase] = []
    for c in node.children:
        out += positive_terms(c)
    return out


def resolve(q: SearchQuery) -> tuple[Node | None, SearchQuery]:
    """Parse ``q.text``; an identifier filter in it fills ``q.identifier`` (unless already set)."""
    parsed = parse(q.text)
    if parsed.identifier and not getattr(q, "identifier", None):
        q = replace(q, identifier=parsed.identifier)
    return parsed.node, q


def check_sort(sort: str | None, has_text: bool) -> str:
    """The effective sort: relevance needs text (else newest); QueryError for an unknown name."""
    from onionwatch.indexer.query import SORTS

    name = (sort or "relevance").strip().casefold()
    if name not in SORTS:
        raise QueryError(f"sort: expected one of {', '.join(SORTS)}, got {sort!r:.40}")
    return "newest" if name == "relevance" and not has_text else name
