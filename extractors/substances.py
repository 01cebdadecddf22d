"""spaCy component `onionwatch_substances`: lexicon matching with context rules for ambiguous slang."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from onionwatch.extractors.cues import NON_DRUG
from onionwatch.extractors.lexicon import Lexicon, load_lexicon
from onionwatch.extractors.phrase_hits import phrase_hits
from onionwatch.extractors.quantities import FORM_WORDS_RE
from onionwatch.extractors.records import Substance
from onionwatch.extractors.tokenizer import Ext, doc_text

# stretched words ("нбоооом", "Н-бооом", "н боом", "цуунаммииии") and spaced letters ("C O K E")
_ELONGATED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][\s-]+)?[^\W\d_]*([^\W\d_])\1\1[^\W\d_]*(?:-[^\W\d_]+)*(?![^\W\d_])")
_PILL_DOSE = re.compile(r"(?<![\d.,])(\d{3})\s?\+?\s?mgs?\b", re.I)
# what makes "NAME 220mg" an ecstasy pill by its press name: a count ("50x", "x 10", a number opening the title:
# "5 Pink Super Mario 220mg"), a pill/press word, the weight written as a minimum ("240+ MG", "250MG+") or the
# pill's colour ("Yellow Twitter 120 mgs")
_PILL_COUNT = re.compile(
    r"\d+\s?x\b|\bx\s?\d+|\d+\s*(?:pills?|pcs|tabs|presses)\b|\bpills?\b|\bpress(?:es|ed|ers?)?\b|\bxtc\b"
    r"|^\W{0,40}\d{1,5}\s+(?=[^\W\d_])|\d\s?\+\s?mg|mgs?\s?\+"
    r"|\b(?:red|blue|pink|green|yellow|orange|purple|white|black|grey|gray|silver|gold|brown)\b",
    re.I,
)
# what makes an ambiguous press name ("Superman", "Rolls Royce", "PartyFlock") an ecstasy pill without a dose: a
# count or a pill/press word ("10x Green PartyFlock", "25 x Orange rolls royce", "Audemars Piguet (heavy pills)")
_PRESS_CONTEXT = re.compile(
    r"\d+\s?x\b|\bx\s?\d+|\d+\s*(?:pills?|pcs|pieces|tabs|presses)\b|\bpills?\b|\bpress(?:es|ed|ers?)?\b"
    r"|^\W{0,40}\d{1,5}\s+(?=[^\W\d_])",
    re.I,
)
# ecstasy slang that is no press name: a count alone does not make "Fire Beans x 10" or "50x Pills" ecstasy
_MDMA_SLANG = frozenset({"beans", "rolls", "x pills", "x-pills", "e-pills", "pills xtc", "ex", "mandy", "emma"})
# a medicine's generic name (antibiotics, blood-pressure drugs ...): a counted 100-400 mg tablet of it is no
# ecstasy pill ("30 Ciprofloxacin 250mg", "Losartan 100mg x 30")
_INN_SUFFIX = re.compile(r"[^\W\d_]{3,}(?:cillin|mycin|floxacin|cycline|pril|sartan|statin|olol|tidine|prazole|dipine|"
                         r"formin|gliptin|oxetine|apine|azepine|profen|coxib|vir|mab|zide|adine)\b|"
                         r"\b(?:hcl|hydrochlorid\w*|retard|sr|xr|sodium|citrate|phosphate|tartrate|maleate|sulfate|sulphate|"
                         r"succinate)\b", re.I)
# nor is a 100-400 mg edible, oil or drink ("Orange Zest Mints - 160mg", "Hemp Oil 300mg", "Thujone 100 mg/ml"), nor
# an injectable sold by the vial or millilitre ("Cut Stack 150mg, 10 ml vial")
_NOT_PILL = re.compile(r"\b(?:mints?|belts?|oils?|hemp|drinks?|tea|absinth\w*|honey|butter|syrup|tincture|"
                       r"blondies?|bombs?|vials?|amps?|ampoules?|\d+\s?ml)\b|mg\s?/\s?(?:1\s?)?ml", re.I)
# "250mg/ml": an injectable's strength is drug context, though no amount sold
_CONCENTRATION = re.compile(r"\d\s?mg\s?/\s?(?:1\s?)?ml(?![^\W\d_])", re.I)
# counted or measured vials and ampoules, a dose in international units ("5 vials", "1 x 10 ml vial", "Botox 100iu";
# issue 14, real dev misses 4): drug context for an ambiguous name, as a dose-form word is (not "snuff vial")
_VIAL_OR_IU = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?\s?(?:x\s?)?(?:ml\s+)?(?:vials?|ampoules?|ampules?|iu)"
                         r"(?![^\W\d_])", re.I)
# a generic name ("steroids", "SARMs", "nitazene") beside a named one of its class says nothing more
_GENERIC = frozenset({"anabolic-steroid", "sarm", "nitazene"})
# words that name synthetic cannabinoids as a group ("K2", "spice", "микс") but are filed under one canonical: beside
# a named synthetic cannabinoid ("ADB-BUTINACA ... K2 raw powder") they name no second substance
_GENERIC_FORMS = {"synthetic_cannabinoid": frozenset({
    "k2", "k-2", "k 2", "spice", "blend", "herbal blend", "herbal incense", "synthetic weed", "synthetic cannabis",
    "synthetic cannabinoid", "synthetic cannabinoids", "synthetic cannabanoid", "synthetic cannabanoids",
    "fake weed", "legal high", "legal highs", "research chemical", "спайс", "спайса", "спайсы", "микс", "миксы",
    "микса", "химка", "химки", "химия", "реагент", "реагента", "курительная смесь", "курительные смеси"})}  # fmt: skip
# words that name no one substance ("research chemical", "legal high") though filed under one canonical, and slang
# for a family filed under one member ("flakka": α-PVP and its kin): beside another named substance of the class (a
# family word) or of any class (a "research chemical") they name no second one ("Alpha-PHP 1g, flakka crystals",
# "Metonitazene 0.5g, research chemical")
_ANY_CLASS_FORMS = frozenset({"research chemical", "research chemicals", "legal high", "legal highs"})
_FAMILY_FORMS = {"cathinone": frozenset({"flakka", "flaka"})}
# a carrier or an ingredient named beside the product: CBD flower sprayed with THC-P/HHC is sold for the THC-P;
# "Tusi (2C-B ketamine mix)" is tusi
_CARRIED = {"cbd": frozenset({"hhc", "thcp", "thc-o", "delta-8-thc"}), "ketamine": frozenset({"tusi"}),
            "2c-b": frozenset({"tusi"}), "mdma": frozenset({"tusi"})}  # fmt: skip
# "химка": a solvent hash, or herb sprayed with a synthetic cannabinoid ("Химка 2г" + "спайс, реагент на траве"):
# beside a named synthetic cannabinoid it is that one's carrier, not cannabis (issue 14, ru_dev2026d)
# "твёрдый" ("the solid one"): hashish in most shops, but a pressed synthetic where the listing names one ("Твёрдый 1г,
# реагент"): beside a named synthetic cannabinoid it is no cannabis either (issue 14, tg_dev2026k / ru_dev2026k)
_SPRAYED_HERB = frozenset({"химка", "химку", "химки",
                           "твердый", "твёрдый", "tverdyi", "tverdyy", "tverdiy", "tvyordyi"})
# a name compared with or denied, not offered: "Flakka-like", "Molly replacement", "Ketamine analogue", "a Xanax
# alternative"; "real var not dbol", "no fent", "without fentanyl"
_COMPARED = re.compile(r"\s?-\s?(?:like|style)(?![^\W\d_])|"
                       r"\s+(?:replacements?|substitutes?|alternatives?|analogu?e?s?|style)(?![^\W\d_])", re.I)
_NEGATED = re.compile(r"(?<![^\W\d_])(?:not|no|without)\s+$", re.I)
# a pressed pill sold by the look of an oxycodone tablet ("M30 blues - pressed fentanyl", "Iso pressed 'oxy 80'"):
# the fentanyl or nitazene named beside it is what is offered, the imprint names no oxycodone
_PRESSED = re.compile(r"(?<![^\W\d_])(?:press(?:ed|es)?|fake|counterfeit|not\s+pharma)(?![^\W\d_])", re.I)
_OXY_NAMES = ("oxycod", "oxycon", "oxicod", "roxicod", "oxynorm", "oxycotin")
_OTC = re.compile(r"ibuprofen|paracetamol|acetaminophen|aspirin|vitamin|supplement|metformin|antibiotic|amoxicillin|"
                  r"caffeine|magnesium|zinc|omega|probiotic|\bcbd\b|p-5-p|"
                  # supplements sold as capsules of 100-500 mg (issue 14, dev 2026p): "L-theanine 200mg x 120"
                  r"theanine|glycinate|creatine|ashwagandha|nootropic|melatonin|collagen|"
                  r"lion'?s\s+mane", re.I)  # fmt: skip
_JOINER = re.compile(r"\s*(?:&|\+|,|/|and|и|или|or)\s*", re.I)
_TRIPLE = re.compile(r"([^\W\d_])\1\1")
_SPACED_HINT = re.compile(r"(?<![^\W\d_])[^\W\d_][ -]{1,3}[^\W\d_][ -]")
_SPACED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ \-]{1,3}){2,}[^\W\d_](?![^\W\d_])")
_WORD = re.compile(r"[^\W\d_]{7,}")
# a name written with a dot after each letter ("M.D.M.A.", "L.S.D. blotter"; issue 14, real dev misses): looked up
# without the dots, only as an unambiguous name of 3+ letters; not an everyday abbreviation ("D.O.B." a date of
# birth, "P.M.A." a positive mental attitude, "D.P.T." a vaccine)
_DOTTED_HINT = re.compile(r"[^\W\d_]\.\s?[^\W\d_]\.")
_DOTTED = re.compile(r"(?<![^\W\d_.])(?:[^\W\d_]\.\s?){2,}[^\W\d_]?(?![^\W\d_]|\.[^\W\d_])")
_DOTTED_DENY = frozenset({"dob", "pma", "dpt"})
# a unit letter glued to a number before a stretched word ("7G Speeeed"): no part of the word
_UNIT_PREFIX = re.compile(r"[^\W\d_][\s-]+")
# a rate per hour ("100mcg/h") is a fentanyl patch's, never an LSD dose
_UG_DOSE = re.compile(r"(?<![\d.,])(\d{2,3})\s?(?:µg|μg|ug|mcg|мкг)(?![^\W\d_])(?!\s?/\s?(?:h|hr|hour)\b)", re.I)
# nor is a medicine dosed in micrograms that the lexicon leaves out ("Naloxone 400mcg", "T4 L-Thyroxine 100µg",
# "Salbutamol 100mcg"; issue 14, real dev misses 2), nor a supplement dosed in micrograms ("Melatonin 300µg",
# "Vitamin D3 25mcg", "Folic acid 400µg", "Selank 300mcg")
_UG_MEDICINE = re.compile(r"nalox\w*|narcan|\w*thyrox\w*|liothyronin\w*|cytomel|salbutamol|albuterol|clonidin\w*|"
                          r"desmopressin|fluticason\w*|budesonid\w*|\bt[34]\b|"
                          r"vitamin\w*|витамин\w*|melatonin\w*|мелатонин\w*|folic|folate|фолиев\w*|biotin|"
                          r"\w*cobalamin|\bb-?12\b|selenium|iodine|iodide|chromium|selank|semax|селанк|семакс", re.I)
# heroin by its grade number with an amount ("1g Colombian #4 Raw Uncut", "Afghan #4 - 0.25g", "10x #4 Stamps",
# "0.2 H no 3"); not a batch, lot or listing number ("Batch #4 1g")
# UK slang "K" for ketamine: a capital K opening the title or a segment of it, right before a weight in grams or its
# crystal forms, or right after a weight ("K 5g needles", "K - 28g", "| K 10g", "5g K shards"; not "10K followers",
# "K2", "Grade K 50g")
_K_SLANG = re.compile(r"(?:^|(?<=^\W)|(?<=[|\[\](/:])|(?<=[|\[\](/:–-]\s))K"
                      r"(?=[^\S\n]+[-–:]?[^\S\n]*(?:\d+(?:[.,]\d+)?[^\S\n]?(?:g|gr|grams?|G)(?![^\W\d_])|"
                      r"(?i:needles?|shards?|crystals?|rocks?)))"
                      r"|(?<=\d[gG][^\S\n])K(?=[^\S\n]+(?i:needles?|shards?|crystals?|rocks?|powder))")
# "H" for heroin and "Girl" for cocaine the same way, right before a weight in grams only ("H - 1 g", "[ESCROW] H
# 0.5g", "Girl 1G - UNCUT"; issue 14, dev 2026k; not "H&M", "Vitamin H 1g", "H2O 5g", "Cute girl figurine 200g")
_OPENING_SLANG = (r"(?:^|(?<=^\W)|(?<=[|\[\](/:])|(?<=[|\[\](/:–-]\s))(?P<w>{w})"
                  r"(?=[^\S\n]+[-–:]?[^\S\n]*\d+(?:[.,]\d+)?[^\S\n]?(?:g|gr|grams?|G)(?![^\W\d_]))")
_H_SLANG = re.compile(_OPENING_SLANG.format(w="H"))
_GIRL_SLANG = re.compile(_OPENING_SLANG.format(w="Girl|GIRL"))
# ... or "H" right after a weight in grams, standing alone ("0.5g h top stuff", "1g H - no cut"; issue 14, real dev
# misses 3; not "5g H2O", "10g H&M", "1g H-Bomb", "2g Hash")
_H_AFTER_WEIGHT = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?[^\S\n]?(?i:g|gr|grams?)[^\S\n]+(?P<w>[Hh])"
                             r"(?=[^\S\n]+(?:[^\W\d_]|[-–|:/])|[^\S\n]*(?:[|,;!]|$))", re.M)
_HEROIN_GRADE = re.compile(r"(?<![\w#])(?<!batch )(?<!listing )(?<!lot )(?<!part )(?<!order )"
                           r"(?:#\s?[34]|no\.?\s?[34]|number\s+[34])(?![\w])", re.I)
# "H" with its grade number glued or beside it ("10 gr H4", "2g H#4", "0.5 H no 3"; issue 14, real dev misses 4): heroin
# with an amount in grams or a bare number before it; not "H4 headlight bulbs", "Vitamin H 4g", "H&M"
_H_GRADE = re.compile(r"(?<![\w#&.-])H[^\S\n]?(?:#[^\S\n]?|no\.?[^\S\n]?|number[^\S\n]+)?[34](?![\w.,%])")
# tabs or hits of a blotter's print ("25 tabs Owl Print", "Owl print (500tabs)"; issue 14, real dev misses 5): LSD
# sold by its blotter art, named before "print", no drug name (confidence 0.5); a print without tabs (a spore print)
# and an art, screen or photo print are not
_PRINT_TABS = re.compile(r"(?<![\w.,])\d{1,4}\s?(?:x\s?)?(?:tabs|hits)(?![^\W\d_])", re.I)
_BLOTTER_PRINT = re.compile(r"(?<![^\W\d_])(?!(?i:art|fine|screen|photo|canvas|poster|wall|3d|spore|print)\s)"
                            r"[A-Z][^\W\d_]*\s+(?i:prints?)(?![^\W\d_])")
_BARE_NUMBER_BEFORE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?[^\S\n]+$")
_HEROIN_AMOUNT = re.compile(r"\d\s?(?:g|gr|grams?|mg)(?![^\W\d_])|(?<![^\W\d_])(?:stamps?|bags?|raw|uncut)(?![^\W\d_])",
                            re.I)
_RUN3 = re.compile(r"([^\W\d_])\1{2,}")
_RUN2 = re.compile(r"([^\W\d_])\1+")
_RUN3_END = re.compile(r"([^\W\d_])\1{2,}$")
# a Russian word ending in a hard sign, pre-1918 style or a slip of the key ("Гашъ", "Мефъ"), or in a soft sign after
# a hissing consonant, the common misspelling of a masculine noun ("Гашишь"): looked up without the sign (only a
# lexicon name found that way counts)
_HARD_END = re.compile(r"(?<![^\W\d_])[а-яё]{2,}(?:ъ|(?<=[жшчщ])ь)(?![^\W\d_])", re.I)
_HARD_HINT = re.compile(r"(?:ъ|(?<=[жшчщ])ь)(?![^\W\d_])", re.I)
# words that make an ambiguous cannabis name (a strain, "buds", "wax") a drug offer without a weight
CANNABIS_CONTEXT = re.compile(
    r"(?<![^\W\d_])(?:indoor|outdoor|greenhouse|top[- ]?shelf|a{3,5}\+*|a\+\+|grade\s?a\+*|strains?|hydro|"
    r"exotics?|nugs?|zips?|qp|ounces?|oz|lbs?|pounds?|eighths?|quarter|half\s?oz|1/8|1/4|thca?|420|flowers?|buds?|"
    r"smalls|sativa|indica|hybrid|kush|haze|dank|loud|zaza|cali|pheno|terps?|cured|trichomes?|shatter|hash|"
    # "Vapor carts, thick concentrate oil" (issue 14, real dev misses); "Mary Jane tincture" (real dev misses 4)
    r"concentrates?|tinctures?|"
    # cannabis grown in Humboldt County ("Humboldt grown dabs"; issue 14, real dev misses 5). A hash origin
    # ("Moroccan pollen") is no context without a weight (`_WEED_GRADE`): tried this round, withdrawn
    r"humboldt)"
    r"(?![^\W\d_])|\d+(?:[.,]\d+)?\s?%\s?thc",
    re.I,
)
# what sells seeds as cannabis seeds: how they are bred (feminised, regular, autoflowering, an F1/F2/S1 generation),
# a cannabis seed bank's name, or a count of them ("5 seeds", "25x Seeds", "seeds x3"); other seeds are non-drug
# phrases (extractors/data/non_drug.yaml: sunflower, poppy, tomato, grass, food hemp …) and never reach here
_SEED_CONTEXT = re.compile(
    r"(?<![^\W\d_])(?:fem|female|females|feminis\w*|feminiz\w*|reg|regular|autos?|autoflower\w*|photoperiod|[fs][1-9]|"
    r"breeders?|barney'?s\s+farm|royal\s+queen|dutch\s+passion|sensi\s+seeds?|dinafem|fast\s?buds|sweet\s+seeds|"
    r"greenhouse\s+seeds?|humboldt\s+seeds?|dna\s+genetics|serious\s+seeds|paradise\s+seeds|nirvana\s+seeds|"
    r"seedsman|world\s+of\s+seeds|delicious\s+seeds)(?![^\W\d_])|\d+\s?x?\s?seeds|seeds?\s?x\s?\d", re.I)
# street amounts the quantity parser leaves (issue 14, real dev misses): "3.5Gs", "grams of", "1 point" (a tenth of a
# gram), "1 .OZ", a title opening with ".5"/".25" (not ".99 cent") — drug context for English slang ("fire crack",
# "ice", "shards")
_STREET_AMOUNT = re.compile(
    r"(?<![\d.,])\d+(?:[.,]\d+)?\s?(?:gs|g's)(?![^\W\d_])|(?<![^\W\d_])grams?\s+of(?![^\W\d_])|"
    r"(?<![\d.,])(?:[1-9]|\d?[.,]\d)\s+points?(?![^\W\d_])|(?<![\d.,])\d+(?:[.,]\d+)?\s+\.\s?oz(?![^\W\d_])|"
    r"^\W{0,20}[.,](?:[1-9]|25|75)\s+(?=[^\W\d_])(?!cents?(?![^\W\d_]))",
    re.I,
)
# a sample or a count of street units "of" the name, a title's grammar of sale ("$20 sample of crack", "5 bags of raw
# ice", "sample of the new tar"; issue 14, real dev misses 4): drug context for the ambiguous name right after it
_SOLD_OF = re.compile(r"(?<![^\W\d_])(?:samples?|(?:\d+|a|one|two|three|four|five|ten)\s+(?:bags?|baggies|bundles?|"
                      r"rocks?|points?|stamps?))\s+of\s+(?:[^\W\d_]+\s+){0,2}$", re.I)
# klad-shop context: a dead-drop word, a district/micro-district, a shop's stock line
_KLAD = re.compile(r"(?<![^\W\d_])(?:клад\w*|заклад\w*|магнит\w*|прикоп\w*|тайник\w*|тайнич\w*|р-н|мкр|микрорайон\w*|"
                   r"в\s+наличии|нет\s+в\s+наличии|klad\w*|zaklad\w*|prikop\w*|magnit\w*)(?![^\W\d_])", re.I)
# a strain label named only by the leaf, "420" or "O.G" ("2g 🍁WEST COAST 420 O.G🍁"); 🌿 alone is any herb
_CANNABIS_MARK = re.compile(r"🍁|(?<!\d)420(?!\d)|(?<![^\W\d_])o\.g\.?(?![^\W\d_])", re.I)
_KLAD_WEIGHT = re.compile(r"^[0-4][.,]\d{1,2}$")
# an English label opening with a weight ("0.5 top quality coke", "1.0 Shards"), not a size or version ("2.5 Inch")
_EN_LABEL_WEIGHT = re.compile(r"\W{0,20}[0-4]?[.,]\d{1,2}\s+(?!(?:inch\w*|in|cm|mm|m|ft|feet|l|lt|lit\w*|v|version|"
                              r"kg|lbs?|ct|carat|mp|ghz|gb|tb|mb)(?![^\W\d_]))", re.I)
# No cannabis name, but the way only cannabis is sold (issue 14): a weight (grams, ounces, pounds, QP, "1/8")
# beside a grade, hash-origin or concentrate word ("High Grade Commercial 4 OZ", "3.5 Gram AAAA Dispensary
# Grade Concentrate", "2 gs Traditional Moroccan Pollen"); a weight named only the cannabis way (a fraction of
# an ounce, a QP, half a pound: "1/2 ounce of Wild Zombie"); an edible with a dose or a canna word ("Oatmeal
# Raisin Cookies 500mg"); a "canna-"/"thc-" compound ("Cannache", "THCookies"). Each word alone is generic
# ("AAA batteries", "pollen allergy", "cookies"): it counts only with the weight or dose.
_WEED_WEIGHT = re.compile(
    r"(?<![\d.,])\d{1,4}(?:[.,]\d+)?[}\])]?\s?(?:g|gs|gr|grs|grams?|gramm?e?s?|oz|ounces?|lbs?|pounds?)(?![^\W\d_]|-\d)|"
    r"(?<![^\W\d_])(?:qps?|zips?|eighths?|(?:half|quarter|full)\s?(?:lb|oz|ounce|pound|qp))(?![^\W\d_])|"
    r"(?<![\d/])1/[248](?![\d/]|\s?(?:pints?|inch\w*|in|cups?|tsp|tbsp|miles?|gal\w*|yards?|ft|cm|mm|ct|carats?|"
    r"turns?|scale|size)(?![^\W\d_]))",
    re.I,
)
# an ounce written as a capital "O" after "by the", "one", "an", "per", "half an" ("Runtz by the O", "One O $230"):
# only cannabis (and a few powders) is sold so; "half O" is read by the quantity parser too
_O_OUNCE = re.compile(r"(?<![^\W\d_])(?i:by\s+the|one|an|per|a|half(?:\s+an?)?)\s+O(?![\w'])")
_WEED_ONLY_WEIGHT = re.compile(
    r"(?<![\d/])1/[248]\s?(?:th\s+)?(?:of\s+)?(?:an?\s+)?(?:oz|ounces?|lbs?|pounds?)(?![^\W\d_])|"
    r"(?<![\d.,/])(?:[1-9]|1[0-6])(?:[.,]\d)?\s?(?:oz|ozs|ounces?)(?![^\W\d_])|(?<![^\W\d_])an?\s+ounce(?![^\W\d_])|"
    r"(?<![^\W\d_])(?:qp|(?:half|quarter|full)\s?(?:lb|pound|qp))(?![^\W\d_])|"
    r"(?<![\d.,])\d{1,2}\s?(?:lbs?|pounds?)(?![^\W\d_])|"
    # an eighth or a quarter written "1/8th" (issue 14, real dev misses 3), not a size ("1/8th inch")
    r"(?<![\d/])1/[48]\s?th(?![^\W\d_])(?!\s*(?:inch\w*|in|mile\w*|cups?|tsp|tbsp|of\s+(?:an?\s+)?(?:inch|mile|cup)))",
    re.I,
)
_WEED_GRADE = re.compile(
    r"(?<![^\W\d_])(?:(?:high|mid|low|top|lab|dispensary|medical|commercial)[\s-]?grade|midgrade|highgrade|"
    r"commercial|chronic|mids|reggie|a{3,5}\+*|a{1,2}\+{1,4}|top[\s-]?shelf|indoor|outdoor|"
    r"greenhouse|hydro|concentrates?|crumble|(?<!bee\s)pollen|polen|hasj|hasch|"
    # ... Moroccan also misspelt "Morrocian" (issue 14, real dev misses 5)
    r"morr?oc+(?:i?an|o)?|maroc\w*|tetouan|manali|"
    r"nepalese|lebanese|kashmiri|marokk\w*|gold\s+seal|charas|zero[\s-]?zero|cured?|strains?|paki|afghani|"
    r"mazar[\s-]i[\s-]sharif|marrakech|pollm|"
    # how flower is praised (issue 14, dev 2026d): "Pink Certz 1/4 - exotic, frosty", "3.5 of gassy za"
    r"exotics?|frosty|gassy|loud|za|zaza|dank|home[\s-]?grow[nm]?|"
    # a sieve's micron grade beside the weight ("Bubble 90u 3.5g", "73-120u 5g"; issue 14, dev 2026i probes)
    r"(?<![\d.,])(?:[4-9]\d|1[0-5]\d)(?:u|µ|μ))(?![^\W\d_])",
    re.I,
)
# an eighth written as a bare "3.5" ending a line or before a separator ("Sherbanger 3.5", "3.5 - gassy"; issue 14,
# dev 2026e) and the words flower is praised with: together they are cannabis (a bare 7/14/28 is too common alone)
_BARE_EIGHTH = re.compile(r"(?<![\w.,/$€£])3[.,]5(?=[ \t]*(?:$|[|/–—-]))", re.M)
_WEED_PRAISE = re.compile(r"(?<![^\W\d_])(?:exotics?|frosty|gassy|loud|za|zaza|dank)(?![^\W\d_])", re.I)
_EDIBLE = re.compile(
    r"(?<![^\W\d_])(?:cookies?|brownies?|gumm(?:y|ies|ie)s?|gumdrops?|candy|candies|chocolates?|lollipops?|"
    r"caramels?|truffles?|fudge|chews?|biscuits?|cupcakes?|cakes?|cheesecakes?|bites|suckers?|cocoa|tinctures?|bars?|"
    r"lemon\s+drops|rice\s+krispies|mints?|sour\s+belts?|blondies?|jolly\s+ranchers?|ranchers)(?![^\W\d_])",
    re.I,
)
_EDIBLE_DOSE = re.compile(r"(?<![\d.,])(\d{2,4})\s?mg(?![^\W\d_])|(?<![^\W\d_])(?:medicated|infused|medibles?|canna|"
                          r"\d+\s+doses)(?![^\W\d_])", re.I)
_CANNA_WORD = re.compile(
    r"(?<![^\W\d_])(?:(?:canna(?!bi[dn]|bac)|thc)[^\W\d_]{3,}|"
    r"canna[\s-](?:shots?|cordials?|sauces?|caps|capsu\w+|syrups?|oils?|butter|drinks?|tinctures?|sodas?|honey))"
    r"(?![^\W\d_])",
    re.I,
)
# brownies and space cakes sold by the piece or pack ("6-Pack of Chocolate Fudge Brownies", "BROWNIES 1 PIECE",
# "10 Gourmet BROWNIE BITES") are cannabis edibles without a dose or a canna word: a bakery sells no brownie here
_BROWNIE = re.compile(r"(?:brownies?|brownie\s+bites|edibles|space[\s-]?(?:cakes?|cookies?|muffins?))", re.I)
_PACK = re.compile(r"(?<![\w.,])\d{1,3}[\s-]?(?:pack|pk|count|ct|pieces?|pcs)(?![^\W\d_])|(?:^|\s)x\s?\d{1,3}\b|"
                   r"\b\d{1,3}\s?x(?:\s|$)|^\W{0,20}\d{1,3}\s+(?=[^\W\d_])", re.I)
# baked goods and sweets sold by the pack on a market ("6-Pack of Chocolate Chip Cookies", "12 pack fudge")
_EDIBLE_PACK = re.compile(r"(?<![\w.,])\d{1,2}[\s-]?pack(?![^\W\d_])", re.I)
# a sweet called an edible ("Milk Chocolate Edible Candy", "Strawberry hard candy edibles") or graded the way flower is
# ("Chewy Caramels - medical grade"; issue 14, real dev misses): a cannabis edible without a dose; not cake
# decorations or other things sold as "edible" (a replica's "AAA+" grade is no flower's: "Chocolate Dial [AAA+]")
_EDIBLE_NAMED = re.compile(r"(?<![^\W\d_])(?:edibles?|(?:medical|dispensary)[\s-]?grade)(?![^\W\d_])", re.I)
_NOT_CANNA_EDIBLE = re.compile(r"glitter|gold\s+leaf|sprinkles|toppers?|decorat\w*|\binks?\b|wafer\s+paper|printer|"
                               r"frosting|insects?|crickets?|underwear|panties|\blube|massage|flowers?\b", re.I)
_NOT_EDIBLE = re.compile(r"vitamin|melatonin|protein|caffeine|\bcbd\b|supplement|probiotic|keto|diet|"
                         r"browser|session|\blogs?\b|stealer|grabber|accounts?\b", re.I)
# a weight alone is no listing of a product ("2lb cl", "FREE 1/2 OZ with 1 OZ Purchase"): the weight-only reading
# wants a name beside it, a word of 3+ letters that is no unit or offer word
_OFFER_WORDS = frozenset(re.findall(r"\w+", """
    free freebie sample samples with and for the of off per each sale special deal deals offer price prices
    purchase order orders buy get now new only ship shipping shipped postage express priority tracking tracked
    escrow discount bulk wholesale gram grams ounce ounces pound pounds half quarter full custom listing private
    reserved grand opening"""))
_NAME_WORD = re.compile(r"[^\W\d_]{3,}")
# a strain written as one word ("GuavaCHEM", "PSYCHOBERRY", "DINAChem", "Grandaddy Purps", "-White-Widow-", a cross
# "Supersativa x Autoberry"; issue 14, real dev misses 3): read
# only beside a cannabis weight (`cannabis_by_kind`)
_STRAIN_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]*(?:kush|haze|skunk|dawg|purps?|diesel|widow|sativa|indica)"
                          r"(?![^\W\d_])|"
                          r"(?<![^\W\d_])[^\W\d_]{3,}(?:chem|berry)(?![^\W\d_])", re.I)
# a title that is only a weight in grams "of" a proper name ("5g of Purple Star", "20g of Apolo 13", "4g of Limited
# Edition"; issue 14, AlphaBay/Agora dev misses round 4): the way a strain is listed; not a metal, money, a cut or a
# supply (`_NOT_WEED`, `_NOT_NAMED`) and not an offer word alone ("1g of Free Sample")
_WEIGHT_OF_NAME = re.compile(r"^\W{0,5}(?:\d{1,4}(?:[.,]\d+)?[^\S\n]?(?i:g|gr|grams?)|(?i:one|a)[^\S\n]+(?i:gram))"
                             r"[^\S\n]+(?i:of)[^\S\n]+(?P<name>[A-Z][^\W_]*(?:[^\S\n]+[^\W_]+){0,3})[^\S\n]*[.!]*[^\S\n]*$",
                             re.M)
_NOT_NAMED = re.compile(r"(?<![^\W\d_])(?:gold|platinum|copper|bitcoins?|btc|salt|sugar|caffeine|creatine|protein|"
                        r"saffron|tea|coffee|spice|herbs?|kratom|"
                        # a chemical's ending ("1 Gram of Synthacaine": a legal high, no strain)
                        r"[^\W\d_]+(?:caine|amine|olam|epam|idine|azine|nyl))(?![^\W\d_])", re.I)
# goods sold by weight or grade that are no drug: scales, cutting agents, money, replicas, sprays
_NOT_WEED = re.compile(r"(?<![^\W\d_])(?:scales?|mannitol|inositol|lactose|cutting|notes?|banknotes?|coins?|"
                       r"bullion|silver|money\w*|replicas?|spray|batter(?:y|ies)|fl|fluid|oils?|extracts?|liquids?|"
                       r"solutions?|mist|odou?rs?|smells?|powder|"
                       # grow supplies sold by the pound ("Mushroom substrate 5 lbs"; issue 14, dev 2026d)
                       r"substrates?|spawn|coir|vermiculite|perlite|soil|compost|manure|gypsum|fertili[sz]ers?|"
                       r"nutrients?|"
                       # cured meat ("Beef jerky 1 lb, cured and smoked"; issue 14, dev 2026e)
                       r"jerky|beef|pork|salami|sausages?|meats?|"
                       # sieves and filter bags graded in microns (issue 14, dev 2026i probes)
                       r"mesh|sieves?|screens?|filters?|filter\s+bags?)(?![^\W\d_])|"
                       # a cut (cutting agent), not a strain's cut graded in A's ("Lemon Haze Cut - AAAA"; issue 14,
                       # real dev misses 5)
                       r"(?<![^\W\d_])cut(?![^\W\d_])(?!\s*[-–—:]?\s*a{3,5}\+*(?![^\W\d_]))", re.I)


# slang that names its drug only in a klad shop's text ("alpha 1g, klad magnit"), never from a weight alone
# ("Alpha Pharma 10ml", "Кофе Колумбия 250г"): dropped unless klad_context(text)
KLAD_ONLY = frozenset({"alpha", "перу", *(c + e for c in ("колумби", "боливи") for e in ("я", "и", "ю", "ей", "е"))})


def klad_context(text: str) -> bool:
    """A dead-drop word, a district or micro-district, a stock line ("клад", "магнит", "р-н", "в наличии"):
    drug context for ambiguous slang anywhere in the listing."""
    return bool(_KLAD.search(text[:5000]))


def _add_extension(name: str, default: Any) -> None:
    if not Doc.has_extension(name):
        Doc.set_extension(name, default=default)


@Language.factory(
    "onionwatch_substances",
    default_config={"lexicon_path": None, "suppress_non_drug": True},
)
def make_substance_matcher(
    nlp: Language, name: str, lexicon_path: str | None, suppress_non_drug: bool
) -> SubstanceMatcher:
    return SubstanceMatcher(nlp, load_lexicon(lexicon_path), suppress_non_drug=suppress_non_drug)


def flower_across(nlp: Language, title: str, desc: str) -> list[Substance]:
    """Cannabis named only by the way it is sold, read over a listing's title and description together ("Sherbanger
    3.5" + "Gassy za", "Pink Certz 1/4" + "exotic, frosty"; issue 14, dev 2026e): the amount is in one, the praise
    in the other. Offsets are into the part the match starts in."""
    matcher = nlp.get_pipe("onionwatch_substances")
    weed = matcher.cannabis_by_kind(f"{title}\n{desc}") if isinstance(matcher, SubstanceMatcher) else None
    if weed is None:
        return []
    if weed.start > len(title):
        weed = replace(weed, start=weed.start - len(title) - 1, end=weed.end - len(title) - 1)
    return [weed]


def _bar(s: Substance) -> bool:
    """ "Bar(s)" read as a Xanax bar."""
    return s.canonical == "alprazolam" and s.text.lower().startswith("bar")


class SubstanceMatcher:
    """Sets `doc._.substances` (one Substance per canonical name, in text order).

    Unambiguous aliases always count. Ambiguous ones ("~" in the lexicon: скорость, ice, bars …) count
    only when no unambiguous substance is present and the text has drug context (a mass/volume, count
    or dose form word); form descriptors ("~~": crystal, кристаллы) only when nothing else matched.
    Rejected ambiguous matches stay on `doc._.weak_substances` so a caller with wider context (the
    listing's tier lines) can accept them. Listings with non-drug cues (guide, ebook, scales, job
    ads …) get no substances.
    """

    def __init__(self, nlp: Language, lexicon: Lexicon, *, suppress_non_drug: bool = True) -> None:
        _add_extension("substances", None)
        _add_extension("quantities", None)
        _add_extension("non_drug", False)
        _add_extension("weak_substances", None)
        self.lexicon = lexicon
        self.suppress_non_drug = suppress_non_drug
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        tokenizer = nlp.tokenizer
        by_label: dict[str, list[str]] = {}
        for table in (lexicon.strong, lexicon.weak):
            for surface, canonical in table.items():
                by_label.setdefault(f"{lexicon.level(surface)}|{canonical}", []).append(surface)
        for label, surfaces in by_label.items():
            self.matcher.add(label, list(tokenizer.pipe(surfaces)))  # type: ignore[union-attr]

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        ext = Ext(doc)  # doc._ without an Underscore object per access (speed)
        cue = NON_DRUG.level(text) if self.suppress_non_drug else 0
        if cue == 2:
            ext.non_drug = True
            ext.substances = []
            return doc
        hits: list[tuple[int, int, str, int]] = phrase_hits(self.matcher, doc)  # longest of overlapping matches
        hits.extend(self._respelled(text, hits))
        compared = [h for h in hits if _compared_or_denied(text, h)] if hits else []
        if compared and len(compared) < len(hits):  # "Eutylone 5g, Molly replacement": eutylone alone
            hits = [h for h in hits if h not in compared]
            compared = []
        if len(hits) > 1 and self._pressed_look(text, hits):  # "M30 blues - pressed fentanyl": fentanyl alone
            hits = [h for h in hits if h[2] != "oxycodone"]
        shadows = NON_DRUG.shadowed(text) if hits else []  # they only take back names found
        if shadows:  # "2FA", "high speed", "ice cream": not a drug name
            hits = [h for h in hits if not any(s < h[1] and h[0] < e for s, e in shadows)]
        everyday = bool(shadows) and not hits  # every name was an everyday thing ("Соль для ванн 1 кг")
        if hits and _CODE_HINT.search(text):  # "t3" inside "bc1q…m2t3xwk8…": a wallet address, no drug name
            hits = [h for h in hits if not _in_code(text, h)]
        if hits and ("'" in text or "’" in text or "ʼ" in text):  # "ер" in "кур'ер": the end of a word
            hits = [h for h in hits if not _after_apostrophe(text, h)]
        if not hits and self.lexicon.fuzzy and self._drug_context(doc, []):
            hits.extend(self._fuzzy(text))
        best = min((h[3] for h in hits), default=0)
        chosen = [h for h in hits if h[3] == best or (h[3] == 1 and (self._listed_with(text, h, hits)
                                                                     or _line_product(text, h)))]
        if best == 0 and chosen and all(c in _GENERIC for _, _, c, _ in chosen):
            # only a generic name ("nitazene", "SARM") beside an ambiguous one of its class ("Iso 250mg, nitazene
            # powder"): the generic word is the context, the ambiguous name is what is sold (issue 14)
            classes = {self.lexicon.entries[c].cls for _, _, c, _ in chosen}
            chosen += [h for h in hits if h[3] == 1 and self.lexicon.entries[h[2]].cls in classes]
        ext.weak_substances = []
        if best > 0 and self._edible_bars(text, chosen):
            # "Lucky Charms Bars 500mg": no 2 mg Xanax bar; read as an edible below ("Edibles (4 x 100mg bars)":
            # the cannabis named beside the bars stays; issue 14, dev 2026l)
            chosen = [h for h in chosen if h[2] != "alprazolam"]
        if best > 0:
            ext.weak_substances = self._substances(text, chosen)
            chosen = chosen if self._paired(text, hits) or self._drug_context(doc, chosen) else []
            if chosen and not klad_context(text):  # kept as weak: the listing's description may be a klad shop's
                chosen = [h for h in chosen if text[h[0] : h[1]].lower() not in KLAD_ONLY]
        if best > 0 and chosen and self._microdosed_edible(text, chosen):
            chosen = []  # "Liquid Dosed Gummies 350ug": no cannabis edible is dosed in micrograms; LSD below
            ext.weak_substances = []
        ext.substances = self._substances(text, chosen)
        if compared:  # only a name compared with ("Molly replacement"): its class, but a guess (confidence 0.5)
            guessed = {(h[0], h[1]) for h in compared}
            ext.substances = [replace(x, confidence=0.5) if (x.start, x.end) in guessed else x
                              for x in ext.substances]
        if cue == 1 and not self._offered(best, chosen, ext.quantities or []):
            ext.non_drug = True  # "Netflix account", but not "1g heroin, NEW ACCOUNT"
            ext.substances = ext.weak_substances = []
            return doc
        if not ext.substances and not ext.weak_substances:
            ext.substances = self._inferred(text)
            if everyday and not ext.substances:  # nothing else read as a drug ("Ice Cream Cake 1 oz" is cannabis):
                ext.non_drug = True  # the amount is no drug's
        elif not ext.substances and all(s.cls == "cannabinoid" or _bar(s) for s in ext.weak_substances):
            # "Canna Shot - Bubblegum Flavour": a strain word left unread, the kind named elsewhere in the text;
            # "Dark Chocolate Cannache Half - Bar": an edible bar, no Xanax bar
            weed = self.cannabis_by_kind(text)
            weak = ext.weak_substances
            if weed and (_CANNA_WORD.fullmatch(weed.text) or not any(w.start < weed.end and weed.start < w.end
                                                                      for w in weak)):
                ext.substances = [weed]
        return doc

    def _pressed_look(self, text: str, hits: list[tuple[int, int, str, int]]) -> bool:
        """Oxycodone named only by a pill's look (M30, blues, oxy 80) beside fentanyl or a nitazene, in a text
        that says the pills are pressed (fake, not pharma)."""
        oxy = [text[s:e].lower() for s, e, c, _ in hits if c == "oxycodone"]
        return bool(oxy) and not any(o.startswith(_OXY_NAMES) for o in oxy) and any(
            c == "fentanyl" or self.lexicon.entries[c].cls == "nitazene" for _, _, c, _ in hits
        ) and bool(_PRESSED.search(text))

    @staticmethod
    def _offered(best: int, chosen: list[tuple[int, int, str, int]], quantities: list[Any]) -> bool:
        """A name sold by amount despite a soft cue: an unambiguous name with a mass or volume ("1g heroin, NEW
        ACCOUNT"), or slang with a weight ("1oz top notch shake ... great for cooking"; not "Empty 0.5ml Cartridge")."""
        if not chosen:
            return False
        if best == 0:
            return any(q.kind != "count" for q in quantities)
        return any(q.kind == "mass" and not q.guessed for q in quantities)

    def _inferred(self, text: str) -> list[Substance]:
        """No name at all, only a dose: a microgram dose ("Twins 150 µg - 100 hits") is LSD (confidence 0.6); a
        grade number with an amount ("1g Colombian #4 Raw Uncut") is heroin (0.5); a cannabis leaf, "420" or "O.G"
        with a weight in grams is cannabis (0.5); counted pills of 100-400 mg ("50x Green Heineken 220MG") are
        ecstasy (confidence 0.5); cannabis sold by grade, weight or as an edible is cannabis (`cannabis_by_kind`,
        0.5)."""
        m = _UG_DOSE.search(text)
        if (m and "lsd" in self.lexicon.entries and 20 <= int(m.group(1)) <= 500
                and not _UG_MEDICINE.search(text[:2000])):
            return [Substance("lsd", self.lexicon.entries["lsd"].cls, m.group(0), m.start(), m.end(), True, 0.6)]
        m = _K_SLANG.search(text[:300])
        if m and "ketamine" in self.lexicon.entries:  # "K 5g needles", "2g K shards" (issue 14, UK slang)
            return [Substance("ketamine", self.lexicon.entries["ketamine"].cls, m.group(0), m.start(), m.end(),
                              True, 0.6)]
        for rx, name in ((_H_SLANG, "heroin"), (_GIRL_SLANG, "cocaine"), (_H_AFTER_WEIGHT, "heroin")):
            m = rx.search(text[:300])
            if m and name in self.lexicon.entries:  # "H - 1 g", "Girl 1G" (issue 14, dev 2026k), "0.5g h"
                return [Substance(name, self.lexicon.entries[name].cls, m.group("w"), m.start("w"), m.end("w"), True,
                                  0.6)]
        m = _H_GRADE.search(text[:300])
        if m and "heroin" in self.lexicon.entries and (_HEROIN_AMOUNT.search(text[:300]) or _BARE_NUMBER_BEFORE.search(
                text, max(0, m.start() - 12), m.start())):  # "10 gr H4", "0.2 H no 3"
            return [Substance("heroin", self.lexicon.entries["heroin"].cls, m.group(0), m.start(), m.end(), True, 0.5)]
        m = _HEROIN_GRADE.search(text[:2000])
        if m and "heroin" in self.lexicon.entries and _HEROIN_AMOUNT.search(text[:2000]):
            return [Substance("heroin", self.lexicon.entries["heroin"].cls, m.group(0), m.start(), m.end(), True, 0.5)]
        m = _CANNABIS_MARK.search(text)
        if m and "cannabis" in self.lexicon.entries and re.search(r"\d\s?(?:g|gr|г|гр)(?![^\W\d_])", text, re.I):
            return [Substance("cannabis", self.lexicon.entries["cannabis"].cls, m.group(0), m.start(), m.end(), True,
                              0.5)]  # "2g 🍁🌿WEST COAST 420 O.G🍁🌿": a strain named only by the leaf
        weed = self.cannabis_by_kind(text)
        if weed is not None:
            return [weed]
        m = _PRINT_TABS.search(text[:300])
        if m and "lsd" in self.lexicon.entries and _BLOTTER_PRINT.search(text[:300]):
            return [Substance("lsd", self.lexicon.entries["lsd"].cls, m.group(0), m.start(), m.end(), True, 0.5)]
        m = _PILL_DOSE.search(text)
        if (m and "mdma" in self.lexicon.entries and 100 <= int(m.group(1)) <= 400 and _PILL_COUNT.search(text)
                and not _OTC.search(text) and not _INN_SUFFIX.search(text) and not _EDIBLE.search(text)
                and not _NOT_PILL.search(text)):  # fmt: skip
            return [Substance("mdma", self.lexicon.entries["mdma"].cls, m.group(0), m.start(), m.end(), True, 0.5)]
        return []

    def _microdosed_edible(self, text: str, hits: list[tuple[int, int, str, int]]) -> bool:
        """Only ambiguous cannabis words ("gummies", "edibles") or meth slang ("crystal": LSD crystal; issue 14, real
        dev misses 5) beside a microgram dose (`_inferred` reads LSD): neither is dosed in micrograms."""
        return all(self.lexicon.entries[c].cls == "cannabinoid" or c == "methamphetamine"
                   for _, _, c, _ in hits) and bool(
            _UG_DOSE.search(text[:2000])
        )

    @staticmethod
    def _edible_bars(text: str, hits: list[tuple[int, int, str, int]]) -> bool:
        """Only "bar(s)" read as alprazolam (beside nothing or cannabis), beside a dose of 50 mg or more: a Xanax bar
        is 0.5-2 mg."""
        dose = _EDIBLE_DOSE.search(text)
        bars = [h for h in hits if h[2] == "alprazolam"]
        return (bool(bars) and all(text[s:e].lower().startswith("bar") for s, e, _, _ in bars)
                and all(c == "cannabis" for _, _, c, _ in hits if c != "alprazolam")
                and dose is not None and dose.group(1) is not None and int(dose.group(1)) >= 50)  # fmt: skip

    def cannabis_by_kind(self, text: str) -> Substance | None:
        """Cannabis named by how it is sold, not by name (`_WEED_WEIGHT` above), confidence 0.5."""
        entry = self.lexicon.entries.get("cannabis")
        if entry is None:
            return None
        head = text[:2000]
        m = _CANNA_WORD.search(head)
        if m is None and (_WEED_WEIGHT.search(head) or _O_OUNCE.search(head)) and not _NOT_WEED.search(head):
            m = _WEED_GRADE.search(head) or _STRAIN_WORD.search(head) or self._weight_only(head)
        if m is None and (named := _WEIGHT_OF_NAME.match(head)) and not _NOT_WEED.search(named.group(0)) and \
                not _NOT_NAMED.search(named.group(0)) and \
                any(w.lower() not in _OFFER_WORDS for w in _NAME_WORD.findall(named.group("name"))):
            m = named  # "5g of Purple Star": a strain listed by its weight (issue 14, AlphaBay/Agora dev round 4)
        if m is None and (eighth := _BARE_EIGHTH.search(head)) and _WEED_PRAISE.search(head) and \
                not _NOT_WEED.search(head):
            m = eighth  # "Sherbanger 3.5" + "Gassy za": an eighth in grams, praised as flower
        if m is None and not _NOT_EDIBLE.search(head):
            edible = _EDIBLE.search(head)
            dose = _EDIBLE_DOSE.search(head) if edible else None
            # with a dose, or sold by the pack ("6-Pack of Chocolate Chip Cookies"; issue 14)
            if (dose and (dose.group(1) is None or 5 <= int(dose.group(1)) <= 2000)) or (
                    edible and _EDIBLE_PACK.search(head)) or (
                    edible and _EDIBLE_NAMED.search(head) and not _NOT_CANNA_EDIBLE.search(head)):
                m = edible

        if m is None:
            return None
        return Substance("cannabis", entry.cls, m.group(0), m.start(), m.end(), True, 0.5)

    @staticmethod
    def _weight_only(text: str) -> re.Match[str] | None:
        """A weight only cannabis is sold by ("1/8 oz", "QP", "Half LB") beside a name ("1/8 oz Green Ribbon")."""
        m = _WEED_ONLY_WEIGHT.search(text) or _O_OUNCE.search(text)
        if m is None:
            return None
        rest = _WEED_WEIGHT.sub(" ", _WEED_ONLY_WEIGHT.sub(" ", _O_OUNCE.sub(" ", text)))
        named = any(w.lower() not in _OFFER_WORDS for w in _NAME_WORD.findall(rest))
        return m if named else None

    def _fuzzy(self, text: str) -> list[tuple[int, int, str, int]]:
        """Misspellings of long unambiguous names ("flubromazolan", "mephedrome"; extractors/fuzzy.py), only with
        drug context."""
        out: list[tuple[int, int, str, int]] = []
        for m in _WORD.finditer(text[:2000]):
            canonical = self.lexicon.fuzzy_lookup(m.group(0))
            if canonical:
                out.append((m.start(), m.end(), canonical, 0))
        return out

    def _substances(self, text: str, hits: list[tuple[int, int, str, int]]) -> list[Substance]:
        seen: dict[str, Substance] = {}
        for start, end, canonical, _level in sorted(hits):
            if canonical not in seen:
                entry = self.lexicon.entries[canonical]
                seen[canonical] = Substance(canonical, entry.cls, text[start:end], start, end)
        return without_generic(list(seen.values()))

    @staticmethod
    def _listed_with(text: str, weak: tuple[int, int, str, int], hits: list[tuple[int, int, str, int]]) -> bool:
        """ "Cocaine & Speed", "Меф + Фен": slang joined to an unambiguous name is a second offer."""
        for s, e, _, level in hits:
            if level == 0:
                gap = text[e : weak[0]] if e <= weak[0] else text[weak[1] : s]
                if _JOINER.fullmatch(gap):
                    return True
        return False

    def _drug_context(self, doc: Doc, hits: list[tuple[int, int, str, int]]) -> bool:
        """A mass/volume, a dose form word or a per-gram price: a bare count ("x2"), a guessed bare number
        or the ambiguous word itself ("Gold Bar") is not enough."""
        ext = Ext(doc)
        if any(q.kind != "count" and not q.guessed for q in ext.quantities or []):
            return True
        text = doc_text(doc)
        if klad_context(text):
            return True
        guessed = [q for q in ext.quantities or [] if q.guessed and self._klad_weight(text, q)] if hits else []
        if guessed and any(e - s > 3 and text[s:e].isascii() and q.start >= e and not text[e : q.start].strip()
                           and q.value >= 1 for s, e, _, _ in hits for q in guessed):
            # "Colombian yayo 3.5": English slang of 4+ letters right before a bare street weight (issue 14; a
            # fraction of a gram stays a klad label's: "ALFA 0.5")
            return True
        if guessed:
            # "Скорость 0.5", "СК крис 0,3"; a Latin word in a Russian text too ("ALFA 0,5 Москва"), but not a
            # two-letter code ("SK 0.5" is too weak)
            # and English slang of 3+ letters after a weight opening the title ("0.5 top quality coke", "1.0 Shards")
            if any(not text[s:e].isascii() or (doc.lang_ == "ru" and e - s > 2) for s, e, _, _ in hits) or (
                    bool(_EN_LABEL_WEIGHT.match(text)) and any(e - s > 2 for s, e, _, _ in hits)):
                return True
            if doc.lang_ != "en":
                return False
            # an English text reads on: a bare weight takes no other context away ("Za 3.5 / Exotic gas"; issue 14)
        if any(p.per in ("g", "oz", "mg", "ml") for p in ext.prices or []) or _CONCENTRATION.search(text[:2000]) or (
                _VIAL_OR_IU.search(text[:2000])):
            return True
        if any(not any(s <= m.start() < e for s, e, _, _ in hits) for m in FORM_WORDS_RE.finditer(text)):
            return True
        if _STREET_AMOUNT.search(text[:2000]):
            return True
        if any(_SOLD_OF.search(text, max(0, s - 60), s) for s, _, _, _ in hits):
            return True  # "$20 sample of crack", "5 bags of raw ice"
        if (hits and all(c == "mdma" and text[s:e].lower() not in _MDMA_SLANG for s, e, c, _ in hits)
                and _PRESS_CONTEXT.search(text[:2000])):  # fmt: skip
            return True  # "10x Green PartyFlock", "Audemars Piguet (very heavy pills)"
        weed = [h for h in hits if self.lexicon.entries[h[2]].cls == "cannabinoid"]
        if weed and any(_BROWNIE.fullmatch(text[s:e]) for s, e, _, _ in weed) and _PACK.search(text[:2000]):
            return True  # "6-Pack of Chocolate Fudge Brownies", "48 Assorted Edibles"
        # a weight the quantity parser leaves ("2 gs Moroccan Pollen"); not for a descriptor ("strains")
        if any(h[3] == 1 for h in weed) and _WEED_WEIGHT.search(text[:2000]):
            return True
        if any(text[s:e].lower() in ("seeds", "seed") for s, e, _, _ in weed) and _SEED_CONTEXT.search(text[:2000]):
            return True  # "Lemon Chunk reg 5 seeds", "25x Seeds feminisiert" (issue 14, real dev misses 3)
        # a cannabis word outside the ambiguous name, or a second one ("Blue Dream flower")
        return bool(weed) and any(
            len(weed) > 1 or not any(s <= m.start() < e for s, e, _, _ in hits)
            for m in CANNABIS_CONTEXT.finditer(text[:5000])
        )

    @staticmethod
    def _paired(text: str, hits: list[tuple[int, int, str, int]]) -> bool:
        """Two different ambiguous words naming the same substance ("кислота, 2 марки", "ск ... крис")."""
        seen: dict[str, set[str]] = {}
        for s, e, canonical, level in hits:
            if level:
                seen.setdefault(canonical, set()).add(text[s:e].lower()[:4])
        return any(len(spans) > 1 for spans in seen.values())

    @staticmethod
    def _klad_weight(text: str, q: Any) -> bool:
        """A bare fractional number under 5 ("0.5", "0,33", "1.5"): the weight column of a klad-shop label."""
        return bool(_KLAD_WEIGHT.match(text[q.start : q.end].strip()))

    def _respelled(self, text: str, hits: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int]]:
        """Stretched or spaced-out spellings, looked up after collapsing repeated letters and spaces."""
        out: list[tuple[int, int, str, int]] = []
        head = text[:5000]
        passes = [rx for rx, hint in ((_SPACED, _SPACED_HINT), (_ELONGATED, _TRIPLE), (_HARD_END, _HARD_HINT),
                                      (_DOTTED, _DOTTED_HINT)) if hint.search(head)]
        for rx in passes:
            for m in rx.finditer(head):
                if any(s < m.end() and m.start() < e for s, e, _, _ in hits + out):
                    continue
                word, start = m.group(0).lower(), m.start()
                if rx is _ELONGATED and start and head[start - 1].isdigit() and (
                        unit := _UNIT_PREFIX.match(word)):  # "7G Speeeed": the letter is the weight's unit
                    word, start = word[unit.end():], start + unit.end()
                if rx is _DOTTED:
                    dotless = re.sub(r"[.\s]+", "", word)
                    if len(dotless) >= 3 and dotless in self.lexicon.strong and dotless not in _DOTTED_DENY:
                        out.append((m.start(), m.end(), self.lexicon.strong[dotless], self.lexicon.level(dotless)))
                    continue
                # "Speeeed", "weeeed": a stretched double letter, tried after the single one ("cokeee")
                forms = (
                    [re.sub(r"[ ]+", "", word)] if rx is _SPACED else [word[:-1]] if rx is _HARD_END
                    else [_RUN3.sub(r"\1", word), _RUN2.sub(r"\1", word), _RUN3.sub(r"\1\1", word),
                          # a stretched double letter and a stretched last letter ("Shroooomsss"; real dev misses 5)
                          _RUN3.sub(r"\1\1", _RUN3_END.sub(r"\1", word))]
                )
                for form in forms:
                    key = self._key(form)
                    if key and rx is _SPACED and len(key) <= 3 and key not in self.lexicon.strong:
                        break  # "G D P", "M D A": three spaced initials name only an unambiguous drug ("L S D")
                    if key:
                        out.append((start, m.end(), self.lexicon.strong.get(key) or self.lexicon.weak[key],
                                    self.lexicon.level(key)))  # fmt: skip
                        break
        return out

    def _key(self, form: str) -> str | None:
        for key in (form, form.replace("-", ""), re.sub(r"[\s-]+", "-", form), re.sub(r"[\s-]+", " ", form)):
            if key in self.lexicon.strong or key in self.lexicon.weak:
                return key
        return None


def without_generic(subs: list[Substance]) -> list[Substance]:
    """A generic name ("steroids", "SARMs") beside a named one of its class says nothing more: "Steroids Anavar
    10mg" is oxandrolone alone, in one text or across a listing's title and description. So does a group word filed
    under one synthetic cannabinoid ("K2", "spice") beside a named one, and a carrier or ingredient
    beside its product (`_CARRIED`: CBD beside THC-P, ketamine beside tusi)."""
    if len(subs) < 2:
        return subs
    names = {s.canonical for s in subs}
    subs = [s for s in subs if not (_CARRIED.get(s.canonical, frozenset()) & names)]
    if len(subs) > 1:
        subs = [s for s in subs if not (s.text.casefold() in _ANY_CLASS_FORMS and any(
            o.canonical != s.canonical for o in subs)) and not (s.text.casefold() in _FAMILY_FORMS.get(s.cls, ())
            and any(o.cls == s.cls and o.canonical != s.canonical for o in subs))]
    if any(s.cls == "synthetic_cannabinoid" for s in subs):
        subs = [s for s in subs if s.canonical != "cannabis" or s.text.casefold() not in _SPRAYED_HERB]
    forms = [s for s in subs if s.text.casefold() in _GENERIC_FORMS.get(s.cls, ())]
    if forms:
        named_forms = {(s.cls, s.canonical) for s in subs if s not in forms}
        subs = [s for s in subs if s not in forms or not any(c == s.cls for c, _ in named_forms)]
    if len(subs) < 2 or all(s.canonical not in _GENERIC for s in subs):
        return subs
    named = {s.cls for s in subs if s.canonical not in _GENERIC}
    return [s for s in subs if s.canonical not in _GENERIC or s.cls not in named]


def without_pressed_look(subs: list[Substance], *texts: str) -> list[Substance]:
    """Across a listing's title and description: oxycodone named only by a pill's look ("M30 blues x 100 -
    pressed" + "Pressed fentanyl M30s") beside fentanyl or a nitazene is dropped (`SubstanceMatcher._pressed_look`)."""
    oxy = [s.text.lower() for s in subs if s.canonical == "oxycodone"]
    if not oxy or any(o.startswith(_OXY_NAMES) for o in oxy) or not any(
            s.canonical == "fentanyl" or s.cls == "nitazene" for s in subs):
        return subs
    return [s for s in subs if s.canonical != "oxycodone"] if any(_PRESSED.search(t) for t in texts) else subs


# a crypto address, key or hash: 20+ ASCII letters and digits in one run (issue 14, ru_dev2026e: Telegram shops post
# their BTC/USDT addresses); a name the tokenizer finds inside one ("t3", "2c-b" in "…m2t3x…") is none
_CODE_HINT = re.compile(r"[0-9A-Za-z]{20}")
_CODE_RUN = re.compile(r"(?<![0-9A-Za-z])(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[0-9A-Za-z]{20,}(?![0-9A-Za-z])")


def _in_code(text: str, hit: tuple[int, int, str, int]) -> bool:
    start = hit[0]
    while start and text[start - 1].isascii() and text[start - 1].isalnum():
        start -= 1
    run = _CODE_RUN.match(text, start)
    return run is not None and run.end() >= hit[1] and (run.start(), run.end()) != (hit[0], hit[1])


def _after_apostrophe(text: str, hit: tuple[int, int, str, int]) -> bool:
    """A name right after a letter and an apostrophe is the rest of a word: Ukrainian and Belarusian write one inside
    words ("кур'ер", "об'ява", "м'ята"; issue 14, ru_dev2026f: "ер" read as ethylphenidate)."""
    start = hit[0]
    return start >= 2 and text[start - 1] in "'’ʼ" and text[start - 2].isalpha()


def _compared_or_denied(text: str, hit: tuple[int, int, str, int]) -> bool:
    """A name only compared with ("glass-like", "Molly replacement", "Ketamine analogue") or denied ("not dbol",
    "no fent") names nothing offered: dropped beside another name; alone it is kept as a guess of the class
    ("Hexecaine - cheap coke substitute" is a stimulant)."""
    return bool(_COMPARED.match(text, hit[1]) or _NEGATED.search(text, max(0, hit[0] - 10), hit[0]))


# or a bare fraction of a gram before a dash and its price ("Альфа 0,5 — 1 800р."; issue 14, ru_dev2026g)
# or an amount in words ("Альфа пол грамма — 2 000 сом", "Гер два шара — 3 000"; issue 14, ru_dev2026j)
_LINE_WEIGHT = re.compile(r"[^\n\d]{0,20}(?:\d+(?:[.,]\d+)?\s?(?:г|гр|грамм\w*|g|gr|шт|мкг|мг|ug|mcg|mg)(?![^\W\d_])|"
                          r"\d?[.,]\d{1,2}\s?[—–=-]\s?\d|"
                          r"(?:пол|полтора|полторы|один|одна|два|две|три|четыре|пять|десять)[\s-]?"
                          r"(?:грамм\w*|гр|г|шар\w*|шт\w*|штук\w*)(?![^\W\d_]))", re.I)  # fmt: skip
# a line opening with a slang amount before its product and price ("Полтос альфы — 1 800 ₽"; ru_dev2026g)
_LINE_AMOUNT_HEAD = re.compile(r"[^\w\n]*(?:полтос\w{0,2}|пол[\s-]?грамм\w*|грамм)\s+", re.I)
_PRICE_NEXT = re.compile(r"\s?[—–=:-]\s?\d")
# a line's label before its product ("Астана: скорость 1г 15к", "• Ош — гер 1г"): a city or a heading and a colon
_LINE_LABEL = re.compile(r"[^\w\n]*[^\W\d_][^\W\d_ -]*(?:[ -][^\W\d_]+){0,2}\s?[:—–]\s*")
# a price and a comma before the name on its line ("меф 1г 15 000₸, альфа 1г 16 000₸"; issue 14, tg_dev2026k): the
# ambiguous name starts the line's next item
_PRICED_BEFORE = re.compile(r"\d\s?(?:[₸₽$€]|тг\.?|т\.|тенге|руб\.?|р\.?|сом|сум|[кk]|тыс\.?)?\s*[,;]\s*$", re.I)


def _line_product(text: str, weak: tuple[int, int, str, int]) -> bool:
    """A price list's line opening with its own product and a weight ("Меф 1г — 450 000 сум\nСК 0,5г — 250 000
    сум"): the ambiguous name is a second offer, as one joined by "+" is (not "Скорость доставки 1 час")."""
    start, end = weak[0], weak[1]
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:start]
    if _PRICED_BEFORE.search(head[-40:]) and _LINE_WEIGHT.match(text, end):
        return True  # "меф 1г 15 000₸, альфа 1г 16 000₸": a second item of a one-line price list
    if "\n" in text and _LINE_AMOUNT_HEAD.fullmatch(head):
        return bool(_PRICE_NEXT.match(text, end))
    return "\n" in text and (not any(c.isalnum() for c in head) or bool(_LINE_LABEL.fullmatch(head))) \
        and bool(_LINE_WEIGHT.match(text, end))  # fmt: skip
