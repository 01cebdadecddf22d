"""`onionwatch kibana export|import`: write the generated Kibana saved objects, or load them into a Kibana."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from onionwatch.errors import OnionwatchError

_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,100}$")
prefix_option = click.option(
    "--prefix",
    default="onionwatch",
    show_default=True,
    help="Index prefix of the Elasticsearch store (the path or ?index_prefix= of its URL).",
)


def _ndjson(prefix: str) -> str:
    from onionwatch.dashboards.kibana.objects import saved_objects, to_ndjson

    if not _PREFIX_RE.match(prefix):
        raise OnionwatchError(f"--prefix: {prefix!r} must be lowercase letters, digits, '_', '-', '.'")
    return to_ndjson(saved_objects(prefix))


@click.group()
def kibana() -> None:
    """Kibana dashboards for an Elasticsearch store (data views, visualisations, two dashboards)."""


@kibana.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (default stdout).")
@prefix_option
def export(output: Path | None, prefix: str) -> None:
    """Write the saved objects as NDJSON (import them in Kibana: Stack Management > Saved objects)."""
    text = _ndjson(prefix)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as e:
        raise OnionwatchError(f"{output}: cannot write: {e.strerror or e}") from e
    click.echo(f"wrote {text.count(chr(10))} saved objects to {output}", err=True)


@kibana.command("import")
@click.option("--url", required=True, help="Kibana base URL, e.g. http://127.0.0.1:5601")
@prefix_option
@click.option("--space", default=None, help="Kibana space id (default space when omitted).")
@click.option("--timeout", default=30.0, show_default=True, help="HTTP timeout in seconds.")
def import_(url: str, prefix: str, space: str | None, timeout: float) -> None:
    """Load the saved objects into a Kibana (overwriting earlier versions of them)."""
    import httpx

    if not re.match(r"^https?://[^/\s]+", url):
        raise OnionwatchError(f"--url: {url!r} is not an http(s) URL")
    if space is not None and not re.match(r"^[a-z0-9_-]{1,100}$", space):
        raise OnionwatchError(f"--space: {space!r} is not a Kibana space id (a-z, 0-9, '_', '-')")
    base = url.rstrip("/") + (f"/s/{space}" if space else "")
    endpoint = f"{base}/api/saved_objects/_import"
    body = _ndjson(prefix).encode()
    try:
        resp = httpx.post(
            endpoint,
            params={"overwrite": "true"},
            headers={"kbn-xsrf": "true", "osd-xsrf": "true"},
            files={"file": ("onionwatch.ndjson", body, "application/ndjson")},
            timeout=timeout,
        )
    except httpx.HTTPError as e:
        raise OnionwatchError(f"Kibana at {url}: unreachable ({type(e).__name__}: {e})") from e
    if resp.status_code != 200:
        raise OnionwatchError(f"Kibana at {url}: import failed with HTTP {resp.status_code}: {resp.text[:300]}")
    try:
        result = resp.json()
    except ValueError:
        raise OnionwatchError(f"Kibana at {url}: answer is not JSON: {resp.text[:200]}") from None
    errors = result.get("errors") or []
    if not result.get("success") or errors:
        first = errors[0] if errors else {}
        raise OnionwatchError(
            f"Kibana at {url}: {len(errors)} object(s) not imported; first: "
            f"{first.get('type')}/{first.get('id')}: {first.get('error')}"
        )
    click.echo(f"imported {result.get('successCount', 0)} saved objects into {base}")
