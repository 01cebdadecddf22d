"""Contact handles: Telegram (before or after its label), Jabber/XMPP, Session, Wickr, Threema; negatives."""

from __future__ import annotations

import pytest

from onionwatch.extractors.contacts import find_contacts

S1 = "05" + "a1" * 32
S2 = "05" + "0f" * 32


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@kladmen_shop (Telegram)", {"telegram": ["@kladmen_shop"]}),
        ("@Kladmen_Shop [tg]", {"telegram": ["@kladmen_shop"]}),
        ("@shop_msk - телеграм", {"telegram": ["@shop_msk"]}),
        ("пишите @shop_msk в телеграм", {"telegram": ["@shop_msk"]}),
        ("contact @bestshop on Telegram", {"telegram": ["@bestshop"]}),
        ("tg: @x_shop1", {"telegram": ["@x_shop1"]}),
        ("TG @x_shop1", {"telegram": ["@x_shop1"]}),
        ("telegram: shopname", {"telegram": ["@shopname"]}),
        ("https://t.me/shop_bot1", {"telegram": ["@shop_bot1"]}),
        ("t.me/shop_bot1 and @shop_two (telegram)", {"telegram": ["@shop_bot1", "@shop_two"]}),
        ("Jabber: shop@exploit.im", {"jabber": ["shop@exploit.im"]}),
        ("XMPP - Shop@Example.org", {"jabber": ["shop@example.org"]}),
        ("jid: shop@example.org", {"jabber": ["shop@example.org"]}),
        ("shop@example.org (jabber)", {"jabber": ["shop@example.org"]}),
        ("shop@jabber.ru", {"jabber": ["shop@jabber.ru"]}),  # a known XMPP server
        (f"Session: {S1}", {"session": [S1]}),
        (f"session id {S2.upper()}", {"session": [S2]}),
        ("wickr: shopname", {"wickr": ["shopname"]}),
        ("Wickr Me - shop.name", {"wickr": ["shop.name"]}),
        ("Threema: ABCD1234", {"threema": ["ABCD1234"]}),
    ],
)
def test_handles(text: str, expected: dict[str, list[str]]) -> None:
    assert find_contacts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail me: bob@gmail.com", {"email": ["bob@gmail.com"]}),  # an email is not a JID unless labelled
        ("bob@gmail.com telegram", {"email": ["bob@gmail.com"]}),  # an address is not a Telegram handle
        ("2g @ $50, 5g @ $110", {}),  # "@" in prices
        ("follow @shopname on twitter", {}),  # a handle labelled as something else
        ("@shopname", {}),  # an unlabelled @name could be anything
        ("Price $50 @ 2g tg", {}),
        ("05" + "a" * 63, {}),  # 65 hex: not a Session id
        ("06" + "a" * 64, {}),  # does not start with 05
        ("tg: @bot", {}),  # a stop word, not a shop
    ],
)
def test_not_handles(text: str, expected: dict[str, list[str]]) -> None:
    got = find_contacts(text)
    assert got == expected, got


def test_junk_is_bounded() -> None:
    text = ("@" + "a" * 40 + " (telegram) ") * 20_000 + "tg: @" * 50_000
    assert isinstance(find_contacts(text), dict)
