"""The evaluation's city comparison: one city however it is spelled, never two different cities."""

from __future__ import annotations

import pytest

from bench.eval_extract import city_right


@pytest.mark.parametrize(("want", "got"), [("Almaty", "Алматы"), ("Almaty", "Алм"), ("Moscow", "москва"),
                                           ("Bishkek", "Бишкек"), (None, None)])
def test_spellings_of_one_city_agree(want: str | None, got: str | None) -> None:
    assert city_right(want, got)


@pytest.mark.parametrize(("want", "got"), [("Almaty", "Астана"), ("Almaty", None), (None, "Алматы"),
                                           ("Moscow", "Минск")])
def test_different_or_missing_cities_disagree(want: str | None, got: str | None) -> None:
    assert not city_right(want, got)
