"""US payers and the names people and documents use for them.

One maintained table: a canonical name, the other names it goes by ("Blue Cross and Blue Shield of Louisiana",
"BCBSLA", "Blue Cross Louisiana", "Louisiana Blue" are one payer), and its family ("Blue Cross Blue Shield",
"Medicare", "Medicaid"), so that "does BCBS cover ...?" reaches every Blue plan and "Medicare" reaches both CMS
and its contractors' documents. Add a payer by adding a line to PAYERS (and, for a Blue plan or a Medicaid
program, to the helpers below it).
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache

BLUE = "Blue Cross Blue Shield"
CENTENE = "Centene"


@dataclass(frozen=True)
class Payer:
    name: str
    aliases: tuple[str, ...] = ()
    family: str = ""  # Blue Cross Blue Shield | Medicare | Medicaid | Centene | "" (its own)
    publisher_only: bool = False  # a contractor that writes documents for a payer (a Medicare MAC)


PAYERS: list[Payer] = [
    Payer("Aetna", ("Aetna Inc", "Aetna Better Health", "Aetna Medicare", "CVS Health/Aetna")),
    Payer(
        "UnitedHealthcare",
        (
            "United Healthcare",
            "United HealthCare",
            "UHC",
            "UnitedHealthcare Community Plan",
            "UnitedHealthcare Medicare Advantage",
            "UnitedHealth Group",
            "Optum",
        ),
    ),
    Payer(
        "Anthem",
        (
            "Anthem Blue Cross",
            "Anthem Blue Cross and Blue Shield",
            "Anthem BCBS",
            "Anthem Inc",
            "Elevance Health",
            "Elevance",
            "Empire BlueCross BlueShield",
            "Amerigroup",
            "Wellpoint",
            "Simply Healthcare",
        ),
        BLUE,
    ),
    Payer("Cigna", ("Cigna Healthcare", "Cigna Health", "CIGNA", "Cigna Companies", "Evernorth")),
    Payer("Humana", ("Humana Inc", "Humana Healthy Horizons", "CarePlus")),
    Payer(
        "Highmark",
        ("Highmark Inc", "Highmark Blue Cross Blue Shield", "Highmark BCBS", "Highmark Health", "Highmark Blue Shield"),
        BLUE,
    ),
    Payer("Kaiser Permanente", ("Kaiser", "Kaiser Foundation Health Plan", "KP")),
    Payer("Molina Healthcare", ("Molina", "Molina Healthcare Inc")),
    # Centene's plans are billed, and publish their policies, under their own names; "Centene" names them all.
    Payer("Centene", ("Centene Corporation",)),
    Payer("Ambetter", ("Ambetter Health",), CENTENE),
    Payer("WellCare", ("Wellcare", "WellCare Health Plans"), CENTENE),
    Payer("Health Net", ("HealthNet", "Health Net of California"), CENTENE),
    Payer("Superior HealthPlan", (), CENTENE),
    Payer("Sunshine Health", (), CENTENE),
    Payer("Peach State Health Plan", (), CENTENE),
    Payer("CareSource", ()),
    # Benefit managers whose clinical guidelines the plans they serve adopt (Carelon for Elevance plans and
    # others, eviCore for Cigna and others): their own name is what a guideline and a clerk give.
    Payer("Carelon Medical Benefits Management", ("Carelon", "AIM Specialty Health", "Carelon Medical Benefits")),
    Payer("eviCore healthcare", ("eviCore", "EviCore")),
    Payer("AmeriHealth Caritas", ("AmeriHealth",)),
    Payer("Oscar Health", ("Oscar",)),
    Payer("EmblemHealth", ("Emblem Health", "HIP Health Plan", "Emblem")),
    Payer("Priority Health", ()),
    Payer("Geisinger Health Plan", ("Geisinger",)),
    Payer(
        "Harvard Pilgrim Health Care",
        ("Harvard Pilgrim", "HPHC", "Point32Health", "Tufts Health Plan", "Tufts Health", "Tufts"),
    ),
    Payer("Medica", ()),
    Payer("HealthPartners", ()),
    Payer("UPMC Health Plan", ("UPMC",)),
    Payer("SelectHealth", ("Select Health",)),
    Payer("PacificSource", ("PacificSource Health Plans",)),
    Payer("Moda Health", ("Moda",)),
    Payer("Providence Health Plan", ("Providence", "Providence Health Assurance", "Providence Plan Partners")),
    # "MVP" alone is mitral valve prolapse as often as the plan: read as the plan only in a question (_SAID_ONLY).
    Payer("MVP Health Care", ("MVP Health Plan",)),
    Payer("Fidelis Care", ()),
    Payer("TRICARE", ("Tricare",)),
    # Regional plans, by their own names and former ones (Sentara Health Plans was Optima Health). An alias a clerk
    # could type, or a document print, as words ("scan", "meridian", "independent health care") is left out: a
    # question typed in lower case matches any alias, and a document's words match one spelled out.
    Payer("Sentara Health Plans", ("Sentara Health Plan", "Sentara", "Optima Health", "Optima Health Plan", "Optima")),
    Payer("Medical Mutual of Ohio", ("Medical Mutual", "MedMutual", "MedMutual Advantage")),
    Payer("Independent Health Association", ("Independent Health",)),
    Payer("Capital District Physicians' Health Plan", ("CDPHP", "Capital District Physicians Health Plan")),
    Payer("Fallon Health", ("Fallon Community Health Plan",)),
    Payer("Health New England", ("HNE",)),
    # Philadelphia's Medicaid, CHIP and Medicare plans (renamed Jefferson Health Plans); not Minnesota's HealthPartners
    Payer("Health Partners Plans", ("Jefferson Health Plans", "KidzPartners")),
    Payer("Affinity Health Plan", ("Affinity Health", "Affinity by Molina Healthcare")),
    Payer("WellSense Health Plan", ("WellSense", "BMC HealthNet Plan")),
    Payer("Mass General Brigham Health Plan", ("AllWays Health Partners", "MGB Health Plan")),
    Payer("ConnectiCare", ()),
    # (not "HAP" alone: hospital-acquired pneumonia)
    Payer("Health Alliance Plan", ("Henry Ford Health Plan", "HAP CareSource")),
    Payer("Paramount Health Care", ("Paramount Insurance", "Paramount")),
    Payer("SummaCare", ()),
    Payer("AultCare", ()),
    Payer("Quartz Health Solutions", ("Quartz Health",)),
    Payer("Dean Health Plan", ()),
    Payer("Security Health Plan", ("Security Health Plan of Wisconsin",)),
    Payer("UCare", ()),
    Payer("PreferredOne", ()),
    Payer("Sanford Health Plan", ()),
    Payer("Avera Health Plans", ("Avera Health Plan",)),
    # the plan names its own lines "Presbyterian Turquoise Care", "Presbyterian Medicare Advantage"
    Payer("Presbyterian Health Plan", ("Presbyterian Health Plan, Inc.", "Presbyterian")),
    Payer(
        "Baylor Scott & White Health Plan",
        ("Baylor Scott and White Health Plan", "Scott & White Health Plan", "BSWHP", "BSW Health Plan"),
    ),
    Payer("Community Health Choice", ()),
    # Medicaid and CHIP managed-care plans of their states, by their own names (not those named in common words:
    # "coordinated care", "mercy care")
    Payer("Texas Children's Health Plan", ("Texas Childrens Health Plan", "TCHP")),
    Payer("Cook Children's Health Plan", ("Cook Childrens Health Plan",)),
    Payer("Driscoll Health Plan", ()),
    Payer("Parkland Community Health Plan", ()),
    Payer("El Paso Health", ()),
    Payer("Community First Health Plans", ()),
    Payer("MetroPlus Health", ("MetroPlus Health Plan", "MetroPlusHealth")),
    Payer("Healthfirst", ()),
    Payer("VNS Health", ("VNS Health Plans",)),
    Payer("Highmark Wholecare", ("Gateway Health", "Gateway Health Plan")),
    Payer("CountyCare", ("CountyCare Health Plan",)),
    Payer("Passport Health Plan", ("Passport by Molina Healthcare",)),
    Payer("Buckeye Health Plan", (), CENTENE),
    Payer("Home State Health", (), CENTENE),
    Payer("Louisiana Healthcare Connections", (), CENTENE),
    Payer("PA Health & Wellness", ("PA Health and Wellness",), CENTENE),
    Payer("Arizona Complete Health", (), CENTENE),
    Payer("Nebraska Total Care", (), CENTENE),
    Payer("Absolute Total Care", (), CENTENE),
    Payer("Western Sky Community Care", (), CENTENE),
    Payer("Trillium Community Health Plan", ("Trillium Health Plan",), CENTENE),
    # Oregon's coordinated care organizations and Washington's community plan (Oregon Health Plan members)
    Payer("CareOregon", ("CareOregon Advantage",)),
    Payer("Jackson Care Connect", ()),
    Payer("Columbia Pacific CCO", ("Columbia Pacific Coordinated Care Organization",)),
    Payer("Health Share of Oregon", ()),
    Payer("AllCare Health", ("AllCare CCO",)),
    Payer("InterCommunity Health Network", ("IHN-CCO",)),
    Payer("Yamhill Community Care", ()),
    Payer("Community Health Plan of Washington", ("CHPW",)),
    # Regional plans
    Payer("Prominence Health Plan", ("Prominence Health",)),
    Payer("Hometown Health", ()),
    Payer("HealthTeam Advantage", ()),
    Payer("Univera Healthcare", ("Univera",)),
    Payer("Cox HealthPlans", ("Cox Health Plans",)),
    Payer("Health Plan of Nevada", ("Sierra Health and Life",)),
    Payer("AvMed", ()),
    Payer("Martin's Point Health Care", ("Martin's Point", "Martins Point")),
    Payer("Neighborhood Health Plan of Rhode Island", ("NHPRI",)),
    # (its Medicaid, Medicare Advantage and employer plans go by their own names)
    # (its product lines, Priority Partners for Medicaid and Advantage MD for Medicare, have rules of their own:
    # named, they are the product, read from the policy's product table, not the plan's commercial criteria)
    Payer("Johns Hopkins HealthCare", ("Johns Hopkins Health Plans", "JHHC")),
    Payer("L.A. Care Health Plan", ("L.A. Care", "LA Care")),
    Payer("Inland Empire Health Plan", ("IEHP",)),
    Payer("CalOptima Health", ("CalOptima",)),
    Payer("Sharp Health Plan", ()),
    Payer("SCAN Health Plan", ()),
    Payer("Alignment Health Plan", ("Alignment Health",)),
    Payer("Clover Health", ()),
    Payer("Devoted Health", ()),
    Payer("Meridian Health Plan", (), CENTENE),
    Payer("Magellan Healthcare", ("Magellan Health", "Magellan")),
    Payer("Evolent", ("Evolent Health", "National Imaging Associates")),
    Payer("Cohere Health", ()),
    Payer("Triple-S Salud", ("Triple-S", "Triple S"), BLUE),
    Payer("Hawaii Medical Service Association", ("HMSA",), BLUE),
    Payer("Health Care Service Corporation", ("HCSC",), BLUE),
    Payer("Wellmark", ("Wellmark Blue Cross and Blue Shield", "Wellmark BCBS"), BLUE),
    Payer("Premera Blue Cross", ("Premera",), BLUE),
    Payer("Regence", ("Regence BlueShield", "Regence BlueCross BlueShield", "Regence Blue Cross Blue Shield"), BLUE),
    # (the one Blue plan of its state goes by the state's short names too: "fl blue", "bcbs nj")
    Payer(
        "Florida Blue",
        ("Blue Cross and Blue Shield of Florida", "BCBS Florida", "BCBSFL", "BCBS FL", "FL Blue", "Blue Cross Florida"),
        BLUE,
    ),
    Payer("Blue Shield of California", ("Blue Shield CA",), BLUE),
    Payer("Independence Blue Cross", ("IBX", "Independence BC"), BLUE),
    Payer(
        "Horizon Blue Cross Blue Shield of New Jersey",
        ("Horizon BCBSNJ", "Horizon BCBS", "Horizon Blue Cross", "Horizon NJ", "Horizon", "BCBSNJ", "BCBS NJ"),
        BLUE,
    ),
    Payer("CareFirst BlueCross BlueShield", ("CareFirst", "CareFirst BCBS"), BLUE),
    Payer("Excellus BlueCross BlueShield", ("Excellus", "Excellus BCBS"), BLUE),
    Payer("Capital Blue Cross", ("Capital BlueCross", "Capital BC"), BLUE),
    Payer("Arkansas Blue Cross and Blue Shield", ("Arkansas Blue Cross", "ABCBS"), BLUE),
    # Staff shorten "Blue Cross" to "BC" and write the plan as its web address does ("bcidaho").
    Payer("Blue Cross of Idaho", ("Blue Cross Idaho", "BC of Idaho", "BC Idaho", "BCIdaho"), BLUE),
    Payer(
        "Blue Cross Blue Shield",
        (
            "Blue Cross and Blue Shield",
            "BlueCross BlueShield",
            "BCBS",
            "Blue Cross",
            "Blue Shield",
            "Blue Cross and Blue Shield Association",
            "BCBSA",
            "Blue Cross Blue Shield Association",
        ),
        BLUE,
    ),
    Payer(
        "Medicare",
        (
            "Centers for Medicare & Medicaid Services",
            "Centers for Medicare and Medicaid Services",
            "CMS",
            "Medicare Part B",
            "Medicare Part A",
            "Original Medicare",
            "traditional Medicare",
        ),
        "Medicare",
    ),
    Payer("Novitas Solutions", ("Novitas",), "Medicare", True),
    Payer("First Coast Service Options", ("First Coast",), "Medicare", True),
    Payer("Palmetto GBA", ("Palmetto",), "Medicare", True),
    Payer("Noridian Healthcare Solutions", ("Noridian",), "Medicare", True),
    Payer("National Government Services", ("NGS", "National Government Services, Inc."), "Medicare", True),
    Payer(
        "Wisconsin Physicians Service",
        ("WPS Government Health Administrators", "WPS", "WPS Medicare"),
        "Medicare",
        True,
    ),
    Payer("CGS Administrators", ("CGS",), "Medicare", True),
    Payer("Medicaid", ("state Medicaid",), "Medicaid"),
]

STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
}
# Blue plans named for their state ("Blue Cross and Blue Shield of Alabama", "BCBSAL", "Blue Cross Alabama").
BLUE_STATES = (
    "AL",
    "AZ",
    "IL",
    "KS",
    "LA",
    "MA",
    "MI",
    "MN",
    "MS",
    "MT",
    "NE",
    "NM",
    "NC",
    "ND",
    "OK",
    "RI",
    "SC",
    "TN",
    "TX",
    "VT",
    "WY",
)
# State Medicaid programs that go by their own name.
MEDICAID_PROGRAMS = {
    "CA": ("Medi-Cal", "California Department of Health Care Services"),
    "MA": ("MassHealth",),
    "MI": ("Healthy Michigan Plan",),
    "TN": ("TennCare",),
    "WA": ("Apple Health", "Washington State Health Care Authority", "Washington Health Care Authority", "WA HCA"),
    "OK": ("SoonerCare",),
    "WI": ("BadgerCare", "BadgerCare Plus", "ForwardHealth"),
    "VA": ("Cardinal Care", "Virginia DMAS"),
    "NY": ("eMedNY", "NY State Medicaid"),
    "IN": ("Indiana Health Coverage Programs", "IHCP"),
    "CO": ("Health First Colorado",),
    "NM": ("Centennial Care", "Turquoise Care"),
    "HI": ("Med-QUEST",),
    "IA": ("Iowa Medicaid Enterprise",),
    "GA": ("Georgia Families",),
    "AZ": ("AHCCCS",),
    "MO": ("MO HealthNet",),
    "KS": ("KanCare",),
    "NJ": ("NJ FamilyCare",),
    "LA": ("Healthy Louisiana",),
    "CT": ("HUSKY Health",),
    "ME": ("MaineCare",),
    "TX": ("TMHP", "Texas Medicaid & Healthcare Partnership"),
    "OR": ("Oregon Health Plan", "Oregon Health Authority", "Health Evidence Review Commission"),
    "RI": ("RIte Care",),
}
# Names a Blue plan goes by beyond its state's: Michigan's plan writes itself "BCBSM", and its HMO, Blue Care
# Network (BCN), publishes the same joint policies; North Carolina's brands itself "Blue Cross NC"; Tennessee's
# plan is "BCBST" to the people who bill it.
BLUE_OWN_NAMES = {
    "AZ": ("AZ Blue",),  # the Arizona plan's brand since 2023
    "MI": ("BCBSM", "Blue Care Network", "BCN"),
    "NC": ("Blue Cross NC",),
    "TN": ("BCBST",),
}
for _code in BLUE_STATES:
    _state = STATES[_code]
    PAYERS.append(
        Payer(
            f"Blue Cross and Blue Shield of {_state}",
            (
                f"Blue Cross Blue Shield of {_state}",
                f"BlueCross BlueShield of {_state}",
                f"BCBS of {_state}",
                f"BCBS {_state}",
                f"BCBS{_code}",
                f"Blue Cross {_state}",
                f"{_state} Blue Cross",
                f"{_state} Blue",
                f"BCBS {_code}",
                f"Blue Cross of {_state}",
                f"BC {_state}",  # staff shorten "Blue Cross" to "BC" ("bc michigan")
                *BLUE_OWN_NAMES.get(_code, ()),
            ),
            BLUE,
        )
    )
PAYERS.append(
    Payer(
        "Blue Cross and Blue Shield of Kansas City",
        (
            "Blue Cross Blue Shield of Kansas City",
            "BlueCross BlueShield of Kansas City",
            "Blue KC",
            "BlueKC",
            "BCBSKC",
            "BCBS of Kansas City",
            "BCBS Kansas City",
            "Blue Cross Kansas City",
        ),
        BLUE,
    )
)
for _code, _state in STATES.items():
    PAYERS.append(
        Payer(
            f"{_state} Medicaid",
            (
                f"{_code} Medicaid",
                f"Medicaid of {_state}",
                f"{_state} Medicaid Program",
                f"{_state} Medical Assistance",
                f"{_state} Department of Medicaid",  # the agency that publishes the program's manuals
                *MEDICAID_PROGRAMS.get(_code, ()),
            ),
            "Medicaid",
        )
    )


def _by_name() -> dict[str, Payer]:
    return {p.name: p for p in PAYERS}


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern[str], dict[str, tuple[str, str]], frozenset[str], frozenset[str]]:
    """One pattern for every name, longest first, so "Anthem Blue Cross and Blue Shield" is Anthem, not BCBS.
    Also: each folded alias -> (payer, the alias as spelled in the table); the short names read only in a
    question staff type; and the names written here with a state's code that no table entry spells so."""
    names: dict[str, tuple[str, str]] = {}
    for payer in PAYERS:
        for alias in (payer.name, *payer.aliases):
            names.setdefault(_folded(alias), (payer.name, alias))
    coded = set()
    for payer in PAYERS:
        for alias in (payer.name, *payer.aliases):
            # "Blue Cross & Blue Shield of RI", "Neighborhood Health Plan of RI": a name that ends in its state's
            # name is written with the state's code too.
            for variant in _with_state_code(alias):
                if _folded(variant) not in names:
                    names[_folded(variant)] = (payer.name, variant)
                    coded.add(_folded(variant))
    said_short = set()
    for payer in PAYERS:
        for alias in (payer.name, *payer.aliases):
            # "Security Health" for Security Health Plan: a plan is named without its last word, as staff say it
            # (where no other payer goes by that name); only in a question: in a document "X Health" is as often
            # a hospital system ("Hackensack Meridian Health").
            short = re.sub(r"(?<=\S) Health Plans?$", " Health", alias)
            if short != alias and _folded(short) not in names:
                names[_folded(short)] = (payer.name, short)
                said_short.add(_folded(short))
    for name, said in _SAID_ONLY.items():
        names.setdefault(_folded(said), (name, said))
        said_short.add(_folded(said))
    ordered = sorted(names, key=len, reverse=True)
    pattern = r"(?<![\w&-])(?:" + "|".join(_spelled_any_way(a) for a in ordered) + r")(?![\w-])"
    return re.compile(pattern, re.IGNORECASE), names, frozenset(said_short), frozenset(coded)


def _with_state_code(alias: str) -> list[str]:
    """ "... of Rhode Island" -> "... of RI". (Not "Blue Cross RI": after a bare name a code in capitals is as
    often a billing word: "Blue Cross MA", Medicare Advantage; "Blue Cross ID card".)"""
    return [f"{alias[: -len(state)]}{code}" for code, state in STATES.items() if alias.endswith(f" of {state}")]


def _spelled_any_way(alias: str) -> str:
    """A name as a pattern that reads "and" and "&" alike, and either apostrophe: plans print their own name both
    ways ("Blue Cross & Blue Shield of Rhode Island", "Capital District Physicians’ Health Plan")."""
    words = (r"(?:and|&)" if w.casefold() in _AND else re.escape(w).replace("'", "['’]") for w in alias.split())
    return r"\s+".join(words)


def _folded(name: str) -> str:
    """A name as the table keys it: "&" as "and", a typeset apostrophe ("Physicians’") as typed."""
    return " ".join("and" if w in _AND else w for w in name.replace("’", "'").casefold().split())


_AND = {"and", "&"}


# Short names staff type for a plan that are as often something else ("HPP", hypophosphatasia; "Neighborhood", a
# word): read as the plan only in a question asked of an index that holds the plan's documents, where it is said
# as a plan is (Retriever.payer_called).
HELD_ONLY = {
    "HPP": "Health Partners Plans",
    "Neighborhood": "Neighborhood Health Plan of Rhode Island",
    "MGB": "Mass General Brigham Health Plan",  # (and a mini gastric bypass)
}
# Names staff type for a plan that a document's text uses for something else ("MVP", mitral valve prolapse): read
# only in a question. (Not "HPN" or "Sanford": in a question too they are as often home parenteral nutrition or
# the health system's clinics.)
_SAID_ONLY = {"MVP Health Care": "MVP", "Affinity Health Plan": "Affinity"}  # (a drug's binding affinity)
# Payers staff name by words of English ("horizon", "independent health"): in a document the words count only as
# printed, capitalised ("an independent health technology assessment" names no plan).
_WORD_NAMES = {"Horizon", "Emblem", "Paramount", "Independent Health"}


def _abbreviation(alias: str) -> bool:
    return (alias.isupper() and len(alias) <= 7 and " " not in alias) or alias in _WORD_NAMES


def mentions(text: str, typed: bool = False) -> list[tuple[str, int, int]]:
    """(payer, start, end) of every payer name in a text, in order. In a document an abbreviation ("CMS",
    "UHC", "BCBSAL") counts only in capitals; in a question typed by staff (`typed`) any case does ("uhc")."""
    pattern, names, said_short, coded = _matcher()
    found = []
    for m in pattern.finditer(text):
        alias = m.group(0)
        folded = _folded(alias)
        name, spelled = names[folded]
        if not typed and ((_abbreviation(spelled) and alias != spelled) or folded in said_short):
            continue
        if folded in coded and _is_word(spelled[-2:]) and alias[-2:] != spelled[-2:]:
            # "... of in", "... of or": a state's code that is also a word, in small letters, is the word.
            found += [(n, m.start() + a, m.start() + b) for n, a, b in mentions(alias[:-2].rstrip(), typed)]
            continue
        if _STATE_PROGRAM.fullmatch(spelled) and not alias[:2].isupper() and _is_word(alias[:2]):
            # "or medicaid", "in medicaid": a state's code that is also a word only in capitals ("OR Medicaid",
            # not "nc medicaid"); in lower case the word before is a word, and Medicaid is named alone.
            found.append(("Medicaid", m.end() - len("medicaid"), m.end()))
            continue
        found.append((name, m.start(), m.end()))
    return found


def payers_named(text: str, typed: bool = False) -> list[str]:
    """The payers a text names, canonical, in order of first mention."""
    return list(dict.fromkeys(name for name, _, _ in mentions(text, typed)))


def asked_payers(text: str) -> list[str]:
    """The payers a question asks about. A family name in the same phrase as a payer's own, after it ("uhc
    medicare advantage", "humana medicaid", "selecthealth community care (medicaid)"), names that payer's
    program, not a second payer to compare."""
    found = mentions(text, typed=True)
    # A program named first sets the line of business the plans named after it are asked of: "medicaid PA check:
    # dean ... and a hap caresource medicaid pt" asks no third payer. Named after a plan's ("humana medicare
    # advantage and original medicare"), it is one more payer to compare.
    of_plans = [k for k in range(len(found)) if _program_of_plan(text, found, k)]
    kept = [
        name
        for k, (name, _, _) in enumerate(found)
        if k not in of_plans and not any(j > k and found[j][0] == name for j in of_plans)
    ]
    return narrowest(list(dict.fromkeys(kept)))


def programs(text: str) -> list[str]:
    """The lines of business of a payer a question names ("selecthealth medicaid", "a commercial pt"):
    Medicare, Medicaid or commercial. A policy may state a position for each. A family named as a payer of its
    own ("does medicare cover it") is a payer, not a program."""
    found = mentions(text, typed=True)
    named = [_program(name) or name for k, (name, _, _) in enumerate(found) if _program_of_plan(text, found, k)]
    # A plan's own name for its product line ("Aetna Medicare", "UnitedHealthcare Community Plan (Medicaid)").
    named += [
        p
        for name, start, end in found
        if not _program(name) and name not in _GENERIC
        for p in PROGRAMS
        if p.lower() in text[start:end].lower()
    ]
    return _with_commercial(named, text)


def programs_named(text: str) -> list[str]:
    """The lines of business a document's text names ("SelectHealth Medicare (HMO)", "commercial plans")."""
    return _with_commercial(public_programs_named(text), text)


def public_programs_named(text: str, besides: Set[str | None] = frozenset()) -> list[str]:
    """The public programs (Medicare, Medicaid) a heading names, leaving out the payers in `besides`: a Medicaid
    plan's own name in its policy's masthead ("AmeriHealth Caritas") scopes nothing within the policy."""
    return list(dict.fromkeys(p for name, _, _ in mentions(text) if name not in besides and (p := _program(name))))


def _with_commercial(named: list[str], text: str) -> list[str]:
    return list(dict.fromkeys([*named, *(["commercial"] if COMMERCIAL.search(text) else [])]))


PROGRAMS = ("Medicare", "Medicaid")
_STATE_PROGRAM = re.compile(r"[A-Z]{2} Medicaid")


def _is_word(code: str) -> bool:
    """Is a state's two-letter code also an English function word ("or", "in": bm25s's stop list)?"""
    from bm25s.stopwords import STOPWORDS_EN

    return code.lower() in STOPWORDS_EN


def program_of(name: str | None) -> str | None:
    """The public program a payer's name stands for (Medicare, Medicaid), or None."""
    return _program(name) if name else None


def _program(name: str) -> str | None:
    """The line of business a payer's name stands for: Medicare or Medicaid, by name or by family (a state's
    Medicaid program, "MassHealth"); None for a plan of its own."""
    return name if name in PROGRAMS else family(name) if family(name) in PROGRAMS else None


# The lines of business sold to employers and to people themselves ("UCare Individual & Family Plans", the ACA
# marketplace): commercial, whatever the plan calls them.
COMMERCIAL = re.compile(
    r"\bcommercial\b|\bindividual\s+(?:and|&)\s+family\s+(?:plans?|products?|coverage|members?)\b|\bmarketplace\b", re.I
)
# What parts two names in a question: a list, a comparison, a clause or a sentence ("aetna and medicare",
# "cigna vs medicare", "does uhc cover it? what about medicaid").
_PARTING = re.compile(
    r"[,;/.?!&]|\b(?:and|or|vs|versus|than|but|also|then|not|nor|compared?|like|same|as|differ\w*|from|"
    r"follow\w*|to|with|primary|secondary|tertiary)\b",
    re.I,
)
# Words between a payer's name and its program's ("selecthealth community care (medicaid)"): one phrase names
# one plan; more words than a plan's product name says part them.
PROGRAM_GAP = 3


def _program_of_plan(text: str, found: list[tuple[str, int, int]], k: int) -> bool:
    """Is the k-th name a program of the plan named in the same phrase, after the plan ("humana medicaid") or
    just before it, the member between at most ("healthy michigan plan pt (hap caresource)")? "Medicare primary,
    Cigna secondary" names two payers of one patient."""
    if _program_of_previous(text, found, k):
        return True
    if k + 1 >= len(found):
        return False
    between = text[found[k][2] : found[k + 1][1]]
    return set(re.findall(r"[a-z]+", between.lower())) <= _MEMBER and _program_of_previous(
        text, [found[k + 1], found[k]], 1, before=True
    )


_MEMBER = {"pt", "pts", "patient", "patients", "member", "members", "enrollee"}


def _program_of_previous(text: str, found: list[tuple[str, int, int]], k: int, before: bool = False) -> bool:
    name, start, end = found[k]
    if _program(name) is None or not k or _program(found[k - 1][0]) or found[k - 1][0] in _GENERIC:
        return False
    between = text[end : found[k - 1][1]] if before else text[found[k - 1][2] : start]
    return not _PARTING.search(between) and len(re.findall(r"[A-Za-z]+", between.replace("'s", ""))) <= PROGRAM_GAP


def narrowest(names: list[str]) -> list[str]:
    """The payers meant when a family and one of its members are both named: "a First Coast Medicare patient"
    and "Anthem Blue Cross" name one payer each, not two to compare."""
    members = {family(n) for n in names if n not in _GENERIC}
    return [n for n in names if _GENERIC.get(n) not in members]


def family(name: str) -> str:
    payer = _by_name().get(name)
    return payer.family if payer else ""


def matches(asked: str, document_payer: str | None, publisher: str | None = None) -> bool:
    """Does a payer named in a question match a document's payer? A family name ("BCBS", "Medicaid",
    "Medicare") matches each of its members; a Medicare contractor matches the documents it published."""
    if not document_payer:
        return False
    folded = {n.casefold() for n in (document_payer, publisher) if n}
    if asked.casefold() in folded:
        return True
    named = payers_named(asked, typed=True)
    canonical = named[0] if named else asked
    if canonical.casefold() in folded:
        return True
    generic = _GENERIC.get(canonical)
    return bool(generic) and family(document_payer) == generic


# Names of a family of payers rather than of one payer, and the family each names.
_GENERIC = {"Blue Cross Blue Shield": BLUE, "Medicaid": "Medicaid", "Medicare": "Medicare", CENTENE: CENTENE}


def publisher_of(regions: list[tuple[str, float]]) -> tuple[str | None, str | None]:
    """(payer, publisher) of a document from weighted regions of its text (title and header block, running
    headers and footers, copyright lines, body). The publisher is the name that dominates where a publisher
    names itself; a list of payers in a sentence ("key payers include Aetna, Cigna ...") names none of them.
    Returns (None, None) when no name stands out: a document whose payer cannot be found says so."""
    score: dict[str, float] = {}
    generic = set(_GENERIC)
    for text, weight in regions:
        for line in text.splitlines():
            named = payers_named(line)
            if any(n not in generic for n in named):
                # "UnitedHealthcare Medicare Advantage", "an independent licensee of the Blue Cross Blue Shield
                # Association": the program or the association is context; the payer is the specific name.
                named = [n for n in named if n not in generic]
            if not named:
                continue
            # A line naming many payers is about them, not by one of them.
            share = weight / len(named) ** 2
            for name in named:
                score[name] = score.get(name, 0.0) + share
    if not score:
        return None, None
    for name in generic & set(score):
        # "Blue Cross and Blue Shield of Alabama ... Blue Cross": the plan, not its family, publishes.
        if any(family(n) == name and s >= 0.25 * score[name] for n, s in score.items() if n != name):
            del score[name]
    ranked = sorted(score.items(), key=lambda item: -item[1])
    best, top = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    if top < 2.0 or top < 1.5 * runner:
        return None, None
    payer = _by_name()[best]
    if payer.publisher_only:
        return "Medicare", best
    if best == "Medicare" and score.get("Medicare"):
        return "Medicare", "Centers for Medicare & Medicaid Services"
    return best, None


# A health plan's name by its shape ("Prairie Lantern Health Plan", "... Insurance Company"): capitalised words
# before a plan's noun. The table cannot hold every plan; a page's furniture still names its own.
_PLAN_SHAPE = re.compile(
    r"(?<![\w'’&-])(?:[A-Z][\w'’.&-]*[ \t]+){1,6}?"
    # (not "HMO": a product's or a banner's word as often as a plan's, "Join Our HMO")
    r"(?:Health ?Plans?|Health Insurance(?: Company)?|Insurance Company|Health Maintenance Organization)\b"
)


def plans_named(text: str) -> set[str]:
    """The health plans a line names: by the table (not a public program: its administrator is the plan), or
    by a plan's shape where the table names none."""
    found = mentions(text)
    known = {name for name, _, _ in found if not _program(name) and name not in _GENERIC}
    shaped = (m for m in _PLAN_SHAPE.finditer(text) if not any(a < m.end() and m.start() < b for _, a, b in found))
    return known | {" ".join(m.group(0).split()) for m in shaped}


# A state names itself on the pages it publishes ("An official website of the State of Ohio").
@lru_cache(maxsize=1)
def _state_site() -> re.Pattern[str]:
    names = "|".join(sorted(map(re.escape, STATES.values()), key=len, reverse=True))  # "West Virginia" first
    return re.compile(rf"\b(?:State|Commonwealth) of ({names})\b")


def state_medicaid(published: str) -> str | None:
    """The Medicaid program of the state whose own page it is, when `published` (where a page names itself: its
    running lines, breadcrumbs and opening) says "State of ..." and speaks of Medicaid (a state's administrative
    rule under "5160 | Medicaid, Department of")."""
    found = _state_site().search(published)
    if not found or not re.search(r"\bmedicaid\b", published, re.I):
        return None
    name = f"{found.group(1)} Medicaid"
    return name if name in _by_name() else None
