"""Dashboard views are audited: each test writes its own audit trail and auth database in a private data dir.
The shared fixtures: ``store`` (tests/indexer/data.py's batches in SQLite), ``app`` (the dashboard over it) and
``base_url`` (the same data served on 127.0.0.1 for Chromium). A module with other data defines its own."""

from collections.abc import Iterator
from typing import Any

import pytest

from onionwatch.dashboards.web import make_app
from onionwatch.indexer.store import open_store
from tests.audit_env import private_data_dir  # noqa: F401
from tests.dashboards.browsing import sample_store, served
from tests.indexer import data


@pytest.fixture
def store(tmp_path) -> Iterator[Any]:
    s = open_store(f"sqlite://{tmp_path}/dash.sqlite")
    for listings, vendors in data.batches():
        s.write_batch(listings, vendors)
    yield s
    s.close()


@pytest.fixture
def app(store: Any) -> Any:
    return make_app(store)


@pytest.fixture
def base_url(tmp_path) -> Iterator[str]:
    with served(sample_store(tmp_path)) as url:
        yield url
