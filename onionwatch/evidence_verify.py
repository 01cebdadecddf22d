"""Check an evidence bundle: the manifest's signature, every file's SHA-256, no file missing or added."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from onionwatch import evidence_keys
from onionwatch.evidence_bundle import MANIFEST, SIGNATURE, SIGNER


@dataclass
class BundleCheck:
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    signer: str = ""
    files: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(bundle: Path, name: str, check: BundleCheck) -> bytes | None:
    try:
        return (bundle / name).read_bytes()
    except FileNotFoundError:
        check.problems.append(f"{name}: missing")
    except OSError as exc:
        check.problems.append(f"{name}: cannot read ({exc.strerror or exc})")
    return None


def _records(bundle: Path) -> dict[str, str]:
    """warc/NNN.warc.gz -> its WARC record id and URI (from metadata.json, for naming a tampered record)."""
    try:
        meta = json.loads((bundle / "metadata.json").read_bytes())
        return {c["warc"]: f"record {c['warc_record_id']} of {c['target_uri']}" for c in meta["captures"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def verify(bundle: Path, expected_key: bytes | None = None) -> BundleCheck:
    check = BundleCheck()
    if not bundle.is_dir():
        check.problems.append(f"{bundle}: not a bundle directory")
        return check
    manifest_bytes, signature, pub = (_read(bundle, n, check) for n in (MANIFEST, SIGNATURE, SIGNER))
    if manifest_bytes is None:
        return check
    try:
        check.manifest = json.loads(manifest_bytes)
        files = check.manifest["files"]
        assert isinstance(files, dict)
    except (ValueError, KeyError, AssertionError, TypeError):
        check.problems.append(f"{MANIFEST}: not a bundle manifest (damaged)")
        return check
    if signature is not None and pub is not None:
        key = evidence_keys.load_public(pub, SIGNER)
        check.signer = evidence_keys.fingerprint(key)
        if not evidence_keys.check(key, manifest_bytes, signature):
            check.problems.append(f"{MANIFEST}: signature does not match (manifest or {SIGNATURE} altered)")
        if check.manifest.get("signer") != check.signer:
            check.problems.append(f"{SIGNER}: not the key the manifest names ({check.manifest.get('signer')})")
        if expected_key is not None:
            wanted = evidence_keys.fingerprint(evidence_keys.load_public(expected_key, "--key"))
            if wanted != check.signer:
                check.problems.append(f"{SIGNER}: signed by {check.signer}, not by the expected key {wanted}")
    records = _records(bundle)
    for name, digest in sorted(files.items()):
        path = bundle / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            check.problems.append(f"{name}: path outside the bundle in the manifest")
        elif path.is_symlink():
            check.problems.append(f"{name}: a symbolic link, not the file itself")
        elif not path.is_file():
            check.problems.append(f"{name}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            what = f" ({records[name]})" if name in records else ""
            check.problems.append(f"{name}: SHA-256 differs from the manifest: tampered{what}")
        else:
            check.files += 1
    known = {*files, MANIFEST, SIGNATURE, SIGNER}
    for path in sorted(bundle.rglob("*")):
        rel = path.relative_to(bundle).as_posix()
        if (path.is_file() or path.is_symlink()) and rel not in known:
            check.problems.append(f"{rel}: not in the manifest (added)")
    return check
