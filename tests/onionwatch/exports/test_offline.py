"""The export libraries (openpyxl, pymisp, stix2) never reach out: every format is produced in a process whose
sockets and name lookups raise, so a library that phoned home on import or use would fail the export."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.onionwatch.exports.hostile import make_store

SCRIPT = r"""
import socket, sys
def refuse(*args, **kwargs):
    raise SystemExit(f"network use: {args!r}")
socket.socket.connect = socket.socket.connect_ex = refuse
socket.getaddrinfo = socket.create_connection = socket.gethostbyname = refuse
import io
from onionwatch.exports import csv_format, maltego_format, misp_format, sources, stix_format, xlsx_format
from onionwatch.indexer.store import open_store
store = open_store(sys.argv[1], create=False)
for module in (csv_format, xlsx_format, misp_format, stix_format, maltego_format):
    assert module.write(sources.vendor_export(store, "klad", "k-evil"), io.BytesIO()) > 0
print("offline ok")
"""


def test_every_format_works_without_network(tmp_path: Path) -> None:
    url = make_store(tmp_path)
    proc = subprocess.run([sys.executable, "-c", SCRIPT, url], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "offline ok", proc.stderr[-2000:]
