"""Alert mails and webhook bodies: plain text, escaped HTML and JSON from alert rows (indexer/watch_alerts.py).

Titles, vendors and URLs are scraped text: the HTML escapes every one of them (a listing URL is shown as
text, never as a link: only the dashboard link, built here from the market and id, is clickable); the text
and subject drop control characters so nothing can forge a header or a terminal escape.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from onionwatch.i18n import gettext as _
from onionwatch.indexer.watch_alerts import change_pct
from onionwatch.notify.mail import one_line


def _usd(v: Any) -> str:
    return "—" if v is None else f"${float(v):,.2f}"


def price_text(a: dict[str, Any]) -> str:
    """"$40.00", or for a price alert "$40.00 → $36.00 (−10.0 %)"."""
    pct = change_pct(a)
    if a.get("kind") == "price" and pct is not None:
        return f"{_usd(a.get('old_price_usd'))} → {_usd(a.get('price_usd'))} ({pct:+.1f} %)"
    return _usd(a.get("price_usd"))


def listing_link(a: dict[str, Any], dashboard_url: str | None) -> str | None:
    if not dashboard_url:
        return None
    return f"{dashboard_url}/listing?{urlencode({'market': a['market'], 'id': a['listing_id']})}"


def kind_label(a: dict[str, Any]) -> str:
    return _("price change") if a.get("kind") == "price" else _("new listing")


def subject(alerts: Sequence[dict[str, Any]], *, digest: bool = False) -> str:
    if digest:
        return one_line(_("onionwatch digest: %(n)s unacknowledged alert(s)") % {"n": len(alerts)})
    if len(alerts) == 1:
        a = alerts[0]
        return one_line(f"onionwatch: {a['watch_name']}: {kind_label(a)}: {a.get('title') or a['listing_id']}")
    watches = sorted({a["watch_name"] for a in alerts})
    return one_line(_("onionwatch: %(n)s alerts") % {"n": len(alerts)} + f" ({', '.join(watches)})")


def text(alerts: Sequence[dict[str, Any]], dashboard_url: str | None = None) -> str:
    lines = []
    for a in alerts:
        lines.append(f"[{kind_label(a)}] {one_line(a['watch_name'], 200)}: {one_line(a.get('title') or '', 300)}")
        lines.append(f"  {_('market')}: {one_line(a['market'], 100)}  {_('listing')}: "
                     f"{one_line(a['listing_id'], 100)}  {_('vendor')}: {one_line(a.get('vendor') or '', 100)}")
        lines.append(f"  {_('price')}: {price_text(a)}  {_('seen')}: {a['observed_at']}  "
                     f"{_('raised')}: {a['created_at']}")
        if a.get("url"):
            lines.append(f"  {_('listing URL')}: {one_line(a['url'], 500)}")
        link = listing_link(a, dashboard_url)
        if link:
            lines.append(f"  {_('dashboard')}: {link}")
        lines.append("")
    return "\n".join(lines)


def html_body(alerts: Sequence[dict[str, Any]], dashboard_url: str | None = None) -> str:
    e = html.escape
    rows = []
    for a in alerts:
        link = listing_link(a, dashboard_url)
        title = e(a.get("title") or a["listing_id"])
        title_cell = f'<a href="{e(link)}">{title}</a>' if link else title
        rows.append(
            f"<tr><td>{e(kind_label(a))}</td><td>{e(a['watch_name'])}</td><td>{title_cell}</td>"
            f"<td>{e(a['market'])}</td><td>{e(a.get('vendor') or '')}</td><td>{e(price_text(a))}</td>"
            f"<td>{e(a['observed_at'])}</td><td><code>{e(a.get('url') or '')}</code></td></tr>"
        )
    head = "".join(f"<th>{e(h)}</th>" for h in (_("Alert"), _("Watch"), _("Listing"), _("Market"), _("Vendor"),
                                                 _("Price"), _("Seen"), _("Listing URL")))
    return (f'<!doctype html><html><body><table border="1" cellpadding="4"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></body></html>")


def payload(alerts: Sequence[dict[str, Any]], dashboard_url: str | None = None) -> dict[str, Any]:
    """The webhook JSON body: {"event": "onionwatch.alerts", "alerts": [...]} (values as stored)."""
    keep = ("id", "watch_id", "watch_name", "kind", "market", "listing_id", "url", "title", "vendor", "price_usd",
            "old_price_usd", "price_amount", "price_currency", "observed_at", "created_at")
    return {"event": "onionwatch.alerts",
            "alerts": [{**{k: a.get(k) for k in keep}, "dashboard_url": listing_link(a, dashboard_url)}
                       for a in alerts]}  # fmt: skip
