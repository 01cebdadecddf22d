"""The wheel installs one package, `onionwatch`, with its data files, and the demo runs from it.

Built offline from a copy of the repository (`pip wheel --no-build-isolation`, so the copy's `build/` starts
empty and nothing is written into the work tree), installed with `--no-index --no-deps` into a fresh venv.
The dependencies come from the development venv through a `.pth` file holding its site-packages path: a
plain path line adds that directory without running its own .pth files, so the editable install's finder
stays off and `onionwatch` can only come from the wheel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[1]
_NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "var",
                                      ".cache", "*.sqlite", "*.warc.gz")
DATA_FILES = (
    "onionwatch/config/fx.yaml",
    "onionwatch/config/schedule.yaml",
    "onionwatch/config/markets/abyss.yaml",
    "onionwatch/config/markets/kladmen.yaml",
    "onionwatch/extractors/data/substances.yaml",
    "onionwatch/extractors/data/non_drug.yaml",
    "onionwatch/extractors/models/drug_class/config.cfg",
    "onionwatch/extractors/models/drug_class/textcat/model",
    "onionwatch/indexer/schema.sql",
    "onionwatch/dashboards/templates/base.html",
    "onionwatch/dashboards/templates/search.html",
    "onionwatch/dashboards/kibana/onionwatch.ndjson",
    "onionwatch/reports/templates/emerging.html",
    "onionwatch/locale/ru/LC_MESSAGES/onionwatch.po",
)


def _run(args: list[str | Path], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, check=False, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_NOT_SOURCES, symlinks=True)
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                 "-w", tmp / "dist", "."], cwd=src, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    (built,) = (tmp / "dist").glob("onionwatch-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path) -> Path:
    venv = wheel.parent.parent / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", venv]).returncode == 0
    python = venv / "bin" / "python"
    proc = _run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel],
                timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    Path(site, "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ONIONWATCH_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(tmp / "home"), ONIONWATCH_DATA_DIR=str(tmp / "data"),
               ONIONWATCH_CONFIG_DIR=str(tmp / "config"))
    return env


def test_wheel_holds_only_onionwatch_and_its_data(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"onionwatch", wheel.name.split("-py")[0] + ".dist-info"}, sorted(top)
    for stage in ("crawler", "extractors", "indexer", "dashboards", "reports", "testbed", "config"):
        assert f"onionwatch/{stage}/__init__.py" in names, stage
    assert "onionwatch/crawler/spiders/market.py" in names
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing, missing


def test_installed_package_is_the_wheel_and_bare_names_are_gone(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    env = _clean_env(tmp_path)
    proc = _run([python, "-c", "import onionwatch, onionwatch.crawler.items, scrapy; print(onionwatch.__file__)"],
                cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert Path(proc.stdout.strip()).is_relative_to(venv), proc.stdout
    for bare in ("crawler", "extractors", "indexer", "reports", "config", "testbed", "dashboards"):
        proc = _run([python, "-c", f"import {bare}"], cwd=tmp_path, env=env)
        assert proc.returncode != 0 and "ModuleNotFoundError" in proc.stderr, (bare, proc.stderr[-500:])


def test_demo_runs_from_the_installed_wheel(venv: Path, tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    proc = _run([venv / "bin" / "onionwatch", "demo", "--no-serve", "--json", "--listings", "300",
                 "--vendors", "30"], cwd=tmp_path, env=_clean_env(tmp_path), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = json.loads(proc.stdout)
    assert set(summary["markets"]) == {"abyss", "kladmen"}
    for name, m in summary["markets"].items():
        assert m["ground_truth_listings"] == 300 and m["ground_truth_vendors"] == 30, name
        assert m["listings_found"] == m["listings_collected"] == 300, (name, m)
        assert m["vendors_found"] == m["vendors_collected"] == 30, (name, m)
        assert m["all_match"] >= 0.98, (name, m)
    assert summary["store"].startswith(f"sqlite:///{tmp_path / 'data'}")
