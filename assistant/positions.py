"""Coverage positions: which passages state a payer's decision, which decision, and about what.

A decision is said in many words ("medically necessary", "proven and medically necessary", "meets ... medical
criteria for coverage", "meets the definition of medical necessity", "reasonable and necessary", "eligible for
coverage"; "not medically necessary",
"experimental, investigational or unproven", "not covered", "non-covered"). It is stated by a sentence, by
the lead-in of a list ("Aetna considers the following medically necessary:"), by the caption of a code table
("CPT codes not covered for indications listed in the CPB:") or by the heading a statement sits under
("Investigational and Not Medically Necessary:"). What it is about is the document's own words around the
decision, so an answer built from it quotes the document.
"""

from __future__ import annotations

import re

from .fields import is_label
from .text import OUTLINE_MARK, sentence_spans

# Checked in this order: a negative decision contains the words of a positive one.
DECISION_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "investigational",
        re.compile(
            r"\b(?:experimental|investigational|investigative|unproven|not\s+proven)\b|"
            # Blue Cross Blue Shield of Michigan's words: "... is established" covers, "not established" does not.
            r"\b(?:is|are|be|been|considered)\s+not\s+established\b|\bnot\s+(?:been\s+)?established\s+as\b",
            re.I,
        ),
    ),
    (
        "not-medically-necessary",
        re.compile(
            r"\bnot\s+(?:be\s+)?(?:considered\s+|deemed\s+)?medically\s+necessary|\bmedically\s+unnecessary|"
            r"\bnot\s+(?:considered\s+)?reasonable\s+and\s+necessary|"
            r"\bdoes\s+not\s+meet\b[^.;:]{0,90}\b(?:criteria\s+for\s+coverage|(?:definition\s+of\s+)?medical\s+necessity)|"
            r"\bnot\s+(?:be\s+)?(?:considered\s+)?medically\s+appropriate|"
            # "A lack of response does not make a repeat procedure medically necessary."
            r"\bnot\s+(?:make|render)s?\b[^.;:,]{0,60}?\bmedically\s+necessary",
            re.I,
        ),
    ),
    (
        "not-covered",
        re.compile(
            r"\bnot\s+(?:be\s+)?covered|\bnon-?covered|\b(?:does|do)\s+not\s+cover\b|\bnot\s+a\s+covered\s+(?:benefit|service)|"
            r"\bexcluded\s+from\s+coverage|\bwill\s+not\s+(?:be\s+)?(?:covered|cover|pay|reimburse)|"
            r"\bnot\s+eligible\s+for\s+(?:coverage|reimbursement)|\bshall\s+not\s+(?:be\s+)?cover|"
            r"\b(?:may|will|are|is)\s+not\s+be\s+eligible\b|\bnot\s+eligible\s+under\b|"
            # A Medicaid manual's wording: "... is not a benefit of Texas Medicaid", "are not a benefit".
            r"\bnot\s+a\s+(?:[\w-]+\s+)?benefit\b|"  # "... is not a Medi-Cal benefit"
            # A commission's recommendation ("... is not (or no longer) recommended for coverage"), a manual's "not
            # reimbursable".
            r"\b(?:not|no\s+longer)\s+(?:be\s+)?recommended\s+for\s+coverage\b|\bnot\s+reimbursable\b|"
            # TRICARE pays its share of what it covers: what it does not cover "may not be cost-shared".
            r"\b(?:may|will|shall|can)\s*not\s+be\s+cost-shared\b|\bnot\s+cost-shared\b|"
            # A plan that decides by authorizing: "Tufts Health Plan will not authorize X".
            r"\b(?:will|does|do|shall|may)\s+not\s+(?:be\s+)?authoriz(?:e|ed)\b"
            r"(?!\s+(?:without|until|unless|prior|before)\b)",
            re.I,
        ),
    ),
    (
        "medically-necessary",
        re.compile(
            r"\bmedically\s+necessary|\breasonable\s+and\s+necessary|\bmedically\s+appropriate|"
            # "... meets the definition of medical necessity when ...", "meet the criteria for coverage"
            r"\bmeets?\b[^.;:]{0,90}\b(?:criteria\s+for\s+coverage|definition\s+of\s+medical\s+necessity)",
            re.I,
        ),
    ),
    (
        "covered",
        re.compile(
            # "... which are covered by other LCDs": addressed by another document, no decision.
            r"\b(?:is|are|be|considered|nationally|will\s+be|may\s+be|shall\s+be)\s+covered\b"
            r"(?!\s+(?:by|in|under)\s+(?:other|another|a\s+separate|separate)\s+"
            r"(?:polic(?:y|ies)|lcds?|ncds?|documents?|guidelines?|articles?|bulletins?)\b)|"
            r"\beligible\s+for\s+coverage|\bmay\s+(?:be\s+)?eligible\b|\bshall\s+cover\b|\bmay\s+cover\b|"
            # "HealthPartners covers inferior turbinate reduction when ALL of the following ...": on a condition
            # in the same sentence, however long the name of what is covered ("this policy covers every
            # product" decides nothing).
            r"(?<!policy )(?<!document )(?<!guideline )(?<!article )\bcovers\b(?=[^.;:]*\b(?:when|if)\b)|"
            r"\b(?:is|are)\s+(?:considered\s+)?established\b(?!\s+(?:by|in|that|with|through)\b)|"
            r"\bcovered\s+(?:if|when)\b|\(covered\)|"  # "is established (covered) when ..."
            # "Tufts Health Plan may authorize coverage of X when ...", "Repeat X may be authorized when ...".
            r"\b(?:may|will)\s+authorize\s+(?:coverage|payment)\b|"
            r"\b(?:may|will|shall)\s+be\s+cost-shared\b|"  # TRICARE's word for what it covers
            r"\b(?:may|will)\s+be\s+authorized\b(?=[^.;:]*\b(?:when|if)\b)|"
            # "... is a benefit of Texas Medicaid when ...": of a named program or plan, or on a condition (a
            # study's "benefit of treatment" is no decision).
            r"\b(?:is|are)\s+a\s+benefit\b(?=\s+(?:of|under|for)\s+(?:the\s+)?(?-i:[A-Z])|\s+(?:when|if)\b)|"
            # "... is a Medi-Cal benefit for recipients ...", "a TRICARE benefit", "is a covered benefit with
            # conditions" (a program's name: hyphenated, in capitals or Medicaid/Medicare; "a Key benefit" is none)
            r"\b(?:is|are)\s+a\s+(?:covered|(?-i:[A-Z]\w*-[A-Z]\w*|[A-Z]{2,}\w*)|medicaid|medicare)\s+benefit\b|"
            # A commission recommends coverage ("... is recommended for coverage ... when"); a manual says what is
            # paid on a condition ("... is reimbursable with an approved TAR when ...").
            r"\brecommended\s+for\s+coverage\b|\b(?:is|are)\s+reimbursable\b(?=[^.;:]*\b(?:when|if)\b)",
            re.I,
        ),
    ),
]
NEGATIVE_DECISIONS = {"investigational", "not-medically-necessary", "not-covered"}
# A passage that goes on from the statement before it ("and the medical record documents all of the following:").
GOES_ON = re.compile(r"\s*(?:and|or|plus|as well as)\b", re.I)
# Leading words that say who decides, not what is decided ("Based on review of available data, the Company
# considers ...", "Aetna considers ...", "It is the policy of health plans ... that").
_WHO = re.compile(
    r"^(?:based on [^,]{0,80},\s*)?(?:(?:it is the (?:policy|position) of [^,]{0,80}?that)|"
    # "Aetna considers", not "X is considered": in the passive the words before are the subject.
    r"(?:[A-Z][\w&.'’ -]{0,60}?\s)?(?:may\s+)?(?<!\bis\s)(?<!\bare\s)(?<!\bbe\s)consider(?:s|ed)?|the following|"
    r"(?:[A-Z][\w&.'’ -]{0,60}?)\s+(?:members\s+)?may\s+be\s+eligible\s+under\s+the\s+plan\s+for)\s*",
    re.I,
)
_LINK = re.compile(
    r"\s*(?:,\s*)?(?:is|are|to\s+be|be|was|were|as|is\s+considered|are\s+considered|considered|"
    r"(?:may|must|can|will|would|should)\s+be(?:\s+considered)?|"
    r"deemed|and\s+therefore|therefore)\s*$",
    re.I,
)
_CRITERIA = re.compile(
    r"\b(?:all|any(?: one)?|each|both|either|one|one or more|at least (?:one|\w+)) of the following\b|"
    r"\bfollowing (?:criteria|conditions|indications)\b|\bwhen\b[^.]*\bcriteria\b|\bwhen\b[^.]*\b(?:is|are) met\b",
    re.I,
)
_STOP_AFTER = re.compile(
    r"\s*(?:\bwhen\b|\bif\b|\bfor\s+(?:the\s+)?(?:following|all)\b|\bdue to\b|\bbecause\b|"
    r"\bbased on\b|:|;).*$",
    re.I | re.S,
)
_GENERIC_SUBJECT = re.compile(
    r"^(?:the\s+)?(?:service|services|procedure|procedures|treatment|this|it|these|"
    r"they|health care services|care|technology|item|following)\.?$",
    re.I,
)


# "a medically necessary service", "any medically necessary care": the words qualify a noun, they decide nothing.
_ATTRIBUTIVE = re.compile(r"\b(?:a|an|any|all|only|every)\s+$", re.I)
# A decision's words inside a "whether" clause are a question the sentence leaves open; so are they after "does
# not mean" or "does not guarantee" ("Listing a code does not mean the service is covered").
_OPEN_QUESTION = re.compile(
    r"\bwhether\b[^.;:,]*$|\b(?:does|do|is|are)\s+not\s+(?:necessarily\s+|automatically\s+)?"
    r"(?:mean|imply|implies|guarantee|a guarantee)\b(?:(?!,\s*(?:and|but)\b)[^.;:])*$",
    re.I,
)
# ... and inside what a document says it describes ("This policy sets out when Ambetter considers X medically
# necessary", "This document addresses the criteria under which ..."): its scope, not a decision.
_DESCRIBED = re.compile(
    r"\b(?:polic(?:y|ies)|documents?|guidelines?|lcds?|ncds?|articles?|bulletins?)\b[^.;:]{0,40}?"
    r"\b(?:describes?|sets?\s+(?:out|forth)|address(?:es)?|outlines?|explains?|summari[sz]es?|defines?)\b[^.;:]*"
    r"\b(?:when|under\s+which|in\s+which|for\s+which|the\s+(?:criteria|circumstances|conditions|indications))\b[^.;:]*$",
    re.I,
)


def decision_in(text: str) -> tuple[str, int, int] | None:
    """The decision a text states, with where its words are; the earliest wins, a negative over the
    positive it contains."""
    found: list[tuple[int, int, str]] = []
    for decision, pattern in DECISION_PATTERNS:
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e, _ in found):
                continue  # the "medically necessary" inside "not medically necessary"
            if _OPEN_QUESTION.search(text[: m.start()]) or _DESCRIBED.search(text[: m.start()]):
                continue  # "... says nothing about whether the service is covered": asked, not decided
            if decision == "medically-necessary" and _ATTRIBUTIVE.search(text[: m.start()]):
                continue  # "A medically necessary service is one that ...": a definition, no decision
            found.append((m.start(), m.end(), decision))
    if not found:
        return None
    start, end, decision = min(found)
    return decision, start, end


def about_of(sentence: str, start: int, end: int) -> str:
    """What a decision is about, in the sentence's own words: the subject before the decision, else what
    follows it ("... considers the following medically necessary: ..." is about its list)."""
    # An outline's mark ("I.", "A.") numbers the statement; it is no part of its subject.
    before = _WHO.sub("", OUTLINE_MARK.sub("", sentence[:start].strip()))
    before = _LINK.sub("", before).strip(" ,;:")
    # "... considered not medically necessary: - X": a list's first item is no less its subject for its mark
    after = re.sub(r"^[\s,;:]*(?:[-•*]|\d{1,2}[.)])\s+", "", _past_decision_words(sentence[end:])).strip(" ,;:")
    after = re.sub(r"^(?:for|to|in|of)\s+", "", after, flags=re.I)
    after = _STOP_AFTER.sub("", after).strip(" ,;:.")
    # "HealthPartners covers X when ...", "Medicaid shall cover X", "SelectHealth does not cover X": the payer
    # acts, and X is what it covers or not (the payer is never the subject; "the following" is its list's).
    active = re.match(
        r"(?:(?:shall|may)\s+)?covers?\b|(?:does|do|will|shall)\s+not\s+cover\b|"
        r"(?:may|will)\s+authorize\b|(?:will|does|do|shall|may)\s+not\s+authorize\b",
        sentence[start:end],
        re.I,
    )
    for part in (after,) if active else (before, after):
        if _content(part):
            return part
    return ""


def _past_decision_words(after: str) -> str:
    """What follows a decision named in several words ("experimental, investigational, or unproven (EIU)",
    "experimental/investigational"): the rest of the names, and their abbreviation, are no subject."""
    while True:
        rest = re.sub(r"^(?:\s|[,/]|\b(?:or|and)\b)*", "", after)
        found = decision_in(rest)
        if not found or found[1] != 0:
            return re.sub(r"^\s*\([A-Z/&]{2,8}\)", "", after)
        after = rest[found[2] :]


def _content(text: str) -> bool:
    return len(re.findall(r"[A-Za-z]{3,}", text)) >= 1 and not _GENERIC_SUBJECT.match(text.strip())


def has_criteria(text: str) -> bool:
    return bool(_CRITERIA.search(text))


def position_of(text: str, kind: str, section: tuple[str, ...], lead: str = "") -> tuple[str, str]:
    """(decision, about) a passage states, or ("", "").

    A table row's status cell comes first; then a sentence of its own; then the lead-in it continues; then, for
    a table row or a statement under a heading that states a decision ("Not Medically Necessary:"), that heading
    or caption, with the passage's own first words as what it is about."""
    status = _status_cell(text) if kind == "row" else None
    if status:
        return status
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        # A question asks for a decision ("Q: Is cryoablation medically necessary?"); its answer states one.
        found = None if sentence.rstrip().endswith("?") else decision_in(sentence)
        if found:
            decision, ds, de = found
            about = about_of(sentence, ds, de)
            if about or kind == "list":
                return decision, about or _first_item(text)
    if lead:
        found = decision_in(lead)
        if found:
            # A list going on from the statement ("and the medical record documents all of the following:") is
            # about what the statement is about; an item of a list is about its own first words.
            goes_on = GOES_ON.match(text)
            return found[0], (goes_on and about_of(lead, found[1], found[2])) or _subject(text)
    first = next((text[s:e] for s, e in sentence_spans(text)), text)
    if kind == "paragraph" and _REQUEST.search(first):
        return "", ""  # how to ask for the service ("Preauthorization is required ..."), under whatever heading
    for heading in reversed(section[-2:]):
        found = decision_in(heading)
        if found and not _both_ways(heading):
            return found[0], _subject(text) if kind != "row" else _row_subject(text)
    return "", ""


# A request for approval of a service is a step of billing it, not a decision on it: a paragraph on it decides
# nothing, even under a decision's heading ("Not covered", where a PDF's layout leaves it).
_REQUEST = re.compile(r"\b(?:prior\s+auth\w*|pre-?auth\w*|pre-?cert\w*|prior\s+approval)\b", re.I)


def _both_ways(heading: str) -> bool:
    """Does a heading name both sides ("Covered and Noncovered Services", "Proven and Unproven Services")? Then it
    decides neither: the rows under it say which is which."""
    negative = [m for d, pattern in DECISION_PATTERNS if d in NEGATIVE_DECISIONS for m in pattern.finditer(heading)]
    rest = heading
    for m in negative:
        rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end() :]
    return bool(negative) and bool(
        re.search(
            r"\bcovered\b|\bmedically necessary\b|\bmedical necessity\b|\bcoverage criteria\b|\bproven\b|"
            r"\bestablished\b|\beligible\b",
            rest,
            re.I,
        )
    )


# Footnote marks a status cell may carry ("Covered – no PA¹").
_NOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§ "
_CODES_ONLY = re.compile(r"^[\s+,;/&\-–]*(?:(?:[A-Z]?\d{4}[0-9A-Z]?|[A-Z]\d{2}(?:\.\w+)?)[\s+,;/&\-–]*|and\s+|or\s+)+$")


def _decision_of_cell(cell: str) -> str:
    """The decision a cell states and nothing else: "Covered – PA required", "Not covered – investigational"."""
    bare = cell.rstrip(_NOTE_MARKS)
    found = decision_in(bare)
    if found and found[1] == 0:
        return found[0]
    return "covered" if re.match(r"covered\b", bare, re.I) else ""


def status_cell(cells: list[str]) -> str | None:
    """A grid's status cell: the first short cell after the row's first that is not a list of codes, when it
    states a decision ("Service | CPT | Covered – PA required | Notes"). A short cell that states none ("See
    policy") is the status column too, and then a note after it decides nothing for the row."""
    if len(cells) < 2 or is_label(cells[0]):
        return None  # "Effective Date | Covered": a header field, not a service's status
    for cell in cells[1:]:
        bare = cell.rstrip(_NOTE_MARKS).strip()
        if not bare or _CODES_ONLY.match(bare) or len(bare.split()) > 6:
            continue
        return cell if _decision_of_cell(cell) else None
    return None


def _status_cell(row: str) -> tuple[str, str] | None:
    """(decision, about) of a row whose status cell states a decision (see `status_cell`): it states the row's
    decision, and a note in another cell ("... for BPH is not covered") is said of something narrower. What it is
    about is the row's first cell, or its first cell of words when that one holds only codes."""
    cells = [c.strip() for c in row.split(" | ")]
    status = status_cell(cells)
    if status is None:
        return None
    about = next((c for c in cells if c is not status and c and not _CODES_ONLY.match(c)), "")
    return _decision_of_cell(status), about


def _first_item(text: str) -> str:
    item = re.search(r"(?:^|\s)(?:[-•*]|\d{1,2}[.)]|[a-z][.)])\s+(.+?)(?=\s(?:[-•*]|\d{1,2}[.)]|[a-z][.)])\s|$)", text)
    return item.group(1).strip(" ;,.") if item else ""


def _subject(text: str) -> str:
    """The first words of a passage, up to its first clause break: what a statement under a heading is about."""
    first = re.sub(r"^(?:[-•*]|\d{1,2}[.)]|[a-z][.)])\s+", "", text.strip())
    return _STOP_AFTER.sub("", first)[:200].strip(" ,;:.")


def _row_subject(row: str) -> str:
    cells = [c.strip() for c in row.split(" | ") if c.strip()]
    return cells[1] if len(cells) > 1 else (cells[0] if cells else "")
