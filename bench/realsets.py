"""The real sets in ../shared/data/listings: loading by split, the category -> expected substance tables, agreement.

Used by bench/eval_extract.py (figures) and bench/error_analysis.py (causes of disagreements). Every set is
read by path (never copied into the repository); the split of a row comes from onionwatch.testbed.splits.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from onionwatch.extractors.records import Extraction
from onionwatch.testbed.splits import TEXT_COLUMN, real_split, text_id

csv.field_size_limit(10_000_000)


def close(a: float, b: float, tol: float = 0.01) -> bool:
    return abs(a - b) <= tol * max(abs(b), 1e-9)


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
    ("Steroids", "*"): _e(classes="performance"), ("Paraphernalia", "*"): NON_DRUG,
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
    ("Steroids", "*"): _e(classes="performance"),
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


@dataclass(frozen=True)
class RealSet:
    name: str
    file: str
    expect: Callable[[dict[str, str]], Expect | None]
    label: Callable[[dict[str, str]], str]

    @property
    def column(self) -> str:
        return TEXT_COLUMN[self.name]


REAL_SETS = (
    RealSet("alphabay2017", "alphabay2017.csv", alphabay_expect,
            lambda r: f"{r['subcategory']}/{r['subcategory2']}" if r["category"] == "Drugs & Chemicals"
            else r["category"]),
    RealSet("agora2014", "agora2014.csv", agora_expect, lambda r: f"{r['cat']}/{r['subcat']}/{r['subsubcat']}"),
    RealSet("matanga2020", "matanga2020_dev.csv", matanga_expect, lambda r: f"{r['group']}/{r['sub']}"),
)  # fmt: skip


def load_rows(listings: Path, rs: RealSet, split: str | None) -> tuple[list[dict[str, str]], int]:
    """One row per distinct text (the first seen) of the given split (None: both); and the file's row count."""
    with (listings / rs.file).open(encoding="utf-8", errors="replace", newline="") as fh:
        rows = list(csv.DictReader(fh))
    seen: set[str] = set()
    picked = []
    for r in rows:  # the scrapes repeat listings many times: score each text once
        key = text_id(r[rs.column])
        if key in seen or (split is not None and real_split(rs.name, r) != split):
            continue
        seen.add(key)
        picked.append(r)
    return picked, len(rows)


def disagreement(res: Extraction, exp: Expect) -> str | None:
    """Why a text disagrees with its label, in the terms `agree` counts; None when it agrees.

    "non-drug found" (a substance in a non-drug listing), "missed" (drug listing, no substance), "class"
    (primary substance of another class), "name" (right class or no class given, but not an expected name).
    """
    names, classes = exp
    known = [s for s in res.substances if s.known]
    if names == frozenset() and classes == frozenset():
        return "non-drug found" if known else None
    if not known:
        return "missed"
    if classes is not None and known[0].cls not in classes:
        return "class"
    if names is not None and not any(s.canonical in names for s in known):
        return "name"
    return None
