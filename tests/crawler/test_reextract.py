"""Re-extraction of malformed WARC archives: one ArchiveError naming the file, or the bad record skipped."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from onionwatch.crawler.archive import MARKET_HEADER
from onionwatch.crawler.reextract import ArchiveError, ReextractStats, collect
from tests.crawler.conftest import FIXTURE_MARKETS

ITEM = b'<div class="item-page"><h1>Item 1 - 1g cocaine</h1><span class="price">USD 10</span></div>'


@pytest.fixture(autouse=True)
def _markets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONIONWATCH_MARKETS_DIR", str(FIXTURE_MARKETS))


def _warc(*records: tuple[str, bytes, list[tuple[str, str]]]) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body, headers in records:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                      warc_headers_dict={MARKET_HEADER: "mini"}))
    return buf.getvalue()


def test_response_record_without_target_uri(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    path.write_bytes(_warc(("", ITEM, [])))  # warcio itself fails with AttributeError
    with pytest.raises(ArchiveError, match=rf"^{path}: not a readable WARC \(malformed record: AttributeError\)$"):
        collect([path], ReextractStats())


def test_undecodable_body_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    path.write_bytes(_warc(("http://x.onion/item/1", b"not brotli", [("Content-Encoding", "br")]),
                           ("http://x.onion/item/2", ITEM, [])))
    stats = ReextractStats()
    out = collect([path], stats)
    assert stats.skipped_records == 1
    assert list(out["mini"].listings) == ["2"]
