"""Unknown-substance discovery: substance-like names missing from the lexicon, with a confidence."""

from __future__ import annotations

import re
from dataclasses import dataclass

# chemical-name endings and the class they suggest
_SUFFIX_CLASS: list[tuple[str, str]] = [
    (r"pinaca|binaca|butinaca|pica|finaca|pinac|chmica|fubinaca|pentinaca|hexinaca", "synthetic_cannabinoid"),
    (r"nitazene|nitazepyne|nitazepipne|desnitazene", "nitazene"),
    (r"azolam|azepam|azepine|zolam", "benzodiazepine"),
    (r"fentanyl|fentanil|orphine|orphan|adol|codone|morphone", "opioid"),
    (r"drone|edrone|cathinone|ylone|valerophenone|pyrovalerone|propiophenone", "cathinone"),
    (r"tryptamine|nbome|nboh|lsd|lad", "psychedelic"),
    (r"ketamine|cyclidine|phenidine", "dissociative"),
    (r"amphetamine|phenidate|phenmetrazine|aminoindane|benzofuran|metrazine", "stimulant"),
]
_SUFFIX_RE = re.compile(
    r"(?<![\w-])(?P<name>(?:[0-9]{1,2}[a-z]{0,2}-)?(?:[a-z0-9]+-){0,3}[a-z]*(?:"
    + "|".join(f"(?P<s{i}>{pat})" for i, (pat, _) in enumerate(_SUFFIX_CLASS))
    + r"))(?![\w-])",
    re.I,
)
# codes like 3-HO-PCP, 4F-MPH, 2-FDCK, N-ETHYL-X, a-PHiP, ADB-5Br-INACA, CH-PIATA
_CODE_RE = re.compile(
    r"(?<![\w-])(?P<name>(?:\d{1,2}[A-Za-z]{0,2}|[αa]|alpha|N|O)-(?:[A-Za-z0-9]{1,8}-){0,3}[A-Za-z][A-Za-z0-9]{1,8}"
    r"|[A-Z]{2,6}-(?:\d[A-Za-z0-9]{0,6}-)?[A-Z][A-Za-z]{2,8})(?![\w-])"
)
_CONTEXT_RE = re.compile(
    r"(?<![\w])(?:\d+(?:[.,]\d+)?\s?(?:mg|g|gr|ug|mcg|мг|г|гр|kg|кг)|pellets?|powder|crystals?|research\s+chemicals?|"
    r"rcs?|blotters?|tabs|pills|purity|hcl|freebase|порошок|кристалл\w*|реагент\w*|таблет\w*)(?!\w)",
    re.I,
)
_NOT_A_SUBSTANCE = re.compile(
    r"^(?:\d+-(?:day|days|hour|hours|week|weeks|pack|packs|pcs|mg|g|gr|ml|x|in|of|for|step|year|years|bit|k|"
    r"th|st|nd|rd|d|color|colour|way|sided|layer|ply|star|month|piece|fold)|[a-z]-(?:mail|shirt|book|commerce|"
    r"gold|cash|bay|list|sport)|co-op|up-to|wi-fi|t-mobile|e-mail|x-mas|covid-\d+|usb-c|sha-\d+|utf-8|"
    r"n-a|n-[a-z]|o-[a-z]|a-[a-z]|alpha|\d+-\d+)$",
    re.I,
)


@dataclass
class Candidate:
    name: str  # lowercased surface form
    cls: str
    start: int
    end: int
    confidence: float


_SUFFIXES = tuple(suffix for pat, _ in _SUFFIX_CLASS for suffix in pat.split("|"))
_CHEM_WORD = re.compile(r"[a-z0-9-]{4,}")


# words that make a hyphenated all-caps token a phrase, not a code ("N-FACTORY", "FREE-SHIPPING")
_PLAIN_WORDS = frozenset(
    """factory free shipping ship quality high low deal date day left over auto fulfill globe world wide usa
    uk eu only stock best top new sale custom listing order express pack vendor escrow fe arg pure grade
    white black china brown pink blue green red yellow mix sample bulk price store shop""".split()  # noqa: SIM905
)
# class words and generic names: not a new substance
_GENERIC = frozenset(
    """benzodiazepine benzodiazepines tryptamine tryptamines cathinone cathinones amphetamine amphetamines
    phenethylamine phenethylamines opioid opioids cannabinoid cannabinoids nitazene nitazenes fentanyl
    fentanyls ketamine""".split()  # noqa: SIM905
)


def _plain(name: str) -> bool:
    parts = [p for p in name.split("-") if p]
    return name in _GENERIC or any(p in _PLAIN_WORDS for p in parts)


def _covered(name: str, is_known: object) -> bool:
    """The name or one of its hyphen parts is a lexicon name ("meow-meow", "amphetamine-dextroamphetamine")."""
    forms = {name, name.replace("-", " "), name.replace("-", "")}
    forms |= {p for p in name.split("-") if len(p) >= 5}
    return any(is_known(f) for f in forms)  # type: ignore[operator]


def find_candidates(text: str, known_spans: list[tuple[int, int]], is_known: object) -> list[Candidate]:
    """Substance-like names not covered by a lexicon match; `is_known(name) -> bool` checks the lexicon.

    Chemical endings (-pinaca, -azolam, -nitazene ...) give 0.6, codes (3-HO-PCP, CH-PIATA) 0.35, and
    dose/form context ("100mg", "pellets", "research chemical") adds 0.3; codes need that context."""
    found: dict[str, Candidate] = {}
    context: bool | None = None
    passes = []
    if any(w.endswith(_SUFFIXES) for w in _CHEM_WORD.findall(text.lower())):
        passes.append((_SUFFIX_RE, 0.6))
    if "-" in text:
        passes.append((_CODE_RE, 0.35))
    for rx, base in passes:
        for m in rx.finditer(text):
            start, end = m.span("name")
            name = m.group("name").lower()
            if len(name) < 4 or len(name) > 40 or _NOT_A_SUBSTANCE.match(name) or name.isdigit():
                continue
            if any(s < end and start < e for s, e in known_spans) or _plain(name) or _covered(name, is_known):
                continue
            cls = "other"
            if rx is _SUFFIX_RE:
                for i, (_, c) in enumerate(_SUFFIX_CLASS):
                    if m.group(f"s{i}"):
                        cls = c
                        break
            elif not re.search(r"[A-Z].*[A-Z]", m.group("name")):
                continue  # codes need at least two capitals ("3-HO-PCP", not "2-day")
            if context is None:
                context = bool(_CONTEXT_RE.search(text))
            if rx is _CODE_RE and not context:
                continue
            conf = base + (0.3 if context else 0.0)
            if name in found:
                continue
            found[name] = Candidate(name, cls, start, end, round(min(conf, 0.95), 2))
    return sorted(found.values(), key=lambda c: c.start)
