"""Elasticsearch credentials from the environment or a 0600 file; the password never shows in a message or log."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path

import pytest

from onionwatch.errors import StoreError
from onionwatch.indexer.elastic_auth import BasicAuth, es_auth
from onionwatch.private import redact_url

SECRET = "Sup3rSecret"
ES_URL = os.environ.get("ONIONWATCH_TEST_ES_URL")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ONIONWATCH_ES_USERNAME", "ONIONWATCH_ES_PASSWORD", "ONIONWATCH_ES_PASSWORD_FILE"):
        monkeypatch.delenv(name, raising=False)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONIONWATCH_ES_USERNAME", "elastic")
    monkeypatch.setenv("ONIONWATCH_ES_PASSWORD", SECRET)
    auth = es_auth("http://127.0.0.1:9200")
    assert auth == BasicAuth("elastic", SECRET)
    assert SECRET not in repr(auth) and SECRET not in str(auth)


def test_from_a_private_file_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "es.pw"
    path.write_text(SECRET + "\n", encoding="utf-8")
    path.chmod(0o600)
    monkeypatch.setenv("ONIONWATCH_ES_USERNAME", "elastic")
    monkeypatch.setenv("ONIONWATCH_ES_PASSWORD_FILE", str(path))
    assert es_auth("http://h:9200") == BasicAuth("elastic", SECRET)
    path.chmod(0o644)
    with pytest.raises(StoreError) as err:
        es_auth("http://h:9200")
    assert str(err.value) == (f"ONIONWATCH_ES_PASSWORD_FILE={path}: other users can access it (mode 0644); "
                              f"run chmod 600 {path}")  # fmt: skip
    assert SECRET not in str(err.value)


def test_username_without_password_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONIONWATCH_ES_USERNAME", "elastic")
    with pytest.raises(StoreError, match="neither ONIONWATCH_ES_PASSWORD nor ONIONWATCH_ES_PASSWORD_FILE"):
        es_auth("http://h:9200")


def test_url_credentials_still_work_but_are_redacted() -> None:
    assert es_auth(f"http://elastic:{SECRET}@h:9200") == BasicAuth("elastic", SECRET)
    assert redact_url(f"http://elastic:{SECRET}@h:9200/idx?refresh=false") == "http://***@h:9200/idx?refresh=false"
    assert redact_url("sqlite:////tmp/x.sqlite") == "sqlite:////tmp/x.sqlite"


def test_unreachable_server_error_and_logs_hide_the_password(caplog: pytest.LogCaptureFixture,
                                                              tmp_path: Path) -> None:  # fmt: skip
    from onionwatch.indexer.store import open_store

    caplog.set_level(logging.DEBUG)
    url = f"http://elastic:{SECRET}@127.0.0.1:{_closed_port()}/ops"
    with pytest.raises(StoreError) as err:
        open_store(url)
    assert SECRET not in str(err.value) and "http://***@127.0.0.1" in str(err.value)
    assert SECRET not in caplog.text


@pytest.mark.elasticsearch
@pytest.mark.skipif(not ES_URL, reason="ONIONWATCH_TEST_ES_URL not set (scripts/es-server.sh start)")
def test_reading_commands_never_create_indices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from elasticsearch import Elasticsearch

    from onionwatch.indexer.elastic import ElasticStore

    assert ES_URL
    monkeypatch.setenv("ONIONWATCH_ES_USERNAME", "elastic")
    monkeypatch.setenv("ONIONWATCH_ES_PASSWORD", SECRET)  # an open test cluster ignores it
    prefix = f"onionwatch-typo-{os.getpid()}"
    with pytest.raises(StoreError, match=f"no onionwatch indices with prefix '{prefix}'"):
        ElasticStore(f"{ES_URL}/{prefix}", create=False, spool_dir=tmp_path)
    client = Elasticsearch(ES_URL)
    assert not client.indices.exists(index=f"{prefix}-*", allow_no_indices=False)
    store = ElasticStore(f"{ES_URL}/{prefix}", spool_dir=tmp_path)  # a writing command creates them
    try:
        ElasticStore(f"{ES_URL}/{prefix}", create=False, spool_dir=tmp_path).close()
    finally:
        drop = getattr(store, "drop", None)
        if callable(drop):
            drop()
        store.close()
