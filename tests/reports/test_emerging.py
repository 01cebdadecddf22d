"""The emerging-substances report on three hand-built weeks: figures, determinism, escaping, CSV, ES parity."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from onionwatch.indexer.store import Store, open_store
from onionwatch.reports.emerging import gather, weighted_median
from onionwatch.reports.jobs import emerging
from onionwatch.reports.period import Period
from onionwatch.reports.render import render_csv_tables, render_html
from tests.reports import conftest, weeks

W3 = Period(date(2024, 3, 18), date(2024, 3, 25))
STAMP = "2024-03-25T07:00:00Z"


@pytest.fixture
def report(store: Store) -> dict:
    return gather(store, W3, STAMP)


def test_period_and_summary(report: dict) -> None:
    assert report["period"]["interval"] == "week" and report["previous"]["start"] == "2024-03-11"
    assert report["listing_unit"] == "listings"
    assert [n.split(":")[0] for n in report["notes"]] == ["No baseline yet", "No crawl records"]
    s = report["summary"]
    assert (s["new_substances"], s["new_known"], s["new_candidates"]) == (2, 1, 1)
    assert (s["listings"], s["listings_prev"]) == (6, 5)
    assert s["top_growth"]["substance"] == "mdma"
    assert s["biggest_price_move"]["substance"] == "cocaine"
    assert (s["active_vendors"], s["new_vendors"], s["new_links"]) == (4, 2, 1)


def test_new_substances_flag_candidates_with_confidence(report: dict) -> None:
    rows = [(r["substance"], r["candidate"], r["confidence"], r["listings"], r["first_seen"][:10], r["markets"])
            for r in report["new_substances"]]  # fmt: skip
    assert rows == [
        ("2-fdck", True, 0.7, 1, "2024-03-22", ["alpha"]),
        ("isotonitazene", False, None, 1, "2024-03-21", ["alpha"]),
    ]
    assert report["new_substances"][1]["example"]["title"] == weeks.EVIL_TITLE


def test_growth_vs_previous_week(report: dict) -> None:
    rows = [(g["substance"], g["listings_prev"], g["listings"], g["change"], g["change_pct"]) for g in report["growth"]]
    assert rows == [("mdma", 2, 4, 2, 100.0), ("isotonitazene", 0, 1, 1, None)]
    assert [(g["substance"], g["change"], g["change_pct"]) for g in report["decline"]] == [("cocaine", -2, -66.7)]


def test_median_price_per_gram_vs_previous_week(report: dict) -> None:
    rows = [(p["substance"], p["median_prev"], p["median_usd_per_gram"], p["change_pct"], p["observations"])
            for p in report["prices"]]  # fmt: skip
    assert rows == [
        ("mdma", 45.0, 47.0, 4.4, 4),
        ("cocaine", 100.0, 80.0, -20.0, 1),
        ("isotonitazene", None, 250.0, None, 1),
    ]
    assert all(p["exact"] for p in report["prices"])


def test_active_vendors_and_new_links(report: dict) -> None:
    rows = [(v["market"], v["vendor_id"], v["listings"], v["new"], v["substances"]) for v in report["vendors"]]
    assert rows == [
        ("alpha", "v-evil", 2, True, ["isotonitazene", "mdma"]),
        ("alpha", "v-green", 2, False, ["mdma"]),
        ("alpha", "v-ice", 2, False, ["cocaine"]),
        ("klad", "k-zel", 1, True, ["mdma"]),
    ]
    assert report["links"] == [
        {"market": "alpha", "vendor_id": "v-green", "vendor": "DrGreen", "linked_market": "klad",
         "linked_vendor_id": "k-zel", "linked_vendor": "dr_green", "reason": "pgp", "score": 1.0,
         "appeared": "2024-03-19"},
    ]  # fmt: skip


def test_previous_week_has_its_own_figures(store: Store) -> None:
    w2 = gather(store, W3.previous())
    assert [(r["substance"], r["listings"]) for r in w2["new_substances"]] == [("mdma", 4), ("cocaine", 3)]
    assert w2["links"] == []  # IceKing/Ice.King are linked by name since W1
    assert {g["substance"]: g["change"] for g in w2["growth"] + w2["decline"]} == {
        "cocaine": 3,
        "mdma": 2,
        "heroin": -1,
    }


def test_multi_day_period_is_labelled_and_weighted() -> None:
    assert weighted_median([(10.0, 1), (20.0, 3)]) == 20.0
    assert weighted_median([(10.0, 2), (20.0, 2)]) == 15.0
    assert weighted_median([(7.5, 9)]) == 7.5


def test_seven_days_across_weeks(store: Store) -> None:
    r = gather(store, Period(date(2024, 3, 15), date(2024, 3, 22)))
    assert r["period"]["interval"] == "day" and r["listing_unit"] == "listings"
    assert "Median prices are observation-weighted medians of the day medians." in r["notes"]
    mdma = next(p for p in r["prices"] if p["substance"] == "mdma")
    # listings carried forward per day (change-only observations): m1 40 $/g on the 15th-17th and 36 on the 18th,
    # m2 50 on the 15th-19th (re-seen unchanged on the 19th), m3 44 on the 19th, m4 60 on the 20th: 11 listing-days;
    # daily medians 45, 45, 45, 43, 47, 60 weighted 2, 2, 2, 2, 2, 1 -> 45
    assert mdma["median_usd_per_gram"] == 45.0 and mdma["observations"] == 11 and mdma["exact"] is False


def test_output_is_deterministic_and_escaped(store: Store, tmp_path: Path) -> None:
    first = emerging(store, W3, out_dir=tmp_path / "a", generated_at=STAMP, pdf=False)
    emerging(store, W3, out_dir=tmp_path / "b", generated_at=STAMP, pdf=False)
    label = "2024-03-18_2024-03-24"  # the last day, inclusive, as the title says
    assert [p.name for p in first] == [f"{label}.html", f"{label}.json", f"{label}.xlsx"] + [
        f"{label}_{t}.csv" for t in ("signals", "new_substances", "growth", "decline", "prices", "vendors", "links")
    ]
    texts = [p for p in first if p.suffix != ".xlsx"]  # the workbook carries its creation time
    assert [p.read_bytes() for p in texts] == [(tmp_path / "b" / p.name).read_bytes() for p in texts]
    assert not [p for p in (tmp_path / "a").iterdir() if p.name.startswith(".")]  # no temp files left
    html = first[0].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;vendor&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Isotonitazene 10mg" in html
    bare = re.sub(r'xmlns(:\w+)?="[^"]*"', "", html)  # the inline SVG's namespace names are not links
    assert "http://" not in bare and "https://" not in bare  # self-contained
    assert "<svg" in html and ">Method<" in html
    assert json.loads(first[1].read_text(encoding="utf-8")) == json.loads(json.dumps(gather(store, W3, STAMP)))


def test_one_csv_per_table_with_bom_and_formulas_defused(report: dict) -> None:
    report["vendors"][0]["vendor"] = '=HYPERLINK("http://x")'
    files = render_csv_tables(report)
    assert all(text.startswith("\ufeff") for text in files.values())
    tables = {t: list(csv.DictReader(io.StringIO(text[1:]))) for t, text in files.items()}
    counts = {t: len(rows) for t, rows in tables.items()}
    assert counts == {"signals": 3, "new_substances": 2, "growth": 2, "decline": 1, "prices": 3, "vendors": 4,
                      "links": 1}  # fmt: skip
    mdma = next(r for r in tables["prices"] if r["substance"] == "mdma")
    assert (mdma["median_prev"], mdma["median_usd_per_gram"], mdma["change_pct"]) == ("45.0", "47.0", "4.4")
    assert tables["vendors"][0]["vendor"] == '\'=HYPERLINK("http://x")'
    assert set(tables["growth"][0]) >= {"period_start", "period_last_day", "substance", "listings"}
    assert tables["growth"][0]["period_last_day"] == "2024-03-24"


def test_empty_period_renders(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/empty.sqlite")
    r = gather(store, W3)
    store.close()
    assert r["summary"]["new_substances"] == 0 and r["growth"] == [] and r["vendors"] == []
    assert "No listings with a known substance in the period." in render_html(r)


@pytest.mark.elasticsearch
@pytest.mark.skipif(not conftest.ES_URL, reason="ONIONWATCH_TEST_ES_URL not set")
def test_elasticsearch_gives_the_same_report(tmp_path: Path) -> None:
    answers = []
    for backend in ("sqlite", "elasticsearch"):
        store = conftest.load(open_store(conftest._url(backend, tmp_path)))
        try:
            answers.append(gather(store, W3, STAMP))
        finally:
            drop = getattr(store, "drop", None)
            if callable(drop):
                drop()
            store.close()
    assert answers[0] == answers[1]


def test_a_failing_renderer_writes_nothing(store: Store, tmp_path: Path, monkeypatch) -> None:
    def broken(data: dict) -> str:
        raise RuntimeError("renderer broke")

    monkeypatch.setattr("onionwatch.reports.jobs.render_csv_tables", broken)
    with pytest.raises(RuntimeError):
        emerging(store, W3, out_dir=tmp_path / "out", generated_at=STAMP)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_hidden_characters_in_report_html_are_markers() -> None:
    from onionwatch.reports.render import _env

    html = _env().from_string("<td>{{ vendor }}</td>").render(vendor="good\u202eseller\x1b[2J<b>")
    assert html == "<td>good⟨U+202E⟩seller⟨ESC[2J⟩&lt;b&gt;</td>"
