"""`onionwatch evidence keygen|export|verify`: signed evidence bundles of archived listing and vendor pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from onionwatch.errors import EvidenceError


@click.group()
def evidence() -> None:
    """Evidence for court: archived pages, renderings and extraction, digested and signed by the unit's key."""


@evidence.command("keygen")
def keygen() -> None:
    """Make the unit's Ed25519 signing key (0600, config dir); prints only the public key's fingerprint."""
    from onionwatch import evidence_keys

    public = evidence_keys.generate()
    path = evidence_keys.key_path()
    click.echo(f"signing key written to {path} (0600); public key {path.with_suffix('.pub')}")
    click.echo(f"fingerprint {evidence_keys.fingerprint(public)}")


@evidence.command("export")
@click.argument("item", metavar="LISTING_OR_VENDOR")
@click.option("--case", required=True, help="Case id the bundle is made for (letters, digits, . _ -).")
@click.option("--out", "out_dir", type=click.Path(path_type=Path),
              help="Folder to put the bundle in (default: <data dir>/evidence/<case>).")  # fmt: skip
@click.option("--store", "store_url", help="Store URL (default: SQLite in the user data dir).")
@click.option("--archive", "archive_path", type=click.Path(path_type=Path),
              help="WARC archive root (default: $ONIONWATCH_ARCHIVE_DIR or <data dir>/archive).")  # fmt: skip
@click.option("--operator", help="Who exports, for the bundle and the audit trail (default: the Unix user).")
@click.option("--no-render", is_flag=True, help="Skip the Chromium renderings (WARC, record and manifest only).")
def export(item: str, case: str, out_dir: Path | None, store_url: str | None, archive_path: Path | None,
           operator: str | None, no_render: bool) -> None:  # fmt: skip
    """Write a signed bundle for LISTING_OR_VENDOR (MARKET:LISTING_ID or MARKET:vendor:VENDOR_ID)."""
    from onionwatch.netguard import install_for_command

    install_for_command("evidence export", store_url)  # first: nothing may open a socket before the egress guard
    from datetime import UTC, datetime

    from onionwatch import evidence_bundle as eb
    from onionwatch import evidence_keys
    from onionwatch.audit import AuditLog, current_operator
    from onionwatch.evidence_render import Renderer
    from onionwatch.indexer.store import open_store
    from onionwatch.paths import data_dir

    target, case = eb.parse_item(item), eb.check_case(case)
    operator = operator or current_operator()
    key = evidence_keys.load()
    store = open_store(store_url)
    try:
        record = eb.lookup(store, target)
    finally:
        store.close()
    root = archive_path or Path(os.environ.get("ONIONWATCH_ARCHIVE_DIR") or data_dir() / "archive")
    captures = eb.find_captures(root, target.market, record["url"])
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = (out_dir or data_dir() / "evidence" / case) / f"{target.slug}_{stamp}"
    audit = AuditLog()
    if no_render:
        manifest = eb.build(out, target, record, captures, case=case, operator=operator, key=key, renderer=None,
                            audit=audit)  # fmt: skip
    else:
        with Renderer() as renderer:
            manifest = eb.build(out, target, record, captures, case=case, operator=operator, key=key,
                                renderer=renderer, audit=audit)  # fmt: skip
    click.echo(f"{out}: {len(captures)} capture(s), {len(manifest['files'])} files, signed {manifest['signer']}")


@evidence.command("verify")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--key", "key_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Public key the bundle must be signed with (e.g. the unit's signing.pub).")  # fmt: skip
def verify(bundle: Path, key_file: Path | None) -> None:
    """Check the signature and every file's SHA-256; name every tampered, missing or added file (exit 1)."""
    from onionwatch.cmd_search import terminal_safe
    from onionwatch.evidence_verify import verify as check_bundle

    expected = None
    if key_file is not None:
        try:
            expected = key_file.read_bytes()
        except OSError as exc:
            raise EvidenceError(f"--key {key_file}: cannot read ({exc.strerror or exc})") from None
    result = check_bundle(bundle, expected)
    for problem in result.problems:
        click.echo(f"evidence: {terminal_safe(problem)}", err=True)
    if not result.ok:
        click.echo(f"onionwatch: error: {bundle}: bundle does not verify ({len(result.problems)} problem(s))",
                   err=True)
        sys.exit(1)
    m = result.manifest
    click.echo(f"{bundle}: OK, {result.files} files match, signature valid ({result.signer}); "
               f"item {terminal_safe(m.get('item'))}, case {terminal_safe(m.get('case'))}, "
               f"operator {terminal_safe(m.get('operator'))}, exported {terminal_safe(m.get('exported_at'))}")
