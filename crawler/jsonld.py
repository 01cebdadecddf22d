"""Values from JSON a page embeds (JSON-LD ``<script type="application/ld+json">`` blocks, a script's
``window.__INITIAL_STATE__ = {...};``): a field's `json` paths."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

MAX_JSON_CHARS = 1_000_000  # a block longer than this is not parsed (hostile pages)


MAX_ASSIGNMENTS = 16  # JSON values read from one script's assignments at most (each parse may scan the whole text)
# A script statement that assigns an object or a list (`window.__INITIAL_STATE__ = {`, `var state = [`,
# `window["__DATA__"] = {`): the JSON value starts where the match ends.
_ASSIGNMENT = re.compile(
    r"(?:^|(?<=[;\n]))[ \t\r]*(?:(?:var|let|const)[ \t]+)?"  # a statement's start (no run of blanks read twice)
    r"""[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\[["'][\w$.-]{1,100}["']\])*"""  # window.__X__, window["__X__"]
    r"[ \t]*=[ \t\r\n]*(?=[\[{])"  # `=` and an object or list
)
_DECODER = json.JSONDecoder()


def _assigned(text: str) -> Iterator[Any]:
    """The JSON values a script assigns, in order (at most MAX_ASSIGNMENTS parse attempts): the value is parsed up to
    its end, so the `;` and any code after it do not matter. A value that is not JSON (a JS object with bare keys or
    `undefined`) is no value."""
    pos = 0
    for _ in range(MAX_ASSIGNMENTS):
        m = _ASSIGNMENT.search(text, pos)
        if m is None:
            return
        try:
            value, pos = _DECODER.raw_decode(text, m.end())
        except (ValueError, RecursionError):
            pos = m.end()
            continue
        yield value


def _documents(texts: list[str]) -> Iterator[Any]:
    for text in texts:
        if len(text) > MAX_JSON_CHARS:
            continue
        try:
            yield json.loads(text)
        except (ValueError, RecursionError):  # not JSON (a script assigning it?), or nested too deeply to parse
            yield from _assigned(text)


def objects(texts: list[str]) -> Iterator[Any]:
    """The candidate objects of the JSON `texts`, in page order: each document, each item of a top-level list,
    each item of an ``@graph`` (JSON-LD's list of several things in one block)."""
    for doc in _documents(texts):
        for item in doc if isinstance(doc, list) else [doc]:
            yield item
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                yield from item["@graph"]


MAX_DEPTH = 64  # lists within lists followed at most this deep (a hostile block nests thousands)


def resolve(value: Any, path: list[str]) -> list[str]:
    """The scalars at `path` under `value` (a list on the way: each of its items), as strings, in document order.
    Iterative, so a hostile block of deeply nested lists ends in no value, never in a RecursionError."""
    out: list[str] = []
    stack: list[tuple[Any, int, int]] = [(value, 0, 0)]  # (value, keys of `path` taken, lists entered)
    while stack:
        v, k, depth = stack.pop()
        if isinstance(v, list):
            if k < len(path) and depth < MAX_DEPTH:  # a list where the path ends is no value
                stack.extend((item, k, depth + 1) for item in reversed(v))
        elif k == len(path):
            if not (isinstance(v, bool) or v is None or isinstance(v, dict)) and (text := str(v).strip()):
                out.append(text)
        elif isinstance(v, dict) and path[k] in v:
            stack.append((v[path[k]], k + 1, depth))
    return out


def json_values(texts: list[str], paths: list[str], join: str) -> list[str]:
    """For each candidate object that has any of `paths`, its values: the paths' n-th values joined by `join`
    (price and currency of one offer; of each offer when `offers` is a list), in page order."""
    keys = [p.strip().split(".") for p in paths]
    out: list[str] = []
    for obj in objects(texts):
        found = [resolve(obj, k) for k in keys]
        for n in range(max(len(v) for v in found)):
            out.append(join.join(v[n] for v in found if n < len(v)))
    return out
