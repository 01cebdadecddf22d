"""A small synchronous client for `onionwatch markets try`: one market's pages fetched as a crawl fetches them.

The probe's rules (crawler/mirrors.py): `requests` through Tor's SOCKS port with the host resolved by Tor
(socks5h) and its own SOCKS credentials (an isolated circuit), or directly only where the crawl may go direct
(:func:`crawler.policy.check_transport`); no proxy, credentials or ~/.netrc from the environment; a connect
and read timeout; at most :data:`MAX_PAGE_BYTES` of a body read. Redirects are followed by hand, and only on
the market's own mirror (a page cannot send the client elsewhere). The login is the spider's: the form's
inputs as the page gives them, the username and password from the credentials store (never printed; the
password is masked in logs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from onionwatch.crawler.credentials import get_credentials
from onionwatch.crawler.markets import MarketDefinition
from onionwatch.crawler.mirrors import _socks_url
from onionwatch.crawler.pages import page_text
from onionwatch.crawler.policy import check_transport
from onionwatch.crawler.redact import redact
from onionwatch.crawler.settings import USER_AGENT
from onionwatch.crawler.transport import TorEndpoint, tor_status
from onionwatch.errors import CrawlError, TorUnavailable

MAX_PAGE_BYTES = 5_000_000  # a page larger than this is cut (hostile or not a market page)
MAX_REDIRECTS = 5


@dataclass
class Page:
    url: str
    status: int
    text: str
    truncated: bool = False

    def selector(self) -> Selector:
        return Selector(text=self.text)


class TrialClient:
    """GET/POST on one market mirror (the first of the definition's, or --mirror), cookies kept."""

    def __init__(self, definition: MarketDefinition, transport: str, endpoint: TorEndpoint, timeout: float) -> None:
        import requests

        check_transport(definition, transport)
        problem = tor_status(endpoint).problem() if transport == "tor" else None
        if problem:  # the crawl's preflight: the SOCKS port answers and Tor is bootstrapped
            raise TorUnavailable(f"{definition.name}: refusing to try the market: {problem}")
        self.definition = definition
        self.base = definition.mirrors[0]
        self.timeout = timeout
        self.session = requests.Session()
        self.session.trust_env = False  # no HTTP(S)_PROXY / ALL_PROXY / NO_PROXY, no ~/.netrc
        proxy = _socks_url(endpoint, definition.name) if transport == "tor" else None
        self.session.proxies = {"http": proxy, "https": proxy} if proxy else {}
        self.session.headers.update({"User-Agent": USER_AGENT})

    def __enter__(self) -> TrialClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.session.close()

    def url(self, path_or_url: str) -> str:
        """An absolute URL on this mirror; CrawlError for a URL on any other host."""
        url = urljoin(self.base + "/", path_or_url)
        if not self.same_origin(url):
            raise CrawlError(f"{self.definition.name}: {path_or_url!r} is not on the market's mirror {self.base} "
                             "(give a path, or a URL on that mirror)")
        return url

    def same_origin(self, url: str) -> bool:
        a, b = urlsplit(url), urlsplit(self.base)
        return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())

    def get(self, url: str) -> Page:
        return self.send("GET", url)

    def send(self, method: str, url: str, data: dict[str, str] | None = None) -> Page:
        """One request and its redirects on this mirror; CrawlError naming the URL when it fails."""
        import requests

        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self.session.request(
                    method, url, data=data if method == "POST" else None,
                    params=data if method == "GET" and data else None,
                    timeout=(self.timeout, self.timeout), allow_redirects=False, stream=True,
                )
            except requests.RequestException as exc:
                raise CrawlError(f"{self.definition.name}: {_no_query(url)}: {_reason(exc)}") from None
            with response:
                location = response.headers.get("Location") if response.is_redirect else None
                if location is None:
                    return _page(response, url)
            target = urljoin(url, location)
            if not self.same_origin(target):
                raise CrawlError(f"{self.definition.name}: {_no_query(url)} redirects off the mirror, to "
                                 f"{_no_query(target)!r} (not followed)")
            if response.status_code in (301, 302, 303) and method == "POST":
                method, data = "GET", None
            url = target
        raise CrawlError(f"{self.definition.name}: {_no_query(url)}: more than {MAX_REDIRECTS} redirects")

    def login(self) -> None:
        """The definition's login, as the spider does it; CrawlError / CredentialsError when it fails."""
        login = self.definition.login
        if login is None:
            return
        creds = get_credentials(login.credentials)
        redact(creds.password)
        page = self.get(self.url(login.url))
        forms = page.selector().css(login.form)
        if not forms:
            raise CrawlError(f"{self.definition.name}: login page {page.url}: form {login.form!r} not found")
        form = forms[0]
        data = {name: value or "" for name, value in zip(
            form.css("input[name]::attr(name)").getall(),
            [i.attrib.get("value", "") for i in form.css("input[name]")], strict=True,
        ) if name not in (login.username_field, login.password_field)}
        data.update({login.username_field: creds.username, login.password_field: creds.password})
        action = self.url(urljoin(page.url, form.attrib.get("action") or page.url))
        answer = self.send((form.attrib.get("method") or "POST").upper(), action, data)
        if not answer.selector().css(login.success):
            home = self.get(self.url(self.definition.navigation.start[0]))  # some markets show it on the next page
            if not home.selector().css(login.success):
                raise CrawlError(f"{self.definition.name}: login failed at {_no_query(answer.url)} "
                                 f"(the success marker {login.success!r} is missing; check the credentials)")


def _page(response: Any, url: str) -> Page:
    import requests

    body = bytearray()
    truncated = False
    try:
        for chunk in response.iter_content(chunk_size=64 * 1024):
            body += chunk
            if len(body) >= MAX_PAGE_BYTES:
                truncated = True
                break
    except requests.RequestException:
        truncated = True
    # as the crawl decodes it: requests' `encoding` is ISO-8859-1 for a text/html without a charset, which misreads a
    # page declaring windows-1251 only in its <meta>
    text = page_text(bytes(body[:MAX_PAGE_BYTES]), response.headers.get("Content-Type"))
    return Page(url, response.status_code, text, truncated)


def _no_query(url: str) -> str:
    """A URL without its query (a GET login form would put the password there)."""
    return url.split("?", 1)[0]


def _reason(exc: Exception) -> str:
    from onionwatch.crawler.mirrors import _reason as reason

    return reason(exc)
