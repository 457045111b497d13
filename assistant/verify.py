"""Verification of generated answers against the passages they cite.

A sentence survives only if it cites at least one passage, every fact in it
(number, date, percentage, code, payer) appears in a passage it cites, most of
its words come from those passages, and it does not turn a "not covered" into
a "covered". Everything else is dropped and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from . import codes as code_rules
from .parsing import payers_named
from .text import comparable, sentence_spans, words

_MARKER = re.compile(r"\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\]")
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d{1,2}(?:\s*,\s*\d{1,2})*\])+)")
_NUMBER = re.compile(r"(?<![A-Za-z])\d+(?:[.,]\d+)*")
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_DATE_WORDS = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                         r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+(\d{1,2}),?\s+(\d{4})\b", re.I)
_CODE_SYSTEM = re.compile(r"\bICD-?(?:9|10)(?:-CM|-PCS)?\b", re.I)  # the name of a code set, not a number
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NEGATIONS = {"not", "no", "never", "non", "excluded", "denied", "neither", "nor", "insufficient", "without"}
_COVERAGE_CLAIM = re.compile(r"\b(covered|covers|cover|coverage|medically necessary|reimbursable|approved)\b", re.I)
_STOP = set("""a an the of to in on for and or by with as at from is are was were be been being this that these
those it its which who whom what when where why how do does did can could may might should would will shall
use used using per any all each such than then there their they them also into about under over more most
other some only same so not no""".split())
MIN_WORD_SUPPORT = 0.6


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


def facts(text: str) -> set[str]:
    """Numbers, dates, codes and payers in a text, in a normalised comparable form."""
    text = _CODE_SYSTEM.sub(" ", code_rules.normalise(text))
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
    for number in _NUMBER.findall(text):
        found.add("num:" + _plain_number(number))
    for word in words(text):
        if word in _NUMBER_WORDS:
            found.add("num:" + _NUMBER_WORDS[word])
    found |= {"payer:" + payer.lower() for payer in payers_named(text)}
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
    missing = facts(claim) - have - extra
    plain = code_rules.normalise(support).upper()
    return {f for f in missing if not (f.startswith("code:") and re.search(rf"(?<![\w.]){re.escape(f[5:])}(?![\w])", plain))}


def _stem(word: str) -> str:
    return word[:6]


def check_sentence(sentence: str, evidence: dict[int, Evidence]) -> CheckedSentence:
    cited = [n for n in markers(sentence) if n in evidence]
    claim = strip_markers(sentence)
    if not cited:
        return CheckedSentence(claim, [], False, "cites no passage")
    support = " ".join(evidence[n].context + " " + evidence[n].text for n in cited)
    missing = unsupported(claim, support)
    if missing:
        return CheckedSentence(claim, cited, False, "not in the cited passages: " +
                               ", ".join(sorted(f.split(":", 1)[1] for f in missing)))
    claim_words = [w for w in words(claim) if w not in _STOP and len(w) > 2]
    support_stems = {_stem(w) for w in words(comparable(support))}
    if claim_words:
        share = sum(1 for w in claim_words if _stem(w) in support_stems) / len(claim_words)
        if share < MIN_WORD_SUPPORT:
            return CheckedSentence(claim, cited, False, f"only {share:.0%} of its words are in the cited passages")
    if _flips_coverage(claim, support):
        return CheckedSentence(claim, cited, False, "states coverage the cited passages deny")
    return CheckedSentence(claim, cited, True)


def _flips_coverage(claim: str, support: str) -> bool:
    if not _COVERAGE_CLAIM.search(claim):
        return False
    claim_negated = bool(_NEGATIONS & set(words(claim)))
    support_denies = bool(re.search(r"\bnot (medically necessary|covered)\b|\bnot eligible\b", support, re.I))
    return support_denies and not claim_negated


def verify_answer(answer: str, evidence: dict[int, Evidence]) -> tuple[list[CheckedSentence], list[CheckedSentence]]:
    """Split a generated answer into sentences: (kept, dropped)."""
    text = attach_markers(answer.strip())
    kept, dropped = [], []
    for s, e in sentence_spans(text):
        sentence = text[s:e].strip()
        if not strip_markers(sentence):
            continue
        checked = check_sentence(sentence, evidence)
        (kept if checked.ok else dropped).append(checked)
    return kept, dropped
