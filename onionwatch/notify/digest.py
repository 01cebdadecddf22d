"""Sending alerts: at once when a batch raises them (send_immediate) and as a daily digest (send_digest).

Public and stable (the report scheduler calls send_digest)::

    send_digest(store, cfg, since=None) -> Delivery   # one mail of every unacknowledged, undigested alert
    send_immediate(store, cfg) -> Delivery            # alerts not yet notified, by mail and webhooks

Both mark what they sent in the store (digest_at, notified_at) only after every channel accepted it, so a
failed delivery is tried again next time, and running them twice sends nothing twice. A failure raises
DeliveryError after the other channels were tried (nothing is marked then).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from onionwatch.errors import DeliveryError
from onionwatch.notify import render
from onionwatch.notify.config import NotifyConfig
from onionwatch.notify.mail import send_mail
from onionwatch.notify.webhook import post_json

IMMEDIATE_WINDOW = timedelta(days=1)  # older unnotified alerts go to the digest, not an immediate mail


@dataclass
class Delivery:
    alerts: int = 0  # alerts delivered (and marked)
    mails: int = 0
    webhooks: int = 0
    failures: list[str] = field(default_factory=list)


def send_digest(store: Any, cfg: NotifyConfig, since: str | None = None) -> Delivery:
    """One mail to the default recipients listing every unacknowledged alert not yet in a digest
    (raised at or after `since` when given); then marks them digest_at. No alert: no mail."""
    rows = store.alerts(since, unacked=True, unmarked="digest_at")
    out = Delivery()
    if not rows:
        return out
    if cfg.smtp is None:
        raise DeliveryError(f"{cfg.source}: smtp: not configured; the digest needs it")
    send_mail(cfg, cfg.recipients(), render.subject(rows, digest=True), render.text(rows, cfg.dashboard_url),
              render.html_body(rows, cfg.dashboard_url))
    out.mails = 1
    out.alerts = store.mark_alerts([a["id"] for a in rows], "digest_at")
    return out


def send_immediate(store: Any, cfg: NotifyConfig, now: datetime | None = None) -> Delivery:
    """Mail each not-yet-notified alert of the last day to its watch's recipients (one mail per recipient
    list) and post them to every webhook; then mark them notified_at."""
    since = ((now or datetime.now(UTC)) - IMMEDIATE_WINDOW).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = store.alerts(since, unacked=True, unmarked="notified_at")
    out = Delivery()
    if not rows:
        return out
    if cfg.smtp is not None:
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for a in rows:
            groups.setdefault(cfg.recipients(a["watch_name"]), []).append(a)
        for to, alerts in groups.items():
            try:
                send_mail(cfg, to, render.subject(alerts), render.text(alerts, cfg.dashboard_url),
                          render.html_body(alerts, cfg.dashboard_url))
                out.mails += 1
            except DeliveryError as exc:
                out.failures.append(str(exc))
    for hook in cfg.webhooks:
        try:
            post_json(hook, render.payload(rows, cfg.dashboard_url))
            out.webhooks += 1
        except DeliveryError as exc:
            out.failures.append(str(exc))
    if out.failures:
        raise DeliveryError("; ".join(out.failures))
    if out.mails or out.webhooks:
        out.alerts = store.mark_alerts([a["id"] for a in rows], "notified_at")
    return out
