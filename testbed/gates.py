"""Gate faults wrapped around a testbed site: a DDoS queue (meta refresh) then a captcha whose pass is bound
to the client's queue ticket, an 18+ entry form, a login captcha, PGP 2FA after the password, session expiry.

"Bound to the circuit": an onion service cannot see a client's circuit, and the SOCKS isolation username
never reaches it either; real markets bind the pass to the cookie they handed out on the circuit that queued.
The testbed does the same honest approximation: the pass (``ddos_pass``) is valid only with the queue ticket
(``ddos_q``) it was issued for, so a client that loses its cookies (a new circuit without them) queues again.

Test control: ``/__testbed/captcha?c=ID`` answers a captcha (the helper that plays the analyst uses it).
"""

from __future__ import annotations

import random
import secrets
import threading
import time
import warnings
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qs, quote

from onionwatch.testbed.sites import SESSION_COOKIE, Request, Response, redirect

GATE_PREFIX = "/__gate/"


@dataclass
class GateFaults:
    queue_seconds: float | None = None  # a DDoS queue: wait this long (meta refresh)
    captcha: bool = False  # a captcha after the queue (or alone)
    pass_expire_after: int | None = None  # the queue pass lasts this many requests
    age_gate: bool = False  # an 18+ form (submit with agree=yes)
    login_captcha: bool = False  # a captcha inside the login form (abyss)
    pgp_2fa_public_key: str | None = None  # armored public key: PGP 2FA after the password (abyss)
    expire_after: int | None = None  # a login session lasts this many requests (abyss)

    @property
    def ddos(self) -> bool:
        return self.queue_seconds is not None or self.captcha


def e(text: object) -> str:
    return escape(str(text), quote=True)


def page(title: str, body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{e(title)}</title>{head}</head>'
            f"<body>{body}</body></html>\n")


def captcha_svg(seed: str, width: int = 120, height: int = 40) -> str:
    """A noisy SVG (the testbed's stand-in for a captcha image; the answer is not drawn: the helper that plays
    the analyst asks /__testbed/captcha for it)."""
    rng = random.Random(seed)
    lines = "".join(f'<line x1="{rng.randrange(width)}" y1="{rng.randrange(height)}" x2="{rng.randrange(width)}" '
                    f'y2="{rng.randrange(height)}" stroke="#{rng.randrange(0x1000000):06x}"/>' for _ in range(12))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
            f'<rect width="{width}" height="{height}" fill="#eee"/>{lines}</svg>')


def _form(req: Request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}


def _safe_next(value: str) -> str:
    return value if value.startswith("/") and not value.startswith("//") and len(value) < 500 else "/"


@dataclass
class _State:
    tickets: dict[str, float] = field(default_factory=dict)  # queue ticket -> when it queued
    passes: dict[str, tuple[str, int]] = field(default_factory=dict)  # pass -> (ticket, requests served)
    captchas: dict[str, tuple[str, str]] = field(default_factory=dict)  # captcha id -> (answer, ticket or "")
    twofa: dict[str, str] = field(default_factory=dict)  # session token waiting for 2FA -> code
    session_use: dict[str, int] = field(default_factory=dict)
    expired: set[str] = field(default_factory=set)


class GatedSite:
    """A site (AbyssSite/KladmenSite) behind the configured gate faults."""

    def __init__(self, site: Any, faults: GateFaults) -> None:
        self.site = site
        self.market = site.market
        self.faults = faults
        self.state = _State()
        self._lock = threading.Lock()
        self.counts = {"queue": 0, "captcha": 0, "passes": 0, "age": 0, "login_captcha": 0, "twofa": 0,
                       "expired": 0}

    def expire_sessions(self) -> None:
        self.site.expire_sessions()

    def set_market(self, market: Any) -> None:  # the market changes between crawls (testbed/epochs.py)
        self.site.set_market(market)

    def captcha_answer(self, captcha_id: str) -> str | None:
        with self._lock:
            entry = self.state.captchas.get(captcha_id)
        return entry[0] if entry else None

    def _new_captcha(self, ticket: str) -> str:
        cid = secrets.token_hex(8)
        with self._lock:
            self.state.captchas[cid] = ("".join(random.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=6)), ticket)
        return cid

    # -- dispatch ---------------------------------------------------------------------------------

    def handle(self, req: Request) -> Response:
        if req.path == GATE_PREFIX + "captcha.svg":
            return self._image(req)
        if self.faults.ddos:
            blocked = self._ddos(req)
            if blocked is not None:
                return blocked
        if self.faults.age_gate:
            blocked = self._age(req)
            if blocked is not None:
                return blocked
        return self._login_faults(req)

    def _image(self, req: Request) -> Response:
        cid = req.param("c")
        if self.captcha_answer(cid) is None:
            return Response(404, "no such captcha")
        return Response(200, captcha_svg(cid), "image/svg+xml")

    # -- DDoS queue + captcha ---------------------------------------------------------------------

    def _ddos(self, req: Request) -> Response | None:
        ticket = req.cookies.get("ddos_q", "")
        token = req.cookies.get("ddos_pass", "")
        with self._lock:
            granted = self.state.passes.get(token)
            if granted is not None and granted[0] != ticket:
                granted = None  # a pass shown without the ticket it was issued for: another client
            if granted is not None:
                used = granted[1] + 1
                limit = self.faults.pass_expire_after
                if limit is not None and used > limit:
                    del self.state.passes[token]
                    self.counts["expired"] += 1
                    granted = None
                else:
                    self.state.passes[token] = (ticket, used)
        if granted is not None:
            if req.path == GATE_PREFIX + "queue":
                return redirect(_safe_next(req.param("next", "/")))
            return None
        nxt = _safe_next(req.param("next", "/") if req.path.startswith(GATE_PREFIX) else req.path)
        with self._lock:
            queued = self.state.tickets.get(ticket)
        if queued is not None and req.path == GATE_PREFIX + "captcha" and req.method == "POST":
            return self._captcha_answer(req, ticket)
        if queued is None:
            ticket = secrets.token_hex(12)
            with self._lock:
                self.state.tickets[ticket] = time.monotonic()
                self.counts["queue"] += 1
            return self._queue_page(nxt, self.faults.queue_seconds or 0, ticket)
        wait = (self.faults.queue_seconds or 0) - (time.monotonic() - queued)
        if wait > 0:
            return self._queue_page(nxt, wait, None)
        if self.faults.captcha:
            return self._captcha_page(nxt, ticket)
        return self._grant(ticket, nxt)

    def _queue_page(self, nxt: str, wait: float, new_ticket: str | None) -> Response:
        seconds = max(1, int(wait + 0.999))
        target = f"{GATE_PREFIX}queue?next={quote(nxt)}"
        head = f'<meta http-equiv="refresh" content="{seconds};url={e(target)}">'
        body = (f'<div id="ddos-queue"><h1>DDoS protection</h1><p>You are in the queue. Please wait '
                f'<span class="queue-timer">{seconds}</span> seconds.</p></div>')
        headers = [("Set-Cookie", f"ddos_q={new_ticket}; Path=/; HttpOnly")] if new_ticket else []
        return Response(200, page("Queue", body, head), headers=headers)

    def _captcha_page(self, nxt: str, ticket: str, error: str = "") -> Response:
        cid = self._new_captcha(ticket)
        with self._lock:
            self.counts["captcha"] += 1
        err = f'<p class="error">{e(error)}</p>' if error else ""
        body = (f'<div class="ddos-captcha"><h1>Prove you are human</h1>{err}'
                f'<form id="captcha-form" method="post" action="{GATE_PREFIX}captcha">'
                f'<img class="captcha-image" src="{GATE_PREFIX}captcha.svg?c={cid}" alt="captcha">'
                f'<input type="hidden" name="c" value="{cid}"><input type="hidden" name="next" value="{e(nxt)}">'
                '<input type="text" name="captcha"><button type="submit">Enter</button></form></div>')
        return Response(200, page("Security check", body))

    def _captcha_answer(self, req: Request, ticket: str) -> Response:
        form = _form(req)
        nxt = _safe_next(form.get("next", "/"))
        with self._lock:
            entry = self.state.captchas.pop(form.get("c", ""), None)
        if entry is None or entry[1] != ticket or form.get("captcha", "").strip().upper() != entry[0]:
            return self._captcha_page(nxt, ticket, "Wrong answer, try again.")
        return self._grant(ticket, nxt)

    def _grant(self, ticket: str, nxt: str) -> Response:
        token = secrets.token_hex(12)
        with self._lock:
            self.state.passes[token] = (ticket, 0)
            self.counts["passes"] += 1
        return redirect(nxt, ("Set-Cookie", f"ddos_pass={token}; Path=/; HttpOnly"))

    # -- 18+ entry form ---------------------------------------------------------------------------

    def _age(self, req: Request) -> Response | None:
        if req.path == GATE_PREFIX + "age":
            form = _form(req) if req.method == "POST" else {k: v[0] for k, v in req.query.items()}
            if form.get("agree") == "yes":
                return redirect(_safe_next(form.get("next", "/")), ("Set-Cookie", "age_ok=1; Path=/"))
        elif req.cookies.get("age_ok") == "1":
            return None
        with self._lock:
            self.counts["age"] += 1
        body = ('<div class="age-gate"><h1>18+</h1><p>This shop is for adults only.</p>'
                f'<form id="age-form" method="post" action="{GATE_PREFIX}age">'
                f'<input type="hidden" name="next" value="{e(_safe_next(req.path))}">'
                '<label><input type="checkbox" name="agree" value="yes"> I am 18 or older</label>'
                '<button type="submit">Enter</button></form>'
                f'<p><a class="enter-link" href="{GATE_PREFIX}age?agree=yes&amp;next={e(quote(_safe_next(req.path)))}">'
                "I am 18+, enter</a></p></div>")
        return Response(200, page("Age check", body))

    # -- login captcha, PGP 2FA, session expiry (abyss) -------------------------------------------

    def _login_faults(self, req: Request) -> Response:
        token = req.cookies.get(SESSION_COOKIE, "")
        if req.path == "/login" and self.faults.login_captcha:
            if req.method == "POST" and not self._login_captcha_ok(req):
                return self._with_login_captcha(self.site.handle(Request("GET", "/login", {}, req.headers)),
                                                "Wrong captcha.")
            if req.method != "POST":
                return self._with_login_captcha(self.site.handle(req))
        if req.path == "/2fa" and self.faults.pgp_2fa_public_key:
            return self._twofa(req, token)
        with self._lock:
            pending = token in self.state.twofa
            expired = token in self.state.expired
        if pending and req.path != "/login":
            return redirect("/2fa")
        if expired and req.path != "/login":
            return redirect("/login")
        resp = self.site.handle(req)
        if req.path == "/login" and req.method == "POST" and self.faults.pgp_2fa_public_key:
            new = _session_token(resp)
            if new:
                code = secrets.token_hex(4)
                with self._lock:
                    self.state.twofa[new] = code
                return redirect("/2fa", *[h for h in resp.headers if h[0] == "Set-Cookie"])
        if self.faults.expire_after and token and resp.status == 200:
            with self._lock:
                n = self.state.session_use[token] = self.state.session_use.get(token, 0) + 1
                if n >= self.faults.expire_after:
                    self.state.expired.add(token)
                    self.counts["expired"] += 1
        return resp

    def _login_captcha_ok(self, req: Request) -> bool:
        form = _form(req)
        with self._lock:
            entry = self.state.captchas.pop(form.get("captcha_id", ""), None)
        return entry is not None and form.get("captcha", "").strip().upper() == entry[0]

    def _with_login_captcha(self, resp: Response, error: str = "") -> Response:
        cid = self._new_captcha("")
        with self._lock:
            self.counts["login_captcha"] += 1
        err = f'<p class="error captcha-error">{e(error)}</p>' if error else ""
        extra = (f'{err}<img class="login-captcha" src="{GATE_PREFIX}captcha.svg?c={cid}" alt="captcha">'
                 f'<input type="hidden" name="captcha_id" value="{cid}">'
                 '<label>Captcha <input type="text" name="captcha"></label>')
        resp.body = resp.body.replace('<button type="submit">Login</button>', extra + '<button type="submit">Login'
                                      "</button>", 1)
        return resp

    def _twofa(self, req: Request, token: str) -> Response:
        import pgpy

        with self._lock:
            code = self.state.twofa.get(token)
        if code is None:
            return redirect("/login")
        if req.method == "POST":
            if _form(req).get("code", "").strip() == code:
                with self._lock:
                    self.state.twofa.pop(token, None)
                return redirect("/")
            return redirect("/login")
        with self._lock:
            self.counts["twofa"] += 1
        assert self.faults.pgp_2fa_public_key is not None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            key, _ = pgpy.PGPKey.from_blob(self.faults.pgp_2fa_public_key)
            message = key.encrypt(pgpy.PGPMessage.new(f"Abyss login check. Your code: {code}\n"))
        body = ('<div class="twofa"><h1>Two-factor check</h1><p>Decrypt this message and enter the code.</p>'
                f'<pre class="pgp-challenge">{e(message)}</pre>'
                '<form id="twofa-form" method="post" action="/2fa"><input type="text" name="code">'
                '<button type="submit">Verify</button></form></div>')
        return Response(200, page("2FA", body))


def _session_token(resp: Response) -> str | None:
    for name, value in resp.headers:
        if name == "Set-Cookie" and value.startswith(SESSION_COOKIE + "="):
            return value.split("=", 1)[1].split(";", 1)[0]
    return None


def analyst_keypair() -> tuple[str, str]:
    """A fresh (private, public) armored RSA key pair for the analyst (tests and the demo)."""
    import pgpy
    from pgpy.constants import CompressionAlgorithm, HashAlgorithm, KeyFlags, PubKeyAlgorithm, SymmetricKeyAlgorithm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = pgpy.PGPKey.new(PubKeyAlgorithm.RSAEncryptOrSign, 2048)
        uid = pgpy.PGPUID.new("testbed analyst", email="analyst@testbed.invalid")
        key.add_uid(uid, usage={KeyFlags.Sign, KeyFlags.EncryptCommunications, KeyFlags.EncryptStorage},
                    hashes=[HashAlgorithm.SHA256], ciphers=[SymmetricKeyAlgorithm.AES256],
                    compression=[CompressionAlgorithm.Uncompressed])
        return str(key), str(key.pubkey)
