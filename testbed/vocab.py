"""Every substance surface form the testbed generator writes, per canonical name, with its class.

The extraction lexicon should recognise each form (case-insensitively; titles are sometimes ALL CAPS).
``SUBSTANCES[canonical] = (class, [surface forms])``; the catalogue (testbed/catalog.py) uses exactly these.
"""

from __future__ import annotations

SUBSTANCES: dict[str, tuple[str, list[str]]] = {
    "cocaine": ("stimulant", [
        "Cocaine", "Coke", "Cocaine HCl", "Cocain", "Flake Cocaine", "Fishscale Cocaine", "Charlie",
        "Crack", "Crack Cocaine", "Crack Rocks",
        "Кокаин", "кокс", "Кокс", "COCAINE",
    ]),
    "mdma": ("empathogen", [
        "MDMA", "Molly", "Ecstasy", "XTC", "MDMA Crystal", "Mandy", "MDMA Crystals",
        "МДМА", "MDMA кристалл", "Экстази", "экстази",
    ]),
    "methamphetamine": ("stimulant", [
        "Crystal Meth", "Meth", "Methamphetamine", "ICE", "Methamfetamine",
        "Метамфетамин", "мет", "Мет", "Лёд",
    ]),
    "amphetamine": ("stimulant", [
        "Speed", "Amphetamine", "Amphetamine Paste", "Amph", "Speedpaste", "Amfetamine",
        "Амфетамин", "Амф", "амф", "Фен", "Спиды",
    ]),
    "heroin": ("opioid", [
        "Heroin", "Heroine", "Brown Heroin", "Smack", "China White Heroin",
        "Героин", "гер", "Гер", "Хмурый",
    ]),
    "cannabis": ("cannabinoid", [
        "Weed", "Cannabis", "Marijuana", "Buds", "Hash", "Hashish", "Moroccan Hash", "Charas", "Dry Sift",
        "Amnesia Haze", "OG Kush", "Gorilla Glue #4", "Girl Scout Cookies", "White Widow", "Gelato",
        "Wedding Cake", "Lemon Haze", "Northern Lights", "Blue Dream", "Sour Diesel", "Zkittlez",
        "Purple Haze", "AK-47", "Critical Kush",
        "Шишки", "шишки", "Бошки", "бошки", "Гашиш", "гашиш", "Гаш", "Марихуана", "План",
    ]),
    "lsd": ("psychedelic", [
        "LSD", "LSD-25", "Acid", "LSD Blotters", "Acid Tabs",
        "ЛСД", "Марки ЛСД", "марки",
    ]),
    "psilocybin": ("psychedelic", [
        "Magic Mushrooms", "Shrooms", "Psilocybe Cubensis", "Golden Teacher Mushrooms", "Mushrooms",
        "Psilocybin Mushrooms",
        "Грибы", "грибы", "Псилоцибы", "Грибы псилоцибы",
    ]),
    "ketamine": ("dissociative", [
        "Ketamine", "Ket", "Special K", "Ketamin", "Ketamine HCl",
        "Кетамин", "кетамин", "Кета",
    ]),
    "alprazolam": ("benzodiazepine", [
        "Xanax", "Alprazolam", "Xanax Bars", "Xanny Bars", "Xanex",
        "Ксанакс", "Алпразолам",
    ]),
    "diazepam": ("benzodiazepine", ["Valium", "Diazepam"]),
    "clonazepam": ("benzodiazepine", ["Klonopin", "Clonazepam", "Rivotril"]),
    "oxycodone": ("opioid", ["Oxycodone", "OxyContin", "Oxy", "Roxicodone"]),
    "fentanyl": ("opioid", ["Fentanyl", "Fentanyl HCl", "Fent"]),
    "tramadol": ("opioid", ["Tramadol", "Ultram", "Трамадол", "трамал"]),
    "methadone": ("opioid", ["Methadone", "Метадон", "метадон"]),
    "codeine": ("opioid", ["Codeine", "Codeine Phosphate"]),
    "mephedrone": ("cathinone", [
        "Mephedrone", "4-MMC", "Meow Meow", "MEPH",
        "Мефедрон", "мефедрон", "Меф", "меф", "МЕФ", "Мяу",
    ]),
    "alpha-pvp": ("cathinone", [
        "A-PVP", "Alpha-PVP", "a-PVP", "Flakka",
        "Соль", "соль", "Альфа", "СК", "Скорость", "скорость", "Кристаллы", "крис", "Альфа-PVP",
    ]),
    "3-mmc": ("cathinone", ["3-MMC", "3MMC", "3-ММС"]),
    "4-cmc": ("cathinone", ["4-CMC", "Clephedrone", "4-КМЦ"]),
    "2c-b": ("psychedelic", ["2C-B", "2CB", "2C-B Nexus"]),
    "dmt": ("psychedelic", ["DMT", "N,N-DMT", "DMT Freebase"]),
    "gbl": ("sedative", ["GBL", "Gamma-Butyrolactone", "ГБЛ"]),
    "mdmb-4en-pinaca": ("synthetic_cannabinoid", [
        "MDMB-4en-PINACA", "Spice", "K2 Spice", "MDMB-4en",
        "Спайс", "спайс", "Микс", "микс",
    ]),
    "isotonitazene": ("nitazene", ["Isotonitazene", "Iso (Isotonitazene)", "Изотонитазен"]),
}

# Unit and currency surface forms the generator writes (for the extraction engineer's checks).
UNIT_FORMS: dict[str, list[str]] = {
    "g": ["g", "G", "gr", "gram", "grams", "г", "гр", "грамм"],
    "mg": ["mg", "мг"],
    "ug": ["ug", "mcg", "µg", "мкг"],
    "ml": ["ml", "mL", "мл"],
    "oz": ["oz", "OZ"],
    "unit": ["x", "pills", "tabs", "bars", "blotters", "caps", "pcs", "шт", "шт.", "таб"],
}
CURRENCY_FORMS: dict[str, list[str]] = {
    "USD": ["USD"],
    "RUB": ["₽", "руб.", "р."],
    "KZT": ["₸", "тг", "тенге"],
}


def substance_class(canonical: str) -> str:
    return SUBSTANCES[canonical][0]


def surface_forms(canonical: str) -> list[str]:
    return SUBSTANCES[canonical][1]
