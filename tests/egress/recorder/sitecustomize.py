"""Test-only socket recorder, independent of onionwatch's own guard: put this folder on PYTHONPATH.

Every Python process started with it (and its Python children, which inherit PYTHONPATH) appends each
socket event to the JSONL file named by ONIONWATCH_EGRESS_RECORD, one line per event:
{"pid", "event", "host", "port", "loopback", "sends", "blocked"}. A destination outside loopback is recorded
and then refused (PermissionError), so a leak shows up as a recorded event and a failing test, never as
traffic. Only a numeric address handed to getaddrinfo/gethostbyname is let through ("sends": false: it is
parsed, not looked up); the connection that may follow is checked like any other.

ONIONWATCH_EGRESS_RECORD_AFTER_GUARD=1 installs onionwatch's guard first, so the product's hook sees each
call before the recorder (which then records only what the guard let through).
It deliberately imports nothing from onionwatch otherwise.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import threading

_PATH = os.environ.get("ONIONWATCH_EGRESS_RECORD")
_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
           "socket.getnameinfo", "socket.sendto", "socket.sendmsg"}
_local = threading.local()
_lock = threading.Lock()


def _loopback(host: str) -> bool:
    host = host.strip("[]").lower().rstrip(".")
    if host in ("", "localhost") or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def _numeric(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True


def _where(event: str, args: tuple) -> tuple[str, object] | None:
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1]
        if not isinstance(address, tuple) or len(address) < 2 or not isinstance(address[0], (str, bytes)):
            return None  # unix / netlink sockets, or a connected socket's sendmsg
        host = address[0].decode() if isinstance(address[0], bytes) else address[0]
        return host, address[1]
    if event == "socket.getaddrinfo":
        host = args[0].decode() if isinstance(args[0], bytes) else (args[0] or "")
        return host, args[1]
    if event == "socket.getnameinfo":
        return (str(args[0][0]), args[0][1]) if isinstance(args[0], tuple) else None
    return str(args[0]), None


def _hook(event: str, args: tuple) -> None:
    if event not in _EVENTS or getattr(_local, "busy", False):
        return
    where = _where(event, args)
    if where is None:
        return
    host, port = where
    loopback = _loopback(host)
    # a numeric address given to getaddrinfo/gethostbyname is parsed, not looked up: nothing is sent
    sends = not (event in ("socket.getaddrinfo", "socket.gethostbyname") and _numeric(host))
    blocked = sends and (not loopback or port == 53)  # a loopback stub resolver forwards to the clear net
    _local.busy = True
    try:
        line = json.dumps({"pid": os.getpid(), "event": event, "host": host, "port": port, "loopback": loopback,
                           "sends": sends, "blocked": blocked, "argv0": sys.argv[:2]}, default=str)
        with _lock, open(_PATH, "a", encoding="utf-8") as f:  # type: ignore[arg-type]
            f.write(line + "\n")
    finally:
        _local.busy = False
    if blocked:
        raise PermissionError(13, f"test recorder: {event} to {host}:{port} blocked (outside loopback)")


if _PATH:
    if os.environ.get("ONIONWATCH_EGRESS_RECORD_AFTER_GUARD") == "1":
        from onionwatch import netguard

        netguard.install()
    sys.addaudithook(_hook)
