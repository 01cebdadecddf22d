"""Atomic report output: every file is written to a temporary sibling and renamed into place."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from onionwatch.errors import ReportOutputError
from onionwatch.private import private_dir


def prepare_dir(path: Path) -> Path:
    """Create ``path`` (and parents); ReportOutputError naming it when that is impossible."""
    if path.exists() and not path.is_dir():
        raise ReportOutputError(f"{path}: not a directory")
    try:
        private_dir(path)  # reports name vendors: 0700 here, and mkstemp makes each file 0600
    except OSError as e:
        raise ReportOutputError(f"{path}: cannot create directory: {e.strerror or e}") from e
    return path


def write_all(directory: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write every {name: text} into ``directory``: all contents are ready before the first rename, and
    each file appears whole (temp file + fsync + os.replace) or not at all."""
    prepare_dir(directory)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in files.items():
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            staged.append((name, Path(tmp_name)))
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
                fh.flush()
                os.fsync(fh.fileno())
        written: list[Path] = []
        for name, staged_path in staged:
            os.replace(staged_path, directory / name)
            written.append(directory / name)
        return written
    except OSError as e:
        raise ReportOutputError(f"{directory}: cannot write report: {e.strerror or e}") from e
    finally:
        for _, tmp in staged:
            tmp.unlink(missing_ok=True)
