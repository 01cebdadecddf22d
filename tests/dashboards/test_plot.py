"""matplotlib SVG charts: hostile labels stay text, the sanitiser strips active content, ticks carry the year."""

from __future__ import annotations

import os

from onionwatch.dashboards.plot import Series, clean_label, line_chart, sanitise_svg, tick_label

WEEKS = ["2026-12-21", "2026-12-28", "2027-01-04"]


def test_tick_labels_carry_the_year() -> None:
    assert tick_label("2026-12-28", "week") == "28 Dec 2026"
    assert tick_label("2027-01-01", "month") == "Jan 2027"


def test_hostile_labels_are_escaped_text_and_math_is_off() -> None:
    evil = "<script>x</script> $\\frac{1}{0}$ \u202eмеф"
    svg = str(line_chart(WEEKS, [Series(evil, [1, 2, 3])], interval="week", y_label="listings", title="t"))
    assert "<script" not in svg and ">&lt;script&gt;x&lt;/script&gt; $\\frac{1}{0}$ меф<" in svg
    assert "\u202e" not in svg and "style=" not in svg
    assert clean_label("x" * 100).endswith("…") and len(clean_label("x" * 100)) == 40


def test_one_shared_axis_from_zero_and_the_incomplete_period_marked() -> None:
    svg = str(line_chart(WEEKS, [Series("a", [10, 20, 1]), Series("b", [1, 2, None])], interval="week",
                         y_label="listings", title="t", incomplete=True))  # fmt: skip
    assert svg.count('id="axes_') == 1 and ">0<" in svg and ">incomplete<" in svg and 'fill="url(#h' in svg


def test_sanitiser_strips_scripts_foreign_objects_handlers_and_outside_links() -> None:
    evil = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            b' onload="alert(1)" width="10"><script>alert(2)</script><foreignObject><p>x</p></foreignObject>'
            b'<style>*{fill:red}</style><use xlink:href="#m"/><use xlink:href="http://evil/x#y"/>'
            b'<rect style="fill: url(http://evil/p); stroke: #000" onclick="x()"/><!-- c --></svg>')  # fmt: skip
    out = str(sanitise_svg(evil))
    for bad in ("onload", "script", "foreignObject", "<style", "http://evil", "onclick", "<!--", 'width="10"'):
        assert bad not in out, bad
    assert 'xlink:href="#m"' in out and 'stroke="#000"' in out


def test_matplotlib_cache_is_private_to_the_data_dir() -> None:
    assert "MPLCONFIGDIR" in os.environ  # set before matplotlib's first import (tests: the private data dir)


def test_the_same_figures_are_drawn_once_per_language() -> None:
    from onionwatch.i18n import using

    args = (["2026-09-07", "2026-09-14"], [Series("mdma", [1, 2])])
    first = line_chart(*args, interval="week", y_label="listings", title="t", incomplete=True)
    assert line_chart(*args, interval="week", y_label="listings", title="t", incomplete=True) is first
    changed = line_chart(["2026-09-07", "2026-09-14"], [Series("mdma", [1, 3])], interval="week", y_label="listings",
                         title="t", incomplete=True)  # fmt: skip
    assert changed is not first
    with using("ru"):
        russian = line_chart(*args, interval="week", y_label="listings", title="t", incomplete=True)
    assert russian is not first and "неполный" in russian and "incomplete" in first
