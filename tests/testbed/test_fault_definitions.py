"""testbed/fault_definitions.py: the gated definitions the faults demo writes validate and hold the gates."""

from __future__ import annotations

from pathlib import Path

from onionwatch.crawler.markets import load_definition
from onionwatch.paths import MARKETS_DIR
from onionwatch.testbed.fault_definitions import gates_section, write_definitions
from onionwatch.testbed.faults import FaultPlan


def test_written_definitions_validate_with_the_gates_of_their_plan(tmp_path: Path) -> None:
    plans = {"kladmen": FaultPlan.parse("queue,captcha,age,expiry"),
             "abyss": FaultPlan.parse("login-captcha,2fa,expiry", pgp_public_key="k")}
    paths = write_definitions(tmp_path / "markets", plans)
    assert sorted(p.name for p in paths) == ["abyss.yaml", "kladmen.yaml"]
    kladmen = load_definition(tmp_path / "markets" / "kladmen.yaml")
    assert kladmen.name == "kladmen" and kladmen.gates is not None
    assert [s.kind for s in kladmen.gates.entry] == ["wait-queue", "submit-form"]
    assert kladmen.gates.captcha is not None and kladmen.gates.pgp_2fa is None
    abyss = load_definition(tmp_path / "markets" / "abyss.yaml")
    assert abyss.gates is not None and abyss.gates.entry == [] and abyss.gates.captcha is None
    assert abyss.gates.login_captcha is not None
    assert abyss.gates.pgp_2fa is not None and abyss.gates.pgp_2fa.key == "abyss"


def test_no_gate_fault_leaves_the_definition_without_gates(tmp_path: Path) -> None:
    assert gates_section("abyss", FaultPlan()) == {}
    (path,) = write_definitions(tmp_path, {"abyss": FaultPlan()})
    assert load_definition(path) == load_definition(MARKETS_DIR / "abyss.yaml")  # the definition as shipped
