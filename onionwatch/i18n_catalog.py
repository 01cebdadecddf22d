"""Message catalogs from the sources: extract every msgid (babel.cfg), update each language's .po, list the
untranslated. Run by `scripts/i18n`; tests/onionwatch/test_i18n_catalog.py fails while any msgid is untranslated.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from onionwatch.i18n import DOMAIN, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]  # the repository (an editable install) holding babel.cfg
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")


def po_path(root: Path, lang: str) -> Path:
    return root / "onionwatch" / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract(root: Path = ROOT) -> Any:
    """A Babel Catalog of every msgid in the sources named by ``root``/babel.cfg, with their locations."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(root / "babel.cfg"))
    template = Catalog(project="onionwatch", domain=DOMAIN, charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(root: Path, lang: str) -> Any:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(root, lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="onionwatch", charset="utf-8")
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def write(root: Path, lang: str, catalog: Any) -> Path:
    """Write the .po atomically (a temp file in the same folder, then rename)."""
    from babel.messages.pofile import write_po

    path = po_path(root, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".po-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write_po(f, catalog, width=116, omit_header=False, sort_output=True, ignore_obsolete=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def untranslated(catalog: Any, template: Any) -> list[Any]:
    """The template's messages the catalog lacks, leaves empty (any plural form) or marks fuzzy."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        strings = [] if found is None else found.string if isinstance(found.string, tuple | list) else [found.string]
        if found is None or found.fuzzy or not strings or not all(strings):
            missing.append(message)
    return missing


def describe(message: Any) -> str:
    where = ", ".join(f"{file}:{line}" for file, line in message.locations[:3])
    ident = message.id if isinstance(message.id, str) else " | ".join(message.id)
    return f"  {ident!r}  ({where})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n", description=__doc__)
    parser.add_argument("--check", action="store_true", help="only report untranslated msgids; write nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    template = extract(args.root)
    status = 0
    for lang in TRANSLATED:
        catalog = read(args.root, lang)
        if not args.check:
            catalog.update(template, no_fuzzy_matching=True)
            path = write(args.root, lang, catalog)
            print(f"{path.relative_to(args.root)}: {len(template)} msgids", file=sys.stderr)
        missing = untranslated(catalog, template)
        if missing:
            status = 1
            print(f"{lang}: {len(missing)} msgid(s) without a translation:", file=sys.stderr)
            for message in missing:
                print(describe(message), file=sys.stderr)
        else:
            print(f"{lang}: every msgid is translated", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
