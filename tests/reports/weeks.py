"""Three weeks of hand-built listings for the report tests (Mondays 2024-03-04, 03-11 and 03-18).

Report week W3 = [2024-03-18, 2024-03-25), previous week W2 = [2024-03-11, 2024-03-18):
- mdma: 2 listings in W2 (40, 50 $/g: median 45), 4 in W3 (36, 44, 50, 60: median 47, +4.4%);
- cocaine: 3 listings in W2 (90, 100, 110: median 100), 1 in W3 (80, -20.0%);
- isotonitazene (known) and 2-fdck (unknown candidate, confidence 0.7) first seen in W3;
- heroin only in W1; DrGreen (alpha) and dr_green (klad) share a PGP key, dr_green first seen in W3;
  IceKing and Ice.King share a name since W1 (not a new link).
"""

from __future__ import annotations

from onionwatch.extractors.records import Listing, Substance, Vendor
from tests.indexer.data import FP_GREEN, at, listing

EVIL_VENDOR = "<script>alert('vendor')</script>"
EVIL_TITLE = "<script>alert('title')</script> Isotonitazene 10mg"


def _t(day: str) -> str:
    return f"2024-03-{day}T10:00:00Z"


def vendors() -> list[Vendor]:
    return [
        Vendor("alpha", "v-green", "DrGreen", "http://alpha.onion/v/v-green", pgp_fingerprint=FP_GREEN,
               scraped_at=_t("04")),
        Vendor("alpha", "v-ice", "IceKing", "http://alpha.onion/v/v-ice", scraped_at=_t("04")),
        Vendor("klad", "k-ice", "Ice.King", "http://klad.onion/s/k-ice", scraped_at=_t("05")),
        Vendor("alpha", "v-evil", EVIL_VENDOR, "http://alpha.onion/v/v-evil", scraped_at=_t("20")),
    ]  # fmt: skip


def batches() -> list[tuple[list[Listing], list[Vendor]]]:
    a, k = "alpha", "klad"
    green = {"vendor": "DrGreen", "vendor_id": "v-green"}
    ice = {"vendor": "IceKing", "vendor_id": "v-ice"}
    evil = {"vendor": EVIL_VENDOR, "vendor_id": "v-evil"}
    zel = {"vendor": "dr_green", "vendor_id": "k-zel"}
    h1 = listing(a, "h1", "Heroin no4", at=_t("05"), sub="heroin", cls="opioid", qty=1, usd=120, **green)
    m1 = listing(a, "m1", "MDMA crystal 1g", at=_t("11"), sub="mdma", cls="stimulant", qty=1, usd=40, **green)
    m2 = listing(a, "m2", "MDMA 84% 1g", at=_t("12"), sub="mdma", cls="stimulant", qty=1, usd=50, **green)
    c1 = listing(a, "c1", "Cocaine flake", at=_t("12"), sub="cocaine", cls="stimulant", qty=1, usd=90, **ice)
    c2 = listing(a, "c2", "Cocaine Peru", at=_t("12"), sub="cocaine", cls="stimulant", qty=1, usd=100, **ice)
    c3 = listing(
        k,
        "c3",
        "Кокаин 1г",
        at=_t("13"),
        vendor="Ice.King",
        vendor_id="k-ice",
        sub="cocaine",
        cls="stimulant",
        qty=1,
        amount=10000,
        currency="RUB",
        usd=110,
        lang="ru",
    )
    m3 = listing(
        k,
        "m3",
        "МДМА 2г",
        at=_t("19"),
        sub="mdma",
        cls="stimulant",
        qty=2,
        amount=8000,
        currency="RUB",
        usd=88,
        lang="ru",
        **zel,
    )
    m4 = listing(a, "m4", "MDMA half gram", at=_t("20"), sub="mdma", cls="stimulant", qty=0.5, usd=30, **evil)
    n1 = listing(a, "n1", EVIL_TITLE, at=_t("21"), sub="isotonitazene", cls="nitazene", qty=0.1, usd=25, **evil)
    fdck = Substance("2-fdck", "unknown", "2F-DCK", 0, 6, known=False, confidence=0.7)
    x1 = listing(a, "x1", "New RC 2F-DCK 5g", at=_t("22"), qty=5, usd=60, extra=[fdck], **ice)
    zel_vendor = Vendor(k, "k-zel", "dr_green", "http://klad.onion/s/k-zel", pgp_fingerprint=FP_GREEN,
                        scraped_at=_t("19"))  # fmt: skip
    return [
        ([h1, m1, m2, c1, c2, c3], vendors()),
        ([at(m1, _t("18"), price_usd=36.0), at(m2, _t("19")), at(c1, _t("19"), price_usd=80.0), m3, m4, n1, x1],
         [zel_vendor]),
    ]  # fmt: skip
