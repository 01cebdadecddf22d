"""Fewer cyclic-GC passes while a batch of texts or listings is extracted.

A batch allocates many short-lived container objects (match objects' groups, mention dataclasses, spaCy Docs)
while the process holds ~100k long-lived ones (the vocabularies, lexicons, the drug-class model). At CPython's
default gen-0 threshold (700) a batch of 3,000 listings runs ~220 young and ~2 full collections, each full one
walking every long-lived object: ~15 % of the extraction's CPU time. `fewer_collections()` raises the gen-0
threshold for the duration of the batch and puts the previous thresholds back after it. Collection still
runs (every `BATCH_GEN0_THRESHOLD` net allocations instead of 700), so cyclic garbage stays bounded; a
process that disabled the collector (threshold 0) or set a higher one is left as it is.

Threads: the raised threshold is process-wide; nested or concurrent batches share it (a count of batches in
progress), and the last one to finish restores the thresholds, unless the application changed them meanwhile.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

BATCH_GEN0_THRESHOLD = 50_000  # ~as fast as no collection at all on bench_extract's batches (measured)

P = ParamSpec("P")
R = TypeVar("R")
_lock = threading.Lock()
_active = 0  # batches in progress
_restore: tuple[tuple[int, ...], tuple[int, ...]] | None = None  # (thresholds before, thresholds set)


@contextmanager
def fewer_collections(gen0: int = BATCH_GEN0_THRESHOLD) -> Iterator[None]:
    """Run the body with gen-0 threshold `gen0` (when the current one is lower and not 0), then restore."""
    global _active, _restore
    with _lock:
        if _active == 0:
            current = gc.get_threshold()
            if 0 < current[0] < gen0:
                gc.set_threshold(gen0, *current[1:])
                _restore = (current, (gen0, *current[1:]))
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _restore is not None:
                previous, raised = _restore
                _restore = None
                if gc.get_threshold() == raised:  # the application set none of its own meanwhile
                    gc.set_threshold(*previous)


def batch_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn` (a batch entry point: Extractor.listings, extract_many) run inside `fewer_collections()`."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with fewer_collections():
            return fn(*args, **kwargs)

    return run
