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


def _warc(*records: tuple[str, bytes, list[tuple[str, str]]], market: str = "mini") -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, body, headers in records:
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                                      warc_headers_dict={MARKET_HEADER: market}))
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
    # warcio < 1.8.2 raised on it (skipped); 1.8.2 reads a body whose first block does not decode as uncompressed
    # (or, without brotlicffi, does not decode "br" at all): a page that matches no listing. Either way no crash,
    # the record is counted once, and the good record after it is read.
    assert stats.skipped_records + stats.mismatched_pages == 1
    assert list(out["mini"].listings) == ["2"]


def _items(n: int) -> bytes:
    return _warc(*[(f"http://127.0.0.1/item/{i}", ITEM.replace(b"Item 1", f"Item {i}".encode()), [])
                   for i in range(1, n + 1)])


@pytest.mark.parametrize("name", ["c.partial.warc.gz", "c.warc.gz.part"])
def test_incomplete_archive_refused_unless_allowed(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(_items(3))
    with pytest.raises(ArchiveError, match=rf"^{path}: an incomplete archive .*--allow-partial$"):
        collect([path], ReextractStats())
    stats = ReextractStats()
    out = collect([path], stats, allow_partial=True)
    assert sorted(out["mini"].listings) == ["1", "2", "3"] and stats.partial_archives == 1
    assert stats.truncated_archives == 0


def test_refusal_comes_before_anything_is_read(tmp_path: Path) -> None:
    good, partial = tmp_path / "a.warc.gz", tmp_path / "b.partial.warc.gz"
    good.write_bytes(_items(1))
    partial.write_bytes(b"not even a WARC")
    with pytest.raises(ArchiveError, match="b.partial.warc.gz: an incomplete archive"):
        collect([good, partial], ReextractStats())


def test_partial_archive_cut_inside_a_record_reads_up_to_the_cut(tmp_path: Path) -> None:
    """A writer cut off inside a record: the whole records before it are read, the cut one is skipped."""
    fourth = _warc(("http://127.0.0.1/item/4", ITEM.replace(b"Item 1", b"Item 4"), []))
    for cut, want in ((10, "1234"), (40, "123"), (100, "123"), (len(fourth) - 100, "123"),
                      (len(fourth) - 20, "123")):  # only the gzip trailer (the record is whole); body; headers
        path = tmp_path / f"k{cut}.partial.warc.gz"
        path.write_bytes(_items(3) + fourth[:-cut])
        stats = ReextractStats()
        out = collect([path], stats, allow_partial=True)
        assert "".join(sorted(out["mini"].listings)) == want, cut  # item 4 is whole or not read
        assert stats.partial_archives == 1
    path = tmp_path / "c.partial.warc.gz"
    path.write_bytes(_items(3) + fourth[:-40])
    stats = ReextractStats()
    collect([path], stats, allow_partial=True)
    assert stats.cut_records == 1 and stats.skipped_records == 1


def test_empty_partial_archive(tmp_path: Path) -> None:
    path = tmp_path / "e.partial.warc.gz"  # a crawl killed before its first page
    path.write_bytes(b"")
    stats = ReextractStats()
    assert collect([path], stats, allow_partial=True) == {}
    assert stats.partial_archives == 1


def test_listing_rows_are_read_from_archived_navigation_pages(tmp_path: Path) -> None:
    """A market with `listing_rows` (tablica): its city pages' rows are its listings; the newest copy wins."""
    pages = FIXTURE_MARKETS.parent / "pages" / "tablica"
    old = (pages / "index-2" / "input.html").read_bytes().replace(b"18 000", b"17 000")
    path = tmp_path / "a.warc.gz"
    path.write_bytes(_warc(("http://t.onion/almaty", old, []),
                           ("http://t.onion/almaty?p=2", (pages / "index-3" / "input.html").read_bytes(), []),
                           ("http://t.onion/", (pages / "index-1" / "input.html").read_bytes(), []), market="tablica"))
    out = collect([path], ReextractStats())["tablica"]
    assert sorted(out.listings) == ["a101", "a102", "a104", "row-a7efd926e9fb1cc6"]
    assert out.listings["a101"].price_text == "18 000 ₸" and out.listings["a101"].url == "/almaty?p=2"
    assert out.listings["a102"].district == "Алмалинский"


def test_a_page_in_its_meta_charset_is_read_as_the_crawl_read_it(tmp_path: Path) -> None:
    """prilavok's windows-1251 product page, its server naming no charset (only the page's <meta http-equiv>): the
    archived page is re-read in windows-1251 (it was read as UTF-8, every Cyrillic letter a replacement character)."""
    page = (FIXTURE_MARKETS.parent / "pages" / "prilavok" / "listing-1" / "input.html").read_bytes()
    path = tmp_path / "a.warc.gz"
    path.write_bytes(_warc(("http://p.onion/tovar?id=11", page, [("Content-Type", "text/html")]), market="prilavok"))
    listing = collect([path], ReextractStats())["prilavok"].listings["11"]
    assert (listing.title, listing.city, listing.price_text) == ("Мефедрон кристалл VHQ", "Новосибирск", "1 500 ₽")
    assert listing.tiers == ["0,5 г — 1 500 ₽", "1 г — 2 500 ₽", "2 г — 4 500 ₽"]
