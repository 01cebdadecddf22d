"""Market definitions for testbed markets served with faults: config/markets/<market>.yaml plus the `gates:`
section that passes the faults a `FaultPlan` turns on (the same markers as tests/fixtures/markets/*gate.yaml).

`write_definitions(directory, plans)` writes one YAML per market (same market name) for ONIONWATCH_MARKETS_DIR.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from onionwatch.paths import MARKETS_DIR
from onionwatch.testbed.faults import FaultPlan

# CSS present on a market's pages once a gate is passed
_SUCCESS = {"abyss": "div.listing-grid, div.listing-detail, div.vendor-profile, div.login-box, div.featured",
            "kladmen": "div.goroda, table.vitrina, div.kartochka"}
PAUSE_MINUTES = 5  # the analyst's stand-in answers in about a second; a person would need longer


def gates_section(market: str, plan: FaultPlan) -> dict[str, Any]:
    """The definition's `gates:` for `plan` on `market` ({} when no gate fault is on)."""
    on, success = plan.faults, _SUCCESS[market]
    entry: list[dict[str, Any]] = []
    gates: dict[str, Any] = {}
    if "queue" in on or "captcha" in on:
        entry.append({"kind": "wait-queue", "marker": "div#ddos-queue", "timer": "span.queue-timer::text",
                      "success": f"{success}, div.age-gate", "max_wait": 30})
    if "age" in on:
        entry.append({"kind": "submit-form", "marker": "div.age-gate", "css": "form#age-form",
                      "fields": {"agree": "yes"}, "success": success})
    if entry:
        gates["entry"] = entry
    if "captcha" in on:
        gates["captcha"] = {"marker": "form#captcha-form", "image": "img.captcha-image::attr(src)",
                            "form": "form#captcha-form", "answer_field": "captcha", "pause_minutes": PAUSE_MINUTES}
    if "login-captcha" in on:
        gates["login_captcha"] = {"marker": "form#login-form img.login-captcha",
                                  "image": "img.login-captcha::attr(src)", "form": "form#login-form",
                                  "answer_field": "captcha", "pause_minutes": PAUSE_MINUTES}
    if "2fa" in on:
        gates["pgp_2fa"] = {"marker": "pre.pgp-challenge", "message": "pre.pgp-challenge::text",
                            "form": "form#twofa-form", "answer_field": "code", "key": market}
    return gates


def write_definitions(directory: Path, plans: dict[str, FaultPlan]) -> list[Path]:
    """Write `<market>.yaml` for each market of `plans` into `directory` (created); returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for market, plan in plans.items():
        definition = yaml.safe_load((MARKETS_DIR / f"{market}.yaml").read_text(encoding="utf-8"))
        gates = gates_section(market, plan)
        if gates:
            definition["gates"] = gates
        path = directory / f"{market}.yaml"
        path.write_text(yaml.safe_dump(definition, allow_unicode=True, sort_keys=False), encoding="utf-8")
        paths.append(path)
    return paths
