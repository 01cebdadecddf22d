"""Wilson intervals and the seeded F1 bootstrap on tiny inputs with known answers."""

from __future__ import annotations

import pytest

from onionwatch.testbed.metrics import bootstrap_f1, f1, f1_figure, proportion, wilson


@pytest.mark.parametrize(
    ("k", "n", "lo", "hi"),
    [
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (1, 1, 0.2065, 1.0),
        (81, 263, 0.2553, 0.3662),
    ],
)
def test_wilson_known_values(k: int, n: int, lo: float, hi: float) -> None:
    got = wilson(k, n)
    assert got == pytest.approx((lo, hi), abs=5e-4)


def test_wilson_edges() -> None:
    assert wilson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        wilson(11, 10)
    lo, hi = wilson(900, 1000)
    assert lo < 0.9 < hi and hi - lo < 0.04


def test_proportion_figure() -> None:
    fig = proportion("clean", 9, 10)
    assert (fig.value, fig.k, fig.n, fig.method) == (0.9, 9, 10, "wilson")
    assert fig.text().startswith("0.900 [0.596, 0.982] (9/10)")


def test_f1_counts() -> None:
    assert f1(0, 0, 0) == 1.0
    assert f1(8, 2, 2) == pytest.approx(0.8)
    assert f1(0, 3, 0) == 0.0


def test_bootstrap_is_degenerate_on_perfect_items() -> None:
    assert bootstrap_f1([(1, 0, 0)] * 20, n_boot=200) == (1.0, 1.0)
    assert bootstrap_f1([(0, 0, 0)] * 5, n_boot=50) == (1.0, 1.0)  # nothing to find, nothing found


def test_bootstrap_two_items_spans_all_outcomes() -> None:
    # resampling {(1,0,0), (0,1,0)} twice gives F1 1 (tp,tp), 2/3 (tp,fp) or 0 (fp,fp): 25 % each extreme
    lo, hi = bootstrap_f1([(1, 0, 0), (0, 1, 0)], n_boot=2000, seed=1)
    assert (lo, hi) == (0.0, 1.0)
    lo, hi = bootstrap_f1([(1, 0, 0), (0, 1, 0)], n_boot=2000, seed=1, level=0.4)
    assert lo == hi == pytest.approx(2 / 3)


def test_bootstrap_is_seeded_and_brackets_the_estimate() -> None:
    counts = [(1, 0, 0)] * 40 + [(0, 1, 0)] * 5 + [(0, 0, 1)] * 5 + [(2, 0, 1)] * 10
    a = bootstrap_f1(counts, seed=7)
    assert a == bootstrap_f1(counts, seed=7)
    assert a != bootstrap_f1(counts, seed=8)
    fig = f1_figure("substance F1", counts, seed=7)
    assert (fig.lo, fig.hi) == a
    assert fig.lo < fig.value < fig.hi and fig.value == pytest.approx(f1(60, 5, 15))
    assert fig.n == len(counts) and fig.method == "bootstrap"
