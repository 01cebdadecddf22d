"""Archived pages and evidence bundles in the dashboard: /archive (our page around a sandboxed frame),
/archive/raw (the archived HTML itself, sandboxed by CSP) and POST /evidence/bundle (a signed bundle as .zip).

Access is the listing/vendor page's: the analysis roles (dashboards/app.py ``ALLOWED``), never auditors. The
archived body is attacker-controlled: it is only ever answered under ``RAW_CSP`` (sandbox: no scripts, no
forms, no same-origin; no network but data: images) with nosniff, and framed by ``<iframe sandbox="">``.
Every view and download is written to the audit trail first (fail closed: what cannot be audited is refused).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.responses import Response

from onionwatch import evidence_bundle as eb
from onionwatch.dashboards.params import BadRequest, Params
from onionwatch.errors import AuditError, EvidenceError, InputError
from onionwatch.i18n import gettext as _
from onionwatch.paths import data_dir

if TYPE_CHECKING:
    from onionwatch.dashboards.app import DashboardApp
    from onionwatch.dashboards.sessions import Session

RAW_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
PATHS = ("/archive", "/archive/raw", "/evidence/bundle")
CHARSET_RE = re.compile(r"charset=([A-Za-z0-9_.:-]{1,40})", re.I)
Form = dict[str, list[str]]


def archive_root() -> Path:
    return Path(os.environ.get("ONIONWATCH_ARCHIVE_DIR") or data_dir() / "archive")


def item_query(market: str, kind: str, item_id: str, n: int | None = None) -> str:
    values = {"market": market, "kind": kind, "id": item_id, **({"n": str(n)} if n else {})}
    return urlencode(values)


class ArchiveViews:
    def __init__(self, app: DashboardApp, root: Path | None = None) -> None:
        self.app = app
        self.root = root

    def handle(self, path: str, method: str, query: str, session: Session, form: Form) -> Response:
        try:
            if path == "/evidence/bundle":
                if method != "POST":
                    return self._error(405, _("download a bundle with the form on the listing or vendor page (POST)"))
                return self.bundle(session, form)
            if method not in ("GET", "HEAD"):
                return self._error(405, _("only GET and HEAD are supported"))
            params = Params(query)
            item = self._item(params.values)
            n = params.values.get("n", "")
            return self.raw(session, item, n) if path == "/archive/raw" else self.page(session, item, n)
        except (BadRequest, InputError) as exc:
            return self._error(400, str(exc))
        except EvidenceError as exc:
            return self._error(404, str(exc))
        except AuditError as exc:  # fail closed
            self.app.log(exc)
            return self._error(503, _("the audit trail cannot be written; refused (logged on the server)"))

    # --- the pages ------------------------------------------------------------------------------------------

    def _item(self, values: dict[str, str]) -> eb.Item:
        market, kind, item_id = (values.get(k, "").strip() for k in ("market", "kind", "id"))
        if kind not in ("listing", "vendor"):
            raise InputError(_("kind: 'listing' or 'vendor'"))
        for name, value in (("market", market), ("id", item_id)):
            if not value or len(value) > 200 or any(ord(ch) < 32 for ch in value):
                raise InputError(_("%(field)s: required, at most 200 characters, no control characters")
                                 % {"field": name})
        if "/" in market or market.startswith("."):
            raise InputError(_("market: not a market name"))
        return eb.Item(market, kind, item_id)

    def _captures(self, item: eb.Item) -> list[eb.Capture]:
        record = eb.lookup(self.app.store, item)
        try:
            return eb.find_captures(self.root or archive_root(), item.market, record["url"])
        except EvidenceError as exc:
            self.app.log(exc)  # names the server's archive folder: logged, not shown
            raise EvidenceError(_("%(item)s: no archived page (was it crawled with the archive on?)")
                                % {"item": item}) from None

    @staticmethod
    def _pick(captures: list[eb.Capture], n: str) -> tuple[int, eb.Capture]:
        if not n:
            return len(captures), captures[-1]
        if not n.isdigit() or not 1 <= int(n) <= len(captures):
            raise InputError(_("n: a capture number from 1 to %(n)s") % {"n": len(captures)})
        return int(n), captures[int(n) - 1]

    def page(self, session: Session, item: eb.Item, n_text: str) -> Response:
        captures = self._captures(item)
        n, cap = self._pick(captures, n_text)
        self.app.audit.append(session.user, "view.archive", str(item),
                              {"capture": n, "record": cap.record_id, "via": "dashboard"})  # fmt: skip
        body = self.app.render(
            "archive.html", path="/archive", session=session, item=item, n=n, cap=cap,
            digest=hashlib.sha256(cap.raw).hexdigest(), captures=list(enumerate(captures, 1)),
            frame=f"/archive/raw?{item_query(item.market, item.kind, item.id, n)}",
            link=lambda i: f"/archive?{item_query(item.market, item.kind, item.id, i)}",
            back=f"/{item.kind}?{urlencode({'market': item.market, 'id': item.id})}",
        )  # fmt: skip
        return self.app.html(200, body)

    def raw(self, session: Session, item: eb.Item, n_text: str) -> Response:
        n, cap = self._pick(self._captures(item), n_text)
        self.app.audit.append(session.user, "view.archive", str(item),
                              {"capture": n, "record": cap.record_id, "part": "frame", "via": "dashboard"})  # fmt: skip
        charset = CHARSET_RE.search(cap.content_type)
        media = f"text/html; charset={charset.group(1)}" if charset else "text/html"
        return Response(cap.body, status_code=200, media_type=None, headers={
            "Content-Type": media, "Content-Security-Policy": RAW_CSP, "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store",
            "Cross-Origin-Resource-Policy": "same-origin", "Referrer-Policy": "no-referrer"})  # fmt: skip

    # --- the bundle download --------------------------------------------------------------------------------

    def bundle(self, session: Session, form: Form) -> Response:
        from onionwatch import evidence_keys

        item = self._item({k: v[0] for k, v in form.items() if v})
        case_text = form.get("case", [""])[0].strip()
        if not case_text.isdigit() or len(case_text) > 12:
            raise InputError(_("case: choose one of your cases"))
        cases = self.app.cases.cases
        case = cases.get(int(case_text))
        if case is None or not cases.may_see(case, session.user, session.role):
            self.app.audit.append(session.user, "evidence.refused", str(item), {"case": case_text,
                                                                                 "via": "dashboard"})
            return self._error(403, _("you are not a member of this case"))
        try:
            key = evidence_keys.load()
        except EvidenceError as exc:
            self.app.log(exc)
            return self._error(409, _("no usable signing key on the server; an administrator runs "
                                      "`onionwatch evidence keygen` first"))  # fmt: skip
        captures = self._captures(item)
        record = eb.lookup(self.app.store, item)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        name = f"{item.slug}_{stamp}"
        with tempfile.TemporaryDirectory(prefix="onionwatch-bundle-") as tmp:
            out = Path(tmp) / name
            manifest = eb.build(out, item, record, captures, case=str(case.id), operator=session.user, key=key,
                                renderer=None, audit=self.app.audit)  # fmt: skip
            data = io.BytesIO()
            with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(out.rglob("*")):
                    if path.is_file():
                        zf.write(path, f"{name}/{path.relative_to(out).as_posix()}")
        payload = data.getvalue()
        self.app.audit.append(session.user, "evidence.download", str(item), {
            "case": str(case.id), "zip_sha256": hashlib.sha256(payload).hexdigest(),
            "manifest_files": len(manifest["files"]), "via": "dashboard"})  # fmt: skip
        return Response(payload, media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'})  # fmt: skip

    def form(self, session: Session, kind: str, params: Params) -> dict[str, Any]:
        """What the listing/vendor page needs for its archive link and bundle form."""
        market, item_id = params.values.get("market", ""), params.values.get("id", "")
        return {"kind": kind, "market": market, "id": item_id, "csrf": session.csrf,
                "archive": f"/archive?{item_query(market, kind, item_id)}",
                "cases": self.app.cases.cases.visible(session.user, session.role)}  # fmt: skip

    def _error(self, status: int, message: str) -> Response:
        return self.app.html(*self.app.error(status, message))
