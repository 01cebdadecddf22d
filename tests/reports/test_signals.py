"""The emerging statistic: exact binomial tail, Benjamini-Hochberg, and generated stores (planted, uniform)."""

from __future__ import annotations

import math
import random
from datetime import timedelta

import pytest

from onionwatch.indexer.store import Store
from onionwatch.reports.period import Period
from onionwatch.reports.signals import benjamini_hochberg, binom_sf, detect
from tests.reports import planted

LAST = Period(planted.LAST_WEEK, planted.LAST_WEEK + timedelta(days=7))


def test_binomial_tail_is_exact() -> None:
    assert binom_sf(0, 10, 0.3) == 1.0 and binom_sf(11, 10, 0.3) == 0.0
    assert binom_sf(10, 10, 0.5) == pytest.approx(0.5**10)
    exact = sum(math.comb(20, i) * 0.2**i * 0.8 ** (20 - i) for i in range(8, 21))
    assert binom_sf(8, 20, 0.2) == pytest.approx(exact, rel=1e-12)


def test_benjamini_hochberg_matches_the_textbook_example() -> None:
    p = [0.01, 0.04, 0.03, 0.005]
    assert benjamini_hochberg(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    assert benjamini_hochberg([]) == []


def test_planted_substance_is_flagged_and_the_control_is_not(empty_store: Store) -> None:
    store = planted.fill(empty_store, planted.PLANTED_RATES, planted.PLANTED_BOOST)
    result = detect(store, LAST)
    assert result["status"] == "ok" and result["coverage_known"]
    assert result["exposure"] == 21.0 and result["exposure_baseline"] == 84.0  # 3 markets x 7 days, x 4 weeks
    assert result["emerging"] == ["ketamine"]
    rows = {r["substance"]: r for r in result["rows"]}
    assert rows["ketamine"]["q_value"] <= 0.05 and rows["ketamine"]["rate_ratio"] >= 1.5
    assert rows["mdma"]["status"] == "tested" and rows["mdma"]["q_value"] > 0.05


def test_uniform_random_store_flags_nothing(empty_sqlite_store: Store) -> None:
    rng = random.Random(7)
    rates = {s: rng.uniform(2.0, 12.0) for s in planted.SUBSTANCES}
    store = planted.fill(empty_sqlite_store, rates, {}, seed=99)
    result = detect(store, LAST)
    assert result["status"] == "ok" and result["emerging"] == []
    assert any(r["status"] == "tested" for r in result["rows"])


def test_after_one_week_there_is_no_baseline(empty_sqlite_store: Store) -> None:
    store = planted.fill(empty_sqlite_store, planted.PLANTED_RATES, planted.PLANTED_BOOST, weeks=1)
    result = detect(store, LAST)
    assert result["status"] == "no_baseline" and result["emerging"] == []
    assert {r["status"] for r in result["rows"]} == {"new"}  # first seen this week: new, no baseline
    assert {n["substance"] for n in result["new"]} == set(planted.SUBSTANCES)
