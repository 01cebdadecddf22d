"""Telegram offers as store records: one Listing per offer, the channel as the Vendor.

- ``market`` is the source name given on import; ``listing_id`` is "<message id>-<offer index>", so a
  re-import updates the same listings (an edited message updates its offers).
- ``scraped_at`` is the message date, or its last edit when it was edited; the url is the message's
  t.me/c/<channel>/<message> link; title is the line the offer was read from, description the message.
- The vendor is the channel: its @handles and bots (mention entities and handles in the text), t.me links,
  e-mail/Jabber/Session contacts and checksum-valid BTC/XMR addresses from the channel's own posts
  (forwarded posts excluded) feed ``contacts`` / ``crypto_addresses``, so vendor linking matches markets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from onionwatch.extractors.contacts import find_contacts
from onionwatch.extractors.crypto_addresses import find_addresses
from onionwatch.extractors.fx import GRAMS_PER_OZ, FxTable
from onionwatch.extractors.records import Listing, Tier, Vendor
from onionwatch.extractors.telegram_export import TgChat, TgMessage
from onionwatch.extractors.telegram_offers import TgOffer

MAX_DESCRIPTION_CHARS = 5_000
MAX_CONTACTS = 100  # per kind
_GRAMS = {"g": 1.0, "mg": 1e-3, "ug": 1e-6, "oz": GRAMS_PER_OZ}
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{3,31})(?![\w@])")


def vendor_id(chat: TgChat, source: str) -> str:
    return f"tg{chat.id}" if chat.id else f"tg-{source}"


def channel_url(chat: TgChat, message_id: int | None = None) -> str:
    base = f"https://t.me/c/{chat.id or '0'}"
    return f"{base}/{message_id}" if message_id is not None else base


def offer_listings(source: str, chat: TgChat, msg: TgMessage, offers: list[TgOffer], lang: str,
                   fx: FxTable) -> list[Listing]:
    """The listings of one message's offers."""
    when = msg.edited or msg.date
    out = []
    for off in offers:
        price = off.price
        usd = fx.to_usd(price.amount, price.currency, when) if price else None
        per_gram = per_unit = None
        q = off.quantity
        if usd is not None and q is not None and q.value > 0:
            if q.unit in _GRAMS:
                per_gram = round(usd / (q.value * _GRAMS[q.unit]), 4)
            elif q.unit == "unit":
                per_unit = round(usd / q.value, 4)
        sub = off.substance
        out.append(Listing(
            market=source, listing_id=f"{msg.id}-{off.index}", url=channel_url(chat, msg.id),
            title=off.line, description=msg.text[:MAX_DESCRIPTION_CHARS], vendor=chat.name,
            vendor_id=vendor_id(chat, source), lang=lang,
            substance=sub.canonical if sub and sub.known else None,
            substance_class=sub.cls if sub and sub.known else None,
            substances=[sub] if sub else [], quantity=q, price=price, price_usd=usd,
            price_per_gram_usd=per_gram, price_per_unit_usd=per_unit,
            tiers=[Tier(q, price, base=True, price_usd=usd)],
            location=" / ".join(p for p in (off.city, off.district) if p) or None,
            city=off.city, district=off.district, scraped_at=when,
        ))
    return out


class VendorBuilder:
    """Collects the channel's contacts and addresses message by message (bounded), then builds its Vendor."""

    def __init__(self, source: str, chat: TgChat) -> None:
        self.source, self.chat = source, chat
        self.contacts: dict[str, list[str]] = {}
        self.addresses: dict[str, list[str]] = {}
        self.last_seen = ""

    def add(self, msg: TgMessage) -> None:
        self.last_seen = max(self.last_seen, msg.edited or msg.date)
        if msg.forwarded_from or (msg.author and self.chat.name and msg.author != self.chat.name):
            return  # a forwarded review or a member's post is not the shop's own contact
        text = "\n".join([msg.text, *msg.links])
        found = find_contacts(text)
        for handle in (*msg.mentions, *(f"@{m.group(1)}" for m in _HANDLE.finditer(msg.text))):
            found.setdefault("telegram", []).append(handle.lower())
        for kind, values in found.items():
            self._merge(self.contacts, kind, values)
        for cur, values in find_addresses(msg.text).items():
            self._merge(self.addresses, cur, values)

    @staticmethod
    def _merge(into: dict[str, list[str]], kind: str, values: Iterable[str]) -> None:
        have = into.setdefault(kind, [])
        for v in values:
            if v not in have and len(have) < MAX_CONTACTS:
                have.append(v)

    def vendor(self) -> Vendor:
        return Vendor(market=self.source, vendor_id=vendor_id(self.chat, self.source), name=self.chat.name,
                      url=channel_url(self.chat), contacts=self.contacts, crypto_addresses=self.addresses,
                      description=f"Telegram {self.chat.type or 'chat'}", scraped_at=self.last_seen)
