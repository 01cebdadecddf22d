"""The extraction API the crawl pipeline and `onionwatch extract` call: text -> Extraction, raw -> record."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from onionwatch.crawler.items import RawListing, RawVendor
from onionwatch.extractors.amounts import (
    AFTER_PRICE,
    BEFORE_PRICE,
    Amount,
    Reading,
    bare_strength,
    count_without_substance,
    priced_tiers,
    settle,
)
from onionwatch.extractors.batch_dedupe import first_of_each
from onionwatch.extractors.category import apply_category, read_category
from onionwatch.extractors.drug_class import DrugClassifier, apply_model
from onionwatch.extractors.fx import GRAMS_PER_OZ, FxTable
from onionwatch.extractors.gc_batch import batch_gc
from onionwatch.extractors.lexicon import Lexicon, load_lexicon
from onionwatch.extractors.listing_fields import (
    MAX_CATEGORY_CHARS,
    PriceChoice,
    channel_post,
    field_quantity,
    listing_place,
    listing_price,
    shown_quantity,
    text_city,
    text_price,
    with_category_hint,
)
from onionwatch.extractors.nlp import build_nlp
from onionwatch.extractors.offers import Offer, OfferCache, offer_prices, parse_offer
from onionwatch.extractors.pipes import run_pipes
from onionwatch.extractors.places import city_currency
from onionwatch.extractors.price_tables import city_row_price, expand_tables
from onionwatch.extractors.prices import MONEY_CUE, TASK_WORDS, PriceMention, exchange_ad
from onionwatch.extractors.quantities import FORM_WORDS_RE, QtyMention
from onionwatch.extractors.records import Extraction, Listing, Price, Quantity, Substance, Tier, Vendor
from onionwatch.extractors.substances import (
    KLAD_ONLY,
    flower_across,
    klad_context,
    without_generic,
    without_pressed_look,
)
from onionwatch.extractors.text import detect_lang, normalize
from onionwatch.extractors.tiers import TierMention, resolve_tier
from onionwatch.extractors.tokenizer import Ext, doc_text

_GRAMS = {"g": 1.0, "mg": 1e-3, "ug": 1e-6, "oz": GRAMS_PER_OZ}
LANGS = ("en", "ru")
MAX_TIER_LINES = 100  # tier lines read per listing (a hostile page may list thousands)
MAX_CACHED_CATEGORIES = 4096  # analysed category texts kept (a market has a few dozen)



class Extractor:
    """Owns one blank spaCy pipeline per language (built lazily) and the FX table."""

    def __init__(
        self, fx_path: str | Path | None = None, lexicon_path: str | Path | None = None, *, model: bool = True,
        model_path: str | Path | None = None,
    ) -> None:
        self.fx = FxTable.load(fx_path)
        self.lexicon_path = str(lexicon_path) if lexicon_path else None
        self._nlp: dict[str, Language] = {}
        self._empty: dict[str, Doc] = {}  # one analysed empty text per language, shared (read only)
        self._categories: dict[tuple[str, str, str | None], Doc] = {}
        self.classifier = DrugClassifier(model_path) if model else None  # extractors/drug_class.py

    def nlp(self, lang: str) -> Language:
        lang = lang if lang in LANGS else "en"
        if lang not in self._nlp:
            self._nlp[lang] = build_nlp(lang, self.lexicon_path)
        return self._nlp[lang]

    # ------------------------------------------------------------------ texts
    def extract(self, text: str, lang: str | None = None) -> Extraction:
        return self.extract_many([text], lang)[0]

    @batch_gc  # fewer cyclic-GC passes during the batch (extractors/gc_batch.py)
    def extract_many(self, texts: Iterable[str], lang: str | None = None, batch_size: int = 256) -> list[Extraction]:
        docs = self.analyse(list(texts), lang=lang, batch_size=batch_size)
        return [self._extraction(doc) for doc in docs]

    def analyse(
        self,
        texts: Sequence[str],
        lang: str | None = None,
        hints: Sequence[str | None] | None = None,
        batch_size: int = 256,
        clean: Sequence[str] | None = None,
    ) -> list[Doc]:
        """Run the pipelines over texts (grouped by language, batched with nlp.pipe), in input order.

        `clean`: the texts already normalised (text.normalize), when the caller has them. An empty text gets
        one shared, already analysed empty Doc per language (nothing to find; read it, never change it); a text
        repeated in `texts` (same raw text, clean text and hint) is analysed once and its Doc handed out for each
        (extractors/batch_dedupe.py; read it, never change it)."""
        raw = [t if isinstance(t, str) else "" for t in texts]
        clean = list(clean) if clean is not None else [normalize(t) for t in raw]
        langs = [lang if lang in LANGS else detect_lang(t) for t in clean]
        out: list[Doc | None] = [None] * len(clean)
        analysed: list[Doc] = []
        for code in LANGS:
            idx = [i for i, lg in enumerate(langs) if lg == code]
            if not idx:
                continue
            nlp = self.nlp(code)
            docs = []
            if any(not clean[i] for i in idx):
                empty = self._empty_doc(code)
                for i in idx:
                    if not clean[i]:
                        out[i] = empty
                idx = [i for i in idx if clean[i]]
            # a text repeated in the batch (same raw and clean text, same currency hint) is analysed once and
            # its Doc shared (read only, as the empty one)
            unique, source = first_of_each([(raw[i], clean[i], hints[i] if hints else None) for i in idx])
            for u in unique:
                i = idx[u]
                doc = nlp.make_doc(clean[i])
                Ext(doc).currency_hint = hints[i] if hints else None
                doc.user_data["raw"] = raw[i]
                docs.append(doc)
            done = list(run_pipes(nlp, docs, batch_size))
            analysed.extend(done)
            at = dict(zip(unique, done, strict=True))
            for i, s in zip(idx, source, strict=True):
                out[i] = at[s]
        docs_out = [d for d in out if d is not None]
        for doc in analysed:  # surface text as written (offsets are shared with the normalised text)
            original = doc.user_data.get("raw", "")
            if not original:
                continue
            for sub in Ext(doc).substances or []:
                surface = original[sub.start : sub.end]
                if surface and surface.isprintable():
                    sub.text = surface
        return docs_out

    def _empty_doc(self, lang: str) -> Doc:
        if lang not in self._empty:
            nlp = self.nlp(lang)
            self._empty[lang] = nlp(nlp.make_doc(""))
        return self._empty[lang]

    def _extraction(self, doc: Doc, on: str | None = None, product: bool = False) -> Extraction:
        """`product`: the listing names a substance elsewhere (its title), so a count here ("10шт — 10 000
        сом" in the description) is an amount of it, as a count under a product heading is in a Telegram
        price list."""
        ext = Ext(doc)
        mentions = _title_tier_first(doc_text(doc), ext.tiers or [], ext.quantities or [])
        tiers = self._tiers(mentions if product else _title_count_first(doc_text(doc), mentions, ext.quantities or []),
                            on)
        if ext.non_drug:  # a guide, scales, a job ad: the price stays, amounts are not drug quantities
            price = tiers[0].price if tiers and tiers[0].price else None
            usd = tiers[0].price_usd if price else None
            tiers = [Tier(None, price, base=True, price_usd=usd)] if price else []
            return Extraction(lang=doc.lang_, tiers=tiers, price=price, price_usd=usd)
        base = tiers[0] if tiers else None
        doses = [q for q in ext.quantities or [] if q.dose]
        if len(doses) > 1:  # "THC gummies 500mg pack (10 x 50mg)": the strength written per piece comes first
            text = doc_text(doc)
            doses.sort(key=lambda q: not _TIMES_BEFORE.search(text, max(0, q.start - 8), q.start))
        quantity = base.quantity if base else None
        if not doses and quantity is not None and quantity.unit == "unit" and base and base.unit_price:
            # "Valium 10mg" + "$1.5/ea": pieces priced one by one; the milligrams are the per-piece strength
            doses = [q for q in ext.quantities or [] if q.kind == "mass" and q.unit in ("mg", "ug")][:1]
        if (quantity is not None and quantity.unit == "unit" and not ext.substances and not product
                and not (base and base.unit_price)):
            quantity = None  # "tickets x2", "купюры x 10 шт": a count with no substance is no drug quantity
        strength = bare_strength(doc_text(doc), ext.substances or []) if not doses and quantity is not None and \
            quantity.unit in ("unit", "ml") else None
        return Extraction(
            lang=doc.lang_,
            substances=list(ext.substances or []),
            quantity=quantity,
            dose=doses[0].quantity() if doses else strength,
            price=base.price if base else None,
            price_usd=base.price_usd if base else None,
            tiers=tiers,
        )

    def _tiers(self, mentions: list[TierMention], on: str | None) -> list[Tier]:
        tiers: list[Tier] = []
        for i, t in enumerate(mentions):
            r = resolve_tier(t)  # "$60/g" alone: one gram; "100 pills, $3 each": $300 (tiers.py)
            usd = self.fx.to_usd(r.price.amount, r.price.currency, on) if r.price else None
            tiers.append(Tier(r.quantity, r.price, i == 0, usd, r.unit_price, r.per))
        return tiers

    # ------------------------------------------------------------------ records
    def listing(self, raw: RawListing) -> Listing:
        return self.listings([raw])[0]

    @batch_gc
    def listings(self, raws: Sequence[RawListing], *, model: bool | None = None) -> list[Listing]:
        """Normalise scraped listings; every text field goes through one batched nlp.pipe per kind.

        With the drug-class model (on unless the Extractor was made with model=False, or `model` is False)
        each listing's class_source/review fields are set (extractors/drug_class.py). A title or description
        repeated in the batch is analysed once (`analyse`), so listings of one batch may share Substance objects
        as they share a repeated tier line's values (OfferCache): records are values, copy one before changing it."""
        places = [listing_place(r) for r in raws]
        title_texts = [r.title if isinstance(r.title, str) else "" for r in raws]
        desc_texts = [r.description if isinstance(r.description, str) else "" for r in raws]
        clean_titles = [normalize(t) for t in title_texts]
        clean_descs = [normalize(t) for t in desc_texts]
        langs = [detect_lang(f"{t} {d[:500]}") for t, d in zip(clean_titles, clean_descs, strict=True)]
        for i, lang in enumerate(langs):  # RU price tables in columns, one offer per line (price_tables.py)
            if lang == "ru" and (table := expand_tables(desc_texts[i])) is not desc_texts[i]:
                desc_texts[i], clean_descs[i] = table, normalize(table)
        # currency of a price shown without one: the city's country (shown, else named in a Russian or
        # market-less text), else the market's default (README "Prices")
        # a Russian or market-less listing with no place shown apart: the city its text names (text_city)
        places = [(text_city(f"{t}\n{d}"), district) if city is None and (r.currency is None or lang == "ru")
                  else (city, district)
                  for r, (city, district), lang, t, d in zip(raws, places, langs, title_texts, desc_texts, strict=True)
                  ]  # fmt: skip
        hints = [city_currency(city) or r.currency for r, (city, _) in zip(raws, places, strict=True)]
        for i, ((city, district), lang) in enumerate(zip(places, langs, strict=True)):
            # "Алматы 8000 / Астана 9000": the price of the listing's own city (issue 14, ru_dev2026g); of its
            # district in a row of the city's districts (ru_dev2026h)
            if lang == "ru" and city and (own := city_row_price(desc_texts[i], city, district)) is not desc_texts[i]:
                desc_texts[i], clean_descs[i] = own, normalize(own)
        titles = self._by_lang(title_texts, langs, hints, clean_titles)
        descs = self._by_lang(desc_texts, langs, hints, clean_descs)
        cats = self._category_docs([(r.category or "")[:MAX_CATEGORY_CHARS] for r in raws], langs, hints)
        prices = [offer_prices(r.price_text or "", hint) for r, hint in zip(raws, hints, strict=True)]
        offer = OfferCache()  # a tier line repeated within the batch is parsed once
        per_listing = [
            [offer(line, hint, lang) for line in (r.tiers or [])[:MAX_TIER_LINES]]
            for r, lang, hint in zip(raws, langs, hints, strict=True)
        ]
        lexicon = load_lexicon(self.lexicon_path)  # once per batch (it finds its files on disk)
        out = [
            self._listing(r, lang, t, d, p, tl, cat, place, hint, lexicon)
            for r, lang, t, d, p, tl, cat, place, hint
            in zip(raws, langs, titles, descs, prices, per_listing, cats, places, hints, strict=True)
        ]
        if self.classifier is not None and model is not False:
            # the model reads the title (the description when there is none), as it was trained
            texts = [t if t.strip() else d for t, d in zip(clean_titles, clean_descs, strict=True)]
            non_drug = [bool(Ext(t).non_drug) for t in titles]
            apply_model(out, self.classifier.predict(texts), non_drug)
            for listing, raw in zip(out, raws, strict=True):
                if (listing.quantity is not None or listing.dose is not None) and not listing.substances \
                        and listing.substance_class is None and shown_quantity(raw.quantity) is None:
                    # no substance and no drug class from the model ("Protein powder 1kg", "Acetone 1L"; issue 14,
                    # dev 2026h probes): an amount of no drug is no drug quantity; nor a strength alone ("Narcan
                    # 4mg nasal spray", "Magnesium 400mg x 90"; dev 2026p)
                    listing.quantity, listing.dose = None, None
                    listing.price_per_gram_usd = listing.price_per_unit_usd = None  # they divided by that amount
        return out

    def _by_lang(
        self, texts: list[str], langs: list[str], hints: list[str | None], clean: list[str] | None = None
    ) -> list[Doc]:
        out: list[Doc | None] = [None] * len(texts)
        for code in LANGS:
            idx = [i for i, lg in enumerate(langs) if lg == code]
            if idx:
                docs = self.analyse([texts[i] for i in idx], lang=code, hints=[hints[i] for i in idx],
                                    clean=[clean[i] for i in idx] if clean is not None else None)  # fmt: skip
                for i, doc in zip(idx, docs, strict=True):
                    out[i] = doc
        return [d for d in out if d is not None]

    def _category_docs(self, texts: list[str], langs: list[str], hints: list[str | None]) -> list[Doc]:
        """Category texts are a small closed set per market: each (text, language, currency) is analysed once
        and its Doc re-used (read only; pipeline code copies its substances)."""
        keys = [(t, lg, h) for t, lg, h in zip(texts, langs, hints, strict=True)]
        new = list(dict.fromkeys(k for k in keys if k not in self._categories))
        if new:
            if len(self._categories) + len(new) > MAX_CACHED_CATEGORIES:
                self._categories.clear()
            docs = self._by_lang([k[0] for k in new], [k[1] for k in new], [k[2] for k in new])
            self._categories.update(zip(new, docs, strict=True))
            missing = [k for k in keys if k not in self._categories]  # more new keys than the cache holds
            if missing:
                return self._by_lang(texts, langs, hints)
        return [self._categories[k] for k in keys]

    def _listing(
        self, raw: RawListing, lang: str, title: Doc, desc: Doc, field_prices: list[PriceMention],
        tier_offers: list[Offer], category: Doc, place: tuple[str | None, str | None], currency: str | None,
        lexicon: Lexicon,
    ) -> Listing:
        """`field_prices`: those of the price cell; `currency`: the city's currency, else the market's (a price
        shown without one is in it)."""
        on = raw.scraped_at or None
        tx, dx = Ext(title), Ext(desc)  # the title's and description's results (read many times below)
        title_text, desc_text = doc_text(title), doc_text(desc)
        tier_qs = [q for off in tier_offers for q in off.quantities]
        shown = shown_quantity(raw.quantity)
        section = read_category(raw.category)  # a drug section is context; a non-drug one drops weak readings
        # drug context for ambiguous title slang ("ALFA", "Скорость"): a drug section, an amount or a price per
        # gram ("$9/g, min order 5g"), a klad word in the title or description, or a district of a known city shown
        # apart (a dead-drop location, like "р-н" in the text)
        context = section.drug or shown is not None or bool(tier_qs) or any(
            q.kind != "count" and not q.guessed for ext in (tx, dx) for q in ext.quantities or []
        ) or any(p.per in ("g", "oz", "ml", "mg") for ext in (tx, dx) for p in ext.prices or []) \
            or (place[1] is not None and city_currency(place[0]) is not None) or klad_context(title_text) \
            or klad_context(desc_text) or _pieces_sold(dx, desc_text)
        subs = self._substances(title, desc, context)
        if len(subs) > 1 and any(s.known and lexicon.level(normalize(s.text).lower()) == 0
                                 for s in tx.substances or []):
            # "2C-B 20mg pills" + "Pink Tesla press": an ambiguous name of the description ("~tesla") names no second
            # drug beside an unambiguous one in the title, as it would not in one text (issue 14, dev 2026g)
            own = [d for d in dx.substances or [] if lexicon.level(normalize(d.text).lower()) > 0]
            subs = [s for s in subs if not any(s is d for d in own)]
        if not any(s.known for s in subs) and not tx.non_drug and not dx.non_drug and desc_text:
            subs += flower_across(self.nlp(lang), title_text, desc_text)  # "Sherbanger 3.5" + "Gassy za"
        title_non_drug = bool(tx.non_drug)
        cat_subs = [replace(s) for s in Ext(category).substances or []]
        subs = without_descriptors(subs, lexicon, also=cat_subs)
        subs = with_category_hint(subs, cat_subs, title_non_drug)
        subs = apply_category(subs, section, lexicon)
        post = channel_post(title_text)
        if post:  # "Отзывы покупателей", "📜 ПРАВИЛА": a shop's post about itself offers nothing (issue 14)
            subs, title_non_drug = [], True
        primary = next((s for s in subs if s.known), None)
        r = Reading(tx, dx, title_text, desc_text, shown, tier_qs, subs, title_non_drug)
        title_x = self._extraction(title, on)
        tiers = [t for off in tier_offers for t in self._tiers(off.tiers[:1], on)]
        for i, t in enumerate(tiers):
            t.base = i == 0
        if not tiers:
            tiers = title_x.tiers
        quantity = shown or (tiers[0].quantity if tiers else title_x.quantity)
        if quantity is None and not title_non_drug and raw.price_text:
            # "10шт — 10 000 сом" in the price field (parsed as an offer only here: most price cells show no amount)
            quantity = field_quantity(parse_offer(raw.price_text, currency))
        dose = title_x.dose or next((q.quantity() for q in tier_qs if q.dose), None)
        a = settle(BEFORE_PRICE, r, Amount(quantity, dose, tiers))
        choice = self._choose_price(raw, r, a, field_prices, currency, title_x, desc, on)
        a.price, a.quantity = (None if post else choice.price), (None if title_non_drug else choice.quantity)
        if a.quantity is None and not title_non_drug and shown is None and r.named:
            # "Ketamine" + "5g" with the price shown apart: the description's amount (its first tier)
            a.quantity = self._extraction(desc, on, product=True).quantity
        a = count_without_substance(r, priced_tiers(settle(AFTER_PRICE, r, a), choice))
        price, quantity, dose, tiers = a.price, a.quantity, a.dose, a.tiers
        price_usd = self.fx.to_usd(price.amount, price.currency, on) if price else None
        for t in tiers:
            if t.price_usd is None and t.price is not None:
                t.price_usd = self.fx.to_usd(t.price.amount, t.price.currency, on)
        per_gram = per_unit = None
        if price_usd is not None and quantity and quantity.value > 0:
            if quantity.unit in _GRAMS:
                per_gram = round(price_usd / (quantity.value * _GRAMS[quantity.unit]), 4)
            elif quantity.unit == "unit":
                per_unit = round(price_usd / quantity.value, 4)
        return Listing(
            market=raw.market,
            listing_id=raw.listing_id,
            url=raw.url,
            title=raw.title,
            description=raw.description,
            vendor=raw.vendor_name,
            vendor_id=raw.vendor_id or _vendor_id(raw.vendor_url),
            lang=lang,
            substance=primary.canonical if primary else None,
            substance_class=primary.cls if primary else None,
            substances=subs,
            quantity=quantity,
            dose=dose,
            price=price,
            price_usd=price_usd,
            price_per_gram_usd=per_gram,
            price_per_unit_usd=per_unit,
            tiers=tiers,
            category=raw.category,
            ships_from=raw.ships_from,
            ships_to=raw.ships_to,
            location=raw.location,
            city=place[0],
            district=place[1],
            scraped_at=raw.scraped_at,
        )

    def _choose_price(
        self, raw: RawListing, r: Reading, a: Amount, field_prices: list[PriceMention], currency: str | None,
        title_x: Extraction, desc: Doc, on: str | None,
    ) -> PriceChoice:
        """README "Prices": the price field, the base tier, else the description's first real price."""
        quantity, title_non_drug, tx, dx, desc_text = a.quantity, r.title_non_drug, r.tx, r.dx, r.desc_text
        explicit = [*(tx.prices or []), *(dx.prices or [])]
        choice = listing_price(field_prices, raw.price_text, currency, a.tiers or title_x.tiers[:1],
                               quantity, explicit)  # fmt: skip
        # still unpriced, and no currency exchange (its rates and limits are no price): the description decides
        open_price = choice.price is None and not exchange_ad(raw.title or "")
        if open_price and title_non_drug and not dx.non_drug and _TASK_PAY.search(desc_text[:2000]):
            pass  # a job named in the title, pay per task in the description ("Закладчик" + "50 000 сум за адрес")
        elif open_price and dx.non_drug:
            # a guide, software, a gift card described as such ("PDF, 120 pages ... $12"): its price is what the
            # buyer pays, as in a drug listing's description (never a job ad's pay, never shipping or a bonus)
            dp = text_price(dx.prices or [], desc_text, bool(MONEY_CUE.search(raw.title or "")))
            if dp and not _WAGE.search(desc_text[:2000]):
                choice = listing_price([dp], None, None, [], quantity, [])
        elif open_price:
            desc_x = self._extraction(desc, on, product=r.named)
            strength = quantity is not None and quantity.unit in ("mg", "ug") and r.shown is None and \
                desc_x.quantity is not None and desc_x.quantity.unit == "unit"  # "Oxy 30mg" + "10 pills $250"
            if (quantity is None or strength) and desc_x.quantity is not None and desc_x.price is not None \
                    and not title_non_drug:
                choice = listing_price([], None, None, desc_x.tiers, None, [])
                choice.quantity = desc_x.quantity
            elif quantity is not None and (same := next((t for t in desc_x.tiers if t.quantity == quantity
                                                         and t.price is not None), None)):
                choice = listing_price([], None, None, [same], quantity, [])  # "Меф 2г" over "1г - 12к, 2г - 22к"
            elif (dp := text_price(_unpaired(dx.prices or [], desc_x.tiers, quantity, desc_text), desc_text,
                                   bool(MONEY_CUE.search(raw.title or "")))):
                choice = listing_price([dp], None, None, [], quantity, [])
        return choice

    @staticmethod
    def _substances(title: Doc, desc: Doc, context: bool) -> list[Substance]:
        """Title substances first (the primary is the first known one); description ones as secondary.

        Ambiguous title slang ("Скорость", "Charlie") counts when the listing as a whole has drug context
        (a quantity in the title, description or tier lines). Offsets of description substances are
        into the description text."""
        tx, dx = Ext(title), Ext(desc)
        if tx.non_drug:
            return []
        subs = list(tx.substances or [])
        weak_title = False
        if not subs and context:
            subs = list(tx.weak_substances or [])
            weak_title = bool(subs)
            if any(s.text.lower() in KLAD_ONLY for s in subs) and not (klad_context(doc_text(title))
                                                                        or klad_context(doc_text(desc))):
                subs = [s for s in subs if s.text.lower() not in KLAD_ONLY]  # "alpha" wants a klad word
        if dx.non_drug and not any(s.known for s in subs):
            return subs
        if weak_title and any(x.known and x.confidence >= 1.0 for x in dx.substances or []):
            # ambiguous title slang beside a description that names the drug ("Roche 10 blues x 20" + "Diazepam
            # 10mg"): the name wins, as it does in one text (issue 14, dev 2026q)
            subs = []
        if not subs and context and not any(x.known for x in dx.substances or []):
            # a house or brand name and a weight in the title, the drug only in the description's slang ("White
            # Pony 1g" + "Our house coke"; issue 14, dev 2026q): the title's amount is the context
            subs = [s for s in dx.weak_substances or [] if s.text.lower() not in KLAD_ONLY]
        if subs and all(x.confidence < 1.0 for x in subs) and any(
                x.known and x.confidence >= 1.0 for x in dx.substances or []):
            # a title that names no substance, only guessed from a dose or the way it is sold ("Microdose caps
            # 100mg x 30": ecstasy by its press weight), beside a description that names it: the name wins
            subs = []
        names = {s.canonical for s in subs}
        named = any(x.known for x in subs)
        for s in dx.substances or []:
            # a description's guess from the way it is sold ("Top grade": cannabis, confidence < 1) adds nothing
            # to a title that names its substance ("China white heroin #4 - 1g")
            if s.canonical not in names and (not named or s.known and s.confidence >= 1.0):
                subs.append(s)
                names.add(s.canonical)
        subs = without_pressed_look(subs, doc_text(title), doc_text(desc))  # "M30 blues - pressed" + "Pressed fentanyl"
        return without_generic(subs)  # "YK-11 5mg" + "Myostatin inhibitor SARM": yk-11 alone

    @staticmethod
    def _price(prices: list[PriceMention], prefer: str | None) -> Price | None:
        if not prices:
            return None
        chosen = next((p for p in prices if p.currency == prefer), prices[0]) if prefer else prices[0]
        return chosen.price()

    def vendor(self, raw: RawVendor) -> Vendor:
        from onionwatch.extractors.vendor import parse_vendor

        return parse_vendor(raw)


_TIMES_BEFORE = re.compile(r"\d\s?[x×]\s?$", re.I)
# a job ad's pay is no price ("Courier wanted, $500/week", "зарплата от 100 000 руб")
_WAGE = re.compile(r"salary|wages?\b|earn|income|per\s+(?:week|day|month|hour|shift)|"
                   r"/\s?(?:week|day|month|hour|wk|hr)\b|зарплат|заработ|доход|оплат|в\s+(?:день|неделю|месяц|смену)|"
                   rf"работа\b|ваканси|за\s+(?:{TASK_WORDS})|"
                   # Ukrainian, Belarusian, Uzbek and Latin-letter Russian (issue 14, ru_dev2026f)
                   r"заробак|заробіт|робота\b|праца\b|oylik|maosh|zarplat|\bzp\b|\brabota\b|ish\s+haqi|"
                   r"(?:у|v)\s+(?:месяц|mesyac)", re.I)


_TASK_PAY = re.compile(rf"\d[^\n\d]{{0,16}}?за\s+(?:1\s*)?(?:{TASK_WORDS})", re.I)  # "50 000 сум за адрес"


_FOR_BEFORE = re.compile(r"(?<![^\W\d_])for[^\S\n]?$", re.I)


def _unpaired(prices: list[PriceMention], tiers: list[Tier], quantity: Quantity | None, text: str,
              ) -> list[PriceMention]:
    """The description's prices less those written "for" another amount than the title's ("MDMA pills x25" + "Bulk:
    100 for $250. $80": $80; issue 14, dev 2026j probes); all of them when none would be left."""
    if quantity is None or not tiers:
        return prices
    other = {(t.price.amount, t.price.currency) for t in tiers
             if t.price is not None and t.quantity is not None and t.quantity != quantity}
    kept = [p for p in prices if (p.amount, p.currency) not in other
            or not _FOR_BEFORE.search(text, max(0, p.start - 6), p.start)]
    return kept or prices


def _pieces_sold(dx: Ext, desc_text: str) -> bool:
    """Pieces counted with a dose form in the description ("Acid" + "100 tabs (1 sheet) - $250"; issue 14, dev
    2026j probes): drug context for the title's slang, as a form word beside a count is within one text."""
    return any(q.kind == "count" for q in dx.quantities or []) and bool(FORM_WORDS_RE.search(desc_text[:2000]))


def _title_tier_first(text: str, tiers: list[TierMention], qs: Sequence[QtyMention]) -> list[TierMention]:
    """A title's amount written without a price, priced in a ladder below ("Golden Teacher 28g" + "7g $55 | 14g $100 |
    28g $180"): that tier is the base, as it is in listing mode (issue 14, dev 2026g)."""
    nl = text.find("\n")
    if nl <= 0 or len(tiers) < 2:
        return tiers
    first = next((q for q in qs if q.end <= nl and not q.dose), None)
    if first is None or any(t.quantity is first for t in tiers):
        return tiers
    want = first.quantity()
    i = next((i for i, t in enumerate(tiers) if i and t.price is not None and t.quantity is not None
              and t.quantity.start > nl and t.quantity.quantity() == want), None)
    return tiers if i is None else [tiers[i], *tiers[:i], *tiers[i + 1 :]]


def _title_count_first(text: str, tiers: list[TierMention], qs: Sequence[QtyMention]) -> list[TierMention]:
    """A title's pieces written without a price ("Hash 3 x 5g", "Wax 1g x 5", "cali tins x 3") and one offer below
    whose amount is a weight or volume ("Three 5g slabs, $90"): the pieces are the offer, as they are in listing mode,
    where the title's amount comes first (issue 14, dev 2026o)."""
    nl = text.find("\n")
    if nl <= 0 or len(tiers) != 1 or (t := tiers[0]).price is None or t.quantity is None or \
            t.quantity.kind == "count" or t.quantity.start < nl or t.price.start < nl:
        return tiers
    head = [q for q in qs if q.end <= nl and not q.dose]
    count = next((q for q in head if q.kind == "count" and q.value > 1), None)
    if count is None or any(q.kind != "count" and q.quantity() != t.quantity.quantity() for q in head):
        return tiers
    return [TierMention(count, t.price)]


def without_descriptors(subs: list[Substance], lexicon: Lexicon, also: Sequence[Substance] = ()) -> list[Substance]:
    """`subs` without the substances read only from a form descriptor ("Крупные кристаллы", "crystals": α-PVP
    slang) when another substance is named in them or in `also` (the category, a price list's product): then
    the descriptor describes that one ("Мефедрон 1г" + "Крупные кристаллы" is mephedrone only)."""

    def descriptor(s: Substance) -> bool:
        return s.known and lexicon.is_descriptor(s.text)

    if not any(descriptor(s) for s in subs):
        return subs
    if not any(s.known and not descriptor(s) for s in (*subs, *also)):
        return subs
    return [s for s in subs if not descriptor(s)]


def _vendor_id(url: str | None) -> str | None:
    if not url:
        return None
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return tail.split("?", 1)[0] or None
