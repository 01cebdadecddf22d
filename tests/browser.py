"""Shared settings for the real-Chromium tests: Debian's chromium, flags that keep it off the network."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]  # fmt: skip

# in CI a missing Chromium is a failure, not a skip
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM) and not IN_CI, reason="chromium not installed (runs in CI)"),
]
