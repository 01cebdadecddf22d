"""The admins' users page: /users lists accounts; POST /users/role and /users/disable change them.

Creating users and setting passwords stay on the command line (`onionwatch users`): a password never passes
through a web form here. The app has checked the session, the admin role, the CSRF token and the origin;
each change is written to the audit trail first (fail closed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from onionwatch.errors import AuditError, InputError
from onionwatch.i18n import gettext as _

if TYPE_CHECKING:
    from onionwatch.dashboards.app import DashboardApp
    from onionwatch.dashboards.sessions import Session

Form = dict[str, list[str]]


class UserViews:
    def __init__(self, app: DashboardApp) -> None:
        self.app = app

    def handle(self, path: str, method: str, session: Session, form: Form) -> tuple[int, str]:
        try:
            if path == "/users" and method in ("GET", "HEAD"):
                return self.page(session, "")
            if path in ("/users/role", "/users/disable") and method == "POST":
                return self.change(path, session, form)
        except InputError as exc:
            return self.app.error(400, str(exc))
        except AuditError as exc:
            self.app.log(exc)
            return self.app.error(503, _("the audit trail cannot be written; refused (logged on the server)"))
        if path == "/users":
            return self.app.error(405, _("GET or HEAD"))
        return self.app.error(404, _("no such page"))

    def page(self, session: Session, message: str) -> tuple[int, str]:
        from onionwatch.dashboards.accounts import ROLES
        from onionwatch.i18n import default_language

        return 200, self.app.render("users.html", path="/users", session=session, users=self.app.accounts.users(),
                                    roles=ROLES, message=message, default_lang=default_language())

    def change(self, path: str, session: Session, form: Form) -> tuple[int, str]:
        name = form.get("user", [""])[0]
        accounts = self.app.accounts
        if accounts.get(name) is None:
            raise InputError(_("no user %(name)r") % {"name": name[:64]})
        if name == session.user:
            raise InputError(_("change your own account from the command line (`onionwatch users`)"))
        if path == "/users/role":
            role = form.get("role", [""])[0]
            from onionwatch.dashboards.accounts import check_role

            check_role(role)
            self.app.audit.append(session.user, "user.role", name, {"role": role, "via": "dashboard"})
            accounts.set_role(name, role)
            return self.page(session, _("%(name)s is now %(role)s") % {"name": name, "role": _(role)})
        self.app.audit.append(session.user, "user.disable", name, {"via": "dashboard"})
        accounts.disable(name)
        self.app.sessions.drop_user(name)
        return self.page(session, _("%(name)s disabled") % {"name": name})
