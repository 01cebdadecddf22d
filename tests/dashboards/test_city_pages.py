"""The map and the city view (dashboards/city_pages.py), in-process over SQLite: bundled coordinates only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from onionwatch.dashboards.app import DashboardApp
from onionwatch.dashboards.city_pages import HEIGHT, MARGIN, WIDTH, draw
from onionwatch.indexer.store import open_store
from tests.dashboards.client import call
from tests.indexer.test_places import LISTINGS, klad

HOSTILE = "<svg onload=alert(1)>"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[DashboardApp]:
    s: Any = open_store(f"sqlite:///{tmp_path}/city.sqlite")
    s.write_batch([*LISTINGS, klad("k9", HOSTILE, HOSTILE, "mephedrone", 5.0, 1, vendor=HOSTILE)], [])
    yield DashboardApp(s)
    s.close()


def test_map_draws_known_cities_as_links_and_lists_the_rest(app: DashboardApp) -> None:
    r = call(app, "/map")
    assert r.status == 200
    svg = r.text[r.text.index("<svg"):r.text.index("</svg>")]
    assert 'href="/city?name=Almaty"' in svg and 'href="/city?name=Karaganda"' in svg
    assert "Almaty (5)" in svg and "Karaganda (1)" in svg
    radii = dict(re.findall(r'<circle cx="[\d.]+" cy="[\d.]+" r="([\d.]+)" fill="#2563eb".*?<title>(\w+):', svg))
    assert float(next(r for r, n in radii.items() if n == "Almaty")) > float(next(r for r, n in radii.items()
                                                                                 if n == "Karaganda"))  # fmt: skip
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched
    assert HOSTILE not in r.text and "&lt;svg onload=alert(1)&gt;" in r.text  # an unknown city: listed, escaped
    north = call(app, "/map", {"market": "north"})
    assert "Almaty (1)" in north.text and "Karaganda" not in north.text.split("<svg")[1].split("</svg>")[0]
    assert "No listing names a city" in call(app, "/map", {"market": "nowhere"}).text


def test_city_view_gathers_every_spelling(app: DashboardApp) -> None:
    r = call(app, "/city", {"name": "алматы"})
    assert r.status == 200
    assert "<h1>Almaty" in r.text and "5 listing(s) name this city." in r.text
    assert "Almaty, Алматы" in r.text  # the spellings found on the markets
    row = re.search(r"mephedrone</a></td><td class=\"num\">4</td><td class=\"num\">([\d.,]+)</td>", r.text)
    assert row and row.group(1) == "40.00"
    assert "Бостандыкский · 2" in r.text and "Medeu · 1" in r.text
    assert 'href="/vendor?market=north&amp;id=s1"' in r.text
    odd = call(app, "/city", {"name": HOSTILE})
    assert odd.status == 200 and HOSTILE not in odd.text and "1 listing(s)" in odd.text
    assert ("analyst1", "view.city", "алматы") in [(e["actor"], e["action"], e["target"])
                                                   for e in app.audit.entries()]  # fmt: skip


def test_bad_city_requests_and_nothing_to_draw(app: DashboardApp) -> None:
    assert call(app, "/city").status == 400
    assert call(app, "/city", {"name": "Almaty", "page": "7"}).status == 400
    assert call(app, "/map", {"zoom": "3"}).status == 400
    assert draw({}) is None and draw({"Atlantis": 3}) is None


def test_projection_keeps_the_box_and_orientation() -> None:
    m = draw({"Almaty": 10, "Moscow": 1, "Vladivostok": 1})
    assert m is not None and m["width"] <= WIDTH and m["height"] <= HEIGHT
    pts = {p["name"]: p for p in m["points"]}
    assert pts["Moscow"]["x"] < pts["Almaty"]["x"] < pts["Vladivostok"]["x"]  # west to east
    assert pts["Moscow"]["y"] < pts["Almaty"]["y"]  # north is up
    assert pts["Almaty"]["r"] > pts["Moscow"]["r"] == pts["Vladivostok"]["r"]
    for p in m["points"]:
        assert MARGIN <= p["x"] <= m["width"] - MARGIN and MARGIN <= p["y"] <= m["height"] - MARGIN
    assert any(o["name"] == "Novosibirsk" for o in m["others"])  # context cities inside the box, not linked
