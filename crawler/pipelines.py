"""The one Extractor of a process (building it loads the FX table; its spaCy pipelines load on first use).

Indexing no longer happens in a Scrapy item pipeline: the spider appends each page's raw item to the crawl's
frontier file (crawler/frontier.py) and the index stage (indexer/stage.py) extracts and writes them in
batches, in its own process, while the crawl runs. No Scrapy import here: the stage process uses this too.
"""

from __future__ import annotations

from typing import Any

_EXTRACTOR: Any = None


def shared_extractor() -> Any:
    """One Extractor per process (FxConfigError / LexiconError when its data is broken)."""
    global _EXTRACTOR
    if _EXTRACTOR is None:
        from onionwatch.extractors.pipeline import Extractor

        _EXTRACTOR = Extractor()
    return _EXTRACTOR
