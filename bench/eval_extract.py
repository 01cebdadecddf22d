"""Evaluate extraction: labelled corpus P/R/F1 and exact matches, real-data label agreement, testbed truth.

Usage: .venv/bin/python bench/eval_extract.py [SHARED_DATA_DIR] [--corpus FILE] [--limit N] [--testbed]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from onionwatch.extractors.pipeline import Extractor  # noqa: E402
from onionwatch.extractors.records import Extraction, Price, Quantity  # noqa: E402
from onionwatch.testbed.scoring import listing_match, vendor_match  # noqa: E402

csv.field_size_limit(10_000_000)


def close(a: float, b: float, tol: float = 0.01) -> bool:
    return abs(a - b) <= tol * max(abs(b), 1e-9)


def qty_equal(got: Quantity | None, want: dict[str, Any] | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return got.unit == want["unit"] and close(got.value, float(want["value"]))


def price_equal(got: Price | None, want: dict[str, Any] | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return got.currency == want["currency"] and close(got.amount, float(want["amount"]))


# ----------------------------------------------------------------------------- labelled corpus
@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    n: int = 0
    qty_ok: int = 0
    dose_ok: int = 0
    price_ok: int = 0
    nondrug: int = 0
    nondrug_clean: int = 0
    errors: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def eval_corpus(x: Extractor, path: Path, show: int) -> dict[str, Scores]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = x.extract_many([r["text"] for r in rows])
    scores: dict[str, Scores] = defaultdict(Scores)
    for row, res in zip(rows, results, strict=True):
        s = scores[row["lang"]]
        s.n += 1
        want = set(row["substances"])
        got = {sub.canonical for sub in res.substances if sub.known}
        s.tp += len(want & got)
        s.fp += len(got - want)
        s.fn += len(want - got)
        q = qty_equal(res.quantity, row.get("quantity"))
        d = qty_equal(res.dose, row.get("dose"))
        p = price_equal(res.price, row.get("price"))
        s.qty_ok += q
        s.dose_ok += d
        s.price_ok += p
        if row.get("non_drug"):
            s.nondrug += 1
            s.nondrug_clean += not got
        if want != got or not (q and d and p):
            s.errors.append(f"  {row['id']}: {row['text'][:90]!r}\n     want {sorted(want)} q={row.get('quantity')} "
                            f"d={row.get('dose')} p={row.get('price')}\n     got  {sorted(got)} q={_q(res.quantity)} "
                            f"d={_q(res.dose)} p={_p(res.price)}")  # fmt: skip
    print(f"== labelled corpus {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    total = Scores()
    for lang, s in sorted(scores.items()):
        _print_scores(lang, s)
        for k in ("tp", "fp", "fn", "n", "qty_ok", "dose_ok", "price_ok", "nondrug", "nondrug_clean"):
            setattr(total, k, getattr(total, k) + getattr(s, k))
        total.errors += s.errors
    _print_scores("all", total)
    if show:
        print(f"  first {show} disagreements:")
        print("\n".join(total.errors[:show]))
    return scores


def _q(q: Quantity | None) -> Any:
    return None if q is None else {"value": q.value, "unit": q.unit}


def _p(p: Price | None) -> Any:
    return None if p is None else {"amount": p.amount, "currency": p.currency}


def _print_scores(lang: str, s: Scores) -> None:
    p, r, f = s.prf()
    clean = f"{s.nondrug_clean / s.nondrug:.3f} ({s.nondrug})" if s.nondrug else "n/a"
    print(f"  {lang:3} n={s.n:4}  substance P={p:.3f} R={r:.3f} F1={f:.3f}  quantity={s.qty_ok / s.n:.3f}  "
          f"dose={s.dose_ok / s.n:.3f}  price={s.price_ok / s.n:.3f}  non-drug clean={clean}")  # fmt: skip


# ----------------------------------------------------------------------------- real-data labels
# (expected canonical names or None, expected classes or None); both None = any substance is fine
Expect = tuple[frozenset[str] | None, frozenset[str] | None]
NON_DRUG: Expect = (frozenset(), frozenset())


def _e(names: str = "", classes: str = "") -> Expect:
    return (frozenset(names.split()) or None, frozenset(classes.split()) or None)


ALPHABAY: dict[tuple[str, str], Expect] = {
    ("Stimulants", "Cocaine"): _e("cocaine"), ("Stimulants", "Crack"): _e("cocaine"),
    ("Stimulants", "Meth"): _e("methamphetamine"), ("Stimulants", "Speed"): _e("amphetamine"),
    ("Stimulants", "Adderal & Vyvanse"): _e("amphetamine lisdexamfetamine"),
    ("Stimulants", "*"): _e(classes="stimulant cathinone empathogen"),
    ("Cannabis & Hashish", "Synthetic"): _e(classes="synthetic_cannabinoid"),
    ("Cannabis & Hashish", "*"): _e(classes="cannabinoid"),
    ("Ecstasy", "MDMA"): _e("mdma"), ("Ecstasy", "Pills"): _e("mdma"),
    ("Ecstasy", "Methylone & BK"): _e(classes="cathinone empathogen"),
    ("Ecstasy", "*"): _e(classes="empathogen cathinone stimulant"),
    ("Psychedelics", "LSD"): _e(classes="psychedelic"), ("Psychedelics", "Shrooms"): _e("psilocybin"),
    ("Psychedelics", "DMT"): _e("dmt 5-meo-dmt"), ("Psychedelics", "2C-B"): _e("2c-b"),
    ("Psychedelics", "*"): _e(classes="psychedelic"),
    ("Opioids", "Heroin"): _e("heroin"), ("Opioids", "*"): _e(classes="opioid nitazene"),
    ("Benzos", "*"): _e(classes="benzodiazepine"),
    ("Dissociatives", "Ketamine"): _e("ketamine"), ("Dissociatives", "*"): _e(classes="dissociative"),
    ("Steroids", "*"): _e(classes="other"), ("Paraphernalia", "*"): NON_DRUG,
}  # fmt: skip
AGORA: dict[tuple[str, str], Expect] = {
    ("Stimulants", "Cocaine"): _e("cocaine"), ("Stimulants", "Speed"): _e("amphetamine"),
    ("Stimulants", "Meth"): _e("methamphetamine"), ("Stimulants", "*"): _e(classes="stimulant cathinone"),
    ("Cannabis", "Synthetics"): _e(classes="synthetic_cannabinoid"), ("Cannabis", "*"): _e(classes="cannabinoid"),
    ("Ecstasy", "MDMA"): _e("mdma"), ("Ecstasy", "Pills"): _e("mdma"), ("Ecstasy", "MDA"): _e("mda"),
    ("Ecstasy", "*"): _e(classes="empathogen cathinone"),
    ("Psychedelics", "LSD"): _e(classes="psychedelic"), ("Psychedelics", "Mushrooms"): _e("psilocybin"),
    ("Psychedelics", "Spores"): _e("psilocybin"), ("Psychedelics", "DMT"): _e("dmt 5-meo-dmt"),
    ("Psychedelics", "Mescaline"): _e("mescaline"), ("Psychedelics", "Salvia"): _e("salvia"),
    ("Psychedelics", "*"): _e(classes="psychedelic"),
    ("Opioids", "*"): _e(classes="opioid nitazene"), ("Benzos", "*"): _e(classes="benzodiazepine"),
    ("Dissociatives", "Ketamine"): _e("ketamine"), ("Disassociatives", "Ketamine"): _e("ketamine"),
    ("Dissociatives", "GHB"): _e(classes="sedative"), ("Disassociatives", "GHB"): _e(classes="sedative"),
    ("Dissociatives", "MXE"): _e("methoxetamine"), ("Disassociatives", "MXE"): _e("methoxetamine"),
    ("Dissociatives", "*"): _e(classes="dissociative"), ("Disassociatives", "*"): _e(classes="dissociative"),
    ("Steroids", "*"): _e(classes="other"),
}  # fmt: skip
MATANGA: dict[str, Expect] = {
    "Cannabis": _e("cannabis"), "Methadone": _e("methadone"), "25i-NBOMe": _e("25i-nbome"), "MDMA": _e("mdma"),
    "Cocaine": _e("cocaine"), "Heroin": _e("heroin"), "Buprenorphine": _e("buprenorphine"), "LSD": _e("lsd"),
    "A-PVP": _e("alpha-pvp"), "Ketamine": _e("ketamine"), "Mephedrone": _e("mephedrone"),
    "Gabapentin": _e("gabapentin"), "Amphetamine": _e("amphetamine"), "Methamphetamine": _e("methamphetamine"),
    "Bupropion Hydrochloride": _e("bupropion"), "Services": NON_DRUG,
}  # fmt: skip


def alphabay_expect(row: dict[str, str]) -> Expect | None:
    if row["category"] != "Drugs & Chemicals":
        return NON_DRUG
    sub, sub2 = row["subcategory"], row["subcategory2"]
    return ALPHABAY.get((sub, sub2)) or ALPHABAY.get((sub, "*")) or _e()


def agora_expect(row: dict[str, str]) -> Expect | None:
    if row["cat"] == "Drug paraphernalia" or row["cat"] not in ("Drugs",):
        return NON_DRUG
    sub, sub2 = row["subcat"], row["subsubcat"]
    return AGORA.get((sub, sub2)) or AGORA.get((sub, "*")) or _e()


def matanga_expect(row: dict[str, str]) -> Expect | None:
    if not row["group"]:
        return None  # unlabelled by the study (courier ads, reagents, ...): not scored
    if row["group"] == "NPS" and row["sub"] == "Unknown":
        return _e()
    return MATANGA.get(row["sub"], _e())


@dataclass
class Agreement:
    drug: int = 0
    detected: int = 0
    class_ok: int = 0
    canon_n: int = 0
    canon_ok: int = 0
    nondrug: int = 0
    clean: int = 0
    qty_n: int = 0
    qty_ok: int = 0
    confusions: Counter[str] = field(default_factory=Counter)


def agree(res: Extraction, exp: Expect, a: Agreement, label: str) -> None:
    names, classes = exp
    known = [s for s in res.substances if s.known]
    if names == frozenset() and classes == frozenset():
        a.nondrug += 1
        a.clean += not known
        if known:
            a.confusions[f"non-drug {label} -> {known[0].canonical}"] += 1
        return
    a.drug += 1
    if known:
        a.detected += 1
    primary = known[0] if known else None
    if classes is not None:
        ok = primary is not None and primary.cls in classes
        a.class_ok += ok
        if not ok:
            a.confusions[f"{label} -> {primary.canonical if primary else None}"] += 1
    elif names is not None:
        a.class_ok += primary is not None
    else:
        a.class_ok += primary is not None
    if names is not None:
        a.canon_n += 1
        ok = any(s.canonical in names for s in known)
        a.canon_ok += ok
        if not ok:
            a.confusions[f"{label} -> {primary.canonical if primary else None}"] += 1


def eval_real(x: Extractor, data: Path, limit: int, show: int) -> None:
    listings = data / "listings"
    sources: list[tuple[str, str, str, Callable[[dict[str, str]], Expect | None], Callable[[dict[str, str]], str]]] = [
        ("alphabay2017", "alphabay2017.csv", "title", alphabay_expect,
         lambda r: f"{r['subcategory']}/{r['subcategory2']}" if r["category"] == "Drugs & Chemicals"
         else r["category"]),
        ("agora2014", "agora2014.csv", "title", agora_expect, lambda r: f"{r['cat']}/{r['subcat']}/{r['subsubcat']}"),
        ("matanga2020", "matanga2020_dev.csv", "description", matanga_expect, lambda r: f"{r['group']}/{r['sub']}"),
    ]  # fmt: skip
    print(f"== agreement with real labels ({listings})")
    for name, fname, col, expect, label in sources:
        path = listings / fname
        if not path.exists():
            print(f"  {name}: {path} missing, skipped")
            continue
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            rows = list(csv.DictReader(fh))
        seen: set[str] = set()
        picked = []
        for r in rows:  # one row per distinct title: the scrapes repeat listings many times
            key = r[col]
            if key not in seen:
                seen.add(key)
                picked.append(r)
        if limit:
            picked = picked[:limit]
        t0 = time.perf_counter()
        results = x.extract_many([r[col] for r in picked])
        dt = time.perf_counter() - t0
        per_lang: dict[str, Agreement] = defaultdict(Agreement)
        for r, res in zip(picked, results, strict=True):
            exp = expect(r)
            if exp is None:
                continue
            a = per_lang[res.lang]
            agree(res, exp, a, label(r))
            if name == "matanga2020" and r.get("weight_field"):
                # the shop's weight field says "гр" even for pieces ("5 гр" = 5 pills): compare values only
                want = x.extract(r["weight_field"], lang="ru").quantity
                if want is not None:
                    a.qty_n += 1
                    a.qty_ok += res.quantity is not None and close(res.quantity.value, want.value)
        print(f"  {name}: {len(picked)} distinct texts of {len(rows)} rows ({len(picked) / dt:.0f} texts/s)")
        for lang, a in sorted(per_lang.items()):
            qty = f"  quantity value vs weight_field={a.qty_ok / a.qty_n:.3f} ({a.qty_n})" if a.qty_n else ""
            canon = f"{a.canon_ok / a.canon_n:.3f} ({a.canon_n})" if a.canon_n else "n/a"
            clean = f"{a.clean / a.nondrug:.3f} ({a.nondrug})" if a.nondrug else "n/a"
            det = f"{a.detected / a.drug:.3f}" if a.drug else "n/a"
            cls = f"{a.class_ok / a.drug:.3f}" if a.drug else "n/a"
            print(f"    {lang}: drug listings={a.drug} detected={det} label agreement={cls} "
                  f"substance={canon} non-drug clean={clean}{qty}")  # fmt: skip
            if show:
                for k, v in a.confusions.most_common(show):
                    print(f"        {v:5}  {k}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--corpus", action="append", default=None,
                    help="labelled JSONL, repeatable (default: bench/corpus/listings + heldout)")  # fmt: skip
    ap.add_argument("--limit", type=int, default=0, help="at most N distinct texts per real data set (0 = all)")
    ap.add_argument("--show", type=int, default=0, help="print N disagreements / confusions")
    ap.add_argument("--testbed", action="store_true", help="also match the testbed listings against ground truth")
    args = ap.parse_args(argv)
    x = Extractor()
    corpora = args.corpus or [str(REPO / "bench" / "corpus" / n) for n in ("listings.jsonl", "heldout.jsonl")]
    for name in corpora:
        corpus = Path(name)
        if corpus.exists():
            eval_corpus(x, corpus, args.show)
        else:
            print(f"== labelled corpus {corpus}: missing, skipped")
    data = Path(args.data)
    if data.exists():
        eval_real(x, data, args.limit, args.show)
    else:
        print(f"== real data {data}: missing, skipped")
    if args.testbed:
        print("== testbed ground truth (substance, quantity, price all equal)")
        for m, r in listing_match(x).items():
            print(f"  {m}: {r}")
        print("== testbed vendors (fields equal to ground truth; links with score >= 0.8 vs actors)")
        print(f"  {vendor_match(x)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
