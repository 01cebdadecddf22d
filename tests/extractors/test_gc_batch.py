"""gc_batch: the gen-0 threshold is raised during a batch and put back after it (nested, failing, threaded)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from onionwatch.extractors.gc_batch import BATCH_GEN0_THRESHOLD, batch_gc, fewer_collections
from onionwatch.extractors.pipeline import Extractor


@pytest.fixture(autouse=True)
def default_thresholds() -> Iterator[None]:
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_raised_inside_restored_after() -> None:
    with fewer_collections():
        assert gc.get_threshold() == (BATCH_GEN0_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_batches_restore_once_at_the_end() -> None:
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold()[0] == BATCH_GEN0_THRESHOLD
        assert gc.get_threshold()[0] == BATCH_GEN0_THRESHOLD  # the outer batch still runs
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_when_the_batch_fails() -> None:
    @batch_gc
    def boom() -> None:
        raise ValueError("bad record")

    with pytest.raises(ValueError):
        boom()
    assert gc.get_threshold() == (700, 10, 10)


def test_disabled_or_higher_threshold_left_alone() -> None:
    gc.set_threshold(0, 10, 10)
    with fewer_collections():
        assert gc.get_threshold() == (0, 10, 10)
    gc.set_threshold(BATCH_GEN0_THRESHOLD * 2, 5, 5)
    with fewer_collections():
        assert gc.get_threshold() == (BATCH_GEN0_THRESHOLD * 2, 5, 5)
    assert gc.get_threshold() == (BATCH_GEN0_THRESHOLD * 2, 5, 5)


def test_a_threshold_the_application_sets_meanwhile_is_kept() -> None:
    with fewer_collections():
        gc.set_threshold(1234, 10, 10)
    assert gc.get_threshold() == (1234, 10, 10)


def test_collection_still_runs_inside_a_batch() -> None:
    """Bounded: cyclic garbage made during a batch is still collected (at the raised threshold)."""
    before = gc.get_stats()[0]["collections"]
    with fewer_collections(gen0=1000):
        for _ in range(20_000):
            a: list[object] = []
            a.append(a)  # a cycle only the collector frees
    assert gc.get_stats()[0]["collections"] > before


def test_concurrent_batches_share_the_raise() -> None:
    inside = threading.Barrier(2)
    seen: list[tuple[int, ...]] = []

    def worker() -> None:
        with fewer_collections():
            inside.wait()  # both batches run at once
            seen.append(gc.get_threshold())
            inside.wait()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [(BATCH_GEN0_THRESHOLD, 10, 10)] * 2
    assert gc.get_threshold() == (700, 10, 10)


def test_extractor_batches_answer_as_before_and_restore() -> None:
    x = Extractor(model=False)
    out = x.extract_many(["Cocaine 1g $80", "Меф 1г 2500р"])
    assert [e.substances[0].canonical for e in out] == ["cocaine", "mephedrone"]
    assert x.extract_many.__name__ == "extract_many" and x.listings.__name__ == "listings"
    assert gc.get_threshold() == (700, 10, 10)
