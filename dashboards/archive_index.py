"""Which pages the crawl archive holds, per market: the WARC response URIs only (bodies are not read), cached
per file by size and mtime, so the vendor and listing pages can link "archived page" only where one exists."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

_CACHE: dict[Path, tuple[tuple[int, int], frozenset[str]]] = {}
_LOCK = threading.Lock()


def _uris(path: Path) -> frozenset[str]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    out: set[str] = set()
    try:
        with path.open("rb") as f:
            for rec in ArchiveIterator(f):
                uri = rec.rec_headers.get_header("WARC-Target-URI") or ""
                if rec.rec_type == "response" and uri:
                    parts = urlsplit(uri)
                    out.update((uri, parts.path + (f"?{parts.query}" if parts.query else "")))
    except (OSError, ArchiveLoadFailed, ValueError):
        return frozenset(out)  # a damaged file: what was read so far (the archive page reports the damage)
    return frozenset(out)


def archived_urls(root: Path, market: str) -> frozenset[str]:
    """Every page URL (absolute, and path?query as the store keeps relative ones) archived for ``market``."""
    folder = root / market
    if "/" in market or market.startswith(".") or not folder.is_dir():
        return frozenset()
    found: set[str] = set()
    for path in sorted(folder.glob("*.warc.gz")):
        try:
            st = path.stat()
        except OSError:
            continue
        stamp = (st.st_size, st.st_mtime_ns)
        with _LOCK:
            hit = _CACHE.get(path)
        if hit is None or hit[0] != stamp:
            hit = (stamp, _uris(path))
            with _LOCK:
                _CACHE[path] = hit
        found |= hit[1]
    return frozenset(found)
