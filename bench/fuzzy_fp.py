"""False positives of the misspelling matcher (extractors/fuzzy.py) on the real listings, DEV split only.

Usage: .venv/bin/python bench/fuzzy_fp.py [SHARED_DATA_DIR] [--show N]

For every distinct dev text of the real sets: (1) the raw matcher — every word it would correct, without the
drug-context guard — counted on non-drug and on drug listings; (2) the pipeline — non-drug listings whose only
substance came from a correction (the word is no alias). A word on the non-drug side belongs on the deny list
(extractors/data/fuzzy_deny.yaml) unless the listing is mislabelled.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.realsets import REAL_SETS, load_rows  # noqa: E402
from onionwatch.extractors.lexicon import load_lexicon  # noqa: E402
from onionwatch.extractors.pipeline import Extractor  # noqa: E402

_WORD = re.compile(r"[^\W\d_]{7,}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--show", type=int, default=25, help="print the N most frequent corrections per side")
    args = ap.parse_args(argv)
    listings = Path(args.data) / "listings"
    if not any((listings / rs.file).exists() for rs in REAL_SETS):
        print(f"fuzzy_fp: real data {args.data}: none of the real sets there (give the shared data dir)",
              file=sys.stderr)
        return 2
    lex = load_lexicon()
    x = Extractor()
    raw: dict[str, Counter[str]] = {"non-drug": Counter(), "drug": Counter()}
    texts = {"non-drug": 0, "drug": 0}
    pipeline_fp: Counter[str] = Counter()
    for rs in REAL_SETS:
        if not (listings / rs.file).exists():
            continue
        rows, _ = load_rows(listings, rs, "dev")
        rows = [r for r in rows if rs.expect(r) is not None]
        results = x.extract_many([r[rs.column] for r in rows])
        for r, res in zip(rows, results, strict=True):
            names, classes = rs.expect(r)  # type: ignore[misc]
            side = "non-drug" if names == frozenset() and classes == frozenset() else "drug"
            texts[side] += 1
            text = r[rs.column]
            for m in _WORD.finditer(text[:2000]):
                canonical = lex.fuzzy_lookup(m.group(0))
                if canonical:
                    raw[side][f"{m.group(0).lower()} -> {canonical}"] += 1
            if side == "non-drug":
                for s in res.substances:
                    if s.known and lex.lookup(s.text) is None and lex.fuzzy_lookup(s.text):
                        pipeline_fp[f"{s.text.lower()} -> {s.canonical}"] += 1
    for side in ("non-drug", "drug"):
        print(f"== raw matcher on {texts[side]} {side} dev texts: {sum(raw[side].values())} corrections")
        for k, v in raw[side].most_common(args.show):
            print(f"  {v:5}  {k}")
    n = texts["non-drug"]
    fp = sum(pipeline_fp.values())
    print(f"== pipeline: non-drug dev texts with a substance from a correction: {fp} of {n} ({fp / max(n, 1):.4%})")
    for k, v in pipeline_fp.most_common(args.show):
        print(f"  {v:5}  {k}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
