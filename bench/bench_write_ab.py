"""A/B of two versions of the SQLite write path on one re-crawl round (issue 15 item 5: the re-crawl write path).

    mkdir -p /var/tmp/ab/old && git archive main | tar -x -C /var/tmp/ab/old
    .venv/bin/python -m bench.bench_write_ab --store BASE.sqlite --old-tree /var/tmp/ab/old --n 100000 \\
        [--round 3] [--every 600] [--pairs 2] [--work /var/tmp/ab]

BASE is a store built by bench/bench_observations.py with the same --n and --every (rounds < --round written). Each
pair copies BASE twice and writes round --round (bench_observations.write_round: every market's crawl, the round's
sightings through store.write_batch, mark_gone) into one copy with the old tree's code and into the other with this
tree's, each in its own process (the old tree imported as `onionwatch` through a tree of symlinks, as scripts/lint
builds it; the module paths are printed), old first in even pairs, new first in odd ones (a busy machine weighs on
both alike). Prints CPU and wall sightings/s per run; then asserts every table of the two files equal (rows sorted,
the FTS shadow tables included).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


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


def importable(tree: Path, into: Path) -> Path:
    """A directory where ``onionwatch`` (and ``bench``) import from ``tree``: symlinks by pyproject's package-dir."""
    shutil.rmtree(into, ignore_errors=True)
    pkg = into / "onionwatch"
    pkg.mkdir(parents=True)
    for entry in (tree / "onionwatch").iterdir():
        if entry.name != "__pycache__":
            (pkg / entry.name).symlink_to(entry)
    mapping = tomllib.loads((tree / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    for name, folder in mapping.items():
        parts = name.split(".")
        if len(parts) == 2 and parts[0] == "onionwatch":
            (pkg / parts[1]).symlink_to(tree / folder)
    (into / "bench").symlink_to(tree / "bench")
    return into


ONE = """
import json, sys, time
from pathlib import Path
from bench import bench_observations as bo
from onionwatch.indexer import sqlite_write
from onionwatch.indexer.store import open_store
from onionwatch.testbed.synth import synth_batch

path, n, k, every = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
listings, _ = synth_batch(n, seed=42, start=bo.START.date().isoformat(), days=bo.FIRST_DAYS)
count = sum(1 for _ in bo.sightings(listings, k, 42, every))
store = open_store(f"sqlite:///{path}")
try:
    cpu, wall = time.process_time(), time.perf_counter()
    bo.write_round(store, listings, k, 42, 20_000, path, every)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
finally:
    store.close()
print(json.dumps({"sightings": count, "cpu": cpu, "wall": wall, "module": sqlite_write.__file__}), flush=True)
"""  # one round written into one store by the code of the tree on PYTHONPATH (the old tree has no copy of this file)


def run(root: Path, work: Path, path: Path, args: argparse.Namespace) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    cmd = [sys.executable, "-c", ONE, str(path), str(args.n), str(args.round), str(args.every)]
    done = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True, help="the base store (bench_observations, rounds < --round)")
    parser.add_argument("--old-tree", required=True, help="a checkout of the old commit (git archive)")
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--round", type=int, default=3)
    parser.add_argument("--every", type=int, default=600)
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--work", default="/var/tmp/bench_write_ab")
    args = parser.parse_args(argv)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    roots = {"old": importable(Path(args.old_tree).resolve(), work / "old-code"),
             "new": importable(HERE, work / "new-code")}  # fmt: skip
    paths = {"old": work / "old.sqlite", "new": work / "new.sqlite"}
    rates: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(args.pairs):
        for label in ("old", "new") if i % 2 == 0 else ("new", "old"):
            _copy(Path(args.store), paths[label])
            got = run(roots[label], work, paths[label], args)
            n, cpu, wall = got["sightings"], got["cpu"], got["wall"]
            rates[label].append(n / cpu)
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"pair {i} {label}: {n} sightings, {cpu:.1f} s CPU = {n / cpu:.0f}/s, {wall:.1f} s wall ="
                  f" {n / wall:.0f}/s, load {load} ({got['module']})", flush=True)  # fmt: skip
        a, b = tables(paths["old"]), tables(paths["new"])
        differ = sorted(t for t in a.keys() | b.keys() if a.get(t) != b.get(t))
        assert not differ, f"tables differ: {differ}"
        print(f"pair {i}: all {len(a)} tables equal ({sum(n for n, _ in a.values())} rows)", flush=True)
    for label, xs in rates.items():
        print(f"{label}: CPU sightings/s {' '.join(f'{x:.0f}' for x in xs)} (mean {sum(xs) / len(xs):.0f})")


if __name__ == "__main__":
    main()
