"""How the market spider passes gates (crawler/gates.py recognises them): entry steps, a captcha answered by the
analyst, a captcha in the login form, a PGP 2FA login step.

While a gate is being passed no frontier page goes out for the market (`_gate_in_flight`); pages that hit the
gate wait in `_retry_after_login` and are fetched again once it is passed (after logging in again, when the gate
interrupted a login). A gate shown again later (the queue's pass expired) is passed again, like a login.
Every gate request goes through the same downloader middlewares, so over Tor it uses the market's SOCKS
isolation credentials: the same circuit the gate's cookie was issued to.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.exceptions import CloseSpider
from scrapy.http import FormRequest, Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from onionwatch.crawler import challenges
from onionwatch.crawler.archive import SECRET_META
from onionwatch.crawler.credentials import get_pgp_secret
from onionwatch.crawler.gates import Gate, GateResponse, form_data, wait_seconds
from onionwatch.crawler.markets import CaptchaSpec, MarketDefinition
from onionwatch.crawler.outcome import Shortfall
from onionwatch.crawler.pgp2fa import ChallengeError, solve
from onionwatch.crawler.redact import redact
from onionwatch.errors import CredentialsError

if TYPE_CHECKING:
    from onionwatch.crawler.outcome import CrawlLedger

MAX_CAPTCHA_TRIES = 5  # wrong answers in a row before the crawl gives up
MAX_GATE_ERRORS = 3  # gate requests answered with an HTTP error in a row (no gate passed between) before it stops


def answered_status(failure: Any) -> int | None:
    """The HTTP status of a request's failure when the market answered it with an error status (Scrapy's HttpError),
    else None (the download itself failed)."""
    if not failure.check(HttpError):
        return None
    status = getattr(getattr(failure.value, "response", None), "status", None)
    return int(status) if status is not None else None
MAX_2FA_TRIES = 3
POLL_SECONDS = 0.5


class GatePasser:
    """Mixed into MarketSpider: the gate-passing callbacks."""

    definition: MarketDefinition
    market: str
    ledger: CrawlLedger | None
    crawler: Any
    logger: Any
    login_url: str | None
    _login_in_flight: bool
    _retry_after_login: list[tuple[str, int]]
    _closing: bool

    if TYPE_CHECKING:
        def _stop(self, reason: str, message: str) -> CloseSpider: ...
        def _stat(self, key: str, n: int = 1) -> None: ...
        def _poke(self) -> None: ...
        def _page_request(self, key: str, depth: int) -> Request: ...
        def _request(self, url: str, **kwargs: Any) -> Request: ...
        def _login_submit(self, response: TextResponse, extra: dict[str, str]) -> Iterator[Request]: ...
        def login_form(self, response: Response) -> Iterator[Request]: ...
        def after_login(self, response: Response) -> Iterator[Request]: ...
        def on_start_error(self, failure: Any) -> None: ...
        def _is_login_url(self, url: str) -> bool: ...
        def _key(self, url: str) -> str: ...
        def _finish(self, url: str, links: list[str], depth: int) -> None: ...

    def _init_gates(self) -> None:
        self._gate_in_flight = False
        self._gate_then_login = False
        self._gate_tries: dict[str, int] = {}
        self._gate_last: Gate | None = None
        self.paused_seconds = 0.0  # waiting for the analyst, whole crawl
        self._gate_errors = 0  # gate requests answered with an HTTP error since the last gate passed
        self._gate_gen = 0  # bumped by every gate passed; page requests remember the one they were sent in
        self._gate_released: set[str] = set()  # frontier pages fetched again for the last gate passed

    # -- entry -----------------------------------------------------------------------------------

    async def on_gate(self, response: Response) -> AsyncIterator[Request]:
        """Every response showing a defined gate comes here (GateMiddleware re-routes it). A frontier page that
        met a gate waits in `_retry_after_login` (never dropped: the crawl would wait for it forever)."""
        assert isinstance(response, GateResponse)
        gate, page, meta = response.gate, response.page, response.meta
        url, depth = meta.get("frontier_url"), int(meta.get("frontier_depth", 0))
        if url is not None and self._is_login_url(page.url):  # a link to the login page: nothing to collect
            self._finish(url, [], depth)
            return
        if url is not None and gate is not None and gate.kind != "pgp_2fa" and not self._gate_in_flight \
                and int(meta.get("gate_gen", self._gate_gen)) < self._gate_gen:
            # sent before the gate was last passed (a slow answer under the old pass): ask again with the new pass
            # instead of making the analyst solve a captcha the crawl has already got past
            self._stat("gates/stale")
            yield self._page_request(url, depth)
            return
        if url is not None and self._landing_page(gate, page, url, depth, meta):
            return
        if url is not None:
            self._retry_after_login.append((url, depth))
        try:
            async for request in self._pass(gate, page, meta, url is not None):
                yield request
        except CloseSpider:
            raise
        except Exception as exc:  # a bug or a hostile page: stop the market, never leave it paused forever
            raise self._stop("gate", f"{gate.label if gate else 'login captcha'} at {page.url}: {exc}") from None

    def _landing_page(self, gate: Gate | None, page: TextResponse, url: str, depth: int, meta: dict[str, Any]) -> bool:
        """A follow-link step met again, under the pass just granted, by a page fetched again for that pass: the
        pass does not stick to the URL (an "18+" landing page whose link leads into the market, with no cookie
        set). That page is navigation whose one link is the step's: finished with it, not passed again forever."""
        step = gate.step if gate is not None else None
        if step is None or step.kind != "follow-link" or step.css is None or url not in self._gate_released \
                or int(meta.get("gate_gen", -1)) != self._gate_gen:
            return False
        href = (page.css(step.css).get() or "").strip()
        if not href:
            return False
        self._gate_released.discard(url)
        self._stat("gates/landing_pages")
        self.logger.info("%s: %s shown again at %s after it was passed: read as a landing page linking %s",
                         self.market, gate.label if gate is not None else "", url, href)
        self._finish(url, [self._key(urljoin(page.url, href))], depth)
        return True

    async def _pass(self, gate: Gate | None, page: TextResponse, meta: dict[str, Any],
                    frontier: bool) -> AsyncIterator[Request]:
        if gate is None or gate.kind == "pgp_2fa":  # login steps: a login captcha, the 2FA challenge
            if frontier and self._login_in_flight:
                return  # the login in progress retries this page
            self._login_in_flight = True
            if gate is None:
                async for request in self._login_with_captcha(page):
                    yield request
            else:
                for request in self._answer_2fa(page):
                    yield request
            return
        if not frontier and meta.get("gate_for") in ("login_form", "after_login"):
            self._gate_then_login = True
        if self._gate_in_flight and not meta.get("gate_request"):
            return  # the gate is being passed already; this page waits with the others
        self._gate_in_flight = True
        self._gate_last = gate
        self._count_try(gate, page.url)
        if gate.kind == "captcha":
            assert gate.captcha is not None
            async for request in self._solve_captcha(page, gate.captcha):
                yield request
        else:
            async for request in self._entry_step(page, gate):
                yield request

    def _count_try(self, gate: Gate, url: str) -> None:
        n = self._gate_tries[gate.label] = self._gate_tries.get(gate.label, 0) + 1
        limit = gate.step.max_tries if gate.step is not None else MAX_CAPTCHA_TRIES
        if n > limit:
            raise self._stop("gate", f"{gate.label} shown {n} times in a row (last at {url}): cannot pass it; "
                             "check gates: in the definition")
        self._stat(f"gates/{gate.kind}")

    def _gate_request(self, url: str, **kwargs: Any) -> Request:
        meta = {"market": self.market, "gate_request": True, **kwargs.pop("meta", {})}
        return Request(url, meta=meta, callback=self.after_gate, errback=self.on_gate_error, dont_filter=True,
                       **kwargs)

    async def _entry_step(self, page: TextResponse, gate: Gate) -> AsyncIterator[Request]:
        step = gate.step
        assert step is not None
        if step.kind == "wait-queue":
            seconds, target = wait_seconds(page.selector, step)
            self.logger.info("%s: %s: waiting %.0fs", self.market, gate.label, seconds)
            await asyncio.sleep(seconds)
            yield self._gate_request(urljoin(page.url, target) if target else page.url)
            return
        assert step.css is not None
        if step.kind == "follow-link":
            href = page.css(step.css).get()
            if not href:
                raise self._stop("gate", f"{gate.label} at {page.url}: link {step.css!r} not found")
            yield self._gate_request(urljoin(page.url, href.strip()))
            return
        forms = page.css(step.css)
        if not forms:
            raise self._stop("gate", f"{gate.label} at {page.url}: form {step.css!r} not found")
        yield self._form(page, forms[0], {**form_data(forms[0]), **step.fields}, self.after_gate, self.on_gate_error)

    def _form(self, page: TextResponse, form: Any, data: dict[str, str], callback: Any, errback: Any,
              secret: bool = False) -> FormRequest:
        """The form's request; `errback`: on_gate_error for a gate's form, on_start_error for the login's."""
        meta: dict[str, Any] = {"market": self.market, "gate_request": True}
        if secret:
            meta[SECRET_META] = True
        return FormRequest(urljoin(page.url, form.attrib.get("action") or page.url),
                           method=(form.attrib.get("method") or "POST").upper(), formdata=data, callback=callback,
                           errback=errback, meta=meta, dont_filter=True)

    def after_gate(self, response: Response) -> Iterator[Request]:
        """A gate request's answer shows no gate: passed. Log in again or fetch the pages that waited."""
        step = self._gate_last.step if self._gate_last is not None else None
        if step is not None and isinstance(response, TextResponse) and not response.css(step.success):
            self._stat("gates/success_marker_missing")  # not a gate page either: go on, the pages will tell
            self.logger.info("%s: after an entry step: success marker %r not on %s", self.market, step.success,
                             response.url)
        self._gate_errors = 0
        self._gate_gen += 1
        self._gate_tries.clear()
        self._stat("gates/passed")
        self._gate_released = {url for url, _ in self._retry_after_login}
        yield from self._release_waiting()

    def on_gate_error(self, failure: Any) -> Iterator[Request]:
        """A gate request (the queue, an entry step, a captcha answer) failed. The market answered it with an HTTP
        error: e.g. a captcha answered while the pass it guards was already valid (a page sent under the old pass
        met the captcha after the new one was granted), where a market has no captcha page to post to. The pages
        that waited are fetched again and meet the gate again if it still stands; MAX_GATE_ERRORS such answers in
        a row stop the crawl. A download that failed after its retries: the market is unreachable (stop)."""
        status = answered_status(failure)
        if status is None:
            self.on_start_error(failure)
            return
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        self._gate_errors += 1
        self._stat("gates/http_errors")
        if self._gate_errors > MAX_GATE_ERRORS:
            raise self._stop("gate", f"gate request {url} answered HTTP {status}, {self._gate_errors} gate requests "
                             "in a row: cannot pass the gate; check gates: in the definition")
        self.logger.warning("%s: gate request %s answered HTTP %s; fetching the waiting pages again", self.market,
                            url, status)
        yield from self._release_waiting()

    def _release_waiting(self) -> Iterator[Request]:
        """The gate is out of the way (passed, or its request failed): log in again or fetch the pages that waited."""
        self._gate_in_flight = False
        self._poke()
        if self._gate_then_login and self.login_url is not None:
            self._gate_then_login = False
            self._login_in_flight = True
            yield self._request(self.login_url, callback=self.login_form, errback=self.on_start_error,
                                dont_filter=True)
            return
        if self._login_in_flight:
            return  # the login in progress retries the waiting pages
        retry, self._retry_after_login = self._retry_after_login, []
        for url, depth in retry:
            yield self._page_request(url, depth)

    # -- captcha ---------------------------------------------------------------------------------

    async def _wait_for_answer(self, page: TextResponse, spec: CaptchaSpec, kind: str) -> str | None:
        """Save the challenge, tell the analyst, wait for `session solve`; None when the pause timed out."""
        src = page.css(spec.image).get()
        if not src:
            raise self._stop("gate", f"{kind} at {page.url}: image {spec.image!r} not found")
        image_url = urljoin(page.url, src.strip())
        try:
            image = await self.crawler.engine.download_async(
                Request(image_url, meta={"market": self.market, "gate_request": True}, dont_filter=True))
        except Exception as exc:  # noqa: BLE001 - any download failure: the crawl cannot show the captcha
            raise self._stop("gate", f"{kind} image {image_url}: cannot download ({exc})") from None
        challenge = challenges.save(self.market, page.url, image.body, page.body, spec.pause_minutes * 60, kind)
        self.logger.warning("%s: %s: crawl paused; image %s; answer with: onionwatch session solve %s",
                            self.market, kind, challenge.image, self.market)
        started = time.monotonic()
        try:
            while time.time() < challenge.expires and not self._closing and not self._interrupted():
                answer = challenges.take_answer(self.market)
                if answer is not None:
                    self._stat("captchas_answered")
                    return answer
                await asyncio.sleep(POLL_SECONDS)
        finally:
            waited = time.monotonic() - started
            self.paused_seconds += waited
            if self.ledger is not None:
                self.ledger.paused_seconds += waited
            self._stat("paused_ms", int(waited * 1000))
            challenges.clear(self.market)
        if not self._closing and not self._interrupted():
            raise self._pause_timed_out(kind, spec)
        return None

    def _interrupted(self) -> bool:
        return self.ledger is not None and self.ledger.interrupted

    def _pause_timed_out(self, kind: str, spec: CaptchaSpec) -> CloseSpider:
        """The analyst did not answer: the crawl stops `partial` (or failed with nothing collected) and keeps
        its frontier, so the next crawl resumes it."""
        assert self.ledger is not None
        self.ledger.note(Shortfall.GATE_TIMEOUT, f"{kind} not answered within {spec.pause_minutes:g} min (gates); "
                         f"`onionwatch crawl {self.market}` resumes the crawl")
        self.logger.error("%s: %s not answered in time; stopping (resumable)", self.market, kind)
        self._closing = True
        self._poke()
        return CloseSpider("gate_timeout")

    async def _solve_captcha(self, page: TextResponse, spec: CaptchaSpec) -> AsyncIterator[Request]:
        answer = await self._wait_for_answer(page, spec, "captcha")
        if answer is None:
            return
        forms = page.css(spec.form)
        if not forms:
            raise self._stop("gate", f"captcha at {page.url}: form {spec.form!r} not found")
        yield self._form(page, forms[0], {**form_data(forms[0]), spec.answer_field: answer}, self.after_gate,
                         self.on_gate_error)

    async def _login_with_captcha(self, page: TextResponse) -> AsyncIterator[Request]:
        spec = self.definition.gates.login_captcha
        assert spec is not None
        tries = self._gate_tries["login_captcha"] = self._gate_tries.get("login_captcha", 0) + 1
        if tries > MAX_CAPTCHA_TRIES:
            raise self._stop("gate", f"login captcha shown {tries} times in a row at {page.url}")
        answer = await self._wait_for_answer(page, spec, "login_captcha")
        if answer is None:
            return
        for request in self._login_submit(page, {spec.answer_field: answer}):
            yield request

    # -- PGP 2FA ---------------------------------------------------------------------------------

    def _answer_2fa(self, page: TextResponse) -> Iterator[Request]:
        spec = self.definition.gates.pgp_2fa
        assert spec is not None
        tries = self._gate_tries["pgp_2fa"] = self._gate_tries.get("pgp_2fa", 0) + 1
        if tries > MAX_2FA_TRIES:
            raise self._stop("login", f"PGP 2FA challenge at {page.url} refused {MAX_2FA_TRIES} answers")
        try:
            secret = get_pgp_secret(spec.key)
            if secret.passphrase:
                redact(secret.passphrase)
            code = solve("\n".join(page.css(spec.message).getall()), secret, spec.code_regex)
        except (ChallengeError, CredentialsError) as exc:
            raise self._stop("login", f"PGP 2FA at {page.url}: {exc}") from None
        redact(code)
        forms = page.css(spec.form)
        if not forms:
            raise self._stop("login", f"PGP 2FA at {page.url}: form {spec.form!r} not found")
        self._stat("pgp_2fa")
        yield self._form(page, forms[0], {**form_data(forms[0]), spec.answer_field: code}, self.after_login,
                         self.on_start_error, secret=True)
