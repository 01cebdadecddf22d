"""Report downloads from the Emerging page: /emerging/report.pdf and /emerging/report.xlsx.

The report for the page's period (``days`` ending ``ref``, inclusive) is built from the store and rendered
as the scheduled report is (reports/). Every download is written to the audit trail first, as
``report.export`` (fail closed: an export that cannot be audited is refused). File names carry the
period's first and inclusive last day, as the report's title does.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from starlette.responses import Response

from onionwatch.dashboards.params import BadRequest, Params
from onionwatch.errors import AuditError, ReportOutputError, StoreError

if TYPE_CHECKING:
    from onionwatch.dashboards.app import DashboardApp
    from onionwatch.dashboards.sessions import Session

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"/emerging/report.pdf": ("pdf", "application/pdf"), "/emerging/report.xlsx": ("xlsx", XLSX)}
PATHS = tuple(KINDS)


class ReportViews:
    def __init__(self, app: DashboardApp) -> None:
        self.app = app

    def handle(self, path: str, method: str, query: str, session: Session) -> Response:
        if method not in ("GET", "HEAD"):
            return self._error(405, "only GET and HEAD are supported")
        try:
            return self.download(path, Params(query), session)
        except BadRequest as exc:
            return self._error(400, str(exc))
        except StoreError as exc:
            self.app.log(exc)
            return self._error(503, f"the store could not answer: {exc}")
        except ReportOutputError as exc:
            self.app.log(exc)
            return self._error(503, f"the report could not be made: {exc}")
        except AuditError as exc:
            self.app.log(exc)
            return self._error(503, "the audit trail cannot be written; the export is refused")

    def download(self, path: str, params: Params, session: Session) -> Response:
        from onionwatch.dashboards.pages import check_known
        from onionwatch.reports.emerging import gather
        from onionwatch.reports.pdf import html_to_pdf
        from onionwatch.reports.period import Period
        from onionwatch.reports.render import render_html
        from onionwatch.reports.xlsx import render_xlsx

        check_known(params, {"days", "ref"})
        days = params.integer("days", 30, 1, 3650)
        ref_text = params.date("ref")
        ref = date.fromisoformat(ref_text[:10]) if ref_text else datetime.now(UTC).date()
        try:
            period = Period(ref - timedelta(days=days - 1), ref + timedelta(days=1))
            for _i in range(5):
                period.previous()
        except OverflowError:
            raise BadRequest(f"ref: {ref.isoformat()} with days={days} is outside the calendar") from None
        kind, media = KINDS[path]
        data = gather(self.app.store, period, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
        payload = html_to_pdf(render_html(data)) if kind == "pdf" else render_xlsx(data)
        name = f"emerging_{period.label}.{kind}"
        self.app.audit.append(session.user, "report.export", name, {
            "since": period.start.isoformat(), "last_day": period.last_day.isoformat(), "format": kind,
            "sha256": hashlib.sha256(payload).hexdigest(), "via": "dashboard"})  # fmt: skip
        return Response(payload, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    def _error(self, status: int, message: str) -> Response:
        return self.app.html(*self.app.error(status, message))
