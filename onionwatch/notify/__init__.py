"""Alert delivery: notify.yaml (config.py), SMTP (mail.py), webhooks (webhook.py), bodies (render.py), the
immediate and daily-digest senders (digest.py). Nothing here runs unless notify.yaml exists."""

from __future__ import annotations

from onionwatch.notify.config import NotifyConfig


def allow_egress(cfg: NotifyConfig | None) -> None:
    """Let the egress guard (onionwatch/netguard.py) connect to exactly the configured SMTP/webhook hosts."""
    if cfg is not None:
        from onionwatch import netguard

        netguard.allow(cfg.endpoints())
