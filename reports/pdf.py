"""Print a report's HTML to PDF with headless Debian Chromium (Playwright), offline like evidence rendering.

The HTML is set as the page content with JavaScript off; every request the page would make is aborted
(reports are self-contained: inline CSS and SVG), and the browser gets the evidence renderer's dead proxy
and empty resolver, so nothing can leave the machine. A4, backgrounds printed, page numbers in the footer.
"""

from __future__ import annotations

import shutil
from typing import Any

from onionwatch.errors import ReportOutputError
from onionwatch.evidence_render import CHROMIUM, FLAGS

TIMEOUT_MS = 60_000
MARGIN: Any = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#666">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')  # fmt: skip


def html_to_pdf(html: str, executable: str = CHROMIUM) -> bytes:
    """The PDF bytes of ``html``; ReportOutputError (one line) when Chromium or Playwright is missing or fails."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ReportOutputError("PDF reports need Playwright (pip install 'onionwatch[evidence]'); "
                                "or pass --no-pdf") from None  # fmt: skip
    if not shutil.which(executable):
        raise ReportOutputError(f"{executable}: Chromium not found (apt install chromium); or pass --no-pdf")
    refused: list[str] = []

    def route(r: Any) -> None:
        refused.append(r.request.url)
        r.abort("blockedbyclient")

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=FLAGS, headless=True)
            try:
                context = browser.new_context(java_script_enabled=False, service_workers="block",
                                              accept_downloads=False)  # fmt: skip
                context.route("**/*", route)
                page = context.new_page()
                page.set_content(html, wait_until="load", timeout=TIMEOUT_MS)
                pdf: bytes = page.pdf(format="A4", print_background=True, display_header_footer=True,
                                      header_template="<span></span>", footer_template=FOOTER,
                                      margin=MARGIN)  # fmt: skip
            finally:
                browser.close()
    except ReportOutputError:
        raise
    except Exception as exc:  # noqa: BLE001 - Playwright's own error types; one line for the user
        raise ReportOutputError(f"Chromium could not print the report ({str(exc).splitlines()[0]})") from None
    if not pdf.startswith(b"%PDF-"):
        raise ReportOutputError("Chromium returned no PDF")
    return pdf
