"""A text repeated within one batch is analysed once: first_of_each, and listings/extract_many over repeats."""

from __future__ import annotations

from dataclasses import asdict

from onionwatch.crawler.items import RawListing
from onionwatch.extractors.batch_dedupe import first_of_each
from onionwatch.extractors.pipeline import Extractor


def test_first_of_each_maps_every_item_to_the_first_equal_one() -> None:
    assert first_of_each([]) == ([], [])
    assert first_of_each(["a", "b", "a", "c", "b", "a"]) == ([0, 1, 3], [0, 1, 0, 3, 1, 0])
    assert first_of_each([("x", None), ("x", "USD"), ("x", None)]) == ([0, 1], [0, 1, 0])


def _raw(i: int, title: str, currency: str | None) -> RawListing:
    return RawListing(market="m", listing_id=str(i), url=f"/{i}", title=title, price_text=f"USD {10 + i}.00",
                      currency=currency, tiers=[f"{i + 1} g — USD {20 + i}.00"])  # fmt: skip


TITLES = ["Cocaine 1g 90% pure", "Меф 1г", "Cocaine 1g 90% pure", "", "Cocaine 1g 90%\u00a0pure", "Меф 1г",
          "Скорость 0.5 Москва", "Cocaine 1g 90% pure"]  # fmt: skip


def test_repeated_titles_in_a_batch_give_the_records_each_alone_gives() -> None:
    x = Extractor()
    raws = [_raw(i, t, ("USD", None, "RUB")[i % 3]) for i, t in enumerate(TITLES)]  # same title, other hints too
    batch = [asdict(li) for li in x.listings(raws)]
    alone = [asdict(Extractor().listing(r)) for r in raws]
    assert batch == alone


def test_repeated_texts_share_one_doc_and_extract_alike() -> None:
    x = Extractor(model=False)
    docs = x.analyse(TITLES)
    assert docs[0] is docs[2] is docs[7]  # one analysis per distinct text
    assert docs[0] is not docs[4]  # a different raw text (no-break space) is its own
    assert [e.to_dict() for e in x.extract_many(TITLES)] == [Extractor(model=False).extract(t).to_dict()
                                                              for t in TITLES]  # fmt: skip
