"""Quantity mentions (masses, volumes, counts) found by regular expressions on the raw text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from onionwatch.extractors.numbers import WORD_NUMBERS, parse_number
from onionwatch.extractors.prefilter import first_char_gated
from onionwatch.extractors.records import Quantity
from onionwatch.extractors.text import RUSSIAN_LETTER

# a fraction has a small numerator and a denominator from 2 ("7 000 / 1г — 13 000": a tier list, not 7000/1)
_NUM = r"(?:\d+\s+\d\s*/\s*\d+|\d{1,2}\s*/\s*(?:[2-9]|[1-9]\d)(?!\d)|\d+(?:[.,]\d+)*|[.,]\d+|[½¼¾⅛])"
_WORDNUM = (r"(?:half\s+an?|half|a\s+quarter|quarter|an?|one|two|three|four|five|ten|"
            # "два с половиной грамма" (2.5), "четыре грамма", "десять грамм"; Latin-letter Russian "poltora gramma",
            # "pyat gramm", "odin gramm" (issue 14, ru_dev2026j)
            r"(?:один|одна|два|две|три|четыре|пять)\s+с\s+половиной|полтора|полторы|пол|один|одна|два|две|три|четыре|"
            r"пять|шесть|семь|восемь|девять|десять|пару|пара|poltora|poltory|pol|odin|odna|dva|dve|tri|chetyre|pyat|desyat)")
# unit surface -> (normalised unit, factor)
_MASS_UNITS: list[tuple[str, str, float]] = [
    (r"kg|kilos?|kilograms?|кг|кило(?:грамм\w*)?", "g", 1000.0),
    (r"mgs?|milligrams?|мг|миллиграмм\w*", "mg", 1.0),
    (r"µg|μg|ug|mcg|micrograms?|мкг|микрограмм\w*", "ug", 1.0),
    # "3.5gm", "7gms": the US abbreviation (issue 14, dev 2026h probes); "1грм" (issue 14, tg_dev2026p)
    (r"grams?|gramm?(?:a|ov)|gramm?e?s?|gramos?|grms?|gms?|gr|g|гр(?:амм?(?:а|ов|ы|и)?|м)?|г", "g", 1.0),
    # "1 0z": a zero typed for the O (a number glued to it, "10z", is no match: the number is read whole)
    (r"oz|0z|ounces?|onzas?|унци[яийю]\w*|унц|zips?", "oz", 1.0),
    (r"lbs?|pounds?|фунт\w*|фунта", "oz", 16.0),
    # "spore syringe 10cc" (issue 14, dev 2026j; lower-case only: "10 CC" are credit cards)
    (r"ml|мл|(?-i:cc)|milliliters?|millilitres?|миллилитр\w*", "ml", 1.0),
    (r"l|liters?|litres?|л|литр\w*", "ml", 1000.0),
]
_UNIT_ALT = "|".join(f"(?P<u{i}>{pat})" for i, (pat, _, _) in enumerate(_MASS_UNITS))
_END = r"(?![^\W\d_])"
# the number is matched atomically: a shorter reading of it is followed by a digit, "." or "/", never a unit, so
# backtracking into it (a few microseconds on every price like "123.45") could find nothing
# "220+MG", "240+ mg": a pill press's weight written as a minimum
MASS_RE = first_char_gated(r"[\d.,½¼¾⅛]",  # the first characters of _NUM
                           # (not after "#": "Heroin #4 1/2g" is half a gram of grade 4, not 4½ g)
                           # (after "10x": "10x50mg" is ten pieces of 50 mg; issue 14, dev 2026m)
                           rf"(?:(?<![\w.,/#])|(?<=\d[xX]))(?P<num>(?>{_NUM}))(?:\+(?=\s?(?:mg|мг)))?\s?-?\s?(?:{_UNIT_ALT}){_END}\.?",
                           re.I)  # fmt: skip
# "250mg/ml", "[100mg/1ml]": a concentration, never the amount sold; its milligrams are the dose (the strength per
# ml, as the labelled corpora record it: "Test E 250mg/ml 10ml vial" is 10 ml of 250 mg)
# "Masteron 100mg - 10ml": milligrams just before a volume are its strength too
_PER_ML = re.compile(r"\s?/\s?(?:1\s?)?(?:ml|мл)(?![^\W\d_])", re.I)
# "15mg/5ml" (a linctus): a strength per several ml, neither the amount sold nor one piece's dose (issue 14, dev 2026m)
_PER_N_ML = re.compile(r"[^\S\n]?/[^\S\n]?(?!1[^\S\n]?(?:ml|мл))\d+(?:[.,]\d+)?[^\S\n]?(?:ml|мл)(?![^\W\d_])", re.I)
_BEFORE_ML = re.compile(r"\s?[-–,]?\s?\d+(?:[.,]\d+)?\s?(?:ml|мл)(?![^\W\d_])", re.I)
WORD_MASS_RE = re.compile(
    rf"(?<![\w])(?P<num>{_WORDNUM})[\s-]*(?:{_UNIT_ALT}){_END}|(?<![\w])(?P<pol>пол)(?P<pu>грамм?а|кило|унции)",
    re.I,
)
# a tier ladder with one unit at the end ("1/2/5г", "0.5/1/2 g"): three or more amounts; a fraction has two
_LADDER_RE = re.compile(
    rf"(?<![\w.,/])(?P<num>\d+(?:[.,]\d+)?)(?:\s?/\s?\d+(?:[.,]\d+)?){{2,5}}\s?(?:{_UNIT_ALT}){_END}", re.I
)
# "smalls OZ", "an oz of …": one ounce with no number: a capital OZ ending the line or before a price ("$200/OZ"
# is a price's unit, "16 FL. OZ" a volume, "UGL OZ Test E" a lab's name) or "an/one oz"
_BARE_OZ = re.compile(r"(?<![\w\d.,/$€£])(?<![/$€£]\s)(?<![Ff][Ll]\.\s)(?<![Ff][Ll]\s)OZ(?=[^\S\n]*(?:$|\n|[-–|$€£]))"
                      r"|(?<![\w])(?i:an|one)\s+(?i:oz)(?!\w)", re.M)  # fmt: skip
# a piece's own weight ("(1g each)", "1g ea", "0.5g per cart")
_EACH_AFTER = re.compile(r"\s*(?:each|ea\.?|apiece|per\s+(?:piece|unit|pre-?rolls?|joints?|carts?|cartridges?))"
                         r"(?![^\W\d_])", re.I)  # fmt: skip
# fixed street quantities
_STREET = [
    (
        re.compile(
            r"(?<![\w/])(?:(?:an?\s+)?eighth(?:\s+(?:oz|ounce))?|(?:8th|1/8th|1/8)\s*(?:oz|ounce)?(?=\s*(?:of|oz|ounce|(?m:$)|[-–|:(\[$€£]|"
            # "1/8 for $40" (issue 14, dev 2026h probes)
            r"for\s+[$€£]?\d)))(?!\w)",
            re.I,
        ),
        0.125,
        "oz",
    ),
    # "Pink Certz 1/4 | $75": a quarter ounce, written as the eighth is (issue 14, dev 2026d)
    (re.compile(r"(?<![\w/])1/4(?:th)?\s*(?:oz|ounce)?(?=\s*(?:of\b|oz|ounce|(?m:$)|[-–|:(\[$€£]|for\s+[$€£]?\d))(?!\w)",
                re.I),
     0.25, "oz"),
    (re.compile(r"(?<![\w])(?:QP|qp|quarter\s+pound|qtr\s+lb)(?!\w)"), 4.0, "oz"),
    # "Полтос меф", "полтос альфы": half a gram in klad-shop slang (issue 14, ru_dev2026g)
    (re.compile(r"(?<![\w])полтос(?:а|ом|ик)?(?![^\W\d_])", re.I), 0.5, "g"),
    # "Двушка шишек", "трёшка мефа": two and three grams in klad-shop slang before a product (issue 14, ru_dev2026k);
    # alone the words are a flat ("двушка в центре") or a car, so the product must follow
    (re.compile(r"(?<![\w])двушк[аиу](?=\s+(?:меф|мяу|шиш|бош|гаш|план|альф|ск\b|сол[иь]|скорост|крис|кокс|кокос|"
                r"кокаин|амф|фен|гер|хмур|мет\w|шард))", re.I), 2.0, "g"),
    (re.compile(r"(?<![\w])тр[её]шк[аиу](?=\s+(?:меф|мяу|шиш|бош|гаш|план|альф|ск\b|сол[иь]|скорост|крис|кокс|"
                r"кокос|кокаин|амф|фен|гер|хмур|мет\w|шард))", re.I), 3.0, "g"),
    # "half O", "half an O": half an ounce (a capital O only: "half o" is no amount)
    (re.compile(r"(?<![\w])(?:(?i:half)|(?<!/)1/2)[\s-]+(?:(?i:an?)\s+)?O(?!\w)"), 0.5, "oz"),
    # "by the O", "one O", "an O", "per O": one ounce (a capital O only; issue 14, dev 2026d)
    (re.compile(r"(?<![\w])(?i:by\s+the|one|an|per)\s+O(?![\w'])"), 1.0, "oz"),
    # "Kush Mints — 1 O |": the same ounce with the digit, when the O ends the line or comes before a price or a
    # separator (issue 14, dev 2026k; "1 O'clock", "Route 1 Oxford" are no ounce)
    (re.compile(r"(?<![\w.,/$€£-])1[^\S\n]O(?=[^\S\n]*(?:$|[-–|(\[$€£]|for\s+[$€£]?\d))", re.M), 1.0, "oz"),
    (re.compile(r"(?<![\w])(?:HP|half\s+pound|half\s+(?:a\s+)?lb|half\s+(?:a\s+)?pound)(?!\w)"), 8.0, "oz"),
    (re.compile(r"(?<![\w\d.,/ ])(?<!\d )(?:LB|(?<=\b)pound)(?!\w)"), 16.0, "oz"),
    # "teenth" as "teener" (issue 14, dev 2026k)
    (re.compile(r"(?<![\w])(?:teener|teenth|(?:a\s+)?sixteenth)(?!\w)", re.I), 0.0625, "oz"),
    # "Meth 1/16 | $30": a teener, written as the eighth and the quarter are (issue 14, dev 2026h probes)
    (re.compile(r"(?<![\w/])1/16(?:th)?\s*(?:oz|ounce)?(?=\s*(?:oz|ounce|(?m:$)|[-–|(\[$€£]))(?!\w)", re.I),
     0.0625, "oz"),
    # UK "nine bar" (9 oz) and "half a nine bar" (issue 14, dev 2026f); the half first, it holds the whole
    (re.compile(r"(?<![\w])half\s+(?:a\s+)?nine[\s-]?bar(?!\w)", re.I), 4.5, "oz"),
    (re.compile(r"(?<![\w])nine[\s-]?bar(?!\w)", re.I), 9.0, "oz"),
    # "Cocaine half ball", "half an 8ball": half the eighth (issue 14, dev 2026k; before the whole ball)
    (re.compile(r"(?<![\w])half[\s-](?:an?\s+)?(?:8|eight)?[\s-]?ball(?![\w-])", re.I), 1.75, "g"),
    # "8ball of glass": an eighth, 3.5 g ("8 Ball Kush" is a strain)
    (re.compile(r"(?<![\w])(?:8|eight)[\s-]?ball(?!\w)(?!\s*kush)", re.I), 3.5, "g"),
    # "Meth - 1 ball", "a ball of glass": the eighth again (issue 14, dev 2026d)
    (re.compile(r"(?<![\w.,])(?:1|one|a)\s+ball(?![\w-])(?!\s*(?:kush|point|pen|bearings?|gowns?|python|chain))", re.I),
     3.5, "g"),
    # "Coke ball", "Tina ball $180": the eighth, right after a stimulant's street or generic name (issue 14, dev
    # 2026k; "crystal ball", "temple ball", "disco ball" stay no amount)
    (re.compile("(?:" + "|".join(rf"(?<=\b{w} )" for w in ("coke", "meth", "tina", "blow", "dope", "yayo", "girl",
                                                             "crack", "glass", "shard", "shards", "cocaine"))
                + r")ball(?![\w-])", re.I), 3.5, "g"),
    (re.compile(r"(?<![\w\d])(?:ounce|унция|zip)(?!\w)", re.I), 1.0, "oz"),
    (_BARE_OZ, 1.0, "oz"),
    # "Cocaine kilo", "by the kilo": a kilogram with no number (not the tools: "kilo press", "kilo mould"); "Weed -
    # quarter", "quarter $65": a quarter ounce, ending the line or before a price, as the eighth (issue 14, dev 2026j)
    (re.compile(r"(?<![\w\d.,])(?<![\d] )kilo(?:gram)?(?![\w-])(?!\s*(?:press|presses|mou?ld|moulds|molds|scales?|"
                r"bags?|brick\s+press)(?![^\W\d_]))", re.I), 1000.0, "g"),
    (re.compile(r"(?<![\w])(?:a\s+)?quarter(?:\s+(?:oz|ounce))?(?=[^\S\n]*(?:$|[-–|(\[$€£]|for\s+[$€£]?\d))",
                re.I | re.M), 0.25, "oz"),
    # "Мефедрон грамм", "Шишки грамм — 2 800р": one gram after the product (issue 14, ru_dev2026j); not after a
    # number ("10 грамм") or "за"/"по"/"от"/"до" (a price's unit, a threshold); English "gram" after no word ("full
    # gram carts" is how full a cart is)
    (re.compile(r"(?<![\w\d] )(?<![\w\d])gram(?!\w)|(?<!\d )(?<![\w\d])(?<!за )(?<!по )(?<!от )(?<!до )грамм(?!\w)",
                re.I), 1.0, "g"),
]
# street sizes counted ("2 QPs", "3 x QP", "2 HPs"; issue 14, dev 2026h probes): the count times the size (a lower-case
# "hp" is horsepower)
_STREET_TIMES = re.compile(r"(?<![\w.,/$€£])(?P<n>\d{1,2})\s?(?:x\s?)?(?:(?P<qp>QPs?|qps?)|(?P<hp>HPs?))(?![^\W\d_])")
_COUNT_WORDS = (
    r"pcs|pc|pieces?|шт\.?|штук[аи]?|штуки|tabs?|tablets?|pills?|caps?|capsules?|blotters?|bars?|hits?|"
    r"units?|strips?|patches|patch|vials?|ampoules?|amps?|shtuk[ai]?|sht|chargers?|cartridges?|carts?|bottles?|"
    r"sheets?|seeds?|sachets?|gumm(?:y|ies)|"
    # "5 brownies", "4 cookies", "10 feminized seeds" (edibles; seeds with their kind between; issue 14, dev 2026m)
    r"brownies|cookies|(?:feminized|feminised|fem|autoflower(?:ing)?|auto|regular|reg)\s+seeds?|таб|табл|марок|марки|марка|таблет\w*|капсул\w*|колес\w*|"
    r"ампул\w*|пластин\w*|count|ct|x|"
    # "25 stk" (German Stück), "10 pellets", "1 флакон" (issue 14, dev 2026c)
    r"stk|stck|stück|stueck|pellets?|флакон\w*|"
    # "1000 pressies" (pressed pills), "10 pens" (issue 14, dev 2026d)
    r"pressies|pressie|pens|"
    # Dutch "100 stuks", German "50 Teile"; "50 Stück" reaches here folded to "Stuck" (issue 14,
    # dev 2026f)
    r"stuks|stuk|teile|stuck|"
    # "2 шара" (a klad wrapped as a ball), Uzbek "1 dona" (a piece) (issue 14, ru_dev2026j)
    r"шар|шара|шаров|шарик\w*|dona|"
    # "30 капс", "2 фл." (capsules, vials abbreviated; issue 14, ru_dev2026e probes)
    r"капс\.?|фл\.?|"
    # "2 ешки", "5 ешек": ecstasy pills counted by their slang name (issue 14, ru_dev2026k)
    r"ешк[аиу]|ешек|"
    # Latin-letter Russian capsules ("14 kaps"; issue 14, ru_dev2026k probes)
    r"kaps\.?|kapsul\w*|"
    # "10 rocks" (crack), German/Dutch "100 Tabletten" (issue 14, dev 2026o)
    r"rocks?|tabletten"
)
# a milligram strength right before its container ("BPC-157 5mg vial", "Semaglutide 5mg pen"): one container
_MG_CONTAINER = re.compile(r"\d\s?(?:mgs?|mcg|ug|µg|iu)\s?(?P<c>vials?|pens?|ampoules?|ampules?)(?![^\W\d_])|"
                           # or right after one ("Ozempic pen 1mg", "Chocolate bar 500mg"; issue 14, dev 2026d)
                           r"(?<![^\W\d_])(?P<c2>vial|pen|ampoule|ampule|bar)\s?[-–:]?\s?\d+(?:[.,]\d+)?\s?(?:mgs?|mcg|ug|µg)"
                           r"(?![^\W\d_/])", re.I)
_COUNT_LIST = r"pcs|pieces|pills|tabs|tablets|caps|capsules|blotters|bars|шт|штук\w*|таблет\w*"
COUNT_RE = re.compile(
    rf"(?<![\w.,/$€£₽₸-])(?<!delta\s)(?P<num>\d{{1,6}})\s?(?P<unit>{_COUNT_WORDS}){_END}(?<!x)(?<!X)\.?"
    rf"|(?<![\w.,/$€£₽₸-])(?P<num3>\d{{1,6}})\s?[xх×](?![^\W\d_])"
    # "$25 x30 $60": that x belongs to the 30; "Modalert 200 x 100" at the end of a line: the pieces are the 100
    rf"(?!\s?\d+(?:[.,]\d+)?(?:\s*(?:[$€£₽₸]|$)|[^\S\n]*[\n|]|\s+\d))"
    # "Sustanon 250 x 10 amps": the pieces are the 10
    rf"(?!\s?\d{{1,6}}\s?(?:pcs|pieces|pills|tabs|tablets|caps|capsules|amps|ampoules|vials|blotters){_END})"
    rf"|(?<![\w.,])(?:x|х|×)\s?(?P<num2>\d{{1,6}})(?![\w.,]*\s?(?:mg|g|гр?|мг|ug|mcg)\b)(?!\d)(?!-[^\W\d_])"
    # "10-pack", "10pk" ("Level 1 PK": a strain)
    rf"|(?<![\w.,/$€£₽₸-])(?P<num4>\d{{1,4}})(?:-?\s?pack|-?pk)(?![^\W\d_])"
    # "10 for $60": pieces priced together (issue 14, dev 2026d)
    rf"|(?<![\w.,/$€£₽₸-])(?P<num7>\d{{1,4}})\s+for\s+(?=[$€£]\s?\d|\d+(?:[.,]\d+)?\s?(?:[$€£]|usd|eur|gbp)(?![^\W\d_]))"
    # "pack of 10", "strip of 10", "blister of 10" (not "bag of 3.5g": a mass)
    # "bottle of 60", "sheet of 100", "pack of 20, 1mg each" (a comma after the count ends it; issue 14, dev 2026j)
    rf"|(?<![^\W\d_])(?:packs?|strips?|blisters?|box(?:es)?|tubs?|bundles?|bottles?|jars?|sheets?|tins?)\s+of\s+"
    rf"(?P<num6>\d{{1,5}})(?!\d|[.,]\d|\s?(?:g|gr|grams?|mg|ml|oz|kg|ug|mcg)(?![^\W\d_]))"
    # "10 / 30 / 100 pills": each number of a spaced list before the count word is a count
    rf"|(?<![\w.,/$€£₽₸-])(?P<num5>\d{{1,5}})(?=(?:\s/\s\d{{1,5}})+\s?(?:{_COUNT_LIST}){_END})"
    # "300mg caps (56)": the count in brackets after the piece word; "10 per bag", "20 per jar": the pieces of one
    # container (issue 14, dev 2026q)
    rf"|(?<![^\W\d_])(?:caps|capsules|tabs|tablets|pills)[^\S\n]?\([^\S\n]?(?P<num8>\d{{1,4}})[^\S\n]?\)"
    rf"|(?<![\w.,/$€£₽₸-])(?P<num9>\d{{1,4}})\s+(?:per|in\s+a|in\s+each)\s+(?:bag|jar|pack|box|tin|bottle|tub|pouch|tube)"
    rf"(?![^\W\d_])",
    re.I,
)
# pieces counted by a Russian number word ("Одна марка 200 мкг", "две таблетки", "пять штук"; issue 14, ru_dev2026d)
_WORD_COUNT_RE = re.compile(
    r"(?<![^\W\d_])(?P<num>одн[аоуй]|один|два|две|три|четыре|пять|десять)\s+"
    r"(?:марк[аиу]|марок|таблет\w*|капсул\w*|шт\.?|штук[аиу]?|блотер\w*|шар|шара|шаров|шарик\w*|ешк[аиу]|ешек)"
    r"(?![^\W\d_])",
    re.I,
)
_WORD_COUNT_HINT = re.compile(r"марк|марок|таблет|капсул|шт|блотер|шар|ешк|ешек")  # on the lower-cased text
# English pieces counted by a number word ("Adderall 30mg - ten pills", "twenty tabs"; issue 14, dev 2026h probes):
# from two up ("one tab is plenty" is advice, not an offer)
_EN_WORD_COUNT_RE = re.compile(
    r"(?<![^\W\d_])(?P<num>two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred)[\s-]+"
    # "Ten 1g carts", "five 2ml dispos": the size of one piece between (issue 14, dev 2026m)
    r"(?:(?:\d+(?:[.,]\d+)?\s?(?:g|ml)\s+)?(?:carts?|cartridges?|disposables?|dispos?|pens?)|"
    r"pills?|tabs?|tablets?|caps|capsules?|blotters?|bars?|pieces|pcs|vials?)(?![^\W\d_])",
    re.I,
)
_WORD_COUNTS = {"одна": 1.0, "одну": 1.0, "одно": 1.0, "одной": 1.0, "один": 1.0}
_FORM = r"pills?|tabs?|tablets?|caps|capsules?|blotters?|bars?|pcs|pieces|шт|штук\w*|таблет\w*|капсул\w*|марок|марки"
# "100 Generic Rivotril 1 mg pills", "25 LSD Blotters 200mcg tabs": a leading count, the form word later
COUNT_FAR_RE = re.compile(
    rf"(?<![\w.,/-])(?P<num>\d{{1,5}})\s+(?:[\w'+-]+\s+){{1,4}}?"
    rf"(?:\d+(?:[.,]\d+)?\s?(?:mg|mcg|ug|µg|мг|мкг)\.?\s*)?(?:{_FORM})(?![^\W\d_])",
    re.I,
)
# "2 ecstasy RED MASERATI 300mg", "3 LSD 200ug": a leading count, then names, then the per-unit dose
COUNT_DOSE_RE = re.compile(
    r"\W{0,40}?(?P<num>\d{1,4})[.)]?\s+(?:[^\s\d]\S{0,40}\s+){1,5}?\d+(?:[.,]\d+)?\+?\s?(?:mgs?|mcg|ug|µg|мг|мкг)(?!\w)",
    re.I,
)
# a bare decimal with no unit ("A PVP 0,33 VHQ", "0.25 Crystal Methadone"): grams, when nothing else is found
BARE_GRAMS_RE = re.compile(
    r"(?<![\w.,/$€£₽₸+-])(?P<num>\d?[.,]\d{1,2})(?![\w.,%/])(?!\s?(?:%|\$|€|£|₽|₸|руб|р\b|usd|eur))", re.I
)
FORM_WORDS_RE = re.compile(
    r"(?<!\w)(?:pills?|tabs?|tablets?|caps|capsules?|blotters?|bars?|marks|pellets?|"
    r"таб|таблет\w*|капсул\w*|марк[аиу]|марок|колес\w*)(?!\w)",
    re.I,
)
_PER_UNIT_DOSE = re.compile(r"\s*(?:each|per|/)\s*(?:pill|tab|cap|unit|шт|таб)", re.I)


# the low end of a range written before an amount ("1-2g", "200 - 250mg", "5 to 10g"; not "3-MMC 5g", "$8-10/g")
# (a spaced dash is a title's separator: "Skunk #1 - 100g", "Melanotan 2 - 10mg")
_RANGE_BEFORE = re.compile(r"(?<![\w.,/$€£₽₸#-])(?P<lo>\d+(?:[.,]\d+)?)(?:[-–]|[^\S\n]to[^\S\n])$", re.I)
_OWN_COUNT = re.compile(r"(?:^|\s)(?P<x>[xх×]\s?)?\d+\s+\S+$", re.I)
_OPENING = re.compile(r"\W*")
# a Russian discount threshold ("от 5г дешевле", "от 10г — скидка", "опт от 10г", "скидка от 5г"): no offer
_DISCOUNT_BEFORE = re.compile(r"(?<![^\W\d_])(?:(?:опт\w*|скидк\w*|дешевле)\s+)?от\s?$", re.I)
# or a lower price per gram from it: "от 5г — по 9 тыс" (issue 14, ru_dev2026j)
_DISCOUNT_AFTER = re.compile(r"\s*(?:[-—–:,]\s*)?(?:дешевле|скидк\w*|опт\w*|по\s+\d)", re.I)
_DISCOUNT_WORD = re.compile(r"опт|скидк|дешевле|по\s+\d")
_MIN_BEFORE = re.compile(r"(?<![^\W\d_])(?:min|mini|minimum)\.?(?:\s+(?:order|purchase|qty|quantity))?(?:\s+(?:of|is))?"
                         r"\s?[:=]?\s?$", re.I)


# a pill's strength as a range ("5x HULK - 250/275MG"; issue 14): 100-400 mg both, the second the larger
_DOSE_RANGE_RE = re.compile(r"(?<![\w.,/])(?P<num>[1-4]\d\d)\s?/\s?[1-4]\d\d\s?mgs?(?![^\W\d_])", re.I)
_PRICED_BEFORE = re.compile(r"[$€£]|\d\s?(?:usd|eur|gbp)(?![^\W\d_])", re.I)
# "$8/g, 7g minimum", "5g min. order" (issue 14, dev 2026d)
_MIN_AFTER = re.compile(r"\s?(?:min|minimum)(?:\.|(?![^\W\d_]))", re.I)
# "$95/g, up to 28g", "max 1 oz per order", "maximum order: 100g" (issue 14, dev 2026e)
# what a container or tool holds, not an amount sold: "mylar bags, fits 1/8 oz", "holds 3.5g", "capacity 500g"
# (issue 14, dev 2026g)
_CAPACITY_BEFORE = re.compile(
    r"(?<![^\W\d_])(?:fits?|holds?|capacity(?:\s+of)?|sized?\s+for)\s?[:=]?\s?(?:up\s?to\s)?$", re.I)
# a fraction of a gram right before a piece word ("Mollies 0.2g caps x 10", "0.25g pills"): what one piece holds
# (issue 14, dev 2026h probes; carts keep their gram: "0.5g carts x 10")
_PIECE_AFTER = re.compile(r"\s?(?:caps|capsules?|pills?|tabs|tablets?)(?![^\W\d_])", re.I)
# or right after one when pieces are counted after it ("Microdose caps 0.1g x 30"; mushroom "caps 0.5g" alone stay)
_PIECE_BEFORE = re.compile(r"(?<![^\W\d_])(?:caps|capsules|pills|tabs|tablets)\s?[-–:]?\s?$", re.I)
_TIMES_AFTER = re.compile(r"\s?[x×]\s?\d", re.I)
# a price stated to be per unit, with no amount written ("Price listed is per gram", "Price per pill", "prices are per
# tab"; issue 14, dev 2026h probes)
_PRICE_PER_UNIT = re.compile(r"(?<![^\W\d_])(?:price|prices|priced|cost)(?:\s+(?:listed|shown|above|here))?"
                             r"(?:\s+(?:is|are))?\s+per\s+(?P<u>grams?|gram|g|pills?|tabs?|tablets?|caps?|capsules?|"
                             r"bars?|blotters?|pieces?|units?|oz|ounces?)(?![^\W\d_])", re.I)
# a count under a quantity label or after a piece word and a dash ("Qty: 100", "Quantity - 50", "(qty 30)", "tablets -
# 100"; issue 14, dev 2026h probes; "pellets — 100", dev 2026k); not an amount with a unit or a price ("Qty: 5g",
# "Quantity: $50")
_QTY_LABEL = re.compile(r"(?<![^\W\d_])(?:(?:qty|quantity)\s?[:=\-–]?"
                        r"|(?:pills|tabs|tablets|caps|capsules|bars|pellets|blotters)\s?[:\-–—])\s?(?P<num>\d{1,5})"
                        r"(?![\d.,]|[^\S\n]?(?:[^\W\d_]|[$€£%]))", re.I)
# a needle's gauge ("Insulin syringes 1ml, 29G"; issue 14, dev 2026g): no grams
_NEEDLE = re.compile(r"syringes?|needles?|insulin|pins?(?![^\W\d_])|gauge", re.I)
# a software version ("Python 3.5", "Electrum 4.5", "v2.5"; issue 14, dev 2026g): no street gram amount
_VERSION_BEFORE = re.compile(r"(?<![^\W\d_])(?:python|php|perl|ruby|java|node(?:js)?|android|ios|windows|macos|linux|"
                             r"ubuntu|debian|kali|electrum|firefox|chrome|tor\s+browser|version|ver\.?|v)\s?$", re.I)
# a packing step before "x2" (issue 14, dev 2026g)
_PACKED_BEFORE = re.compile(r"(?<![^\W\d_])(?:sealed|bagged|packed|wrapped|vacuumed|mylar(?:ed)?)\s?$", re.I)
# a vial named apart from its milligrams, or a freeze-dried peptide (sold in vials); not packaging ("shipped in a
# glass vial")
_VIAL_RE = re.compile(r"(?<![^\W\d_])(?:vials?|lyophili[sz]ed|freeze[\s-]dried)(?![^\W\d_])", re.I)
_PACKED_IN = re.compile(r"(?<![^\W\d_])in\s+(?:an?\s+|the\s+)?(?:[^\W\d_]+\s+)?$", re.I)


# a whole number of thousands written with a European thousands dot ("Hash 1.000 g", "2.000g"; issue 14, dev 2026o):
# a weight to the milligram is written "1g", not "1.000 g"
_THOUSANDS_ZEROS = re.compile(r"[1-9]\d{0,2}\.000")
_IMPROPER = re.compile(r"(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})")
# the gap between the two ends of a range with a unit on both ("5g–100g", "10g to 1kg"; not a list "1g-2g-5g")
_RANGE_GAP = re.compile(r"[-–]|[^\S\n]to[^\S\n]", re.I)
_RANGE_GAP_NEXT = re.compile(r"[^\S\n]?[-–/][^\S\n]?\d")
_RANGE_GAP_PREV = re.compile(r"[-–/][^\S\n]?\Z")
# a size written as two numbers joined by an unspaced x ("5x7", "10x15cm"), not pieces of an amount ("10x1g") nor a
# count ending a line ("Xanax 2mg 10x20": a count x a count is read by COUNT_RE)
_DIMENSION = re.compile(r"\d{1,3}[x×]\d{1,3}(?:[.,]\d+)?(?:[^\S\n]?(?:cm|mm|in|inch|inches|\"|'))?"
                        r"(?=[^\S\n]+(?:cm|mm|in|inch|mylar|bags?|pouch\w*|zip\w*|photo\w*|prints?|poster\w*|frames?)"
                        r"(?![^\W\d_])|[^\S\n]?(?:cm|mm|inch|inches)(?![^\W\d_]))", re.I)
_KINDS_TIMES = re.compile(r"(?<![\w.,/$€£])(?P<n>[1-9]\d?)[^\S\n]+(?:strains?|flavou?rs?|kinds?|types?|varieties|"
                         r"bags?|jars?|baggies|packs?)[^\S\n]?[x×][^\S\n]?(?=\d)", re.I)
# several containers "of" a number of pieces ("3 strips of 10", "2 sheets of 100", "5 blisters of 14")
_CONTAINERS_OF = re.compile(r"(?<![\w.,/$€£])(?P<n>\d{1,3})[^\S\n]?(?:strips?|sheets?|blisters?|packs?|boxes|box|"
                            r"bottles?)[^\S\n]+of[^\S\n]+(?P<m>\d{1,4})(?![\d.,]|[^\S\n]?(?:mg|mcg|ug|µg|g|ml)\b)",
                            re.I)
# "from 50g", "over 28g" where a price per gram is written: a threshold
_FROM_BEFORE = re.compile(r"(?<![^\W\d_])(?:from|over)[^\S\n]$", re.I)
_PER_GRAM_PRICE = re.compile(r"[$€£]\s?\d+(?:[.,]\d+)?[^\S\n]?(?:/|per[^\S\n])[^\S\n]?(?:g|gr|gram)(?![^\W\d_])", re.I)


def vial_elsewhere(text: str) -> re.Match[str] | None:
    """The first vial word (or "lyophilised") of a text that is not packaging ("in a glass vial")."""
    return next((m for m in _VIAL_RE.finditer(text) if not _PACKED_IN.search(text, max(0, m.start() - 24), m.start())),
                None)
# how to use it, not the amount sold: "GHB 250ml, dose 1-2ml", "dosage: 0.5g", "take 2 tabs" (issue 14, dev 2026h)
_DOSING_BEFORE = re.compile(r"(?<![^\W\d_])(?:(?:dos(?:e|es|age|ing)|redose|re-dose)(?:\s+(?:of|is|about|around))?"
                            r"\s?[:=]?\s?(?:\d+(?:[.,]\d+)?\s?(?:-|–|to)\s?)?"
                            r"|take\s+(?:about\s+|around\s+)?(?:\d+(?:[.,]\d+)?\s?(?:-|–|to)\s?)?)$", re.I)
_FOR_AFTER = re.compile(r"\s*for\s", re.I)  # "take 5g for $100" is an offer
_LIMIT_BEFORE = re.compile(r"(?<![^\W\d_])(?:up\s?to|max|maximum)\.?(?:\s+(?:order|purchase|qty|quantity))?"
                           r"(?:\s+(?:of|is))?\s?[:=]?\s?$", re.I)


@dataclass
class QtyMention:
    value: float
    unit: str  # g, mg, ug, ml, oz or unit
    start: int
    end: int
    kind: str  # "mass", "volume", "count"
    dose: bool = False  # a per-unit strength (e.g. the 2mg of "100x 2mg")
    guessed: bool = False  # a bare number read as grams ("A PVP 0,33"): not evidence of a drug listing
    times: bool = False  # a count written as a multiplier ("x 10", "10 pack"), not with a noun ("5 штук")

    def quantity(self) -> Quantity:
        return Quantity(round(self.value, 6), self.unit)


_UNIT_BY_GROUP = {f"u{i}": (unit, factor) for i, (_, unit, factor) in enumerate(_MASS_UNITS)}


def _unit_of(m: re.Match[str]) -> tuple[str, float]:
    return _UNIT_BY_GROUP.get(m.lastgroup or "", ("g", 1.0))


_HAS_DIGIT = re.compile(r"[\d½¼¾⅛]")  # "Бошки ½г": a fraction sign is a number (issue 14, ru_dev2026k)
_SPACES = re.compile(r"\s+")
_STREET_HINTS = ("eighth", "8th", "qp", "quarter", "qtr", "hp", "half", "lb", "pound", "teener", "sixteenth",
                 "ounce", "унци", "zip", "gram", "грамм", "пол", "ball", "1/8", "oz", "1/4", "one o", "an o", "the o",
                 "per o", "nine", "1/16", "1/2 o", "kilo", "teenth", "1 o", "двушк", "трешк", "трёшк")  # fmt: skip
_STREET_HINT = re.compile("|".join(map(re.escape, _STREET_HINTS)))  # one scan of the lower-cased text
_DOSE_HINT = re.compile(r"\d\+?\s?(?:mgs?|mcg|ug|µg|мг|мкг)(?!\w)", re.I)
# what COUNT_RE needs (each of its alternatives without the look-arounds): one quick scan of most offer lines
_COUNT_HINT = re.compile(rf"\d\s?(?:{_COUNT_WORDS}|[xх×])|[xх×]\s?\d|\d-?\s?p(?:ack|k)|\sof\s\d|\d\sfor\s|"
                         r"(?:caps|capsules|tabs|tablets|pills)\s?\(\s?\d|\d\s+(?:per|in\s+a|in\s+each)\s", re.I)
_FORM_HINT = re.compile(rf"(?<!\w)(?:{_FORM})(?![^\W\d_])", re.I)


# a weight with a bonus ("Метадон 3+0,5гр", "2 g +0.1 g подарок", "2г+0.5 в подарок"): the weight delivered is the
# sum (a klad shop's weight field shows 3.5 and 2.1); the bonus is at most the weight
_BONUS_RE = re.compile(
    r"(?<![\w.,/+])(?P<a>\d{1,3}(?:[.,]\d{1,2})?)\s?(?:(?P<u1>г|гр|g|gr)\.?\s?)?\+\s?(?P<b>\d{1,3}(?:[.,]\d{1,2})?)\s?"
    r"(?:(?P<u2>г|гр|грамм\w*|g|gr)(?![^\W\d_])\.?)?(?P<gift>\s*(?:подар\w*|падар\w*|бонус\w*|в\s+подарок))?",
    re.I,
)


_BONUS_COUNT_RE = re.compile(  # "10+1pc", "5+1 шт": pieces with a bonus piece
    r"(?<![\w.,/+])(?P<a>\d{1,3})\s?\+\s?(?P<b>\d{1,2})\s?(?:pc|pcs|pills?|tabs?|шт|штук\w*)(?![^\W\d_])\.?", re.I
)


def _bonus_weight(text: str) -> QtyMention | None:
    """"3+0,5гр" (Cyrillic unit) or "2 g +0.1 g подарок" (a gift word): one mass, the weight plus its bonus;
    "10+1pc": one count, the pieces plus the bonus piece."""
    if (c := _BONUS_COUNT_RE.search(text)) and 0 < int(c.group("b")) <= int(c.group("a")):
        return QtyMention(float(int(c.group("a")) + int(c.group("b"))), "unit", c.start(), c.end(), "count")
    # "2г+0.5 в подарок": a unit before the bonus only, with a gift word after it (issue 14, tg_dev2026q)
    m = next((m for m in _BONUS_RE.finditer(text) if m.group("u2") or (m.group("u1") and m.group("gift"))), None)
    if m is None or not (m.group("gift") or (m.group("u1") is None and not m.group("u2").isascii())):
        return None
    a, b = parse_number(m.group("a")), parse_number(m.group("b"))
    if not a or not b or b > a:
        return None
    return QtyMention(round(a + b, 6), "g", m.start(), m.end(), "mass")


def find_quantities(text: str) -> list[QtyMention]:
    """All mass/volume/count mentions in text order (doses not yet decided)."""
    found: list[QtyMention] = []
    has_digit = bool(_HAS_DIGIT.search(text))
    lowered = text.lower()
    street = bool(_STREET_HINT.search(lowered))
    word_count = bool(_WORD_COUNT_HINT.search(lowered))
    en_counts = list(_EN_WORD_COUNT_RE.finditer(text)) if "s" in lowered else []
    per_stmt = _PRICE_PER_UNIT.search(text) if "per " in lowered else None
    if not has_digit and not street and not word_count and not en_counts and not per_stmt:
        return found
    multipliers: list[int] = []  # where an "N x" count ends
    starts: list[int] = []  # the spans taken so far: disjoint, sorted (so their ends are sorted too)
    ends: list[int] = []

    def add(q: QtyMention, keep: bool = True) -> None:
        i = bisect.bisect_left(starts, q.end)  # spans [0, i) start before q ends; only the last may reach q
        if i and ends[i - 1] > q.start:
            return
        starts.insert(i, q.start)
        ends.insert(i, q.end)
        if keep:  # else the span is only taken ("100mg/ml ,10ml": no ",10" in it)
            found.append(q)

    if has_digit and "+" in text and (bonus := _bonus_weight(text)):
        add(bonus)
    if has_digit and "/" in text:
        for m in _LADDER_RE.finditer(text):  # "1/2/5г": tiers, the first is the base amount
            unit, factor = _unit_of(m)
            value = parse_number(m.group("num"))
            if value:
                add(QtyMention(value * factor, unit, m.start(), m.end(), "mass"))
    if has_digit and "/" in text:
        for m in _DOSE_RANGE_RE.finditer(text):  # "225/240MG": a pill's strength written as a range, the first
            add(QtyMention(float(m.group("num")), "mg", m.start(), m.end(), "mass"))
    for m in en_counts:  # "Ten 1g carts": the pieces, before the size of one is read as the amount
        if has_digit and any(c.isdigit() for c in m.group(0)):
            add(QtyMention(WORD_NUMBERS[m.group("num").lower()], "unit", m.start(), m.end(), "count"))
    for m in MASS_RE.finditer(text) if has_digit else ():
        num = m.group("num")
        if num[0] == "," and m.start() and text[m.start() - 1].isspace():
            num = num[1:]  # "100mg/ml ,10ml": a separator, not "0,10"
        value = parse_number(num, thousands_dot=_THOUSANDS_ZEROS.fullmatch(num) is not None)
        offset = 0
        if "/" in num and (improper := _IMPROPER.fullmatch(num)) and int(improper["a"]) >= int(improper["b"]):
            # "1g 80 / 2g 150": a bare price, a slash and the next row's weight, not 80/2 = 40 g (issue 14, dev 2026l)
            value, offset = float(improper["b"]), improper.start("b")
        if value is None or value <= 0 or value > 1e7:
            continue
        unit, factor = _unit_of(m)
        surface = m.group(0).lower()
        start = m.start() + offset
        if m.start() and text[m.start() - 1] in "-– " and (r := _RANGE_BEFORE.search(text, max(0, start - 12), start)) \
                and (low := parse_number(r.group("lo"))) is not None and 0 < low < value:
            value, start = low, r.start()  # "1-2g", "200-250mg": a range is its first value (issue 14, dev 2026j)
        if found and (prev := found[-1]).kind == "mass" and prev.unit == unit and not prev.dose and \
                0 < prev.value < value * factor and _RANGE_GAP.fullmatch(text, prev.end, m.start()) and \
                not _RANGE_GAP_NEXT.match(text, m.end()) and not _RANGE_GAP_PREV.search(text, 0, prev.start):
            continue  # "5g–100g", "10g to 1kg": the range's upper end, no offer (issue 14, dev 2026l)
        if unit == "g" and value.is_integer() and 18 <= value <= 34 and m.group(0).rstrip(". ").endswith("G") and \
                _NEEDLE.search(text, max(0, m.start() - 40), m.end() + 12):
            continue  # "29G" next to syringes or needles is a gauge
        if unit == "g" and surface.rstrip(".").endswith("г") and value.is_integer() and 1900 <= value <= 2100:
            continue  # "2021 г." is a year
        if unit in ("g", "oz") and ("from" in lowered or "over" in lowered) and _FROM_BEFORE.search(
                text, max(0, m.start() - 12), m.start()) and _PER_GRAM_PRICE.search(text):
            continue  # "€20/g, €15/g from 50g": where a lower price per gram starts, no offer (issue 14, dev 2026l)
        if unit in ("g", "oz") and "+" in text and _THRESHOLD_PLUS.match(text, m.end()) and _PRICE_BREAK.search(text):
            continue  # "10% off 14g+", "10g+ $25/g": where a lower price starts, no offer (issue 14, dev 2026k)
        if unit == "g" and value * factor < 1 and (_PIECE_AFTER.match(text, m.end()) or (
                _PIECE_BEFORE.search(text, max(0, m.start() - 12), m.start()) and _TIMES_AFTER.match(text, m.end()))):
            value, unit, factor = value * 1000, "mg", 1.0  # "0.1g caps x 30": what one capsule holds, in mg
        if unit in ("mg", "g") and (per_n_ml := _PER_N_ML.match(text, m.end())):
            add(QtyMention(value * factor, unit, start, per_n_ml.end(), "mass"), False)  # only the span is taken
            continue
        per_ml = unit in ("mg", "g") and _PER_ML.match(text, m.end())
        strength = per_ml or unit == "mg" and _BEFORE_ML.match(text, m.end())
        kind = "volume" if unit == "ml" else "mass"
        # a milligram concentration is kept as the per-unit strength (a dose, never the amount sold)
        add(QtyMention(value * factor, unit, start, per_ml.end() if per_ml else m.end(), kind, dose=bool(strength)),
            not strength or unit == "mg")
    for m in WORD_MASS_RE.finditer(text) if street else ():
        if m.group("pol"):
            pu = m.group("pu").lower()
            unit, value = ("oz", 0.5) if pu.startswith("унц") else ("g", 500.0 if pu == "кило" else 0.5)
            add(QtyMention(value, unit, m.start(), m.end(), "mass"))
            continue
        value = WORD_NUMBERS.get(_SPACES.sub(" ", m.group("num").lower()))
        if value is None:
            continue
        unit, factor = _unit_of(m)
        add(QtyMention(value * factor, unit, m.start(), m.end(), "volume" if unit == "ml" else "mass"))
    for m in _STREET_TIMES.finditer(text) if street and has_digit else ():
        if n := int(m.group("n")):
            add(QtyMention(n * (4.0 if m.group("qp") else 8.0), "oz", m.start(), m.end(), "mass"))
    for rx, value, unit in _STREET if street else ():
        for m in rx.finditer(text):
            add(QtyMention(value, unit, m.start(), m.end(), "mass"))
    for m in _KINDS_TIMES.finditer(text) if has_digit and "x" in lowered else ():
        # "5 strains x 3.5g", "3 flavours x 1g": a sampler of that many pieces of that size (issue 14, dev 2026l)
        add(QtyMention(float(m.group("n")), "unit", m.start(), m.end(), "count", times=True))
    for m in _CONTAINERS_OF.finditer(text) if has_digit and " of " in lowered else ():
        if (n := int(m.group("n")) * int(m.group("m"))) > 0:  # "3 strips of 10": the pieces (issue 14, dev 2026l)
            add(QtyMention(float(n), "unit", m.start(), m.end(), "count"))
    for m in COUNT_RE.finditer(text) if has_digit and _COUNT_HINT.search(text) else ():
        raw = (m.group("num") or m.group("num2") or m.group("num3") or m.group("num4") or m.group("num5")
               or m.group("num6") or m.group("num7") or m.group("num8") or m.group("num9"))
        n = int(raw)
        if n <= 0:
            continue
        if m.group("num7") and _PRICED_BEFORE.search(text, 0, m.start()):
            continue  # "$6 each, 60 for $300": a per-unit price came first, the base offer is one unit
        if m.group("num7") and any(q.kind != "count" and not q.dose and q.unit not in ("mg", "ug") for q in found):
            continue  # "Coke 1g | 2 for $150": the weight is the amount, the number may be grams too
        if m.group("num3") and _DIMENSION.match(text, m.start()):
            continue  # "5x7 mylar", "10x15cm bags": a size, not pieces (issue 14, dev 2026l)
        if m.group("num2") and _PACKED_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue  # "vacuum sealed x2", "double bagged x3": how the order is packed, not pieces sold
        add(QtyMention(float(n), "unit", m.start(), m.end(), "count", times=bool(m.group("num2") or m.group("num4"))))
        if m.group("num3") or m.group("num4"):  # "10 x", "5 pack" right before a piece's size
            multipliers.append(m.end())
    for m in en_counts:
        add(QtyMention(WORD_NUMBERS[m.group("num").lower()], "unit", m.start(), m.end(), "count"))
    for m in _WORD_COUNT_RE.finditer(text) if word_count else ():
        word = m.group("num").lower()
        pieces = _WORD_COUNTS.get(word) or WORD_NUMBERS.get(word)
        if pieces:
            add(QtyMention(pieces, "unit", m.start(), m.end(), "count"))
    if has_digit and not any(q.kind == "count" for q in found) and (c := _MG_CONTAINER.search(text)):
        g = "c" if c.group("c") else "c2"
        add(QtyMention(1.0, "unit", c.start(g), c.end(g), "count"))  # "BPC-157 5mg vial": one vial of 5 mg
    elif has_digit and len(found) == 1 and found[0].unit == "mg" and found[0].value < 100 and not found[0].dose and (
            v := vial_elsewhere(text)) and "powder" not in lowered:
        # "Tirz 10mg" + "Tirzepatide vial", "Sema 5mg" + "lyophilised" (issue 14, dev 2026g): the milligrams of
        # a peptide are what one vial holds, the vial is the piece sold
        add(QtyMention(1.0, "unit", v.start(), v.end(), "count"))
    far = [m for m in COUNT_FAR_RE.finditer(text)] if has_digit and _FORM_HINT.search(text) else []
    lead = COUNT_DOSE_RE.match(text) if has_digit and _DOSE_HINT.search(text) else None
    for m in [*far, *([lead] if lead else [])]:
        if m is not lead and (own := _OWN_COUNT.search(m.group(0))) and (
                own.group("x") or not _OPENING.fullmatch(text, 0, m.start())):
            # the form word has its own count: "LGD 4033 5mg x 60 caps", "Kamagra 100 - 24 tablets" (a count
            # opening the title stays: "25 PINK ROUTE 66 PILLS")
            continue
        n = int(m.group("num"))
        if n > 0:
            add(QtyMention(float(n), "unit", m.start("num"), m.end("num"), "count"))
    if not found and has_digit:
        bare = BARE_GRAMS_RE.search(text)
        value = parse_number(bare.group("num")) if bare else None
        if bare and value and 0 < value <= 5 and not _VERSION_BEFORE.search(text, max(0, bare.start() - 16),
                                                                            bare.start()):
            add(QtyMention(value, "g", bare.start("num"), bare.end("num"), "mass", guessed=True))
    if per_stmt and not any(q.kind == "count" or q.unit not in ("mg", "ug") for q in found):
        # "Price listed is per gram", "Price per pill" beside at most a strength: one unit is the offer
        word = per_stmt.group("u").lower()
        unit, value = ("g", 1.0) if word[0] == "g" else ("oz", 1.0) if word[0] in "oz" else ("unit", 1.0)
        add(QtyMention(value, unit, per_stmt.start("u"), per_stmt.end("u"), "count" if unit == "unit" else "mass"))
    if ("qty" in lowered or "quantity" in lowered or "pellets" in lowered or _FORM_HINT.search(text)) and not any(
            q.kind == "count" or not q.dose and q.unit not in ("mg", "ug") for q in found):
        for q in _labelled_counts(text, bool(found)):
            add(q)
    if found and has_digit and _LIST_WEIGHT_HINT.search(text):
        for q in _list_weights(text):
            add(q)
    found.sort(key=lambda q: q.start)
    if multipliers and len(found) > 1:
        # "10 x 1g", "5 x 1g joints", "3 x 10cc", "5 pack 1g prerolls": N pieces of that size; the size is no
        # amount sold (issue 14, dev 2026j; "1g x 10" is read the same way when tiers are paired)
        found = [q for q in found if q.kind == "count" or q.dose or q.unit in ("mg", "ug")
                 or not any(0 <= q.start - e <= 1 for e in multipliers)]
    if len(found) > 1 and _ONE_CONTAINER_HINT.search(lowered):
        found = _one_container(text, found)
    if len(found) > 1 and ("each" in lowered or "ea" in lowered) and any(q.kind == "count" for q in found):
        # "Pre-rolls 5 pack (1g each)": the weight of one piece, not the amount sold (the count is)
        found = [q for q in found if q.kind != "mass" or q.unit != "g" or not _EACH_AFTER.match(text, q.end)]
    if found and "min" in lowered:  # "$9/g, min order 5g": the smallest order is no offer (pieces stay: "min 5x")
        found = [q for q in found if q.kind == "count" or not (_MIN_BEFORE.search(text, max(0, q.start - 24), q.start)
                                                             or _MIN_AFTER.match(text, q.end))]
    if found and any(w in lowered for w in ("fit", "hold", "capacity", "size")):  # "fits 1/8 oz": a bag's capacity
        found = [q for q in found if q.kind == "count" or not _CAPACITY_BEFORE.search(text, max(0, q.start - 24),
                                                                                     q.start)]
    if found and ("up" in lowered or "max" in lowered):  # "$95/g, up to 28g": the largest order is no offer either
        found = [q for q in found if q.kind == "count" or q.unit in ("mg", "ug")
                 or not _LIMIT_BEFORE.search(text, max(0, q.start - 24), q.start)]  # "(up to 100 mgs)": a strength
    if found and ("dos" in lowered or "take" in lowered):  # "dose 1-2ml": a serving, not the offer (a strength stays)
        found = [q for q in found if q.unit in ("mg", "ug") or _FOR_AFTER.match(text, q.end)
                 or not _DOSING_BEFORE.search(text, max(0, q.start - 24), q.start)]
    if found and "free" in lowered:  # "5g + 1g free", "one gram free": a bonus, not the offer (issue 14, dev 2026o)
        found = [q for q in found if q.kind == "count" or not _FREE_AFTER.match(text, q.end)]
    if found and _DISCOUNT_WORD.search(lowered):
        found = [q for q in found if not _discount_threshold(text, q)]
    if found and "discount" in lowered:  # "€70 per gram, discounts from 10 g": where a discount starts, no offer
        found = [q for q in found if not _DISCOUNT_FROM_EN.search(text, max(0, q.start - 30), q.start)]
    if len(found) > 1 and ("=" in text or "per" in lowered):
        found = _contents_and_conversions(text, found)
    if per_stmt and not any(q.kind == "count" or q.unit not in ("mg", "ug") for q in found):
        # the same, when the only weight was a minimum order or a limit ("Price per gram: $25. Min order 3g"; issue
        # 14, dev 2026k)
        word = per_stmt.group("u").lower()
        unit, value = ("g", 1.0) if word[0] == "g" else ("oz", 1.0) if word[0] in "oz" else ("unit", 1.0)
        found.append(QtyMention(value, unit, per_stmt.start("u"), per_stmt.end("u"),
                                "count" if unit == "unit" else "mass"))
        found.sort(key=lambda q: q.start)
    return found


# "2000mg per vial", "500mg per cart": what one container holds, a strength like "250mg/ml" (issue 14, dev 2026f)
_PER_CONTAINER = re.compile(r"\s*(?:per|/|a|in\s+(?:each|every|one))\s+(?:vial|bottle|cart|cartridge|pen|amp|ampoule|"
                            r"ampule|syringe|pod)(?![^\W\d_])", re.I)
_EQUALS = re.compile(r"\s?=\s?")


def _contents_and_conversions(text: str, found: list[QtyMention]) -> list[QtyMention]:
    """A milligram content per container is a strength, not an amount sold; a density written as an equation
    between millilitres and grams ("1ml = 1g approx") is neither side an offer (issue 14, dev 2026f)."""
    drop: set[int] = set()
    for i, q in enumerate(found):
        if q.kind == "mass" and q.unit == "mg" and _PER_CONTAINER.match(text, q.end):
            q.dose = True
        if i + 1 < len(found) and {q.unit, (r := found[i + 1]).unit} == {"g", "ml"} and not q.dose and not r.dose \
                and _EQUALS.fullmatch(text, q.end, r.start):  # "2mg = 0.25ML" is a strength, it stays
            drop.update((i, i + 1))
    return [q for i, q in enumerate(found) if i not in drop]


# a weight with a plus and no second amount, before the end of the line, a price or a stop ("14g+", "10g+ $25/g";
# not "3+0,5гр", "5g + 1g free", "1г + подарок"), in a text with a price per gram or a discount ("weed 13gr +" alone
# is the 13 g sold)
_THRESHOLD_PLUS = re.compile(r"[^\S\n]?\+(?=[^\S\n]*(?:$|[$€£),;|]|\.(?!\d)))", re.M)
_PRICE_BREAK = re.compile(r"/[^\S\n]?(?:g|gr|gram)(?![^\W\d_])|per[^\S\n]+(?:g|gr|gram)(?![^\W\d_])|"
                          r"(?<![^\W\d_])off(?![^\W\d_])|discount", re.I)


# an English discount threshold: "discounts from 10 g", "bulk discount over 100g", "discount on 5+" (issue 14,
# dev 2026f)
_DISCOUNT_FROM_EN = re.compile(r"(?<![^\W\d_])discounts?\s+(?:from|over|above|on|for|at)\s+(?:orders?\s+of\s+)?$",
                               re.I)


# a klad shop's price-list row with the weight written bare ("Скорость 0,5 — 8к" above "План 2г — 16к"; issue 14,
# ru_dev2026e): a fraction under 5 before a dash and an amount of money is grams, beside units written elsewhere
_LIST_WEIGHT_HINT = re.compile(r"\d?[.,]\d{1,2}[^\S\n]*[—–=-]")
_LIST_WEIGHT = re.compile(r"(?<![\w.,/$€£₽₸+-])(?P<num>\d?[.,]\d{1,2})(?=[^\S\n]*[—–=-][^\S\n]*"
                          r"(?:\d{1,3}(?:[ \u00a0.]\d{3})+|\d{3,7}|\d{1,3}(?:[.,]\d)?[^\S\n]?(?:к|k|тыс))(?![\d.,]))",
                          re.I)


def _list_weights(text: str) -> list[QtyMention]:
    if not RUSSIAN_LETTER.search(text):
        return []
    out = []
    for m in _LIST_WEIGHT.finditer(text):
        value = parse_number(m.group("num"))
        if value and 0 < value <= 5:
            out.append(QtyMention(value, "g", m.start("num"), m.end("num"), "mass"))
    return out


# a weight given free ("+ 1g free", "one gram free", "7g FREE"), not free shipping or a "THC free" product
_FREE_AFTER = re.compile(r"[^\S\n]*(?:for[^\S\n]+)?free(?![^\W\d_])"
                         r"(?![^\S\n]*(?:shipping|postage|delivery|s&h|of|from))", re.I)
# a count column under a quantity header ("Qty\tPrice" then "25\t$100"; issue 14, dev 2026j): a bare whole number
# opening a line, then a separator and a price
_QTY_HEADER = re.compile(r"^[^\S\n|]*\|?[^\S\n]*(?:qty|quantity|pills|tabs|tablets|caps|pieces|pcs)\b"
                         r"[^\n]{0,40}\bprice", re.I | re.M)
# (a tab reaches here as one space: "25 $100" is a row when a currency sign follows; possessive runs of blanks keep
# a line of thousands of them linear)
_ROW = (r"^[^\S\n|]*+(?:\|[^\S\n]*+)?(?P<num>\d{{1,5}}{frac})"
        r"(?:[^\S\n]*+[|\-–=:][^\S\n]*+(?:[$€£][^\S\n]?)?|[^\S\n]{{2,}}+(?:[$€£][^\S\n]?)?|[^\S\n]++[$€£][^\S\n]?)\d")
_QTY_ROW = re.compile(_ROW.format(frac=""), re.M)
# a bare whole number opening a line or after a bar, a dash or an equals sign, then a currency sign
_COUNT_TIER = re.compile(r"(?:^|\|)[^\S\n]*(?P<num>\d{1,4})[^\S\n]*[-–=:][^\S\n]*[$€£][^\S\n]?\d", re.M)
_FRACTION_ROW = re.compile(_ROW.format(frac=r"[.,]\d+"), re.M)  # "3.5 | $40": grams, no count column


def _labelled_counts(text: str, beside_strength: bool) -> list[QtyMention]:
    """Pieces under a quantity label or after the piece word ("Xanax 2mg - Qty: 100", "Valium 10 mg tablets - 100")
    beside a strength and nothing else; every label of a list of them ("QTY 10 = $250 / QTY 50 = $1100"); and a
    count column of whole numbers under a "Qty | Price" header ("3.5 | $40" in it: grams, no count column)."""
    labels = [c for c in _QTY_LABEL.finditer(text) if not 1990 <= int(c.group("num")) <= 2035]  # "pills - 2024"
    if not beside_strength and len(labels) == 1 and labels[0].group(0)[:1].lower() == "q" and \
            _PRICE_LATER_ON_LINE.match(text, labels[0].end()):
        pass  # "Qty: 20 | Price: $560": one labelled count priced on its line is the offer (issue 14, dev 2026o)
    elif not beside_strength and len(labels) < 2:
        labels = []
    elif len(labels) > 1 and not any(_PRICED_AFTER.match(text, c.end()) for c in labels):
        labels = labels[:1]  # one count, written twice or with others unpriced: the first, as before
    out = [QtyMention(float(c.group("num")), "unit", c.start("num"), c.end("num"), "count") for c in labels]
    if not out and (h := _QTY_HEADER.search(text)) and not _FRACTION_ROW.search(text, h.end()):
        out = [QtyMention(float(m.group("num")), "unit", m.start("num"), m.end("num"), "count")
               for m in _QTY_ROW.finditer(text, h.end()) if int(m.group("num")) > 0]
    if not out and beside_strength:
        # "Pills 280mg" + "10 - $55 | 25 - $120 | 50 - $220": bare whole numbers priced in a list of two or more,
        # rising, beside a strength and a piece word, are counts (issue 14, dev 2026k)
        tiers = list(_COUNT_TIER.finditer(text))
        nums = [int(m.group("num")) for m in tiers]
        if len(nums) > 1 and nums[0] > 0 and all(a < b for a, b in zip(nums, nums[1:], strict=False)):
            out = [QtyMention(float(m.group("num")), "unit", m.start("num"), m.end("num"), "count") for m in tiers]
    return out


# a price later on a labelled count's line, after a separator ("Qty: 20 | Price: $560", "Quantity: 100 - $180")
_PRICE_LATER_ON_LINE = re.compile(r"[^\S\n]*[|,;/\-–—][^\n]{0,24}?"
                                  r"(?:price|cost|[$€£]\s?\d|\d[^\S\n]?(?:usd|eur|gbp|[$€£]))", re.I)
_PRICED_AFTER = re.compile(r"[^\S\n]*(?:[=:\-–]|for|@)?[^\S\n]*[$€£]?\s?\d", re.I)
# one container of pieces ("LSD 1 sheet 100 tabs", "1 bottle (60 caps)", "one box of 10"): the pieces are sold
_ONE_CONTAINER_HINT = re.compile(r"sheet|bottle|box|tub|jar|pack|blister|strip|bag")
_ONE_CONTAINER = re.compile(r"(?<![\w.,])(?:1|one|a)\s?(?:sheets?|bottles?|box(?:es)?|tubs?|jars?|packs?|blisters?|"
                            r"strips?|bags?)(?:\s+of)?[^\S\n]*[(\-–:,]?[^\S\n]*$", re.I)


# or right after them ("100 tabs (1 sheet)", "60 caps - 1 bottle")
_ONE_CONTAINER_AFTER = re.compile(r"[^\S\n]*[(\-–:,]?[^\S\n]*(?:1|one|a)\s?(?:sheets?|bottles?|box(?:es)?|tubs?|jars?|"
                                  r"packs?|blisters?|strips?|bags?)(?![^\W\d_])", re.I)


# several containers and, in brackets, the pieces they hold together ("10 strips (100 tabs)", "3 sheets (300 tabs)";
# issue 14, dev 2026k): the pieces are sold
_CONTAINERS_BRACKET = re.compile(
    r"(?:sheets?|bottles?|box(?:es)?|tubs?|jars?|packs?|blisters?|strips?)[^\S\n]*\([^\S\n]*$", re.I)
_PIECES = re.compile(r"\d+[^\S\n]?(?:pills?|tabs?|tablets?|caps|capsules?|blotters?|pcs|pieces)(?![^\W\d_])", re.I)


def _one_container(text: str, found: list[QtyMention]) -> list[QtyMention]:
    """Drops the count of one container written right before or after the count of the pieces it holds, and the
    count of several containers followed by the pieces they hold in brackets."""
    drop = {i for i, q in enumerate(found[:-1]) if q.kind == "count" and q.value == 1
            and found[i + 1].kind == "count" and found[i + 1].value > 1
            and _ONE_CONTAINER.search(text, max(0, q.start - 1), found[i + 1].start)}
    drop |= {i for i, q in enumerate(found[:-1]) if q.kind == "count" and found[i + 1].kind == "count"
             and found[i + 1].value > q.value and _CONTAINERS_BRACKET.search(text, q.start, found[i + 1].start)
             and _PIECES.match(text, found[i + 1].start)}
    drop |= {i for i, q in enumerate(found) if i and q.kind == "count" and q.value == 1
             and found[i - 1].kind == "count" and found[i - 1].value > 1
             and (m := _ONE_CONTAINER_AFTER.match(text, found[i - 1].end)) and m.end() >= q.end}
    return [q for i, q in enumerate(found) if i not in drop] if drop else found


def _discount_threshold(text: str, q: QtyMention) -> bool:
    """ "от 5г дешевле", "опт от 10г": the weight from which a discount runs (a klad shop's per-gram price
    list), not an offer; "от" alone ("Меф от 1г") is not enough."""
    head = text[max(0, q.start - 16) : q.start]
    if not _DISCOUNT_BEFORE.search(head):
        return False
    return bool(_DISCOUNT_AFTER.match(text, q.end) or re.search(r"(?:опт|скидк|дешевле)\w*\s+от\s?$", head, re.I))


def mark_doses(mentions: list[QtyMention], text: str) -> None:
    """Decide which mass mentions are per-unit strengths (doses) rather than amounts sold: every microgram
    mass; a milligram one with a count or a dose form word in the text, or "each"/"per pill" after it."""
    has_form: bool | None = None  # looked up for the first milligram mass only
    for q in mentions:
        if q.kind != "mass" or q.unit not in ("ug", "mg"):
            continue
        if q.unit == "mg" and has_form is None:
            has_form = any(m.kind == "count" for m in mentions) or bool(FORM_WORDS_RE.search(text))
        if q.unit == "ug" or has_form or _PER_UNIT_DOSE.match(text, q.end):
            q.dose = True
