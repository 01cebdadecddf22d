"""A private, real redis-server for tests (scripts/redis-server.sh) on ONIONWATCH_TEST_REDIS_PORT (default 6391).

Started once per test session when a test asks for `redis_url`, stopped at the end if this session started it.
Skipped (with the reason) when Debian's redis-server is not installed (scripts/install-system.sh installs it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "redis-server.sh"


def _script(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    if shutil.which("redis-server") is None and not Path("/usr/bin/redis-server").exists():
        pytest.skip("redis-server not installed (scripts/install-system.sh)")
    env = {**os.environ, "ONIONWATCH_REDIS_PORT": os.environ.get("ONIONWATCH_TEST_REDIS_PORT", "6391")}
    started = _script("status", env).returncode != 0
    if started:
        done = _script("start", env)
        assert done.returncode == 0, done.stderr
    yield _script("url", env).stdout.strip()
    if started:
        _script("stop", env)
