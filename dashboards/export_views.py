"""Dashboard downloads: GET /export/search|vendor|alerts|case with the page's own parameters plus ``format``
(csv, csv-ru, xlsx; for a vendor or case also misp, stix, maltego). Roles as the pages (dashboards/app.py
ALLOWED); a case only for its members (dashboards/cases.py). Every file is audited (who, what, format, rows,
sha256) before it is sent; the temporary file is removed once sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response

from onionwatch.dashboards import pages
from onionwatch.dashboards.cases import Cases
from onionwatch.dashboards.params import SEARCH_PARAMS, BadRequest, Params, search_form
from onionwatch.errors import AuditError, InputError, NothingToExport, StoreError
from onionwatch.exports import output, sources
from onionwatch.exports.table import Export
from onionwatch.i18n import gettext as _
from onionwatch.paths import data_dir

if TYPE_CHECKING:
    from onionwatch.dashboards.app import DashboardApp
    from onionwatch.dashboards.sessions import Session
    from onionwatch.indexer.store import Store

PAGE_PARAMS = {"search": SEARCH_PARAMS,
               "vendor": {"market", "id"}, "alerts": {"since", "limit"}, "case": {"id"}}  # fmt: skip
# format parameter -> (export format, CSV locale, link label)
FORMATS = {"csv": ("csv", "en", "CSV"), "csv-ru": ("csv", "ru", "CSV (Excel, ru: ';')"), "xlsx": ("xlsx", "en", "XLSX"),
           "misp": ("misp", "en", "MISP event"), "stix": ("stix", "en", "STIX 2.1"),
           "maltego": ("maltego", "en", "Maltego CSV")}  # fmt: skip
PATHS = {f"/export/{kind}" for kind in PAGE_PARAMS}


def links(kind: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, url) of every format a page offers; ``values`` are the page's parameters (paging dropped)."""
    clean = {k: v for k, v in values.items() if v not in (None, "", [], ()) and k not in ("page", "per_page")}
    names = [f for f in FORMATS if kind in ("vendor", "case") or FORMATS[f][0] not in output.IDENTIFIER_FORMATS]
    return [(_(FORMATS[f][2]), f"/export/{kind}?{urlencode({**clean, 'format': f}, doseq=True)}") for f in names]


class ExportViews:
    def __init__(self, app: DashboardApp) -> None:
        self.app = app

    def handle(self, path: str, method: str, query: str, session: Session) -> Response:
        kind = path.removeprefix("/export/")
        if method != "GET":
            return self._error(405, _("only GET is supported"))
        try:
            params = Params(query)
            pages.check_known(params, PAGE_PARAMS[kind] | {"format"})
            choice = params.text("format") or ""
            if choice not in FORMATS:
                raise BadRequest(f"format: one of {', '.join(FORMATS)}")
            fmt, locale, _label = FORMATS[choice]
            output.check_format(kind, fmt)
            export = self._export(kind, params, session)
            if export is None:
                return self._error(403, _("you are not a member of this case"))
            return self._send(export, fmt, locale, session)
        except (BadRequest, InputError) as exc:
            status = 404 if isinstance(exc, NothingToExport) else 400
            return self._error(status, str(exc))
        except StoreError as exc:
            self.app.log(exc)
            return self._error(503, f"the store could not answer: {exc}")
        except AuditError as exc:  # fail closed: what cannot be audited is not sent
            self.app.log(exc)
            return self._error(503, _("the audit trail cannot be written; the export is refused"))

    def _export(self, kind: str, params: Params, session: Session) -> Export | None:
        store: Store = self.app.store
        if kind == "search":
            form = search_form(params)
            if form.errors:  # the search page shows them next to the kept search; an export is refused
                raise BadRequest("; ".join(form.errors))
            return sources.search_export(store, form.query)
        if kind == "vendor":
            return sources.vendor_export(store, params.required("market"), params.required("id"))
        if kind == "alerts":
            return sources.alerts_export(store, params.date("since"), params.integer("limit", 5000, 1, 5000))
        case_id = params.integer("id", 0, 1, 10**12)
        cases = Cases(self.app.accounts.db)
        case = cases.get(case_id)
        if case is None:
            raise NothingToExport(f"no case {case_id}")
        if not cases.may_see(case, session.user, session.role):
            self.app.audit.append(session.user, "case.refused", str(case_id), {"via": "dashboard", "export": True})
            return None
        return sources.case_export(store, cases, case_id)

    def _send(self, export: Export, fmt: str, locale: str, session: Session) -> Response:
        spool = data_dir() / "exports-tmp"  # the file waits here until sent: 0700, never a shared /tmp
        spool.mkdir(parents=True, exist_ok=True, mode=0o700)
        written = output.render(export, fmt, spool, locale)
        try:
            output.audit(self.app.audit, session.user, export, fmt, written, "dashboard")
        except BaseException:
            written.path.unlink(missing_ok=True)
            raise
        headers = {"Content-Disposition": output.content_disposition(written.filename),
                   "X-Export-Rows": str(written.rows), "X-Export-SHA256": written.sha256,
                   "X-Export-Truncated": f"yes: {export.total} matched" if export.truncated else "no"}  # fmt: skip
        return FileResponse(written.path, media_type=written.media_type, headers=headers,
                            background=BackgroundTask(written.path.unlink, missing_ok=True))  # fmt: skip

    def _error(self, status: int, message: str) -> Response:
        code, body = self.app.error(status, message)
        return self.app.html(code, body)
