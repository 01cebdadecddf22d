"""Substance recognition: brands, slang (EN/RU), NPS, typos, ambiguity resolved by context, non-drug."""

from __future__ import annotations

import pytest

from onionwatch.extractors.pipeline import Extractor


def canonicals(extractor: Extractor, text: str) -> list[str]:
    return [s.canonical for s in extractor.extract(text).substances if s.known]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1g Cocaine 90% pure", ["cocaine"]),
        ("Xanax 2mg bars x 100", ["alprazolam"]),
        ("Klonopin 1mg x 30", ["clonazepam"]),
        ("White Widow 3.5g indoor", ["cannabis"]),
        ("OG Kush 1oz", ["cannabis"]),
        ("Moroccan Hash 10g", ["cannabis"]),
        ("4-MMC crystals 5g", ["mephedrone"]),
        ("4mmc 5g", ["mephedrone"]),
        ("a-PVP 1g", ["alpha-pvp"]),
        ("Alpha-PHiP 5g", ["alpha-phip"]),
        ("3-MMC 10g", ["3-mmc"]),
        ("3-CMC 10g", ["3-cmc"]),
        ("2-MMC 5g", ["2-mmc"]),
        ("Isotonitazene 1g", ["isotonitazene"]),
        ("Protonitazene powder 500mg", ["protonitazene"]),
        ("Metonitazene 1g", ["metonitazene"]),
        ("N-pyrrolidino etonitazene 1g", ["n-pyrrolidino-etonitazene"]),
        ("MDMB-4en-PINACA 5g", ["mdmb-4en-pinaca"]),
        ("ADB-BUTINACA 10g", ["adb-butinaca"]),
        ("Xylazine 10g", ["xylazine"]),
        ("Bromazolam 1mg pellets x 100", ["bromazolam"]),
        ("Flualprazolam 0.5mg x 50", ["flualprazolam"]),
        ("Carfentanil 1g", ["carfentanil"]),
        ("2C-B Nexus 20mg x 10", ["2c-b"]),
        ("LSD 150ug blotters x 10", ["lsd"]),
        ("Golden Teacher mushrooms 3.5g", ["psilocybin"]),
        ("Special K 1g", ["ketamine"]),
        ("Oxycontin 80mg x 10", ["oxycodone"]),
        ("M30 blues x 100", ["oxycodone"]),
        ("GBL 100ml", ["gbl"]),
        ("Adderrall 30mg x 5", ["amphetamine"]),  # typo, one edit away
        ("1g Oxycodonet powder", ["oxycodone"]),  # typo
        ("Cocaïne 1g", ["cocaine"]),  # diacritics
        ("C O K E 90% 2g", ["cocaine"]),  # spaced letters
        ("Speed paste 10g", ["amphetamine"]),
        ("Crystal MEPH 5g", ["mephedrone"]),  # "crystal" yields to the named substance
        ("Crystal meth 3.5g", ["methamphetamine"]),
    ],
)
def test_english_names(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Меф кристалл 1г", ["mephedrone"]),
        ("Мефедрон 2 г", ["mephedrone"]),
        ("Соль 0,5г", ["alpha-pvp"]),
        ("СК 1г", ["alpha-pvp"]),
        ("Скорость 0.3 г", ["alpha-pvp"]),
        ("Кристаллы 1 г", ["alpha-pvp"]),
        ("кристалл Мяу 3 грамм", ["mephedrone"]),  # the descriptor yields to slang
        ("Шишки AK-47 1г", ["cannabis"]),
        ("Бошки 2г", ["cannabis"]),
        ("Гашиш Евро 3гр", ["cannabis"]),
        ("Гер 0,5 г", ["heroin"]),
        ("Сирец 1г", ["heroin"]),
        ("Кокос 1г", ["cocaine"]),
        ("Фен 1г", ["amphetamine"]),
        ("Экстази 200 мг 5 шт", ["mdma"]),
        ("Марки ЛСД 10 шт", ["lsd"]),
        ("Мука 1г", ["mephedrone"]),
        ("Метадон 0,5", ["methadone"]),
        ("Спайс 1г", ["mdmb-4en-pinaca"]),
        ("Марки Н-ВоооооМ!!!! 4 штуки", ["25i-nbome"]),  # stretched spelling beats the LSD guess
        ("3-ММС 1гр", ["3-mmc"]),  # Cyrillic look-alike letters
        ("Black Geroin, Sirec 0.5g", ["heroin"]),  # transliterated
        ("MARIXYANA - 1 G. (SHISHKI)", ["cannabis"]),
        ("Ксанакс 1 мг 10 шт", ["alprazolam"]),
    ],
)
def test_russian_names(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Ice hockey tickets $50",  # "ice" without drug context
        "Фен Dyson для волос",  # hair dryer, not amphetamine
        "Высокая скорость доставки",  # "fast delivery", not alpha-pvp
        "Альфа-Банк карта",
        "Secrets of Methamphetamine Manufacture 8th edition",  # a book
        "The Cannabis Grow Bible PDF",
        "Marquis reagent test kit for MDMA",
        "Digital pocket scale 0.01g",
        "Работа курьером, оплата 1500$ в неделю",
        "UK DOB search service",
        "10x 1oz Gold Bar Perth Mint",
        "Netflix premium account 1 year",
        "Glock 19 with 50 rounds",
    ],
)
def test_non_drug_listings_have_no_substance(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


def test_ambiguous_slang_needs_drug_context(extractor: Extractor) -> None:
    assert canonicals(extractor, "Ice 3.5g") == ["methamphetamine"]
    assert canonicals(extractor, "Ice") == []
    assert canonicals(extractor, "Charlie 1g") == ["cocaine"]
    assert canonicals(extractor, "Charlie and the Chocolate Factory DVD") == []


def test_several_substances_in_text_order(extractor: Extractor) -> None:
    assert canonicals(extractor, "MDMA 1g + Ketamine 1g + LSD 10 tabs") == ["mdma", "ketamine", "lsd"]


def test_offsets_point_at_the_surface_text(extractor: Extractor) -> None:
    text = "Premium 4-MMC - 10G - Fast"
    sub = extractor.extract(text).substances[0]
    assert text[sub.start : sub.end] == sub.text == "4-MMC"


def test_microgram_dose_without_a_name_is_inferred_as_lsd(extractor: Extractor) -> None:
    subs = extractor.extract("Twins 150 µg x 10").substances
    assert [(s.canonical, s.confidence) for s in subs] == [("lsd", 0.6)]


@pytest.mark.parametrize(
    ("text", "name", "cls"),
    [
        ("New ADB-PHETINACA 100mg pellets", "adb-phetinaca", "other"),
        ("Flubrotizolam pellets 1mg", "flubrotizolam", "benzodiazepine"),
        ("Research chemical 4F-MAR 10g", "4f-mar", "other"),
        ("Propoxynitazepyne 1g powder", "propoxynitazepyne", "nitazene"),
        ("MDMB-6Cl-INACA 10g", "mdmb-6cl-inaca", "other"),
    ],
)
def test_unknown_substance_candidates(extractor: Extractor, text: str, name: str, cls: str) -> None:
    unknown = [s for s in extractor.extract(text).substances if not s.known]
    assert [(s.canonical, s.cls) for s in unknown] == [(name, cls)]
    assert 0.3 <= unknown[0].confidence <= 0.95


def test_candidate_confidence_rises_with_dose_context(extractor: Extractor) -> None:
    bare = [s for s in extractor.extract("Flubrotizolam").substances if not s.known]
    dosed = [s for s in extractor.extract("Flubrotizolam 1mg pellets").substances if not s.known]
    assert bare and dosed and dosed[0].confidence > bare[0].confidence


def test_known_names_are_not_candidates(extractor: Extractor) -> None:
    assert all(s.known for s in extractor.extract("3-HO-PCP 1g, 2-FDCK 5g").substances)


def test_mojibake_glued_to_words(extractor: Extractor) -> None:
    r = extractor.extract("Š…ÄŠ…Ä TOPSTORE 50GŠ…Ä PURE CRACK COCAINEŠ…Ä FAST")
    assert [s.canonical for s in r.substances] == ["cocaine"]
    assert (r.quantity.value, r.quantity.unit) == (50.0, "g")


def test_unnamed_pressed_pills_are_inferred_as_ecstasy(extractor: Extractor) -> None:
    subs = extractor.extract("50x Green Heineken 220MG").substances
    assert [(s.canonical, s.confidence) for s in subs] == [("mdma", 0.5)]
    assert extractor.extract("Ibuprofen 200mg x 50").substances == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # issue 14 coverage: strains, cannabis products, hash with no other cue
        ("Wedding Cake AAA indoor", ["cannabis"]), ("Wedding Cake 3.5g", ["cannabis"]),
        ("Blue Dream flower", ["cannabis"]), ("Gelato 41 1oz top shelf", ["cannabis"]), ("Runtz", ["cannabis"]),
        ("Zkittlez", ["cannabis"]), ("GG4 28g", ["cannabis"]), ("Hash", ["cannabis"]), ("Black hash", ["cannabis"]),
        ("Ketama 5g", ["cannabis"]), ("Bubble hash", ["cannabis"]), ("Live resin carts 1g", ["cannabis"]),
        ("THC vape pen 1ml", ["cannabis"]), ("Moonrocks 3.5g", ["cannabis"]), ("Badder 1g", ["cannabis"]),
        ("Space cake 10 pieces", ["cannabis"]), ("THC gummies 500mg", ["cannabis"]), ("HHC vape 1ml", ["hhc"]),
        ("THC-P distillate", ["thcp"]),
        # performance (PED) class
        ("Test E 250mg/ml 10ml", ["testosterone"]), ("Test 400 10ml vial", ["testosterone"]),
        ("Tren A 100mg 10ml", ["trenbolone"]), ("Mast P 100mg/ml", ["drostanolone"]),
        ("Anavar 10mg 100 tabs", ["oxandrolone"]), ("Superdrol 10mg 50 tabs", ["methasterone"]),
        ("BPC-157 5mg vial", ["bpc-157"]), ("Ipamorelin 5mg", ["ipamorelin"]), ("YK-11 10mg x 60", ["yk-11"]),
        ("Semaglutide 5mg pen", ["semaglutide"]), ("Cenforce 200 x 10 tabs", ["sildenafil"]),
        ("Avanafil 100mg x 4", ["avanafil"]), ("Genotropin pen 36iu", ["somatropin"]),
        # NPS 2023-2025 and misspellings with context
        ("N-pyrrolidino protonitazene 1g", ["n-pyrrolidino-protonitazene"]),
        ("Clobromazolam pellets 1mg x 50", ["clobromazolam"]), ("CH-PIATA 10g", ["ch-piata"]),
        ("ADB-5'Br-BUTINACA 5g", ["adb-5br-butinaca"]), ("1T-LSD 150ug blotters", ["1t-lsd"]),
        ("Flubromazolan 1mg pellets x 20", ["flubromazolam"]), ("Mephedrome 5g", ["mephedrone"]),
        ("alprazolom 2mg bars x 10", ["alprazolam"]), ("Isotonitazine 1g", ["isotonitazene"]),
        # drug phrasings of words that also have ordinary meanings
        ("Speed paste 10g", ["amphetamine"]), ("Pink speed 5g", ["amphetamine"]), ("Ice 3.5g", ["methamphetamine"]),
        ("China White 1g", ["fentanyl"]), ("Molly 1g", ["mdma"]), ("2-FA 1g", ["2-fa"]),
        ("Cocaine 1g, 2FA enabled account", ["cocaine"]),
    ],
)  # fmt: skip
def test_issue14_coverage(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    ["Wedding cake recipe ebook", "Wedding Cake topper 3 tier", "Northern Lights tour tickets", "Gelato",
     "Blue Dream", "Enable 2FA on your account", "2FA backup codes x 10", "Two-factor bypass for exchanges",
     "High speed internet router 5g", "Speed up your PC: software key", "Speed test pro licence",
     "Ice cream 3.5g sample", "Ice hockey tickets x2", "Crystal ball 1kg", "Swarovski crystals 50 pcs",
     "China white porcelain plate set", "Molly Mae hoodie", "How to grow cannabis ebook",
     "Growing guide: cannabis indoor", "Hash rate 100 TH/s mining contract", "SHA256 hash cracking service",
     "AMT Hardballer Longslide", "Mushroom growing kit 1kg"],
)  # fmt: skip
def test_issue14_non_drug_stay_clean(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    "text",
    [
        # harm-reduction goods name the drug they detect: that is not the drug on offer
        "Тест-полоски на фентанил 10 шт", "Тест полоски на фентанил", "Fentanyl test strips x10", "Тест на мефедрон",
        "Reagent test kit for MDMA", "Testing kit for cocaine, mdma and ketamine", "Экспресс-тест на наркотики 5 шт",
        "Тест-система для определения мефедрона", "MDMA reagent test", "EZ Test for Ecstasy",
    ],
)  # fmt: skip
def test_drug_test_goods_are_not_the_drug(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fentanyl 100mcg", ["fentanyl"]), ("Fentanyl patches 100mcg x5", ["fentanyl"]),
        ("Кокаин 1г, тест на фентанил в подарок", ["cocaine"]),  # only the tested-for name is dropped
        ("Мефедрон 1г, прошел тест на чистоту", ["mephedrone"]),  # a purity test names no other drug
        ("Cocaine 1g - lab tested for purity", ["cocaine"]),
    ],
)  # fmt: skip
def test_a_drug_beside_a_test_stays(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    ("text", "matched"),
    [  # issue 14: cannabis named by how it is sold, not by name (confidence 0.5)
        ("High Grade Commercial 4 OZ (116 Grams)", "High Grade"), ("28g Lemon Comet AAA+", "AAA+"),
        ("3.5 Gram AAAA Dispensary Grade Concentrate", "AAAA"), ("10g - Polen Top Quality A+", "Polen"),
        ("20g x MOROCCAN ZERO-ZERO", "MOROCCAN"), ("1/2 ounce of Wild Zombie - Ship to USA", "1/2 ounce"),
        ("QP Sharie's Berrie's SUPER FIRE!", "QP"), ("(2x) Oatmeal Raisin Cookies 500mg", "Cookies"),
        ("Peanut Butter Cookies 250mg", "Cookies"), ("Gummy Rainbow Bears 250MG", "Gummy"),
        ("2-ct THCookies - PARTY PACK!!!", "THCookies"), ("Fat Freddy's Dark Chocolate Cannache", "Cannache"),
        ("Drink Me Canna Shot - Bubblegum Flavour", "Canna Shot"), ("Wana Hot Cocoa 200mg", "Cocoa"),
        ("1 Moonbeam Chocolate, 11 doses!!!", "Chocolate"), ("Gold Seal Black 3.5g", "Gold Seal"),
        ("7 grams Handrolled Organic Kashmiri Cream", "Kashmiri"),
    ],
)  # fmt: skip
def test_cannabis_by_kind(extractor: Extractor, text: str, matched: str) -> None:
    subs = extractor.extract(text).substances
    assert [(s.canonical, s.text, s.confidence) for s in subs] == [("cannabis", matched, 0.5)]


def test_weak_cannabis_word_with_an_unparsed_weight(extractor: Extractor) -> None:
    assert canonicals(extractor, "2 gs Traditional Moroccan Pollen") == ["cannabis"]
    assert canonicals(extractor, "dutch pollen /supermax/freepost /3.0g") == ["cannabis"]
    assert canonicals(extractor, "Traditional Moroccan Pollen") == []


@pytest.mark.parametrize(
    "text",
    [  # the same generic words without a weight or dose, or on goods that are no drug
        "High Grade Commercial", "AAA batteries 4 pack 100g", "Pollen allergy relief", "Chocolate chip cookies recipe",
        "48 Chocolate Chip Cookies", "Melatonin chocolate 5mg", "Scales: 1.0g / 0.1oz ~ (5.00kg / 11lb max)",
        "Mannitol, Powder 1Lb. (454 grams) 99.9% PURE", "Buy Euros,Dollars,Pounds,etc", "UK Pound Banknote Gift Set",
        "Pepper Spray OC-18 1/2 oz Keychain", "Patek Philippe - 5170G-001 AAA+", "Cannabaceae Hemp Family (Taxonomic Key)",
        "Top shelf liquor 1/2 bottle", "Canna lily bulbs x 10", "2lb cl", "FREE 1/2 OZ with 1 OZ Purchase",
        "1LB High Grade $$MoneyMaker", "Hot cocoa mix 12 sachets", "Gold seal wax stamp kit", "Canna lily bulbs",
        "Drink me shot - Bubblegum flavour", "Kashmiri chilli powder",
    ],
)  # fmt: skip
def test_cannabis_by_kind_needs_the_weight_or_dose(extractor: Extractor, text: str) -> None:
    assert [s.canonical for s in extractor.extract(text).substances if s.canonical == "cannabis"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # issue 14: research chemicals and medicines of substances_rc.yaml
        ("5-APDB 50g", ["5-apdb"]), ("4-MePPP EU 10g", ["4-meppp"]), ("4-methyl-PHP / 4m-PHP 100g", ["4-mphp"]),
        ("50g 4-CPrC", ["4-cprc"]), ("5-CMC 100g", ["5-cmc"]), ("Proscaline 25g", ["proscaline"]),
        ("2C-T-4 100 mg HCl", ["2c-t-4"]), ("250g 5F-MN-18", ["5f-mn-18"]), ("5g Thiofentanyl", ["thiofentanyl"]),
        ("10gr. MPA (Methiopropamine)", ["methiopropamine"]), ("LSM Powder X 10mg", ["lsm-775"]),
        ("Hydroxyzine 25mg x 30", ["hydroxyzine"]), ("1g Methallylescaline", ["methallylescaline"]),
    ],
)  # fmt: skip
def test_research_chemicals(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    ["MPA degree online", "LSM tree database", "det er godt", "2 AI tools bundle", "DMC (dichloromethane) 1000 ml",
     "Run DMC t-shirt", "Hot 7 album"],
)  # fmt: skip
def test_research_chemical_codes_need_context(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    "text",
    ["Cocaine: the Straight Facts", "Marijuana Chemistry: Genetics, Processing, Potency", "Pruning Marijuana",
     "Ketamine: Dreams and Realities", "Cannabis Alchemy: The Art of Modern Hashmaking", "MDMA Synthese",
     "LSD My Problem Child: Reflections on Sacred Drugs", "Cannabidiol an overview of some pharmacological aspects",
     "Advanced Techniques of Clandestine Amphetamine Manufacture", "Video-Tuto: Hash Identifier"],
)  # fmt: skip
def test_books_about_a_drug_sell_no_drug(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Cocaine 1g - the facts: 90% pure", ["cocaine"]), ("Jack Herer 28g, a journey in every bud", ["cannabis"]),
     ("MDMA 84% crystal 5g - history of our lab", ["mdma"])],
)  # fmt: skip
def test_a_book_word_beside_an_amount_stays_an_offer(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [  # issue 14: homonyms and goods that name a drug: bullion bars, stash safes, acids, brand names, test blisters
        "Royal Canadian Mint 1oz Gold Wafer Bar", "APMEX 1 ounce Gold Plated Bar - in Assay",
        "1 oz Pamp Suisse .9999 Fine Gold", "Coke 12oz Stash Can - The Ultimate Stash !",
        "Coca Cola Secret Diversion Safe", "sulphur acid. 1000ml", "Citric acid 1kg", "Philipp Plein tracksuit",
        "EZ Test Blister for Heroin Purity",
    ],
)  # fmt: skip
def test_goods_that_name_a_drug_stay_clean(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Philipp Plein 250mg x 10 pills", ["mdma"]), ("Acid 100ug blotters x 10", ["lsd"]),
     ("Mimosa Hostilis Root Bark - 100g", ["dmt"]), ("500gr of Brazilian Powdered MHRB", ["dmt"]),
     ("1Gr MDMA 84% Pure Silver", ["mdma"]), ("Gold bars xtc 10 pills", ["mdma"]), ("Cocaine 1g, coke bottle", ["cocaine"])],
)  # fmt: skip
def test_the_drug_beside_a_look_alike_stays(extractor: Extractor, text: str, expected: list[str]) -> None:
    assert canonicals(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    ["MEGA PACK! 32 Pre Rolled RAW King Size Cones", "Dab/shatter/BHO Vacuum Chamber - 1.75 quart",
     "Airtight Vacuum Sealed Jar - Makes weed stronger", "Wax/Shatter/Budder Globe Tank and Coil Set up",
     "Empty 0.5ml Metal Vapor Cartridge", "NonStick Silicone Container - Perfect for making DAB or SHATTER"],
)  # fmt: skip
def test_paraphernalia_naming_a_drug_stays_clean(extractor: Extractor, text: str) -> None:
    assert canonicals(extractor, text) == []


def test_paraphernalia_word_beside_an_offer_with_an_amount(extractor: Extractor) -> None:
    assert canonicals(extractor, "Shatter 1g in a silicone-free glass container") == ["cannabis"]
    assert canonicals(extractor, "1/8oz Agent Orange, Organic, Jar Cured") == ["cannabis"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("(2x) Lucky Charms Bars 500mg", [("cannabis", 0.5)]), ("(5 Pack) 225mg PUNCH BAR Combo", [("cannabis", 0.5)]),
     ("Green hulk bars 2mg x 10", [("alprazolam", 1.0)]), ("Bars 2mg x 100", [("alprazolam", 1.0)]),
     ("Protein bars 200mg magnesium", [])],
)  # fmt: skip
def test_bars_with_an_edible_dose_are_no_xanax(extractor: Extractor, text: str, expected: list[tuple[str, float]]) -> None:
    assert [(s.canonical, s.confidence) for s in extractor.extract(text).substances] == expected
