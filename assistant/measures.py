"""A patient's measured details beside age and size (how long, how much, what share, what score), read from a
question and set against the bounds a criterion states.

"did 10 wks of bladder training" against "at least 8 weeks of behavioral therapy"; "post void residual was 180 mL"
against "a post-void residual urine volume of less than 150 mL"; "ODI 38" against "an ODI score of 30 or higher";
"the block was done 5 months ago" against "performed within the past 90 days". A detail is set against a bound
only when both are of one kind (a time, a volume, a share, the same score) and the bound's own words speak of
what the detail measures (a word of the question's clause beside it): a check says which criterion it read, and
what no criterion's words match is left undecided.
"""

from __future__ import annotations

import re

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from .text import words
from .types import Measure

_STEMMER = Stemmer.Stemmer("english")

# Days in each unit of time: a criterion's "3 months" and a clerk's "12 wks" are compared in days.
_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25}
_TIME_UNIT = r"(?P<time>days?|weeks?|wks?|months?|mos?|years?|yrs?)\b"
_VOLUME_UNIT = r"(?P<volume>ml|cc|ng/ml)"
_NUMBER = r"(?P<value>\d+(?:\.\d+)?)"

# A detail as staff type it: "10 wks", "x 5 mo", "180 mL", "80%", "7/10", "ODI 38" (a score's name, then its value).
_STATED = re.compile(
    rf"(?<![\w.]){_NUMBER}\s*-?\s*(?:{_TIME_UNIT}|{_VOLUME_UNIT}|(?P<share>%|percent\b)|(?P<scale>/\s*10\b))"
    r"(?P<ago>\s+(?:ago|back|prior|before|earlier))?|"
    r"\b(?P<label>[A-Za-z][A-Za-z-]{1,10})\b\s*(?:score\s*)?(?:of|was|is|=|:)?\s*(?P<score>\d{1,3}(?:\.\d+)?)(?![\w.%/+]|\s*-?\s*"
    r"(?:days?|wks?|weeks?|mos?|months?|yrs?|years?|ml|cc|cm|mm|y/?o|yo|[mf]\b))",
    re.I,
)
# Words of a clause that say nothing of what is measured.
_PLAIN = set(
    """pt pts patient member mbr she he her his had has did was were for about like last ago back each with w x of
    the and now still total only thing also then just been over than more less least score done got tried went per
    no help what which how if ok so gave give gives showed shows""".split()
) | set(STOPWORDS_EN)
_CLAUSE_BREAK = re.compile(r"[,;!?()+]|\.(?!\d)|\s[-–—]\s|\bw/|\bbut\b|\band\b|\bthen\b", re.I)


def stated_measures(text: str, skip: tuple[tuple[int, int], ...] = ()) -> tuple[Measure, ...]:
    """The measured details a question states, outside the spans already read as age or size."""
    found = []
    for m in _STATED.finditer(text):
        if any(s < m.end() and e > m.start() for s, e in skip):
            continue
        kind, value = _kind(m)
        if not kind:
            continue
        start = max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, m.start())), default=0)
        after = _CLAUSE_BREAK.search(text, m.end())
        clause = text[start : after.start() if after else len(text)].strip()
        # said from its first telling word ("post void residual was 180 mL", not "only thing is her ...")
        while clause.split(" ", 1)[0].lower() in _PLAIN and " " in clause:
            clause = clause.split(" ", 1)[1]
        about = _about(clause)
        if not about and text[start - 1 : start] == "(":
            # "(like 5 months ago)": an aside measures what the clause before it names ("the block was done in
            # april").
            before = text[max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, start - 1)), default=0) : start]
            about = _about(before)
        if kind.startswith("score:"):
            about -= {kind[6:]}
        if about or kind.startswith("score:"):
            found.append(Measure(value, kind, clause, frozenset(about), bool(m.group("ago"))))
    return tuple(found)


def _kind(m: re.Match[str]) -> tuple[str, float]:
    if m.group("score"):
        label = m.group("label").lower()
        if label in _PLAIN or label.isdigit() or len(label) < 2:
            return "", 0.0
        return f"score:{_STEMMER.stemWord(label)}", float(m.group("score"))
    value = float(m.group("value"))
    unit = (m.group("time") or m.group("volume") or "").lower()
    if m.group("share"):
        return "share", value
    if m.group("scale"):
        return "scale", value
    if unit in ("ml", "cc"):
        return "volume", value
    if unit == "ng/ml":
        return "", 0.0  # a lab value's unit is named in full by a criterion; not read from shorthand
    return "time", value * _DAYS[_unit_name(unit)]


def _unit_name(unit: str) -> str:
    return next(name for name in _DAYS if unit.startswith(name[0]))


def _about(clause: str) -> set[str]:
    return {
        _STEMMER.stemWord(w)
        for w in words(clause)
        if not w[0].isdigit()
        and len(w) > 1
        and w not in _PLAIN
        and not re.fullmatch(f"{_TIME_UNIT}|ml|cc|percent", w, re.I)
    }


_SPAN = r"(?:(?:consecutive|continuous|full|calendar|straight)\s+)?"
_UNIT = r"(?P<unit>(?:days?|weeks?|months?|years?|ml|cc|ng/ml|percent)\b|%)?"
_N = r"\d+(?:\.\d+)?"
# How a criterion bounds a value: at least, more than, at most, less than, between, within (a time since).
_BOUNDS = (
    re.compile(
        r"(?P<op>at least|a minimum of|minimum of|no less than|not less than|no fewer than|≥|>=|more than|"
        r"greater than|longer than|over|exceed(?:s|ing)?|above|>|no more than|not more than|not to exceed|"
        r"not exceeding|at most|up to|a maximum of|maximum of|≤|<=|less than|fewer than|under|below|shorter than|<|"
        r"within(?: the)?(?: past| last| prior| previous| preceding)?)\s*"
        rf"(?P<value>{_N})\s*-?\s*{_SPAN}{_UNIT}",
        re.I,
    ),
    re.compile(
        rf"(?P<value>{_N})\s*-?\s*{_UNIT}\s*or\s*"
        r"(?P<post>more|longer|greater|higher|above|older|less|fewer|lower|shorter|below|under)\b",
        re.I,
    ),
    re.compile(rf"between\s+(?P<low>{_N})\s*(?:%|percent)?\s*and\s+(?P<high>{_N})\s*{_UNIT}", re.I),
    # a score's range ("ECOG performance status of 0 to 2"), not a scale's ("on a 0 to 10 scale")
    re.compile(rf"(?P<low>{_N})\s*(?:to|through|–|-)\s*(?P<high>{_N})\b(?![\d.]|\s*(?:%|[a-z]))", re.I),
)
_AT_LEAST = ("at least", "a minimum of", "minimum of", "no less than", "not less than", "no fewer than", "≥", ">=")
_AT_MOST = (
    "no more than",
    "not more than",
    "not to exceed",
    "not exceeding",
    "at most",
    "up to",
    "a maximum of",
    "maximum of",
    "≤",
    "<=",
)
_ABOVE = ("more than", "greater than", "longer than", "over", "exceed", "exceeds", "exceeding", "above", ">")
_POST_AT_LEAST = ("more", "longer", "greater", "higher", "above", "older")
# The nearest words before a bound name what it bounds ("pain has been present for at least 6 months"), or the
# words of the phrase after it ("at least 8 weeks of behavioral therapy").
_REACH = 120  # characters: a long clause ("A diagnostic block of each targeted branch with ... , performed")


def checks(measure: Measure, unit: str) -> list[bool]:
    """Whether the measure meets each bound of its kind that the criterion's text sets on what it measures."""
    found = []
    own = measure.kind.split(":")[0]
    since = 0
    for m in _bounds(unit):
        previous, since = since, m.end()
        kind, scale = _bound_kind(m)
        # A named value is typed without its unit ("psa 18.5"): the criterion's own ("15 ng/mL or less") is meant.
        wanted = {"scale": ("score",), "score": ("score", "lab")}.get(own, (own,))
        if kind not in wanted or not _speaks_of(measure, unit, m, previous):
            continue
        op = (m.groupdict().get("op") or m.groupdict().get("post") or "").lower()
        if op.startswith("within"):
            if kind == "time" and measure.ago:
                found.append(measure.value <= float(m.group("value")) * scale)
            continue
        if measure.ago:
            continue  # a time since is no duration
        if own == "scale" and float(m.group("high") if m.groupdict().get("high") else m.group("value")) > 10:
            continue  # a value on a 0 to 10 scale ("pain 7/10") is set against no bound beyond it ("ODI of 30")
        if m.groupdict().get("low"):
            found.append(float(m.group("low")) * scale <= measure.value <= float(m.group("high")) * scale)
            continue
        limit = float(m.group("value")) * scale
        if op in _AT_LEAST or op in _POST_AT_LEAST:
            found.append(measure.value >= limit)
        elif op in _ABOVE:
            found.append(measure.value > limit)
        elif op in _AT_MOST or m.groupdict().get("post"):
            found.append(measure.value <= limit)
        else:
            found.append(measure.value < limit)
    return found


def _bounds(text: str) -> list[re.Match[str]]:
    """Every bound the text states, in its order; of two that overlap, the one found first (by `_BOUNDS`'s order)."""
    taken: list[re.Match[str]] = []
    for pattern in _BOUNDS:
        for m in pattern.finditer(text):
            if not any(t.start() < m.end() and m.start() < t.end() for t in taken):
                taken.append(m)
    return sorted(taken, key=lambda m: m.start())


def _bound_kind(m: re.Match[str]) -> tuple[str, float]:
    """The kind of value a bound sets, and what its figures are multiplied by to compare (days for a time)."""
    unit = (m.group("unit") or "").lower() if "unit" in m.groupdict() else ""
    if unit in ("%", "percent"):
        return "share", 1.0
    if unit in ("ml", "cc"):
        return "volume", 1.0
    if unit == "ng/ml":
        return "lab", 1.0
    if unit:
        return "time", _DAYS[_unit_name(unit)]
    return "score", 1.0


def _speaks_of(measure: Measure, unit: str, m: re.Match[str], since: int = 0) -> bool:
    """Does the bound's own stretch of the criterion speak of what the measure measures? Its stretch: the words
    since the bound before it (`since`: "... of 30 or more and a pain score of | 4 or more") within its item,
    and the words after it to the end of its phrase ("at least 8 weeks of behavioral therapy")."""
    start = max(since, m.start() - _REACH)
    before = unit[start : m.start()]
    before = before[max((b.end() for b in re.finditer(r"[;:]|\d\.\s", before)), default=0) :]
    rest = unit[m.end() : m.end() + _REACH]
    end = re.search(r"\s(?:and|or|but|with|while)\s|[,;.(\d]", rest)
    after = rest[: end.start() if end else len(rest)]
    if measure.kind.startswith("score:"):
        # A score is named by its name just before the bound ("ODI of 30 or higher", "KPS ≥ 70").
        return measure.kind[6:] in {_STEMMER.stemWord(w) for w in words(before)}
    stretch = {_STEMMER.stemWord(w) for w in words(f"{before} {after}")}
    # Two words of what the clause names, or its one ("bladder training", not a "bladder diary" for "10 wks of
    # bladder training").
    return len(measure.about & stretch) >= min(2, len(measure.about))
