"""Sessions logged into by hand: `onionwatch session import MARKET cookies.txt` (Netscape format, as Tor
Browser's cookie export add-ons write it).

The cookies are checked (7 tab-separated fields, a domain that is one of the market's mirrors, a sane name and
value) and kept in <user config dir>/sessions/<market>.json (directory 0700, file 0600), never printed. The next
crawl of the market sends them and skips the login while they work; when a page shows the login again the
crawl forgets them and logs in with the market's credentials (if there are any).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from onionwatch.crawler.markets import MarketDefinition
from onionwatch.errors import InputError
from onionwatch.paths import user_config_dir

MAX_FILE = 1024 * 1024
MAX_COOKIES = 200
_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}")


def session_file(market: str) -> Path:
    return user_config_dir() / "sessions" / f"{market}.json"


def parse_netscape(text: str, source: str, hosts: set[str]) -> dict[str, str]:
    """{name: value} of the cookies for `hosts` in a Netscape cookies.txt; InputError naming file:line."""
    cookies: dict[str, str] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip("\r\n")
        if line.startswith("#HttpOnly_"):
            line = line[len("#HttpOnly_"):]
        elif not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 7:
            raise InputError(f"{source}:{n}: not a Netscape cookie line (7 tab-separated fields, found {len(parts)})")
        domain, _, _path, _secure, expires, name, value = parts
        domain = domain.lstrip(".").lower()
        if domain not in hosts:
            raise InputError(f"{source}:{n}: domain {domain[:80]!r} is not a mirror of this market "
                             f"({', '.join(sorted(hosts))})")
        if not expires.strip().lstrip("-").isdigit():
            raise InputError(f"{source}:{n}: expiry must be a number (epoch seconds)")
        if not _NAME.fullmatch(name) or len(value) > 4096 or any(c in value for c in ";\0\r\n"):
            raise InputError(f"{source}:{n}: cookie name or value is not valid")
        cookies[name] = value
        if len(cookies) > MAX_COOKIES:
            raise InputError(f"{source}: more than {MAX_COOKIES} cookies")
    if not cookies:
        raise InputError(f"{source}: no cookies in it")
    return cookies


def import_session(definition: MarketDefinition, path: Path) -> tuple[Path, int]:
    """Validate `path` and store its cookies for the market (0600); returns (where, how many)."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise InputError(f"{path}: larger than {MAX_FILE} bytes; not a cookies.txt")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc.__class__.__name__})") from None
    cookies = parse_netscape(text, str(path), definition.hosts())
    target = session_file(definition.name)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(target.parent, 0o700)
    tmp = target.with_name(f".{target.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps(cookies).encode())
    finally:
        os.close(fd)
    os.replace(tmp, target)
    return target, len(cookies)


def imported_cookies(market: str) -> dict[str, str]:
    """The imported cookies of the market ({} when none, or the file is unusable or readable by others)."""
    path = session_file(market)
    try:
        if path.stat().st_mode & 0o077:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}
