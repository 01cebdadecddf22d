"""Places in the dashboard: the map (/map, server-side SVG from bundled coordinates only) and the city view
(/city: a klad city's listings, vendors, substances with median price per gram, districts).

The map is an equirectangular projection of the bounding box of the cities that have listings (padded), x scaled
by the cosine of the middle latitude; one circle per city, its area proportional to the listing count, each a
link to the city view. Coordinates come from extractors/data/city_coords.yaml: nothing is fetched, no script runs.
"""

from __future__ import annotations

import math
from typing import Any

from onionwatch.dashboards.pages import url
from onionwatch.dashboards.params import BadRequest, Params
from onionwatch.extractors import geo
from onionwatch.indexer.query import MAX_WINDOW
from onionwatch.indexer.store import Store

WIDTH, HEIGHT, MARGIN = 900, 520, 30
PAD_DEG = 1.5
MIN_SPAN_DEG = 6.0
R_MIN, R_MAX = 4.0, 26.0
PER_PAGE = 20


def _spellings(store: Store, name: str) -> tuple[str, list[str]]:
    """The city's display name and every stored spelling of it."""
    key = geo.group_key(name)
    found = sorted({p["city"] for p in store.places() if geo.group_key(p["city"]) == key})
    return geo.canonical(name), found


def city_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    name = params.required("name")
    page = params.integer("page", 1, 1, MAX_WINDOW // PER_PAGE)
    title, spellings = _spellings(store, name)
    s = store.city_summary(spellings, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    pages = max(1, math.ceil(min(s["listings"], MAX_WINDOW) / PER_PAGE))
    if page > pages:
        raise BadRequest(f"page: this city has {pages} page(s) of listings")
    city = geo.find_city(name)
    return "city.html", {
        "name": title, "city": city, "spellings": spellings, "s": s,
        "paging": {"page": page, "pages": pages,
                   "prev": url("/city", {"name": name, "page": page - 1}) if page > 1 else None,
                   "next": url("/city", {"name": name, "page": page + 1}) if page < pages else None},
    }  # fmt: skip


def map_page(store: Store, params: Params) -> tuple[str, dict[str, Any]]:
    market = params.text("market")
    counts: dict[str, int] = {}
    unplaced: dict[str, int] = {}
    for p in store.places(market):
        city = geo.find_city(p["city"])
        if city is None:
            unplaced[p["city"]] = unplaced.get(p["city"], 0) + p["listings"]
        else:
            counts[city.name] = counts.get(city.name, 0) + p["listings"]
    drawing = draw(counts)
    return "map.html", {"market": market or "", "map": drawing, "unplaced": sorted(unplaced.items(),
                                                                                   key=lambda kv: (-kv[1], kv[0]))}


def draw(counts: dict[str, int]) -> dict[str, Any] | None:
    """Geometry of the map: {"width", "height", "points": [...], "others": [...], "grid": [...]}; None when no
    city with listings has coordinates."""
    known = {c.name: c for c in geo.cities().values()}
    placed = [known[n] for n in counts if n in known]
    if not placed:
        return None
    lat0, lat1 = min(c.lat for c in placed) - PAD_DEG, max(c.lat for c in placed) + PAD_DEG
    lon0, lon1 = min(c.lon for c in placed) - PAD_DEG, max(c.lon for c in placed) + PAD_DEG
    if lat1 - lat0 < MIN_SPAN_DEG:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - MIN_SPAN_DEG / 2, mid + MIN_SPAN_DEG / 2
    if lon1 - lon0 < MIN_SPAN_DEG:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - MIN_SPAN_DEG / 2, mid + MIN_SPAN_DEG / 2
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    # fill the canvas: widen the narrower side of the box to the canvas's aspect (more context, same scale)
    ratio = (WIDTH - 2 * MARGIN) / (HEIGHT - 2 * MARGIN)
    w, h = (lon1 - lon0) * kx, lat1 - lat0
    if w / h < ratio:
        grow = (h * ratio / kx - (lon1 - lon0)) / 2
        lon0, lon1 = lon0 - grow, lon1 + grow
    else:
        grow = (w / ratio - h) / 2
        lat0, lat1 = max(-85.0, lat0 - grow), min(85.0, lat1 + grow)
    scale = min((WIDTH - 2 * MARGIN) / ((lon1 - lon0) * kx), (HEIGHT - 2 * MARGIN) / (lat1 - lat0))
    width = round((lon1 - lon0) * kx * scale + 2 * MARGIN)
    height = round((lat1 - lat0) * scale + 2 * MARGIN)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return round(MARGIN + (lon - lon0) * kx * scale, 1), round(MARGIN + (lat1 - lat) * scale, 1)

    top = max(counts.values())
    points = []
    for c in sorted(placed, key=lambda c: -counts[c.name]):  # big circles first, small ones drawn on top
        x, y = xy(c.lat, c.lon)
        r = round(R_MIN + (R_MAX - R_MIN) * math.sqrt(counts[c.name] / top), 1)
        left = x > width - 160  # near the right edge: the label goes on the circle's left
        points.append({"name": c.name, "x": x, "y": y, "r": r, "listings": counts[c.name],
                       "url": url("/city", {"name": c.name}), "anchor": "end" if left else "start",
                       "lx": round(x - r - 3 if left else x + r + 3, 1)})  # fmt: skip
    others = []
    for c in known.values():
        if c.name not in counts and lat0 <= c.lat <= lat1 and lon0 <= c.lon <= lon1:
            x, y = xy(c.lat, c.lon)
            others.append({"name": c.name, "x": x, "y": y})
    grid = []
    for lon in range(math.ceil(lon0 / 5) * 5, math.floor(lon1) + 1, 5):
        x, _ = xy(lat0, lon)
        grid.append({"x1": x, "y1": MARGIN, "x2": x, "y2": height - MARGIN, "label": f"{lon}°E", "lx": x,
                     "ly": height - 8})  # fmt: skip
    for lat in range(math.ceil(lat0 / 5) * 5, math.floor(lat1) + 1, 5):
        _, y = xy(lat, lon0)
        grid.append({"x1": MARGIN, "y1": y, "x2": width - MARGIN, "y2": y, "label": f"{lat}°N", "lx": 4, "ly": y - 3})
    return {"width": width, "height": height, "points": points, "others": others, "grid": grid,
            "bbox": (round(lat0, 2), round(lon0, 2), round(lat1, 2), round(lon1, 2))}
