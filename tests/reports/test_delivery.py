"""The report delivery hook: nothing without config; a configured delivery never passes silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.errors import ReportOutputError
from onionwatch.reports.delivery import attachments, deliver_report

FILES = [Path(f"/r/2026-03-02_2026-03-08{s}") for s in (".html", ".pdf", ".json", ".xlsx", "_growth.csv")]


def test_no_delivery_configured_sends_nothing() -> None:
    assert deliver_report(FILES, None) == []


def test_attachments_follow_the_config() -> None:
    assert [p.suffix for p in attachments(FILES, {"attach": ["pdf", "xlsx"]})] == [".pdf", ".xlsx"]
    assert [p.name for p in attachments(FILES, {"attach": ["csv"]})] == ["2026-03-02_2026-03-08_growth.csv"]


def test_configured_delivery_without_a_mail_module_fails_loudly() -> None:
    with pytest.raises(ReportOutputError, match="analyst@unit.kz is configured"):
        deliver_report(FILES, {"mail_to": ["analyst@unit.kz"], "attach": ["pdf"]})
