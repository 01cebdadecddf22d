"""Report test stores: the three-week dataset in SQLite, and in Elasticsearch when ONIONWATCH_TEST_ES_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from onionwatch.indexer.store import Store, open_store
from tests.reports import weeks

ES_URL = os.environ.get("ONIONWATCH_TEST_ES_URL")
BACKENDS = ["sqlite"] + (["elasticsearch"] if ES_URL else [])


def _url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path}/reports.sqlite"
    assert ES_URL
    return f"{ES_URL.rstrip('/')}/?index_prefix=onionwatch-test-{uuid.uuid4().hex[:10]}"


def load(store: Store) -> Store:
    for listings, vendors in weeks.batches():
        store.write_batch(listings, vendors)
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    s = load(open_store(_url(request.param, tmp_path)))
    yield s
    drop = getattr(s, "drop", None)
    if callable(drop):
        drop()
    s.close()


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:
    """A new, empty store on each backend (the generated-store tests fill it)."""
    s = open_store(_url(request.param, tmp_path))
    yield s
    drop = getattr(s, "drop", None)
    if callable(drop):
        drop()
    s.close()


@pytest.fixture
def empty_sqlite_store(tmp_path) -> Iterator[Store]:
    """A new, empty SQLite store: for generated-store tests whose Elasticsearch run would add nothing (filling a
    generated store day by day takes minutes there; test_signals' planted test runs on both)."""
    s = open_store(_url("sqlite", tmp_path))
    yield s
    s.close()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    url = _url("sqlite", tmp_path)
    load(open_store(url)).close()
    return url


from tests.audit_env import private_data_dir  # noqa: F401,E402
