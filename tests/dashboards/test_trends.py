"""The trends and emerging pages on a real SQLite store: SVG charts, shared periods, drill-down, coverage."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from onionwatch.dashboards import trends
from tests.dashboards.client import call


def svgs(text: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", text, re.S)


def test_charts_are_inline_svg_with_axes_units_legend_and_years(app) -> None:
    r = call(app, "/trends", {"end": "2024-02-29", "weeks": "9", "months": "3"})
    assert r.status == 200
    charts = svgs(r.text)
    assert len(charts) == 3 and all('class="chart"' in c for c in charts)
    listings = charts[0]
    assert ">listings live in the week<" in listings and ">8 Jan 2024<" in listings  # unit, dated tick with year
    assert ">mdma<" in listings  # legend
    assert ">USD per gram (median)<" in charts[1] and ">Jan 2024<" in charts[1]
    assert ">active vendors<" in charts[2]
    for c in charts:
        assert "<script" not in c and "style=" not in c and "foreignObject" not in c and "incomplete" not in c


def test_table_has_the_chart_periods_and_every_cell_drills_down_to_its_listings(app) -> None:
    r = call(app, "/trends", {"end": "2024-02-29", "weeks": "9"})
    head = r.text.split('<table class="trend">')[1].split("</thead>")[0]
    assert re.findall(r'title="(\d{4}-\d\d-\d\d) –', head) == [f"2024-{d}" for d in (
        "01-01", "01-08", "01-15", "01-22", "01-29", "02-05", "02-12", "02-19", "02-26")]  # fmt: skip
    row = r.text.split('href="/?substance=mdma">mdma</a>')[1].split("</tr>")[0]
    cells = re.findall(r'<a href="([^"]+)">(\d+)</a>', row)
    assert len(cells) == 9 and cells[0][0] == "/?substance=mdma&amp;since=2024-01-01&amp;until=2024-01-07"
    for href, value in cells:
        listed = call(app, unescape(href).split("?")[0], dict(p.split("=") for p in unescape(href)[2:].split("&")))
        total = re.search(r"<b>(\d+)</b> listing", listed.text)
        assert listed.status == 200 and int(total.group(1) if total else 0) == int(value), href


def test_the_running_week_is_marked_incomplete_not_a_fall(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trends, "today", lambda: date(2024, 2, 7))
    r = call(app, "/trends", {"weeks": "6"})
    chart = svgs(r.text)[0]
    assert ">incomplete<" in chart and 'fill="url(#h' in chart  # labelled and hatched
    assert r.text.count('<th class="num incomplete"') == 3  # the last week (two tables) and February
    assert "still running (incomplete)" in r.text


def test_counts_are_shown_per_crawled_market_day(store, app, monkeypatch: pytest.MonkeyPatch) -> None:
    import onionwatch.indexer.sqlite_crawls as sqlite_crawls

    for day, status in (("2024-01-08", "complete"), ("2024-01-09", "partial"), ("2024-01-10", "failed")):
        monkeypatch.setattr(sqlite_crawls, "now_ts", lambda day=day: f"{day}T09:00:00Z")
        store.update_crawl(store.begin_crawl("alpha"), status, {}, [])
    r = call(app, "/trends", {"end": "2024-01-14", "weeks": "2", "market": "alpha"})
    coverage = r.text.split('<tr class="coverage">')[1].split("</tr>")[0]
    assert re.findall(r'<td class="num">([\d.–]+)</td>', coverage) == ["0", "1.5"]
    assert "/day</small>" in r.text


def test_without_crawl_records_the_page_says_counts_are_not_normalised(app) -> None:
    r = call(app, "/trends", {"end": "2024-02-29"})
    assert "not normalised for crawl coverage" in r.text


def test_emerging_page_states_no_baseline_and_prints_the_method(app) -> None:
    r = call(app, "/emerging", {"days": "10", "ref": "2024-02-10"})
    assert r.status == 200 and "No baseline yet." in r.text
    assert "<h3>Method</h3>" in r.text and "Benjamini-Hochberg" in r.text
    assert "first seen between 2024-02-01 and 2024-02-10" in r.text
    first_seen = r.text.split("First seen in the period")[1]
    assert ">3-xmc<" in first_seen and ">mdma<" not in first_seen
