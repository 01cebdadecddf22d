"""Report delivery: a scheduled report's files, once written, e-mailed to the schedule's `delivery:` recipients.

``deliver_report(paths, config)`` sends one message per report through the notification mail settings
(onionwatch/notify: notify.yaml, or $ONIONWATCH_NOTIFY_CONFIG), attaching the files whose suffix the
delivery's ``attach`` names. With no `delivery:` in the schedule file it does nothing. A configured delivery
that cannot be sent (no notify.yaml, no SMTP, refused) raises ReportOutputError naming the written report, so
a report that should have been e-mailed never passes as sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from onionwatch.errors import DeliveryError, NotifyConfigError, ReportOutputError


def attachments(paths: Sequence[Path], config: dict[str, Any]) -> list[Path]:
    """The files to attach: those whose suffix is in ``config["attach"]`` (csv: every table's CSV)."""
    kinds = {f".{k}" for k in config.get("attach") or ()}
    return [p for p in paths if p.suffix in kinds]


def _subject(paths: Sequence[Path]) -> str:
    stem = paths[0].stem if paths else ""
    first, _, last = stem.partition("_")
    last = last.split("_", 1)[0]
    return f"onionwatch: emerging substances {first} to {last}" if last else "onionwatch report"


def deliver_report(paths: Sequence[Path], config: dict[str, Any] | None,
                   notify_config: Path | str | None = None) -> list[str]:  # fmt: skip
    """Send the report ``paths`` to ``config["mail_to"]``; returns the recipients. No config: nothing, []."""
    if not config:
        return []
    from onionwatch import notify
    from onionwatch.notify.config import load
    from onionwatch.notify.mail import send_mail

    where = f"report written: {paths[0].parent if paths else '-'}"
    to = list(config["mail_to"])
    files = attachments(paths, config)
    try:
        cfg = load(notify_config, required=True)
        assert cfg is not None
        notify.allow_egress(cfg)
        names = "\n".join(f"- {p.name}" for p in files) or "- (no file attached; see the report folder)"
        text = (f"{_subject(paths)}\n\nAttached:\n{names}\n\nThe report folder on the onionwatch server: "
                f"{paths[0].parent if paths else '-'}\n")
        send_mail(cfg, to, _subject(paths), text, attachments=files)
    except (NotifyConfigError, DeliveryError) as exc:
        raise ReportOutputError(f"delivery: e-mail to {', '.join(to)} failed: {exc} ({where})") from None
    return to
