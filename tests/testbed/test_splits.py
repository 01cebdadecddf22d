"""The dev/test split: fixed by a hash of the id, deterministic, disjoint, about 30 % test."""

from __future__ import annotations

import hashlib

import pytest

from onionwatch.testbed.splits import TEST_BELOW, check_split, real_split, split_of, text_id


def test_pinned_assignments_never_change() -> None:
    # pinned: a change here would silently move records between dev and test
    assert [split_of("x", i) for i in "abcd"] == ["dev", "test", "dev", "test"]
    assert split_of("alphabay2017", "1g cocaine") == "dev"
    assert split_of("matanga2020", "шишки ak-47 1г") == "dev"


def test_rule_is_first_byte_of_sha256_below_0x4d() -> None:
    for i in range(500):
        rid = f"id-{i}"
        first = hashlib.sha256(f"src:{rid}".encode()).digest()[0]
        assert split_of("src", rid) == ("test" if first < 0x4D else "dev")
    assert TEST_BELOW == 0x4D


def test_deterministic_and_disjoint() -> None:
    ids = [f"r{i}" for i in range(2000)]
    first = {i: split_of("s", i) for i in ids}
    assert first == {i: split_of("s", i) for i in reversed(ids)}
    dev = {i for i, s in first.items() if s == "dev"}
    test = {i for i, s in first.items() if s == "test"}
    assert dev.isdisjoint(test) and dev | test == set(ids)


def test_source_is_part_of_the_key() -> None:
    ids = [f"r{i}" for i in range(400)]
    assert [split_of("a", i) for i in ids] != [split_of("b", i) for i in ids]


@pytest.mark.parametrize("source", ["alphabay2017", "agora2014", "matanga2020", "heldout2025"])
def test_proportion_is_stable_near_30_percent(source: str) -> None:
    n = 20_000
    share = sum(split_of(source, f"listing {i}") == "test" for i in range(n)) / n
    assert abs(share - 77 / 256) < 0.015


def test_copies_of_one_text_share_a_side() -> None:
    assert text_id("  1g  COCAINE\t90%\n") == "1g cocaine 90%"
    rows = [{"title": "1g Cocaine 90%"}, {"title": "1g  cocaine 90% "}, {"title": "1G COCAINE\n90%"}]
    assert len({real_split("agora2014", r) for r in rows}) == 1
    assert real_split("matanga2020", {"description": "Меф 1г"}) == split_of("matanga2020", "меф 1г")


def test_unknown_split_name_is_refused() -> None:
    assert check_split("test") == "test"
    with pytest.raises(ValueError, match="dev, test"):
        check_split("train")
