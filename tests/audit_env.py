"""An autouse fixture for test packages whose commands write the audit trail: a private data dir per test."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Audited commands (search, serve, watch, report) write <data dir>/audit/: never the tester's own."""
    path = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("ONIONWATCH_DATA_DIR", str(path))
    return path
