"""Telegram shapes of tg_dev2026q (issue 14 item 5): a bonus written after the unit ("2г+0.5 в подарок"), a reply's
blockquote (the quoted post) not read for offers, Ukrainian "Оновлено:", a question opening with "Есть", a scam
warning quoting a fake shop's price, and one price per gram over a list of weights. Phrases written for these tests
(not the dev set's); each rule with readings it must leave alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.quantities import find_quantities
from onionwatch.extractors.telegram_export import read_export
from onionwatch.extractors.telegram_offers import find_offers
from tests.extractors.tg_rows import offer_rows


@pytest.fixture
def x(extractor: Extractor) -> Extractor:
    return extractor  # the session's one Extractor (conftest.py)


def _grams(text: str) -> list[float]:
    return [q.value for q in find_quantities(text) if q.unit == "g"]


def test_bonus_after_the_unit_with_a_gift_word_is_summed() -> None:
    assert _grams("гаш 3г+1 в подарок — 20к") == [4.0]
    assert _grams("меф 1г + 0.5 бонус") == [1.5]


def test_bonus_after_the_unit_needs_a_gift_word_and_stays_below_the_weight() -> None:
    assert _grams("меф 1г + 2 шт") == [1.0]  # no gift word: the weight alone
    assert _grams("меф 1г+2 в подарок") == [1.0]  # a "bonus" larger than the weight is no bonus
    assert _grams("Метадон 3+0,5гр") == [3.5]  # the older shape is unchanged


def test_bonus_after_the_price_is_not_part_of_the_weight(x: Extractor) -> None:
    got = offer_rows(find_offers("Семей, Затон\nальфа 1г — 11 000 тг 🎁 +0.5 в подарок", x))
    assert got == [("Семей", "Затон", "alpha-pvp", 1.0, 11000, "KZT")]


def _export(tmp_path: Path, message: dict) -> list:
    msg = {"id": 7, "type": "message", "date": "2026-12-30T10:00:00", "date_unixtime": "1798624800",
           "from": "Шоп", "from_id": "channel1", **message}
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"name": "Шоп", "type": "public_channel", "id": 1, "messages": [msg]},
                               ensure_ascii=False), encoding="utf-8")
    return read_export(path)[1]


def test_blockquote_in_a_reply_is_not_read_for_offers(tmp_path: Path, x: Extractor) -> None:
    text = [{"type": "blockquote", "text": "Гомель: шишки 1г — 80 BYN"}, "\nГомель: шишки 1г теперь 70 BYN"]
    (msg,) = _export(tmp_path, {"reply_to_message_id": 3, "text": text})
    assert "80 BYN" in msg.text  # kept in the message's text
    assert offer_rows(find_offers(msg.for_offers, x)) == [("Гомель", None, "cannabis", 1.0, 70, "BYN")]


def test_blockquote_outside_a_reply_is_a_price_list(tmp_path: Path, x: Extractor) -> None:
    (msg,) = _export(tmp_path, {"text": [{"type": "blockquote", "text": "Гомель: шишки 1г — 80 BYN"}]})
    assert offer_rows(find_offers(msg.for_offers, x)) == [("Гомель", None, "cannabis", 1.0, 80, "BYN")]


def test_ukrainian_status_label_before_the_city(x: Extractor) -> None:
    got = offer_rows(find_offers("Оновлено: Харків, Салтовка — амф 1г 650 грн", x))
    assert got == [("Харків", "Салтовка", "amphetamine", 1.0, 650, "UAH")]


def test_question_opening_with_est_is_no_offer(x: Extractor) -> None:
    assert find_offers("Есть в Гомеле гаш по 70 р.? 🙏", x) == []
    # a shop's "Есть" line without a question mark is an offer
    got = offer_rows(find_offers("Есть в наличии: Гомель, гаш 1г — 70 BYN", x))
    assert got == [("Гомель", None, "cannabis", 1.0, 70, "BYN")]


def test_scam_warning_line_is_no_offer_but_the_next_line_is(x: Extractor) -> None:
    text = "⚠️ Мошенники в @fake_bot просят 4 000 ₽ за меф 1г!\nОмск, Кировский — меф 1г 3 800 ₽"
    ((city, *rest),) = offer_rows(find_offers(text, x))
    assert city in ("Омск", "Omsk") and rest == ["Кировский", "mephedrone", 1.0, 3800, "RUB"]


def test_per_gram_price_over_a_list_of_weights(x: Extractor) -> None:
    got = offer_rows(find_offers("Тюмень\nамф по 1 900₽/г: 2г, 4г или 6г", x))
    assert got == [("Тюмень", None, "amphetamine", w, 1900 * w, "RUB") for w in (2.0, 4.0, 6.0)]


def test_per_gram_price_with_words_between_the_weights_is_not_a_list(x: Extractor) -> None:
    got = offer_rows(find_offers("Тюмень\nамф по 1 900₽/г, от 2г дешевле, 4г есть", x))
    assert len(got) < 3 or any(r[4] != 1900 * r[3] for r in got)
