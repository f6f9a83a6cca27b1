"""Dutch word lists shared by every stage: number words, fractions, months, hedges, units, trends, comparisons.

Pure data, no algorithms (like spaCy's ``lang/nl/``): the number grammar, retrieval, the fact check and the
check-worthiness test read their words from here. Words that belong to one report (its places, its groups)
live in that report's profile, not here. Tuples keep the order the readers' regular expressions use.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------------------

SMALL_NUMBERS: dict[str, int] = {
    "nul": 0,
    "een": 1,
    "één": 1,
    "eén": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
TENS: dict[str, int] = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
# Scales inside one compound word, largest first.
SCALES: tuple[tuple[str, int], ...] = (
    ("miljard", 10**9),
    ("miljoen", 10**6),
    ("duizend", 1000),
    ("honderd", 100),
)
BIG_NUMBER_WORDS: dict[str, int] = {"miljard": 10**9, "miljoen": 10**6}
SCALE_WORDS: dict[str, int] = {"duizend": 1000, "honderd": 100}
HALVES: dict[str, float] = {"anderhalf": 1.5, "anderhalve": 1.5, "half": 0.5, "halve": 0.5}
# Scale words and abbreviations after a digit numeral ("1,4 mln", "17 duizend").
MULTIPLIERS: dict[str, int] = {
    "miljoen": 10**6,
    "mln": 10**6,
    "miljard": 10**9,
    "mld": 10**9,
    "mrd": 10**9,
    "duizend": 1000,
}
# Number words that double as something else ("acht" = "regards"); only a number when the next word is not
# one of NOT_NUMBER_AFTER ("ik acht het ...").
AMBIGUOUS_NUMBER_WORDS = frozenset({"acht"})
NOT_NUMBER_AFTER = frozenset(
    {"het", "de", "dit", "dat", "deze", "die", "zich", "hij", "zij", "ze", "men", "wij", "we", "u", "niet",
     "een", "hem", "haar"}
)
# Ordinals that name a quarter ("derde kwartaal"); "laatste kwartaal" is the fourth.
QUARTER_ORDINALS: dict[str, int] = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4}
HALF_YEAR_ORDINALS: tuple[str, ...] = ("eerste", "tweede")
# "verdrievoudigd", "vertienvoudigd": the multiples a "-voudig" factor verb is built on.
FOLD_MULTIPLES: tuple[str, ...] = (
    "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "honderd", "duizend",
)
# "tweemaal zo groot": the number words glued to "maal".
TIMES_MULTIPLES: tuple[str, ...] = ("twee", "drie", "vier", "vijf", "tien", "honderd")

# ---------------------------------------------------------------------------------------------------------
# Fractions and shares
# ---------------------------------------------------------------------------------------------------------

# Denominators of fraction words ("twee derde", "een kwart", "een twintigste").
FRACTION_DENOMINATORS: dict[str, int] = {
    "derde": 3,
    "vierde": 4,
    "vijfde": 5,
    "zesde": 6,
    "zevende": 7,
    "achtste": 8,
    "negende": 9,
    "tiende": 10,
    "twintigste": 20,
    "honderdste": 100,
    "kwart": 4,
}
# The denominators that also form one compound word with their numerator ("tweederde", "driekwart").
COMPOUND_DENOMINATORS: tuple[str, ...] = (
    "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende", "tiende", "kwart",
)
COMPOUND_NUMERATORS: tuple[str, ...] = ("twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
# Shares said in words, with whitespace as written ("de overgrote meerderheid").
SHARE_WORDS: tuple[str, ...] = (
    "helft", "overgrote meerderheid", "ruime meerderheid", "kleine meerderheid", "meerderheid", "minderheid",
)

# ---------------------------------------------------------------------------------------------------------
# Months and time words
# ---------------------------------------------------------------------------------------------------------

MONTH_NAMES: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
    "november", "december",
)
MONTHS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Words right before a number written in words that make it a year ("sinds tweeduizend vijftien").
YEAR_CONTEXT_WORDS: tuple[str, ...] = (
    "in", "sinds", "vanaf", "tot", "na", "voor", "begin", "eind", "medio", "jaar", "zomer", "voorjaar", "najaar",
    "winter",
)

# ---------------------------------------------------------------------------------------------------------
# Hedges: how exact a number is meant, as (normal form, bound)
# ---------------------------------------------------------------------------------------------------------

HEDGE_GROUPS: tuple[tuple[tuple[str, ...], tuple[str, str]], ...] = (
    (
        ("ruim", "ruime", "een ruime", "dik", "een dikke", "ruimschoots", "goed", "een goede"),
        ("ruim", "lower"),
    ),
    (
        (
            "meer dan",
            "ruim meer dan",
            "ruim boven",
            "ruim boven de",
            "boven de",
            "boven",
            "net boven",
            "net boven de",
            "hoger dan",
            "groter dan",
        ),
        ("meer dan", "lower"),
    ),
    (
        ("ten minste", "tenminste", "minimaal", "minstens", "niet minder dan", "op zijn minst"),
        ("ten minste", "lower"),
    ),
    (
        (
            "bijna",
            "krap",
            "een kleine",
            "nagenoeg",
            "vrijwel",
            "tegen de",
            "net onder",
            "net onder de",
            "nog geen",
        ),
        ("bijna", "upper"),
    ),
    (
        (
            "minder dan",
            "onder de",
            "ruim onder",
            "ruim onder de",
            "lager dan",
            "kleiner dan",
            "nog minder dan",
        ),
        ("minder dan", "upper"),
    ),
    (
        ("maximaal", "hooguit", "ten hoogste", "niet meer dan", "hoogstens", "tot maximaal"),
        ("maximaal", "upper"),
    ),
    (
        (
            "circa",
            "ca.",
            "ca",
            "ongeveer",
            "zo'n",
            "zo’n",
            "zo‘n",
            "rond",
            "rond de",
            "rondom",
            "rondom de",
            "pakweg",
            "grofweg",
            "ruwweg",
            "naar schatting",
            "omstreeks",
            "bij benadering",
            "plusminus",
            "±",
            "~",
            "om en nabij",
            "om en nabij de",
            "zowat",
            "een stuk of",
            "globaal",
        ),
        ("circa", "approx"),
    ),
    (("precies", "exact", "welgeteld"), ("precies", "exact")),
)
# Every hedge phrase -> (normal form, bound).
HEDGES: dict[str, tuple[str, str]] = {word: norm for words, norm in HEDGE_GROUPS for word in words}

# ---------------------------------------------------------------------------------------------------------
# Units and the nouns counted
# ---------------------------------------------------------------------------------------------------------

# Nouns after a count that make it a number of people ("2.525 personen").
PERSON_NOUNS = frozenset(
    {
        "personen", "persoon", "mensen", "inwoners", "inwoner", "ingezetenen", "migranten", "migrant",
        "statushouders", "statushouder", "asielzoekers", "asielzoeker", "vergunninghouders", "inburgeraars",
        "inburgeraar", "bewoners", "bewoner", "leerlingen", "kinderen", "jongeren", "volwassenen",
        "werknemers", "medewerkers", "kenniswerkers", "ontheemden", "oekraïners", "vluchtelingen", "amv'ers",
        "amv’ers", "deelnemers", "cliënten", "clienten", "nieuwkomers", "nareizigers", "studenten",
        "werkenden", "werklozen", "vrouwen", "mannen", "ouderen", "gezinsleden", "uitkeringsgerechtigden",
        "bijstandsgerechtigden",
    }
)
PERSON_SUFFIXES: tuple[str, ...] = (
    "migranten", "houders", "zoekers", "werkers", "gerechtigden", "ontheemden", "raars",
)
# Nouns that make a four-digit number a count rather than a year ("2024 woningen").
COUNT_NOUNS_AFTER_YEAR = frozenset(
    {"plekken", "plaatsen", "woningen", "huurwoningen", "aanvragen", "meldingen", "euro"}
)
# Words after a number that are never the noun it counts.
NOT_COUNTED_NOUNS = frozenset(
    {
        "en", "of", "tot", "de", "het", "een", "in", "op", "van", "naar", "voor", "met", "per", "is", "was",
        "zijn", "waren", "te", "dat", "die", "als", "bij", "uit", "aan", "om", "door", "over", "zo", "ook",
        "nog", "wel", "niet", "meer", "minder", "dan", "tussen", "respectievelijk", "keer", "maal", "wordt",
        "worden", "heeft", "hebben", "had", "er", "wat", "waarvan", "waarin", "daarvan", "hiervan", "totaal",
        "à",
    }
)
# Words before a number that make it a label, not a quantity ("Tabel 4", "artikel 28", "nr. 3").
LABEL_WORDS: tuple[str, ...] = (
    "artikel", "art.", "paragraaf", "par.", "§", "tabel", "grafiek", "figuur", "fig.", "hoofdstuk", "deel",
    "bijlage", "nummer", "nr.", "nr", "no.", "p.", "pp.", "pag.", "pagina", "blz.", "sectie", "lid", "stap",
    "onderzoeksvraag", "deelvraag", "vraag", "fase", "module", "taakveld", "beleidsdoel", "motie",
    "amendement", "kamerstuk", "stcrt.", "stcrt", "versie", "niveau", "top", "huisnummer", "kvk", "rubriek",
    "agendapunt", "bladzijde", "regel", "punt", "thema", "stroom",
)

# ---------------------------------------------------------------------------------------------------------
# Trends: went up, went down (whitespace as written: "neemt toe")
# ---------------------------------------------------------------------------------------------------------

RISE_VERBS: tuple[str, ...] = (
    "gestegen", "stijgt", "steeg", "stegen", "toegenomen", "neemt toe", "nam toe", "namen toe", "gegroeid",
    "groeit", "groeide", "verhoogd", "verhoogt", "verhoogde", "opgelopen", "loopt op", "liep op", "vermeerderd",
)
FALL_VERBS: tuple[str, ...] = (
    "gedaald", "daalt", "daalde", "daalden", "afgenomen", "neemt af", "nam af", "namen af", "verminderd",
    "vermindert", "verminderde", "verlaagd", "verlaagt", "verlaagde", "gezakt", "gekrompen", "krimpt", "kromp",
    "teruggelopen", "teruggebracht",
)
CHANGE_NOUNS: tuple[str, ...] = (
    "stijging", "daling", "toename", "afname", "groei", "krimp", "vermindering", "verhoging", "verlaging",
    "afwijking",
)
FALL_NOUNS: tuple[str, ...] = ("daling", "afname", "krimp", "vermindering", "verlaging")
# Cues that a claim says a number went up or down (substrings of the lowercase claim).
CLAIM_UP_CUES: tuple[str, ...] = (
    "gestegen", "stijgt", "stijging", "toegenomen", "toename", "neemt toe", "groei", "gegroeid", "groeit",
    "verdubbeld", "verdrievoudigd", "hoger", "meer dan", "toe.",
)
CLAIM_DOWN_CUES: tuple[str, ...] = (
    "gedaald", "daalt", "daling", "afgenomen", "afname", "neemt af", "gekrompen", "krimp", "gehalveerd",
    "lager", "minder dan", "verminderd",
)

# ---------------------------------------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------------------------------------

SUPERLATIVES: dict[str, str] = {
    "grootste": "max", "meeste": "max", "hoogste": "max", "kleinste": "min", "minste": "min", "laagste": "min",
    "meest": "max", "minst": "min", "vaakst": "max",
}
# Words before a superlative that rank it below the top: "vervolgens het vaakst", "het op één na grootste".
NEXT_RANK_CUES: tuple[str, ...] = ("vervolgens", "daarna", "op een na", "op één na", "tweede")

# ---------------------------------------------------------------------------------------------------------
# Cue words of two quick tests
# ---------------------------------------------------------------------------------------------------------

# Number words that give a sentence "a number" when retrieval scores it for a "hoeveel" question.
NUMBER_CUE_WORDS: tuple[str, ...] = (
    "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf", "dertien",
    "veertien", "vijftien", "twintig", "dertig", "veertig", "vijftig", "honderd", "duizend",
)
# Words that make a sentence of a speech worth checking: amounts (numbers, fractions, factors) ...
CHECKWORTHY_AMOUNT_WORDS: tuple[str, ...] = (
    "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf", "twintig",
    "dertig", "veertig", "vijftig", "honderd", "duizend", "miljoen", "helft", "derde", "kwart", "vijfde",
    "tweederde", "driekwart", "verdubbeld", "gehalveerd",
)
# ... and comparisons, changes, negations and attributions to the report.
CHECKWORTHY_CUE_WORDS: tuple[str, ...] = (
    "meer", "minder", "hoger", "lager", "grootste", "kleinste", "meeste", "minste", "gestegen", "gedaald",
    "toegenomen", "afgenomen", "geen", "nooit", "rapport", "rekenkamer", "volgens",
)
