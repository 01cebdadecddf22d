"""The Russian catalog is complete: every msgid of every template and Python `_()` call has a translation that
keeps its placeholders; `scripts/i18n` updates a catalog and names what is missing (exit 1)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from onionwatch import i18n_catalog
from onionwatch.i18n_catalog import ROOT, extract, read, untranslated

PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]")


@pytest.fixture(scope="module")
def template():  # type: ignore[no-untyped-def]
    return extract(ROOT)


def test_extraction_reaches_templates_and_python(template) -> None:  # type: ignore[no-untyped-def]
    files = {path for m in template for path, _ in m.locations}
    assert "dashboards/templates/base.html" in files and "dashboards/app.py" in files
    assert template.get("Search") is not None  # app.py's NAV, marked with N_()
    assert template.get("Log out") is not None  # base.html


@pytest.mark.parametrize("lang", i18n_catalog.TRANSLATED)
def test_every_msgid_is_translated(template, lang: str) -> None:  # type: ignore[no-untyped-def]
    missing = untranslated(read(ROOT, lang), template)
    assert not missing, "run scripts/i18n and translate:\n" + "\n".join(map(i18n_catalog.describe, missing))


@pytest.mark.parametrize("lang", i18n_catalog.TRANSLATED)
def test_translations_keep_their_placeholders(lang: str) -> None:
    wrong = []
    for message in read(ROOT, lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
        wrong += [ids[0] for s in strings if s and sorted(set(PLACEHOLDER.findall(s))) != wanted]
    assert wrong == []


def test_script_updates_the_catalog_and_lists_what_is_missing(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "dashboards" / "templates").mkdir(parents=True)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    po = i18n_catalog.po_path(root, "ru")
    po.parent.mkdir(parents=True)
    shutil.copy(i18n_catalog.po_path(ROOT, "ru"), po)
    (root / "dashboards" / "templates" / "x.html").write_text('<p>{{ _("Log out") }} {{ _("Brand new text") }}</p>')
    proc = subprocess.run([sys.executable, "-m", "onionwatch.i18n_catalog", "--root", str(root)],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 1
    assert "ru: 1 msgid(s) without a translation" in proc.stderr
    assert "'Brand new text'  (dashboards/templates/x.html:1)" in proc.stderr
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Brand new text"' in text and 'msgstr "Выйти"' in text
    assert 'msgid "Search"' not in text  # no longer used there: dropped
    assert not list(po.parent.glob(".po-*"))  # written via a temp file and a rename
    check = subprocess.run([sys.executable, "-m", "onionwatch.i18n_catalog", "--root", str(root),
                            "--check"], capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert check.returncode == 1 and po.read_text(encoding="utf-8") == text
