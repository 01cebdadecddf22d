"""`onionwatch extract`: JSON lines {"id", "text"} in, one extraction per line out (JSON lines)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO, Any

import click

from onionwatch import jsonout

MAX_LINE = 2_000_000  # characters; longer lines are rejected with their line number


class _Errors:
    """Reports malformed lines on stderr as they are met, and counts them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, lineno: int, message: str) -> None:
        self.count += 1
        click.echo(f"line {lineno}: {message}", err=True)


def _records(stream: IO[str], error: _Errors) -> Iterator[tuple[int, Any, str]]:
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        if len(line) > MAX_LINE:
            error(lineno, f"line longer than {MAX_LINE} characters")
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as exc:  # ValueError: JSONDecodeError, or an integer of > 4300 digits
            msg = (f"{exc.msg} (column {exc.colno})" if isinstance(exc, json.JSONDecodeError)
                   else "nested too deeply" if isinstance(exc, RecursionError) else "a number of more than 4300 digits")
            error(lineno, f"invalid JSON: {msg}")
            continue
        if not isinstance(obj, dict):
            error(lineno, 'expected a JSON object with "id" and "text"')
            continue
        text = obj.get("text")
        if not isinstance(text, str):
            error(lineno, '"text" must be a string')
            continue
        yield lineno, obj.get("id"), text


@click.command("extract")
@click.argument("input_file", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
@click.option("--lang", type=click.Choice(["en", "ru"]), default=None, help="Force a language (default: detect).")
@click.option("--fx", "fx_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="FX table (default: config/fx.yaml).")  # fmt: skip
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=256, show_default=True)
def extract(input_file: IO[str], lang: str | None, fx_path: str | None, batch_size: int) -> None:
    """Extract substances, quantities and prices from JSON lines {"id", "text"} (FILE or stdin).

    Writes one JSON line per input line: {"id", "lang", "substances", "quantity", "dose", "price",
    "price_usd", "tiers"}. Malformed lines are reported on stderr with their line number; the other
    lines are still processed and the exit status is 1 if any line failed.
    """
    from onionwatch.extractors.fx import FxConfigError
    from onionwatch.extractors.pipeline import Extractor

    try:
        extractor = Extractor(fx_path=fx_path)
    except FxConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    error = _Errors()
    out = sys.stdout
    batch: list[tuple[int, Any, str]] = []

    def flush() -> None:
        results = extractor.extract_many([t for _, _, t in batch], lang=lang, batch_size=batch_size)
        for (_, rid, _), res in zip(batch, results, strict=True):
            line = jsonout.dumps({"id": rid, **res.to_dict()}) + "\n"
            out.write(line.encode("utf-8", errors="replace").decode("utf-8"))  # no lone surrogates
        batch.clear()

    for rec in _records(input_file, error):
        batch.append(rec)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    out.flush()
    if error.count:
        click.echo(f"extract: {error.count} line(s) failed", err=True)
        sys.exit(1)
