"""Render archived pages to PNG with headless Debian Chromium, offline: no scripts, no network, no fetches.

The archived body is served to the page by Playwright's router under a fixed, never-resolvable URL
(``https://evidence.invalid/page``); every other request (images, styles, frames, prefetches) is aborted
and counted (a Content-Security-Policy header on the page also forbids scripts, objects, workers and forms,
and leaves subresources to the router). Belt and braces: JavaScript is off, service workers blocked, the
browser is given a dead proxy (127.0.0.1:9, loopback included) and a resolver that resolves nothing, so a
request that slipped past the router still could not leave the machine. Playwright: the `evidence` extra.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import TracebackType
from typing import Any

from onionwatch.errors import EvidenceError

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--proxy-server=socks5://127.0.0.1:9",
         "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
         "--dns-prefetch-disable", "--disable-sync", "--disable-domain-reliability"]  # fmt: skip
PAGE_URL = "https://evidence.invalid/page"
CSP = "script-src 'none'; object-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'"
TIMEOUT_MS = 30_000
# the drawing: 1280 px wide, at most MAX_HEIGHT tall (a hostile page cannot make a gigapixel image)
MAX_HEIGHT = 16_000
CLIP = {"x": 0, "y": 0, "width": 1280, "height": MAX_HEIGHT}


class Renderer:
    """One offline Chromium for a batch of pages: ``with Renderer() as r: r.render(body, ctype, out)``."""

    def __init__(self, executable: str = CHROMIUM) -> None:
        self.executable = executable
        self.blocked: list[str] = []  # every request the router refused (URLs), for the bundle's metadata
        self._pw: Any = None
        self._browser: Any = None

    def __enter__(self) -> Renderer:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise EvidenceError("rendering needs Playwright (pip install 'onionwatch[evidence]'); "
                                "or pass --no-render") from None
        if not shutil.which(self.executable):
            raise EvidenceError(f"{self.executable}: Chromium not found (apt install chromium); or pass --no-render")
        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=self.executable, args=FLAGS, headless=True)
        except Exception as exc:  # noqa: BLE001 - Playwright's own error type; one line for the user
            self._pw.stop()
            raise EvidenceError(f"{self.executable}: Chromium did not start ({str(exc).splitlines()[0]})") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()

    def render(self, body: bytes, content_type: str, out: Path) -> int:
        """Screenshot ``body`` (as archived) to ``out`` (PNG, whole page); return the requests refused."""
        context = self._browser.new_context(java_script_enabled=False, service_workers="block",
                                            viewport={"width": 1280, "height": 900}, accept_downloads=False)
        refused: list[str] = []

        def route(r: Any) -> None:
            if r.request.url == PAGE_URL and r.request.is_navigation_request():
                r.fulfill(status=200, body=body, headers={"Content-Type": content_type or "text/html",
                                                          "Content-Security-Policy": CSP})
            else:
                refused.append(r.request.url)
                r.abort("blockedbyclient")

        try:
            context.route("**/*", route)
            page = context.new_page()
            page.goto(PAGE_URL, wait_until="load", timeout=TIMEOUT_MS)
            page.screenshot(path=str(out), full_page=True, clip=CLIP, timeout=TIMEOUT_MS)
        except Exception as exc:  # noqa: BLE001 - a page that cannot be drawn is named, the export stops
            raise EvidenceError(f"{out.name}: Chromium could not render the archived page "
                                f"({str(exc).splitlines()[0]})") from None
        finally:
            context.close()
        self.blocked += refused
        return len(refused)
