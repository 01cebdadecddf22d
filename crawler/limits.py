"""A market's crawl limits (the definition's `limits:` section): durations and sizes parsed strictly.

    limits:
      max_duration: 48h        # the crawl ends as partial (cap_duration) after this long
      max_pages: 500000        # ... after this many pages (cap_pages)
      max_bytes: 20GB          # ... after this many response bytes (cap_bytes)
      download_deadline: 120s  # one download (connect + headers + whole body) may take this long, any transport
      depth: 50                # links deeper than this are not followed (Scrapy's DEPTH_LIMIT)
      pagination: 10000        # next-page links followed in one chain (pagination does not add depth)
      max_mismatch_share: 0.05 # the crawl fails when more listing/vendor pages than this share do not match

Durations take a unit (`s`, `m`, `h`, `d`: "90s", "1.5h"); sizes take one too (`B`, `KB`, `MB`, `GB`, `TB`, or
`KiB`...`TiB`: "500MB"). A bare number is refused: "120" could be seconds or minutes, bytes or megabytes.
Pydantic only (no Scrapy), so `onionwatch markets validate` can use it.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d)", re.IGNORECASE)
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)")
_SIZE_UNITS = {
    "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
}  # fmt: skip

DEFAULT_DOWNLOAD_DEADLINE = 120.0  # seconds: one download over Tor, connect to last byte


def parse_duration(value: Any) -> float:
    """Seconds from "90s", "5m", "48h", "2d" (a number with a unit); ValueError (one phrase) otherwise."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"{value!r}: a duration needs a unit, e.g. '120s', '30m', '48h' or '2d'")
    m = _DURATION.fullmatch(value.strip())
    if not m:
        raise ValueError(f"{value!r}: not a duration (a number and a unit s, m, h or d, e.g. '48h')")
    seconds = float(m.group(1)) * _DURATION_UNITS[m.group(2).lower()]
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{value!r}: must be longer than 0")
    return seconds


def parse_size(value: Any) -> int:
    """Bytes from "500MB", "2GiB", "100KB" (a number with a unit); ValueError (one phrase) otherwise."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"{value!r}: a size needs a unit, e.g. '500MB' or '20GB'")
    m = _SIZE.fullmatch(value.strip())
    if not m:
        raise ValueError(f"{value!r}: not a size (a number and a unit B, KB, MB, GB, TB or KiB...TiB, "
                         "e.g. '20GB')")
    size = float(m.group(1)) * _SIZE_UNITS[m.group(2)]
    if not math.isfinite(size) or size < 1:
        raise ValueError(f"{value!r}: must be at least 1 byte")
    return int(size)


def format_duration(seconds: float) -> str:
    for unit, factor in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= factor and seconds % factor == 0:
            return f"{seconds / factor:g}{unit}"
    return f"{seconds:g}s"


def format_size(size: int) -> str:
    for unit in ("TB", "GB", "MB", "KB"):
        if size >= _SIZE_UNITS[unit] and size % _SIZE_UNITS[unit] == 0:
            return f"{size // _SIZE_UNITS[unit]}{unit}"
    return f"{size}B"


Duration = Annotated[float, BeforeValidator(parse_duration)]
Size = Annotated[int, BeforeValidator(parse_size)]


class Limits(BaseModel):
    """Per-market caps with defaults sized for a large market over Tor (hours to days, ~330k pages)."""

    model_config = ConfigDict(extra="forbid")
    max_duration: Duration = Field(default=48 * 3600.0, le=365 * 86400)
    max_pages: int = Field(default=1_000_000, gt=0)
    max_bytes: Size = Field(default=50 * 10**9)
    download_deadline: Duration = Field(default=DEFAULT_DOWNLOAD_DEADLINE, ge=1, le=86400)
    depth: int = Field(default=50, gt=0, le=100_000)
    pagination: int = Field(default=10_000, gt=0, le=10_000_000)  # next-page hops per chain
    max_mismatch_share: float = Field(default=0.05, ge=0, le=1)  # of listing/vendor pages (crawler/frontier.py)
