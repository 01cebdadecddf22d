"""A fingerprint of extraction output: a speed change must leave it identical.

Usage: .venv/bin/python bench/extract_fingerprint.py [SHARED_DATA_DIR] [--n 6000] [--batch 500] [--dump FILE]

Builds a fixed, deterministic set of listing records from the real titles (bench_extract.load_titles: EN and
RU interleaved, with repeats) — a price cell in several forms, tier lines, a category, some descriptions, empty
titles, places and shown quantities — runs them through Extractor.listings in batches of --batch (a fresh
Extractor, model on), and the same titles through Extractor.extract_many. Prints the record count and the
sha256 of the canonical JSON (sorted keys) of every output record; --dump writes one record per line (diff two
dumps to find what changed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_extract import CATEGORIES, _p, load_titles  # noqa: E402
from onionwatch.crawler.items import RawListing  # noqa: E402
from onionwatch.extractors.pipeline import Extractor  # noqa: E402

MORE_CATEGORIES = ("Drugs > Cannabis > Buds", "Guides & Tutorials", "Jewels & Gold", "Stimulants", "Cocaine",
                   "Мефедрон", "Other")  # fmt: skip
PLACES = (None, "Алматы", "Москва / ЦАО", "Batumi, Old Town", "Минск")


def raw_listing(i: int, title: str, other: str) -> RawListing:
    """Record i: its fields vary with i (every combination recurs; nothing random)."""
    price_cells = (f"USD {_p(i):.2f}", f"{_p(i) * 60:.0f}", f"{_p(i) * 80:,.0f} ₽", "", f"€{_p(i):.0f}/g",
                   f"0.00{i % 97} BTC (USD {_p(i):.2f})")  # fmt: skip
    tiers = [
        [],
        [f"1 g — USD {_p(i):.2f}", f"5 g — USD {_p(i) * 4.5:.2f}"],
        [f"0,5 г — {_p(i) * 30:.0f}", f"1 г — {_p(i) * 55:.0f} руб"],
        [f"10 pills - ${_p(i):.0f}"],
    ][i % 4]
    cats = (*CATEGORIES, *MORE_CATEGORIES)
    return RawListing(
        market="fp", listing_id=str(i), url=f"/{i}",
        title="" if i % 53 == 0 else title,
        description=other if i % 3 == 0 else ("" if i % 5 else title),
        price_text=price_cells[i % len(price_cells)],
        category=cats[i % len(cats)] or None,
        location=PLACES[i % len(PLACES)],
        quantity=("0,5 г", None, "10 pills", None, None, None, None)[i % 7],
        tiers=tiers,
        currency=(None, "USD", "RUB", "KZT")[i % 4],
        vendor_url=f"/vendor/v{i % 11}?x=1",
        scraped_at="2024-05-01T00:00:00Z" if i % 2 else "",
    )  # fmt: skip


def fingerprint(records: list[str]) -> str:
    h = hashlib.sha256()
    for line in records:
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--n", type=int, default=6000, help="listing records")
    ap.add_argument("--batch", type=int, default=500, help="records per Extractor.listings call")
    ap.add_argument("--dump", help="write the canonical JSON records here, one a line")
    args = ap.parse_args(argv)
    titles = load_titles(Path(args.data))
    if not titles:
        print(f"no listings under {args.data}/listings", file=sys.stderr)
        return 2
    # every title once up to n, then repeats (a batch sees duplicated texts, as a recrawl does)
    texts = (titles[: args.n * 4 // 5] * 2)[: args.n]
    raws = [raw_listing(i, t, texts[(i * 31) % len(texts)]) for i, t in enumerate(texts)]
    x = Extractor()
    lines: list[str] = []
    for start in range(0, len(raws), args.batch):
        for listing in x.listings(raws[start : start + args.batch]):
            lines.append(json.dumps(asdict(listing), sort_keys=True, ensure_ascii=False))
    for e in x.extract_many(texts[: args.n // 2]):
        lines.append(json.dumps(e.to_dict(), sort_keys=True, ensure_ascii=False))
    if args.dump:
        Path(args.dump).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"records: {len(lines)} ({len(raws)} listings, {len(lines) - len(raws)} texts)")
    print(f"sha256: {fingerprint(lines)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
