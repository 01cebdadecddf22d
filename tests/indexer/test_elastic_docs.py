"""The listing document's derived search keys (pure functions, no server)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from onionwatch.indexer import elastic_docs as ed


def _tokens_by_fold(*texts: str | None) -> list[str]:
    """Every token folded one by one: what `tokens` answered before its ASCII fast path."""
    seen: dict[str, None] = {}
    for text in texts:
        for m in ed._TOKEN_RE.finditer(text or ""):
            seen.setdefault(ed.fold(m.group(0))[: ed._MAX_TOKEN_LEN], None)
            if len(seen) >= ed._MAX_TOKENS:
                return list(seen)
    return list(seen)


_WORDS = st.sampled_from(["Amphetamine", "28g", "MDMA", "mdma", "Ñandú", "Café", "мефедрон", "İstanbul", "x_y",
                          "ÀÉ", "a" * 250, "STRASSE", "straße", " ", "\n", "-", "123"])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_WORDS, max_size=12).map("".join)), max_size=4))
def test_tokens_answer_as_folding_each_token(texts: list[str | None]) -> None:
    assert ed.tokens(*texts) == _tokens_by_fold(*texts)


def test_tokens_keep_the_first_distinct_up_to_the_cap(monkeypatch) -> None:
    monkeypatch.setattr(ed, "_MAX_TOKENS", 3)
    assert ed.tokens("b A b c d", "e") == ["b", "a", "c"]
    assert ed.tokens("Ça va", "x y z") == ["ca", "va", "x"]
