"""The one generic market spider: login, navigation, pagination, listing and vendor pages, all from a
market definition (config/markets/<name>.yaml). Per-market differences are data, not code."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import FormRequest, Request, Response, TextResponse
from twisted.python.failure import Failure

from onionwatch.crawler.archive import SECRET_META
from onionwatch.crawler.credentials import CredentialsError, get_credentials
from onionwatch.crawler.frontier import Frontier, PageState, SQLiteFrontier
from onionwatch.crawler.gates import has_gates
from onionwatch.crawler.imported_session import imported_cookies
from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.crawler.markets import MarketDefinition, get_market, with_mirror
from onionwatch.crawler.outcome import CrawlLedger, ledger_for
from onionwatch.crawler.pages import PageMismatch, link_hrefs, page_base
from onionwatch.crawler.policy import check_transport
from onionwatch.crawler.records_from_pages import (
    listing_record,
    page_kind,
    row_listings,
    unmatched_link_problem,
    url_path,
    vendor_record,
    without_params,
)
from onionwatch.crawler.redact import redact
from onionwatch.crawler.spiders.gated import GatePasser, answered_status
from onionwatch.visible import terminal_safe

REDIRECTS = (301, 302, 303, 307, 308)
GONE = (404, 410)  # a listing/vendor page answering these was removed: PageState.GONE, not a failed page
MAX_RELOGINS = 20  # per crawl; more means the market is refusing this account
MISMATCH_MIN_PAGES = 50  # the mismatch share ends a crawl early only after this many listing/vendor pages
CHECKPOINT_SECONDS = 10.0  # how often a running crawl's counters go to the store


MAX_ERROR_NOTE = 300  # characters of an unexpected parser error kept in the frontier's note and the log


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class MarketSpider(GatePasser, scrapy.Spider):
    """`scrapy crawl market -a market=NAME [-a mirror=URL]`.

    Pages to fetch come from the crawl's frontier (crawler/frontier.py), fed lazily by `start()` with at most
    `window` requests in flight; links a page yields go to the frontier, never straight to Scrapy. Parsing a
    page is one frontier transaction (page done + its links + its raw item), so a killed crawl resumes
    exactly where it was. Login requests stay outside the frontier (a resumed crawl logs in again).
    Gates (entry steps, captchas, PGP 2FA) are passed by the methods of `GatePasser` (crawler/spiders/gated.py).
    Outcomes go on the crawl's ledger (crawler/outcome.py), never on spider attributes.
    """

    name = "market"

    def __init__(self, market: str = "", mirror: str | None = None, frontier: Frontier | None = None,
                 session: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not market:
            raise ValueError("spider argument 'market' is required (-a market=NAME)")
        definition: MarketDefinition = get_market(market)
        if mirror:
            definition = with_mirror(definition, mirror)
        self.definition = definition
        self.market = definition.name
        self.base = definition.mirrors[0]
        login = definition.login
        self.login_url = self._url(login.url) if login is not None else None
        self.hosts = {urlsplit(u).netloc for u in definition.mirrors}
        self.frontier = frontier  # None: `scrapy crawl` without onionwatch's runner gets a throwaway one
        self.session = session  # crawler.session.CrawlSession (checkpoints to the store), or None
        self._own_frontier: Path | None = None
        self._in_flight: set[str] = set()  # frontier URLs handed to Scrapy and not yet parsed or failed
        self._wake: asyncio.Event | None = None
        self._closing = False
        self._logged_in = False
        self._login_in_flight = False
        self._login_gen = 0  # bumped by every successful login; requests remember the one they were made in
        self._relogins = 0
        self._retry_after_login: list[tuple[str, int]] = []
        self._redos = 0
        self.ledger: CrawlLedger | None = None
        self._init_gates()
        self._imported = imported_cookies(self.market)  # a session logged into by hand (`session import`)
        self._first_page: tuple[str, str] | None = None  # (url, title) of the first page, for "no listing" reasons
        # the first frontier key seen for each listing/vendor page ("listing", id): the same listing linked under
        # another slug ("/listing/7-old-title") is the page already queued, not a second fetch (per crawl process)
        self._page_keys: dict[tuple[str, str], str] = {}
        self._query_merge_logged = False
        self._unmatched_link: str | None = None  # a listing link listing.url_pattern does not match, for the same

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> MarketSpider:
        """Refuse to start when the market may not use the configured transport (fail closed)."""
        spider: MarketSpider = super().from_crawler(crawler, *args, **kwargs)
        check_transport(spider.definition, crawler.settings.get("ONIONWATCH_TRANSPORT", "tor"))
        spider.ledger = ledger_for(crawler, spider.market)
        return spider

    # -- helpers ---------------------------------------------------------------------------------

    def _request(self, url: str, **kwargs: Any) -> Request:
        meta = kwargs.pop("meta", {})
        meta["market"] = self.market
        # redirects are followed by parse(): a redirect to the login page means the session expired
        meta.setdefault("login_gen", self._login_gen)
        meta.setdefault("gate_gen", self._gate_gen)  # a gate met by a page sent before the last pass: stale
        meta.setdefault("dont_redirect", True)
        meta.setdefault("handle_httpstatus_list", list(REDIRECTS))
        kwargs.setdefault("errback", self.on_error)
        if self._imported:
            kwargs.setdefault("cookies", dict(self._imported))
        return Request(url, meta=meta, **kwargs)

    def _key(self, url: str) -> str:
        """A page's frontier key: path + query on the market's mirrors (any mirror serves it), else the URL; the
        query without the definition's `navigation.drop_params` (tracking parameters: one page, one key)."""
        if urlsplit(url).netloc not in self.hosts:
            return url
        return url_path(without_params(url, self.definition.navigation.drop_params)) or "/"

    def _page_request(self, key: str, depth: int) -> Request:
        """A frontier page (its key: path + query, so a resumed crawl may use another mirror). The frontier is
        the seen-set, so Scrapy's dupefilter is not asked."""
        return self._request(urljoin(self.base, key), dont_filter=True,
                             meta={"frontier_url": key, "frontier_depth": depth})

    def _stat(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"onionwatch/{key}", n)

    def _stop(self, reason: str, message: str) -> CloseSpider:
        assert self.ledger is not None
        self.ledger.fail(f"{self.market}: {message}")
        self.logger.error("%s: %s", self.market, message)
        self._stat(f"fatal/{reason}")
        self._closing = True
        self._poke()
        return CloseSpider(reason)

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _links(self, response: TextResponse, css: str | None) -> Iterator[str]:
        if not css:
            return
        base = page_base(response.selector, response.url)
        for href in link_hrefs(response.selector, css):
            href = (href or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            try:
                url = urljoin(base, href)
                parts = urlsplit(url)
            except ValueError:  # hostile or broken href ("http://[::1"): not a link
                self._stat("bad_links")
                continue
            if parts.scheme not in ("http", "https") or parts.netloc not in self.hosts:
                self._stat("offsite_links")
                continue
            key = self._key(url.split("#", 1)[0])
            found = page_kind(self.definition, urljoin(self.base, key))
            if found is not None:
                first = self._page_keys.setdefault(found, key)
                if first != key:  # one listing, two URLs (a renamed slug): the page is already in the frontier
                    self._stat("same_page_other_url")
                    self._log_query_merge(found, first, key)
                    key = first
            yield key

    def _log_query_merge(self, found: tuple[str, str], first: str, key: str) -> None:
        """Warn once when two URLs read as one page differ only in their query (`/tovar/101?city=msk`,
        `?city=ekb`): that query may make another offer, which the crawl would then never fetch."""
        if self._query_merge_logged or urlsplit(first).path != urlsplit(key).path:
            return
        self._query_merge_logged = True
        self.logger.warning(
            "%s: %s is %s %r, already met as %s: fetched once (counted as same_page_other_url). If the query makes "
            "another page (an offer per city), let %s.url_pattern's id group take it in "
            "('(?P<id>\\d+\\?city=[a-z]+)'); if it does not, list the parameter in navigation.drop_params",
            self.market, terminal_safe(key), found[0], terminal_safe(found[1]), terminal_safe(first), found[0])

    def _frontier(self) -> Frontier:
        if self.frontier is None:  # `scrapy crawl` on its own: a frontier for this run only
            tmp = Path(tempfile.mkdtemp(prefix=f"onionwatch-{self.market}-"))
            self._own_frontier = tmp
            self.frontier = SQLiteFrontier.create(tmp / "frontier.sqlite", self._depth_limit(), {"market": self.market},
                                                  pagination_limit=self.definition.limits.pagination)
        return self.frontier

    def _depth_limit(self) -> int:
        return self.crawler.settings.getint("DEPTH_LIMIT", self.definition.limits.depth) or self.definition.limits.depth

    def _window(self) -> int:
        """Requests in flight at most: enough to keep every download slot busy, few enough to re-fetch."""
        return max(2, self.crawler.settings.getint("CONCURRENT_REQUESTS", 16) * 2)

    # -- start and login -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        self._wake = asyncio.Event()
        frontier = self._frontier()
        if self.login_url is not None and self._imported:
            self._logged_in = True  # the imported session stands for the login until a page asks for it again
            self._stat("imported_session")
        if self.login_url is not None and not self._logged_in:
            self._login_in_flight = True
            yield self._request(self.login_url, callback=self.login_form, errback=self.on_start_error,
                                dont_filter=True)
            while not self._logged_in and not self._closing:
                await self._idle()
            if self._closing:
                return
        seeds = []
        for path in self.definition.navigation.start:
            try:
                seeds.append(self._key(Request(self._url(path)).url))
            except ValueError as exc:
                raise self._stop("start", f"start page {path!r}: not a usable URL ({exc})") from None
        frontier.seed(seeds)
        last_checkpoint = time.monotonic()
        window = self._window()
        while not self._closing:
            paused = self._login_in_flight or self._gate_in_flight  # no page goes out while either is passed
            batch = frontier.next_batch(window - len(self._in_flight)) if not paused else []
            for page in batch:
                try:
                    request = self._page_request(page.url, page.depth)
                except ValueError as exc:
                    frontier.page_failed(page.url, PageState.FAILED, f"{page.url}: not a usable URL ({exc})")
                    continue
                self._in_flight.add(page.url)
                yield request
            if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS and self.session is not None:
                last_checkpoint = time.monotonic()
                self.session.checkpoint()
            if batch:
                continue
            if not self._in_flight and not paused:
                # nothing in flight: every link of every parsed page is in the frontier by now
                if frontier.counts().queued == 0:
                    return
                if getattr(frontier, "shared", False):
                    # other workers hold the rest; a dead worker's pages come back when its lease lapses, and
                    # pages this worker dropped go back now (a page dropped too often fails in the frontier)
                    frontier.rewind()
                    await self._idle()
                    continue
                await self._redo_dropped(frontier)
                continue
            await self._idle()

    async def _redo_dropped(self, frontier: Frontier) -> None:
        """Queued pages, none in flight: they were handed out and dropped on the way (neither parsed nor
        failed). Hand them out again, twice at most; then they count as failed pages."""
        self._redos += 1
        if self._redos > 2:
            for page in frontier.next_batch(1_000_000):
                frontier.page_failed(page.url, PageState.FAILED, f"{page.url}: request dropped before download")
            return
        frontier.rewind()
        await self._idle()

    async def _idle(self) -> None:
        assert self._wake is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), 0.5)
        self._wake.clear()

    def login_form(self, response: Response) -> Iterator[Request]:
        if not isinstance(response, TextResponse):  # gate pages go to on_gate (crawler/gates.py)
            raise self._stop("login", f"login page {response.url}: not an HTML page")
        yield from self._login_submit(response, {})

    def _login_submit(self, response: TextResponse, extra: dict[str, str]) -> Iterator[Request]:
        """Submit the login form on `response` with the credentials (and `extra` fields: a captcha answer)."""
        login = self.definition.login
        assert login is not None
        try:
            creds = get_credentials(login.credentials)
        except CredentialsError as exc:
            raise self._stop("credentials", str(exc)) from None
        redact(creds.password)
        if not response.css(login.form):
            raise self._stop("login", f"login page {response.url}: form {login.form!r} not found")
        form = response.css(login.form)[0]
        data = {name: value or "" for name, value in zip(
            form.css("input[name]::attr(name)").getall(),
            [i.attrib.get("value", "") for i in form.css("input[name]")], strict=True,
        ) if name not in (login.username_field, login.password_field)}
        data.update({**extra, login.username_field: creds.username, login.password_field: creds.password})
        try:
            action = urljoin(response.url, form.attrib.get("action") or response.url)
        except ValueError:  # "http://[::1"
            raise self._stop("login", f"login page {response.url}: form {login.form!r} has an action that is not "
                             f"a URL: {form.attrib.get('action', '')[:80]!r}") from None
        yield FormRequest(
            action,
            method=(form.attrib.get("method") or "POST").upper(),
            formdata=data,
            callback=self.after_login,
            errback=self.on_start_error,
            meta={"market": self.market, SECRET_META: True},  # a GET form puts the password in the URL
            dont_filter=True,
        )

    def after_login(self, response: Response) -> Iterator[Request]:
        login = self.definition.login
        assert login is not None
        if not isinstance(response, TextResponse) or not response.css(login.success):
            raise self._stop("login", f"login failed at {response.url} (check the credentials)")
        self._stat("logins")
        self._gate_tries.clear()  # a login captcha or 2FA step passed
        self._login_in_flight = False
        self._login_gen += 1
        self._logged_in = True
        self._poke()
        retry, self._retry_after_login = self._retry_after_login, []
        for url, depth in retry:
            yield self._page_request(url, depth)

    def _url(self, path: str) -> str:
        """A definition's path (or absolute URL) on the mirror being crawled."""
        return urljoin(self.base + "/", path.lstrip("/"))

    def _is_login_url(self, url: str) -> bool:
        return self.login_url is not None and urlsplit(url).path == urlsplit(self.login_url).path

    def _session_expired(self, original_url: str, depth: int) -> Iterator[Request]:
        """Log in again (once for all pages that hit the expiry), then retry every such page."""
        self._retry_after_login.append((original_url, depth))
        if self._imported:
            self._forget_imported_session()
        if self._login_in_flight or self._gate_in_flight:
            return
        self._relogins += 1
        if self._relogins > MAX_RELOGINS:
            raise self._stop("login", f"session keeps expiring (logged in again {MAX_RELOGINS} times)")
        self._login_in_flight = True
        self._stat("relogins")
        assert self.login_url is not None
        yield self._request(self.login_url, callback=self.login_form, errback=self.on_start_error, dont_filter=True)

    def _forget_imported_session(self) -> None:
        """The imported session no longer works: stop sending it; log in with the credentials if there are any."""
        self._imported = {}
        self._stat("imported_session_expired")
        self.logger.warning("%s: the imported session expired; logging in with the credentials", self.market)

    def _explain_no_listings(self) -> None:
        if self.ledger is None or self.ledger.fatal is not None or self.ledger.interrupted or self.frontier is None:
            return
        with contextlib.suppress(Exception):  # a closed frontier: nothing to explain
            counts = self.frontier.counts()
            if counts.listings == 0 and counts.queued == 0:
                hint = _no_listing_hint(self.definition, self._first_page)
                if self._unmatched_link is not None:  # not a gate: the links were there, the pattern missed them
                    hint = "no listing collected; " + unmatched_link_problem(self.definition, self._unmatched_link)
                if hint:
                    self.ledger.fail(f"{self.market}: {hint}")

    def _follow_redirect(self, response: Response, url: str, depth: int) -> Iterator[Request]:
        location = response.headers.get(b"Location")
        try:
            target = urljoin(response.url, location.decode("latin-1")) if location else None
        except ValueError:  # "http://[::1": no URL (raising here left the page in flight: the crawl hung)
            target = None
        if target is not None and self._is_login_url(target):
            if response.meta.get("login_gen", 0) < self._login_gen:
                # made under a session that has since been renewed: just retry it with the new one
                yield self._page_request(url, depth)
            else:
                yield from self._session_expired(url, depth)
            return
        links = []
        if target is None:
            self._stat("bad_redirects")
        elif urlsplit(target).scheme not in ("http", "https") or urlsplit(target).netloc not in self.hosts:
            self._stat("offsite_links")
        else:
            # the target is one more page of the frontier (the seen-set stops redirect loops)
            links.append(self._key(target.split("#", 1)[0]))
        self._finish(url, links, depth - 1)  # same depth as the page that redirected

    def _finish(self, url: str, links: list[str], depth: int, item: Any = None,
                state: PageState = PageState.DONE, note: str | None = None,
                next_pages: list[str] | None = None) -> None:
        record = None
        if isinstance(item, list):  # listings read as rows of a navigation page: one raw item for the page
            record = ("rows", {"listings": [r.to_dict() for r in item]})
        elif isinstance(item, RawListing):
            record = ("listing", item.to_dict())
        elif isinstance(item, RawVendor):
            record = ("vendor", item.to_dict())
        self._frontier().page_done(url, links, depth, record, state, note, next_pages or ())
        self._in_flight.discard(url)
        self._redos = 0
        self._poke()

    # -- pages -----------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """One frontier page. Whatever its parsing raises besides a stop (a defect met on a hostile page) fails
        that page in the frontier, counted and logged, instead of leaving it in flight: the crawl goes on and
        ends unfinished-but-honest (failed pages are re-queued on resume), never hung waiting for it."""
        url = response.meta.get("frontier_url") or url_path(response.url) or "/"
        try:
            yield from self._parse_page(response, url)
        except CloseSpider:
            raise
        except Exception as exc:  # noqa: BLE001 -- any defect: the page fails, the crawl must not hang
            if url not in self._in_flight:
                raise  # the page was already finished: not a parsing failure of this page
            problem = terminal_safe(f"{type(exc).__name__}: {str(exc)[:MAX_ERROR_NOTE]}")  # may quote the page
            self._stat("failed_pages")
            self._stat("parse_errors")
            self.logger.error("%s: page failed: %s (parser error: %s)", self.market, response.url, problem)
            self._frontier().page_failed(url, PageState.FAILED, f"{response.url}: parser error: {problem}")
            self._in_flight.discard(url)
            self._poke()

    def _parse_page(self, response: Response, url: str) -> Iterator[Any]:  # not `_parse`: Scrapy's own
        depth = int(response.meta.get("frontier_depth", 0))
        if response.status in REDIRECTS:
            yield from self._follow_redirect(response, url, depth)
            return
        self._stat("pages")
        if self._first_page is None and isinstance(response, TextResponse):
            self._first_page = (response.url, " ".join(response.css("title::text").getall())[:80].strip())
        if not isinstance(response, TextResponse):  # images, archives...: nothing a market page needs
            self._stat("non_text_pages")
            self._finish(url, [], depth)
            return
        if self._is_login_url(response.url):  # a link to the login page: nothing to collect
            self._finish(url, [], depth)
            return
        kind = page_kind(self.definition, response.url)
        item: RawListing | RawVendor | list[RawListing] | None = None
        mismatch: str | None = None
        try:
            if kind is not None and kind[0] == "listing":
                item = self.parse_listing(response, kind[1])
            elif kind is not None:
                item = self.parse_vendor(response, kind[1])
            elif self.definition.listing_rows is not None:
                item = self.parse_rows(response) or None
        except PageMismatch as exc:
            mismatch = str(exc)
            self._stat("mismatched_pages")
            self.logger.warning("%s: skipped: %s", self.market, mismatch)
        nav = self.definition.navigation
        links = [link for css in (*nav.follow, nav.vendor_links) for link in self._links(response, css)]
        listing_links = list(self._links(response, nav.listing_links))
        self._check_listing_links(listing_links)
        links += listing_links
        next_pages = list(self._links(response, nav.next_page))
        if mismatch is not None:
            self._finish(url, links, depth, state=PageState.MISMATCH, note=mismatch, next_pages=next_pages)
            self._check_mismatch_share()
            return
        self._finish(url, links, depth, item, next_pages=next_pages)
        if isinstance(item, list):
            yield from item
        elif item is not None:
            yield item  # for feed exports (`scrapy crawl -O`); the index stage reads the frontier

    def _check_listing_links(self, keys: list[str]) -> None:
        """Count listing links whose URL listing.url_pattern does not match (crawled as navigation pages); the
        first is logged once and explains a crawl that collects no listing."""
        for key in keys:
            if page_kind(self.definition, urljoin(self.base, key)) is not None:
                continue
            self._stat("unmatched_listing_links")
            if self._unmatched_link is None:
                self._unmatched_link = key
                self.logger.warning("%s: %s", self.market, unmatched_link_problem(self.definition, key))

    def _check_mismatch_share(self) -> None:
        """Many pages not matching their definition mean the definition is wrong: stop before a long crawl."""
        counts = self._frontier().counts()
        share = self.definition.limits.max_mismatch_share
        if counts.detail_pages >= MISMATCH_MIN_PAGES and counts.mismatch > share * counts.detail_pages:
            raise self._stop("page_mismatch", mismatch_message(counts.mismatch, counts.detail_pages, share,
                                                               self._frontier().note("mismatch")))

    def parse_listing(self, response: TextResponse, listing_id: str) -> RawListing:
        item = listing_record(self.definition, response.selector, response.url, listing_id, _now())
        self._stat("listings")
        return item

    def parse_rows(self, response: TextResponse) -> list[RawListing]:
        rows = row_listings(self.definition, response.selector, response.url, _now())
        self._stat("listings", len(rows))
        self._stat("row_listings", len(rows))
        return rows

    def parse_vendor(self, response: TextResponse, vendor_id: str) -> RawVendor:
        item = vendor_record(self.definition, response.selector, response.url, vendor_id, _now())
        self._stat("vendors")
        return item

    # -- errors ----------------------------------------------------------------------------------

    def on_start_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.url if request is not None else self.base
        reason = failure.getErrorMessage() or getattr(failure.type, "__name__", "error")
        raise self._stop("unreachable", f"cannot reach {url}: {reason}")

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.meta.get("frontier_url") if request is not None else None
        full = request.url if request is not None else "?"
        message = _failure_message(failure)
        if url is None:
            return
        if self.ledger is not None and self.ledger.interrupted:  # cancelled by a shutdown: stays queued
            self._in_flight.discard(url)
            self._poke()
            return
        if failure.check(IgnoreRequest) and type(failure.value).__name__ == "EgressRefused":
            self._frontier().page_failed(url, PageState.REFUSED, f"{full}: {message}")
        elif answered_status(failure) in GONE and page_kind(self.definition, full) is not None:
            # a listing or vendor page that answers 404/410 was removed after it was linked (or after a resumed
            # crawl queued it days ago): gone, not lost; the store marks it gone when the crawl is complete
            self._stat("gone_pages")
            self.logger.info("%s: gone since it was linked: %s (%s)", self.market, full, message)
            self._frontier().page_failed(url, PageState.GONE, f"{full}: {message}")
        else:
            self._stat("failed_pages")
            self.logger.warning("%s: page failed: %s (%s)", self.market, full, message)
            self._frontier().page_failed(url, PageState.FAILED, f"{full}: {message}")
        self._in_flight.discard(url)
        self._poke()

    def closed(self, reason: str) -> None:
        self._closing = True
        self._poke()
        self._explain_no_listings()
        if self._own_frontier is not None and isinstance(self.frontier, SQLiteFrontier):
            self.frontier.close()
            import shutil

            shutil.rmtree(self._own_frontier, ignore_errors=True)


def _failure_message(failure: Failure) -> str:
    """One phrase for a failed page: the HTTP status for an error answer (Scrapy says only "Ignoring non-200
    response"), else the failure's own message."""
    status = answered_status(failure)
    if status is not None:
        return f"HTTP {status}"
    return failure.getErrorMessage() or getattr(failure.type, "__name__", "error")


def _no_listing_hint(definition: MarketDefinition, first: tuple[str, str] | None) -> str | None:
    """Why a crawl found no listing, when its first page looks like an entry gate the definition does not
    describe (every page was the gate)."""
    if first is None or has_gates(definition):
        return None
    url, title = first
    return (f"no listing collected; the first page, {url} (title {title!r}), may be an entry gate (age check, "
            "DDoS queue, captcha): describe it under gates: in the definition")


def mismatch_message(mismatched: int, examined: int, share: float, first: str | None) -> str:
    return (f"{mismatched} of {examined} listing/vendor pages ({mismatched / max(examined, 1):.1%}) did not match "
            f"the definition (limits.max_mismatch_share {share:.0%}); first: {first or '?'}")
