"""Train the drug-class text classifier shipped in extractors/models/drug_class/ (reproducible, seeded).

Usage: .venv/bin/python bench/train_drug_class.py [SHARED_DATA_DIR] [--epochs 8] [--out DIR] [--seed 0]

Weak labels: the market categories of the real sets in ../shared/data/listings (AlphaBay 2017, Agora 2014,
Matanga 2020), mapped to the lexicon's classes (+ `non_drug`) by the tables below. DEV SPLIT ONLY
(onionwatch/testbed/splits.py): test texts and bench/corpus/heldout*.jsonl are never read. The dev texts are
split again by a hash of the text into train (85 %) and a dev-holdout (15 %) that reports per-class accuracy
and on which the pipeline's thresholds are tuned. The model is a spaCy `textcat` (exclusive classes) with the
bag-of-words/bigram architecture spacy.TextCatBOW.v3 on a blank multi-language pipeline: fast, ~4 MB.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import spacy  # noqa: E402
from spacy.tokens import Doc  # noqa: E402
from spacy.training import Example  # noqa: E402

from bench.realsets import REAL_SETS, RealSet, load_rows  # noqa: E402
from onionwatch.extractors.drug_class import (  # noqa: E402
    DEFAULT_MODEL_PATH,
    LABELS,
    NON_DRUG,
    DrugClassifier,
    model_text,
    model_words,
)
from onionwatch.extractors.lexicon import load_lexicon  # noqa: E402

HOLDOUT_BELOW = 38  # first byte of sha256("drug-class-holdout:" + text) below this -> dev-holdout (14.8 %)
BOW_LENGTH = 2**16  # hashed feature rows: the model file is ~ BOW_LENGTH x 14 labels x 4 bytes = 3.7 MB

# market category -> class; a missing category is not used (Prescription, Other, Weight loss, RCs: mixed)
ALPHABAY = {"Cannabis & Hashish": "cannabinoid", "Stimulants": "stimulant", "Opioids": "opioid",
            "Psychedelics": "psychedelic", "Ecstasy": "empathogen", "Benzos": "benzodiazepine",
            "Dissociatives": "dissociative", "Steroids": "performance", "Paraphernalia": NON_DRUG}  # fmt: skip
ALPHABAY_SUB2 = {("Cannabis & Hashish", "Synthetic"): "synthetic_cannabinoid",
                 ("Ecstasy", "Methylone & BK"): "cathinone"}  # fmt: skip
AGORA = {"Cannabis": "cannabinoid", "Stimulants": "stimulant", "Opioids": "opioid", "Psychedelics": "psychedelic",
         "Ecstasy": "empathogen", "Ecstasy-MDMA": "empathogen", "Benzos": "benzodiazepine",
         "Dissociatives": "dissociative", "Disassociatives": "dissociative", "Steroids": "performance",
         "Methylone": "cathinone", "Barbiturates": "sedative"}  # fmt: skip
AGORA_SUB2 = {("Cannabis", "Synthetics"): "synthetic_cannabinoid", ("Dissociatives", "GHB"): "sedative",
              ("Disassociatives", "GHB"): "sedative"}  # fmt: skip
MATANGA_CANONICAL = {"Cannabis": "cannabis", "Methadone": "methadone", "25i-NBOMe": "25i-nbome", "MDMA": "mdma",
                     "Cocaine": "cocaine", "Heroin": "heroin", "Buprenorphine": "buprenorphine", "LSD": "lsd",
                     "A-PVP": "alpha-pvp", "Ketamine": "ketamine", "Mephedrone": "mephedrone",
                     "Amphetamine": "amphetamine", "Methamphetamine": "methamphetamine"}  # fmt: skip


def weak_label(rs: RealSet, row: dict[str, str], classes: dict[str, str]) -> str | None:
    """The class a market category gives a listing; None when the category does not say one."""
    if rs.name == "alphabay2017":
        if row["category"] != "Drugs & Chemicals":
            return NON_DRUG
        sub = row["subcategory"]
        return ALPHABAY_SUB2.get((sub, row["subcategory2"])) or ALPHABAY.get(sub)
    if rs.name == "agora2014":
        if row["cat"] != "Drugs":
            return NON_DRUG
        sub = row["subcat"]
        return AGORA_SUB2.get((sub, row["subsubcat"])) or AGORA.get(sub)
    if row["sub"] == "Services":
        return NON_DRUG
    canonical = MATANGA_CANONICAL.get(row["sub"])
    return classes.get(canonical) if canonical else None


def holdout(text: str) -> bool:
    return hashlib.sha256(f"drug-class-holdout:{text}".encode()).digest()[0] < HOLDOUT_BELOW


def load_dev(data: Path) -> list[tuple[str, str, str]]:
    """(source, text, label) for every distinct dev text that has a weak label."""
    lexicon = load_lexicon(None)
    classes = {name: e.cls for name, e in lexicon.entries.items()}
    out: list[tuple[str, str, str]] = []
    for rs in REAL_SETS:
        path = data / "listings" / rs.file
        if not path.exists():
            print(f"  {path} missing, skipped")
            continue
        rows, _ = load_rows(data / "listings", rs, "dev")
        for r in rows:
            label = weak_label(rs, r, classes)
            text = model_text(r[rs.column])
            if label and model_words(text):
                out.append((rs.name, text, label))
    return out


def make_nlp(seed: int) -> spacy.language.Language:
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("xx")
    model = {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True, "ngram_size": 2,
             "no_output_layer": False, "length": BOW_LENGTH}  # fmt: skip
    textcat = nlp.add_pipe("textcat", config={"model": model, "threshold": 0.0})
    for label in LABELS:
        textcat.add_label(label)
    return nlp


def train(data: Path, out: Path, epochs: int, seed: int) -> int:
    rows = load_dev(data)
    if not rows:
        print(f"no labelled dev texts under {data}/listings", file=sys.stderr)
        return 2
    train_rows = [r for r in rows if not holdout(r[1])]
    hold_rows = [r for r in rows if holdout(r[1])]
    print(f"dev texts with a weak label: {len(rows)} (train {len(train_rows)}, dev-holdout {len(hold_rows)})")
    for src, n in sorted(Counter(r[0] for r in rows).items()):
        print(f"  {src}: {n}")
    print("  per class (train / holdout):")
    tr, ho = Counter(r[2] for r in train_rows), Counter(r[2] for r in hold_rows)
    for label in LABELS:
        if tr[label] or ho[label]:
            print(f"    {label:22} {tr[label]:6} / {ho[label]:5}")
    nlp = make_nlp(seed)
    # Docs made of the model's own tokens: the classifier reads them the same way (DrugClassifier.predict)
    examples = [Example.from_dict(Doc(nlp.vocab, words=model_words(t)), {"cats": {lb: float(lb == y) for lb in LABELS}})
                for _, t, y in train_rows]  # fmt: skip
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    t0 = time.perf_counter()
    for epoch in range(epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in spacy.util.minibatch(examples, size=spacy.util.compounding(16.0, 128.0, 1.05)):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.0)
        acc = accuracy(nlp, hold_rows)
        print(f"  epoch {epoch + 1}: loss {losses['textcat']:.2f}, holdout accuracy {acc:.3f}")
    print(f"trained in {time.perf_counter() - t0:.1f} s")
    report(nlp, hold_rows)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    about = "Drug class of a listing title (weak labels: market categories, dev split)"
    nlp.meta.update({"name": "onionwatch_drug_class", "version": "1.0.0", "description": about})
    nlp.to_disk(tmp)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"model written to {out} ({size / 1e6:.1f} MB)")
    return 0


def predict(nlp: spacy.language.Language, texts: list[str]) -> list[tuple[str, float]]:
    clf = DrugClassifier()
    clf._nlp = nlp  # the model being trained, scored as the pipeline scores it
    return clf.predict(texts)


def accuracy(nlp: spacy.language.Language, rows: list[tuple[str, str, str]]) -> float:
    preds = predict(nlp, [t for _, t, _ in rows])
    return sum(p == y for (p, _), (_, _, y) in zip(preds, rows, strict=True)) / max(1, len(rows))


def report(nlp: spacy.language.Language, rows: list[tuple[str, str, str]]) -> None:
    """Per-class accuracy (recall) on the dev-holdout, and accuracy / coverage above score thresholds."""
    preds = predict(nlp, [t for _, t, _ in rows])
    ok, n = Counter[str](), Counter[str]()
    for (p, _), (_, _, y) in zip(preds, rows, strict=True):
        n[y] += 1
        ok[y] += p == y
    print("dev-holdout accuracy per class (share of the class's texts given that class):")
    for label in LABELS:
        if n[label]:
            print(f"  {label:22} {ok[label] / n[label]:.3f}  (n={n[label]})")
    print(f"  {'all':22} {sum(ok.values()) / len(rows):.3f}  (n={len(rows)})")
    print("above a score threshold (drug-class predictions only): coverage / accuracy")
    for th in (0.5, 0.6, 0.7, 0.8, 0.9):
        sel = [(p, y) for (p, s), (_, _, y) in zip(preds, rows, strict=True) if s >= th and p != NON_DRUG]
        acc = sum(p == y for p, y in sel) / max(1, len(sel))
        print(f"  >= {th:.1f}: {len(sel)} texts, accuracy {acc:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO.parent / "shared" / "data"), help="shared data dir")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(DEFAULT_MODEL_PATH), help="model directory (replaced)")
    args = ap.parse_args(argv)
    return train(Path(args.data), Path(args.out), args.epochs, args.seed)


if __name__ == "__main__":
    raise SystemExit(main())
