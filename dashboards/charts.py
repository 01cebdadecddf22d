"""Inline SVG sparklines and bar charts (numbers in, Markup out; labels escaped; no scripts, no styles)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

LINE = "#2563eb"
BAR = "#0f766e"
GRID = "#e5e7eb"


def _scale(values: Sequence[float], height: float, pad: float) -> list[float]:
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    return [height - pad - (v - lo) / span * (height - 2 * pad) for v in values]


def sparkline(
    values: Sequence[float | None], labels: Sequence[str] = (), *, width: int = 160, height: int = 32
) -> Markup:
    """A polyline over the non-missing values with a dot on the last one; empty SVG when no data."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    svg = [
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"'
        ' xmlns="http://www.w3.org/2000/svg">'
    ]
    if points:
        n = max(len(values) - 1, 1)
        ys = _scale([float(v) for _, v in points], height, 4)
        xs = [2 + i / n * (width - 4) for i, _ in points]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
        svg.append(f'<line x1="0" y1="{height - 1}" x2="{width}" y2="{height - 1}" stroke="{GRID}"/>')
        if len(points) > 1:
            svg.append(f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="1.6"/>')
        svg.append(f'<circle cx="{xs[-1]:.1f}" cy="{ys[-1]:.1f}" r="2.4" fill="{LINE}"/>')
        title = _title(values, labels)
        if title:
            svg.append(f"<title>{escape(title)}</title>")
    svg.append("</svg>")
    return Markup("".join(svg))


def bars(values: Sequence[float], labels: Sequence[str] = (), *, width: int = 160, height: int = 32) -> Markup:
    """Vertical bars (one per period) scaled to the largest value; each bar has an escaped tooltip."""
    svg = [
        f'<svg class="bars" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img"'
        ' xmlns="http://www.w3.org/2000/svg">'
    ]
    if values:
        top = max(values) or 1.0
        slot = width / len(values)
        bar_w = max(slot - 1.5, 1.0)
        for i, v in enumerate(values):
            h = max(v / top * (height - 2), 1.0 if v else 0.0)
            label = f"{labels[i]}: {v:g}" if i < len(labels) else f"{v:g}"
            svg.append(
                f'<rect x="{i * slot:.1f}" y="{height - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}"'
                f' fill="{BAR}"><title>{escape(label)}</title></rect>'
            )
    svg.append("</svg>")
    return Markup("".join(svg))


def _title(values: Sequence[float | None], labels: Sequence[str]) -> str:
    pairs = [(labels[i] if i < len(labels) else str(i), v) for i, v in enumerate(values) if v is not None]
    return "; ".join(f"{label}: {v:,.2f}" for label, v in pairs[-12:])
