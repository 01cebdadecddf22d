"""Build bench/corpus/listings.jsonl: hand-written hard cases plus seeded template variations.

Usage: .venv/bin/python bench/corpus/make_corpus.py bench/corpus/listings.jsonl
"""

from __future__ import annotations

import collections
import json
import random
import sys

# (text, substances, quantity, dose, price, tags): quantity/dose "value unit", price "amount CUR"; None = null
EN = [
    ("1g Cocaine 90% pure - $80", ["cocaine"], "1 g", None, "80 USD", "basic"),
    ("Peruvian Flake Cocaine 3.5g | $250 | Free shipping", ["cocaine"], "3.5 g", None, "250 USD", "slang"),
    ("Fishscale cocaine 7 grams €390", ["cocaine"], "7 g", None, "390 EUR", "slang"),
    ("CRACK ROCKS 0.5g $45", ["cocaine"], "0.5 g", None, "45 USD", "caps"),
    ("Charlie 1g UK next day £70", ["cocaine"], "1 g", None, "70 GBP", "ambiguous"),
    ("Colombian coke 28g (1oz) - $1,650", ["cocaine"], "28 g", None, "1650 USD", "thousands"),
    ("Coke 5g = 0.012 BTC", ["cocaine"], "5 g", None, "0.012 BTC", "crypto"),
    ("MDMA crystals 84% 1g $35", ["mdma"], "1 g", None, "35 USD", "basic"),
    ("Molly 3.5 grams - 100 USD", ["mdma"], "3.5 g", None, "100 USD", "slang"),
    ("Mandy 10g UK £150", ["mdma"], "10 g", None, "150 GBP", "slang"),
    ("50x Blue Punisher 270mg XTC pills - $300", ["mdma"], "50 unit", "270 mg", "300 USD", "count-dose"),
    ("Tesla XTC 200mg x 10 - €45", ["mdma"], "10 unit", "200 mg", "45 EUR", "count-dose"),
    ("Ecstasy pills 220 mg 25 pcs 0.004 BTC", ["mdma"], "25 unit", "220 mg", "0.004 BTC", "count-dose"),
    ("Philipp Plein 280mg - 100 pills - $390", ["mdma"], "100 unit", "280 mg", "390 USD", "brand"),
    ("Crystal Meth 1g shards $60", ["methamphetamine"], "1 g", None, "60 USD", "basic"),
    ("ICE 3.5g glass AAA - $140", ["methamphetamine"], "3.5 g", None, "140 USD", "ambiguous"),
    ("Methamphetamine 28g oz $600", ["methamphetamine"], "28 g", None, "600 USD", "basic"),
    ("Tina 1/2 oz $300", ["methamphetamine"], "0.5 oz", None, "300 USD", "fraction"),
    ("Speed paste 10g - €40", ["amphetamine"], "10 g", None, "40 EUR", "basic"),
    ("Amphetamine sulphate 50g £120", ["amphetamine"], "50 g", None, "120 GBP", "basic"),
    ("Adderall 30mg x 20 - $120", ["amphetamine"], "20 unit", "30 mg", "120 USD", "brand"),
    ("Dexedrine 10mg 60 tabs $150", ["amphetamine"], "60 unit", "10 mg", "150 USD", "brand"),
    ("Afghan Heroin #4 1g - $110", ["heroin"], "1 g", None, "110 USD", "basic"),
    ("Black tar heroin 0.5g $50", ["heroin"], "0.5 g", None, "50 USD", "slang"),
    ("Brown heroin 5 grams €200", ["heroin"], "5 g", None, "200 EUR", "slang"),
    ("Smack 1g", ["heroin"], "1 g", None, None, "ambiguous"),
    ("OG Kush 1/8 oz - $45", ["cannabis"], "0.125 oz", None, "45 USD", "strain"),
    ("Girl Scout Cookies an eighth $50", ["cannabis"], "0.125 oz", None, "50 USD", "strain"),
    ("White Widow indoor QP $750", ["cannabis"], "4 oz", None, "750 USD", "street"),
    ("Sour Diesel HP - $1400", ["cannabis"], "8 oz", None, "1400 USD", "street"),
    ("Blue Dream 1 LB outdoor $1,900", ["cannabis"], "16 oz", None, "1900 USD", "street"),
    ("Amnesia Haze 5g €45", ["cannabis"], "5 g", None, "45 EUR", "strain"),
    ("Moroccan hash 25g €120", ["cannabis"], "25 g", None, "120 EUR", "hash"),
    ("Charas 10 grams $90", ["cannabis"], "10 g", None, "90 USD", "hash"),
    ("Shatter 1g - $35", ["cannabis"], "1 g", None, "35 USD", "concentrate"),
    ("THC vape carts 1ml x 5 - $150", ["cannabis"], "5 unit", None, "150 USD", "concentrate"),
    ("Gorilla Glue #4 half oz $140", ["cannabis"], "0.5 oz", None, "140 USD", "strain"),
    ("Weed 28g (1 oz) - $200", ["cannabis"], "28 g", None, "200 USD", "basic"),
    ("Cannabis seeds feminized 10 pcs $60", ["cannabis"], "10 unit", None, "60 USD", "seeds"),
    ("LSD 150ug blotters x 10 - $70", ["lsd"], "10 unit", "150 ug", "70 USD", "count-dose"),
    ("Acid tabs 100mcg 25 hits $120", ["lsd"], "25 unit", "100 ug", "120 USD", "slang"),
    ("Albert Hofmann LSD-25 200µg 5 blotters €30", ["lsd"], "5 unit", "200 ug", "30 EUR", "micro"),
    ("1P-LSD 100mcg x 10 blotters €25", ["1p-lsd"], "10 unit", "100 ug", "25 EUR", "nps"),
    ("Magic mushrooms Golden Teacher 28g $180", ["psilocybin"], "28 g", None, "180 USD", "basic"),
    ("Shrooms 3.5g - $30", ["psilocybin"], "3.5 g", None, "30 USD", "slang"),
    ("Psilocybe cubensis B+ 14g €70", ["psilocybin"], "14 g", None, "70 EUR", "strain"),
    ("Ketamine shards 5g £100", ["ketamine"], "5 g", None, "100 GBP", "basic"),
    ("Special K 1g $40", ["ketamine"], "1 g", None, "40 USD", "slang"),
    ("Ket 10 grams 0.01 BTC", ["ketamine"], "10 g", None, "0.01 BTC", "slang"),
    ("Xanax 2mg bars x 100 - $180", ["alprazolam"], "100 unit", "2 mg", "180 USD", "brand"),
    ("100x 2mg Xanax", ["alprazolam"], "100 unit", "2 mg", None, "count-dose"),
    ("Green hulk xanax bars 2mg 50pcs $95", ["alprazolam"], "50 unit", "2 mg", "95 USD", "brand"),
    ("Alprazolam 1mg 30 tablets $45", ["alprazolam"], "30 unit", "1 mg", "45 USD", "basic"),
    ("Valium 10mg Roche x 50 €40", ["diazepam"], "50 unit", "10 mg", "40 EUR", "brand"),
    ("Diazepam 5mg 100 tabs £35", ["diazepam"], "100 unit", "5 mg", "35 GBP", "basic"),
    ("Klonopin 1mg x 60 - $90", ["clonazepam"], "60 unit", "1 mg", "90 USD", "brand"),
    ("Rivotril 2mg 30 pills $55", ["clonazepam"], "30 unit", "2 mg", "55 USD", "brand"),
    ("Oxycontin 80mg x 10 - $450", ["oxycodone"], "10 unit", "80 mg", "450 USD", "brand"),
    ("Percocet 10/325 x 20 $200", ["oxycodone"], "20 unit", None, "200 USD", "brand"),
    ("M30 blues 30mg x 100 $1200", ["oxycodone"], "100 unit", "30 mg", "1200 USD", "imprint"),
    ("Roxy 30mg 10 pcs $250", ["oxycodone"], "10 unit", "30 mg", "250 USD", "slang"),
    ("Fentanyl HCl 1g $300", ["fentanyl"], "1 g", None, "300 USD", "basic"),
    ("Fentanyl patches 100mcg x 5 - $150", ["fentanyl"], "5 unit", "100 ug", "150 USD", "patch"),
    ("Carfentanil 1g - $500", ["carfentanil"], "1 g", None, "500 USD", "nps"),
    ("Acetylfentanyl 5g $400", ["acetylfentanyl"], "5 g", None, "400 USD", "nps"),
    ("Tramadol 200mg x 100 $90", ["tramadol"], "100 unit", "200 mg", "90 USD", "basic"),
    ("Ultram 50mg 60 tabs $40", ["tramadol"], "60 unit", "50 mg", "40 USD", "brand"),
    ("Methadone 10mg x 30 - $60", ["methadone"], "30 unit", "10 mg", "60 USD", "basic"),
    ("Methadone liquid 100ml $80", ["methadone"], "100 ml", None, "80 USD", "volume"),
    ("Codeine phosphate 30mg x 50 £40", ["codeine"], "50 unit", "30 mg", "40 GBP", "basic"),
    ("Promethazine codeine syrup 473ml $250", ["codeine"], "473 ml", None, "250 USD", "volume"),
    ("4-MMC mephedrone 5g €60", ["mephedrone"], "5 g", None, "60 EUR", "nps"),
    ("Meow meow 10g £90", ["mephedrone"], "10 g", None, "90 GBP", "slang"),
    ("Crystal MEPH 5G - USD 120", ["mephedrone"], "5 g", None, "120 USD", "descriptor"),
    ("a-PVP crystals 1g $40", ["alpha-pvp"], "1 g", None, "40 USD", "nps"),
    ("Flakka 5g €75", ["alpha-pvp"], "5 g", None, "75 EUR", "slang"),
    ("Alpha-PHiP 10g €90", ["alpha-phip"], "10 g", None, "90 EUR", "nps"),
    ("3-MMC 25g €200", ["3-mmc"], "25 g", None, "200 EUR", "nps"),
    ("3MMC crystal 5 g - EUR 55", ["3-mmc"], "5 g", None, "55 EUR", "nps"),
    ("2-MMC 10g $110", ["2-mmc"], "10 g", None, "110 USD", "nps"),
    ("4-CMC 50g $300", ["4-cmc"], "50 g", None, "300 USD", "nps"),
    ("3-CMC 10g €85", ["3-cmc"], "10 g", None, "85 EUR", "nps"),
    ("Clephedrone 5g $70", ["4-cmc"], "5 g", None, "70 USD", "nps"),
    ("N-Ethylhexedrone hexen 5g $50", ["n-ethylhexedrone"], "5 g", None, "50 USD", "nps"),
    ("Eutylone 10g $80", ["eutylone"], "10 g", None, "80 USD", "nps"),
    ("2C-B Nexus 20mg x 10 - $100", ["2c-b"], "10 unit", "20 mg", "100 USD", "count-dose"),
    ("2CB powder 1g €90", ["2c-b"], "1 g", None, "90 EUR", "nps"),
    ("DMT freebase 1g $120", ["dmt"], "1 g", None, "120 USD", "basic"),
    ("5-MeO-DMT 500mg $150", ["5-meo-dmt"], "500 mg", None, "150 USD", "nps"),
    ("GBL 500ml €60", ["gbl"], "500 ml", None, "60 EUR", "volume"),
    ("GHB 100 ml - $50", ["ghb"], "100 ml", None, "50 USD", "volume"),
    ("MDMB-4en-PINACA 5g $120", ["mdmb-4en-pinaca"], "5 g", None, "120 USD", "nps"),
    ("K2 spice 10g $60", ["mdmb-4en-pinaca"], "10 g", None, "60 USD", "slang"),
    ("ADB-BUTINACA 10g - $140", ["adb-butinaca"], "10 g", None, "140 USD", "nps"),
    ("5F-ADB 5g $90", ["5f-adb"], "5 g", None, "90 USD", "nps"),
    ("Isotonitazene 1g $200", ["isotonitazene"], "1 g", None, "200 USD", "nitazene"),
    ("Protonitazene 500mg - $150", ["protonitazene"], "500 mg", None, "150 USD", "nitazene"),
    ("Metonitazene 1g $180", ["metonitazene"], "1 g", None, "180 USD", "nitazene"),
    ("N-pyrrolidino etonitazene 250mg $120", ["n-pyrrolidino-etonitazene"], "250 mg", None, "120 USD", "nitazene"),
    ("Xylazine 10g - $50", ["xylazine"], "10 g", None, "50 USD", "adulterant"),
    ("Bromazolam 1mg pellets x 100 €50", ["bromazolam"], "100 unit", "1 mg", "50 EUR", "designer-benzo"),
    ("Flualprazolam 0.5mg x 50 $40", ["flualprazolam"], "50 unit", "0.5 mg", "40 USD", "designer-benzo"),
    ("Etizolam 1mg 100 tabs $45", ["etizolam"], "100 unit", "1 mg", "45 USD", "designer-benzo"),
    ("Clonazolam 0.5mg pellets x 20 €25", ["clonazolam"], "20 unit", "0.5 mg", "25 EUR", "designer-benzo"),
    ("Deschloroketamine DCK 5g €80", ["deschloroketamine"], "5 g", None, "80 EUR", "nps"),
    ("2-FDCK 10g $120", ["2-fdck"], "10 g", None, "120 USD", "nps"),
    ("3-MeO-PCP 1g $50", ["3-meo-pcp"], "1 g", None, "50 USD", "nps"),
    ("Kratom red vein 250g $40", ["kratom"], "250 g", None, "40 USD", "other"),
    ("Pregabalin 300mg x 56 £30", ["pregabalin"], "56 unit", "300 mg", "30 GBP", "pharma"),
    ("Zolpidem 10mg x 30 $35", ["zolpidem"], "30 unit", "10 mg", "35 USD", "pharma"),
    ("Suboxone 8mg strips x 7 $70", ["buprenorphine"], "7 unit", "8 mg", "70 USD", "pharma"),
    ("Dilaudid 8mg x 10 $180", ["hydromorphone"], "10 unit", "8 mg", "180 USD", "pharma"),
    ("Testosterone enanthate 250mg/ml 10ml $45", ["testosterone"], "10 ml", "250 mg", "45 USD", "steroid"),
    ("Anavar 10mg x 100 $60", ["oxandrolone"], "100 unit", "10 mg", "60 USD", "steroid"),
    ("Cocaine $90/g", ["cocaine"], "1 g", None, "90 USD", "per-unit"),
    ("MDMA pills $10 each", ["mdma"], "1 unit", None, "10 USD", "per-unit"),
    ("Ketamine 1g - $40 | 3.5g - $120 | 7g - $220", ["ketamine"], "1 g", None, "40 USD", "ladder"),
    ("Cocaine $80 for 1g, $150 for 2g", ["cocaine"], "1 g", None, "80 USD", "ladder"),
    ("MDMA 1g USD 40.00 / 0.0004 BTC", ["mdma"], "1 g", None, "40 USD", "multi-currency"),
    ("MDMA + Ketamine combo 1g each $70", ["mdma", "ketamine"], "1 g", None, "70 USD", "multi-substance"),
    ("Cocaine & Speed sample pack 2g $90", ["cocaine", "amphetamine"], "2 g", None, "90 USD", "multi-substance"),
    ("Half gram of coke $45", ["cocaine"], "0.5 g", None, "45 USD", "number-word"),
    ("Cocaïne 1g €60", ["cocaine"], "1 g", None, "60 EUR", "diacritics"),
    ("C O K E 90% 2g $150", ["cocaine"], "2 g", None, "150 USD", "spaced"),
    ("Adderrall 30mg x 5 $30", ["amphetamine"], "5 unit", "30 mg", "30 USD", "typo"),
    ("Xanex 1mg 10 bars $37", ["alprazolam"], "10 unit", "1 mg", "37 USD", "typo"),
    ("Ketamin 5g €75", ["ketamine"], "5 g", None, "75 EUR", "typo"),
    ("Mescaline HCl 1g $90", ["mescaline"], "1 g", None, "90 USD", "basic"),
    ("Methylone 10g $80", ["methylone"], "10 g", None, "80 USD", "nps"),
    ("Nitrous oxide 50 chargers $40", ["nitrous-oxide"], "50 unit", None, "40 USD", "other"),
    ("Twins 150 µg x 10", ["lsd"], "10 unit", "150 ug", None, "inferred"),
]
EN_NONDRUG = [
    ("Secrets of Methamphetamine Manufacture 8th edition PDF $10", None, "10 USD"),
    ("The Cannabis Grow Bible ebook", None, None),
    ("Marquis reagent test kit for MDMA $20", None, "20 USD"),
    ("Digital pocket scale 0.01g - $15", None, "15 USD"),
    ("Netflix premium account 1 year $5", None, "5 USD"),
    ("Fullz USA SSN DOB $20", None, "20 USD"),
    ("50x Counterfeit 20 EUR notes $400", None, "400 USD"),
    ("Glock 19 + 50 rounds ammo $1,800", None, "1800 USD"),
    ("Rolling papers king size 50 pcs $10", None, "10 USD"),
    ("Glass bong 30cm $45", None, "45 USD"),
    ("How to cook meth - complete guide", None, None),
    ("Fake ID card template PSD $30", None, "30 USD"),
    ("Gold bar 1oz Perth Mint replica $90", None, "90 USD"),
    ("Carding tutorial 2024 $25", None, "25 USD"),
    ("Herb grinder 4 piece aluminium $12", None, "12 USD"),
    ("Pill press TDP-0 $700", None, "700 USD"),
    ("VPN lifetime subscription $15", None, "15 USD"),
    ("Drug test kit 10 panel $18", None, "18 USD"),
    ("Ice hockey tickets x2 $50", None, "50 USD"),
    ("Charlie and the Chocolate Factory DVD $5", None, "5 USD"),
]
RU = [
    ("Меф кристалл 1г - 2500р", ["mephedrone"], "1 g", None, "2500 RUB", "slang"),
    ("Мефедрон мука 2 г 4 500 руб.", ["mephedrone"], "2 g", None, "4500 RUB", "slang"),
    ("Меф 0,5г 1500р", ["mephedrone"], "0.5 g", None, "1500 RUB", "decimal-comma"),
    ("МЕФ VHQ 5 грамм 11 000 ₽", ["mephedrone"], "5 g", None, "11000 RUB", "caps"),
    ("Мяу-мяу 1 гр 3000 руб", ["mephedrone"], "1 g", None, "3000 RUB", "slang"),
    ("4-MMC 10г 18000р", ["mephedrone"], "10 g", None, "18000 RUB", "nps"),
    ("Полграмма меф 1600 р.", ["mephedrone"], "0.5 g", None, "1600 RUB", "number-word"),
    ("Меф 1г 3,5к", ["mephedrone"], "1 g", None, "3500 RUB", "shorthand"),
    ("Соль VHQ 0,5 г 1 500 ₽", ["alpha-pvp"], "0.5 g", None, "1500 RUB", "slang"),
    ("СК крупная 1г 2900 руб.", ["alpha-pvp"], "1 g", None, "2900 RUB", "slang"),
    ("Скорость 0.3 г 1000 р", ["alpha-pvp"], "0.3 g", None, "1000 RUB", "slang"),
    ("Кристаллы голубые 1 г 15 500 тенге", ["alpha-pvp"], "1 g", None, "15500 KZT", "descriptor"),
    ("Альфа-PVP 1г 3200₽", ["alpha-pvp"], "1 g", None, "3200 RUB", "mixed-script"),
    ("a-PVP 0,5г 7 500 ₸", ["alpha-pvp"], "0.5 g", None, "7500 KZT", "kzt"),
    ("Крис белый 2г 5500 р.", ["alpha-pvp"], "2 g", None, "5500 RUB", "slang"),
    ("Шишки AK-47 1г 2200р", ["cannabis"], "1 g", None, "2200 RUB", "strain"),
    ("Бошки Amnesia 2г 4000 руб", ["cannabis"], "2 g", None, "4000 RUB", "slang"),
    ("Гашиш Евро 3гр 6000р", ["cannabis"], "3 g", None, "6000 RUB", "hash"),
    ("Гаш 5г 14к", ["cannabis"], "5 g", None, "14000 RUB", "shorthand"),
    ("Марихуана 10 г 15000 тг", ["cannabis"], "10 g", None, "15000 KZT", "kzt"),
    ("План 1г 1200 руб", ["cannabis"], "1 g", None, "1200 RUB", "slang"),
    ("Шишки OG Kush 3 гр 21 тыс. руб", ["cannabis"], "3 g", None, "21000 RUB", "shorthand"),
    ("Героин 0,5г 2500р", ["heroin"], "0.5 g", None, "2500 RUB", "basic"),
    ("Гер 1г 4 000 ₽", ["heroin"], "1 g", None, "4000 RUB", "slang"),
    ("Сирец афганский 0,25 г 1500 руб", ["heroin"], "0.25 g", None, "1500 RUB", "slang"),
    ("Хмурый 0,3 г 1300 руб.", ["heroin"], "0.3 g", None, "1300 RUB", "slang"),
    ("Кокаин 1г 9000 р", ["cocaine"], "1 g", None, "9000 RUB", "basic"),
    ("Кокос 0,5 г 5500 руб", ["cocaine"], "0.5 g", None, "5500 RUB", "slang"),
    ("Кокс чистый 1 гр 35 000 ₸", ["cocaine"], "1 g", None, "35000 KZT", "kzt"),
    ("Амфетамин 1г 1800 р", ["amphetamine"], "1 g", None, "1800 RUB", "basic"),
    ("Фен розовый 2г 3200 р.", ["amphetamine"], "2 g", None, "3200 RUB", "slang"),
    ("Амф 5 г 6500 руб", ["amphetamine"], "5 g", None, "6500 RUB", "slang"),
    ("Метамфетамин 1г 5000р", ["methamphetamine"], "1 g", None, "5000 RUB", "basic"),
    ("Мет лёд 0,5 г 3000 р", ["methamphetamine"], "0.5 g", None, "3000 RUB", "slang"),
    ("Экстази Rolex 300 мг 1 шт 1100 р.", ["mdma"], "1 unit", "300 mg", "1100 RUB", "count-dose"),
    ("Экстази 250 мг 5 шт 6000 руб", ["mdma"], "5 unit", "250 mg", "6000 RUB", "count-dose"),
    ("МДМА кристаллы 1г 3500р", ["mdma"], "1 g", None, "3500 RUB", "basic"),
    ("Экс Tesla 200мг 3 шт 3 900 руб", ["mdma"], "3 unit", "200 mg", "3900 RUB", "slang"),
    ("ЛСД 200 мкг 5 марок 5000р", ["lsd"], "5 unit", "200 ug", "5000 RUB", "count-dose"),
    ("Марки ЛСД 10 шт 9000 руб", ["lsd"], "10 unit", None, "9000 RUB", "slang"),
    ("Марки н-боом 10 шт 4000р", ["25i-nbome"], "10 unit", None, "4000 RUB", "nbome"),
    ("Марки Н-ВоооооМ!!!! 4 штуки 2000 р", ["25i-nbome"], "4 unit", None, "2000 RUB", "stretched"),
    ("Грибы псилоцибы 3 г 2500 руб.", ["psilocybin"], "3 g", None, "2500 RUB", "basic"),
    ("Кетамин 1г 4000р", ["ketamine"], "1 g", None, "4000 RUB", "basic"),
    ("Кета 0,5 г 2200 р", ["ketamine"], "0.5 g", None, "2200 RUB", "slang"),
    ("Ксанакс 1 мг 10 шт 2900 руб.", ["alprazolam"], "10 unit", "1 mg", "2900 RUB", "brand"),
    ("Алпразолам 0,5 мг 20 таб 3000 р", ["alprazolam"], "20 unit", "0.5 mg", "3000 RUB", "basic"),
    ("Трамадол 200 мг 10 шт 15 500 ₸", ["tramadol"], "10 unit", "200 mg", "15500 KZT", "kzt"),
    ("Трамал 100мг 5 шт 1500 ₽", ["tramadol"], "5 unit", "100 mg", "1500 RUB", "brand"),
    ("Метадон 0,5 г 3000 р", ["methadone"], "0.5 g", None, "3000 RUB", "basic"),
    ("Метадон сироп 10 мл 2000 руб", ["methadone"], "10 ml", None, "2000 RUB", "volume"),
    ("Спайс 1г 1500р", ["mdmb-4en-pinaca"], "1 g", None, "1500 RUB", "slang"),
    ("Микс 2 г 2 800 р.", ["mdmb-4en-pinaca"], "2 g", None, "2800 RUB", "slang"),
    ("Изотонитазен 0,1 г 3000 р", ["isotonitazene"], "0.1 g", None, "3000 RUB", "nitazene"),
    ("ГБЛ 100 мл 3000 руб", ["gbl"], "100 ml", None, "3000 RUB", "volume"),
    ("3-ММС 1гр 3 100 ₽", ["3-mmc"], "1 g", None, "3100 RUB", "homoglyph"),
    ("4-КМЦ 5г 9000 р", ["4-cmc"], "5 g", None, "9000 RUB", "nps"),
    ("Мефедрон 1г - 2500р, 2г - 4500р, 5г - 10 000р", ["mephedrone"], "1 g", None, "2500 RUB", "ladder"),
    ("Шишки 1г 2000р / 3г 5500р / 5г 8500р", ["cannabis"], "1 g", None, "2000 RUB", "ladder"),
    ("Соль 3000 руб за грамм", ["alpha-pvp"], "1 g", None, "3000 RUB", "per-unit"),
    ("Мука 1г 2800 р", ["mephedrone"], "1 g", None, "2800 RUB", "slang"),
    ("Бупренорфин 0,4 мг 5 шт 2500р", ["buprenorphine"], "5 unit", "0.4 mg", "2500 RUB", "pharma"),
    ("Субутекс 8 мг 1 шт 1500 р.", ["buprenorphine"], "1 unit", "8 mg", "1500 RUB", "brand"),
    ("Лирика 300 мг 14 капсул 1800 руб", ["pregabalin"], "14 unit", "300 mg", "1800 RUB", "pharma"),
    ("Феназепам 1 мг 50 таб 1500 р", ["phenazepam"], "50 unit", "1 mg", "1500 RUB", "pharma"),
    ("Кокаин и меф 1г+1г 11 000 р", ["cocaine", "mephedrone"], "1 g", None, "11000 RUB", "multi-substance"),
    ("Экстази 200 мг 2 шт 2000 руб / 0.0002 BTC", ["mdma"], "2 unit", "200 mg", "2000 RUB", "multi-currency"),
    ("Меф 1 г 2500 руб. (~30$)", ["mephedrone"], "1 g", None, "2500 RUB", "multi-currency"),
    ("Black Geroin, Sirec 0.5g 60$", ["heroin"], "0.5 g", None, "60 USD", "translit"),
    ("MARIXYANA - 1 G. (SHISHKI) 50 USD", ["cannabis"], "1 g", None, "50 USD", "translit"),
    ("A - P v P Best VHQ 0.39 g", ["alpha-pvp"], "0.39 g", None, None, "spaced"),
    ("Mеф 1г 2500р", ["mephedrone"], "1 g", None, "2500 RUB", "homoglyph"),
    ("Кокаин 2021 г. новая партия 1 г 9000 р", ["cocaine"], "1 g", None, "9000 RUB", "year"),
    ("ЛСД 250 мкг", ["lsd"], None, "250 ug", None, "micro"),
    ("Гидрокодон 10 мг 10 шт 5000 р", ["hydrocodone"], "10 unit", "10 mg", "5000 RUB", "pharma"),
    ("Кодеин 15 мг 20 таб 2000 руб", ["codeine"], "20 unit", "15 mg", "2000 RUB", "pharma"),
    ("Диазепам 10 мг 20 шт 1500 р", ["diazepam"], "20 unit", "10 mg", "1500 RUB", "pharma"),
    ("Клоназепам 2мг 30 шт 2500р", ["clonazepam"], "30 unit", "2 mg", "2500 RUB", "pharma"),
    ("Оксикодон 40 мг 5 шт 7000 р", ["oxycodone"], "5 unit", "40 mg", "7000 RUB", "pharma"),
    ("Фентанил 0,1 г 5000 руб", ["fentanyl"], "0.1 g", None, "5000 RUB", "opioid"),
    ("ДМТ 0,5 г 4000 руб", ["dmt"], "0.5 g", None, "4000 RUB", "psychedelic"),
    ("2C-B 20 мг 5 шт 5000 р", ["2c-b"], "5 unit", "20 mg", "5000 RUB", "count-dose"),
    ("Ск 1 грамм 3000 тг", ["alpha-pvp"], "1 g", None, "3000 KZT", "kzt"),
    ("Шишки 1г 8 500 тенге", ["cannabis"], "1 g", None, "8500 KZT", "kzt"),
]
RU_NONDRUG = [
    ("Работа курьером, оплата 1500$ в неделю", None, None),  # a wage is no price (corpus README)
    ("Требуются закладчики в Москве, от 100 000 руб", None, "100000 RUB"),
    ("Весы электронные 0,01г 1500р", None, "1500 RUB"),
    ("Зип-пакеты 100 шт 300 руб", None, "300 RUB"),
    ("Фен Dyson для волос 25 000 р", None, "25000 RUB"),
    ("Альфа-Банк карта с доступом 5000 руб", None, "5000 RUB"),
    ("Руководство по выращиванию грибов", None, None),
    ("Высокая скорость доставки, VPN на год 2000р", None, "2000 RUB"),
    ("Паспорт РФ скан 1000 р", None, "1000 RUB"),
    ("Тест-набор реагентов 2000 руб", None, "2000 RUB"),
    ("Аккаунты Telegram 10 шт 500 руб", None, "500 RUB"),
    ("Обнал карт, 10% комиссия", None, None),
]


def q(s):
    if s is None:
        return None
    v, u = s.split()
    return {"value": float(v), "unit": u}


def p(s):
    if s is None:
        return None
    a, c = s.split()
    return {"amount": float(a), "currency": c}


rows = []


def add(lang, text, subs, qty, dose, price, tags, non_drug=False):
    rows.append(
        {
            "id": f"{lang}-{len(rows) + 1:04d}",
            "lang": lang,
            "text": text,
            "substances": subs,
            "quantity": q(qty),
            "dose": q(dose),
            "price": p(price),
            "non_drug": non_drug,
            "tags": tags.split(),
        }
    )


for t, s, qq, d, pr, tag in EN:
    add("en", t, s, qq, d, pr, tag)
for t, qq, pr in EN_NONDRUG:
    add("en", t, [], qq, None, pr, "non-drug", True)
for t, s, qq, d, pr, tag in RU:
    add("ru", t, s, qq, d, pr, tag)
for t, qq, pr in RU_NONDRUG:
    add("ru", t, [], qq, None, pr, "non-drug", True)

rng = random.Random(2026)
EN_MASS = [  # (canonical, surface forms)
    ("cocaine", ["Cocaine", "Coke", "Cocaine HCl", "Flake", "Peruvian Cocaine", "COCAINE", "Fish Scale Coke"]),
    ("mdma", ["MDMA", "MDMA crystal", "Molly", "Mandy", "MDMA champagne"]),
    ("methamphetamine", ["Meth", "Crystal Meth", "Methamphetamine", "Shards of Ice"]),
    ("amphetamine", ["Speed", "Amphetamine", "Speed Paste", "Amph"]),
    ("heroin", ["Heroin", "Brown Heroin", "Afghan Heroin", "Black Tar"]),
    (
        "cannabis",
        [
            "Weed",
            "OG Kush",
            "White Widow",
            "Amnesia Haze",
            "Hash",
            "Lemon Haze",
            "Gelato 41",
            "Runtz",
            "Wedding Cake",
            "Northern Lights",
            "Zkittlez",
            "Purple Haze",
            "Blue Cheese",
            "Charas",
        ],
    ),
    ("ketamine", ["Ketamine", "Ket", "Ketamine HCl", "Special K"]),
    ("mephedrone", ["Mephedrone", "4-MMC", "4MMC", "Meph"]),
    ("alpha-pvp", ["A-PVP", "Alpha-PVP", "a-PVP", "Flakka"]),
    ("3-mmc", ["3-MMC", "3MMC"]),
    ("4-cmc", ["4-CMC", "Clephedrone"]),
    ("2c-b", ["2C-B", "2CB"]),
    ("dmt", ["DMT", "N,N-DMT"]),
    ("psilocybin", ["Magic Mushrooms", "Shrooms", "Golden Teacher"]),
    ("mdmb-4en-pinaca", ["MDMB-4en-PINACA", "Spice", "K2"]),
    ("isotonitazene", ["Isotonitazene"]),
    ("fentanyl", ["Fentanyl", "Fentanyl HCl"]),
    ("adb-butinaca", ["ADB-BUTINACA"]),
    ("alpha-phip", ["Alpha-PHiP", "a-PHiP"]),
    ("3-cmc", ["3-CMC"]),
    ("2-mmc", ["2-MMC"]),
    ("xylazine", ["Xylazine"]),
    ("protonitazene", ["Protonitazene"]),
]
EN_PILLS = [
    ("alprazolam", ["Xanax", "Alprazolam", "Xanax bars", "Xanny bars"], [1, 2]),
    ("diazepam", ["Valium", "Diazepam"], [5, 10]),
    ("clonazepam", ["Klonopin", "Clonazepam", "Rivotril"], [1, 2]),
    ("oxycodone", ["Oxycodone", "OxyContin", "Roxicodone"], [10, 30, 80]),
    ("tramadol", ["Tramadol", "Ultram"], [50, 100, 200]),
    ("methadone", ["Methadone"], [10, 40]),
    ("codeine", ["Codeine"], [30, 60]),
    ("mdma", ["XTC", "Ecstasy", "MDMA pills"], [180, 220, 250]),
    ("2c-b", ["2C-B Nexus", "2CB"], [15, 20, 25]),
    ("bromazolam", ["Bromazolam"], [1, 2]),
    ("etizolam", ["Etizolam"], [1, 2]),
]
ADJ = ["", "", "Pure ", "VHQ ", "Premium ", "Uncut ", "Dutch ", "Top ", "NEW "]
SUF = ["", "", " - Free shipping", " | Escrow", " ~ NEW BATCH", " !!!", " (US-US)", " 🚀", " ✅", " *SALE*"]


def en_price(v):
    k = rng.randrange(6)
    if k == 0:
        return f"${v:,.0f}" if v >= 1000 else f"${v:g}", f"{v} USD"
    if k == 1:
        return f"{v:.2f} USD", f"{v} USD"
    if k == 2:
        return f"USD {v:,.2f}", f"{v} USD"
    if k == 3:
        return f"€{v:g}", f"{v} EUR"
    if k == 4:
        return f"{v:g} EUR", f"{v} EUR"
    return f"£{v:g}", f"{v} GBP"


def en_mass():
    k = rng.randrange(8)
    if k == 0:
        v = rng.choice([0.5, 1, 2, 3.5, 5, 7, 10, 14, 25, 28, 50, 100])
        return f"{v:g}g", f"{v} g"
    if k == 1:
        v = rng.choice([1, 2, 5, 10])
        return f"{v} grams", f"{v} g"
    if k == 2:
        v = rng.choice([1, 3.5, 7])
        return f"{v:g} gr", f"{v} g"
    if k == 3:
        v = rng.choice([1, 2, 5])
        return f"{v}G", f"{v} g"
    if k == 4:
        return rng.choice(
            [("1/8 oz", "0.125 oz"), ("1/4oz", "0.25 oz"), ("1/2 oz", "0.5 oz"), ("1oz", "1 oz"), ("2 oz", "2 oz")]
        )
    if k == 5:
        v = rng.choice([250, 500])
        return f"{v}mg", f"{v} mg"
    if k == 6:
        v = rng.choice([1, 2])
        return f"{v}kg", f"{v * 1000} g"
    return rng.choice([("QP", "4 oz"), ("half oz", "0.5 oz"), ("an eighth", "0.125 oz"), ("1 LB", "16 oz")])


for i in range(170):
    if i % 3 == 2:
        canon, forms, doses = rng.choice(EN_PILLS)
        name, d, n = rng.choice(forms), rng.choice(doses), rng.choice([5, 10, 20, 25, 50, 100])
        price, plabel = en_price(rng.choice([20, 35, 60, 95, 150, 260, 440]))
        tpl = rng.randrange(4)
        text = [
            f"{n}x {name} {d}mg - {price}",
            f"{name} {d}mg x {n} {price}",
            f"{n} {name} {d} mg pills {price}",
            f"{ADJ[rng.randrange(len(ADJ))]}{name} {d}mg {n} pcs - {price}",
        ][tpl]
        add("en", text + rng.choice(SUF), [canon], f"{n} unit", f"{d} mg", plabel, "templated count-dose")
    else:
        canon, forms = rng.choice(EN_MASS)
        name = rng.choice(forms)
        qt, ql = en_mass()
        price, plabel = en_price(rng.choice([25, 40, 60, 85, 120, 180, 250, 390, 1200]))
        tpl = rng.randrange(4)
        adj = ADJ[rng.randrange(len(ADJ))]
        text = [
            f"{adj}{name} {qt} - {price}",
            f"{qt} {adj}{name} | {price}",
            f"{adj}{name} - {qt}{rng.choice(SUF)} {price}",
            f"{name} {qt} {price}",
        ][tpl]
        add("en", text, [canon], ql, None, plabel, "templated mass")

RU_MASS = [
    ("mephedrone", ["Меф", "Мефедрон", "меф кристалл", "МЕФ", "Мяу", "4-MMC"]),
    ("alpha-pvp", ["Соль", "СК", "Скорость", "Альфа", "Кристаллы", "крис", "a-PVP"]),
    ("cannabis", ["Шишки", "Бошки", "Гашиш", "Гаш", "Марихуана", "План", "Шишки AK-47", "Бошки Amnesia Haze"]),
    ("heroin", ["Героин", "Гер", "Хмурый", "Сирец"]),
    ("cocaine", ["Кокаин", "Кокс", "Кокос"]),
    ("amphetamine", ["Амфетамин", "Амф", "Фен", "Спиды"]),
    ("methamphetamine", ["Метамфетамин", "Мет"]),
    ("mdma", ["МДМА", "МДМА кристалл"]),
    ("psilocybin", ["Грибы", "Псилоцибы"]),
    ("ketamine", ["Кетамин", "Кета"]),
    ("mdmb-4en-pinaca", ["Спайс", "Микс"]),
    ("methadone", ["Метадон"]),
    ("3-mmc", ["3-MMC", "3-ММС"]),
    ("4-cmc", ["4-CMC", "4-КМЦ"]),
    ("isotonitazene", ["Изотонитазен"]),
    ("gbl", ["ГБЛ"]),
]
RU_PILLS = [
    ("mdma", ["Экстази", "Экстази Rolex", "Экстази Tesla", "экстази Супермен"], [200, 250, 300]),
    ("alprazolam", ["Ксанакс", "Алпразолам"], [1, 2]),
    ("tramadol", ["Трамадол", "Трамал"], [100, 200]),
    ("lsd", ["ЛСД", "Марки ЛСД"], None),
]
KLAD = ["", "", " (магнит)", " — прикоп", " (тайник)", " VHQ", " 🔥", " ❄️", " СКИДКА 10%", " Качество!!!"]


def grp(v):
    s = f"{v:,.0f}".replace(",", " ") if rng.random() < 0.5 else f"{v:.0f}"
    return s


def ru_price(v, cur):
    if cur == "RUB":
        return rng.choice(
            [f"{grp(v)} руб.", f"{grp(v)}р", f"{grp(v)} р.", f"{grp(v)} ₽", f"{grp(v)} рублей"]
        ), f"{v} RUB"
    return rng.choice([f"{grp(v)} тг", f"{grp(v)} ₸", f"{grp(v)} тенге"]), f"{v} KZT"


def ru_mass():
    v = rng.choice([0.25, 0.3, 0.5, 1, 1.5, 2, 3, 5, 10])
    s = f"{v:g}".replace(".", ",") if rng.random() < 0.7 else f"{v:g}"
    return rng.choice([f"{s}г", f"{s} г", f"{s} гр", f"{s}гр", f"{s} грамм"]), f"{v} g"


for i in range(170):
    cur = "RUB" if rng.random() < 0.7 else "KZT"
    base = rng.choice([900, 1200, 1500, 2500, 3100, 4500, 6300, 9000, 14000])
    amount = base if cur == "RUB" else base * 5
    price, plabel = ru_price(amount, cur)
    if i % 4 == 3:
        canon, forms, doses = rng.choice(RU_PILLS)
        name, n = rng.choice(forms), rng.choice([1, 2, 3, 5, 10])
        if doses is None:
            d = rng.choice([150, 200, 250])
            text = f"{name} {d} мкг {n} {rng.choice(['шт', 'марок', 'шт.'])} {price}"
            dl = f"{d} ug"
        else:
            d = rng.choice(doses)
            text = f"{name} {d} мг {n} {rng.choice(['шт', 'шт.', 'таб'])}{rng.choice(KLAD)} {price}"
            dl = f"{d} mg"
        add("ru", text, [canon], f"{n} unit", dl, plabel, "templated count-dose")
    else:
        canon, forms = rng.choice(RU_MASS)
        name = rng.choice(forms)
        qt, ql = ru_mass()
        tpl = rng.randrange(3)
        text = [
            f"{name} {qt}{rng.choice(KLAD)} {price}",
            f"{name}{rng.choice(KLAD)} {qt} - {price}",
            f"{qt} {name} {price}",
        ][tpl]
        add("ru", text, [canon], ql, None, plabel, "templated mass")

# issue 14 (prices and quantities): one or more cases per rule, appended so earlier ids stay put
PRICE_RULES_EN = [
    ("LSD 150ug blotters €4/blotter", ["lsd"], "1 unit", "150 ug", "4 EUR", "per-unit"),
    ("100x LSD blotters 150ug - €4/blotter", ["lsd"], "100 unit", "150 ug", "400 EUR", "per-unit"),
    ("Xanax 2mg bars $2.5/ea", ["alprazolam"], "1 unit", "2 mg", "2.5 USD", "per-unit"),
    ("100 Xanax 2mg pills, $3 each", ["alprazolam"], "100 unit", "2 mg", "300 USD", "per-unit"),
    ("MDMA pills 200mg 10$ per pill", ["mdma"], "1 unit", "200 mg", "10 USD", "per-unit"),
    ("Cocaine 5g at $90/g", ["cocaine"], "5 g", None, "450 USD", "per-unit"),
    ("1/8 oz OG Kush weed $45", ["cannabis"], "0.125 oz", None, "45 USD", "street"),
    ("an eighth of white widow weed $40", ["cannabis"], "0.125 oz", None, "40 USD", "street"),
    ("half oz Blue Dream bud $120", ["cannabis"], "0.5 oz", None, "120 USD", "street"),
    ("qp purple haze weed $600", ["cannabis"], "4 oz", None, "600 USD", "street"),
    ("1 zip of kush weed $200", ["cannabis"], "1 oz", None, "200 USD", "street"),
    ("Weed 1g $10 | 3.5g $30 | 7g $55", ["cannabis"], "1 g", None, "10 USD", "tiers"),
    ("Weed $10 for 1g, $30 for 3.5g, $55 for 7g", ["cannabis"], "1 g", None, "10 USD", "tiers"),
    ("Weed 1g/3.5g/7g - $10/$30/$55", ["cannabis"], "1 g", None, "10 USD", "tiers"),
    ("Weed 7g $55 | 3.5g $30 | 1g $10", ["cannabis"], "7 g", None, "55 USD", "tiers"),
    ("UK Cocaine 1g £80 (approx $100)", ["cocaine"], "1 g", None, "80 GBP", "currency"),
    ("Tramadol 100mg x 10 pills $30", ["tramadol"], "10 unit", "100 mg", "30 USD", "count-dose"),
]
PRICE_RULES_EN_NONDRUG = [
    ("Instagram 10K followers $25", None, "25 USD"),
    ("TikTok 5k views - $3", None, "3 USD"),
    ("counterfeit 20 euro notes x50 - price $150", None, "150 USD"),
    ("$100 bills prop money, 10 pcs for $30", None, "30 USD"),
    ("Amazon gift card $100 for $40", None, "40 USD"),
    ("100k leads email list $1.2k", None, "1200 USD"),
    ("Counterfeit 50 EUR notes x20", None, None),
]
PRICE_RULES_RU = [
    ("Соль по 1500 за грамм", ["alpha-pvp"], "1 g", None, "1500 RUB", "per-unit"),
    ("Меф 5г по 1500 за грамм", ["mephedrone"], "5 g", None, "7500 RUB", "per-unit"),
    ("Экстази 10 шт по 1500 за шт", ["mdma"], "10 unit", None, "15000 RUB", "per-unit"),
    ("Шишки 1г — 15к", ["cannabis"], "1 g", None, "15000 RUB", "shorthand"),
    ("Гашиш пол грамма 1500р", ["cannabis"], "0.5 g", None, "1500 RUB", "street"),
    ("Амф 1гр 12 тыс руб", ["amphetamine"], "1 g", None, "12000 RUB", "shorthand"),
    ("Экстази 2 шт 3000 ₽", ["mdma"], "2 unit", None, "3000 RUB", "count"),
    ("ЛСД 10 марок 12 000 р.", ["lsd"], "10 unit", None, "12000 RUB", "count"),
    ("Шишки 1г 12к₸", ["cannabis"], "1 g", None, "12000 KZT", "kzt"),
    ("Меф 1 кг 300 тыс руб", ["mephedrone"], "1000 g", None, "300000 RUB", "shorthand"),
    ("Меф 1г — 2500р, 2г — 4500р, 5г — 10000р", ["mephedrone"], "1 g", None, "2500 RUB", "tiers"),
    ("Меф 5г — 10000р, 2г — 4500р, 1г — 2500р", ["mephedrone"], "5 g", None, "10000 RUB", "tiers"),
]
PRICE_RULES_RU_NONDRUG = [
    ("10к подписчиков инстаграм 500 руб", None, "500 RUB"),
    ("Фальшивые купюры 5000 ₽ x 10 шт — цена 15000 руб", None, "15000 RUB"),
    ("Купюры номиналом 1000 ₽, 20 штук", None, None),
]
for t, s, qq, d, pr, tag in PRICE_RULES_EN:
    add("en", t, s, qq, d, pr, f"prices {tag}")
for t, qq, pr in PRICE_RULES_EN_NONDRUG:
    add("en", t, [], qq, None, pr, "prices non-drug", True)
for t, s, qq, d, pr, tag in PRICE_RULES_RU:
    add("ru", t, s, qq, d, pr, f"prices {tag}")
for t, qq, pr in PRICE_RULES_RU_NONDRUG:
    add("ru", t, [], qq, None, pr, "prices non-drug", True)

out = sys.argv[1]
with open(out, "w", encoding="utf-8") as fh:
    for r in rows:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(rows), collections.Counter(r["lang"] for r in rows), sum(r["non_drug"] for r in rows))
