"""A small real tmpfs for disk-full tests (ENOSPC from the kernel, not a mock).

Mounting needs root (CAP_SYS_ADMIN): CI runs as root, so there the tests must run; elsewhere they skip and
say why. `fill(dir, leave)` fills the file system up to `leave` bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tmpfs(directory: Path, size: str = "2m") -> Iterator[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("no mount(8) here: the disk-full tests need a real tmpfs")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(directory)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        if os.environ.get("CI") == "true" and os.geteuid() == 0:
            pytest.fail(f"CI runs as root, yet mount -t tmpfs failed: {proc.stderr.strip()}")
        pytest.skip(f"cannot mount a tmpfs for the disk-full test (needs root): {proc.stderr.strip()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False, capture_output=True)


def free_bytes(directory: Path) -> int:
    st = os.statvfs(directory)
    return st.f_bavail * st.f_frsize


def fill(directory: Path, leave: int = 0) -> Path:
    """A filler file taking all but `leave` bytes of the file system (page-granular)."""
    filler = directory / "filler"
    with filler.open("ab") as f:
        while free_bytes(directory) > leave:
            try:
                f.write(b"\0" * min(65536, max(free_bytes(directory) - leave, 4096)))
                f.flush()
            except OSError:
                break
    return filler
