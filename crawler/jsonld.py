"""Values from JSON a page embeds (JSON-LD ``<script type="application/ld+json">`` blocks): a field's `json` paths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

MAX_JSON_CHARS = 1_000_000  # a block longer than this is not parsed (hostile pages)


def _documents(texts: list[str]) -> Iterator[Any]:
    for text in texts:
        if len(text) > MAX_JSON_CHARS:
            continue
        try:
            yield json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested too deeply to parse
            continue


def objects(texts: list[str]) -> Iterator[Any]:
    """The candidate objects of the JSON `texts`, in page order: each document, each item of a top-level list,
    each item of an ``@graph`` (JSON-LD's list of several things in one block)."""
    for doc in _documents(texts):
        for item in doc if isinstance(doc, list) else [doc]:
            yield item
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                yield from item["@graph"]


def resolve(value: Any, path: list[str]) -> list[str]:
    """The scalars at `path` under `value` (a list on the way: each of its items), as strings."""
    if not path:
        if isinstance(value, bool) or value is None or isinstance(value, dict | list):
            return []
        return [str(value).strip()] if str(value).strip() else []
    if isinstance(value, list):
        return [v for item in value for v in resolve(item, path)]
    if isinstance(value, dict) and path[0] in value:
        return resolve(value[path[0]], path[1:])
    return []


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
