"""onionwatch/visible.py: hidden characters become markers in HTML and disappear from the terminal."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from onionwatch.visible import finalize, hidden, reveal_html, reveal_text, segments, terminal_safe

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x85"]  # (\x9b starts a C1 CSI: see the ANSI test)


@pytest.mark.parametrize("ch", BIDI + ZERO_WIDTH + CONTROLS)
def test_every_hidden_character_gets_a_marker(ch: str) -> None:
    assert hidden(ch)
    shown = reveal_text(f"left{ch}right")
    assert shown == f"left⟨{'ESC' if ch == chr(27) else f'U+{ord(ch):04X}'}⟩right"
    assert not any(hidden(c) for c in shown)
    assert terminal_safe(f"left{ch}right") == "leftright"


def test_layout_whitespace_and_ordinary_text_stay() -> None:
    text = "Мефедрон 5г\tcocaine\nسلام 😀"
    assert reveal_text(text) == text
    assert [m for _, m in segments(text)] == [False]


def test_ansi_sequences_are_one_marker() -> None:
    assert reveal_text("a\x1b[31mRED\x1b[0m b") == "a⟨ESC[31m⟩RED⟨ESC[0m⟩ b"
    assert reveal_text("\x1b]0;title\x07x") == "⟨ESC]0;titleU+0007⟩x"
    assert reveal_text("a\x9b2Jb") == "a⟨U+009B2J⟩b"
    assert terminal_safe("a\x1b[31mRED\x1b[0m b") == "aRED b"


def test_runs_are_counted_not_repeated() -> None:
    assert reveal_text("a" + "\u200b" * 50_000 + "b") == "a⟨U+200B ×50000⟩b"


def test_html_escapes_text_and_styles_markers() -> None:
    html = reveal_html('<b>"x"</b>\u202egnp.exe')
    assert isinstance(html, Markup)
    assert html.startswith("&lt;b&gt;&#34;x&#34;&lt;/b&gt;<span class=\"ctl\"")
    assert "⟨U+202E⟩</span>gnp.exe" in html
    assert "\u202e" not in html


def test_markup_keeps_its_tags_and_loses_hidden_characters() -> None:
    html = reveal_html(Markup("<mark>co\u200bcaine</mark>"))
    assert html.startswith("<mark>co<span") and html.endswith("</span>caine</mark>")


def test_finalize_plain_markers_for_strings_spans_for_markup() -> None:
    assert finalize("x\u202ey") == "x⟨U+202E⟩y"  # autoescape follows: safe in attributes and <title>
    assert finalize(Markup("body{}\n")) == Markup("body{}\n")
    assert "<span" in finalize(Markup("<mark>a\u2066b</mark>"))
    assert finalize(42) == 42 and finalize(None) is None


def test_huge_junk_is_handled() -> None:
    junk = "".join(chr(c) for c in range(0, 0x3000)) * 20
    shown = reveal_text(junk)
    assert not any(hidden(c) for c in shown)
    assert terminal_safe(junk)
