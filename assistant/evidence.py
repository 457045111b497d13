"""Reading retrieved passages closely: the best quotable sentences, and whether they answer at all.

This is the extractive half of the assistant. It must stand on its own: with a
small language model, many answers are made of these quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from . import codes as code_rules
from .payers import payers_named
from .text import words
from .types import Document, Hit, Passage, Quote
from .vocabulary import COVERAGE_WORDS, synonyms

GENERIC = set(
    """what which who whom whose when where why how does do did is are was were be the a an of to in on for
and or by with as at from this that these those it its can could may might should would will please
tell me list show give say says said according document documents code codes cpt hcpcs about any
there their they i we you my our your question answer find get have has had use used using under
kind sort mean means meaning listed many much alongside""".split()
)

# Below this share of the question's words (by weight) in the best quote and its context, the quote is about
# something else: "What prior authorization form does Cigna require for 0581T?" finds 0581T's row, no form.
# Calibrated on evals/qa.jsonl: answerable questions reach 0.25 and up, unanswerable ones start at 0.
MIN_COVERAGE = 0.2
# Kinds of value a question can ask for, and what the evidence must then contain.
VALUE_KINDS = {
    # "Will Cigna pay for X?" asks about coverage, not an amount: only amount words count here.
    "payment amount": (
        re.compile(
            r"\b(how much|payment|paid|pays? (?:amount|rate)|price|cost|fee|allowable|copay\w*|"
            r"coinsurance|reimbursement (?:rate|amount)|dollars?)\b|\$",
            re.I,
        ),
        re.compile(r"\$\s?\d|\bUSD\b|\bdollars?\b", re.I),
    ),
    "relative value units": (
        re.compile(r"\b(rvus?|relative value)\b", re.I),
        re.compile(r"\bRVUs?\b|relative value unit", re.I),
    ),
    "phone number": (
        re.compile(r"\b(phone|telephone|call|fax)\b", re.I),
        re.compile(r"\(?\b\d{3}\)?[-.\s]\d{3}[-.]\d{4}\b"),
    ),
    "email address": (re.compile(r"\be-?mail\b", re.I), re.compile(r"\b\S+@\S+\.\w+\b")),
    # "address" as a noun; "which treatments does the policy address?" is a verb.
    "mailing address": (
        re.compile(
            r"\b((?:mailing|street|postal|office) address|address (?:of|for|to)|the address|"
            r"mail (?:to|it)|where (?:do|should) i (?:send|mail))\b",
            re.I,
        ),
        re.compile(r"\b\d+\s+\w+\s+(street|st\.|avenue|ave\.|road|rd\.|suite|p\.?o\.? box)\b", re.I),
    ),
    "ICD-10 code": (re.compile(r"\b(icd-?10|icd|diagnos(?:is|es) codes?)\b", re.I), code_rules.PATTERNS["icd10"]),
    "taxonomy code": (re.compile(r"\btaxonom(?:y|ies)\b", re.I), code_rules.PATTERNS["taxonomy"]),
}
_QUANTITY = re.compile(
    r"\b(how (many|much|long|old)|number of|rate|percent(age)?|proportion|share|figure|"
    r"efficacy|survival|recurrence|size|age)\b",
    re.I,
)
_COUNTED = re.compile(r"\bhow many (\w+)", re.I)  # "studies" in "how many studies ...?"
_LIST = re.compile(r"\b(which|what|list|all)\b.*\b(codes|modifiers|diagnoses|specialties|taxonomies)\b", re.I)
_DECISION = re.compile(
    r"\b(medically necessary|coverage (?:decision|status|determination)|reimburs\w*|"
    r"prior auth\w*|pre-?auth\w*|deny|denied)\b",
    re.I,
)
_DETERMINATION = re.compile(r"\b(?:medically necessary|covered)\b", re.I)
_COVERAGE_QUESTION = re.compile(
    r"\b(cover(?:ed|s|age)?|medically necessary|pay for|reimburse\w*|approve\w*|"
    r"deny|denied|prior auth\w*|pre-?auth\w*|policy)\b",
    re.I,
)


def content_terms(question: str) -> list[str]:
    """The words that say what is asked; two-letter acronyms count when typed in capitals ("CT", "US")."""
    acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{2}\b", question)}
    return [w for w in words(code_rules.normalise(question)) if w not in GENERIC and (len(w) > 2 or w in acronyms)]


def asks_quantity(question: str) -> bool:
    return bool(_QUANTITY.search(question))


def asks_list(question: str) -> bool:
    return bool(_LIST.search(question))


def _counts(text: str, noun: str) -> bool:
    """Does the text give a number of `noun` ("17 studies", "26 female participants")?"""
    return bool(re.search(rf"\d[\d,.]*\s+(?:[\w-]+\s+)?{re.escape(_stem(noun))}", text, re.I))


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def _stem(word: str) -> str:
    return word[:5]  # crude but robust: covered/coverage, modifier/modifiers, cryoablation/cryoablaton


def _cell_asked(cell: str, stems: set[str]) -> bool:
    cell_words = [w for w in words(cell) if w not in GENERIC and len(w) > 2]
    return bool(cell_words) and all(_stem(w) in stems for w in cell_words)


def render(quote: Quote) -> str:
    """A quote as it reads in an answer: table rows get their column labels and table name back."""
    p = quote.passage
    if p.kind == "table-header":
        return f"{p.section[-1]}: the table “{p.text}” is cut off in the source before its first row."
    if p.kind == "row" and p.header:
        labels = [h.strip() for h in p.header.split("|")]
        cells = [c.strip() for c in p.text.rstrip(" |").split(" | ")]
        pairs = "; ".join(f"{label}: {cell}" for label, cell in zip(labels, cells) if cell)
        return f"{p.section[-1]} — {pairs}" + (" (the source table is cut off here)" if p.truncated else "")
    return quote.text


def best_quotes(question: str, hits: list[Hit], limit: int = 3, weight=lambda term: 1.0) -> list[Quote]:
    terms = content_terms(question)
    weights = {_stem(t): weight(t) for t in terms if not any(ch.isdigit() for ch in t)}  # codes score separately
    mean = sum(weights.values()) / len(weights) if weights else 1.0
    for term in words(question):  # a glossary word counts for half of the word the user typed
        for synonym in synonyms(term):
            weights.setdefault(_stem(synonym), 0.5 * weights.get(_stem(term), mean))
    stems = set(weights)
    # The words the user typed, each with the documents' equivalents of it (for coverage, not ranking).
    asked = {_stem(t): (t, weights[_stem(t)], {_stem(w) for w in synonyms(t)}) for t in terms if _stem(t) in weights}
    asked_weight = sum(w for _, w, _ in asked.values()) or 1.0
    wanted_codes = {c.value for c in code_rules.find_in_query(question)}
    quantity, asked_numbers = asks_quantity(question), _numbers(question)
    counted = _COUNTED.search(question)
    decision = asks_decision(question, payers_named(question, typed=True), list(wanted_codes))
    quotes: list[Quote] = []
    for rank, hit in enumerate(hits):
        p = hit.passage
        doc = hit.document
        # What the whole document is (its payer, its kind) holds for each of its sentences.
        kind_words = doc.kind.replace("-", " ") + (" policy" if doc.kind == "coverage-policy" else "")
        document_level = {_stem(w) for w in words(f"{doc.payer or ''} {kind_words}")}
        spans = p.sentences or ((0, len(p.text), p.start, p.end),)
        # The first sentence of a passage (or of the chunk it continues) names what the rest is about.
        subject = p.lead or p.text[spans[0][0] : spans[0][1]]
        context = {_stem(w) for w in words(f"{p.section_path} {p.header} {doc.title} {subject}")}
        # A table row means what its header and caption say ("Considered Not Medically Necessary").
        row_level = {_stem(w) for w in words(f"{p.section[-1]} {p.header}")} if p.kind == "row" else set()
        for ts, te, ss, se in spans:
            text = p.text[ts:te]
            sentence_words = words(text)
            own = {_stem(w) for w in sentence_words} | document_level | row_level
            score = sum((1.0 if s in own else 0.5 if s in context else 0.0) * weights[s] / mean for s in stems)
            named = {c.value for c in code_rules.find_codes(text)} | (set(p.codes) if p.kind == "row" else set())
            # A sentence of the summary about a code speaks of that code even where it does not repeat it,
            # but one that names the code is the more direct answer.
            score += 2.0 * len(wanted_codes & named)
            score += 1.5 * len(wanted_codes & ({doc.code, doc.policy_number} - named))
            if p.kind == "row" and any(_cell_asked(cell, stems) for cell in p.text.split(" | ")[1:]):
                score += 1.0  # a cell that is exactly what the question names ("Interventional Radiology")
            if quantity and _numbers(text) - asked_numbers:
                score += 1.0  # "how many ...?" is answered by a sentence with a figure the question lacks
            if counted and _counts(text, counted.group(1)):
                score += 1.5  # ... best by one that counts what is asked about ("17 studies")
            if decision and _DETERMINATION.search(f"{text} {p.section[-1] if p.kind == 'row' else ''}"):
                score += 1.5  # "What is Cigna's position on X?" is answered by a determination about X
            score += 1.0 / (rank + 2) - 0.01 * len(sentence_words)  # of two equal matches, the shorter says it
            seen = own | context
            unmatched = [(t, w) for s, (t, w, alts) in asked.items() if s not in seen and not (alts and alts <= seen)]
            coverage = 1.0 - sum(w for _, w in unmatched) / asked_weight
            unmatched.sort(key=lambda tw: -tw[1])
            quotes.append(Quote(hit, rank, text, ts, ss, se, score, tuple(t for t, _ in unmatched), coverage))
    quotes.sort(key=lambda q: -q.score)
    if not quotes:
        return []
    top = quotes[0]
    chosen = [top]
    for q in quotes[1:]:
        if len(chosen) >= limit:
            break
        same_table = q.passage.kind == "row" and top.passage.kind == "row" and q.passage.section == top.passage.section
        if q.score >= (0.9 if same_table else 0.8) * top.score and q.text not in {c.text for c in chosen}:
            chosen.append(q)
    return chosen


@dataclass
class Verdict:
    answerable: bool
    reason: str = ""


class IndexFacts(Protocol):
    """What the judge needs to know about the whole index (the Retriever provides it)."""

    payers: set[str]

    def knows_code(self, code: str) -> bool: ...

    def knows_term(self, term: str) -> bool: ...

    def documents_with_code(self, code: str) -> list[Document]: ...


def judge(question: str, hits: list[Hit], quotes: list[Quote], index: IndexFacts) -> Verdict:
    """Does the evidence contain what is asked? Rules about kinds of claims, not about particular questions."""
    asked_codes = [c.value for c in code_rules.find_in_query(question) if c.kind != "policy"]
    unknown_codes = [c for c in asked_codes if not index.knows_code(c)]
    if asked_codes and len(unknown_codes) == len(asked_codes):
        return Verdict(False, f"no document mentions {', '.join(unknown_codes)}")
    named_payers = payers_named(question, typed=True)
    if _COVERAGE_QUESTION.search(question):
        missing = [p for p in named_payers if p.lower() not in index.payers]
        if missing:
            return Verdict(False, f"no {missing[0]} coverage policy is among the documents")
    if not hits or not quotes:
        return Verdict(False, "no passage matches this question")
    # A question about a code is answered by what is said about that code, not by a neighbour's table.
    about = [h for h in hits if set(asked_codes) & (set(h.passage.codes) | {h.document.code})]
    evidence = " ".join(h.passage.text for h in about or hits)
    for kind, (asks, shows) in VALUE_KINDS.items():
        if asks.search(question) and not shows.search(evidence):
            return Verdict(False, f"no {kind} appears in the passages that match this question")
    if asks_decision(question, named_payers, asked_codes):
        # A coverage decision about a code is only stated by a coverage policy that lists it; a CPT summary
        # naming the payer, or another code's row in the policy, says nothing about it.
        wanted = {p.lower() for p in named_payers}
        for code in asked_codes:
            policies = [
                d
                for d in index.documents_with_code(code)
                if d.kind == "coverage-policy" and (not wanted or (d.payer or "").lower() in wanted)
            ]
            if not policies:
                payer = f"{named_payers[0]} " if named_payers else ""
                return Verdict(False, f"no {payer}coverage policy among the documents lists {code}")
    top = quotes[0]
    if top.passage.kind == "table-header" or (
        top.passage.kind == "row" and top.passage.truncated and _filled_cells(top.passage.text) <= 1
    ):
        return Verdict(
            False,
            f"the table “{top.passage.header}” in {top.hit.document.title} › "
            f"{top.passage.section_path} is cut off in the source before it gets there",
        )
    terms = content_terms(question)
    unknown = [t for t in terms if not index.knows_term(t)]
    if unknown and len(unknown) >= len(terms) / 3:
        return Verdict(False, f"“{unknown[0]}” does not appear in any document")
    if top.coverage < MIN_COVERAGE:
        missing = " or ".join(f"“{w}”" for w in top.unmatched[:2])
        return Verdict(False, f"the closest passages say nothing of {missing}")
    return Verdict(True)


def asks_decision(question: str, payers: list[str], codes: list[str]) -> bool:
    """Is this a question about a payer's coverage decision (not "which code covers guidance")?"""
    if _DECISION.search(question) or (payers and COVERAGE_WORDS & set(words(question))):
        return True
    return any(
        re.search(rf"\b(?:is|are|was)\s+(?:cpt\s+|code\s+)*{re.escape(code)}\b[^?.]*\bcovered\b", question, re.I)
        for code in codes
    )


def _filled_cells(row: str) -> int:
    return sum(1 for cell in row.split("|") if cell.strip())


def table_quotes(rows: list[Passage], hits: list[Hit]) -> list[Quote]:
    """A whole table as quotes, for questions that ask for a list ("which modifiers ...")."""
    by_id = {h.passage.id: h for h in hits}
    template = hits[0]
    out = []
    for i, row in enumerate(rows):
        hit = by_id.get(row.id) or Hit(row, template.document, template.score, {"table"})
        out.append(Quote(hit, i, row.text, 0, row.start, row.end, template.score))
    return out
