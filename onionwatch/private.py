"""Investigation data at rest: directories 0700, files 0600, store URLs shown without their credentials."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077


def restrict_umask() -> int:
    """Make every file and directory this process (and its children) creates private; returns the old mask."""
    return os.umask(UMASK)


def private_dir(path: Path | str) -> Path:
    """Create `path` and any missing parents as 0700; an existing directory we own is narrowed to 0700.

    `Path.mkdir(mode=...)` applies the mode to the last component only (parents get the umask's) and leaves
    an existing directory as it is: both would leave a world-listable data dir behind. OSError as raised.
    """
    path = Path(path)
    missing: list[Path] = []
    cursor = path
    while not cursor.exists() and cursor != cursor.parent:
        missing.append(cursor)
        cursor = cursor.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another process made it first
            directory.mkdir(mode=DIR_MODE)
        os.chmod(directory, DIR_MODE)  # mkdir's mode is filtered by the umask; chmod is not
    st = path.stat()
    if not stat.S_ISDIR(st.st_mode):  # as mkdir(exist_ok=True) says it
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    # an existing shared directory (sticky, like /tmp) is never narrowed: only our own data directories
    if not missing and st.st_uid == os.geteuid() and not st.st_mode & stat.S_ISVTX:
        os.chmod(path, DIR_MODE)
    return path


def open_private(path: Path | str, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """os.open with mode 0600 (the file descriptor of a file only its owner can read)."""
    return os.open(path, flags, FILE_MODE)


def redact_url(url: str | None) -> str:
    """`url` with any `user:password@` replaced by `***@`, for messages and logs (other URLs unchanged)."""
    if not url:
        return url or ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparseable URL)"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, f"***@{host}", parts.path, parts.query, parts.fragment))


def secret_problem(path: Path | str, *, repo: Path | None = None) -> str | None:
    """Why the secret file at `path` (a password, a token) must not be used, or None when it may.

    Like ssh: a regular file of this user, no access for group or others (0600/0400), and outside the
    source tree (`repo`, default: the folder holding the onionwatch package), where a commit could take it.
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        return f"cannot read ({exc.strerror or exc})"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    if st.st_mode & 0o077:
        return f"other users can access it (mode {st.st_mode & 0o777:04o}); run chmod 600 {path}"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return "owned by another user"
    root = (repo or Path(__file__).resolve().parent.parent).resolve()
    if path.resolve().is_relative_to(root):
        return f"inside the source tree {root}; keep secrets outside it"
    return None


def read_secret(path: Path | str, *, repo: Path | None = None) -> str:
    """The first line of a secret file checked by `secret_problem`; ValueError naming the problem."""
    problem = secret_problem(path, repo=repo)
    if problem is None:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            problem = f"cannot read ({exc})"
        else:
            if lines and lines[0]:
                return lines[0]
            problem = "empty (the first line is the secret)"
    raise ValueError(problem)
