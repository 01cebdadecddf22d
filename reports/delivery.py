"""Report delivery: the hook a scheduled report's files go through once written.

``deliver_report(paths, config)`` is the one place the mail module is wired in (onionwatch/notify/mail.py,
built separately): until then a configured delivery fails loudly, so a report that should have been
e-mailed never passes as sent. With no `delivery:` in the schedule file it does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from onionwatch.errors import ReportOutputError


def attachments(paths: Sequence[Path], config: dict[str, Any]) -> list[Path]:
    """The files to attach: those whose suffix is in ``config["attach"]`` (csv: every table's CSV)."""
    kinds = {f".{k}" for k in config.get("attach") or ()}
    return [p for p in paths if p.suffix in kinds]


def deliver_report(paths: Sequence[Path], config: dict[str, Any] | None) -> list[str]:
    """Send the report ``paths`` to ``config["mail_to"]``; returns the recipients. No config: nothing, [].

    MERGE: wire to the mail module here (send one message per report with ``attachments(paths, config)``).
    """
    if not config:
        return []
    raise ReportOutputError(
        f"delivery: e-mail to {', '.join(config['mail_to'])} is configured but this build has no mail module"
        f" (report written: {paths[0].parent if paths else '-'})"
    )
