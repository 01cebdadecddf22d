"""Fixtures for extractor tests: one Extractor per session (building the pipelines loads the lexicon)."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()
