"""Legal hold over report files: a compressed PDF/XLSX is judged by its report's JSON, else kept."""

from __future__ import annotations

from pathlib import Path

from onionwatch.indexer.store import HeldKeys
from onionwatch.retention_files import HeldMaterial, report_hold


def test_pdf_and_xlsx_follow_their_json_and_are_kept_without_it(tmp_path: Path) -> None:
    held = HeldMaterial(HeldKeys(), words={"DrGreen"})
    for suffix in (".pdf", ".xlsx"):
        (tmp_path / f"2026-03-02_2026-03-08{suffix}").write_bytes(b"PK\x03\x04 compressed")
    (tmp_path / "2026-03-02_2026-03-08.json").write_text('{"vendor": "DrGreen"}', encoding="utf-8")
    assert report_hold(tmp_path / "2026-03-02_2026-03-08.pdf", held) == "names material on legal hold"
    assert report_hold(tmp_path / "2026-03-02_2026-03-08.xlsx", held) == "names material on legal hold"
    (tmp_path / "2026-03-02_2026-03-08.json").write_text('{"vendor": "Other"}', encoding="utf-8")
    assert report_hold(tmp_path / "2026-03-02_2026-03-08.pdf", held) is None
    (tmp_path / "2026-03-02_2026-03-08.json").unlink()
    assert "kept" in (report_hold(tmp_path / "2026-03-02_2026-03-08.pdf", held) or "")
