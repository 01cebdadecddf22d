"""Report files: the PDF printed by real Chromium (first page rendered by pdftoppm, not blank), the XLSX
workbook with a sheet per table, planted-store reports that flag the planted substance."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from onionwatch.indexer.store import Store
from onionwatch.reports.emerging import gather
from onionwatch.reports.jobs import emerging
from onionwatch.reports.period import Period
from onionwatch.reports.render import TABLES
from onionwatch.reports.xlsx import render_xlsx
from tests.browser import IN_CI
from tests.reports import planted
from tests.reports.test_emerging import STAMP, W3

LAST = Period(planted.LAST_WEEK, planted.LAST_WEEK + timedelta(days=7))


def first_page_ink(pdf: Path, tmp_path: Path) -> float:
    """Share of non-white pixels on the PDF's first page, rendered at 40 dpi by pdftoppm (PGM)."""
    subprocess.run(["pdftoppm", "-gray", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)  # fmt: skip
    pgm = next(tmp_path.glob("page*.pgm")).read_bytes()
    _magic, width, height, _maxval, pixels = pgm.split(maxsplit=4)
    body = pixels[: int(width) * int(height)]
    return sum(1 for b in body if b < 200) / len(body)


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("pdftoppm") and not IN_CI, reason="poppler-utils (pdftoppm) not installed")
def test_pdf_report_prints_and_its_first_page_is_not_blank(empty_sqlite_store: Store, tmp_path: Path) -> None:  # fmt: skip
    store = planted.fill(empty_sqlite_store, planted.PLANTED_RATES, planted.PLANTED_BOOST)
    files = emerging(store, LAST, out_dir=tmp_path / "out", generated_at="2026-10-19T07:00:00Z")
    pdf = next(p for p in files if p.suffix == ".pdf")
    assert pdf.name == "2026-10-12_2026-10-18.pdf" and pdf.read_bytes().startswith(b"%PDF-")
    assert first_page_ink(pdf, tmp_path) > 0.01
    text = subprocess.run(["pdftotext", "-l", "2", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "12 Oct 2026 to Sun 18 Oct 2026 inclusive" in text and "ketamine" in text and "Method" in text


def test_planted_report_flags_the_planted_substance_only(empty_sqlite_store: Store) -> None:  # fmt: skip
    store = planted.fill(empty_sqlite_store, planted.PLANTED_RATES, planted.PLANTED_BOOST)
    data = gather(store, LAST, "2026-10-19T07:00:00Z")
    assert data["signals"]["emerging"] == ["ketamine"] and data["notes"] == []
    growth = {g["substance"]: g for g in data["growth"]}
    assert growth["ketamine"]["listings"] == 33  # distinct listings live in the week


def test_xlsx_has_a_sheet_per_table_and_defuses_formulas(store: Store, tmp_path: Path) -> None:
    data = gather(store, W3, STAMP)
    data["vendors"][0]["vendor"] = "=cmd|' /C calc'!A0"
    path = tmp_path / "r.xlsx"
    path.write_bytes(render_xlsx(data))
    wb = load_workbook(path)
    assert wb.sheetnames == ["summary", *TABLES]
    vendors = wb["vendors"]
    header = [c.value for c in vendors[1]]
    first = dict(zip(header, [c.value for c in vendors[2]], strict=True))
    assert first["vendor"] == "'=cmd|' /C calc'!A0" and vendors["A2"].data_type == "s"
    assert wb["summary"]["B3"].value == "2024-03-24"  # the inclusive last day
    assert wb["growth"].max_row == 1 + len(data["growth"])
