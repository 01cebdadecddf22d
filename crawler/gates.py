"""Recognise a market's gates on a page (entry steps, captchas, the PGP 2FA step) before block detection.

A gate the definition describes (``gates:`` in config/markets/<name>.yaml) is not a block: a DDoS queue says
"DDoS protection" and a captcha page has a captcha image, both of which the block middleware would answer with
a new circuit, losing the session the gate is about to grant. `GateMiddleware` (downloader middleware, order
570: it sees responses after decompression and before the block middleware at 560) hands such a page to the
spider as a `GateResponse` (not a TextResponse, status 200), which the spider passes (crawler/spiders/market.py
``_on_gate``) and then retries the page it wanted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from parsel import Selector
from scrapy.http import Request, Response, TextResponse

from onionwatch.crawler.markets import CaptchaSpec, EntryStep, MarketDefinition, PgpChallengeSpec

_SCAN_BYTES = 512 * 1024  # gate pages are small; never parse a huge hostile body for them
_REFRESH = re.compile(r"^\s*(\d{1,6}(?:\.\d{1,3})?)\s*(?:[;,]\s*(?:url\s*=\s*)?['\"]?([^'\"]*)['\"]?)?\s*$", re.I)
_NUMBER = re.compile(r"\d{1,6}")


@dataclass(frozen=True)
class Gate:
    """Which gate a page shows: kind "entry" (with the step and its index), "captcha", "login_captcha" or
    "pgp_2fa"."""

    kind: str
    step: EntryStep | None = None
    index: int = -1
    captcha: CaptchaSpec | None = None
    pgp: PgpChallengeSpec | None = None

    @property
    def label(self) -> str:
        return f"entry step {self.index + 1} ({self.step.kind})" if self.step is not None else self.kind


def classify(definition: MarketDefinition, selector: Selector) -> Gate | None:
    """The gate this page shows, or None. Captchas first (a queue page may carry one), then 2FA, then steps."""
    gates = definition.gates
    if gates.captcha is not None and selector.css(gates.captcha.marker):
        return Gate("captcha", captcha=gates.captcha)
    if gates.pgp_2fa is not None and selector.css(gates.pgp_2fa.marker):
        return Gate("pgp_2fa", pgp=gates.pgp_2fa)
    for i, step in enumerate(gates.entry):
        if selector.css(step.marker):
            return Gate("entry", step=step, index=i)
    return None


def login_captcha(definition: MarketDefinition, selector: Selector) -> CaptchaSpec | None:
    spec = definition.gates.login_captcha
    return spec if spec is not None and selector.css(spec.marker) else None


def has_gates(definition: MarketDefinition) -> bool:
    g = definition.gates
    return bool(g.entry) or g.captcha is not None or g.pgp_2fa is not None


def wait_seconds(selector: Selector, step: EntryStep) -> tuple[float, str | None]:
    """How long a queue page asks to wait (meta refresh, else the shown timer, else 5 s), capped by
    step.max_wait; and the refresh target if any."""
    for content in selector.css("meta[http-equiv]").xpath("@content").getall()[:5]:
        match = _REFRESH.match(content[:300])
        if match:
            return min(float(match.group(1)), step.max_wait), (match.group(2) or "").strip() or None
    if step.timer:
        text = " ".join(selector.css(step.timer).getall()[:3])[:200]
        number = _NUMBER.search(text)
        if number:
            return min(float(number.group(0)), step.max_wait), None
    return min(5.0, step.max_wait), None


def form_data(form: Selector) -> dict[str, str]:
    """The form's named inputs with their values (what a browser would send, minus unchecked boxes)."""
    data: dict[str, str] = {}
    for field in form.css("input[name], textarea[name], select[name]")[:200]:
        kind = (field.attrib.get("type") or "").lower()
        if kind in ("checkbox", "radio") and "checked" not in field.attrib:
            continue
        if kind in ("submit", "button", "image", "file"):
            continue
        data[field.attrib["name"]] = field.attrib.get("value", "")
    return data


class GateResponse(Response):
    """A gate page on its way to the spider: `.page` is the page as downloaded, `.gate` what it shows."""

    def __init__(self, *args: Any, page: TextResponse, gate: Gate | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.gate = gate


class GateMiddleware:
    """Hands pages showing a defined gate to the spider before the block middleware sees them."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> GateMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        definition: MarketDefinition | None = getattr(self.crawler.spider, "definition", None)
        if definition is None or not isinstance(response, TextResponse):
            return response
        g = definition.gates
        if not (g.entry or g.captcha or g.pgp_2fa or g.login_captcha):
            return response
        selector = Selector(text=response.text[:_SCAN_BYTES])
        gate = classify(definition, selector)
        if gate is None and login_captcha(definition, selector) is None:
            return response
        on_gate = getattr(self.crawler.spider, "on_gate", None)
        if on_gate is None:
            return response
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"onionwatch/gate_pages/{gate.kind if gate else 'login_captcha'}")
        callback = getattr(request.callback, "__name__", "parse")
        routed = request.replace(callback=on_gate, meta={**request.meta, "gate_for": callback})
        # the body and headers stay (the archive keeps the gate page); not a TextResponse, status 200: the block
        # middleware has nothing to scan
        return GateResponse(response.url, status=200, headers=response.headers, body=response.body, request=routed,
                            page=response, gate=gate)
