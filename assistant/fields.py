"""Labelled fields of a document's header block: numbers, dates, titles, whatever the layout.

Publishers label the same things differently ("Policy #", "Guideline #", "Document Number", "LCD ID"; "Last
Review", "Date Last Reviewed", "Latest Review Date") and lay them out differently (one per line, several on
one line, label and value in table cells, the value on the line after its label). This module knows the labels
and the shapes of their values; the parsers find the lines and cells, and `find_fields` reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Field -> the labels publishers use for it. Labels are matched whole, case-insensitively, longest first.
LABELS: dict[str, tuple[str, ...]] = {
    "policy_number": (
        "policy number",
        "policy no",
        "policy #",
        "policy id",
        "medical policy number",
        "medical policy #",
        "medical policy no",
        "coverage policy number",
        "clinical policy number",
        "clinical policy id",
        "clinical policy bulletin number",
        "cpb number",
        "guideline number",
        "guideline or policy number",  # a benefit manager's, which serves plans' policies too
        "guideline #",
        "guideline no",
        "guideline code",  # a benefit manager's ("Guideline Code: PM-9.4")
        "guideline id",
        "document number",
        "document #",
        "document no",
        "document id",
        "doc id",
        "doc #",
        "doc number",
        "bulletin number",
        "bulletin #",
        "bulletin no",
        "policy bulletin number",
        "policy bulletin #",
        "policy bulletin no",
        "number",
        "lcd id",
        "lcd number",
        "article id",
        "article number",
        "ncd number",
        "ncd #",
        "ncd id",
        "ncd",
        "mpg number",
        "reference number",
        "reference #",
        "policy code",
        "clinical coverage policy no",
        "clinical coverage policy number",
        "mp #",
        "mp number",
        "policy",
        "manual section number",
        "topic #",  # an online handbook's topic ("Topic #24107"), above the topic's heading
        "topic number",
        "grid id",  # a plan's coverage grid ("Grid ID: WCG-ABL-0147")
        "grid #",
        "grid number",
        "criteria no",  # "Criteria No.: ..." over a review criteria set
        "criteria number",
        "criteria id",
        "criteria #",
        # A document-type name followed by its number ("Medical Policy 7.01.592", "Clinical Policy: MCP-412").
        "medical policy",
        "clinical policy",
        "coverage policy",
        "payment policy",
        "reimbursement policy",
        "medical coverage policy",
        "clinical coverage policy",
        "medical policy bulletin",
        "medical coverage guideline",
        "coverage guideline",
        "clinical guideline",
        "medical guideline",
    ),
    "effective_date": (
        "effective date",
        "effective",
        "current effective date",
        "date effective",
        "effective date of this version",
        "revision effective date",
        "policy effective date",
        "begin date",
        "amended date",
        "date amended",
        "implementation date",
        # the date the policy's current version takes effect ("Version Date | 1/1/2022" beside an original date)
        "version date",
        "version effective date",
    ),
    "original_effective_date": (
        "original effective date",
        "original policy date",
        "original date",
        "origination date",
        "date of origin",
        "original effective",
        "date of origination",
        "initial effective date",
        "original approval date",
        "original approval",
        "origination",
        "created",
        "original implementation date",
    ),
    "last_review_date": (
        "last review",
        "last review date",
        "last approval",  # a committee's last approval of the policy ("Last Approval/Version: 10/22/2025 / v.4")
        "committee approval",  # the committee approving the policy is its review ("Committee Approval | 04/2026")
        "committee approval date",
        "committee review",
        "committee review date",
        "last approval/version",
        "last approval date",
        "last reviewed",
        "date last reviewed",
        "latest review date",
        "review date",
        "reviewed",
        "last reviewed date",
        "most recent review",
        "date reviewed",
        "last revised",
        "revision date",
        "revised",
        "last revision date",
        "last updated",
        "updated",
        "last approval",
        "last approved",
        "last approved date",
        "date last approved",
        "last approval date",
        "date of last review",
        "last revised",
        "revised date",
        "last reviewed/revised",
        "policy last reviewed",
        "last review approval date",
        "date last revised",
        "most recent review date",
        "date of last revision",
    ),
    "next_review_date": (
        "next review",
        "next review date",
        "next scheduled review",
        "next scheduled review date",
        "scheduled review date",
        "next annual review",
        "review due",
        "next annual review date",
        "next review due by",
        "next review due",
        "review due by",
        "next revision date",
        "next review by",
    ),
    "published_date": (
        "publish date",
        "published",
        "publication date",
        "issued date",
        "issue date",
        "date issued",
        "issued",
        "approval date",
        "approved",
        "date of approval",
        "release date",
        "posted",
        "date posted",
    ),
    "title": (
        "subject",
        "topic",
        "title",
        "policy title",
        "policy name",
        # a review criteria set's or a guideline's name ("Criteria Name: ...", Kaiser's clinical review criteria)
        "criteria name",
        "criteria title",
        "guideline name",
        "name of policy",
        "lcd title",
        "article title",
        "ncd title",
        "guideline title",
        "policy subject",
        "medical policy title",
        "clinical policy title",
        "document title",
        # a memo's or bulletin's subject line ("RE: Genicular Nerve Radiofrequency Ablation -- ...")
        "re",
        "regarding",
    ),
    # Fields that only tell a header block from body text.
    "other": (
        "status",
        "policy status",
        "version",
        "version number",
        "category",
        "section",
        "policy category",
        "benefit category",
        "product",
        "products",
        "line of business",
        "lines of business",
        "applies to",
        "product type",
        "manual section title",
        "implementation date",
        "publication number",
        "policy grade",
        "department",
        "contractor name",
        "contract type",
        "contract number",
        "jurisdiction",
        "state(s)",
        "original icd-9 lcd id",
        "proposed lcd in comment period",
        "source proposed lcd",
        "revision ending date",
        "retirement date",
        "notice period start date",
        "notice period end date",
        "transmittal number",
        "transmittal link",
        "date created",
        "created date",
        "policy type",
        "plan",
        "applicable plans",
        "applicable programs",
        "program name",
        "handbook area",
        "benefit type",
        "program",
        "locator key",  # a provider manual section's key (read as its number when printed on every page)
        "locator",
    ),
}
DATE_FIELDS = {"effective_date", "original_effective_date", "last_review_date", "next_review_date", "published_date"}
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# A plan may print its dates with bars ("EFFECTIVE DATE: 04|01|2026"): read as a date where it stands in running
# text or a label's line (a Markdown table's cells still split at its bars).
DATE = re.compile(
    rf"\b(?:\d{{1,2}}/\d{{1,2}}/\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}-\d{{1,2}}-\d{{4}}|\d{{1,2}}\|\d{{1,2}}\|\d{{4}}|"
    rf"(?:{MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{MONTHS})\.?,?\s+\d{{4}}|"
    rf"(?:{MONTHS})\.?,?\s+\d{{4}}|\d{{1,2}}/\d{{4}})\b",
    re.I,
)
# A date printed with full stops ("07.01.2023", "05.2024"), read only as a labelled date's whole value: in running
# text the same shape is a version ("NCCN Guidelines Version 1.2024"), a section ("4.1.2020") or a policy's number.
_DOTTED = re.compile(r"(0?[1-9]|1[0-2])\.(?:(0?[1-9]|[12]\d|3[01])\.)?((?:19|20)\d\d)")
# A month and two-digit year ("Date of Last Revision: 06/25"), read only as a labelled date's whole value:
# in running text "6/10" is a pain score.
_SHORT_MONTH_YEAR = re.compile(r"(0?[1-9]|1[0-2])/(\d{2})")
# A policy or document number: letters, digits, dots and dashes, with at least one digit ("MP-429", "0540",
# "CG-SURG-129", "SURG.00158", "2025T0447D", "L39756", "110.27", "7.01.592", "HUM-0847-012").
# A policy's number: letters, digits and the marks that join them ("MP-429", "7.01.186", "Evolent_CG_627").
IDENTIFIER = re.compile(r"^(?=[A-Z0-9.\-/_]*\d)[A-Z0-9][A-Z0-9.\-/_]{0,23}$", re.I)
# A guideline's code as benefit managers and plans print it before the guideline's name: letters, then dashed
# parts, at least one digit ("PM-11.2", "CG-MED-81").
GUIDELINE_CODE = r"(?=[A-Z0-9.-]*\d)[A-Z]{1,4}(?:-[A-Z0-9]+)+(?:\.[A-Z0-9]+)*"
_SEPARATOR = r"[\s*_]*(?:\.{2,}|[:#|]|\s-\s|–|—)?[\s|*_]*"


@dataclass(frozen=True)
class Field:
    name: str  # a key of LABELS
    label: str  # as printed
    value: str  # as printed
    start: int  # offsets of label and value in the text searched
    end: int


def _pattern() -> re.Pattern[str]:
    labels = sorted({label for names in LABELS.values() for label in names}, key=len, reverse=True)
    # "No" is an abbreviation, printed with or without its full stop ("Medical Policy No. 91633-R5").
    alternatives = "|".join(
        re.sub(r"\\s\+no$", r"\\s+no\\.?", re.escape(label).replace(r"\ ", r"\s+")) for label in labels
    )
    # A label may be printed as a plural ("Revision Date(s)").
    # (not the end of a longer label: "Committee Review" of "Next Committee Review")
    return re.compile(rf"(?<![\w#/.-])(?<!next )({alternatives})(?:\(s\))?(?![a-z])", re.I)


_LABEL = _pattern()
_FIELD_OF = {label: name for name, labels in LABELS.items() for label in labels}


def field_of(label: str) -> str | None:
    key = " ".join(label.lower().split())
    return _FIELD_OF.get(key) or _FIELD_OF.get(key.rstrip(":. ")) or _FIELD_OF.get(key.rstrip(":#. "))


def date_field_of(label: str) -> str | None:
    """The date field a label the table does not list names by its words ("Review Due No Later Than",
    "Contractor Review Cycle Completed"), if it is shaped like a label: a few capitalised words, no clause."""
    label = label.strip(" :*_|")
    if not re.fullmatch(r"[A-Z][A-Za-z/'()\- ]{3,60}", label) or len(label.split()) > 8 or _CLAUSE.search(label):
        return None
    return next((name for name, wording in _DATE_WORDING if wording.search(label)), None)


def is_label(text: str) -> bool:
    """Is the whole text a field label ("LCD ID", "Effective Date:")?"""
    return field_of(text.strip()) is not None


def _bare(value: str) -> str:
    return value.replace("**", "").replace("__", "").strip().strip("|*_").strip()


def valid(name: str, value: str) -> bool:
    """Does a value look like what its field holds?"""
    value = _bare(value)
    if not value or len(value) > 160:
        return False
    if name in DATE_FIELDS:
        short = _SHORT_MONTH_YEAR.fullmatch(value) or _DOTTED.fullmatch(value)
        return bool(DATE.search(value) or short) or value.upper() in {"N/A", "NA", "TBD"}
    if name == "policy_number":  # a single digit is a page number of a contents line, not a policy's number
        number = _number(value).split()[-1:] or [""]
        return bool(IDENTIFIER.match(number[0])) and len(_number(value)) >= 2
    if name == "title":  # a bare number under "Topic" is the topic's number, not its title
        return 3 <= len(value) <= 160 and not value.endswith(".") and not re.fullmatch(r"[\d.\-/ ]+", value)
    return len(value) <= 120


def clean_value(name: str, value: str) -> str:
    value = _bare(value).rstrip(";,")
    if name in DATE_FIELDS:
        # "12/18/2025 (next cycle opens 12/2026)": an aside in brackets dates something else
        dates = [m.group(0) for m in DATE.finditer(re.sub(r"\([^)]*\)", " ", value))] or [
            m.group(0) for m in DATE.finditer(value)
        ]
        if name == "last_review_date" and len(dates) > 1:  # a list of review dates: the last is the latest
            return max(dates, key=lambda d: parse_date(d) or date.min)
        return dates[0] if dates else value  # (a short month and year is the whole value: kept as printed)
    if name == "policy_number":
        return _number(value).rstrip(".")
    return value


def _number(value: str) -> str:
    """The number a policy-number value opens with: "0540", "MP-429"; or a category word and its number, as some
    publishers number policies ("Surgical 162", "Medicine 12")."""
    parts = [p.rstrip(",;.") for p in value.split()[:2]]
    if len(parts) == 2 and (_category_number(*parts) or _series_number(*parts)):
        return " ".join(parts)
    return parts[0] if parts else ""


def _series_number(letters: str, number: str) -> bool:
    """ "OCA 3.729", "MP 9.01.04": a series' capitals, then a number in dotted parts (a lone "CPB 0540" keeps
    its series' word apart, as the policy's number is read without it)."""
    return bool(re.fullmatch(r"[A-Z]{2,5}", letters) and re.fullmatch(r"\d+(?:\.\d+)+", number))


def _category_number(word: str, number: str) -> bool:
    """ "Surgical 162", not "Revised 2024", "January 2024", "Version 7" or "Page 12": a capitalised word that
    labels nothing and is no month or page or version, and a number of two or more digits that is no year."""
    return (
        word.isalpha()
        and word[0].isupper()
        and number.isdigit()
        and len(number) >= 2
        and not re.fullmatch(r"(?:19|20)\d\d", number)
        and not re.fullmatch(MONTHS, word, re.I)
        and word.lower()
        not in {
            "page",
            "pages",
            "version",
            "ver",
            "section",
            "chapter",
            "part",
            "appendix",
            "attachment",
            "exhibit",
            "table",
            "figure",
            "volume",
            "issue",
            "edition",
            "revision",
            "rev",
            "updated",
            "step",
            "level",
            "tier",
        }
        and field_of(word) is None
        and date_field_of(word) is None
    )


# A label's translation printed after it ("Policy ID / Núm. de Política", "Next Review / Próxima Revisión"),
# up to the cell's end or the label's colon.
_TRANSLATION = re.compile(r"[ \t]*/[ \t]*[^|:\n/]{1,40}?(?=[ \t]*(?:[|:]|\s\s|$))")


def _identifier_first(name: str, value: str) -> bool:
    """Does a policy number's value open on a number-shaped word ("MP-1147 ...")?"""
    first = value.split(maxsplit=1)[0].strip(".,;|") if value.strip() else ""
    return name == "policy_number" and bool(IDENTIFIER.match(first)) and any(ch.isdigit() for ch in first)


def find_fields(text: str, offset: int = 0) -> list[Field]:
    """Label/value pairs in a line or table cell run ("Policy Number: MP-429  Effective Date: 5/1/2024",
    "Effective Date3/15/2026", "Coverage Policy Number..... 0540", "Guideline #: CG-MED-81 Publish Date: ...")."""
    found = []
    # A label starts a line or cell or follows a wide gap; in mid-line it needs its colon ("... Next Review: ") or
    # the dot leaders a printed form runs to its value ("... 11.01.52 Current Effective Date ....... 08-01-2026").
    matches = [
        m
        for m in _LABEL.finditer(text)
        if re.search(r"(?:^|\s\s|\t|\||;|,)[\s*_]*$", text[: m.start()])
        or re.match(r"[\s*_]*(?:[:#]|\.{3,})", text[m.end() :])
    ]
    for i, m in enumerate(matches):
        label = m.group(1)
        name = field_of(label)
        if name is None:
            continue
        label_end = m.end()
        translated = _TRANSLATION.match(text, label_end)
        if translated and not DATE.search(translated.group(0)):
            label_end = translated.end()  # "Last Review / Última Revisión | Oct 14, 2026": one label, two languages
        after = re.match(_SEPARATOR, text[label_end:])
        value_start = label_end + (after.end() if after else 0)
        value_end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[value_start:value_end]
        bare = not label.endswith(".") and (
            not after or (not after.group(0).strip(" *_") and "  " not in after.group(0))
        )
        if bare and not (value[:1].isdigit() or value.startswith(" ") or _identifier_first(name, value)):
            # "Effective Date3/15/2026" and a cell's "Policy number MP-1147" read without a separator; "Number
            # of studies" does not
            continue
        if valid(name, value):
            found.append(Field(name, label, clean_value(name, value), offset + m.start(1), offset + value_end))
            found += next_beside(name, value, offset + m.start(1), offset + value_end)
    return found + _dated_by_wording(text, offset, found)


def next_beside(name: str, value: str, start: int, end: int) -> list[Field]:
    """The next review said beside the last one, in brackets ("12/18/2025 (next cycle opens 12/2026)")."""
    upcoming = _NEXT_ASIDE.search(value) if name == "last_review_date" else None
    return [Field("next_review_date", "next", upcoming.group("date"), start, end)] if upcoming else []


_NEXT_ASIDE = re.compile(rf"\(\s*next\b[^()]{{0,40}}?(?P<date>{DATE.pattern})\s*\)", re.I)
# A date under a label the table does not list, read by the label's words: what a reader goes by with
# "Review Due No Later Than:", "Date policy goes into force:", "Contractor Review Cycle Completed:".
_DATE_WORDING = [
    ("next_review_date", re.compile(r"\b(?:next|due|scheduled|upcoming|planned|re-?evaluation|re-?review)\b", re.I)),
    ("original_effective_date", re.compile(r"\b(?:original|origin|initial|first|devised|inception)\b", re.I)),
    ("effective_date", re.compile(r"\beffective\b|\bin force\b|\binto (?:force|effect)\b|\bon/after\b", re.I)),
    # (a committee's final adoption of its decision is its approval)
    (
        "last_review_date",
        re.compile(r"\breview\w*|\brevis\w*|\bupdated\b|\bcompleted\b|\bapprov(?:ed|al)\b|\badopt\w*", re.I),
    ),
]
# A verb makes a sentence of it, not a label ("The study was completed: 12/2020").
_CLAUSE = re.compile(r"\b(?:was|were|is|are|has|have|had|will|would)\b", re.I)
_LABELLED_DATE = re.compile(
    # a label, then its colon, a cell's edge or the wide gap of aligned columns ("Last policy review    March 2026")
    rf"(?:^|\s\s|\t|\|)[\s*_]*(?P<label>[A-Za-z][A-Za-z/'()\- ]{{3,60}}?)"
    rf"(?:[\s*_]*(?::|\|)[\s|*_]*|(?P<gap>(?<=\S)[ \t]{{2,}}))"
    # a date of service a manual's policy applies from ("For dates of service on or after May 1, 2026")
    # or a clause ending so ("Participating agencies apply this decision to services on or after July 1, 2026",
    # "Eligible for rereview beginning September 2027")
    r"(?P<since>(?P<clause>(?![Ff]or\s)[A-Za-z][^.:;|\n*]{0,100}?\s)?"
    r"(?i:(?:for\s+(?:dates?\s+of\s+)?services?\s+(?:(?:rendered|provided|furnished)\s+)?)?"
    r"(?:on\s+or\s+after|beginning|starting|effective(?:\s+(?:on|as\s+of))?)\s+))?"
    rf"(?P<value>(?i:{DATE.pattern}))"  # a month named in any case ("August 2025")
)
# Across a wide gap the date is the whole value ("Coding updated  January 1, 2025 to add 0581T" is a sentence a
# justified line spaced out).
_VALUE_ENDS = re.compile(r"[\s*_]*(?:$|\||\s\s|\()")


def _dated_by_wording(text: str, offset: int, found: list[Field]) -> list[Field]:
    extra = []
    for m in _LABELLED_DATE.finditer(text):
        label = m.group("label").strip()
        if field_of(label) is not None or any(f.start <= offset + m.start("label") < f.end for f in found):
            continue  # a label the table knows was read above
        if m.group("gap") and not _VALUE_ENDS.match(text, m.end()):
            continue
        # "for dates of service on or after ...": when the policy takes effect, whatever the label's words
        name = "effective_date" if m.group("since") else date_field_of(label)
        if m.group("clause") is not None:
            # After a clause, only a label that names a date says it ("Rereview: Eligible for rereview beginning
            # September 2027"; "Agency implementation date: ... apply this decision to services on or after ...",
            # the date services are covered from); "Note: ... suspended beginning January 1, 2026" dates no field.
            served = re.search(r"\bservices?\s+(?:\w+\s+)?on\s+or\s+after\b", m.group("since"), re.I)
            name = date_field_of(label) or (
                "effective_date" if served and re.search(r"\bdate\b", label, re.I) else None
            )
            # "Prioritized List implementation: Guideline Note 249, Line 128, effective October 1, 2026": the value
            # says when it takes effect
            if name is None and re.search(r"\beffective\s+(?:on\s+|as\s+of\s+)?$", m.group("since"), re.I):
                name = "effective_date"
        if name is None:
            continue
        pair = _NEXT_OF_PAIR.match(text, m.end()) if _REVIEW_DATES.search(label) else None
        first, second = m.group("value"), pair.group(1) if pair else ""
        if pair and (parse_date(first) or date.max) < (parse_date(second) or date.min):
            # "Five Year Review (FYR) Dates: 6/12/2025 and 10/01/2030": the review done, and the later one due.
            extra.append(Field("last_review_date", label, first, offset + m.start("label"), offset + m.end()))
            extra.append(Field("next_review_date", label, second, offset + m.end(), offset + pair.end()))
            continue
        # "... September 2027 (18 months after final adoption)": an aside in brackets ends the value's line.
        aside = _ASIDE.match(text, m.end())
        end = aside.end() if aside else m.end()
        extra.append(Field(name, label, clean_value(name, m.group("value")), offset + m.start("label"), offset + end))
    return extra


_ASIDE = re.compile(r"[ \t]*\([^()\n]*\)[ \t]*(?=$|\n)")


# A pair of review dates under one plural label: the last review and the next.
_REVIEW_DATES = re.compile(r"\breview\b.*\bdates\b", re.I)
_NEXT_OF_PAIR = re.compile(rf"\s+and\s+((?i:{DATE.pattern}))")


def after_number(text: str) -> str | None:
    """What follows the document number a line starts with ("MEDICAL POLICY No. 91633-R5 ENDOVENOUS
    ABLATION OF VARICOSE VEINS" -> the title), '' if nothing does; None if the line starts with no number."""
    found = [f for f in find_fields(text) if f.name == "policy_number" and f.start == 0]
    if not found:
        return None
    return text[text.find(found[0].value) + len(found[0].value) :].strip()


def coverage(fields: list[Field], text: str) -> float:
    """Share of a text's characters that its fields account for: near 1 for a header line, low for prose."""
    covered = sum(f.end - f.start for f in fields)
    length = len(re.sub(r"[\s|*_]", "", text)) or 1
    return (
        min(1.0, len(re.sub(r"[\s|*_]", "", "".join(text[f.start : f.end] for f in fields))) / length)
        if covered
        else 0.0
    )


def parse_date(value: str) -> date | None:
    """A printed date as a date; a month-and-year date ("05/2026", "March 2025") is the first of the month."""
    from dateutil import parser

    found = DATE.search(value or "")
    if not found:
        dotted = _DOTTED.fullmatch((value or "").strip())
        if dotted:
            month, day, year = dotted.groups()
            return _safe_date(int(year), int(month), int(day or 1))
        short = _SHORT_MONTH_YEAR.fullmatch((value or "").strip())
        return date(2000 + int(short.group(2)), int(short.group(1)), 1) if short else None
    text = found.group(0).replace("|", "/")
    month_year = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    try:
        if month_year:
            return date(int(month_year.group(2)), int(month_year.group(1)), 1)
        return parser.parse(text, default=parser.parse("2000-01-01")).date()
    except (ValueError, OverflowError):
        return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iso(value: str | None) -> str | None:
    """'3/15/2026' -> '2026-03-15'; '05/2026' or 'March 2025' -> '2026-05' (a month, when no day is printed)."""
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        return None
    found = DATE.search(value)
    dotted = _DOTTED.fullmatch(value.strip())
    has_day = bool(dotted and dotted.group(2)) or bool(
        found
        and re.search(
            r"\d{1,2}[/|-]\d{1,2}[/|-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2},?\s+\d{4}|^\d{1,2}\s+\w", found.group(0)
        )
    )
    return parsed.isoformat() if has_day else parsed.isoformat()[:7]


def values_in_order(labels: list[str], text: str, offset: int = 0) -> list[Field] | None:
    """Values printed on one line under a row of labels ("Policy No. | Last Approval | Next Review Due By" over
    "412 08/13/2025 February 2026"), read in order by the shape of each label's value; None if they do not
    fit."""
    pos, found = 0, []
    for label in labels:
        name = field_of(label)
        if name is None:
            return None
        start = pos + len(text[pos:]) - len(text[pos:].lstrip())
        shape = DATE.match(text, start) if name in DATE_FIELDS else re.compile(r"\S+").match(text, start)
        if shape is None:
            return None
        found.append(Field(name, label, clean_value(name, shape.group(0)), offset + start, offset + shape.end()))
        pos = shape.end()
    return found if not text[pos:].strip() and found else None
