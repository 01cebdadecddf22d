"""Everything onionwatch writes is its owner's alone: run the tool as root with a permissive umask (022), in
a data dir that an older version left 0755, then try to read each thing it wrote as `nobody` (setpriv)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawler.conftest import ROOT
from tests.crawler.minimarket import MiniMarket

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv"),
]
NOBODY = 65534
PROBE = """
import json, os, sys
out = {}
for p in json.loads(sys.argv[1]):
    try:
        os.listdir(p) if os.path.isdir(p) else open(p, "rb").read(1)
        out[p] = "READ"
    except PermissionError:
        out[p] = "denied"
    except OSError as e:
        out[p] = type(e).__name__
print(json.dumps(out))
"""
SPOOL_AND_LOG = """
from onionwatch.indexer.spool import Spool
from onionwatch.paths import data_dir
from onionwatch.retention import write_log
spool = Spool(data_dir() / "spool" / "elastic-test")
spool.put([], [], reason="server down")
spool.reject([{"id": "x", "reason": "mapping"}])
write_log(data_dir() / "retention" / "deletions.jsonl", [{"what": "listing a:1", "why": "test"}])
"""


@pytest.fixture
def public_base() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="ow-private-", dir="/tmp"))
    base.chmod(0o755)  # nobody can walk up to the data dir: only the tool's own modes protect it
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _umask022() -> None:
    os.umask(0o022)


def _tool(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
                          preexec_fn=_umask022)  # fmt: skip


def test_nobody_can_read_anything_the_tool_wrote(public_base: Path, crawl_env: dict[str, str]) -> None:
    data = public_base / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)  # as an older onionwatch left it
    env = {**crawl_env, "ONIONWATCH_DATA_DIR": str(data), "ONIONWATCH_CONFIG_DIR": str(public_base / "config"),
           "ONIONWATCH_STORE": ""}  # fmt: skip
    with MiniMarket() as mini:
        crawl = _tool(["-m", "onionwatch.cli", "crawl", "mini", "--mirror", mini.url, "--transport", "direct",
                       "--json", "--no-progress"], env)  # fmt: skip
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    report = _tool(["-m", "onionwatch.cli", "report", "emerging", "--since", "2020-01-01"], env)
    assert report.returncode == 0, report.stderr[-2000:]
    spool = _tool(["-c", SPOOL_AND_LOG], env)
    assert spool.returncode == 0, spool.stderr[-2000:]

    written = sorted(p for p in data.rglob("*"))
    kinds = {p.relative_to(data).parts[0] for p in written}
    assert {"onionwatch.sqlite", "archive", "crawls", "reports", "spool", "retention"} <= kinds
    assert any(p.name.endswith(".warc.gz") for p in written)
    assert any(p.parent.name == "rejected" for p in written)
    loose = [f"{p} {stat.filemode(p.stat().st_mode)}" for p in [data, *written]
             if p.stat().st_mode & 0o077]  # fmt: skip
    assert loose == []  # every directory 0700, every file 0600, the pre-existing data dir included

    targets = [str(p) for p in [data, *written]]
    probe = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                            "/usr/bin/python3", "-c", PROBE, json.dumps(targets)],
                           capture_output=True, text=True, timeout=60, cwd="/")  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    results = json.loads(probe.stdout)
    assert {p: r for p, r in results.items() if r != "denied"} == {}
    assert len(results) == len(targets) > 10


def test_secret_files_are_private_regular_and_outside_the_tree(tmp_path) -> None:
    import os
    from pathlib import Path

    import pytest

    from onionwatch.private import read_secret, secret_problem

    good = tmp_path / "pw"
    good.write_text("s3cret\nignored\n", encoding="utf-8")
    os.chmod(good, 0o600)
    assert secret_problem(good) is None and read_secret(good) == "s3cret"
    os.chmod(good, 0o640)
    assert "other users can access it" in (secret_problem(good) or "")
    assert secret_problem(tmp_path) == "not a regular file"
    assert "cannot read" in (secret_problem(tmp_path / "missing") or "")
    inside = tmp_path / "repo" / "pw"
    inside.parent.mkdir()
    inside.write_text("x\n", encoding="utf-8")
    os.chmod(inside, 0o600)
    assert "inside the source tree" in (secret_problem(inside, repo=Path(tmp_path / "repo")) or "")
    empty = tmp_path / "empty"
    empty.write_text("", encoding="utf-8")
    os.chmod(empty, 0o600)
    with pytest.raises(ValueError, match="empty"):
        read_secret(empty)
