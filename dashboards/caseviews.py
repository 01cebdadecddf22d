"""The dashboard's case pages and audit view: /cases (list), /cases/view?id=N (material: members only),
POST /cases/new, /cases/members, /cases/hold (supervisors), POST /cases/file (file a listing, vendor or
search in a case), POST /searches/save (a search of one's own), /audit (auditors and admins: the latest audit entries).

The app (dashboards/app.py) has already checked the session, the role's path prefix and, for POSTs, the CSRF
token and origin. Every case view and change is written to the audit trail first (fail closed)."""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from onionwatch.dashboards.cases import SEE_ALL, Case, Cases
from onionwatch.dashboards.params import Params
from onionwatch.errors import AuditError, InputError
from onionwatch.i18n import gettext as _

if TYPE_CHECKING:
    from starlette.requests import Request

    from onionwatch.dashboards.app import DashboardApp
    from onionwatch.dashboards.sessions import Session

Form = dict[str, list[str]]
AUDIT_SHOWN = 200


def _one(form: Form, name: str) -> str:
    return form.get(name, [""])[0].strip()


class CaseViews:
    def __init__(self, app: DashboardApp) -> None:
        self.app = app

    @property
    def cases(self) -> Cases:
        return Cases(self.app.accounts.db)  # this thread's connection (dashboards/accounts.py)

    def handle(self, request: Request, session: Session, form: Form) -> tuple[int, str]:
        path, method = request.url.path, request.method
        query = parse_qs(request.url.query)
        try:
            if path == "/audit" and method in ("GET", "HEAD"):
                return self.audit_page(session)
            if path == "/cases" and method in ("GET", "HEAD"):
                return self.list_page(session, "")
            if path == "/cases/view" and method in ("GET", "HEAD"):
                return self.case_page(session, _case_id(query.get("id", [""])[0]), "")
            if method == "POST" and path in ("/cases/new", "/cases/members", "/cases/hold", "/cases/file"):
                return self.change(path, session, form)
            if method == "POST" and path == "/searches/save":
                return self.save_search(session, form)
        except InputError as exc:
            return self.app.error(400, str(exc))
        except AuditError as exc:
            self.app.log(exc)
            return self.app.error(503, _("the audit trail cannot be written; refused (logged on the server)"))
        if path in ("/audit", "/cases", "/cases/view"):
            return self.app.error(405, _("only GET and HEAD are supported"))
        return self.app.error(404, _("no such page"))

    def _visible(self, session: Session, case_id: int) -> Case | None:
        case = self.cases.get(case_id)
        return case if case is not None and self.cases.may_see(case, session.user, session.role) else None

    def list_page(self, session: Session, message: str) -> tuple[int, str]:
        rows = self.cases.visible(session.user, session.role)
        return 200, self.app.render("cases.html", path="/cases", session=session, cases=rows, message=message,
                                    manage=session.role in SEE_ALL,
                                    searches=self.cases.saved_searches(owner=session.user))

    def case_page(self, session: Session, case_id: int, message: str) -> tuple[int, str]:
        case = self.cases.get(case_id)
        if case is None:
            return self.app.error(404, _("no case %(id)s") % {"id": case_id})
        if not self.cases.may_see(case, session.user, session.role):
            self.app.audit.append(session.user, "case.refused", str(case_id), {"via": "dashboard"})
            return self.app.error(403, _("you are not a member of this case"))
        self.app.audit.append(session.user, "view.case", str(case_id), {"via": "dashboard"})
        return 200, self.app.render("case.html", path="/cases", session=session, case=case,
                                    items=self.cases.items(case_id), message=message,
                                    searches=self.cases.saved_searches(case_id=case_id),
                                    manage=session.role in SEE_ALL)

    def change(self, path: str, session: Session, form: Form) -> tuple[int, str]:
        user = session.user
        if path == "/cases/new":
            case = self.cases.add(_one(form, "title"))
            self.app.audit.append(user, "case.add", str(case.id), {"title": case.title, "via": "dashboard"})
            return self.case_page(session, case.id, _("case opened"))
        case_id = _case_id(_one(form, "case"))
        if self._visible(session, case_id) is None:
            return self.app.error(403, _("you are not a member of this case"))
        if path == "/cases/members":
            member, remove = _one(form, "user"), _one(form, "remove") == "1"
            if self.app.accounts.get(member) is None:
                raise InputError(_("no user %(name)r") % {"name": member[:64]})
            self.app.audit.append(user, "case.member.remove" if remove else "case.member.add", str(case_id),
                                  {"user": member, "via": "dashboard"})
            self.cases.member(case_id, member, remove)
            return self.case_page(session, case_id, _("members changed"))
        if path == "/cases/hold":
            on = _one(form, "hold") == "1"
            self.app.audit.append(user, "case.hold" if on else "case.release", str(case_id), {"via": "dashboard"})
            self.cases.hold(case_id, on)
            return self.case_page(session, case_id, _("legal hold on") if on else _("legal hold off"))
        kind, key = _one(form, "kind"), _one(form, "key")
        if kind == "search":
            self.cases.save_search(_one(form, "name") or key, key, case_id=case_id)
        self.app.audit.append(user, "case.file", str(case_id), {"kind": kind, "key": key, "via": "dashboard"})
        self.cases.file(case_id, kind, key, _one(form, "tags"), _one(form, "note"), user)
        return self.case_page(session, case_id, _("%(kind)s filed") % {"kind": _(kind)})

    def save_search(self, session: Session, form: Form) -> tuple[int, str]:
        """Save a search as the user's own (a case's saved searches are filed on the case page)."""
        query = _one(form, "q")
        if not query:
            raise InputError(_("q: the search to save is empty"))
        self.app.audit.append(session.user, "search.save", query, {"via": "dashboard"})
        self.cases.save_search(_one(form, "name") or query, query, owner=session.user)
        return self.list_page(session, _("search saved"))

    def file_form(self, session: Session, kind: str, params: Params) -> dict[str, Any]:
        """What the listing/vendor page needs for its "file in a case" form."""
        key = f"{params.values.get('market', '')}:{params.values.get('id', '')}"
        return {"kind": kind, "key": key, "csrf": session.csrf,
                "cases": self.cases.visible(session.user, session.role)}

    def audit_page(self, session: Session) -> tuple[int, str]:
        self.app.audit.append(session.user, "view.audit", "", {"via": "dashboard"})
        latest = list(deque(self.app.audit.entries(), maxlen=AUDIT_SHOWN))
        latest.reverse()
        return 200, self.app.render("audit.html", path="/audit", session=session, entries=latest,
                                    shown=AUDIT_SHOWN)


def _case_id(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise InputError(_("case: %(text)r is not a case number") % {"text": text[:20]})
    return int(text)
