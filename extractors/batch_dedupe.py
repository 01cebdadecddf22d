"""Texts repeated within one batch (a market lists one title many times; vendors paste one description) are
analysed once: `first_of_each` maps every item to the first item with the same key."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def first_of_each(keys: Sequence[Hashable]) -> tuple[list[int], list[int]]:
    """(the positions of the first item of each distinct key, in order; for every position, the first position
    with its key). Equal keys are equal inputs: the item at `source[i]` stands for item i."""
    first: dict[Hashable, int] = {}
    source = [first.setdefault(key, i) for i, key in enumerate(keys)]
    unique = [i for i, s in enumerate(source) if s == i]
    return unique, source
