"""A page's category or breadcrumb ("Drugs > Cannabis > Buds", "Guides & Tutorials") as evidence.

- A category naming a drug section admits the title's ambiguous names ("~" aliases: "Gelato", "Ice", "Test
  E", strains) without a weight or dose — the page already says it sells a drug.
- A non-drug section ("Fraud", "Software", "Counterfeits", "Services", "Jewels & Gold") drops the weak and
  contextual readings (ambiguous aliases, misspellings, names inferred from a dose) but keeps unambiguous names
  (a Xanax listing filed under "Jewels & Gold" is still Xanax). An information section ("Guides & Tutorials",
  "E-Books") sells text about drugs: no substance at all, like the title cue "ebook".
- Neither ("Other", "Miscellaneous", a missing category) changes nothing.
Which substance a category names is listing_fields.with_category_hint's concern; this module reads sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from onionwatch.extractors.lexicon import Lexicon
from onionwatch.extractors.records import Substance

MAX_CHARS = 300
MAX_CACHED = 4096  # categories whose evidence is kept (a market has a few dozen; every listing names one)
# section words -> the class they stand for ("" = a drug section of no single class)
_DRUG_SECTIONS: tuple[tuple[str, str], ...] = (
    (r"cannabis|weed|marijuana|hash(?:ish)?|buds?|flowers?|concentrates?|edibles?|prerolls?|pre-rolls?|"
     r"vapes?|carts?|seeds|каннабис|марихуана|шишки|гашиш", "cannabinoid"),
    (r"steroids?|peds?|sarms?|peptides?|anabolics?|performance|стероиды", "performance"),
    (r"benzos?|benzodiazepines?|бензодиазепины", "benzodiazepine"),
    (r"opioids?|opiates?|opiods?|опиаты|опиоиды", "opioid"),
    (r"psychedelics?|hallucinogens?|lsd|shrooms|mushrooms|психоделики", "psychedelic"),
    (r"dissociatives?|disassociatives?|диссоциативы", "dissociative"),
    (r"stimulants?|стимуляторы", "stimulant"),
    (r"ecstasy|mdma|empathogens?|экстази", "empathogen"),
    (r"drugs?|chemicals?|research\s+chemicals?|rcs?|nps|prescriptions?|pharmacy|pills|tablets|"
     r"наркотики|вещества|рц", ""),
)
_INFO_SECTIONS = r"guides?|tutorials?|e-?books?|books?|manuals?|information|руководства|мануалы|обучение"
_OTHER_SECTIONS = (
    r"fraud|software|malware|hacking|carding|counterfeits?|counterfeit\s+items|services?|digital(?:\s+\w+)?|"
    r"jewel(?:le)?ry|jewels|gold|weapons?|accounts?|documents?|security|hosting|erotica|apparel|electronics|"
    r"paraphernalia|drug\s+paraphernalia|lab\s+supplies|услуги|документы|софт|работа|мошенничество"
)
_DRUG = [(re.compile(rf"(?<![^\W\d_])(?:{rx})(?![^\W\d_])", re.I), cls) for rx, cls in _DRUG_SECTIONS]
_INFO = re.compile(rf"(?<![^\W\d_])(?:{_INFO_SECTIONS})(?![^\W\d_])", re.I)
_OTHER = re.compile(rf"(?<![^\W\d_])(?:{_OTHER_SECTIONS})(?![^\W\d_])", re.I)
_SEP = re.compile(r"\s*(?:>|»|›|/|\\|\||→|::)\s*")


@dataclass(frozen=True)
class CategoryEvidence:
    drug: bool = False  # the deepest section that says anything is a drug section
    non_drug: bool = False  # ... a non-drug section
    info: bool = False  # ... an information product (guides, e-books): nothing is sold but text
    cls: str | None = None  # the drug class the section names, if one


NONE = CategoryEvidence()


def read_category(category: str | None) -> CategoryEvidence:
    """The evidence of a category or breadcrumb; the deepest section that names a kind decides
    ("Drugs > Paraphernalia" is paraphernalia, "Digital > Drugs guides" an information product)."""
    if not category or not category.strip():
        return NONE
    return _read_sections(category[:MAX_CHARS])


@lru_cache(maxsize=MAX_CACHED)
def _read_sections(category: str) -> CategoryEvidence:
    for part in reversed([p for p in _SEP.split(category) if p.strip()]):
        if _INFO.search(part):
            return CategoryEvidence(non_drug=True, info=True)
        if _OTHER.search(part):
            return CategoryEvidence(non_drug=True)
        for rx, cls in _DRUG:
            if rx.search(part):
                return CategoryEvidence(drug=True, cls=cls or None)
    return NONE


def contextual(sub: Substance, lexicon: Lexicon) -> bool:
    """Read from context rather than from an unambiguous name: an ambiguous alias, a misspelling, or a name
    inferred from a dose (confidence below 1)."""
    if sub.confidence < 1.0 or not sub.known:
        return True
    found = lexicon.lookup(sub.text)
    return found is None or found[1]


def apply_category(subs: list[Substance], evidence: CategoryEvidence, lexicon: Lexicon) -> list[Substance]:
    """`subs` as a non-drug section leaves them (the module doc); a drug section or none changes nothing here
    (its admission of ambiguous names happens before, as drug context)."""
    if evidence.info:
        return []
    if evidence.non_drug:
        return [s for s in subs if not contextual(s, lexicon)]
    return subs
