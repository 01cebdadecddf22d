"""ElasticStore.write_batches on the real server: each batch written as it comes (memory: one batch at a time),
and a batch the server cannot take spooled, counted in the stats and replayed at the next open.

The server is cut off by closing a loopback TCP forwarder between the store and the shared test server."""

from __future__ import annotations

import contextlib
import socket
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from onionwatch.extractors.records import Listing, Vendor
from tests.indexer import data
from tests.indexer.test_elastic import require_es


class Forwarder:
    """127.0.0.1:<port> → the server; `cut()` closes the listener and every open connection (refused after)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.conns: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            return
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept(): close() alone would not
        self.listener.close()
        with self.lock:
            for s in self.conns:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


@pytest.fixture
def es_url() -> str:
    return require_es()


def _prefix() -> str:
    return f"ow-t-{uuid.uuid4().hex[:10]}"


@pytest.mark.elasticsearch
def test_each_batch_is_written_before_the_next_is_read(es_url: str, tmp_path: Path) -> None:
    """The source is read one batch at a time: when the second batch is asked for, the first is already stored
    (searchable) and the store holds nothing of the batches not yet read."""
    from onionwatch.indexer.elastic import ElasticStore

    url = f"{es_url}/?index_prefix={_prefix()}"
    store = ElasticStore(url, spool_dir=tmp_path / "spool")
    seen: list[dict[str, int]] = []

    def source() -> Iterator[tuple[list[Listing], list[Vendor]]]:
        for batch in data.batches():
            seen.append(store.counts())
            yield batch

    try:
        stats = store.write_batches(source())
        assert seen == [{"listings": 0, "vendors": 0, "observations": 0},
                        {"listings": 7, "vendors": 5, "observations": 7},
                        {"listings": 7, "vendors": 5, "observations": 9}]  # fmt: skip
        assert (stats.listings_new, stats.vendors_new, stats.observations, stats.spooled) == (8, 5, 11, 0)
    finally:
        store.drop()
        store.close()


@pytest.mark.elasticsearch
def test_a_batch_the_server_cannot_take_is_spooled_counted_and_replayed(es_url: str, tmp_path: Path) -> None:
    from onionwatch.indexer.elastic import ElasticStore

    parts = urlsplit(es_url)
    forwarder = Forwarder((parts.hostname or "127.0.0.1", parts.port or 9200))
    prefix, spool = _prefix(), tmp_path / "spool"
    store = ElasticStore(f"http://127.0.0.1:{forwarder.port}/?index_prefix={prefix}", spool_dir=spool, timeout=5)
    first, second, third = data.batches()

    def source() -> Iterator[tuple[list[Listing], list[Vendor]]]:
        yield first
        forwarder.cut()  # the server is gone for the rest of the write
        yield second
        yield third

    try:
        stats = store.write_batches(source())
        assert (stats.listings_new, stats.vendors_new, stats.spooled) == (7, 5, 2)
        assert len(list(spool.glob("*.batch.json"))) == 2
    finally:
        store.close()
    direct = ElasticStore(f"{es_url}/?index_prefix={prefix}", spool_dir=spool)  # replays the spool on opening
    try:
        assert direct.counts() == {"listings": 8, "vendors": 5, "observations": 11}
        assert list(spool.glob("*.batch.json")) == []
    finally:
        direct.drop()
        direct.close()
