"""Seeded vendor identities: names, contact handles, wallets, PGP keys; actors shared across markets."""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass

from onionwatch.testbed.pgp import PgpKey, make_key
from onionwatch.testbed.wallets import btc_base58, btc_bech32, xmr_address

SHARED_SHARE = 0.10  # share of each market's vendors that are actors also active on the other market

_EN_PREFIX = ("Dr", "The", "Mr", "Big", "Royal", "Dutch", "Cali", "Euro", "Nordic", "Golden", "Silk", "Dark",
              "Happy", "Snow", "Green", "Pure", "Lucky", "Frosty", "Magic", "Crypto", "Uncle", "Lady", "King",
              "Old", "North", "Fast", "Secret", "Stealth", "Holy", "Wise")
_EN_NOUN = ("Snowman", "Pharma", "Connect", "Kingz", "Labs", "Express", "Plug", "Store", "Dealer", "Chemist",
            "Garden", "Farmer", "Candy", "Shop", "Direct", "Supply", "Bros", "Wolf", "Fox", "Tiger", "Owl",
            "Doc", "Rx", "Market", "Budz", "Crew", "Factory", "Depot", "Cartel", "Boutique")
_EN_SUFFIX = ("", "", "", "UK", "NL", "420", "_OG", "22", "Official", "DE", "US", "_EU", "X", "247")
_RU_NAMES = ("Белый Кролик", "Шишкарня", "Мефиста", "КладЛенд", "Седьмое Небо", "Кристалл", "Зелёный Свет",
             "Снежная Королева", "Алхимик", "Ночной Экспресс", "Тайга", "Степной Волк", "Барон", "Сокол",
             "Кайфуша", "Северный Ветер", "Чистый Лист", "Добрый Доктор", "Улыбка", "Лаборатория", "Космос",
             "Пилот", "Матрица", "Лисий Хвост", "Медведь", "Фармацевт", "Скорый Клад", "Тёмный Лес",
             "Белый Медведь", "Огонёк", "Звезда Востока", "Степь", "Караван", "Беркут", "Шаман", "Меридиан")
_RU_SUFFIX = ("", "", " KZ", " 24/7", " Shop", " Опт", " City", " №1", " Official", " 2.0")
_MAIL = ("protonmail.com", "tutanota.com", "cock.li", "onionmail.org", "proton.me")
_JABBER = ("jabber.calyxinstitute.org", "xmpp.jp", "jabb.im", "exploit.im", "thesecure.biz")

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "h", "ts", "ch", "sh", "sch", "", "y", "", "e", "yu", "ya"], strict=True))


def slugify(name: str) -> str:
    latin = "".join(_TRANSLIT.get(c, c) for c in name.lower())
    return re.sub(r"[^a-z0-9]+", "-", latin).strip("-") or "shop"


def sub_rng(*parts: object) -> random.Random:
    """An independent deterministic RNG for one named purpose (stable across Python runs)."""
    return random.Random(":".join(str(p) for p in ("onionwatch-testbed", *parts)))


@dataclass(frozen=True)
class Actor:
    """A person behind one vendor account (or two, one per market, for shared actors)."""

    actor_id: str
    handle: str  # latin handle, e.g. "FrostyPlug420"
    pgp: PgpKey | None
    telegram: str  # "@frostyplug420"


def en_handle(rng: random.Random) -> str:
    return rng.choice(_EN_PREFIX) + rng.choice(_EN_NOUN) + rng.choice(_EN_SUFFIX)


def ru_shop_name(rng: random.Random) -> str:
    return rng.choice(_RU_NAMES) + rng.choice(_RU_SUFFIX)


def pgp_key(seed: int, actor_id: str, user: str, rng: random.Random) -> PgpKey:
    key_seed = hashlib.sha256(f"onionwatch-testbed-pgp:{seed}:{actor_id}".encode()).digest()
    created = 1_546_300_800 + rng.randrange(0, 6 * 365 * 86400)  # 2019 .. 2024
    mail = f"{re.sub(r'[^a-z0-9]', '', user.lower()) or 'vendor'}@{rng.choice(_MAIL)}"
    uid = f"{user} <{mail}>" if rng.random() < 0.7 else user
    return make_key(key_seed, uid, created)


def shared_actor(seed: int, index: int) -> Actor:
    """Shared actor number `index`: identical on every market generated from the same seed."""
    rng = sub_rng(seed, "shared-actor", index)
    handle = en_handle(rng)
    actor_id = f"actor-{index:04d}"
    return Actor(actor_id, handle, pgp_key(seed, actor_id, handle, rng), "@" + handle.lower())


def n_shared(n_vendors: int) -> int:
    return max(1, round(n_vendors * SHARED_SHARE)) if n_vendors >= 2 else 0


def wallets(rng: random.Random, p_btc: float, p_xmr: float) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if rng.random() < p_btc:
        payload = rng.randbytes(20)
        kind = rng.random()
        if kind < 0.6:
            out["BTC"] = [btc_bech32(payload)]
        else:
            out["BTC"] = [btc_base58(0 if kind < 0.85 else 5, payload)]
    if rng.random() < p_xmr:
        out["XMR"] = [xmr_address(rng.randbytes(32), rng.randbytes(32))]
    return out


def contact_handles(rng: random.Random, handle: str, telegram: str, kinds: list[str]) -> dict[str, list[str]]:
    """Contacts for the given kinds (telegram, session, wickr, jabber, email), derived from the handle."""
    base = re.sub(r"[^a-z0-9_]", "", handle.lower()) or "vendor"
    out: dict[str, list[str]] = {}
    for kind in kinds:
        if kind == "telegram":
            out["telegram"] = [telegram]
        elif kind == "session":
            out["session"] = ["05" + rng.randbytes(32).hex()]
        elif kind == "wickr":
            out["wickr"] = [base + rng.choice(("", "1", "_wickr", "420"))]
        elif kind == "jabber":
            out["jabber"] = [f"{base}@{rng.choice(_JABBER)}"]
        elif kind == "email":
            out["email"] = [f"{base}@{rng.choice(_MAIL)}"]
    return out


CONTACT_LABELS = {"telegram": "Telegram", "session": "Session", "wickr": "Wickr", "jabber": "Jabber",
                  "email": "Email"}
