"""Watches on the dashboard: /watches lists them with a create form; POST /watches/new, /watches/edit (GET shows
the form), /watches/remove change them; POST /alerts/ack acknowledges alerts (one or the ticked ones).

The app (dashboards/app.py) has checked the session, the role (the analysis roles) and, for POSTs, the CSRF
token and the origin. Every change is written to the audit trail first (fail closed), then to the store; a
successful POST answers 303 to the list (so a reload never repeats it); a refused one shows the form again
with the one-line reason and what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response

from onionwatch.errors import AuditError, InputError, StoreError
from onionwatch.i18n import gettext as _

if TYPE_CHECKING:
    from onionwatch.dashboards.app import DashboardApp
    from onionwatch.dashboards.sessions import Session

Form = dict[str, list[str]]
PATHS = {"/watches", "/watches/new", "/watches/edit", "/watches/remove", "/alerts/ack"}
FIELDS = ("name", "substance", "substance_class", "vendor", "pgp_fingerprint", "keyword", "price_below_usd",
          "market", "price_change_pct")
NUMBERS = ("price_below_usd", "price_change_pct")
MAX_ACK = 1000


def _one(form: Form, name: str) -> str:
    return form.get(name, [""])[0].strip()


def definition_from(form: Form) -> dict[str, Any]:
    """The watch fields of a form, numbers parsed ("10,5" as 10.5); empty fields left out."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        value = _one(form, f)[:300]
        if not value:
            continue
        if f in NUMBERS:
            try:
                out[f] = float(value.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
            except ValueError:
                raise InputError(f"watch: {f}: expected a number, got {value[:40]!r}") from None
        else:
            out[f] = value
    return out


class WatchViews:
    def __init__(self, app: DashboardApp) -> None:
        self.app = app

    def handle(self, path: str, method: str, query: str, session: Session, form: Form) -> Response:
        try:
            if method in ("GET", "HEAD") and path == "/watches":
                return self.page(session)
            if method in ("GET", "HEAD") and path == "/watches/edit":
                from onionwatch.dashboards.params import Params

                wid = Params(query).required("id")
                return self.page(session, editing=self._watch(wid))
            if method == "POST" and path in ("/watches/new", "/watches/edit"):
                return self.save(path, session, form)
            if method == "POST" and path == "/watches/remove":
                return self.remove(session, form)
            if method == "POST" and path == "/alerts/ack":
                return self.ack(session, form)
        except AuditError as exc:
            self.app.log(exc)
            return self.app.html(*self.app.error(503, "the audit trail cannot be written; refused (logged)"))
        except StoreError as exc:
            if "no watch" in str(exc) or "no alert" in str(exc):
                return self.app.html(*self.app.error(404, str(exc)))
            self.app.log(exc)
            return self.app.html(*self.app.error(503, f"the store could not answer: {exc}"))
        except InputError as exc:
            return self.app.html(*self.app.error(400, str(exc)))
        except Exception as exc:  # noqa: BLE001 - the page fails, the server keeps serving; logged
            from onionwatch.dashboards.params import BadRequest

            if isinstance(exc, BadRequest):
                return self.app.html(*self.app.error(400, str(exc)))
            self.app.log(exc)
            return self.app.html(*self.app.error(500, "internal error (logged on the server)"))
        allowed = "POST" if path in ("/watches/new", "/watches/remove", "/alerts/ack") else "GET, HEAD, POST"
        if path == "/watches":
            allowed = "GET, HEAD"
        response = self.app.html(*self.app.error(405, f"use {allowed}"))
        response.headers["Allow"] = allowed
        return response

    def _watch(self, wid: str) -> dict[str, Any]:
        for w in self.app.store.watches():
            if w["id"] == wid:
                return w  # type: ignore[no-any-return]
        raise InputError(f"watch: no watch {wid[:40]!r}")

    def page(self, session: Session, *, editing: dict[str, Any] | None = None, values: dict[str, str] | None = None,
             message: str = "", status: int = 200) -> Response:
        from onionwatch.extractors.lexicon import CLASSES
        from onionwatch.watch_input import known_markets

        store = self.app.store
        if values is None:
            values = {k: _text(v) for k, v in (editing or {}).get("definition", {}).items()}
        body = self.app.render(
            "watches.html", path="/watches", session=session, watches=store.watches(), editing=editing,
            values=values, message=message, classes=CLASSES, markets=known_markets(store),
        )
        return self.app.html(status, body)

    def save(self, path: str, session: Session, form: Form) -> Response:
        from onionwatch.watch_input import known_markets, normalise

        editing = self._watch(_one(form, "id")) if path == "/watches/edit" else None
        store = self.app.store
        try:
            raw = definition_from(form)
            definition = normalise(raw, known_markets(store) if raw.get("market") else ())
            action = "watch.edit" if editing else "watch.add"
            details = {"definition": definition, "via": "dashboard", **({"id": editing["id"]} if editing else {})}
            self.app.audit.append(session.user, action, definition.get("name", ""), details)
            if editing:
                store.update_watch(editing["id"], definition)
            else:
                store.add_watch(definition)
        except (InputError, StoreError) as exc:
            if isinstance(exc, StoreError) and "watch:" not in str(exc):
                raise
            values = {f: _one(form, f)[:300] for f in FIELDS}
            return self.page(session, editing=editing, values=values, message=str(exc), status=400)
        return RedirectResponse("/watches", status_code=303)

    def remove(self, session: Session, form: Form) -> Response:
        w = self._watch(_one(form, "id"))
        self.app.audit.append(session.user, "watch.remove", w["name"],
                              {"id": w["id"], "definition": w["definition"], "via": "dashboard"})
        self.app.store.remove_watch(w["id"])
        return RedirectResponse("/watches", status_code=303)

    def ack(self, session: Session, form: Form) -> Response:
        one = _one(form, "one")
        ids = [one] if one else [i.strip() for i in form.get("id", []) if i.strip()]
        if not ids:
            raise InputError(_("tick at least one alert to acknowledge"))
        if len(ids) > MAX_ACK:
            raise InputError(f"at most {MAX_ACK} alerts at once")
        self.app.audit.append(session.user, "alerts.ack", "", {"ids": ids, "via": "dashboard"})
        self.app.store.acknowledge_alerts(ids, session.user)
        back = {k: _one(form, k) for k in ("since", "unacked", "watch") if _one(form, k)}
        return RedirectResponse("/alerts" + (f"?{urlencode(back)}" if back else ""), status_code=303)


def _text(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)
