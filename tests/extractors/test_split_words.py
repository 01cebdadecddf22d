"""extractors/tokenizer.py split_words: the single-space route gives the words and spaces of the general loop."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.extractors.tokenizer import _TOKEN_RE, split_words


def general(text: str) -> tuple[list[str], list[bool]]:
    """The tokenizer's loop before the single-space route (every text takes it)."""
    words: list[str] = []
    spaces: list[bool] = []
    for word, space, ws in _TOKEN_RE.findall(text):
        if ws:
            if words and not spaces[-1] and ws.startswith(" "):
                spaces[-1] = True
                ws = ws[1:]
            if ws:
                words.append(ws)
                spaces.append(False)
        else:
            words.append(word)
            spaces.append(bool(space))
    return words, spaces


def test_examples() -> None:
    for text in ("", " ", "Cocaine 1g $80", "4-MMC  10g", " lead", "trail ", "a\tb", "a\nb", "a \n b", "x\u00a0y",
                 "1,5 г - 2500р", "a_b", "  ", "a  ", "a\u2028b", "$ 5"):  # fmt: skip
        assert split_words(text) == general(text), repr(text)
    assert split_words("Cocaine 1g $80") == (["Cocaine", "1", "g", "$", "80"], [True, False, True, False, False])


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab1 ,.-_\t\n\u00a0\u2028$г", max_size=20))
def test_generated(text: str) -> None:
    assert split_words(text) == general(text)
