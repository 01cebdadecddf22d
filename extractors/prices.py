"""Price mentions: currency symbols, codes and words (EN/RU), shorthand (14к, 21 тыс.) and per-unit prices."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from onionwatch.extractors.numbers import RU_NUMBER_WORD, parse_number, russian_amount
from onionwatch.extractors.prefilter import first_char_gated
from onionwatch.extractors.records import CURRENCIES, Price
from onionwatch.extractors.text import RUSSIAN_LETTER

# "Gel tabs", "gel caps": a dose form, not the lari
_GEL = (r"gel(?!\s*(?:tabs?|caps?|capsules?|pills?|blotters?|squares?|packs?|sachets?|shots?)(?![^\W\d_]))|"
        r"lari|лари|лар\.|ლარი|₾")  # "лар.", Georgian "ლარი" (issue 14, ru_dev2026h probes)
# currency surface -> ISO code (checked in this order: "бел. руб" before "руб", "australian dollars" before "dollars")
_CUR_WORDS: list[tuple[str, str]] = [
    (r"aud|au?\$|australian\s+dollars?|австралийск\w*\s+долл\w*", "AUD"),
    (r"cad|ca?\$|canadian\s+dollars?|канадск\w*\s+долл\w*", "CAD"),
    # a dollar stablecoin (klad shops in Central Asia price in it) counts as dollars
    # "дол.", "у.е." (conventional units: dollars; issue 14, ru_dev2026h probes)
    (r"usdt|usdc|tether|тезер\w*|usd|us\$|dollars?|bucks|долл(?:\.|ар(?:ов|а|ы)?)?|дол\.|бакс(?:ов|а)?|"
     r"у\.\s?е\.?", "USD"),
    (r"eur|euros?|евро", "EUR"),
    (r"gbp|quid|фунт(?:ов|а)?\s+стерлинг(?:ов)?", "GBP"),
    (r"byn|byr|бел\.?\s?р(?:уб(?:лей|ля|ль)?)?\.?|белорусск\w*\s+рубл\w*|belarusian\s+rubles?", "BYN"),
    (r"rub|rur|руб(?:лей|ля|ль|л)?\.?|р\.|р(?![^\W\d_])|₽|"
     # "2 тыс рос. руб" (Russian roubles in Belarus), Latin-letter Russian "12 000 r" (issue 14, ru_dev2026j; a
     # bare "r" counts only where roubles are the default currency, apart from the amount: find_prices)
     r"рос\.?\s?руб(?:лей|ля|ль|л)?\.?|российск\w*\s+рубл\w*|r(?![^\W\d_'’])", "RUB"),  # "рубл." (ru_dev2026h probes)
    # thousands of roubles: "12 т.р.", "4тр" (issue 14, ru_dev2026h probes; the amount is multiplied by 1 000)
    # "12 тыр" (тысяч рублей; issue 14, tg_dev2026o)
    (r"т\.\s?р\.?|тр(?![^\W\d_])|тыр(?![^\W\d_])", "RUB"),
    (r"kzt|tenge|тенге|теңге|тг\.?|тнг\.?|tg\.?|₸", "KZT"),
    (_GEL, "GEL"),
    (r"uah|hryvnias?|hryvnyas?|grn|грн\.?|гривен[ья]?|гривн[аяыиі]?|₴", "UAH"),
    # Latin "som" is the Kyrgyz som (Uzbek Latin writes "so'm"; "sum" only in Uzbekistan: _place_word); "сум"/"сўм"
    # the Uzbek sum
    (r"uzs|so['’]m|сум(?:ов|а)?|сўм", "UZS"),
    (r"kgs|som|сом(?:ов|а)?", "KGS"),
    (r"tjs|somoni|сомони|сомон(?:ӣ|ов|а)?|смн\.?", "TJS"),  # "смн": the somoni's own abbreviation
    (r"azn|manats?|манат(?:ов|а)?|₼", "AZN"),
    (r"amd|drams?|драм(?:ов|а)?|֏", "AMD"),
    # European currencies outside the euro (issue 14, dev 2026q: "60 CHF"): codes and unambiguous words only, not a bare
    # "kr" (Swedish, Norwegian or Danish) nor "Fr."
    (r"chf|sfr\.?|swiss\s+francs?", "CHF"),
    (r"sek|swedish\s+kronor|swedish\s+krona", "SEK"),
    (r"nok|norwegian\s+kron(?:er|e)", "NOK"),
    (r"dkk|danish\s+kron(?:er|e)", "DKK"),
    (r"pln|z[łl]|złotych|złoty|zlotys?|zloty", "PLN"),
    (r"czk|k[čc]|czech\s+korun(?:a|y)", "CZK"),
    (r"btc|xbt|bitcoins?|биткоин(?:ов|а)?|биткойн(?:ов|а)?|бтк|бтс|฿", "BTC"),
    (r"xmr|monero|монеро", "XMR"),
]
# the currencies of the klad shops' region (Russia, Central Asia, the Caucasus, Ukraine, Belarus): their words and
# symbols as one alternation, the one list price_tables reads its table cells with (no second copy to drift)
REGION_CURRENCIES = frozenset({"RUB", "KZT", "KGS", "UZS", "TJS", "BYN", "UAH", "GEL", "AMD", "AZN"})
REGION_CURRENCY = "|".join(f"(?:{pat})" for pat, code in _CUR_WORDS if code in REGION_CURRENCIES)
_RUB_GROUP = f"c{[code for _, code in _CUR_WORDS].index('RUB')}"  # the group of "руб", "р.", "₽", "rub"
_TR_GROUP = f"c{[code for _, code in _CUR_WORDS].index('RUB') + 1}"  # "т.р.", "тр": thousands of roubles
_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₸": "KZT", "฿": "BTC", "₿": "BTC", "₾": "GEL",
            "₴": "UAH", "₼": "AZN", "֏": "AMD"}  # fmt: skip
_PRE_CODES = {"usdt": "USD", "us$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD"}
_SYM = "$€£₽₸฿₿₾₴₼֏"  # "₿": the bitcoin sign (issue 14, ru_dev2026h probes)
_PRE = rf"(?P<pre>au?\$|ca?\$|us\$|[{_SYM}]|usdt|{'|'.join(c.lower() for c in CURRENCIES)})"  # a code before the amount
_NUM = r"(?P<num>\d{1,3}(?:[ \u00a0'’.,]\d{3})+(?:[.,]\d{1,8})?|\d+(?:[.,]\d+)?|[.,]\d+)"
# Uzbek "ming"/"минг" and Kazakh "мың" are thousands ("400 ming so'm", "700 минг сўм"; issue 14, ru_dev2026g)
# Ukrainian "тис." / "тисяч" (issue 14, ru_dev2026k: "3,5 тис грн")
_MULT = (r"(?:\s?(?P<mult>k|к|тыс\.?|тысяч[аи]?|тыщ[иа]?|тис\.?|тисяч[іа]?|tys\.?|мың|ming|минг|mio|млн\.?)"
         r"(?![^\W\d_]))?")
# "2 тыс 700 руб", "3 тыс. 200 р.", "3 tys 500 rub": thousands, then the hundreds written out (issue 14, ru_dev2026j)
_THOU = r"(?:(?P<thou>\d{1,3})[^\S\n]?(?:тыс|тис|tys)\.?[^\S\n](?=\d{3}(?![\d.,])))?"
_POST = "|".join(f"(?P<c{i}>{pat})" for i, (pat, _) in enumerate(_CUR_WORDS))
_SYM_POST = rf"(?P<sym>[{_SYM}])(?![^\S\n]?\d)"  # "50 €40": the € belongs to the 40 (not "30$\n2 gram")
PRICE_RE = first_char_gated(
    rf"[\d.,acuegbxrktsndp{_SYM}]",  # the first characters of _PRE and _NUM (IGNORECASE)
    # a symbol and its amount share a line: "1 gram - 30$\n3.5 gram - 90$" (issue 14, dev 2026m)
    rf"(?<![\w.,]){_PRE}[^\S\n]?{_NUM}{_MULT}(?![\d])"
    # a code after the amount stays on its line: "x 30\nXMR 0.45" is 0.45 XMR, the code leads the next amount
    rf"|(?<![\w.,{_SYM}]){_THOU}{_NUM.replace('num', 'num2')}{_MULT.replace('mult', 'mult2')}"
    r"(?:[^\S\n]|\n(?![^\W\d_]{1,7}\.?[^\S\n]?\d))?"
    rf"(?:{_SYM_POST}|(?:{_POST})(?![^\W\d_]))",
    re.I,
)
# shorthand price without a currency ("14к", "3,5к", "21 тыс.") -> default currency
# "3к5", "3к500", "12к5": thousands and hundreds glued around the к (3 500, 12 500)
# "500 ming", "15 мың" with no currency word: Uzbek and Kazakh thousands (issue 14, ru_dev2026g probes)
# "3 тыс 500", "14 тыс. 500", "3 tys 500": thousands and the hundreds written after them (issue 14, ru_dev2026j)
SHORT_RE = re.compile(r"(?<![\w.,])(?P<num>\d+(?:[.,]\d+)?)\s?(?P<mult>к|k|тыс\.?|тысяч[аи]?|тис\.?|tys\.?|млн\.?|"
                      r"мың|ming|минг)(?:(?<=[кk])(?P<tail>\d{1,3})(?!\d|[.,]\d))?"
                      r"(?:(?<=[сs.])[^\S\n](?P<hundreds>\d{3})(?![\d.,]|\s?(?:г|гр|грамм\w*|шт\w*|мг|g|gr|%)(?![^\W\d_])))?"
                      r"(?![^\W\d_])", re.I)
_PER_RE = re.compile(
    r"\s*(?:/|per|each|ea\.?|a|за|за\s+1|/\s*1|по)\s*(?P<per>g|gr|gram|grams|гр|г|грамм|грамма|oz|ounce|pill|pills|"
    r"tab|tabs|tablet|unit|piece|pc|pcs|blotter|blotters|bar|bars|cap|caps|capsule|hit|шт|штуку|штука|таблетку|марку|"
    r"mg|ml|мл|ea|each|vials?|amps?|ampoules?|pens?|lbs?|pound|qp|hp|8th|eighth)?(?![^\W\d_])",
    re.I,
)
# the unit before the amount: "цена за грамм: 14 000 ₸", "за 1 гр — 3000р", "за штуку 1500" (issue 14, ru_dev2026e);
# "за 2г — 5500" is a tier, not a per-unit price
_PER_BEFORE = re.compile(r"(?<![^\W\d_])за\s+(?:1\s?)?(?P<per>грамм|грамма|гр|г|штуку|шт)\.?\s?[:=—–-]?\s?$", re.I)
# pieces "at" a price ("100 bars @ $1.50", "50 pills @ $2"): a price of each (a weight "at" a price is left alone:
# "1 oz @ $250" is the ounce's price, "28g @ $8" says nothing of its unit)
_AT_EACH_BEFORE = re.compile(r"(?<![^\W\d_])(?:pills?|bars?|tabs?|tablets?|caps|capsules?|blotters?|pcs|pieces|units?|"
                             r"vials?|amps?)[^\S\n]?@[^\S\n]?$", re.I)
# the unit named before the price in English ("per pill £40", "Unit price $1.20", "price per tab: $3"; issue 14,
# dev 2026l): a price of one unit
_PER_BEFORE_EN = re.compile(r"(?<![^\W\d_])(?:(?:price\s+)?per\s+(?P<per>pill|tab|tablet|cap|capsule|unit|piece|bar|"
                            r"blotter|gram|g)|(?P<unit>unit)\s+price)[^\S\n]?[:=—–-]?[^\S\n]?$", re.I)
_EACH_BEFORE = re.compile(r"(?<![^\W\d_])по\s$", re.I)  # "по 1500р" (issue 14, ru_dev2026h probes)
_GRAMS_EACH_BEFORE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:г|гр|g|gr)\.?(?:\s+|\s?[—–-]\s?)по\s$", re.I)
# the rest of a price range before its unit ("$8-10/g", "€40 - €50 per gram"; issue 14, dev 2026j): the unit is the
# first amount's too
_RANGE_TAIL = re.compile(r"[^\S\n]?[-–][^\S\n]?[$€£]?[^\S\n]?\d+(?:[.,]\d{1,2})?"
                         r"(?=[^\S\n]*(?:/|per\b|each\b|ea\b))", re.I)
_EACH_RE = re.compile(r"\s*/?\s*(?:each|ea\.?|apiece|за\s+штуку)(?![^\W\d_])", re.I)
# "по 1500 за грамм", "1500/г": a bare amount priced per gram/piece is a price in the default currency
BARE_PER_RE = re.compile(
    r"(?<![\w.,])(?:по\s+)?(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:[.,]\d+)?)\s?(?P<mult>к|тыс\.?)?"
    r"(?=\s*(?:/|за)\s*(?:1\s*)?(?:г|гр|грамм|грамма|шт|штуку|таб|марку)(?![^\W\d_]))",
    re.I,
)
# a bare amount where only a price can stand, in the default currency: after a price word ("Цена: 15 000",
# "Стоимость 18000", "Price: 120") or after an amount and a dash or bar ("1г — 15 000", "2 шт - 2500", "1г / 2500")
# (thousands grouped by spaces, or by "." / "," as in "Цена:12.000"; issue 14, ru_dev2026h probes)
_BARE_NUM = (r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+|[1-9]\d{0,2}(?:[.,]\d{3})+|\d+(?:[.,]\d{1,2})?)"
             r"(?!\d|[.,]\d|\s?(?:%|(?:г|гр|грамм\w*|шт\w*|мг|"
             r"мкг|g|gr|grams?|mg|ug|mcg|pcs|x|х|tabs?|pills?|ml|мл)(?![^\W\d_])))")
# "price" in the shops' other languages (issue 14, ru_dev2026e): Kazakh "бағасы", Kyrgyz "баасы", Uzbek "нархи"/"narxi"
_PRICE_WORDS_CA = r"бағасы|багасы|баасы|нархи|narxi|narx"
# Ukrainian "ціна"/"вартість", Belarusian "кошт"/"цана", Latin Russian "cena"/"tsena" (issue 14, ru_dev2026f)
_PRICE_WORDS_UA_BY = r"ціна|вартість|кошт|цана|cena|tsena"
# the new price after an old one: "было 5000 стало 4000", "новая — 7 500" (issue 14, ru_dev2026g)
_PRICE_WORDS_NEW = r"стало|новая(?:\s+цена)?|по\s+акции"  # "по акции 12 000" (ru_dev2026h probes)
# money emoji before the amount: "💵 12.000", "💰 15 000" (issue 14, ru_dev2026h probes)
_PRICE_EMOJI = "💰|💵|💸|🤑"
# "сейчас"/"теперь" ("было 15000, сейчас 13500"; issue 14, ru_dev2026h) are a price cue only after an old price
_PRICE_WORDS_NOW = r"сейчас|теперь"
_OLD_PRICE_BEFORE = re.compile(r"(?<![^\W\d_])(?:было|раньше|стар(?:ая|ой)(?:\s+цен[аы])?)\W{0,3}\d", re.I)
BARE_CUE_RE = re.compile(
    rf"(?<![^\W\d_])(?:цена|стоимость|price|cost|{_PRICE_WORDS_CA}|{_PRICE_WORDS_UA_BY}|{_PRICE_WORDS_NEW}|"
    rf"{_PRICE_EMOJI}|(?P<now>{_PRICE_WORDS_NOW}))"
    r"(?:\s(?:со\s+скидкой|с\s+доставкой|по\s+акции))?"  # "Цена со скидкой 12 000" (ru_dev2026h probes)
    rf"\s?[:=—–-]?\s?"
    rf"(?:от\s|from\s)?{_BARE_NUM}", re.I
)
# an amount and its unit before a price ("1г — ", "2 шт - ", "1oz: "): the head of BARE_AFTER_QTY_RE and, before a
# dash, of the shorthand rule (_QTY_DASH_BEFORE: "1г — 14к меф")
_QTY_HEAD = r"(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:г|гр|грамм\w*|g|gr|шт|штук\w*|pcs|oz|ml)\.?\s?"
BARE_AFTER_QTY_RE = re.compile(
    _QTY_HEAD + r"(?:[—–=:/|~➖-]{1,2}|\.{3,}|…+|"  # "➖": an emoji dash (issue 14, ru_dev2026j)
    r"за(?=\s?\d))\s?(?:~~)?"  # "1г ~ 2700", "1г ........ 2 800" (issue 14, ru_dev2026f); "1г — ~~16 000~~ 14 000"
    + _BARE_NUM, re.I
)
# a bare amount after the unit it is the price of ("Меф за грамм 14 000", "за 1 гр: 3000", "за шт 1500"; issue 14,
# ru_dev2026q): a price of one unit in the default currency (_PER_BEFORE names the unit); "за 1 гр — 3000" is read as
# an amount and its price (BARE_AFTER_QTY_RE), "за 2г — 5500" is a tier
BARE_AFTER_PER_RE = re.compile(r"(?<![^\W\d_])за\s+(?:грамм|грамма|гр|г|штуку|шт)\.?\s?[:=—–-]?\s?"
                               + _BARE_NUM, re.I)
_AFTER_PER_HINT = re.compile(r"за\s+(?:г|шт)", re.I)
# the new price before "вместо" and the old one ("Акция! 9000 вместо 10000", "9 000 (вместо 10 000)"; issue 14,
# ru_dev2026h probes): a price in the default currency (the old one is aside: _ASIDE_BEFORE)
BARE_BEFORE_INSTEAD_RE = re.compile(r"(?<![\w.,~])" + _BARE_NUM + r"(?=[^\S\n]?\(?[^\S\n]?вместо\s+\d)", re.I)
# the new price after an arrow from the old ("Цена 15 000 → 12 000"; ru_dev2026h probes; the old one is aside)
BARE_AFTER_ARROW_RE = re.compile(r"(?<=\d)[^\S\n]?(?:[^\W\d_]{1,4}\.?[^\S\n]?|[₽₸$€])?(?:→|->|=>|⇒|➡️?)[^\S\n]?"
                                 + _BARE_NUM, re.I)
_ARROW_HINT = re.compile(r"→|->|=>|⇒|➡")
_INSTEAD_HINT = re.compile(r"\dвместо|\d\W{1,3}вместо", re.I)
# a Russian tier row with only spaces between the amount and its price ("1г 3500 2г 6500", "0,5г 2000, 1г 3500";
# issue 14, ru_dev2026h probes): the price ends the row or the next amount follows it
BARE_AFTER_QTY_SPACE_RE = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:г|гр|шт)\.?[^\S\n]+" + _BARE_NUM
    + r"(?=[^\S\n]*(?:$|[,;/|]|\d+(?:[.,]\d+)?\s?(?:г|гр|шт)(?![^\W\d_])))", re.I | re.M)
# the same in English ("Coke: 1g 80 / 2g 150 / 3.5g 250 (USD)", "1g 90, 3.5g 280, 7g 520"; issue 14, dev 2026l): read
# only when two or more rows make a ladder
BARE_AFTER_G_SPACE_RE = re.compile(
    r"(?<![\w.,])\d+(?:[.,]\d+)?[^\S\n]?(?:g|gr|oz)\.?[^\S\n]+" + _BARE_NUM
    + r"(?=[^\S\n]*(?:$|[,;/|(]|\d+(?:[.,]\d+)?[^\S\n]?(?:g|gr|oz)(?![^\W\d_])))", re.I | re.M)
_G_SPACE_HINT = re.compile(r"\d[^\S\n]?(?:g|gr|oz)\.?[^\S\n]+\d", re.I)
# a price-list line of a product, a weight with no unit, a dash and a bare price ("▫️ Меф 0,5 — 8 000", "Гаш 1 - 10 000";
# issue 14, ru_dev2026f/h): the whole line, in Russian text; the weight a fraction or at most 10
BARE_AFTER_PRODUCT_WEIGHT_RE = re.compile(
    r"^[^\w\n]*[^\W\d_]{2,}(?:[^\S\n][^\W\d_]{2,})?[^\S\n](?:0[.,]\d{1,2}|[1-9](?:[.,]5)?|10)[^\S\n]?[—–-][^\S\n]?"
    + _BARE_NUM + r"[^\S\n]*$", re.I | re.M)
# (a line it matches has a dash before a digit: _AFTER_QTY_HINT admits it to _DEFAULT_HINT)
_PRODUCT_WEIGHT_HINT = re.compile(r"[^\W\d_][^\S\n](?:0[.,]\d|[1-9]|10)\S{0,2}[^\S\n]?[—–-][^\S\n]?\d", re.I)
_AFTER_QTY_SPACE_HINT = re.compile(r"\d\s?(?:г|гр|шт)\.?[^\S\n]+\d[\d \u00a0.,]*(?:\Z|\n|[;/|]|,\s|\s\d)", re.I)
# a street size and a dash before a bare amount ("1/8 - 40", "8th - 45 | Q - 85", "QP - 650"; issue 14, dev 2026g): a
# price in the market's currency. A letter (Q, O) or a price under 50 counts only in a ladder of two or more
_STREET_SIZE = (r"(?P<size>1/8|1/4|1/2|8th|eighth|quarter|half|zips?|ounce|oz|qp|hp|lbs?|pound|q|o)")
BARE_AFTER_STREET_RE = re.compile(
    rf"(?<![\w.,/]){_STREET_SIZE}\s?(?:[—–=:|~-]{{1,2}})\s?" + _BARE_NUM, re.I
)
_STREET_LETTER = {"q", "o"}
_WORD_NEXT = re.compile(r"[^\S\n]*[^\W\d_]")
# K/к/тыс. without a currency is a price only where a price may stand: not before a noun ("10K followers",
# "10к подписчиков") and not after a count noun ("followers: 10k")
_COUNT_NOUNS = (r"followers?|subscribers?|subs|views?|likes?|leads?|e?mails?|accounts?|members?|users?|contacts?|"
                r"numbers?|records?|lines?|plays?|streams?|visits?|visitors?|traffic|comments?|shares?|retweets?|"
                r"downloads?|installs?|hits?|подписчик\w*|просмотр\w*|лайк\w*|участник\w*|аккаунт\w*|номер\w*|"
                r"запис\w*|строк\w*|контакт\w*|пользовател\w*|визит\w*|переход\w*|прослушиван\w*|комментари\w*|"
                r"охват\w*|репост\w*|реакци\w*|подписок|reach|impressions?")  # "охват 15к" (ru_dev2026h probes)
_WORD_AFTER = re.compile(r"[^\S\n]?(?P<w>[^\W\d_]+)")  # on the same line: "7к\nМеф 1г — 13к" is a price
_QTY_DASH_BEFORE = re.compile(_QTY_HEAD + r"[—–=:➖-]\s?$", re.I)
# a Latin "k" after an amount and a dash in a Latin-letter Russian price list ("mef 1g — 15k", "Mef 0.5 — 8k"; issue
# 14, ru_dev2026j): thousands where the region's currency is the default
_LATIN_K_BEFORE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:g|gr|г|гр|шт|pcs)?\.?\s?[—–=:➖-]\s?$", re.I)
_PRICE_CUE_WORDS = {"за", "по", "per", "each", "ea", "a", "for", "for1", "цена", "price", "вместо", "instead"}
_COUNT_NOUN = re.compile(rf"(?:{_COUNT_NOUNS})", re.I)
# a gift card written "GC" ("Amazon GC $100", "Steam GC: $50"; issue 14, dev 2026q)
_GC = r"(?<![^\W\d_])(?:e-?)?gcs?"
# a denomination is not a price: "50 x 20€ notes", "$100 bills", "counterfeit 20 euro", "$100 gift card"
_DENOM_AFTER = re.compile(
    r"\s?-?\s?(?:euro\s+|eur\s+|usd\s+|dollars?\s+|рубл\w*\s+)?(?:notes?|bills?|banknotes?|купюр\w*|банкнот\w*|"
    r"(?:[^\W\d_]+\s+)?(?:gift\s*cards?|e-?gift|vouchers?|gcs?)|cards?|vouchers?|balance|баланс\w*|номинал\w*|prop|"
    r"face(?:\s+value)?|(?:credit\s+)?limit|in\s+(?:fake|prop|counterfeit)\b)(?![^\W\d_])",
    re.I,
)
_DENOM_BEFORE = re.compile(
    r"(?:counterfeit|fake|prop|replica|фальш\w*|поддел\w*|купюр\w*|банкнот\w*|номинал\w*|notes?\s+of|bills?\s+of|"
    r"gift\s*cards?|vouchers?|balance\s+of|with|face(?:\s+value)?(?:\s+of)?\s*:?|"
    rf"{_GC}\s*:?)\s*$",
    re.I,
)
MONEY_CUE = re.compile(r"counterfeit|fake\s+(?:money|notes|bills|cash)|prop\s+money|banknote|\bnotes\b|\bbills\b|"
                        r"купюр|банкнот|фальшив|\bprops?\b", re.I)
_TIMES_BEFORE = re.compile(r"\d\s*[xх×*]\s*$", re.I)
_COUNT_BEFORE = re.compile(r"(?:[xх×*]|\d)\s*$")  # "x 100 150.00 USD": a count before a spaced number
# a limit, not a price: "works on items up to $5000", "orders worth $200" (issue 14, dev 2026d)
_LIMIT_BEFORE = re.compile(r"(?<![^\W\d_])(?:up\s*to|worth)\s*$", re.I)
_CARD_BEFORE = re.compile(rf"card|voucher|balance|with|{_GC}(?![^\W\d_])", re.I)
# a face value or a balance named right before the amount, whatever the rest of the text: "номинал: 5.000 ₽", "Номинал в
# долларах: 100", "Баланс 12.000 ₽" (issue 14, ru_dev2026h probes)
_FACE_BEFORE = re.compile(r"(?<![^\W\d_])(?:номинал\w*|баланс\w*)(?:\s+в\s+[^\W\d_]+)?\s*:?\s*$", re.I)
_PRICE_WORD_BEFORE = re.compile(r"(?:price|цена|for|за)\W*$", re.I)
# "15 тысяч тенге", "3 тыщ" (the genitive plural; "тысяч" was read as 1) and Ukrainian "тис."/"тисяч" (issue 14,
# ru_dev2026k)
_MULTS = {"k": 1e3, "к": 1e3, "тыс": 1e3, "tys": 1e3, "тысяча": 1e3, "тысячи": 1e3, "тыщи": 1e3, "тыща": 1e3,
          "тысяч": 1e3, "тыщ": 1e3, "тис": 1e3, "тисяч": 1e3, "тисячі": 1e3, "тисяча": 1e3,
          "mio": 1e6, "млн": 1e6, "мың": 1e3, "ming": 1e3, "минг": 1e3}  # fmt: skip
_PER_UNIT = {"g": "g", "gr": "g", "gram": "g", "grams": "g", "гр": "g", "г": "g", "грамм": "g", "грамма": "g",
             "oz": "oz", "ounce": "oz", "mg": "mg", "ml": "ml", "мл": "ml",
             "lb": "lb", "lbs": "lb", "pound": "lb",
             # "$450/QP", "$1.6k/lb, $450/QP" (issue 14, dev 2026g): a quarter or half pound is a unit of ounces
             "qp": "qp", "hp": "hp",
             # "$35/8th" (issue 14, dev 2026l): an eighth of an ounce
             "8th": "8th", "eighth": "8th"}  # fmt: skip


@dataclass
class PriceMention:
    amount: float
    currency: str
    start: int
    end: int
    per: str | None = None  # "g", "oz", "unit" ... when the price is per unit ("$60/g", "10$ each")
    aside: bool = False  # shipping, an old or a saved amount: not what the goods cost (never a tier's price)

    def price(self) -> Price:
        return Price(round(self.amount, 8), self.currency)


def _currency(m: re.Match[str]) -> str | None:
    pre = m.group("pre")
    if pre:
        return _SYMBOLS.get(pre) or _PRE_CODES.get(pre.lower()) or pre.upper()
    if m.group("sym"):
        return _SYMBOLS[m.group("sym")]
    for i, (_, code) in enumerate(_CUR_WORDS):
        if m.group(f"c{i}"):
            return code
    return None


def _mult(raw: str | None) -> float:
    if not raw:
        return 1.0
    return _MULTS.get(raw.lower().rstrip("."), 1.0)


# a price range with one currency at its end ("10 000 - 12 000 ₽", "от 2500 до 3000 руб"): its first amount, in that
# currency, is a price too (the corpora label a range with its first amount); the two amounts are close (a weight
# before a price, "2 - 3000 ₽", is no range)
_RANGE_HINT = re.compile(r"\d\s?(?:[-–—]|до)\s?\d", re.I)
_RANGE_BEFORE = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+|\d+(?:[.,]\d+)?)\s?(?:[-–—]|до)\s?$", re.I
)


def _range_starts(text: str, found: list[PriceMention]) -> list[PriceMention]:
    out: list[PriceMention] = []
    for p in found:
        m = _RANGE_BEFORE.search(text, max(0, p.start - 24), p.start)
        if m is None or any(q.start < m.end("num") and m.start("num") < q.end for q in found):
            continue
        amount = parse_number(m.group("num"))
        if amount is not None and 0.3 * p.amount <= amount < p.amount:
            out.append(PriceMention(amount, p.currency, m.start("num"), m.end("num")))
    return out


# the first amount of a range written with one thousands suffix at its end ("14-16к", "12–15 тыс"; issue 14,
# ru_dev2026f): that amount has the suffix too
_SHORT_RANGE_BEFORE = re.compile(r"(?<![\w.,])(?P<num>\d{1,4}(?:[.,]\d{1,2})?)\s?[-–—]\s?$")


# a thousands word inside a price's own text ("380 ming so'm", "17 тыс.", "27к ₸")
_MULT_IN = re.compile(r"\d\s?(k|к|тыс\.?|тысяч[аи]?|мың|ming|минг)(?![^\W\d_])", re.I)
# the first amount of a range before it, "-" or "до" between ("350–380 ming so'm", "от 15 до 17 тыс.")
_SCALED_RANGE_BEFORE = re.compile(r"(?<![\w.,])(?P<num>\d{1,4}(?:[.,]\d{1,2})?)\s?(?:[-–—]|до)\s?$", re.I)


def _scaled_range_starts(text: str, found: list[PriceMention]) -> list[PriceMention]:
    """The first amount of a range whose thousands word is written once at its end carries it too ("350–380 ming
    so'm": 350 000, "от 15 до 17 тыс.": 15 000; issue 14, tg_dev2026p); it replaces the unscaled amount read there.
    The two amounts are close (a weight before a price, "1-15к", is no range)."""
    out = list(found)
    for p in found:
        m = _MULT_IN.search(text, p.start, p.end)
        r = _SCALED_RANGE_BEFORE.search(text, max(0, p.start - 12), p.start) if m else None
        amount = parse_number(r.group("num")) if r and m else None
        if r is None or m is None or amount is None:
            continue
        amount *= _mult(m.group(1))
        if not 0.3 * p.amount <= amount < p.amount:
            continue
        s, e = r.start("num"), r.end("num")
        out = [q for q in out if not (q.start < e and s < q.end)]
        out.append(PriceMention(amount, p.currency, s, e))
    return out


def _short_range_start(text: str, m: re.Match[str], p: PriceMention) -> PriceMention | None:
    r = _SHORT_RANGE_BEFORE.search(text, max(0, m.start() - 12), m.start())
    amount = parse_number(r.group("num")) if r else None
    if r is None or amount is None:
        return None
    amount *= _mult(m.group("mult"))
    return PriceMention(amount, p.currency, r.start("num"), r.end("num")) if 0.3 * p.amount <= amount < p.amount \
        else None


# a one-letter currency glued to an amount, read only where the place's currency is that one: "3800с" in Bishkek is
# 3 800 som, "5000r" (Latin-letter Russian) in Russia 5 000 roubles (issue 14, ru_dev2026g); a space before the letter
# ("10 с половиной", "1г с доставкой") or a small amount ("30с": seconds) is no price
_GLUED_LETTER_CURRENCY = {"с": "KGS", "c": "KGS", "r": "RUB"}
_GLUED_LETTER_HINT = re.compile(r"\d[^\S\n]?[сcr]", re.I)
_GLUED_LETTER = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+|\d{3,7})(?P<cur>[сcr])\.?(?![^\W\d_])", re.I)
# a som letter apart from the amount at the end of the line ("1 800 с", a shop's price field; issue 14, ru_dev2026k):
# nothing but a dot may follow on its line ("10 с половиной", "1г с доставкой" go on)
_SPACED_SOM = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+|\d{3,7})[^\S\n](?P<cur>[сc])\.?[^\S\n]*"
                         r"(?=\n|\Z)", re.I)


def _glued_letter(text: str, found: list[PriceMention], default_currency: str) -> list[PriceMention]:
    out: list[PriceMention] = []
    taken = _Spans(found)
    spaced = _SPACED_SOM.finditer(text) if default_currency == "KGS" else iter(())
    for m in [*_GLUED_LETTER.finditer(text), *spaced]:
        if _GLUED_LETTER_CURRENCY[m.group("cur").lower()] != default_currency or taken.overlaps(m.start(), m.end()):
            continue
        amount = parse_number(m.group("num"))
        if amount is not None and amount >= 100 and not _denomination(text, m.start(), m.end()):
            out.append(PriceMention(amount, default_currency, m.start(), m.end()))
    return out


# a Latin currency word that is also an English word, read only where the place's currency is that one: "300 000
# sum" in Tashkent is 300 000 sum (issue 14, ru_dev2026h); "the sum of 50" elsewhere, "5 sum" (under 100) no price
_PLACE_WORD = {"UZS": re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:[ \u00a0.,]\d{3})+|\d+(?:[.,]\d+)?)\s?"
                                 r"(?P<mult>k|к|ming|минг)?\s?sum(?![^\W\d_])", re.I)}


def _place_word(text: str, found: list[PriceMention], currency: str) -> list[PriceMention]:
    taken = _Spans(found)
    out = []
    for m in _PLACE_WORD[currency].finditer(text):
        amount = (parse_number(m.group("num")) or 0) * _mult(m.group("mult"))
        if amount >= 100 and not taken.overlaps(m.start(), m.end()) and not _denomination(text, m.start(), m.end()):
            out.append(PriceMention(amount, currency, m.start(), m.end()))
    return out


# the currency named before a bare amount: "Цена в тенге: 12 000", "в рублях 3500", "KZT: 12 000" (issue 14,
# ru_dev2026h probes); a crypto code is left out ("BTC: 3J98…" is an address)
_NAMED_CURRENCY = {"рублях": "RUB", "тенге": "KZT", "теңге": "KZT", "сомах": "KGS", "сумах": "UZS", "гривнах": "UAH",
                   "долларах": "USD", "манатах": "AZN", "драмах": "AMD", "лари": "GEL", "евро": "EUR", "сомони": "TJS",
                   "usd": "USD", "usdt": "USD", "kzt": "KZT", "rub": "RUB", "uzs": "UZS", "kgs": "KGS", "byn": "BYN",
                   "uah": "UAH", "gel": "GEL", "tjs": "TJS", "azn": "AZN", "amd": "AMD", "eur": "EUR"}  # fmt: skip
_NAMED_WORDS = "|".join(_NAMED_CURRENCY)
_NAMED_HINT = re.compile(rf"(?:{_NAMED_WORDS})\s?[:=—–-]?\s?\d", re.I)
_NAMED_BEFORE_RE = re.compile(
    rf"(?<![^\W\d_])(?:в\s+(?P<w1>{_NAMED_WORDS})\s?[:=—–-]?|(?P<w2>{_NAMED_WORDS})\s?[:=])\s?" + _BARE_NUM, re.I)


def _named_before(text: str, found: list[PriceMention], default_currency: str | None) -> list[PriceMention]:
    taken = _Spans(found)
    out = []
    for m in _NAMED_BEFORE_RE.finditer(text):
        cur = _NAMED_CURRENCY[(m.group("w1") or m.group("w2")).lower()]
        cur = "BYN" if cur == "RUB" and default_currency == "BYN" and m.group("w1") else cur  # "в рублях" in Minsk
        amount = parse_number(m.group("num"))
        if amount and not taken.overlaps(m.start("num"), m.end("num")) \
                and not _denomination(text, m.start("num"), m.end("num")):  # "Номинал в долларах: 100"
            out.append(PriceMention(amount, cur, m.start("num"), m.end("num")))
    return out


# an amount in Russian words with a thousands word ("полторы тысячи гривен", "Цена: пятнадцать тысяч тенге", "две
# тысячи пятьсот рублей"; issue 14, ru_dev2026j): a price with a currency word after it, or in the default currency
# after a price word ("пять тысяч за смену" is neither)
_WORD_AMOUNT_HINT = re.compile(r"тысяч|тыщ", re.I)
_WORD_AMOUNT = re.compile(
    rf"(?<![^\W\d_])(?P<words>(?:(?:{RU_NUMBER_WORD})\s+){{0,3}}(?:тысяч[аи]?|тыщ[иа]?)(?:\s+(?:{RU_NUMBER_WORD})){{0,3}})"
    rf"(?![^\W\d_])(?:\s?(?:{_POST})(?![^\W\d_]))?", re.I)
_WORD_AMOUNT_CUE = re.compile(r"(?:цена|стоимость|cena|tsena|ціна|вартість|кошт|за)\s*[:=—–-]?\s*$", re.I)


def _word_amounts(text: str, found: list[PriceMention], default_currency: str | None) -> list[PriceMention]:
    out: list[PriceMention] = []
    taken = _Spans(found)
    for m in _WORD_AMOUNT.finditer(text[:2000]):
        cur = next((code for i, (_, code) in enumerate(_CUR_WORDS) if m.group(f"c{i}")), None)
        if cur is None and _WORD_AMOUNT_CUE.search(text, max(0, m.start() - 24), m.start()):
            cur = default_currency
        amount = russian_amount(m.group("words"))
        if cur is not None and amount and not taken.overlaps(m.start(), m.end()):
            out.append(PriceMention(amount, cur, m.start(), m.end()))
    return out


_CARD_NUMBER_BEFORE = re.compile(r"(?<!\d)\d{4}([ -])\d{4}\1\d{4}\1$")  # a payment card's first three groups


def find_prices(text: str, default_currency: str | None = None) -> list[PriceMention]:
    """All price mentions in text order; shorthand prices use `default_currency` (skipped if None).

    Denominations ("50 x 20€ notes", "$100 bills", "a $100 gift card") are not prices; a K/к/тыс. number without
    a currency is one only where a price may stand (not "10K followers")."""
    found: list[PriceMention] = []
    if not _DIGIT.search(text):  # every price pattern has a digit, but an amount in words
        words = _word_amounts(text, found, default_currency) if _WORD_AMOUNT_HINT.search(text) else found
        return [p for p in words if not _wage(text, p.start, p.end)]
    for m in PRICE_RE.finditer(text):
        cur = _currency(m)
        rub = (m.group(_RUB_GROUP) or "").lower()
        if rub == "r" and (default_currency not in ("RUB", "BYN") or text[m.start(_RUB_GROUP) - 1].isdigit()):
            continue  # a Latin "r" apart is a rouble where roubles are paid ("12 000 r"; glued: _glued_letter)
        if cur == "RUB" and default_currency == "BYN" and (rub[:1] == "р" or rub == "r") and not rub.startswith("рос"):
            cur = "BYN"  # "руб"/"р." in Belarus are Belarusian roubles (the city's currency decides; "₽" stays RUB)
        num = m.group("num") or m.group("num2")
        if cur is None or num is None:
            continue
        start = m.start()
        if " " in num.strip() and _COUNT_BEFORE.search(text[: m.start()]):
            # "x 100 150.00 USD": the 100 is a count, not a thousands group
            head, num = num.split(" ", 1)
            start = m.start() + len(head) + 1
        amount = parse_number(num, crypto=cur in ("BTC", "XMR"))
        if amount is None or amount <= 0 or amount > 1e12:
            continue
        if _denomination(text, start, m.end()) or _threshold(text, start):
            continue
        if start >= 15 and text[start - 1] in " -" and _CARD_NUMBER_BEFORE.search(text, start - 15, start):
            continue  # "4400 4302 1234 5678\nBTC: …": the last group of a card number (issue 14, ru_dev2026f)
        end = m.end()
        if m.group("pre") == "$" and (dm := _DOLLAR_CODE_AFTER.match(text, end)):
            cur, end = dm.group("code").upper(), dm.end()  # "$350 AUD", "$25 CAD": whose dollars the code says
        amount *= _mult(m.group("mult") or m.group("mult2")) * (1e3 if m.group(_TR_GROUP) else 1.0)
        if m.group("thou"):
            amount += int(m.group("thou")) * 1e3  # "2 тыс 700 руб": 2 700
        found.append(PriceMention(amount, cur, start, end))
    if default_currency is not None and default_currency in _GLUED_LETTER_CURRENCY.values() \
            and _GLUED_LETTER_HINT.search(text):
        found += _glued_letter(text, found, default_currency)
    if _NAMED_HINT.search(text):
        found += _named_before(text, found, default_currency)
    if _WORD_AMOUNT_HINT.search(text):
        found += _word_amounts(text, found, default_currency)
    if default_currency in _PLACE_WORD and "sum" in text.lower():
        found += _place_word(text, found, default_currency)
    if found and _RANGE_HINT.search(text):
        found += _range_starts(text, found)
    if "/" in text or "|" in text:
        found += _ladder_and_unit_first(text, found)
    if default_currency and _DEFAULT_HINT.search(text):  # one scan: has any bare/shorthand pattern a chance?
        taken = _Spans(found)
        for m in _scan(SHORT_RE, _SHORT_HINT, text):
            if taken.overlaps(m.start(), m.start() + 1) or not _short_is_price(text, m):
                continue
            alone = not text[: m.start()].strip() and not text[m.end() :].strip()  # a price field of "9k" only
            if m.group("mult").lower() == "k" and not RUSSIAN_LETTER.search(text) and not (
                    alone and default_currency in _K_CURRENCIES) and not (
                    default_currency in REGION_CURRENCIES
                    and _LATIN_K_BEFORE.search(text, max(0, m.start() - 16), m.start())):
                continue  # English text writes K next to a currency ("$1.2k"): "10k+ sales", "1k" are counts
            amount = parse_number(m.group("num"))
            if amount is None or amount <= 0 or _denomination(text, m.start(), m.end()):
                continue
            if tail := m.group("tail"):
                amount = int(amount) + int(tail) / 10 ** len(tail) if amount.is_integer() else amount
            amount *= _mult(m.group("mult"))
            if (hundreds := m.group("hundreds")) and m.group("mult").lower().startswith(("тыс", "tys")):
                amount += int(hundreds)  # "3 тыс 500": 3 500
            found.append(PriceMention(amount, default_currency, m.start(), m.end()))
            if m.start() > 1 and (r := _short_range_start(text, m, found[-1])):
                found.append(r)  # "14-16к": 14 000 (a range is labelled with its first amount; issue 14)
        taken = _Spans(found)
        bare = [m for rx, hint in ((BARE_CUE_RE, _CUE_HINT), (BARE_AFTER_QTY_RE, _AFTER_QTY_HINT),
                                   (BARE_AFTER_STREET_RE, _AFTER_QTY_HINT), (BARE_BEFORE_INSTEAD_RE, _INSTEAD_HINT),
                                   (BARE_AFTER_ARROW_RE, _ARROW_HINT), (BARE_AFTER_PER_RE, _AFTER_PER_HINT))
                for m in _scan(rx, hint, text)]
        if RUSSIAN_LETTER.search(text):
            bare += [m for rx, hint in ((BARE_AFTER_QTY_SPACE_RE, _AFTER_QTY_SPACE_HINT),
                                        (BARE_AFTER_PRODUCT_WEIGHT_RE, _PRODUCT_WEIGHT_HINT))
                     for m in _scan(rx, hint, text) if (parse_number(m.group("num")) or 0) >= 100]
        elif len(spaced := list(_scan(BARE_AFTER_G_SPACE_RE, _G_SPACE_HINT, text))) > 1:
            bare += spaced  # "1g 80 / 2g 150 / 3.5g 250 (USD)": two or more rows make a ladder (issue 14, dev 2026l)
        # "10g - 30 / 25g - 65", "1/8 - 40 / 1/4 - 75": an English ladder's bare prices may be small (a Russian one
        # writes thousands: "1гр: 32кт" is 32 000)
        ladder = sum(1 for m in bare if m.re is not BARE_CUE_RE) > 1 and not RUSSIAN_LETTER.search(text)
        for m in bare:
            amount = parse_number(m.group("num"))
            if amount is None or amount < (10 if ladder and m.re is not BARE_CUE_RE else 50) or taken.overlaps(
                    m.start("num"), m.end("num")):
                continue
            if amount < 50 and _WORD_NEXT.match(text, m.end("num")):
                continue  # "1g - 30 reviews", "2g: 10.5 тыс": a word after the number, no bare price
            if m.re is BARE_AFTER_STREET_RE and m.group("size").lower() in _STREET_LETTER and not ladder:
                continue
            if m.re is BARE_CUE_RE and m.group("now") and not _OLD_PRICE_BEFORE.search(text, 0, m.start()):
                continue  # "сейчас 150 человек онлайн": "now" is a price cue only after an old price
            found.append(PriceMention(amount, default_currency, m.start("num"), m.end("num")))
        taken = _Spans(found)
        for m in _scan(BARE_PER_RE, _PER_HINT, text):
            if taken.overlaps(m.start(), m.end()):
                continue
            amount = parse_number(m.group("num"))
            if amount is not None and amount > 0:
                found.append(PriceMention(amount * _mult(m.group("mult")), default_currency, m.start(), m.end()))
    if found and _RANGE_HINT.search(text):
        found = _scaled_range_starts(text, found)
    found.sort(key=lambda p: p.start)
    for p in found:
        p.aside = _aside(text, p.start, p.end)
        pm = _PER_RE.match(text, p.end)
        if not (pm and pm.group("per")) and (rt := _RANGE_TAIL.match(text, p.end)) and (
                rm := _PER_RE.match(text, rt.end())) and rm.group("per"):
            p.per = _PER_UNIT.get(rm.group("per").lower(), "unit")  # "$8-10/g": the range's first amount, per gram
        elif pm and pm.group("per") and not _SIZE_ROW_AFTER.match(text, pm.end()):
            p.per = _PER_UNIT.get(pm.group("per").lower(), "unit")
            p.end = pm.end()
        elif em := _EACH_RE.match(text, p.end):
            p.per = "unit"
            p.end = em.end()
        elif p.start > 4 and _AT_EACH_BEFORE.search(text, max(0, p.start - 24), p.start):
            p.per = "unit"  # "100 bars @ $1.50": each piece (issue 14, dev 2026j probes)
        elif p.start > 4 and (bm := _PER_BEFORE.search(text, max(0, p.start - 24), p.start)):
            p.per = _PER_UNIT.get(bm.group("per").lower(), "unit")
        elif p.start > 4 and (bm := _PER_BEFORE_EN.search(text, max(0, p.start - 24), p.start)):
            p.per = "g" if (bm.group("per") or "").lower() in ("g", "gram") else "unit"
        elif p.start >= 3 and _EACH_BEFORE.search(text, max(0, p.start - 4), p.start) and not _WORD_AFTER.match(
                text, p.end):
            # "Экстази 5шт / по 1500р": each piece (a mass is not multiplied: units_of); "Шишки 2г по 11к": each
            # gram of the weight before it (issue 14, ru_dev2026j)
            p.per = "g" if _GRAMS_EACH_BEFORE.search(text, max(0, p.start - 16), p.start) else "unit"
    if _EXCHANGE.search(text) and _RATE.search(text):  # a currency exchange's amounts and limits: nothing sold
        return []
    return [p for p in found if not _wage(text, p.start, p.end)]


# a street size after a spaced slash that is priced itself: the next row of a ladder ("QP $720 / HP $1,350 / P $2,500";
# issue 14, dev 2026o), not the unit of the price before it ("$1100/lb", "$200 / oz")
_SIZE_ROW_AFTER = re.compile(r"(?<=\s(?:qp|hp|oz|lb))[^\S\n]*[:\-–=]?[^\S\n]*(?:[$€£]\s?)?\d|"
                             r"(?<=\s(?:lbs|8th))[^\S\n]*[:\-–=]?[^\S\n]*(?:[$€£]\s?)?\d", re.I)
# a price ladder whose currency is written once, after the last of three or more amounts ("2000 / 3800 / 9000 ₽",
# "40 | 75 | 140 $"): every amount of it has that currency, so the first tier keeps its price ("3.5 | $40" is an
# amount and its price)
_LADDER_BEFORE = re.compile(rf"(?:(?<![\w.,/{_SYM}])\d+(?:[ \u00a0]\d{{3}})*(?:[.,]\d{{1,2}})?\s?[/|]\s?){{2,5}}$")
_LADDER_NUM = re.compile(r"\d+(?:[ \u00a0]\d{3})*(?:[.,]\d{1,2})?")
# the currency and the unit before the amount: "€/g 9", "$/g 12", "₽/г 2500" (a price per unit)
_UNIT_FIRST = re.compile(rf"(?<![\w.,])(?P<sym>[{_SYM}])\s?/\s?(?P<per>g|gr|gram|oz|г|гр)\s?"
                         r"(?P<num>\d+(?:[.,]\d{1,2})?)(?![\d.,])", re.I)  # fmt: skip


def _ladder_and_unit_first(text: str, found: list[PriceMention]) -> list[PriceMention]:
    out: list[PriceMention] = []
    taken = _Spans(found)
    for p in found:
        if p.start and (lad := _LADDER_BEFORE.search(text, max(0, p.start - 60), p.start)):
            for n in _LADDER_NUM.finditer(text, lad.start(), lad.end()):
                amount = parse_number(n.group(0))
                if amount and amount > 0 and not taken.overlaps(n.start(), n.end()):
                    out.append(PriceMention(amount, p.currency, n.start(), n.end()))
    for m in _UNIT_FIRST.finditer(text):
        amount = parse_number(m.group("num"))
        if amount and amount > 0:
            per = _PER_UNIT.get(m.group("per").lower(), "g")
            out.append(PriceMention(amount, _SYMBOLS[m.group("sym")], m.start(), m.end(), per=per))
    return out


# a wage in a Russian job ad (klad shops hire couriers) is no price: "з/п от 150 000 тг", "1 000 $ в месяц";
# pay per task: "оплата 5 000 ₸ за клад", "платим 3 000 сом за адрес" (a pay word before and a task after)
_WAGE_BEFORE = re.compile(r"(?:з/п|зп|зарплат\w*|заработ\w*|доход\w*|оклад\w*|"
                          r"заробак\w*|заробіт\w*|(?<![^\W\d_])zp|zarplat\w*|oylik|ойлик|maosh\w*|"  # BY, UA, Latin, UZ
                          # Uzbek "a week/month/day": "haftasiga 3 000 000 so'm" (issue 14, ru_dev2026j)
                          r"haftasiga|oyiga|kuniga|ҳафтасига|ойига|кунига)"
                          r"\s*(?:от|до|ot|do)?\s*[:\-]?\s*$", re.I)
_WAGE_AFTER = re.compile(r"\s*(?:(?:в|у|за|на|/|v|za)\s*(?:месяц|мес|неделю|нед|смену|день|сутки|час|місяць|тиждень|"
                         r"mesyac|mesiac|mes|nedelyu|den)|haftasiga|oyiga|kuniga)(?![^\W\d_])\.?", re.I)
_PAY_BEFORE = re.compile(r"(?:оплата|платим|плачу|выплат\w*)\s*(?:от|до)?\s*[:\-]?\s*$", re.I)
# what a klad-shop courier is paid per ("за клад", "за адрес", "за надпись"): the pipeline's job-ad check reads it too
# "50 т.р. за рейс": a driver's pay per run (issue 14, ru_dev2026k)
TASK_WORDS = r"клад\w*|закладк\w*|адрес\w*|точк\w*|надпис\w*|прикоп\w*|тайник\w*|рейс\w*|ходк[аиу]"
_TASK_AFTER = re.compile(rf"\s*(?:за|/)\s*(?:1\s*)?(?:{TASK_WORDS})", re.I)
# the task written before the pay ("оплата за каждый клад 3 000 ₸", "за 1 адрес — 2 000 сом"; issue 14, ru_dev2026f)
_TASK_BEFORE = re.compile(rf"(?<![^\W\d_])за\s+(?:кажд\w+\s+|1\s*)?(?:{TASK_WORDS})\s*[:\-—–]?\s*$", re.I)
# pay for painting a shop's ad ("500 ₽ за надпись", "300 руб за трафарет"): never what goods cost; a pay word earlier
# on the line makes every "N ₽ за клад" after it pay too ("Оплата 500 ₽ за надпись, 1 000 ₽ за клад"; issue 14)
_AD_TASK_AFTER = re.compile(r"\s*(?:за|/)\s*(?:1\s*)?(?:надпис\w*|трафарет\w*|граффити)", re.I)
_PAY_IN_LINE = re.compile(r"(?<![^\W\d_])(?:оплат\w*|платим|плачу|выплат\w*)", re.I)
# a currency exchange ad ("Обмен USDT → тенге, курс 505, от 100 USDT"): amounts exchanged, not a price
# cashing out or withdrawing crypto is one too ("Обнал крипты", "Вывод USDT на карту"; issue 14, ru_dev2026k)
_EXCHANGE = re.compile(r"(?<![^\W\d_])(?:обмен\w*|обнал\w*|вывод\w*\s+(?:usdt|btc|eth|ltc|xmr|trx|крипт\w*|биткоин\w*|"
                       r"биткойн\w*|тезер\w*))(?![^\W\d_])", re.I)
_RATE = re.compile(r"(?<![^\W\d_])курс\w*", re.I)


def exchange_ad(title: str) -> bool:
    """A title offering a currency exchange ("Обмен USDT → тенге", "Обменник BTC/KZT"): its description's
    amounts (rates, limits) are not a price."""
    return bool(_EXCHANGE.search(title))


# a hiring word: "Нужен склад в Бишкеке, оплата 30 000 сом" is pay, not a price (issue 14, ru_dev2025 rd-tg-044)
_HIRING = re.compile(r"(?<![^\W\d_])(?:ищем|требу(?:ется|ются)|ваканси\w*|нуж(?:ен|на|ны)\s+(?:склад\w*|курьер\w*|"
                     r"закладчик\w*|кладмен\w*|работник\w*|сотрудник\w*|водител\w*|фасовщик\w*|люди|человек))"
                     r"(?![^\W\d_])", re.I)


def _wage(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 20) : start]
    if _WAGE_AFTER.match(text, end) or _WAGE_BEFORE.search(before) or _AD_TASK_AFTER.match(text, end):
        return True
    if _PAY_BEFORE.search(before) and _HIRING.search(text, 0, 2000):
        return True
    if _TASK_BEFORE.search(text[max(0, start - 40) : start]):  # "оплата за каждый клад 3 000 ₸" (issue 14)
        line = text[max(0, start - 120) : start]
        return bool(_PAY_IN_LINE.search(line[line.rfind("\n") + 1 :]))
    if not _TASK_AFTER.match(text, end):
        return False
    line = text[max(0, start - 120) : start]
    return bool(_PAY_BEFORE.search(before) or _PAY_IN_LINE.search(line[line.rfind("\n") + 1 :]))


_DIGIT = re.compile(r"\d")
# where a price field of nothing but "9k" (Latin k) is thousands of the local currency: the shops of Russia, Central
# Asia and the Caucasus write "9k" as they write "9к" (a price field "9k" in Karaganda; issue 14, ru_dev2026e)
_K_CURRENCIES = REGION_CURRENCIES
# a price that is not what the goods cost (README "Prices"): shipping ("Shipping $10", "+ $15 shipping"), an old
# price ("was $600", "regular price $450") or the amount saved ("Save $100"); "free shipping $45" and "incl.
# shipping $85" are the goods' price
_ASIDE_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:shipping|postage|delivery|s&h|reship|was|regular(?:\s+price)?|old\s+price|retail|rrp|save|"
    r"instead\s+of|было|раньше|вместо|стар(?:ая|ой)(?:\s+цен[аы])?|"  # Russian old prices (ru_dev2026g)
    r"обычн(?:ая|ой)(?:\s+цен[аы])?|"  # "обычная цена 15 000" (ru_dev2026h probes)
    # Russian shipping and savings ("Курьер +500р", "доставка 300 ₽", "скидка 500₽"; issue 14, ru_dev2026h)
    r"доставк[аи]|курьер(?:ом|ская\s+доставка)?|пересылк[аи]|скидк[аи]|экономия)\W{0,3}"
    r"(?:(?:worldwide|fees?|costs?|is|of|over|extra|tracked|express|insured|"
    # a carrier or service named between ("Shipping: Xpresspost $15", "Postage Royal Mail 1st class £4"; dev 2026o)
    r"xpresspost|expresspost|usps|ups|dhl|fedex|royal\s+mail|canada\s+post|auspost|priority|standard|signed|"
    r"(?:1st|first|2nd|second)\s+class|next\s+day|ndd)\W{1,3}){0,3}$",
    re.I,
)
# the sentence or phrase about delivery ended before the price: "Fast delivery. $35/g", "Domestic shipping, C$160"
_CLAUSE_END = re.compile(r"[.!?]\s+$|^(?:shipping|postage|delivery|tracked|tracking),\s+$", re.I)
_ASIDE_KEPT = re.compile(r"(?:free|incl\w*\.?|with)\s+(?:shipping|postage|delivery)\W{0,3}$|"
                         r"(?:с|включая|вкл\.?|бесплатн\w*)\s+(?:доставк\w*|курьер\w*)\W{0,3}$", re.I)
# on the price's own line: "Price: $65\nShipping: USPS" is the goods' price (issue 14, dev 2026m)
_ASIDE_AFTER = re.compile(r"[^\S\n]?\+?[^\S\n]?(?:shipping|postage|delivery|s&h)(?![^\W\d_])(?!\s+incl)", re.I)
# what a text must contain for a pattern to match in it (its core without look-arounds: a quick search)
_SHORT_HINT = re.compile(r"\d\s?(?:к|k|тыс|тис|tys|млн|мың|ming|минг)", re.I)
_CUE_HINT = re.compile(rf"цена|стоимость|price|cost|{_PRICE_WORDS_CA}|{_PRICE_WORDS_UA_BY}|{_PRICE_WORDS_NEW}|"
                       rf"{_PRICE_WORDS_NOW}|{_PRICE_EMOJI}", re.I)
_PER_HINT = re.compile(r"\d\s?(?:к|тыс\.?)?\s*(?:/|за)", re.I)
_AFTER_QTY_HINT = re.compile(r"(?:[—–=:/|~➖-]|\.{3}|…|за)\s?\d", re.I)
# any of the hints: a text that has none of them has no price in the default currency
_DEFAULT_HINT = first_char_gated(r"[\dцсpcз—–=:/|бнn~.…вктt💰💵💸🤑➖-]",  # the hints' first characters (IGNORECASE)
                                 "|".join(f"(?:{h.pattern})" for h in (_SHORT_HINT, _CUE_HINT, _PER_HINT,
                                                                      _AFTER_QTY_HINT, _INSTEAD_HINT,
                                                                      _AFTER_QTY_SPACE_HINT, _ARROW_HINT,
                                                                      _AFTER_PER_HINT)),
                                 re.I)  # fmt: skip


def _scan(rx: re.Pattern[str], hint: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """rx.finditer(text), skipped when the text lacks the pattern's hint (then it has no match)."""
    return rx.finditer(text) if hint.search(text) else iter(())


class _Spans:
    """The disjoint spans of the prices found so far: an overlap test in O(log n).

    `found` only grows while a _Spans is in use: its first len(found) prices are the ones to test against,
    indexed on the first test (most texts have no candidate to test)."""

    def __init__(self, found: list[PriceMention]) -> None:
        self._found, self._n = found, len(found)
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._built = False

    def overlaps(self, start: int, end: int) -> bool:
        if not self._built:
            spans = sorted((p.start, p.end) for p in self._found[: self._n])
            self.starts, self.ends = [a for a, _ in spans], [b for _, b in spans]
            self._built = True
        i = bisect.bisect_left(self.starts, end)  # spans [0, i) start before `end`
        return bool(i) and max(self.ends[max(0, i - 2) : i]) > start


def _short_is_price(text: str, m: re.Match[str]) -> bool:
    """ "12к", "12к за 1г", "3,5к/г" are prices; "10K followers", "10к подписчиков", "views: 5k" are counts."""
    after = _WORD_AFTER.match(text, m.end())
    # "1г — 14к меф", "3г - 24к шишки": after an amount and a dash a price stands, the product may follow it (issue
    # 14, ru_dev2026g); "10к подписчиков" stays a count
    if after and after.group("w").lower() not in _PRICE_CUE_WORDS and (
            _COUNT_NOUN.fullmatch(after.group("w")) or not _QTY_DASH_BEFORE.search(text, max(0, m.start() - 16),
                                                                                    m.start())):
        return False
    words = text[max(0, m.start() - 40) : m.start()].split()
    return not (words and _COUNT_NOUN.fullmatch(words[-1].strip(":-–—,.()")))


# what the buyer receives, not what they pay: "Cashapp transfer $1,000", "You pay $150, receive $1,000" (issue 14,
# dev 2026g)
_RECEIVED_BEFORE = re.compile(r"(?<![^\W\d_])(?:(?<!bank\s)(?<!wire\s)(?<!by\s)(?<!via\s)transfers?|receive|"
                              r"you\s+(?:get|receive)|get\s+back)\s*:?\s*$", re.I)


def _denomination(text: str, start: int, end: int) -> bool:
    """Whether the amount at [start, end) is the face value of notes, bills or cards rather than a price (the
    whole text is searched for MONEY_CUE only when the words before the amount could make it one)."""
    if _DENOM_AFTER.match(text, end):
        return True
    before = text[max(0, start - 30) : start]
    if _LIMIT_BEFORE.search(before) or _RECEIVED_BEFORE.search(before) or _FACE_BEFORE.search(before):
        return True
    if _DENOM_BEFORE.search(before) and (_CARD_BEFORE.search(before) or MONEY_CUE.search(text)):
        return not _PRICE_WORD_BEFORE.search(before)
    return bool(_TIMES_BEFORE.search(before)) and bool(MONEY_CUE.search(text))


# the code after a "$" amount names its dollars: "Ounce $350 AUD", "$25 CAD" (issue 14, dev 2026f)
_DOLLAR_CODE_AFTER = re.compile(r"\s?(?P<code>aud|cad)(?![^\W\d_])", re.I)
# an order threshold, not a price: "orders over $500 get free express", "reship for orders above $200", "min order
# $50 for a reship", "minimum spend €100" (issue 14, dev 2026f; "free shipping over $100" is shipping: _aside)
_THRESHOLD_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:(?:orders?|purchases?|spend(?:ing)?|baskets?)\s+(?:over|above|of\s+over|from|exceeding)|"
    # "Shipping: free over $200", "Delivery free above €50" (issue 14, dev 2026l; "free shipping over $100" is _aside's)
    r"free\s+(?:over|above|from)|"
    r"min(?:imum)?\.?\s+(?:order|spend|purchase)(?:\s+(?:value|amount|is|of))?|"
    # a bare minimum ("Fee 2%, min 0.01 BTC", "minimum: $50"; issue 14, dev 2026g), not minutes ("30 min $20")
    r"(?<!\d\s)(?<!\d)min(?:imum)?\.?)\s*:?\s*$",
    re.I,
)


def _threshold(text: str, start: int) -> bool:
    """Whether the amount at `start` is an order threshold ("orders over $500", "min order $50")."""
    return start > 8 and bool(_THRESHOLD_BEFORE.search(text, max(0, start - 40), start))


# an old price before an arrow to the new one ("6 000 ₽ → 4 800 ₽") or struck through in Markdown ("~~16 000~~
# 14 000 ₸"; issue 14, ru_dev2026g)
_OLD_BEFORE_ARROW = re.compile(r"\s?(?:→|->|=>|⇒|➡️?)\s?\d")
_STRUCK_BEFORE = re.compile(r"~~[^~\n]{0,6}$")
_STRUCK_AFTER = re.compile(r"[^~\n\d]{0,8}~~")


# a surcharge written with a plus after a word ("NDD +£10", "express +$15"; issue 14, dev 2026o): an extra, not the
# goods' price ("5+1", "$50 + $10 shipping" are other readings)
_SURCHARGE_BEFORE = re.compile(r"(?<![^\W\d_])[^\W\d_]{2,}[^\S\n]?\+[^\S\n]?$")


def _aside(text: str, start: int, end: int) -> bool:
    """Whether the price at [start, end) is shipping, an old price or a saving (PriceMention.aside)."""
    if _ASIDE_AFTER.match(text, end) or _OLD_BEFORE_ARROW.match(text, end):
        return True
    sym = start - 1 if start and text[start - 1] in "$€£" else start  # the amount's span may start after its sign
    if sym >= 2 and _SURCHARGE_BEFORE.search(text, max(0, sym - 24), sym):
        return True
    if start >= 2 and "~~" in text and _STRUCK_BEFORE.search(text, max(0, start - 8), start) \
            and _STRUCK_AFTER.match(text, end):
        return True
    before = text[max(0, start - 40) : start]
    m = _ASIDE_BEFORE.search(before)
    # "Fast delivery. $35/g": the sentence about delivery ended before the price
    return m is not None and not _ASIDE_KEPT.search(before) and not _CLAUSE_END.search(m.group(0))
