"""Bad config and data files (fx, lexicon, non-drug cues, schedule, market): every problem, one
`file: field: problem` line each, a "did you mean" for a misspelt key, and nothing half-loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from onionwatch.crawler.markets import load_definition
from onionwatch.errors import ConfigError, FxConfigError, LexiconError, MarketDefinitionError, ScheduleError
from onionwatch.extractors.cues import NON_DRUG_PATH, NonDrugCues
from onionwatch.extractors.fx import FxTable
from onionwatch.extractors.lexicon import load_lexicon
from onionwatch.reports.config import load_schedule

FX = """rates:
  '2020-01-01': {USD: 1, EURO: 1.1, RUB: -1}
  'yesterday': {USD: 1}
  '2021-01-01': {USD: 1}
raets: {}
"""
LEXICON = """cocaine: {class: stimulant, aliases: [coke]}
heroin: {clas: opioid, aliases: [smack]}
ketamine: {class: candy, aliases: [[k]]}
mdma: 5
"""
CUES = """words: [guide]
phrases: ['how\\s+to', '(unclosed']
ru_stem: [работ]
"""
SCHEDULE = """jobs:
  - {name: weekly, report: emerging, cron: '0 7 * * MON', period: 1w, stroe: 'sqlite:///x'}
  - {name: monthly, report: digest, cron: '0 7 1 * *', period: 2m}
"""

CASES: list[tuple[str, str, Callable[[Path], Any], type[ConfigError], list[str]]] = [
    ("fx.yaml", FX, FxTable.load, FxConfigError, [
        "rates.2020-01-01.EURO: unknown currency",
        "rates.2020-01-01.RUB: must be a positive number",
        "rates.yesterday: not an ISO date (YYYY-MM-DD)",
        "raets: unknown field (did you mean 'rates'?)",
    ]),
    ("lex.yaml", LEXICON, load_lexicon, LexiconError, [
        "heroin.class: Field required",
        "heroin.clas: unknown field (did you mean 'class'?)",
        "ketamine.class: must be one of stimulant, opioid",
        "ketamine.aliases[0]: Input should be a valid string",
        "mdma: expected a mapping, got int 5",
    ]),
    ("non_drug.yaml", CUES, NonDrugCues.load, LexiconError, [
        "phrases[1]: invalid regex '(unclosed'",
        "ru_stems: Field required",
        "ru_stem: unknown field (did you mean 'ru_stems'?)",
    ]),
    ("schedule.yaml", SCHEDULE, load_schedule, ScheduleError, [
        "jobs[0].stroe: unknown field (did you mean 'store'?)",
        "jobs[1].report: unknown report 'digest'",
        "jobs[1].period: expected one of 7d, 1w, 1m, got '2m'",
    ]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "load", "error", "expected"), CASES, ids=[c[0] for c in CASES])
def test_every_problem_one_line_each(tmp_path: Path, name: str, text: str, load: Callable[[Path], Any],
                                     error: type[ConfigError], expected: list[str]) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(error) as info:
        load(path)
    lines = str(info.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    for want in expected:
        assert any(line.startswith(f"{path}: {want}") for line in lines), (want, lines)
    assert len(lines) == len(expected), lines


@pytest.mark.parametrize(
    "content", [b"", b"- a\n- b\n", b"\xff\xfe", b"[" * 100_000, b"a: &x [*x]\n", b"x" * 6_000_000]
)
@pytest.mark.parametrize("load", [FxTable.load, load_lexicon, NonDrugCues.load, load_schedule],
                         ids=["fx", "lexicon", "cues", "schedule"])  # fmt: skip
def test_junk_files_are_one_config_error(tmp_path: Path, content: bytes, load: Callable[[Path], Any]) -> None:
    path = tmp_path / "junk.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as info:
        load(path)
    lines = str(info.value).splitlines()
    assert lines and all(line.startswith(f"{path}: ") for line in lines), lines


def test_a_missing_file_names_it(tmp_path: Path) -> None:
    for load in (FxTable.load, load_lexicon, NonDrugCues.load, load_schedule):
        with pytest.raises(ConfigError, match=r"nowhere.yaml: \(file\): cannot read"):
            load(tmp_path / "nowhere.yaml")


def test_market_definition_lists_every_problem_with_a_suggestion(tmp_path: Path) -> None:
    src = (Path(__file__).resolve().parents[1] / "fixtures" / "markets" / "mini.yaml").read_text(encoding="utf-8")
    path = tmp_path / "mini.yaml"
    path.write_text(src.replace("language: en", "language: fr").replace("currency: USD", "curency: USD"))
    with pytest.raises(MarketDefinitionError) as info:
        load_definition(path)
    assert str(info.value).splitlines() == [
        f"{path}: language: Input should be 'en' or 'ru'",
        f"{path}: currency: Field required",
        f"{path}: curency: unknown field (did you mean 'currency'?)",
    ]


def test_the_shipped_files_load() -> None:
    assert FxTable.load().dates
    assert len(load_lexicon()) > 300
    assert NonDrugCues.load(NON_DRUG_PATH).words
    assert load_schedule()
