"""A patient's measured details beside age and size (how long, how much, what share, what score), read from a
question and set against the bounds a criterion states.

"did 10 wks of behavioral therapy" against "at least 8 weeks of behavioral therapy"; "post void residual was 180
mL" against "a post-void residual urine volume of less than 150 mL"; "ODI 38" against "an ODI score of 30 or
higher"; "the block was done 5 months ago" against "performed within the past 90 days". A detail is set against a
bound only when both are of one kind (a time, a volume, a share, the same named score) and the bound's own words
speak of what the detail measures (two words of the question's clause, or its only one; a score by its name): a
check says which criterion it read, and what no criterion's words match is left undecided. Ages and sizes are
compose's; a bound on them ("18 years of age or older", "5 cm") checks no measure.
"""

from __future__ import annotations

import re

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from . import codes as code_rules
from .types import Measure

_STEMMER = Stemmer.Stemmer("english")

# ---- units: one table for both sides ----------------------------------------------------------------------
# Days in each unit of time (a month is a twelfth of a year): "3 months" and "13 wks" are compared in days.
_DAYS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
_TIME_WORD = r"hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?"
# A named value's unit ("psa 18.5" is typed without it; the criterion's "15 ng/mL or less" is meant).
_LAB_WORD = r"ng/ml|g/dl|mg/dl|kg/m2|kg/m²|mm ?hg"
_UNIT = rf"(?P<unit>(?:{_TIME_WORD}|ml|cc|percent|{_LAB_WORD})\b|%)"
_N = r"\d+(?:\.\d+)?"
# Times are equal within this share of the larger: "1 yr" is "12 months" and "26 wks" is "6 months" (a month of
# 30.4 days puts 26 weeks 0.3% short of 6 months; 2% is less than a day in a month). Other figures are exact.
_SAME = 0.02


def _unit_kind(unit: str) -> tuple[str, float]:
    """The kind of value a unit measures, and what its figures are multiplied by to compare (days for a time)."""
    unit = unit.lower().replace(" ", "")
    if unit in ("%", "percent"):
        return "share", 1.0
    if unit in ("ml", "cc"):
        return "volume", 1.0
    if re.fullmatch(_LAB_WORD.replace(" ?", ""), unit):
        return "lab", 1.0
    if unit:
        name = {"h": "hour", "d": "day", "w": "week", "m": "month", "y": "year"}[unit[0]]
        return "time", _DAYS[name]
    return "score", 1.0


# ---- the question's side ------------------------------------------------------------------------------------
# A detail as staff type it: "10 wks", "x 5 mo", "x3 mo", "180 mL", "80%", "7/10", "7 out of 10", "ODI 38" (a
# score's name, then its value, of at most three digits: a longer number is a code or a year). A range ("50-80%")
# or a date ("5/10/2024") is no one figure.
_STATED = re.compile(
    rf"(?:(?<=\bx)|(?<![\w.]))(?<!\d[-–])(?P<value>{_N})\s*-?\s*"
    rf"(?:{_UNIT}|(?P<scale>/\s*10\b(?![/\d])|out of 10\b))(?![-–]\d)"
    r"(?P<ago>\s+(?:ago|prior|before|earlier)\b|\s+back\b(?=\s*(?:[,.;:)?!]|$)))?|"
    r"\b(?P<label>[A-Za-z][A-Za-z-]{1,10})\b\s*(?:score\s*)?(?:of|was|is|=|:)?\s*(?P<score>\d{1,3}(?:\.\d+)?)"
    rf"(?![\w.%/+\-–]|\s*(?:{_TIME_WORD}|ml|cc|cm|mm|percent|%|y/?o|yo|[mf]\b|out of))",
    re.I,
)
# Words of a clause that say nothing of what is measured.
_PLAIN = set(
    """pt pts patient member mbr she he her his had has did was were for about like last ago back each with w x of
    the and now still total only thing also then just been over than more less least score done got tried went per
    no help what which how if ok so gave give gives showed shows out january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
) | set(STOPWORDS_EN)
_CLAUSE_BREAK = re.compile(r"[,;!?()+]|\.(?!\d)|\s[-–—]\s|\bw/|\bwith\b|\bbut\b|\band\b|\bthen\b", re.I)


def stated_measures(text: str, skip: tuple[tuple[int, int], ...] = ()) -> tuple[Measure, ...]:
    """The measured details a question states, outside the spans already read as age or size."""
    found = []
    for m in _STATED.finditer(text):
        if any(s < m.end() and e > m.start() for s, e in skip):
            continue
        kind, value = _stated_kind(m)
        if not kind:
            continue
        start = max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, m.start())), default=0)
        after = _CLAUSE_BREAK.search(text, m.end())
        clause = text[start : after.start() if after else len(text)].strip()
        # said from its first telling word ("post void residual was 180 mL", not "only thing is her ...")
        while clause.split(" ", 1)[0].lower() in _PLAIN and " " in clause:
            clause = clause.split(" ", 1)[1]
        # (how it was measured, said after the figure, is not what: "prostate is 95 cc on MRI")
        about = _about(_MEASURED_BY.sub(r"\g<unit>", clause))
        if not about and text[start - 1 : start] == "(":
            # "(like 5 months ago)": an aside measures what the clause before it names ("the block was done in
            # april").
            before = text[max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, start - 1)), default=0) : start]
            about = _about(before)
        if kind.startswith("score:"):
            about -= {kind[6:]}
        if about or kind.startswith("score:"):
            short = frozenset(_key(w) for w in _terms(clause) if _cut_short(w)) & frozenset(about)
            found.append(Measure(value, kind, clause, frozenset(about), bool(m.group("ago")), short))
    return tuple(found)


_MEASURED_BY = re.compile(r"(?<=\d)(?P<unit>[^\d]{0,12}?)\s+(?:on|by|per|via|using)\s+[\w/-]+(?:\s+[\w/-]+)?$", re.I)


def told_so_far(earlier: tuple[Measure, ...], later: tuple[Measure, ...]) -> tuple[Measure, ...]:
    """A conversation's measures: a later turn's measure of the same thing replaces the earlier one ("actually
    the PVR was 120 mL"); the others stay."""
    kept = [e for e in earlier if not any(_same_thing(e, n) for n in later)]
    return (*kept, *later)


def _same_thing(earlier: Measure, later: Measure) -> bool:
    """Is the later measure a new figure for the earlier one: the same kind, both or neither a time since, the
    same score or two words of what is measured in common ("knee pain x 2 yrs" is not "knee injection 3 months
    ago")?"""
    if earlier.kind != later.kind or earlier.ago != later.ago:
        return False
    shared = earlier.about & later.about
    return earlier.kind.startswith("score:") or len(shared) >= min(2, len(earlier.about), len(later.about))


def _stated_kind(m: re.Match[str]) -> tuple[str, float]:
    if m.group("score"):
        label = m.group("label").lower()
        if label in _PLAIN or len(label) < 2 or code_rules.find_in_query(m.group(0)):
            return "", 0.0  # "modifier 50" names a code, not a score of 50
        return f"score:{_key(label)}", float(m.group("score"))
    value = float(m.group("value"))
    if m.group("scale"):
        return "scale", value
    kind, factor = _unit_kind(m.group("unit"))
    return ("", 0.0) if kind == "lab" else (kind, value * factor)  # a lab unit typed is read by its name


def _key(word: str) -> str:
    """A word as the two sides are matched: stemmed."""
    return _STEMMER.stemWord(word)


def _cut_short(word: str) -> bool:
    """Could the word be one cut short as staff type it ("pred")? Not a word of English ("physical" is no
    "physician")."""
    from .embeddings import english_words

    return len(word) >= 4 and word.isalpha() and word not in english_words()


def _terms(text: str) -> list[str]:
    """The words of either side, a name and the digits it ends in kept as one ("FEV1" printed, "fev1" typed;
    `text.words` parts them in lower case), in lower case."""
    return re.findall(r"[a-z]+\d*|\d+(?:\.\d+)?", text.lower())


def _about(clause: str) -> set[str]:
    return {
        _key(w)
        for w in _terms(clause)
        if not w[0].isdigit()
        and not re.fullmatch(r"x\d+", w)  # "x3 mo": the times sign
        and len(w) > 1
        and w not in _PLAIN
        and not re.fullmatch(f"{_TIME_WORD}|ml|cc|percent", w, re.I)
    }


# ---- the criterion's side -------------------------------------------------------------------------------------
# How a criterion bounds a value, by what the value must be against the figure.
_OPS = {
    ">=": (
        "at least",
        "a minimum of",
        "minimum of",
        "no less than",
        "not less than",
        "no fewer than",
        "not fewer than",
        "no shorter than",
        "greater than or equal to",
        "more than or equal to",
        "equal to or greater than",
        "≥",
        ">=",
    ),
    ">": ("more than", "greater than", "longer than", "over", "exceeds", "exceeding", "above", ">"),
    "<=": (
        "no more than",
        "not more than",
        "no greater than",
        "not greater than",
        "no longer than",
        "not longer than",
        "does not exceed",
        "do not exceed",
        "not to exceed",
        "not exceeding",
        "at most",
        "up to",
        "a maximum of",
        "maximum of",
        "less than or equal to",
        "equal to or less than",
        "≤",
        "<=",
    ),
    "<": ("less than", "fewer than", "under", "below", "shorter than", "<"),
    "within": ("within",),
}
_OP_OF = {op: name for name, ops in _OPS.items() for op in ops}
_AFTER = {
    "more": ">=",
    "longer": ">=",
    "greater": ">=",
    "higher": ">=",
    "above": ">=",
    "less": "<=",
    "fewer": "<=",
    "lower": "<=",
    "shorter": "<=",
    "below": "<=",
    "under": "<=",
}
_OP_WORDS = "|".join(
    re.escape(op) + (r"\b" if op[-1].isalpha() else "") for op in sorted(_OP_OF, key=len, reverse=True)
)
_SPAN = r"(?:(?:consecutive|continuous|full|calendar|straight)\s+)?"
_BOUNDS = (
    re.compile(
        rf"(?<![\w-])(?P<op>{_OP_WORDS})(?:(?<=within)(?: the)?(?: past| last| prior| previous| preceding)?)?\s*"
        rf"(?<![\w.])(?P<value>{_N})\s*-?\s*{_SPAN}{_UNIT}?",
        re.I,
    ),
    # "50% of predicted or higher": what the share is of may stand between the figure and its bound
    re.compile(
        rf"(?<![\w.])(?P<value>{_N})\s*-?\s*{_UNIT}?(?P<of>\s+of\s+[a-z]+)?\s*or\s*(?P<post>{'|'.join(_AFTER)}|older)\b",
        re.I,
    ),
    # ("between 30 cc and 80 cc": the unit may be said with both figures)
    re.compile(rf"\bbetween\s+(?P<low>{_N})\s*(?:%|percent|ml\b|cc\b)?\s*and\s+(?P<high>{_N})\s*{_UNIT}?", re.I),
    # a range ("ECOG performance status of 0 to 2", "30 to 80 mL"), not a scale's ("on a 0 to 10 scale")
    re.compile(
        rf"(?<![\w.])(?P<low>{_N})\s*(?:%|percent)?\s*(?:to|through|–|-)\s*(?P<high>{_N})(?![\d/]|\.\d)\s*{_UNIT}?"
        r"(?!\s*(?:-?points?\b|[\w -]{0,25}\bscale\b))",
        re.I,
    ),
)
# A bound on an age ("18 years of age or older", "aged 20 to 85 years"), in a unit not read here ("5 cm", "3 mL
# of injectate" is read, "2 kg" is not) or on what is counted ("2 or more of the following", "at least 2
# antiarrhythmic drugs") sets no measure of the case.
_AGE_BOUND = re.compile(r"\b(?:of age|or older|old|or younger)\b", re.I)
_AGED = re.compile(r"\bage[ds]?\s*(?:of\s*)?$", re.I)
_COUNTED = re.compile(r"\s*(?:of (?:the following|these|those)\b|(?!out of\b)(?P<word>[a-z]+)\b(?![/-]| per\b))", re.I)
# The nearest words before a bound name what it bounds ("pain has been present for at least 6 months"), or the
# words of the phrase after it ("at least 8 weeks of behavioral therapy").
_REACH = 120  # characters: a long clause ("A diagnostic block of each targeted branch with ... , performed")


def checks(measure: Measure, unit: str) -> list[bool]:
    """Whether the measure meets each bound of its kind that the criterion's text sets on what it measures."""
    found = []
    own = measure.kind.split(":")[0]
    wanted = {"scale": ("score",), "score": ("score", "lab")}.get(own, (own,))
    since, subject_from = 0, 0
    for m in _bounds(unit):
        # A bound joined to the one before it ("≥ 20% and ≤ 50% of predicted") bounds the same thing.
        joined = re.fullmatch(r"\s*(?:and|or|,|to)?\s*", unit[since : m.start()]) is not None and since > 0
        subject_from, since = (subject_from if joined else since), m.end()
        kind, factor = _unit_kind(m.group("unit") or "")
        if kind not in wanted or _sets_no_measure(unit, m, kind) or not _speaks_of(measure, unit, m, subject_from):
            continue
        high = float(m.group("high") if m.groupdict().get("high") else m.group("value"))
        if own == "scale" and high > 10:
            continue  # a value on a 0 to 10 scale ("pain 7/10") is set against no bound beyond it ("ODI of 30")
        op = _op(m)
        if (op == "within") != measure.ago:
            continue  # a time since is set against "within", a duration against the others
        time = kind == "time"  # units of time convert inexactly: within a day or so, a figure is the same
        if op == "range":
            low = float(m.group("low")) * factor
            found.append(_at_least(measure.value, low, time) and _at_most(measure.value, high * factor, time))
            continue
        found.append(_meets(op, measure.value, float(m.group("value")) * factor, time))
    return found


def _meets(op: str, value: float, limit: float, time: bool) -> bool:
    if op in (">=", ">"):
        return _at_least(value, limit, time) if op == ">=" else not _at_most(value, limit, time)
    return _at_most(value, limit, time) if op in ("<=", "within") else not _at_least(value, limit, time)


def _at_least(value: float, limit: float, time: bool = False) -> bool:
    return value >= limit or (time and _same(value, limit))


def _at_most(value: float, limit: float, time: bool = False) -> bool:
    return value <= limit or (time and _same(value, limit))


def _same(value: float, limit: float) -> bool:
    return abs(value - limit) <= _SAME * max(abs(value), abs(limit))


def _op(m: re.Match[str]) -> str:
    groups = m.groupdict()
    if groups.get("low"):
        return "range"
    if groups.get("post"):
        return _AFTER.get(m.group("post").lower(), ">=")
    return _OP_OF[" ".join(m.group("op").lower().split())]


def _sets_no_measure(unit: str, m: re.Match[str], kind: str) -> bool:
    """Is the bound on an age, or on a count of things (no unit, and a noun after the figure)?"""
    tail = unit[m.end() : m.end() + 20]
    if kind == "time" and (
        _AGE_BOUND.match(tail.lstrip(" ,")) or _AGED.search(unit[max(0, m.start() - 12) : m.start()])
    ):
        return True
    if m.groupdict().get("post") and m.group("post").lower() == "older":
        return True
    if kind != "score" or m.group("unit"):
        return False
    counted = _COUNTED.match(tail)
    word = (counted.group("word") or "").lower() if counted else ""
    # "of the following", a plural ("drugs", "sessions") or a short unit ("cm", "kg"): not "out of 10", "despite"
    return counted is not None and (not word or (word not in STOPWORDS_EN and (len(word) <= 3 or word.endswith("s"))))


def _bounds(text: str) -> list[re.Match[str]]:
    """Every bound the text states, in its order; of two that overlap, the one found first (by `_BOUNDS`'s order)."""
    taken: list[re.Match[str]] = []
    for pattern in _BOUNDS:
        for m in pattern.finditer(text):
            if not any(t.start() < m.end() and m.start() < t.end() for t in taken):
                taken.append(m)
    return sorted(taken, key=lambda m: m.start())


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
        return measure.kind[6:] in {_key(w) for w in _terms(before)}
    of = m.groupdict().get("of") or ""
    stretch = {_key(w) for w in _terms(f"{before} {of} {after}")}
    # Two words of what the clause names, or its one ("bladder training", not a "bladder diary" for "10 wks of
    # bladder training"); a word typed cut short names the printed one it begins ("pred": "predicted").
    shared = {
        a for a in measure.about if a in stretch or (a in measure.cut_short and any(w.startswith(a) for w in stretch))
    }
    return len(shared) >= min(2, len(measure.about))
