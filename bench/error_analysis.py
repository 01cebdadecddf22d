"""Why AlphaBay/Agora labels and the extractor disagree, on the DEV split only: counts per cause, with examples.

Usage: .venv/bin/python bench/error_analysis.py [SHARED_DATA_DIR] [--examples N] [--sample N] [--no-write]

Each disagreement (as bench/eval_extract.py counts them: a drug listing with no substance, or with a primary
substance of another class / not the expected drug; a non-drug listing with a substance) gets the first cause
whose explicit rule matches — the rules below, in order. Causes are on one of five sides:
- label noise: the category is wrong for what the title says (a Xanax listing under "Jewels & Gold", a
  custom order or a pipe under a drug category, mephedrone under "Benzos");
- table: the category -> expected-substance table (bench/realsets.py) is stricter than the category;
- scope: a supplement, nootropic, CBD oil, over-the-counter painkiller, naloxone/naltrexone or chemical the lexicon
  leaves out on purpose (prescription medicines are in it, class `other`: substances_rx.yaml);
- our miss: the title says what it is and the extractor did not read it;
- unclear: the title alone does not say ("7g 230$", "Half pound") — a page's category would.
--sample N prints N random titles per cause (seeded) for the manual check the rules were written from.
Writes bench/results/<date>-error_analysis-dev.md (and .json) unless --no-write.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.realsets import REAL_SETS, Expect, disagreement, load_rows  # noqa: E402
from onionwatch.extractors.lexicon import load_lexicon  # noqa: E402
from onionwatch.extractors.pipeline import Extractor  # noqa: E402
from onionwatch.extractors.records import Extraction, Substance  # noqa: E402
from onionwatch.testbed.eval_results import write_results  # noqa: E402
from onionwatch.testbed.metrics import proportion  # noqa: E402


def _rx(words: str) -> re.Pattern[str]:
    return re.compile(r"(?:" + words + r")", re.I)


NOT_AN_OFFER = _rx(
    r"\bcustom\b|individual order|private listing|tip jar|reserved|\blottery|e-?book|\bguide|tutorial|synthesis"
    r"|how to|\bpipe\b|burner|\bbong|grinder|\bscales?\b|pill press|press machine|cellulose|cyanide|peroxide"
    r"|acetone|safrole|\bsources\b|reagent (?:test )?kit|test kit|pistol|\bguns?\b|hooch|moonshine|omega|vitamin"
    r"|account|bitcoin|\bvenom|rhino horn|zip ?lock|baggies|mylar|\bstylus|vape pen|o\.pen|\bdab s?tik|shipping fee"
    r"|capsules? (?:empty|size)|empty capsules|\bbook\b|\bmovie\b|syringes?\b"
    r"|needles?\b|ethanol|sodium|potassium|carbonate|hydroxide|\bacid\b|pectin|mannit|phenacetin|solvent|hookah"
    r"|\bpapers\b|\bjars?\b|\bstash|\btips\b|trinkgeld|flight|hotel|\bporn|\bleaks?\b"
    # round 3 (2026-12-07): fees and add-ons, mixed lots, goods that are no drug (supplements, replicas, gift cards,
    # grow lights, wine, note-cleaning "SSD", prescription pads, spells, lotions)
    r"|postage|reship|add[ -]?on\b|express shipping|shipping upgrade|tracked shipping|track, trace|review lis\w+"
    r"|make up listing|\binvite\b|cash drop|mix (?:and|&|n) match|mix number|mixing package|sample (?:pack|box)"
    r"|sampler|variety pack|party (?:pack|box)|\bassorted\b|all meds|\bsupplements?\b|whey|protein|gift card"
    r"|replica|wallet|grow light|\bhps\b|prescription (?:pads?|bottle labels?)|\bwine\b|\brum\b|black (?:money|notes)"
    r"|defaced notes|hot plate|\bbinder\b|\bcdj|\bcurse\b|lotion|body butter|bubble bath|healing cream|cutting agent"
    r"|cutting ?super ?agent|\bsmell\b|glass (?:lots|blunt)|water ?pipe|bubbler|insulin pump"
    r"|how (?:to )?make|absinth|anhydride|phenylaceto|cusmtom|custom\d|pictures of|combined shipping"
    r"|commercial package|every benzo|\be-?liquid|c-liquid"
)
# what the lexicon leaves out on purpose (substances_rx.yaml head): supplements and vitamins, nootropics sold as
# supplements, CBD/hemp oil, over-the-counter painkillers, the opioid antagonists naloxone/naltrexone (beside
# buprenorphine in Suboxone listings) and lab chemicals. Prescription medicines (antibiotics, antihistamines,
# metformin, thyroxine, insulin ...) are in the lexicon since 2026-12-07 (class `other`): a miss of one is ours.
NOT_MONITORED = _rx(
    r"nalox(?!egol)|naltrex|narcan|noopept|piracetam|selank|5-htp|hydroxy-?tryptophan|melatonin|milatonin"
    r"|genistein|apigenin|astaxanthin|curcumin|magnesium|chlorella|colloid|iodine|indium|extract powder|pre-?084"
    r"|kanna|hydrazine|oxalate|chlorofor|choloform|camphor|dmso|\boils? 4oz|gw ?50156|nootropic|hemp oil|\bcbd\b"
    r"|ibuprofen|paracetamol|acetaminophen|\baspirin"
)
# harm-reduction tests and hardware sold under a drug category: the extractor is right to find no drug in them
# ("EZ Test for Cocaine Purity", "Mecke Reagent", "Mushroom grow kit", "510 battery and charger", "Pre-Rolled Cones");
# a vaporizer only without an amount ("1g wax, vaporizer-ready" is wax)
NOT_A_DRUG_ITEM = _rx(
    r"\bez[ -]?tests?\b|\bpurity tests?\b|\bcuts tests?\b|\btest for\b"
    r"|\b(?:mecke|marquis|mandell?in|ehrlich|simon'?s|froehde|liebermann) reagent|\bbooks\b|\bcones\b|\bgrow kit"
    r"|\bbatter(?:y|ies)\b|\bcharger\b|production at home|\bextract \w+ from\b"
    r"|^(?!.*\d\s*(?:g|gr|grams?|mg|ml)\b).*\bvapori[sz]er\b"
)
SEEDS = _rx(r"\bseeds?\b|seeds(?![a-z])|\bclones?\b|\bspores?\b|spore (?:syringe|print)|strain print")
PED = _rx(
    r"steroid|\bsarms?\b|peptide|\bhgh\b|somatropin|testo|\btest\s*(?:e|c|p|cyp|enan\w*|prop\w*|\d{3})\b|\btren|\bdeca\b|anavar|\bd-?bol|dianabol"
    r"|winstrol|\bclen|\bcjc|ghrp|ipamorelin|androgel|\bprimo|masteron|equipoise|sustanon|anadrol|proviron|nolva"
    r"|arimidex|\bhcg\b|melanotan|mk-?677|ostarine|cialis|viagra|kamagra|cenforce|ladygra|vigara|muscle|anabolic"
    r"|sildigra|vigra|superdrol|danabol|norditropin|igf-?1|insulin|\bhcg|\bt3\b|cytomel|\bdnp\b"
    r"|\bcypionate|enanthate|propionate|\bmg/ml\b"
)
EDIBLE = _rx(
    r"cookie|gumm|cand(?:y|ies)|chocolate|brownie|\bmints?\b|lollipop|edible|infused|medicated|\bbars?\b|taffy"
    r"|jolly|caramel|tincture|butter|cereal|treats?\b|pops?\b|drops?\b|\bsoda\b|\btea\b|capsules?"
)
CONCENTRATE = _rx(
    r"shatter|\bwax\b|\bdabs?\b|\boil\b|rosin|budder|crumble|\bvape|cartridge|\bcarts?\b|distillate|kief|\bbho\b"
    r"|resin|charas|hasj|hashish|\bhash\b|moroc|maroc|\brif\b|ketama|malana|manali|nepal|tetouan|afghan|leban"
    r"|olivette|pollen|\bsift|bubble"
)
PILLS = _rx(r"\bpills?\b|\btabs?\b|tablets?|\bbars?\b|\bmg\b|\d\s*mg|\bxtc\b|\bpress(?:ed)?\b|\bm30\b|\bimprint")
GUIDE = _rx(
    r"guide|how to|\bbook|e-?book|tutorial|manual|\bhistory|growing|\bgrow\b|cultivat|hydropon|extraction"
    r"|production|manufactur|journal|collection|\btips\b|the art|movie|method|recipe|\btek\b|\bpdf\b|through the"
    r"|around the world|\bnation\b|encyclopedia|handbook|\bbible\b|synthesis|info kit|\bcooking"
)
PARAPHERNALIA = _rx(
    r"\btest(?:ing)?\b|\bkit\b|blister|pipe|grinder|\bscale|bong|tracksuit|shirt|hoodie|shoes|belt\b|\bcan\b|\bjar\b"
    r"|chamber|container|\btank\b|\bcoil|cartridge|vapor|stash"
)
OFFER_AMOUNT = _rx(
    r"\d\s*(?:g\b|gr|gram|mg|ml|oz|tab|pill|bar|x\b|pcs)|\bx\s*\d|\d+\s*x\b|\bbars\b|\bgrams?\b|\bhalf\b|ounce"
    r"|\bpills\b|\btabs\b"
)
RC_NAME = re.compile(
    r"\b\d[a-z]?-[a-z0-9-]{2,}\b|\b[a-z]{4,}(?:ine|one|ole|pam|lam|ide|ate|ol|il|in)\b|\b[a-z]{2,}-\d{2,}\b", re.I
)
PRECURSORS = frozenset({"pseudoephedrine", "ephedrine", "bmk", "lidocaine", "benzocaine", "caffeine", "safrole"})
PED_NAMES = frozenset(
    [
        "testosterone",
        "trenbolone",
        "stanozolol",
        "methandienone",
        "drostanolone",
        "turinabol",
        "clenbuterol",
        "hcg",
        "anastrozole",
        "clomiphene",
        "ligandrol",
        "cardarine",
        "ostarine",
        "rad-140",
        "ibutamoren",
        "somatropin",
        "tb-500",
        "melanotan",
        "nandrolone",
        "oxandrolone",
        "boldenone",
        "methenolone",
        "oxymetholone",
        "mesterolone",
        "fluoxymesterone",
        "tamoxifen",
        "letrozole",
        "exemestane",
        "sildenafil",
        "tadalafil",
        "vardenafil",
        "stenabolic",
    ]
)

# cause -> side
SIDES = {
    "non-drug listing under a drug category (custom order, pipe, precursor, guide, chemical)": "label noise",
    "drug listing under a non-drug category": "label noise",
    "title names a drug of another class (filed elsewhere)": "label noise",
    "PED/ED drug under another drug category (no such category)": "label noise",
    "precursor or cutting agent under a drug category": "label noise",
    "cannabis seeds, spores or clones (no drug in them)": "table",
    "synthetic cannabinoid under a cannabis category": "table",
    "same class, another drug (category broader than the table)": "table",
    "cannabis edible without a cannabis word": "our miss",
    "cannabis concentrate/hash word or hash origin only": "our miss",
    "cannabis strain or grade words only": "our miss",
    "PED not in the lexicon (steroids, SARMs, peptides) or no PED class": "our miss",
    "pill or medicine brand, imprint or nickname; medicine not in the lexicon": "our miss",
    "a lexicon name is in the title but was not taken (non-drug cue, context)": "our miss",
    "misspelling of a lexicon name": "our miss",
    "substance or chemical name not in the lexicon (RC, medicine, chemical)": "our miss",
    "title names no drug (amount only, vague, slang); some are not drugs": "unclear",
    "supplement, nootropic, CBD, OTC painkiller, naloxone or chemical left out on purpose": "scope",
    "multi-substance: the expected drug is not the first": "our miss",
    "'spice' / herbal blend read as cannabis": "our miss",
    "ambiguous word or slang read as a drug": "our miss",
    "guide or book about a drug read as an offer": "our miss",
    "test kit, paraphernalia or clothing naming a drug": "our miss",
    "brand or homonym read as a drug": "our miss",
}


class Rules:
    """The explicit rules: one cause per disagreement (see SIDES for the causes and their side)."""

    def __init__(self) -> None:
        self.lex = load_lexicon()
        by_initial: dict[str, list[str]] = defaultdict(list)
        for alias in self.lex.strong:
            if len(alias) >= 5 and alias.isalpha():
                by_initial[alias[0]].append(alias)
        self.by_initial = by_initial

    def strong(self, s: Substance) -> bool:
        found = self.lex.lookup(s.text)
        return found is not None and not found[1]

    def named(self, title: str) -> bool:
        words = re.findall(r"[^\W_]+(?:-[^\W_]+)*", title.lower())
        return any(w in self.lex.strong for w in words) or any(
            f"{a} {b}" in self.lex.strong for a, b in zip(words, words[1:], strict=False)
        )

    def misspelt(self, title: str) -> str | None:
        for word in re.findall(r"[^\W\d_]{6,}", title.lower()):
            if word in self.lex.strong or word in self.lex.weak:
                continue
            near = difflib.get_close_matches(word, self.by_initial.get(word[0], []), n=1, cutoff=0.86)
            if near:
                return f"{word}->{near[0]}"
        return None

    def cause(self, kind: str, label: str, title: str, res: Extraction, exp: Expect) -> str:
        known = [s for s in res.substances if s.known]
        if kind == "non-drug found":
            return self._non_drug(label, title, known)
        if kind == "missed":
            return self._missed(label, title)
        names, classes = exp
        first = known[0]
        multi, misread = "multi-substance: the expected drug is not the first", "ambiguous word or slang read as a drug"
        if first.canonical in PRECURSORS:
            return "precursor or cutting agent under a drug category"
        if classes is not None:
            if "cannabinoid" in classes and first.cls == "synthetic_cannabinoid":
                return "synthetic cannabinoid under a cannabis category"
            if "synthetic_cannabinoid" in classes and first.cls == "cannabinoid":
                return "'spice' / herbal blend read as cannabis"
            if any(s.cls in classes for s in known[1:]):
                return multi if self.strong(first) else misread
        if names is not None:
            if any(s.canonical in names for s in known[1:]):
                return multi if self.strong(first) else misread
            want_cls = {self.lex.entries[n].cls for n in names if n in self.lex.entries}
            if first.cls in want_cls:
                return "same class, another drug (category broader than the table)"
        if first.canonical in PED_NAMES:
            return "PED/ED drug under another drug category (no such category)"
        if self.strong(first):
            return "title names a drug of another class (filed elsewhere)"
        return "ambiguous word or slang read as a drug"

    def _non_drug(self, label: str, title: str, known: list[Substance]) -> str:
        if GUIDE.search(title) or re.search(r"guide|information|ebook|tutorial", label, re.I):
            return "guide or book about a drug read as an offer"
        if OFFER_AMOUNT.search(title) and any(self.strong(s) for s in known) and not PARAPHERNALIA.search(title):
            return "drug listing under a non-drug category"
        if PARAPHERNALIA.search(title) or "paraphernalia" in label.lower():
            return "test kit, paraphernalia or clothing naming a drug"
        return "brand or homonym read as a drug"

    def _missed(self, label: str, title: str) -> str:
        cannabis = "cannabis" in label.lower() and "synthetic" not in label.lower()
        sub = label.split("/", 1)[-1].lower()  # "Cannabis & Hashish/Hash" -> "hash"
        if NOT_AN_OFFER.search(title) or NOT_A_DRUG_ITEM.search(title):
            return "non-drug listing under a drug category (custom order, pipe, precursor, guide, chemical)"
        if NOT_MONITORED.search(title):
            return "supplement, nootropic, CBD, OTC painkiller, naloxone or chemical left out on purpose"
        if (cannabis or "psychedelic" in label.lower()) and SEEDS.search(title):
            return "cannabis seeds, spores or clones (no drug in them)"
        if PED.search(title) or label.lower().startswith(("steroids", "drugs/steroids")):
            return "PED not in the lexicon (steroids, SARMs, peptides) or no PED class"
        if cannabis and (EDIBLE.search(title) or "edible" in sub):
            return "cannabis edible without a cannabis word"
        if cannabis and (CONCENTRATE.search(title) or re.search(r"hash|concentrate", sub)):
            return "cannabis concentrate/hash word or hash origin only"
        if self.named(title):
            return "a lexicon name is in the title but was not taken (non-drug cue, context)"
        if self.misspelt(title):
            return "misspelling of a lexicon name"
        if cannabis:
            return "cannabis strain or grade words only"
        if PILLS.search(title) and re.search(r"ecstasy|opioid|benzo|pill|prescription", label, re.I):
            return "pill or medicine brand, imprint or nickname; medicine not in the lexicon"
        if RC_NAME.search(title):
            return "substance or chemical name not in the lexicon (RC, medicine, chemical)"
        return "title names no drug (amount only, vague, slang); some are not drugs"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--examples", type=int, default=2, help="examples per cause in the table (default 2)")
    ap.add_argument("--sample", type=int, default=0, help="print N random titles per cause (manual check)")
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args(argv)
    listings = Path(args.data) / "listings"
    x, rules = Extractor(), Rules()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    examples: dict[str, list[str]] = defaultdict(list)
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for rs in REAL_SETS[:2]:
        if not (listings / rs.file).exists():
            print(f"{listings / rs.file}: missing")
            return 1
        rows, _ = load_rows(listings, rs, "dev")
        for r, res in zip(rows, x.extract_many([r[rs.column] for r in rows]), strict=True):
            exp = rs.expect(r)
            if exp is None or res.lang != "en":
                continue
            is_drug = exp != (frozenset(), frozenset())
            totals[rs.name]["drug" if is_drug else "non-drug"] += 1
            kind = disagreement(res, exp)
            if kind is None:
                continue
            cause = rules.cause(kind, rs.label(r), r[rs.column], res, exp)
            counts[rs.name][cause] += 1
            totals[rs.name][f"{'drug' if is_drug else 'non-drug'} disagree"] += 1
            if kind in ("missed", "class"):  # what "label agreement" counts; "name" is the expected-substance figure
                totals[rs.name]["label disagree"] += 1
                totals[rs.name][f"label side {SIDES[cause]}"] += 1
            got = ",".join(s.canonical for s in res.substances if s.known) or "-"
            examples[cause].append(f"[{rs.name[:2]}] {rs.label(r)} | {r[rs.column][:70]!r} -> {got}")
    _report(counts, totals, examples, args)
    return 0


def _report(counts: dict[str, Counter[str]], totals: dict[str, Counter[str]], examples: dict[str, list[str]],
            args: argparse.Namespace) -> None:  # fmt: skip
    rng = random.Random(0)
    names = [rs.name for rs in REAL_SETS[:2]]
    lines = ["| side | cause | AlphaBay | Agora | examples |", "|---|---|---|---|---|"]
    by_side: dict[str, Counter[str]] = defaultdict(Counter)
    for cause, side in sorted(SIDES.items(), key=lambda cs: (cs[1], -sum(counts[n][cs[0]] for n in names))):
        n = [counts[m][cause] for m in names]
        if not sum(n):
            continue
        for m, k in zip(names, n, strict=True):
            by_side[m][side] += k
        ex = "<br>".join(
            e.replace("|", "/") for e in rng.sample(examples[cause], min(args.examples, len(examples[cause])))
        )
        lines.append(f"| {side} | {cause} | {n[0]} | {n[1]} | {ex} |")
    print("== causes of disagreement, AlphaBay / Agora, DEV split, English texts (first matching rule)")
    print("\n".join(lines))
    print("\n== agreement on drug listings, and what it would be without each side's disagreements")
    figures = {}
    for m in names:
        t = totals[m]
        drug, bad = t["drug"], t["label disagree"]
        sides = {s: t[f"label side {s}"] for s in ("label noise", "table", "scope", "our miss", "unclear")}
        agree = proportion("drug: label agreement (as eval_extract counts it)", drug - bad, drug)
        kept = drug - sides["label noise"] - sides["table"]
        fixed = proportion("drug: agreement, label-noise and table cases set aside", drug - bad, kept)
        figures[m] = [agree, fixed]
        print(f"  {m}: drug listings {drug}, label disagreements (none found or another class) {bad} = "
              f"label noise {sides['label noise']} + table "
              f"{sides['table']} + scope {sides['scope']} + our misses {sides['our miss']} + unclear "
              f"{sides['unclear']}; "
              f"non-drug listings {t['non-drug']}, with a substance {t['non-drug disagree']}; drug listings "
              f"with the right class but not the expected drug {t['drug disagree'] - bad}")  # fmt: skip
        for f in figures[m]:
            print(f"    {f.name:62} {f.text()}")
    if args.sample:
        for cause in SIDES:
            if examples[cause]:
                print(f"\n-- {cause} ({len(examples[cause])}), sample")
                for e in rng.sample(examples[cause], min(args.sample, len(examples[cause]))):
                    print("   ", e)
    if not args.no_write:
        js, md = write_results("error_analysis", "dev", {"command": "python bench/error_analysis.py"}, figures,
                               REPO / "bench" / "results")  # fmt: skip
        md.write_text(md.read_text(encoding="utf-8") + "\n## Causes\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"== results: {js} and {md.name}")


if __name__ == "__main__":
    raise SystemExit(main())
