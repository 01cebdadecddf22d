"""Server-side charts: matplotlib (Agg, no pyplot) drawn to SVG, sanitised and returned as inline Markup.

Every chart has one shared y-axis with a unit label, dated x ticks with the year, a legend, and the
current incomplete period shaded, hatched and labelled "incomplete" (its line dashed), so a week that
has only started never reads as a collapse. Labels are scraped names: math text is off, control
characters are dropped, and matplotlib escapes the text; the SVG is then parsed and stripped of scripts,
foreign objects, styles (declarations become
  attributes), event handlers and outside links before it is inlined (CSP `script-src 'none'`).
matplotlib's configuration and font cache live in <data dir>/cache/matplotlib unless MPLCONFIGDIR is set.
"""

from __future__ import annotations

import functools
import io
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from lxml import etree
from markupsafe import Markup

from onionwatch.i18n import get_locale
from onionwatch.i18n import gettext as _
from onionwatch.paths import data_dir

COLOURS = ("#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563", "#65a30d",
           "#9333ea")  # fmt: skip
MAX_LABEL = 40
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_DROP = {"script", "foreignObject", "style", "iframe", "image", "a", "metadata"}
_LOCK = threading.Lock()
# style="..." is refused by the dashboard's CSP (style-src by hash): declarations become SVG attributes
_PRESENTATION = {"fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
                 "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity",
                 "font-size", "font-family", "font-weight", "font-style", "text-anchor", "dominant-baseline",
                 "clip-path"}  # fmt: skip


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


def _matplotlib() -> Any:
    if "MPLCONFIGDIR" not in os.environ:
        cache = data_dir() / "cache" / "matplotlib"
        cache.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.environ["MPLCONFIGDIR"] = str(cache)
    import matplotlib

    matplotlib.use("Agg", force=True)
    matplotlib.rcParams.update(
        {"svg.fonttype": "none", "svg.hashsalt": "onionwatch", "text.parse_math": False, "font.size": 9,
         "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Liberation Sans"],
         "axes.spines.top": False, "axes.spines.right": False}
    )  # fmt: skip
    from matplotlib.figure import Figure

    return Figure


def clean_label(text: str) -> str:
    """A scraped name fit for a chart: no control or bidi characters, at most MAX_LABEL characters."""
    text = _CONTROL.sub("", str(text)).strip() or "?"
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def tick_label(period: str, interval: str) -> str:
    """``2026-09-07`` -> ``7 Sep 2026`` (weeks, days) or ``Sep 2026`` (months): always with the year."""
    d = date.fromisoformat(period[:10])
    return f"{d:%b %Y}" if interval == "month" else f"{d.day} {d:%b %Y}"


def line_chart(periods: Sequence[str], series: Sequence[Series], *, interval: str, y_label: str, title: str,
               incomplete: bool = False, integer: bool = True, width: float = 9.0, height: float = 3.6
               ) -> Markup:  # fmt: skip
    """Lines over ``periods`` on one shared y-axis (from 0, whole ticks for counts); the last period marked
    incomplete if asked. The same figures in the same language give the same SVG, drawn once (matplotlib
    takes about a second a chart): a page reloaded on an unchanged store is not drawn again."""
    key = (tuple(periods), tuple(Series(s.label, tuple(s.values)) for s in series), interval, y_label, title,
           incomplete, integer, width, height, get_locale())  # fmt: skip
    return _cached_chart(*key)


def clear_chart_cache() -> None:
    """Forget every drawn chart (benchmarks measure drawing with it)."""
    _cached_chart.cache_clear()


@functools.lru_cache(maxsize=64)
def _cached_chart(periods: tuple[str, ...], series: tuple[Series, ...], interval: str, y_label: str, title: str,
                  incomplete: bool, integer: bool, width: float, height: float, locale: str) -> Markup:  # fmt: skip
    figure_cls = _matplotlib()
    with _LOCK:
        fig = figure_cls(figsize=(width, height), dpi=96)
        ax = fig.add_subplot(1, 1, 1)
        xs = list(range(len(periods)))
        for i, s in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            pts = [(x, v) for x, v in zip(xs, s.values, strict=True) if v is not None]
            solid = [p for p in pts if not (incomplete and p[0] == len(xs) - 1)]
            ax.plot([p[0] for p in solid], [p[1] for p in solid], color=colour, marker="o", markersize=3,
                    linewidth=1.6, label=clean_label(s.label))  # fmt: skip
            if incomplete and pts and pts[-1][0] == len(xs) - 1 and len(pts) > 1:
                tail = pts[-2:]
                ax.plot([p[0] for p in tail], [p[1] for p in tail], color=colour, linestyle=":", marker="o",
                        markersize=3, markerfacecolor="white", linewidth=1.2)  # fmt: skip
        if incomplete and xs:
            ax.axvspan(xs[-1] - 0.5, xs[-1] + 0.5, facecolor="#f3f4f6", hatch="///", edgecolor="#9ca3af",
                       linewidth=0, zorder=0)  # fmt: skip
            ax.text(xs[-1], 1.0, _("incomplete"), transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                    fontsize=8, color="#4b5563")  # fmt: skip
        ax.set_ylim(bottom=0)
        if integer:  # counts: whole-number ticks
            from matplotlib.ticker import MaxNLocator

            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(-0.5, max(len(xs) - 0.5, 0.5))
        step = max(1, len(xs) // 10)
        ax.set_xticks(xs[::step], [tick_label(p, interval) for p in periods][::step], rotation=30, ha="right")
        ax.set_ylabel(y_label)
        ax.set_title(title, loc="left", fontsize=10)
        ax.grid(axis="y", color="#e5e7eb", linewidth=0.8)
        if series:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        fig.subplots_adjust(left=0.08, right=0.8, top=0.9, bottom=0.24)  # fixed: tight_layout costs a draw
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return sanitise_svg(buf.getvalue())


def sanitise_svg(data: bytes) -> Markup:
    """Parse SVG (no entities, no network) and keep only drawing: no scripts, styles, handlers, links."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(data, parser)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # comments, processing instructions
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        if etree.QName(el).localname in _DROP and el is not root:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
            continue
        style = el.attrib.pop("style", "")
        for decl in style.split(";"):
            prop, _sep, value = decl.partition(":")
            if prop.strip() in _PRESENTATION:
                el.set(prop.strip(), value.strip())
        for name in list(el.attrib):
            local = etree.QName(name).localname.lower()
            value = el.attrib[name].strip()
            outside = "url(" in value and not value.startswith("url(#")
            if local.startswith("on") or (local == "href" and not value.startswith("#")) or outside:
                del el.attrib[name]
    root.set("role", "img")
    root.set("class", "chart")
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    return Markup(etree.tostring(root, encoding="unicode"))
