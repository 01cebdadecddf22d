"""A/B of two versions of indexer/sqlite_write.py on a re-crawl round (issue 15 item 5: the re-crawl write path).

    git show main:indexer/sqlite_write.py > /tmp/old_write.py
    .venv/bin/python -m bench.bench_write_ab --store BASE.sqlite --old /tmp/old_write.py --n 100000 \\
        [--round 3] [--every 600] [--pairs 2] [--work /var/tmp/ab]

BASE is a store built by bench/bench_observations.py with the same --n and --every (rounds < --round written). Each
pair copies BASE twice and writes round --round (bench_observations.write_round: every market's crawl, the round's
sightings through store.write_batch, mark_gone) into one copy with the old write module and into the other with this
one, old first in even pairs, new first in odd ones (a busy machine weighs on both alike). Prints CPU and wall
sightings/s per run; then asserts every table of the two files equal (rows sorted, the FTS shadow tables included).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import sqlite3
import time
from pathlib import Path
from types import ModuleType

from bench import bench_observations as bo
from onionwatch.indexer import sqlite, sqlite_crawls, sqlite_write
from onionwatch.indexer.store import open_store
from onionwatch.testbed.synth import synth_batch

PATCHED = ("write_listings", "write_observations", "write_vendors")  # what indexer/sqlite.py imports


def load_old(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("old_sqlite_write", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tables(path: Path) -> dict[str, tuple[int, str]]:
    """{table: (rows, sha1 of the sorted rows)} for every table of the file."""
    out = {}
    with sqlite3.connect(path) as conn:
        names = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                                            " 'sqlite_%' ORDER BY name")]  # fmt: skip
        for name in names:
            rows = sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{name}"'))
            out[name] = (len(rows), hashlib.sha1("\n".join(rows).encode()).hexdigest())
    return out


def _copy(base: Path, to: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = Path(str(to) + suffix)
        target.unlink(missing_ok=True)
        if Path(str(base) + suffix).exists():
            shutil.copy(str(base) + suffix, target)


def run(module: ModuleType, base: Path, path: Path, listings: list, k: int, every: int) -> tuple[float, float, int]:
    """(CPU s, wall s, sightings) of writing round k into a copy of base with ``module``'s write functions."""
    _copy(base, path)
    saved = {name: getattr(sqlite, name) for name in PATCHED}
    clock = sqlite_crawls.now_ts
    for name in PATCHED:
        setattr(sqlite, name, getattr(module, name))
    store = open_store(f"sqlite:///{path}")
    try:
        n = sum(1 for _ in bo.sightings(listings, k, 42, every))
        cpu, wall = time.process_time(), time.perf_counter()
        bo.write_round(store, listings, k, 42, 20_000, path, every)
        return time.process_time() - cpu, time.perf_counter() - wall, n
    finally:
        store.close()
        sqlite_crawls.now_ts = clock  # type: ignore[assignment]  # write_round sets a simulated clock
        for name, fn in saved.items():
            setattr(sqlite, name, fn)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="the base store (bench_observations, rounds < --round)")
    parser.add_argument("--old", required=True, help="the old indexer/sqlite_write.py")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--round", type=int, default=3)
    parser.add_argument("--every", type=int, default=600)
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--work", default="/var/tmp/bench_write_ab")
    args = parser.parse_args(argv)
    old = load_old(args.old)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    listings, _ = synth_batch(args.n, seed=42, start=bo.START.date().isoformat(), days=bo.FIRST_DAYS)
    paths = {"old": work / "old.sqlite", "new": work / "new.sqlite"}
    rates: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(args.pairs):
        for label in ("old", "new") if i % 2 == 0 else ("new", "old"):
            module = old if label == "old" else sqlite_write
            cpu, wall, n = run(module, Path(args.store), paths[label], listings, args.round, args.every)
            rates[label].append(n / cpu)
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"pair {i} {label}: {n} sightings, {cpu:.1f} s CPU = {n / cpu:.0f}/s, {wall:.1f} s wall ="
                  f" {n / wall:.0f}/s, load {load}", flush=True)  # fmt: skip
        a, b = tables(paths["old"]), tables(paths["new"])
        differ = sorted(t for t in a.keys() | b.keys() if a.get(t) != b.get(t))
        assert not differ, f"tables differ: {differ}"
        print(f"pair {i}: all {len(a)} tables equal ({sum(n for n, _ in a.values())} rows)", flush=True)
    for label, xs in rates.items():
        print(f"{label}: CPU sightings/s {' '.join(f'{x:.0f}' for x in xs)} (mean {sum(xs) / len(xs):.0f})")


if __name__ == "__main__":
    main()
