"""Verification of generated answers against the passages they cite.

A sentence survives only if it cites at least one passage, every fact in it
(number, date, percentage, code, payer) appears in a passage it cites, what it
calls a modifier is one there, every content word of it is used there (or a
glossary equivalent), and it neither adds nor drops a negation, nor turns a
"not medically necessary" into "covered". Everything else is dropped and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import Stemmer

from . import codes as code_rules
from .payers import payers_named
from .text import comparable, sentence_spans, words

_MARKER = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")
_OPENING_MARKERS = re.compile(r"^\s*(?:\[\d{1,2}(?:\s*,\s*\d{1,2})*\]\s*)+")
# A marker after the full stop, or after the closing quote of a quoted sentence ('... years.” [1]').
_MARKERS_AFTER_STOP = re.compile(r"([.!?][”\"’)]*)((?:\s*\[\d{1,2}(?:\s*,\s*\d{1,2})*\])+)")
_NUMBER = re.compile(r"(?<![A-Za-z\d])\d+(?:[.,]\d+)*")
# A document's identifier ("article A59961", "LCD L39756", "DEN220077"): letters then digits, one token. Its
# digits are no number of their own ("9961").
_IDENTIFIER = re.compile(r"(?<![\w.-])[A-Z]{1,4}\d{4,}(?![\w])")
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_DATE_WORDS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+(\d{1,2}),?\s+(\d{4})\b",
    re.I,
)
_CODE_SYSTEM = re.compile(r"\bICD-?(?:9|10)(?:-CM|-PCS)?\b", re.I)  # the name of a code set, not a number
_NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(
        """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty""".split()
    )
}
_NEGATIONS = {
    "not",
    "no",
    "never",
    "none",
    "non",
    "cannot",
    "excluded",
    "denied",
    "neither",
    "nor",
    "insufficient",
    "without",
    "unknown",
}
_COVERAGE_CLAIM = re.compile(r"\b(covered|covers|cover|coverage|medically necessary|reimbursable|approved)\b", re.I)
_STOP = set(
    """a an the of to in on for and or by with as at from is are was were be been being this that these
those it its which who whom what when where why how do does did can could may might should would
will shall use used using per any all each such than then there their they them also into about
under over more most other some only same so not no yes""".split()
)
# Every content word of a claim must be in what it cites: one new word ("inpatient" for "outpatient",
# "remove" for "ablate") is enough to mislead, and a small model writes such words freely.
MIN_WORD_SUPPORT = 1.0
NUMBER_CONTEXT = 2  # content words either side of a number that must read the same in the support
_STEMMER = Stemmer.Stemmer("english")
_MODIFIER_CLAIM = re.compile(r"\bmodifiers?\s*(?:#|:)?\s*([0-9A-Za-z]+)\b", re.I)
# A model's preamble ("The answer is:", "The passage is:") is not a claim; what follows it may be.
_META_LEAD = re.compile(r"^\s*(?:the\s+)?(?:answer|passage|response)(?:\s+\[?\d+\]?)?\s+(?:is|says)\s*:\s*", re.I)


@dataclass
class Evidence:
    """The text a citation shows: the passage with its document title, section and table header."""

    n: int
    text: str
    context: str = ""


@dataclass
class CheckedSentence:
    text: str
    cited: list[int]
    ok: bool
    reason: str = ""


def attach_markers(answer: str) -> str:
    """'... applies. [2]' -> '... applies [2].' so each marker stays with its sentence."""
    return _MARKERS_AFTER_STOP.sub(lambda m: m.group(2) + m.group(1), answer)


def markers(sentence: str) -> list[int]:
    return sorted({int(n) for group in _MARKER.findall(sentence) for n in re.split(r"\s*,\s*", group)})


def strip_markers(sentence: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", _MARKER.sub("", sentence)).strip()


def spelled_numbers(text: str) -> set[str]:
    """The numbers a text spells in words ("one", "twelve"), as facts."""
    return {"num:" + _NUMBER_WORDS[word] for word in words(text) if word in _NUMBER_WORDS}


def facts(text: str) -> set[str]:
    """Numbers, dates, codes and payers in a text, in a normalised comparable form."""
    text = _CODE_SYSTEM.sub(" ", code_rules.normalise(text))
    text = re.sub(r"([a-z]{3,})(\d)", r"\1 \2", text)  # "Date3/15/2026": a space lost in the source
    found: set[str] = set()
    for m in list(_DATE_NUMERIC.finditer(text)):
        found.add(f"date:{int(m.group(3)):04d}-{int(m.group(1)):02d}-{int(m.group(2)):02d}")
    for m in _DATE_WORDS.finditer(text):
        month = datetime.strptime(m.group(1)[:3].title(), "%b").month
        found.add(f"date:{int(m.group(3)):04d}-{month:02d}-{int(m.group(2)):02d}")
    text = _DATE_NUMERIC.sub(" ", _DATE_WORDS.sub(" ", text))
    for code in code_rules.find_codes(text):
        found.add(f"code:{code.value.upper()}")
        text = text.replace(code.value, " ")
    for m in _IDENTIFIER.finditer(text):
        found.add(f"id:{m.group(0)}")
    text = _IDENTIFIER.sub(" ", text)
    for number in _NUMBER.findall(text):
        found.add("num:" + _plain_number(number))
    found |= spelled_numbers(text)
    found |= {"payer:" + payer.lower() for payer in payers_named(text, typed=True)}
    return found


def _plain_number(number: str) -> str:
    if re.fullmatch(r"\d{1,3}(,\d{3})+", number):
        number = number.replace(",", "")
    number = number.rstrip(".,")
    if "." in number:
        number = number.rstrip("0").rstrip(".") or "0"
    return number.lstrip("0") or "0"


def unsupported(claim: str, support: str) -> set[str]:
    """The facts of `claim` that `support` does not hold, in normalised form.

    "5-year" backs "5"; a bare "74" or "QX" in a modifier table backs "modifier 74" / "modifier QX".
    """
    have = facts(support)
    extra = set()
    for fact in have:
        kind, _, value = fact.partition(":")
        if kind == "date":
            y, m, d = value.split("-")
            extra |= {f"num:{int(y)}", f"num:{int(m)}", f"num:{int(d)}"}
        elif kind == "num":
            extra.add(f"code:{value.zfill(2)}")
        elif kind == "code" and value.isdigit():
            extra.add(f"num:{_plain_number(value)}")  # "cpt-47371-..." reads as a number, "CPT 47371" as a code
    missing = facts(claim) - have - extra
    plain = code_rules.normalise(support).upper()
    return {
        f for f in missing if not (f.startswith("code:") and re.search(rf"(?<![\w.]){re.escape(f[5:])}(?![\w])", plain))
    }


def _stems(text: str) -> set[str]:
    return set(_STEMMER.stemWords(words(comparable(text))))


def unsupported_words(claim: str, support: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Content words of the claim that the support does not use (`allowed`: the composer's own joining words)."""
    have = _stems(support)
    missing = []
    for word in words(claim):
        if word in _STOP or word in allowed or len(word) < 3 or any(ch.isdigit() for ch in word):
            continue  # numbers and codes are checked as facts
        if _STEMMER.stemWord(word) not in have:
            missing.append(word)
    return missing


def _sequence(text: str) -> list[str]:
    """Content words and numbers in order, stemmed; dates collapsed to one token."""
    text = _DATE_NUMERIC.sub(" DATE ", _DATE_WORDS.sub(" DATE ", text))
    out = []
    for word in words(text):
        if word in _STOP:
            continue
        out.append(_plain_number(word) if word[0].isdigit() and _NUMBER.fullmatch(word) else _STEMMER.stemWord(word))
    return out


def _misbound_numbers(claim: str, support: str) -> list[str]:
    """Numbers the claim ties to other words than the support does.

    "Of 194 participants, 32 were lost to follow-up" holds every word and number of "194 participants
    were lost to follow-up", but not its meaning: each number, with the words either side of it in the
    claim, must read the same, in that order, somewhere in the support.
    """
    quantities = {f[4:] for f in facts(claim) if f.startswith("num:")}  # not codes ("modifier 74"), not dates
    said, have = _sequence(claim), _sequence(support)
    joined = f" {' '.join(have)} "
    wrong = []
    for i, token in enumerate(said):
        if token not in quantities:
            continue
        window = said[max(0, i - NUMBER_CONTEXT) : i + NUMBER_CONTEXT + 1]
        if f" {' '.join(window)} " not in joined:
            wrong.append(token)
    return wrong


def _misnamed_modifiers(claim: str, support: str) -> list[str]:
    """Tokens the claim calls a modifier ("modifier 0686T") that are not modifiers in the support."""
    known = {c.value for c in code_rules.find_codes(support) if c.kind == "modifier"}
    named = [
        m.group(1)
        for m in _MODIFIER_CLAIM.finditer(claim)
        if any(ch.isdigit() for ch in m.group(1)) or m.group(1).isupper()
    ]
    return [token for token in named if token.upper() not in known]


def _negated(text: str) -> bool:
    return bool(_NEGATIONS & set(words(text))) or "n't" in text


def check_sentence(
    sentence: str, evidence: dict[int, Evidence], allowed: frozenset[str] | set[str] = frozenset()
) -> CheckedSentence:
    """Check one sentence against the passages it cites. `allowed` are the composer's own joining words: a
    composed sentence states the decision its quote states, so only its facts and words are checked."""
    cited = [n for n in markers(sentence) if n in evidence]
    claim = _META_LEAD.sub("", strip_markers(sentence))
    if not cited:
        return CheckedSentence(claim, [], False, "cites no passage")
    text = " ".join(evidence[n].text for n in cited)
    support = " ".join(evidence[n].context + " " + evidence[n].text for n in cited)
    missing = unsupported(claim, support)
    if missing:
        return CheckedSentence(
            claim, cited, False, "not in the cited passages: " + ", ".join(sorted(f.split(":", 1)[1] for f in missing))
        )
    misbound = [] if allowed else _misbound_numbers(claim, support)  # composed: numbers copied from their cell
    if misbound:
        return CheckedSentence(
            claim, cited, False, f"{misbound[0]} is not said of the same thing in the cited passages"
        )
    misnamed = _misnamed_modifiers(claim, support)
    if misnamed:
        return CheckedSentence(claim, cited, False, f"{misnamed[0]} is not a modifier in the cited passages")
    new_words = unsupported_words(claim, support, allowed)
    content = [w for w in words(claim) if w not in _STOP and len(w) > 2 and not any(ch.isdigit() for ch in w)]
    if not content and not facts(claim):
        # "No, no, no [1].": a small model's stutter cites and contradicts nothing, and says nothing either.
        return CheckedSentence(claim, cited, False, "says nothing of its own")
    if content and 1 - len(new_words) / len(content) < MIN_WORD_SUPPORT:
        return CheckedSentence(claim, cited, False, "words not in the cited passages: " + ", ".join(new_words))
    if allowed:
        return CheckedSentence(claim, cited, True)
    if _flips_coverage(claim, support):
        return CheckedSentence(claim, cited, False, "states coverage the cited passages deny")
    if _negated(claim) and not _negated(support):
        return CheckedSentence(claim, cited, False, "negates what the cited passages state")
    if _negated(text) and not _negated(claim):
        return CheckedSentence(claim, cited, False, "drops the negation of the cited passages")
    return CheckedSentence(claim, cited, True)


def _flips_coverage(claim: str, support: str) -> bool:
    if not _COVERAGE_CLAIM.search(claim):
        return False
    support_denies = bool(re.search(r"\bnot (medically necessary|covered)\b|\bnot eligible\b", support, re.I))
    return support_denies and not _negated(claim)


def verify_answer(answer: str, evidence: dict[int, Evidence]) -> tuple[list[CheckedSentence], list[CheckedSentence]]:
    """Split a generated answer into sentences: (kept, dropped).

    A reply that opens with markers ("[2] ...", the form the prompt asks for) cites them for each of its
    sentences that names no passage of its own. A sentence repeating a kept one is left out.
    """
    text = attach_markers(answer.strip())
    opening = _OPENING_MARKERS.match(text)
    inherited = opening.group(0).strip() if opening else ""
    kept: list[CheckedSentence] = []
    dropped: list[CheckedSentence] = []
    for s, e in sentence_spans(text):
        sentence = text[s:e].strip()
        if not strip_markers(sentence):
            continue
        if inherited and not markers(sentence):
            sentence = f"{inherited} {sentence}"
        checked = check_sentence(sentence, evidence)
        if checked.ok and checked.text.casefold() in {k.text.casefold() for k in kept}:
            continue
        (kept if checked.ok else dropped).append(checked)
    return kept, dropped
