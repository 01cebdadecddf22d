"""What the simulated markets sell: product specs (forms, units, prices) and non-drug offers, EN and RU."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    key: str
    canonical: str
    kind: str  # "weight" (g; cannabis also oz), "pill" (count + dose), "volume" (ml)
    forms: tuple[str, ...]  # surface forms naming the substance (all listed in testbed/vocab.py)
    price: tuple[float, float]  # per g / per pill / per ml, in USD (en) or RUB (ru)
    amounts: tuple[float, ...]  # ladder steps (g, pills or ml)
    popularity: float = 1.0
    adjectives: tuple[str, ...] = ()
    doses: tuple[tuple[float, str], ...] = ()  # per-pill doses (value, unit)
    pill_words: tuple[str, ...] = ("pills",)
    oz: bool = False  # may be sold by the ounce (en cannabis)


@dataclass(frozen=True)
class Service:
    """A non-drug offer (guide, fake ID, carded goods, courier job ...): no substance, no quantity."""

    titles: tuple[str, ...]
    category: str
    price: tuple[float, float]


_G = (0.5, 1.0, 2.0, 3.5, 7.0, 14.0, 28.0)
_PILLS = (10.0, 25.0, 50.0, 100.0, 200.0, 500.0)

EN_PRODUCTS: tuple[Product, ...] = (
    Product("cocaine", "cocaine", "weight",
            ("Cocaine", "Coke", "Cocaine HCl", "Cocain", "Flake Cocaine", "Fishscale Cocaine", "Charlie"),
            (80, 120), _G, 3.0, ("Peruvian", "Colombian", "Bolivian", "Uncut", "Pure", "Premium", "90%")),
    Product("crack", "cocaine", "weight", ("Crack", "Crack Cocaine", "Crack Rocks"), (70, 110),
            (0.5, 1.0, 2.0, 3.5, 7.0), 0.6, ("Hard", "Cooked", "Premium")),
    Product("mdma", "mdma", "weight", ("MDMA", "Molly", "MDMA Crystal", "Mandy", "MDMA Crystals"),
            (25, 45), (1.0, 2.0, 5.0, 10.0, 25.0, 50.0), 2.0, ("Dutch", "Champagne", "Brown", "84%", "Pure")),
    Product("xtc", "mdma", "pill", ("Ecstasy", "XTC", "MDMA"), (5, 12), (5.0, 10.0, 25.0, 50.0, 100.0), 2.0,
            ("Blue Punisher", "Tesla", "Philipp Plein", "Red Bull", "Rolex", "Donkey Kong", "Dutch"),
            ((180, "mg"), (200, "mg"), (220, "mg"), (250, "mg"), (300, "mg")), ("pills", "tabs", "pcs")),
    Product("meth", "methamphetamine", "weight",
            ("Crystal Meth", "Meth", "Methamphetamine", "ICE", "Methamfetamine"), (30, 70), _G, 1.5,
            ("Shards", "Glass", "Pure", "Clear", "Blue")),
    Product("speed", "amphetamine", "weight",
            ("Speed", "Amphetamine", "Amphetamine Paste", "Amph", "Speedpaste", "Amfetamine"), (8, 20),
            (1.0, 5.0, 10.0, 25.0, 50.0, 100.0), 1.5, ("Dutch", "German", "Pink", "Wet", "Strong")),
    Product("heroin", "heroin", "weight",
            ("Heroin", "Heroine", "Brown Heroin", "Smack", "China White Heroin"), (70, 140),
            (0.5, 1.0, 2.0, 3.5, 7.0, 14.0), 1.2, ("Afghan", "#4", "Pure", "No.3", "Uncut")),
    Product("weed", "cannabis", "weight",
            ("Weed", "Cannabis", "Marijuana", "Buds", "Amnesia Haze", "OG Kush", "Gorilla Glue #4",
             "Girl Scout Cookies", "White Widow", "Gelato", "Wedding Cake", "Lemon Haze", "Northern Lights",
             "Blue Dream", "Sour Diesel", "Zkittlez", "Purple Haze", "AK-47", "Critical Kush"),
            (7, 14), (1.0, 3.5, 7.0, 14.0, 28.0, 56.0, 100.0), 5.0,
            ("Indoor", "AAA+", "Top Shelf", "Organic", "Cali", "Dutch", "Outdoor", "Premium"), oz=True),
    Product("hash", "cannabis", "weight", ("Hash", "Hashish", "Moroccan Hash", "Charas", "Dry Sift"),
            (6, 12), (1.0, 5.0, 10.0, 25.0, 50.0, 100.0), 2.0, ("Afghan", "Lebanese", "Double Zero", "Premium")),
    Product("lsd", "lsd", "pill", ("LSD", "LSD-25", "Acid", "LSD Blotters", "Acid Tabs"), (5, 12),
            (5.0, 10.0, 25.0, 50.0, 100.0), 1.5, ("Hofmann", "Albert", "Buddha", "Lucy", "Gel"),
            ((100, "ug"), (150, "ug"), (200, "ug"), (250, "ug")), ("tabs", "blotters")),
    Product("shrooms", "psilocybin", "weight",
            ("Magic Mushrooms", "Shrooms", "Psilocybe Cubensis", "Golden Teacher Mushrooms", "Mushrooms",
             "Psilocybin Mushrooms"), (7, 13), (3.5, 7.0, 14.0, 28.0, 56.0), 1.2, ("Dried", "Organic", "B+")),
    Product("ketamine", "ketamine", "weight", ("Ketamine", "Ket", "Special K", "Ketamin", "Ketamine HCl"),
            (25, 45), (1.0, 2.0, 5.0, 10.0, 25.0), 1.5, ("Needle Point", "Shards", "S-Isomer", "Crystal")),
    Product("xanax", "alprazolam", "pill", ("Xanax", "Alprazolam", "Xanax Bars", "Xanny Bars", "Xanex"),
            (1.5, 4), _PILLS, 1.5, ("Pfizer", "Green", "Yellow", "White", "Generic"),
            ((1, "mg"), (2, "mg")), ("bars", "pills")),
    Product("valium", "diazepam", "pill", ("Valium", "Diazepam"), (0.8, 2), _PILLS, 0.8,
            ("Roche", "Generic", "Blue"), ((5, "mg"), (10, "mg")), ("pills", "tabs")),
    Product("klonopin", "clonazepam", "pill", ("Klonopin", "Clonazepam", "Rivotril"), (1, 3), _PILLS, 0.6,
            ("Roche", "Generic"), ((1, "mg"), (2, "mg")), ("pills", "tabs")),
    Product("oxy", "oxycodone", "pill", ("Oxycodone", "OxyContin", "Oxy", "Roxicodone"), (18, 32),
            (10.0, 20.0, 50.0, 100.0), 1.0, ("Pharma", "Mallinckrodt", "Genuine"), ((30, "mg"), (80, "mg")),
            ("pills", "tabs")),
    Product("fentanyl", "fentanyl", "weight", ("Fentanyl", "Fentanyl HCl", "Fent"), (120, 250),
            (0.5, 1.0, 2.0, 5.0), 0.4, ("Pure", "99%", "China")),
    Product("tramadol", "tramadol", "pill", ("Tramadol", "Ultram"), (0.6, 1.5), _PILLS, 0.6,
            ("Generic", "Pharma"), ((100, "mg"), (200, "mg"), (225, "mg")), ("pills", "tabs")),
    Product("methadone", "methadone", "pill", ("Methadone",), (2, 4), (10.0, 20.0, 50.0, 100.0), 0.4,
            ("Pharma",), ((10, "mg"), (40, "mg")), ("pills", "tabs")),
    Product("codeine", "codeine", "pill", ("Codeine", "Codeine Phosphate"), (1, 2), _PILLS, 0.4,
            ("Pharma", "UK"), ((30, "mg"), (60, "mg")), ("pills", "tabs")),
    Product("meph", "mephedrone", "weight", ("Mephedrone", "4-MMC", "Meow Meow", "MEPH"), (15, 30),
            (1.0, 5.0, 10.0, 25.0, 50.0), 0.8, ("Crystal", "Pure", "Premium")),
    Product("apvp", "alpha-pvp", "weight", ("A-PVP", "Alpha-PVP", "a-PVP", "Flakka"), (20, 40),
            (1.0, 2.0, 5.0, 10.0), 0.5, ("Crystal", "Pure", "Shards")),
    Product("3mmc", "3-mmc", "weight", ("3-MMC", "3MMC"), (15, 28), (1.0, 5.0, 10.0, 25.0, 50.0), 0.6,
            ("Crystal", "Dutch", "Pure")),
    Product("4cmc", "4-cmc", "weight", ("4-CMC", "Clephedrone"), (10, 22), (1.0, 5.0, 10.0, 25.0), 0.4,
            ("Crystal", "Pure")),
    Product("2cb", "2c-b", "pill", ("2C-B", "2CB", "2C-B Nexus"), (6, 12), (5.0, 10.0, 25.0, 50.0, 100.0), 0.6,
            ("Pink", "Dutch", "Strong"), ((15, "mg"), (20, "mg"), (25, "mg")), ("pills", "caps")),
    Product("dmt", "dmt", "weight", ("DMT", "N,N-DMT", "DMT Freebase"), (70, 140), (0.5, 1.0, 2.0, 5.0), 0.5,
            ("Pure", "Crystal", "Yellow")),
    Product("gbl", "gbl", "volume", ("GBL", "Gamma-Butyrolactone"), (0.08, 0.2),
            (100.0, 250.0, 500.0, 1000.0), 0.4, ("99.9%", "Pharma Grade", "Pure")),
    Product("spice", "mdmb-4en-pinaca", "weight", ("MDMB-4en-PINACA", "Spice", "K2 Spice", "MDMB-4en"),
            (25, 60), (1.0, 5.0, 10.0, 25.0), 0.4, ("Raw", "Powder", "Pure")),
    Product("iso", "isotonitazene", "weight", ("Isotonitazene", "Iso (Isotonitazene)"), (150, 300),
            (0.5, 1.0, 2.0), 0.2, ("Pure", "Research")),
)

_RG = (0.3, 0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
_RPILLS = (1.0, 2.0, 3.0, 5.0, 10.0)

RU_PRODUCTS: tuple[Product, ...] = (
    Product("ru-meph", "mephedrone", "weight", ("Мефедрон", "мефедрон", "Меф", "меф", "МЕФ", "Мяу", "4-MMC"),
            (2500, 4000), _RG, 5.0, ("VHQ", "кристалл", "мука", "белый", "чистый", "Premium")),
    Product("ru-apvp", "alpha-pvp", "weight",
            ("Соль", "соль", "Альфа", "СК", "Скорость", "скорость", "Кристаллы", "крис", "Альфа-PVP", "a-PVP"),
            (2000, 3500), _RG, 4.0, ("VHQ", "белая", "голубая", "мелкая", "крупная")),
    Product("ru-coke", "cocaine", "weight", ("Кокаин", "кокс", "Кокс", "COCAINE"), (9000, 15000),
            (0.3, 0.5, 1.0, 2.0, 3.0), 1.2, ("VHQ", "Колумбия", "Перу", "чистый")),
    Product("ru-amph", "amphetamine", "weight", ("Амфетамин", "Амф", "амф", "Фен", "Спиды"), (1200, 2200),
            _RG, 2.0, ("VHQ", "розовый", "белый", "паста")),
    Product("ru-buds", "cannabis", "weight", ("Шишки", "шишки", "Бошки", "бошки", "Марихуана", "План",
                                              "Amnesia Haze", "OG Kush", "AK-47", "Gelato", "White Widow"),
            (1500, 2500), _RG, 4.0, ("ИМПОРТ", "Indoor", "VHQ", "Gorilla", "сатива", "индика")),
    Product("ru-hash", "cannabis", "weight", ("Гашиш", "гашиш", "Гаш"), (1400, 2400), _RG, 2.0,
            ("Евро", "Афган", "Марокко", "VHQ")),
    Product("ru-heroin", "heroin", "weight", ("Героин", "гер", "Гер", "Хмурый"), (3500, 6000),
            (0.3, 0.5, 1.0, 2.0, 5.0), 1.0, ("Афган", "чистый", "VHQ")),
    Product("ru-methadone", "methadone", "weight", ("Метадон", "метадон"), (4000, 7000),
            (0.3, 0.5, 1.0, 2.0), 0.8, ("VHQ", "Ленинградский", "белый")),
    Product("ru-meth", "methamphetamine", "weight", ("Метамфетамин", "мет", "Мет", "Лёд"), (3500, 6000),
            (0.3, 0.5, 1.0, 2.0), 0.8, ("кристалл", "VHQ", "шард")),
    Product("ru-mdma", "mdma", "weight", ("МДМА", "MDMA кристалл", "MDMA"), (3000, 5000),
            (0.5, 1.0, 2.0, 3.0), 1.0, ("VHQ", "шампань", "Dutch")),
    Product("ru-xtc", "mdma", "pill", ("Экстази", "экстази"), (1000, 1800), _RPILLS, 1.5,
            ("Tesla", "Philipp Plein", "Rolex", "Red Bull", "Супермен"),
            ((200, "mg"), (250, "mg"), (300, "mg")), ("шт", "таб")),
    Product("ru-lsd", "lsd", "pill", ("ЛСД", "Марки ЛСД", "марки"), (1000, 1600), _RPILLS, 1.0,
            ("Hofmann", "Альберт", "Будда"), ((150, "ug"), (200, "ug"), (250, "ug")), ("шт",)),
    Product("ru-shrooms", "psilocybin", "weight", ("Грибы", "грибы", "Псилоцибы", "Грибы псилоцибы"),
            (600, 1000), (1.0, 2.0, 3.0, 5.0, 10.0), 0.8, ("Golden Teacher", "сушёные", "Мексика")),
    Product("ru-ket", "ketamine", "weight", ("Кетамин", "кетамин", "Кета"), (3000, 4500),
            (0.3, 0.5, 1.0, 2.0), 0.6, ("VHQ", "иглы", "кристалл")),
    Product("ru-spice", "mdmb-4en-pinaca", "weight", ("Спайс", "спайс", "Микс", "микс", "MDMB-4en-PINACA"),
            (1000, 2000), (0.5, 1.0, 2.0, 3.0, 5.0), 1.5, ("жёсткий", "средний", "лайт", "VHQ")),
    Product("ru-3mmc", "3-mmc", "weight", ("3-ММС", "3-MMC"), (2500, 4000), (0.5, 1.0, 2.0), 0.4,
            ("кристалл", "VHQ")),
    Product("ru-4cmc", "4-cmc", "weight", ("4-КМЦ", "4-CMC"), (2000, 3200), (0.5, 1.0, 2.0), 0.3, ("VHQ",)),
    Product("ru-tramadol", "tramadol", "pill", ("Трамадол", "трамал"), (150, 300), (5.0, 10.0, 20.0), 0.5,
            ("Tramal",), ((100, "mg"), (200, "mg")), ("шт", "таб")),
    Product("ru-xanax", "alprazolam", "pill", ("Ксанакс", "Алпразолам"), (300, 600), (5.0, 10.0, 20.0), 0.4,
            ("Pfizer",), ((1, "mg"), (2, "mg")), ("шт", "таб")),
    Product("ru-gbl", "gbl", "volume", ("ГБЛ", "GBL"), (40, 80), (10.0, 20.0, 50.0, 100.0), 0.3, ("чистый",)),
    Product("ru-iso", "isotonitazene", "weight", ("Изотонитазен",), (15000, 30000), (0.1, 0.2, 0.5), 0.1,
            ("VHQ",)),
)

EN_SERVICES: tuple[Service, ...] = (
    Service(("Ultimate Carding Guide 2026", "Cashout Method: Bank Drops Explained", "How to Stay Anonymous Online",
             "Stealth Shipping Guide for Beginners", "OPSEC Bible - Complete Edition", "CC to BTC Method (WORKING)"),
            "Guides & Tutorials", (2, 40)),
    Service(("UK Driving Licence (Fake ID, scannable)", "USA Passport Template PSD", "EU ID Card - HOLO UV",
             "Novelty ID California - Scannable", "Fake Utility Bill Template"), "Counterfeit Items", (25, 400)),
    Service(("Fullz USA with SSN + DOB", "Fresh CC Dumps 101+201", "PayPal Accounts with Balance",
             "Netflix Premium Account - Lifetime Warranty", "Amazon Gift Card $100 (carded)"), "Carded Items",
            (3, 120)),
    Service(("Hacking Service - Social Media Accounts", "Custom Onion Vanity Address", "DDoS Service 1 Hour",
             "Reshipper Service EU", "Bitcoin Mixing Service"), "Services", (10, 300)),
    Service(("50x Counterfeit 20 EUR notes", "Fake 100 USD Bills - Grade A", "Replica Rolex Submariner"),
            "Counterfeit Items", (60, 900)),
)

RU_SERVICES: tuple[Service, ...] = (
    Service(("Работа: курьер-закладчик, высокий доход", "Требуются курьеры (кладмены), ЗП каждый день",
             "Вакансия: склад / фасовщик, залог", "Нужен водитель-перевозчик, оплата сразу"),
            "Работа", (1000, 5000)),
    Service(("Мануал: как безопасно забирать клады", "Мануал по анонимности в сети"), "Мануалы", (500, 3000)),
    Service(("Водительские права (изготовление)", "Паспорт РФ — сканы", "Справки, дипломы — любые"),
            "Документы", (5000, 40000)),
    Service(("Обнал карт, быстро", "Верификация аккаунтов биржи", "Пробив по базам"), "Услуги", (1000, 15000)),
)
