"""Evaluate extraction on one split: labelled corpora and real-data label agreement, with 95 % intervals.

Usage: .venv/bin/python bench/eval_extract.py [SHARED_DATA_DIR] [--split dev|test] [--limit N] [--show N]
                                              [--corpus FILE] [--out DIR] [--no-write] [--testbed]
                                              [--with-category] [--no-model]

dev (default): bench/corpus/listings.jsonl (the team corpus the rules were written on), prices_dev.jsonl,
prices_en_dev.jsonl (English prices and quantities, issue 14; listing_only rows: listing mode only),
ru_dev2025.jsonl, ca_dev2026.jsonl, ru_dev2026c.jsonl and ru_dev2026d.jsonl (RU/KZ/Central-Asian klad shops and
Telegram, issue 14), en_dev2026.jsonl, en_dev2026b.jsonl, en_dev2026c.jsonl, en_dev2026d.jsonl,
en_dev2026e.jsonl, en_dev2026f.jsonl, en_dev2026g.jsonl, en_dev2026h.jsonl, en_dev2026i.jsonl, en_dev2026j.jsonl,
en_dev2026k.jsonl, en_dev2026l.jsonl, en_dev2026m.jsonl, en_dev2026o.jsonl, en_dev2026p.jsonl, en_dev2026p2.jsonl
(the round-p probe, seen once, now dev), en_dev2026q.jsonl (English 2022–2025 markets, issue 14) and
en_dev2026q2.jsonl (its probe, seen once, now dev),
ru_dev2026e.jsonl, ru_dev2026f.jsonl, ru_dev2026g.jsonl, ru_dev2026h.jsonl and ru_dev2026j.jsonl (RU klad shops and
Telegram, issue 14), ru_dev2026k.jsonl and ru_dev2026q.jsonl (RU klad-shop product cards, issue 14)
and the dev split of every real set.
test: bench/corpus/heldout.jsonl and heldout2025.jsonl (TEST ONLY) and the test split of every real set — score it
once per release. Proportions carry Wilson intervals, substance F1 a seeded bootstrap interval (1,000 resamples
of texts). Results go to bench/results/<date>-eval_extract-<split>.{json,md}.
Splits: onionwatch/testbed/splits.py; protocol: README "Evaluation protocol".

Per real set a "listing class" group scores each text as a crawl hands it over (Extractor.listings, title
only): the class from the lexicon or, with the drug-class model on (default; --no-model: off), the model's;
drug listings with a class, class agreement with the market category, non-drug listings without a class,
and the share flagged for review.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.realsets import REAL_SETS, Agreement, Expect, agree, close, load_rows  # noqa: E402
from onionwatch.crawler.items import RawListing  # noqa: E402
from onionwatch.extractors.geo import group_key  # noqa: E402
from onionwatch.extractors.lexicon import load_lexicon  # noqa: E402
from onionwatch.extractors.pipeline import Extractor  # noqa: E402
from onionwatch.extractors.records import Price, Quantity  # noqa: E402
from onionwatch.testbed.eval_results import write_results  # noqa: E402
from onionwatch.testbed.metrics import Figure, f1_figure, proportion  # noqa: E402
from onionwatch.testbed.scoring import listing_match, vendor_match  # noqa: E402
from onionwatch.testbed.splits import check_split  # noqa: E402

CORPUS = REPO / "bench" / "corpus"
CORPORA = {"dev": ["listings.jsonl", "prices_dev.jsonl", "prices_en_dev.jsonl", "ru_dev2025.jsonl",
                   "ca_dev2026.jsonl", "en_dev2026.jsonl", "en_dev2026b.jsonl", "en_dev2026c.jsonl",
                   "ru_dev2026c.jsonl", "en_dev2026d.jsonl", "ru_dev2026d.jsonl",
                   "en_dev2026e.jsonl", "ru_dev2026e.jsonl", "ru_dev2026f.jsonl",
                   "en_dev2026f.jsonl", "ru_dev2026g.jsonl", "en_dev2026g.jsonl",
                   "en_dev2026h.jsonl", "ru_dev2026h.jsonl", "en_dev2026i.jsonl", "ru_dev2026j.jsonl",
                   "en_dev2026j.jsonl", "en_dev2026k.jsonl", "en_dev2026l.jsonl", "en_dev2026m.jsonl",
                   "en_dev2026o.jsonl", "en_dev2026p.jsonl", "en_dev2026p2.jsonl", "en_dev2026q.jsonl",
                   "en_dev2026q2.jsonl", "ru_dev2026k.jsonl", "ru_dev2026q.jsonl"],
           "test": ["heldout.jsonl", "heldout2025.jsonl"]}
BANNER = "=" * 78 + "\nTEST SPLIT — score once per release (never tune rules on what it shows)\n" + "=" * 78


def qty_equal(got: Quantity | None, want: dict[str, Any] | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return got.unit == want["unit"] and close(got.value, float(want["value"]))


def price_equal(got: Price | None, want: dict[str, Any] | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return got.currency == want["currency"] and close(got.amount, float(want["amount"]))


# ----------------------------------------------------------------------------- labelled corpora
@dataclass
class CorpusTally:
    """Per language: per-text (tp, fp, fn) for F1, and counts for the exact-match proportions."""

    counts: list[tuple[int, int, int]] = field(default_factory=list)
    ok: Counter[str] = field(default_factory=Counter)
    of: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def hit(self, name: str, ok: bool) -> None:
        self.of[name] += 1
        self.ok[name] += ok

    def figures(self, seed: int) -> list[Figure]:
        tp, fp, fn = (sum(c[i] for c in self.counts) for i in range(3))
        figs = [f1_figure("substance F1", self.counts, seed)]
        figs += [proportion("substance precision", tp, tp + fp), proportion("substance recall", tp, tp + fn)]
        figs += [proportion(name, self.ok[name], n) for name, n in self.of.items()]
        return figs


def _extract(x: Extractor, rows: list[dict[str, Any]], mode: str) -> list[Any]:
    """`text` records go through extract_many. Listing records (title, description, location, price_text):
    mode "listing" through Extractor.listings, as a crawl hands them over (the price comes from price_text, the
    title or tier lines — not from the description); mode "text" through extract_many on title + description."""
    if mode == "text":
        return x.extract_many([r.get("text") or f"{r['title']}\n{r.get('description') or ''}" for r in rows])
    raws = [RawListing(market="eval", listing_id=r["id"], url="", title=r["title"],
                       description=r.get("description") or "", price_text=r.get("price_text") or "",
                       location=r.get("location"), lang=r["lang"], currency=r.get("market_currency"))
            for r in rows]  # fmt: skip
    return x.listings(raws)


def eval_corpus(x: Extractor, path: Path, show: int, seed: int) -> dict[str, list[Figure]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    name = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    modes = ["text"] if all("text" in r for r in rows) else ["listing", "text"]
    if all(r.get("listing_only") for r in rows):  # the place, the price field: nothing to read in a bare text
        modes = ["listing"]
    groups = {}
    for mode in modes:
        tallies: dict[str, CorpusTally] = defaultdict(CorpusTally)
        # a row marked listing_only (its price shown apart, in price_text) has no bare-text reading
        picked = [r for r in rows if mode == "listing" or not r.get("listing_only")]
        for row, res in zip(picked, _extract(x, picked, mode), strict=True):
            for t in (tallies[row["lang"]], tallies["all"]):
                _score_row(t, row, res)
        label = path.stem if len(modes) == 1 else f"{path.stem} ({mode})"
        print(f"== labelled corpus {name}" + ("" if len(modes) == 1 else f", {mode} mode"))
        for lang in sorted(tallies, key=lambda k: (k == "all", k)):
            figs = tallies[lang].figures(seed)
            groups[f"{label} {lang}"] = figs
            print(f"  {lang}:")
            for f in figs:
                print(f"    {f.name:28} {f.text()}")
        if show:
            print(f"  first {show} disagreements:")
            print("\n".join(tallies["all"].errors[:show]))
    return groups


def _score_row(t: CorpusTally, row: dict[str, Any], res: Any) -> None:
    want = set(row["substances"])
    known = [s for s in res.substances if s.known]
    got = {s.canonical for s in known}
    t.counts.append((len(want & got), len(got - want), len(want - got)))
    q, d, p = qty_equal(res.quantity, row.get("quantity")), qty_equal(res.dose, row.get("dose")), price_equal(
        res.price, row.get("price"))  # fmt: skip
    t.hit("quantity exact", q)
    t.hit("dose exact", d)
    t.hit("price exact", p)
    is_drug = row.get("is_drug", not row.get("non_drug"))
    if is_drug:
        t.hit("drug: a substance found", bool(known))
        if "classes" in row:
            t.hit("drug: primary class right", bool(known) and known[0].cls in row["classes"])
    else:
        t.hit("non-drug clean", not known)
    if "city" in row and hasattr(res, "city"):
        t.hit("city right", city_right(row["city"], res.city))
    if not (want == got and q and d and p):
        title = row.get("text") or f"{row.get('title', '')} | {row.get('description', '')}"
        t.errors.append(f"  {row['id']}: {title[:100]!r}\n     want {sorted(want)} q={row.get('quantity')} "
                        f"d={row.get('dose')} p={row.get('price')}\n     got  {sorted(got)} q={_q(res.quantity)} "
                        f"d={_q(res.dose)} p={_p(res.price)}")  # fmt: skip


# the labels name cities in English; a page shows them in either language
CITY_SPELLINGS = {
    "Almaty": "Алматы", "Astana": "Астана", "Shymkent": "Шымкент", "Karaganda": "Караганда", "Pavlodar": "Павлодар",
    "Kostanay": "Костанай", "Aktobe": "Актобе", "Taraz": "Тараз", "Ust-Kamenogorsk": "Усть-Каменогорск",
    "Semey": "Семей", "Atyrau": "Атырау", "Aktau": "Актау", "Moscow": "Москва", "Saint Petersburg": "Санкт-Петербург",
    "Novosibirsk": "Новосибирск", "Yekaterinburg": "Екатеринбург", "Kazan": "Казань", "Voronezh": "Воронеж",
    "Krasnodar": "Краснодар", "Samara": "Самара", "Ufa": "Уфа", "Chelyabinsk": "Челябинск", "Omsk": "Омск",
    "Tyumen": "Тюмень", "Perm": "Пермь", "Volgograd": "Волгоград", "Rostov-on-Don": "Ростов-на-Дону",
    "Irkutsk": "Иркутск", "Saratov": "Саратов", "Sochi": "Сочи", "Barnaul": "Барнаул", "Tashkent": "Ташкент",
    "Samarkand": "Самарканд", "Bishkek": "Бишкек", "Osh": "Ош", "Dushanbe": "Душанбе", "Tbilisi": "Тбилиси",
    "Kyiv": "Киев", "Kharkiv": "Харьков", "Minsk": "Минск", "Gomel": "Гомель", "Berlin": "Берлин",
    "Surgut": "Сургут", "Penza": "Пенза", "Lipetsk": "Липецк", "Zhezkazgan": "Жезказган", "Balkhash": "Балхаш",
    "Kyzylorda": "Кызылорда", "Taldykorgan": "Талдыкорган", "Namangan": "Наманган", "Karakol": "Каракол",
    "Brest": "Брест", "Dnipro": "Днепр", "Nizhny Novgorod": "Нижний Новгород", "Vladivostok": "Владивосток",
    "Khabarovsk": "Хабаровск", "Krasnoyarsk": "Красноярск", "Kemerovo": "Кемерово", "Tver": "Тверь",
    "Murmansk": "Мурманск", "Yaroslavl": "Ярославль", "Kaliningrad": "Калининград", "Tomsk": "Томск",
    "Izhevsk": "Ижевск", "Turkestan": "Туркестан", "Uralsk": "Уральск", "Petropavl": "Петропавловск",
    "Ekibastuz": "Экибастуз", "Yerevan": "Ереван", "Baku": "Баку", "Andijan": "Андижан", "Khujand": "Худжанд",
    "Batumi": "Батуми", "Odesa": "Одесса", "Orenburg": "Оренбург", "Astrakhan": "Астрахань",
}  # fmt: skip


def city_right(want: str | None, got: str | None) -> bool:
    if want is None or got is None:
        return want is None and got is None
    g = got.casefold().replace("ё", "е")
    if g in (want.casefold(), CITY_SPELLINGS.get(want, want).casefold()):
        return True
    return group_key(want) == group_key(got)  # one city however spelled ("Алматы", "Almaty", "Алм")


def _q(q: Quantity | None) -> Any:
    return None if q is None else {"value": q.value, "unit": q.unit}


def _p(p: Price | None) -> Any:
    return None if p is None else {"amount": p.amount, "currency": p.currency}


# ----------------------------------------------------------------------------- real-data labels
def eval_real(
    x: Extractor, data: Path, split: str, limit: int, show: int, with_category: bool = False
) -> dict[str, list[Figure]]:
    """Titles alone (default); with_category: as a crawl hands them over, the page's category included as
    evidence (extractors/category.py). The labels come from that same category, so the second figure shows what
    the evidence adds in use, not how well titles are read."""
    listings = data / "listings"
    mode = ", titles + page category" if with_category else ""
    print(f"== agreement with real labels ({listings}), {split} split{mode}")
    groups: dict[str, list[Figure]] = {}
    for rs in REAL_SETS:
        if not (listings / rs.file).exists():
            print(f"  {rs.name}: {listings / rs.file} missing, skipped")
            continue
        picked, n_rows = load_rows(listings, rs, split)
        if limit and len(picked) > limit:  # an even sample: every k-th text (the files are sorted by category)
            picked = picked[:: -(-len(picked) // limit)]
        t0 = time.perf_counter()
        if with_category:
            results: list[Any] = x.listings([RawListing(market=rs.name, listing_id=str(i), url="", title=r[rs.column],
                                                        category=rs.label(r)) for i, r in enumerate(picked)])
        else:
            results = x.extract_many([r[rs.column] for r in picked])
        dt = time.perf_counter() - t0
        per_lang: dict[str, Agreement] = defaultdict(Agreement)
        for r, res in zip(picked, results, strict=True):
            exp = rs.expect(r)
            if exp is None:
                continue
            a = per_lang[res.lang]
            agree(res, exp, a, rs.label(r))
            if rs.name == "matanga2020" and r.get("weight_field"):
                # the shop's weight field says "гр" even for pieces ("5 гр" = 5 pills): compare values only
                want = x.extract(r["weight_field"], lang="ru").quantity
                if want is not None:
                    a.qty_n += 1
                    a.qty_ok += res.quantity is not None and close(res.quantity.value, want.value)
        print(f"  {rs.name}: {len(picked)} distinct {split} texts of {n_rows} rows ({len(picked) / dt:.0f} texts/s)")
        groups |= listing_class(x, rs.name, picked, [rs.expect(r) for r in picked], rs.column)
        for lang, a in sorted(per_lang.items()):
            figs = [proportion("drug: a substance found", a.detected, a.drug),
                    proportion("drug: label agreement", a.class_ok, a.drug),
                    proportion("drug: expected substance", a.canon_ok, a.canon_n),
                    proportion("non-drug clean", a.clean, a.nondrug)]  # fmt: skip
            if a.qty_n:
                figs.append(proportion("quantity value = weight_field", a.qty_ok, a.qty_n))
            figs = [f for f in figs if f.n]
            groups[f"{rs.name}{' +category' if with_category else ''} {lang}"] = figs
            print(f"    {lang}:")
            for f in figs:
                print(f"      {f.name:30} {f.text()}")
            if show:
                for k, v in a.confusions.most_common(show):
                    print(f"        {v:5}  {k}")
    return groups


def expected_classes(exp: Expect) -> frozenset[str] | None:
    """The classes a label accepts: its classes, else its names' classes; None = any class."""
    names, classes = exp
    if classes is None and names:
        entries = load_lexicon(None).entries
        classes = frozenset(entries[n].cls for n in names if n in entries) or None
    if classes and "other" in classes:  # the tables predate the performance class (steroids were "other")
        classes = classes | {"performance"}
    return classes


def listing_class(
    x: Extractor, name: str, rows: list[dict[str, str]], expects: list[Expect | None], column: str
) -> dict[str, list[Figure]]:
    """The "listing class" figures (module doc) of one real set's texts."""
    raws = [RawListing(market="eval", listing_id=str(i), url="", title=r[column]) for i, r in enumerate(rows)]
    listings = x.listings(raws)
    drug = with_cls = agree_n = nondrug = clean = flagged = by_model = 0
    for listing, exp in zip(listings, expects, strict=True):
        if exp is None:
            continue
        flagged += listing.review
        by_model += listing.class_source == "model"
        if exp == (frozenset(), frozenset()):
            nondrug += 1
            clean += listing.substance_class is None
            continue
        drug += 1
        with_cls += listing.substance_class is not None
        want = expected_classes(exp)
        agree_n += listing.substance_class is not None and (want is None or listing.substance_class in want)
    n = drug + nondrug
    figs = [proportion("drug: a class", with_cls, drug), proportion("drug: class agrees", agree_n, drug),
            proportion("non-drug: no class", clean, nondrug), proportion("class from the model", by_model, n),
            proportion("flagged for review", flagged, n)]  # fmt: skip
    figs = [f for f in figs if f.n]
    model = "on" if x.classifier is not None else "off"
    print(f"    listing class (lexicon{' + model' if model == 'on' else ' only'}):")
    for f in figs:
        print(f"      {f.name:30} {f.text()}")
    return {f"{name} listing class (model {model})": figs}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--split", default="dev", choices=("dev", "test"), help="dev (default) or test (once per release)")
    ap.add_argument("--corpus", action="append", default=None, help="labelled JSONL instead of the split's, repeatable")
    ap.add_argument(
        "--limit", type=int, default=0, help="an even sample of about N distinct texts per real set (0 = all)"
    )
    ap.add_argument("--show", type=int, default=0, help="print N disagreements / confusions")
    ap.add_argument("--seed", type=int, default=0, help="bootstrap seed (default 0)")
    ap.add_argument("--out", default=str(REPO / "bench" / "results"), help="result directory")
    ap.add_argument("--no-write", action="store_true", help="print only, write no result files")
    ap.add_argument("--with-category", action="store_true",
                    help="also score the real sets with the page category given as evidence")
    ap.add_argument("--testbed", action="store_true", help="also match the testbed listings against ground truth")
    ap.add_argument("--no-model", action="store_true", help="without the trained drug-class model")
    ap.add_argument("--no-real", action="store_true", help="score the labelled corpora only, not the real sets")
    args = ap.parse_args(argv)
    split = check_split(args.split)
    data = Path(args.data)
    if not args.no_real and not (data / "listings").is_dir():
        print(f"eval_extract: real data {data}: no listings/ there (give the shared data dir, or --no-real)",
              file=sys.stderr)
        return 2
    if split == "test":
        print(BANNER)
    x = Extractor(model=not args.no_model)
    groups: dict[str, list[Figure]] = {}
    corpora = [Path(c) for c in args.corpus] if args.corpus else [CORPUS / n for n in CORPORA[split]]
    for corpus in corpora:
        if not corpus.exists():
            print(f"== labelled corpus {corpus}: missing")
            return 1
        groups |= eval_corpus(x, corpus, args.show, args.seed)
    if not args.no_real:
        groups |= eval_real(x, data, split, args.limit, args.show)
        if args.with_category:
            groups |= eval_real(x, data, split, args.limit, args.show, with_category=True)
    if args.testbed:
        print("== testbed ground truth (substance, quantity, price all equal)")
        for m, r in listing_match(x).items():
            print(f"  {m}: {r}")
        print("== testbed vendors (fields equal to ground truth; links with score >= 0.8 vs actors)")
        print(f"  {vendor_match(x)}")
    if not args.no_write:
        cmd = "python bench/eval_extract.py " + " ".join(argv if argv is not None else sys.argv[1:])
        meta = {"command": cmd.strip(), "corpora": [str(c.relative_to(REPO)) if c.is_relative_to(REPO) else str(c)
                for c in corpora], "data": str(data), "limit": args.limit, "seed": args.seed,
                "model": not args.no_model}  # fmt: skip
        js, md = write_results("eval_extract", split, meta, groups, Path(args.out))
        print(f"== results: {js} and {md.name}")
    if split == "test":
        print(BANNER)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
