"""Evaluation figures with 95 % confidence intervals: Wilson for proportions, seeded bootstrap for F1."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Figure:
    """One measured figure: value and its 95 % interval over n items (k successes for a proportion)."""

    name: str
    value: float
    lo: float
    hi: float
    n: int
    k: int | None = None
    method: str = "wilson"

    def text(self) -> str:
        count = f"{self.k}/{self.n}" if self.k is not None else f"n={self.n}"
        return f"{self.value:.3f} [{self.lo:.3f}, {self.hi:.3f}] ({count})"


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of k successes in n trials; (0, 1) when n is 0."""
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= k <= n:
        raise ValueError(f"k={k} outside 0..n={n}")
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion(name: str, k: int, n: int) -> Figure:
    lo, hi = wilson(k, n)
    return Figure(name, k / n if n else float("nan"), lo, hi, n, k, "wilson")


def f1(tp: int, fp: int, fn: int) -> float:
    """Micro F1 from counts; 1.0 when there is nothing to find and nothing found."""
    if tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def bootstrap_f1(
    counts: Sequence[tuple[int, int, int]], n_boot: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of micro F1, resampling items (each a (tp, fp, fn) triple) with replacement.

    Seeded: the same counts and seed give the same interval. Pure Python: the corpora are hundreds of items.
    """
    n = len(counts)
    if n == 0:
        return 0.0, 1.0
    rng = random.Random(seed)
    scores = []
    for _ in range(n_boot):
        tp = fp = fn = 0
        for i in rng.choices(range(n), k=n):
            a, b, c = counts[i]
            tp, fp, fn = tp + a, fp + b, fn + c
        scores.append(f1(tp, fp, fn))
    scores.sort()
    alpha = (1 - level) / 2
    return _quantile(scores, alpha), _quantile(scores, 1 - alpha)


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    pos = q * (len(sorted_values) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def f1_figure(name: str, counts: Sequence[tuple[int, int, int]], seed: int = 0) -> Figure:
    tp = sum(c[0] for c in counts)
    fp = sum(c[1] for c in counts)
    fn = sum(c[2] for c in counts)
    lo, hi = bootstrap_f1(counts, seed=seed)
    return Figure(name, f1(tp, fp, fn), lo, hi, len(counts), None, "bootstrap")
