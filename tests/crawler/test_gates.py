"""crawler/gates.py: which gate a page shows, how long a queue asks to wait, what a form sends; the schema."""

from __future__ import annotations

import pytest
from parsel import Selector

from onionwatch.crawler.gates import classify, form_data, login_captcha, wait_seconds
from onionwatch.crawler.markets import EntryStep, load_definition
from onionwatch.errors import MarketDefinitionError
from tests.crawler.conftest import FIXTURE_MARKETS

KLAD = load_definition(FIXTURE_MARKETS / "kladgate.yaml")
ABYSS = load_definition(FIXTURE_MARKETS / "abyssgate.yaml")
QUEUE = KLAD.gates.entry[0]


def sel(html: str) -> Selector:
    return Selector(text=html)


def test_classify_each_gate_and_none() -> None:
    assert classify(KLAD, sel('<div id="ddos-queue">wait</div>')).label == "entry step 1 (wait-queue)"
    assert classify(KLAD, sel('<div class="age-gate"><form id="age-form"></form></div>')).index == 1
    assert classify(KLAD, sel('<div id="ddos-queue"><form id="captcha-form"></form></div>')).kind == "captcha"
    assert classify(KLAD, sel('<div class="goroda"></div>')) is None
    assert classify(ABYSS, sel('<pre class="pgp-challenge">x</pre>')).kind == "pgp_2fa"
    assert login_captcha(ABYSS, sel('<form id="login-form"><img class="login-captcha"></form>')) is not None
    assert login_captcha(ABYSS, sel('<form id="login-form"></form>')) is None


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta http-equiv="refresh" content="7;url=/__gate/queue?next=/">', (7.0, "/__gate/queue?next=/")),
    ("<meta http-equiv='Refresh' content='3; URL=\"/x\"'>", (3.0, "/x")),
    ('<meta http-equiv="refresh" content="2">', (2.0, None)),
    ('<meta http-equiv="refresh" content="99999;url=/">', (30.0, "/")),  # capped by max_wait
    ('<meta http-equiv="refresh" content="soon">', (5.0, None)),  # junk: the default
])
def test_wait_seconds_from_meta_refresh(head: str, expected: tuple[float, str | None]) -> None:
    assert wait_seconds(sel(f"<html><head>{head}</head><body></body></html>"), QUEUE) == expected


def test_wait_seconds_from_the_shown_timer_and_hostile_text() -> None:
    assert wait_seconds(sel('<span class="queue-timer">12 s</span>'), QUEUE) == (12.0, None)
    assert wait_seconds(sel('<span class="queue-timer">' + "9" * 100_000 + "</span>"), QUEUE)[0] == 30.0
    assert wait_seconds(sel("<p>" + "<" * 100_000), QUEUE) == (5.0, None)


def test_form_data_is_what_a_browser_sends() -> None:
    form = sel('<form><input type="hidden" name="t" value="1"><input type="checkbox" name="agree" value="yes">'
               '<input type="checkbox" name="keep" value="on" checked><input type="submit" name="go" value="Go">'
               '<textarea name="note"></textarea></form>').css("form")[0]
    assert form_data(form) == {"t": "1", "keep": "on", "note": ""}


@pytest.mark.parametrize(("step", "problem"), [
    ({"kind": "submit-form", "marker": "div", "success": "p"}, "css: field required for a submit-form step"),
    ({"kind": "follow-link", "marker": "div[", "success": "p", "css": "a"}, "invalid CSS selector"),
    ({"kind": "wait-queue", "marker": "div", "success": "p", "max_wait": 0}, "greater than 0"),
    ({"kind": "jump", "marker": "div", "success": "p"}, "follow-link"),
])
def test_bad_entry_step_is_reported(step: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[")):
        EntryStep.model_validate(step)


def test_bad_gates_in_a_file_name_file_and_field(tmp_path) -> None:
    text = (FIXTURE_MARKETS / "kladgate.yaml").read_text(encoding="utf-8").replace("answer_field: captcha",
                                                                                    "answer_fld: captcha")
    path = tmp_path / "kladgate.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MarketDefinitionError, match=r"kladgate\.yaml: gates\.captcha\.answer_fld"):
        load_definition(path)
