"""The rule modules' top-level patterns put behind first-character gates (prefilter.auto_gated: the same matches,
no full try at the positions where no match can start). Done once, on import, by the pipelines (extractors/nlp.py);
a rule module keeps writing plain `re.compile` and a pattern it changes is gated from its new text."""

from __future__ import annotations

from onionwatch.extractors import (
    category,
    cues,
    discovery,
    listing_fields,
    numbers,
    offers,
    places,
    prices,
    quantities,
    substances,
    tiers,
)
from onionwatch.extractors.prefilter import gate_patterns

RULE_MODULES = (category, cues, discovery, listing_fields, numbers, offers, places, prices, quantities, substances,
                tiers)  # fmt: skip
GATED_PATTERNS = sum(gate_patterns(vars(module)) for module in RULE_MODULES)
