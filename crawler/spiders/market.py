"""The one generic market spider: login, navigation, pagination, listing and vendor pages, all from a
market definition (config/markets/<name>.yaml). Per-market differences are data, not code."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import FormRequest, Request, Response, TextResponse
from twisted.python.failure import Failure

from onionwatch.crawler.archive import SECRET_META
from onionwatch.crawler.credentials import CredentialsError, get_credentials
from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.crawler.markets import MarketDefinition, get_market, with_mirror
from onionwatch.crawler.pages import PageMismatch
from onionwatch.crawler.policy import check_transport
from onionwatch.crawler.records_from_pages import listing_record, page_kind, vendor_record
from onionwatch.crawler.redact import redact

REDIRECTS = (301, 302, 303, 307, 308)
MAX_RELOGINS = 20  # per crawl; more means the market is refusing this account


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class MarketSpider(scrapy.Spider):
    """`scrapy crawl market -a market=NAME [-a mirror=URL]`."""

    name = "market"

    def __init__(self, market: str = "", mirror: str | None = None, **kwargs: Any) -> None:
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
        self.fatal: str | None = None  # set when the crawl must stop and nothing may be written
        self._logged_in = False
        self._login_in_flight = False
        self._queued: set[str] = set()  # URLs already requested (the dupefilter stays as the backstop)
        self._login_gen = 0  # bumped by every successful login; requests remember the one they were made in
        self._relogins = 0
        self._retry_after_login: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> MarketSpider:
        """Refuse to start when the market may not use the configured transport (fail closed)."""
        spider: MarketSpider = super().from_crawler(crawler, *args, **kwargs)
        check_transport(spider.definition, crawler.settings.get("ONIONWATCH_TRANSPORT", "tor"))
        return spider

    # -- helpers ---------------------------------------------------------------------------------

    def _request(self, url: str, **kwargs: Any) -> Request:
        meta = kwargs.pop("meta", {})
        meta["market"] = self.market
        # redirects are followed by parse(): a redirect to the login page means the session expired
        meta.setdefault("login_gen", self._login_gen)
        meta.setdefault("dont_redirect", True)
        meta.setdefault("handle_httpstatus_list", list(REDIRECTS))
        kwargs.setdefault("errback", self.on_error)
        return Request(url, meta=meta, **kwargs)

    def _stat(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"onionwatch/{key}", n)

    def _stop(self, reason: str, message: str) -> CloseSpider:
        self.fatal = f"{self.market}: {message}"
        self.logger.error(self.fatal)
        self._stat(f"fatal/{reason}")
        return CloseSpider(reason)

    def _links(self, response: Response, css: str | None) -> Iterator[str]:
        if not css:
            return
        for href in response.css(css).getall():
            href = (href or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:")):
                continue
            url = urljoin(response.url, href)
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or parts.netloc not in self.hosts:
                self._stat("offsite_links")
                continue
            url = url.split("#", 1)[0]
            if url in self._queued:  # most links repeat on every page: skip them before Scrapy has to
                continue
            self._queued.add(url)
            yield url

    # -- start and login -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        if self.login_url is not None:
            yield self._request(
                self.login_url,
                callback=self.login_form,
                errback=self.on_start_error,
                dont_filter=True,
            )
            return
        for req in self._start_requests():
            yield req

    def _start_requests(self) -> Iterator[Request]:
        for path in self.definition.navigation.start:
            yield self._request(self._url(path), errback=self.on_start_error)

    def login_form(self, response: Response) -> Iterator[Request]:
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
        data.update({login.username_field: creds.username, login.password_field: creds.password})
        yield FormRequest(
            urljoin(response.url, form.attrib.get("action") or response.url),
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
        if not response.css(login.success):
            raise self._stop("login", f"login failed at {response.url} (check the credentials)")
        self._stat("logins")
        self._login_in_flight = False
        self._login_gen += 1
        if not self._logged_in:
            self._logged_in = True
            yield from self._start_requests()
        retry, self._retry_after_login = self._retry_after_login, []
        for url in retry:
            yield self._request(url, dont_filter=True)

    def _url(self, path: str) -> str:
        """A definition's path (or absolute URL) on the mirror being crawled."""
        return urljoin(self.base + "/", path.lstrip("/"))

    def _is_login_url(self, url: str) -> bool:
        return self.login_url is not None and urlsplit(url).path == urlsplit(self.login_url).path

    def _session_expired(self, original_url: str) -> Iterator[Request]:
        """Log in again (once for all pages that hit the expiry), then retry every such page."""
        self._retry_after_login.append(original_url)
        if self._login_in_flight:
            return
        self._relogins += 1
        if self._relogins > MAX_RELOGINS:
            raise self._stop("login", f"session keeps expiring (logged in again {MAX_RELOGINS} times)")
        self._login_in_flight = True
        self._stat("relogins")
        assert self.login_url is not None
        yield self._request(self.login_url, callback=self.login_form, dont_filter=True)

    def _follow_redirect(self, response: Response) -> Iterator[Request]:
        location = response.headers.get(b"Location")
        if not location:
            self._stat("bad_redirects")
            return
        target = urljoin(response.url, location.decode("latin-1"))
        if self._is_login_url(target):
            if response.meta.get("login_gen", 0) < self._login_gen:
                # made under a session that has since been renewed: just retry it with the new one
                yield self._request(response.url, dont_filter=True)
            else:
                yield from self._session_expired(response.url)
            return
        redirects = response.meta.get("onionwatch_redirects", 0) + 1
        if redirects > 10:
            self._stat("bad_redirects")
            return
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or parts.netloc not in self.hosts:
            self._stat("offsite_links")
            return
        yield self._request(target, meta={"onionwatch_redirects": redirects})

    # -- pages -----------------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.status in REDIRECTS:
            yield from self._follow_redirect(response)
            return
        self._stat("pages")
        if not isinstance(response, TextResponse):  # images, archives...: nothing a market page needs
            self._stat("non_text_pages")
            return
        if self._is_login_url(response.url):  # a link to the login page: nothing to collect
            return
        kind = page_kind(self.definition, response.url)
        try:
            if kind is not None and kind[0] == "listing":
                yield self.parse_listing(response, kind[1])
            elif kind is not None:
                yield self.parse_vendor(response, kind[1])
        except PageMismatch as exc:
            raise self._stop("page_mismatch", str(exc)) from None
        nav = self.definition.navigation
        for css in nav.follow:
            for url in self._links(response, css):
                yield self._request(url)
        for url in self._links(response, nav.next_page):
            yield self._request(url)
        for url in self._links(response, nav.listing_links):
            yield self._request(url)
        for url in self._links(response, nav.vendor_links):
            yield self._request(url)

    def parse_listing(self, response: TextResponse, listing_id: str) -> RawListing:
        item = listing_record(self.definition, response.selector, response.url, listing_id, _now())
        self._stat("listings")
        return item

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
        self._stat("failed_pages")
        self.logger.warning("%s: page failed: %s (%s)", self.market, request.url if request else "?",
                            failure.getErrorMessage())
