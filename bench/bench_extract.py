"""Extraction throughput (texts/s per core, nlp.pipe batches) and peak RSS on real listing titles.

Usage: .venv/bin/python bench/bench_extract.py [SHARED_DATA_DIR] [--n 30000] [--batch-size 256] [--repeat 3]
                                              [--no-model] [--as-listed]

Full listing records (title, a price cell, two tier lines with prices that differ per listing, a category)
go through Extractor.listings with the trained drug-class model on (--no-model: off); best of --repeat runs.
The titles are distinct (every record's title is analysed); --as-listed takes the listing records' titles as a
market lists them instead: agora2014.csv's rows in file order, a vendor's repeated titles kept (issue 15: a batch
analyses a repeated text once).
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from onionwatch.crawler.items import RawListing  # noqa: E402
from onionwatch.extractors.pipeline import Extractor  # noqa: E402

csv.field_size_limit(10_000_000)
SOURCES = (("alphabay2017.csv", "title"), ("agora2014.csv", "title"), ("matanga2020_dev.csv", "description"))


def load_titles(data: Path) -> list[str]:
    """Distinct listing titles of every real data set, interleaved so EN and RU texts are mixed."""
    per_source: list[list[str]] = []
    for fname, col in SOURCES:
        path = data / "listings" / fname
        if not path.exists():
            continue
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            per_source.append(list(dict.fromkeys(row[col] for row in csv.DictReader(fh))))
    mixed: list[str] = []
    for i in range(max((len(s) for s in per_source), default=0)):
        mixed.extend(s[i] for s in per_source if i < len(s))
    return mixed


CATEGORIES = ("Drugs/Stimulants", "Drugs/Cannabis", "Drugs/Opioids", "Drugs/Psychedelics", "Fraud", "")


def as_listed(data: Path) -> list[str]:
    """agora2014.csv's titles row by row, repeats kept (the order a crawl meets them)."""
    path = data / "listings" / "agora2014.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return [row["title"] for row in csv.DictReader(fh)]


def _p(i: int) -> float:
    """A price that differs between listings (no two neighbouring records share tier lines)."""
    return 5 + (i * 7919) % 20_000 / 10


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--n", type=int, default=30_000, help="texts per run")
    ap.add_argument("--batch-size", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    ap.add_argument("--no-model", action="store_true", help="listing records without the drug-class model")
    ap.add_argument("--as-listed", action="store_true", help="listing records with agora2014's titles in file order")
    args = ap.parse_args(argv)
    texts = load_titles(Path(args.data))
    if not texts:
        print(f"no listings under {args.data}/listings", file=sys.stderr)
        return 2
    texts = (texts * (args.n // len(texts) + 1))[: args.n]
    t0 = time.perf_counter()
    x = Extractor(model=not args.no_model)
    x.extract_many(["Cocaine 1g $80", "Меф 1г 2500р"])  # build both pipelines
    x.listings([RawListing(market="bench", listing_id="0", url="/", title="Cocaine 1g")])  # and load the model
    build = time.perf_counter() - t0
    rss_after_build = peak_rss_mb()
    best_cpu = best_wall = 0.0
    for _ in range(args.repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        out = x.extract_many(texts, batch_size=args.batch_size)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        best_cpu = max(best_cpu, len(texts) / cpu)
        best_wall = max(best_wall, len(texts) / wall)
    found = sum(1 for r in out if r.substances)
    raws = [RawListing(market="bench", listing_id=str(i), url=f"/{i}", title=t, price_text=f"USD {_p(i):.2f}",
                       tiers=[f"1 g — USD {_p(i):.2f}", f"5 g — USD {_p(i) * 4.5:.2f}"], currency="USD",
                       category=CATEGORIES[i % len(CATEGORIES)])
            for i, t in enumerate((as_listed(Path(args.data)) if args.as_listed else texts)[: max(1, args.n // 3)])
            ]  # fmt: skip
    listing_rate = 0.0
    for _ in range(args.repeat):
        c0 = time.process_time()
        x.listings(raws)
        listing_rate = max(listing_rate, len(raws) / (time.process_time() - c0))
    avg_len = sum(map(len, texts)) / len(texts)
    print(f"texts: {len(texts)} real listing titles (avg {avg_len:.0f} chars), batch size {args.batch_size}")
    print(f"pipelines built in {build:.2f} s (RSS {rss_after_build:.0f} MB)")
    print(
        f"throughput: {best_cpu:,.0f} texts/s per core (CPU time), {best_wall:,.0f} texts/s wall, best of {args.repeat}"
    )
    model = "off" if args.no_model else "on"
    titles = f"{len({r.title for r in raws}):,} distinct of {len(raws):,} as listed" if args.as_listed else "distinct"
    print(
        f"listing records (title + price cell + 2 tier lines + category; titles {titles}), drug-class model {model}: "
        f"{listing_rate:,.0f} listings/s per core (CPU time), best of {args.repeat}"
    )
    print(f"peak RSS: {peak_rss_mb():.0f} MB")
    print(f"texts with a substance: {found / len(texts):.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
