"""Telegram offers as listings, and the channel as a vendor whose contacts link it to market vendors."""

from __future__ import annotations

from onionwatch.extractors.fx import FxTable
from onionwatch.extractors.linking import link_vendors
from onionwatch.extractors.pipeline import Extractor
from onionwatch.extractors.records import Vendor
from onionwatch.extractors.telegram_export import TgChat, TgMessage
from onionwatch.extractors.telegram_offers import find_offers
from onionwatch.extractors.telegram_records import VendorBuilder, offer_listings

CHAT = TgChat("Улыбка City", "public_channel", "1000001")
BTC = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"  # BIP-173 test vector, checksum-valid


def test_one_listing_per_offer_with_stable_ids_and_the_message_date() -> None:
    msg = TgMessage(42, "2024-03-01T12:00:00Z", "Алматы, Бостандыкский р-н: меф 1г — 15 000, 2г — 28 000",
                    edited="2024-03-02T08:00:00Z")
    listings = offer_listings("tg-shop", CHAT, msg, find_offers(msg.text, Extractor()), "ru", FxTable.load())
    assert [x.listing_id for x in listings] == ["42-0", "42-1"]
    first = listings[0]
    assert (first.market, first.vendor, first.vendor_id) == ("tg-shop", "Улыбка City", "tg1000001")
    assert first.url == "https://t.me/c/1000001/42" and first.scraped_at == "2024-03-02T08:00:00Z"
    assert (first.city, first.district, first.location) == ("Алматы", "Бостандыкский", "Алматы / Бостандыкский")
    assert first.substance == "mephedrone" and first.substance_class
    assert first.price is not None and first.price.currency == "KZT" and first.price_usd
    assert first.price_per_gram_usd == round(first.price_usd, 4)
    assert first.tiers[0].base and first.description == msg.text


def test_vendor_contacts_come_from_the_channels_own_posts() -> None:
    b = VendorBuilder("tg-shop", CHAT)
    b.add(TgMessage(1, "2024-03-01T12:00:00Z", f"Бот: @ulybka_bot, оператор @Ulybka_Op. BTC: {BTC}",
                    author="Улыбка City", mentions=["@ulybka_bot"], links=["https://t.me/ulybka_reserve"]))
    b.add(TgMessage(2, "2024-03-05T12:00:00Z", "Спасибо! пишите мне @buyer_joe", forwarded_from="Joe"))
    b.add(TgMessage(3, "2024-03-04T12:00:00Z", "я тоже тут @member_guy", author="Someone Else"))
    v = b.vendor()
    assert v.vendor_id == "tg1000001" and v.name == "Улыбка City" and v.url == "https://t.me/c/1000001"
    assert set(v.contacts["telegram"]) == {"@ulybka_bot", "@ulybka_op", "@ulybka_reserve"}
    assert v.crypto_addresses == {"BTC": [BTC]}
    assert v.scraped_at == "2024-03-05T12:00:00Z"


def test_the_channel_links_to_a_market_vendor_by_handle_or_address() -> None:
    b = VendorBuilder("tg-shop", CHAT)
    b.add(TgMessage(1, "2024-03-01T12:00:00Z", f"Оплата: {BTC}", mentions=["@ulybka_bot"]))
    market = Vendor("kladmen", "v1", "Ulybka", "http://x.onion/v/1", contacts={"telegram": ["@ulybka_bot"]},
                    crypto_addresses={"BTC": [BTC]})
    links = link_vendors([b.vendor(), market])
    assert links and {links[0].a, links[0].b} == {"tg-shop:tg1000001", "kladmen:v1"}
