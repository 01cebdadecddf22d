"""onionwatch.crawler.run.preflight: everything a crawl needs at its end (store, extractor) is checked before any request."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.crawler import pipelines
from onionwatch.crawler.run import CrawlSpec, build_settings, preflight
from onionwatch.errors import OnionwatchError
from onionwatch.extractors import fx
from onionwatch.extractors.fx import FxConfigError
from tests.crawler.conftest import FIXTURE_MARKETS
from tests.crawler.minimarket import PASSWORD, USER


def test_broken_fx_table_refuses_the_crawl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key, value in {"ONIONWATCH_MARKETS_DIR": str(FIXTURE_MARKETS), "ONIONWATCH_CRED_MINI_USERNAME": USER,
                       "ONIONWATCH_CRED_MINI_PASSWORD": PASSWORD, "ONIONWATCH_ARCHIVE_DIR": str(tmp_path / "a")}.items():
        monkeypatch.setenv(key, value)
    broken = tmp_path / "fx.yaml"
    broken.write_text("rates:\n  '2024-01-01': {USD: 1, RUB: -3}\n")
    monkeypatch.setattr(fx, "DEFAULT_FX_PATH", broken)
    monkeypatch.setattr(pipelines, "_EXTRACTOR", None)
    settings = build_settings(f"sqlite:///{tmp_path / 's.sqlite'}", "direct", False, "WARNING")
    with pytest.raises(FxConfigError, match=rf"^{broken}: rates.2024-01-01.RUB: must be a positive number$") as info:
        preflight([CrawlSpec("mini", mirror="http://127.0.0.1:9")], settings)
    assert isinstance(info.value, OnionwatchError)  # printed as one `onionwatch: error:` line by the CLI
