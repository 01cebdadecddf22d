"""config/fx.yaml loader on hostile files: one FxConfigError naming the file, in bounded time."""

from __future__ import annotations

from pathlib import Path

import pytest

from onionwatch.extractors.fx import FxConfigError, FxTable


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00\x81rates\x00" * 1000, "not UTF-8 text"),
        (b"[" * 50_000 + b"]" * 50_000, "malformed YAML"),
        (b"rates: " + b"{a: " * 50_000 + b"1" + b"}" * 50_000, "malformed YAML"),
        (b"rates:\n  '2020-01-01': {USD: 1, RUB: .nan}\n", r"rates.2020-01-01.RUB: must be a positive number"),
        (b"rates:\n  '2020-01-01': {USD: .inf}\n", r"rates.2020-01-01.USD: must be a positive number"),
    ],
    ids=["binary", "deep-list", "deep-map", "nan", "inf"],
)
def test_hostile_fx_file(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "fx.yaml"
    f.write_bytes(content)
    with pytest.raises(FxConfigError, match=message) as info:
        FxTable.load(f)
    assert str(info.value).startswith(f"{f}: ") and "\n" not in str(info.value)
