"""A/B of bench_extract.py between two checkouts, alternating runs in one session (the machine is shared).

Usage: .venv/bin/python bench/ab_extract.py BASE_DIR [--data SHARED_DATA_DIR] [--rounds 5] [--n 12000] [--repeat 2]
                                          [--no-model] [--as-listed]

BASE_DIR is another checkout with its own .venv (e.g. `git archive main | tar -x -C DIR` plus a venv);
this checkout is B. Each round runs A then B (order swapped every other round) and reads bench_extract's
per-core figures; prints the medians and B/A ratios.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_FIGURES = {
    "texts/s": re.compile(r"throughput: ([\d,]+) texts/s per core"),
    "listings/s": re.compile(r"drug-class model \w+: ([\d,]+) listings/s per core"),
}


def run(tree: Path, args: list[str]) -> dict[str, float]:
    python = tree / ".venv" / "bin" / "python"
    out = subprocess.run([str(python), str(tree / "bench" / "bench_extract.py"), *args], capture_output=True,
                         text=True, check=True, cwd=tree).stdout  # fmt: skip
    figures: dict[str, float] = {}
    for name, rx in _FIGURES.items():
        m = rx.search(out)
        if m is None:
            raise SystemExit(f"{tree}: no {name} figure in:\n{out}")
        figures[name] = float(m.group(1).replace(",", ""))
    return figures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", help="checkout A (with .venv)")
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n", type=int, default=12_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-model", action="store_true")
    ap.add_argument("--as-listed", action="store_true", help="bench_extract --as-listed (both checkouts need it)")
    args = ap.parse_args(argv)
    bench_args = [str(Path(args.data).resolve()), "--n", str(args.n), "--repeat", str(args.repeat)]
    bench_args += ["--no-model"] if args.no_model else []
    bench_args += ["--as-listed"] if args.as_listed else []
    trees = {"A": Path(args.base).resolve(), "B": REPO}
    results: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    for r in range(args.rounds):
        for side in ("A", "B") if r % 2 == 0 else ("B", "A"):
            results[side].append(run(trees[side], bench_args))
            print(f"round {r + 1} {side}: {results[side][-1]}", flush=True)
    for name in _FIGURES:
        a = statistics.median(f[name] for f in results["A"])
        b = statistics.median(f[name] for f in results["B"])
        print(f"{name}: A median {a:,.0f}, B median {b:,.0f}, B/A {b / a:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
