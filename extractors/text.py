"""Text hygiene before analysis: length cap, 1:1 homoglyph repair, script-ratio language detection."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 20_000  # analyse at most this many characters of one text (bounded time)

_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z]")
# a Russian letter (а-я, ё; not the Ukrainian і/ї/є): a Russian-language text or price list
RUSSIAN_LETTER = re.compile(r"[а-яё]", re.I)
# Latin letters that look like Cyrillic ones and back; used only inside mixed-script words.
_LAT2CYR = str.maketrans("aAcCeEHKMoOpPTxXyBk", "аАсСеЕНКМоОрРТхХуВк")
_CYR2LAT = str.maketrans("аАсСеЕНКМоОрРТхХуВкєѕіјяЯ", "aAcCeEHKMoOpPTxXyBkesijrR")
_MIXED = re.compile(r"[^\W\d_]*(?:[A-Za-z][^\W\d_]*[\u0400-\u04ff]|[\u0400-\u04ff][^\W\d_]*[A-Za-z])[^\W\d_]*")
# Characters replaced 1:1 so that offsets into the normalised text stay valid for the original.
_ONE_TO_ONE = str.maketrans(
    {
        "ё": "е",
        "Ё": "Е",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u2007": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2011": "-",
        "\u2010": "-",
        "\u2212": "-",
        "\u2044": "/",  # the fraction slash ("1⁄2 г": half a gram, not 2 g; issue 14, ru_dev2026k probes)
        "\t": " ",
        "\r": " ",
        "\x00": " ",
        "\u200b": " ",
        "\u200c": " ",
        "\u200d": " ",
        "\ufeff": " ",
    }
)


def _accent_folding() -> dict[int, str]:
    """Latin letters with diacritics -> base letter ("cocaïne" -> "cocaine"); one char to one char."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base
    return table


_ONE_TO_ONE.update(_accent_folding())
# "fancy text" spelled with Greek and letter-like symbols ("Cσcαιηє", "ρυяє"): Latin look-alikes
_ONE_TO_ONE.update(dict(zip(map(ord, "αβγδεηικμνορστυχωςƒℓ"), "abydenikuvopotuxwsfl", strict=True)))


_LAT_ALIKE = frozenset("aAcCeEHKMoOpPTxXyBk")  # the letters _LAT2CYR repairs
_CYR_ALIKE = frozenset("аАсСеЕНКМоОрРТхХуВкєѕіјяЯ")


def _fix_mixed(match: re.Match[str]) -> str:
    """The script the word can be written in: "MEФ" is Cyrillic (Ф has no Latin twin), "Cocаine" Latin; when
    either could be, the majority's."""
    word = match.group(0)
    cyr, lat = _CYR.findall(word), _LAT.findall(word)
    lat_ok, cyr_ok = all(c in _LAT_ALIKE for c in lat), all(c in _CYR_ALIKE for c in cyr)
    if lat_ok != cyr_ok:
        return word.translate(_LAT2CYR if lat_ok else _CYR2LAT)
    return word.translate(_LAT2CYR if len(cyr) >= len(lat) else _CYR2LAT)


# UTF-8 emoji decoded as cp1252 ("Š…Ä", "äÖƒ", "â€™"): runs of two or more such characters become spaces, also with
# underscores between them ("Š_à2,2 Gramm", "Š_—Š_Ü": a byte no code page maps, written "_"; issue 14, real dev
# misses 4), so a weight is no longer glued to a letter of the debris
_MOJIBAKE = re.compile(r"[\u0080-\u024f\u2010-\u2122](?:_*[\u0080-\u024f\u2010-\u2122])+")
# a micro sign decoded the same way, after a dose ("130Îµg", "100Ô_g/tab", "5 Âµg"; issue 14, real dev misses): the
# sign, not two letters of an emoji (else "130Îµg" would read as 130 g); written "mcg", the same length
_MICRO_MOJIBAKE = re.compile(r"(?<=\d)(\s?)(?:Îµ|Î¼|Âµ|Ô_)g(?![^\W\d_])")
_SURROGATES = re.compile(r"[\ud800-\udfff\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _translate_table() -> dict[int, int | str]:
    """_ONE_TO_ONE plus every other character of the scripts listings are written in mapped to itself: the same
    translation, but str.translate finds each character in the table (a character missing from a dict table
    costs it a KeyError: ~2x slower on a Cyrillic title or an offer line with a dash)."""
    table: dict[int, int | str] = dict(_ONE_TO_ONE)
    for block in (range(0x00, 0x250), range(0x370, 0x530), range(0x2000, 0x2070), range(0x20A0, 0x20C0)):
        for code in block:
            table.setdefault(code, code)
    return table


_TRANSLATE = _translate_table()


def normalize(text: str, max_chars: int = MAX_CHARS) -> str:
    """Cap length and repair homoglyphs; the result has the same length as the capped input."""
    text = text[:max_chars]
    if text.isascii() and text.isprintable():  # no control character, homoglyph or mojibake to repair
        return text
    if _MOJIBAKE.search(text):
        if "g" in text:
            text = _MICRO_MOJIBAKE.sub(r"\1mcg", text)
        text = _MOJIBAKE.sub(lambda m: " " * len(m.group(0)), text)
    text = text.translate(_TRANSLATE)
    if text.isascii() and text.isprintable():  # repaired to plain ASCII: no control character or mixed word left
        return text
    text = _SURROGATES.sub(" ", text)
    if _CYR.search(text) and _LAT.search(text):
        text = _fix_mixed_words(text)
    return text


def repair_mixed_words(text: str) -> str:
    """Only normalize's homoglyph repair, on words that mix Cyrillic and Latin letters ("Кaрaгaндa", "Мeф"); the
    rest of the text as written (a Telegram message keeps its dashes and emoji; issue 14, ru_dev2026f)."""
    return _fix_mixed_words(text) if _CYR.search(text) and _LAT.search(text) else text


_LETTER_RUN = re.compile(r"[^\W\d_]+")
# Cyrillic-block characters that are no letters (a thousands sign, combining marks, U+0482-U+0489): _MIXED takes
# one as its Cyrillic character, at the end of a run of letters or before one
_CYRILLIC_NON_LETTER = re.compile(r"[\u0400-\u04ff](?<![^\W\d_])")
_RUN_OR_MARK = re.compile(r"[^\W\d_]+|[\u0400-\u04ff](?<![^\W\d_])")
_SPAN = re.compile(r".+", re.S)


def _fix_mixed_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return _fix_mixed(match) if _CYR.search(word) and _LAT.search(word) else word


def _fix_mixed_words(text: str) -> str:
    """_MIXED.sub(_fix_mixed, text) in linear time (the pattern backtracks cubically in a long run of one script:
    "ж " + 2,000 Latin letters took a minute). Without a Cyrillic non-letter every character _MIXED takes is a
    letter: its matches are the runs of letters that hold both a Latin and a Cyrillic letter. With one (`mark`)
    after a run, the match also takes the mark and the run after it, when the first run has a Latin letter or the
    second one has; a mark that starts a match takes the run after it when that run has a Latin letter."""
    if not _CYRILLIC_NON_LETTER.search(text):
        return _LETTER_RUN.sub(_fix_mixed_word, text)
    tokens = list(_RUN_OR_MARK.finditer(text))
    parts: list[str] = []
    pos = k = 0

    def run_at(i: int, start: int) -> re.Match[str] | None:  # the run of letters token i, when it starts there
        if i < len(tokens) and tokens[i].start() == start and _LETTER_RUN.fullmatch(tokens[i].group(0)):
            return tokens[i]
        return None

    while k < len(tokens):
        tok = tokens[k]
        start, end, span = tok.start(), tok.end(), None
        if _LETTER_RUN.fullmatch(tok.group(0)):
            latin = bool(_LAT.search(tok.group(0)))
            mark = k + 1 < len(tokens) and tokens[k + 1].start() == end and not run_at(k + 1, end)
            after = run_at(k + 2, end + 1) if mark else None
            if mark and (latin or (after is not None and _LAT.search(after.group(0)))):
                span, k = (start, after.end() if after else end + 1), k + (3 if after else 2)
            elif latin and _CYR.search(tok.group(0)):
                span, k = (start, end), k + 1
            else:
                k += 1
        elif (after := run_at(k + 1, end)) is not None and _LAT.search(after.group(0)):
            span, k = (start, after.end()), k + 2
        else:
            k += 1
        if span is not None:
            parts += [text[pos : span[0]], _fix_mixed(_SPAN.fullmatch(text, *span))]  # type: ignore[arg-type]
            pos = span[1]
    return "".join(parts) + text[pos:]


def detect_lang(text: str) -> str:
    """ "ru" when Cyrillic letters make up at least 30 % of the letters (first 4,000 chars), else "en"."""
    sample = text[:4000]
    cyr = len(_CYR.findall(sample))
    if not cyr:
        return "en"
    lat = len(_LAT.findall(sample))
    return "ru" if cyr >= 0.3 * (cyr + lat) else "en"
