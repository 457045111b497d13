"""Fact selection: for an understood question, the passages that answer it, or why none does.

By what is asked: a coverage question is answered by a coverage position of the payer's documents about the
subject; a modifier, ICD-10, taxonomy or related-code question by the row of that table for the code; a date or
number question by the document's labelled fields; any other question by the sentence that says it. A
question is not answered when the asked thing is not found for the asked subject (and payer): the reason
says what was looked for, in plain words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Protocol

import Stemmer
from bm25s.stopwords import STOPWORDS_EN

from . import codes as code_rules
from .embeddings import english_words
from .fields import DATE as FULL_DATE
from .fields import parse_date
from .measures import checks as measure_checks
from .parsing import LEAD_LIMIT
from .payers import COMMERCIAL, mentions, program_of, programs_named, public_programs_named
from .payers import matches as payer_matches
from .positions import GOES_ON, decision_in, has_criteria
from .query import (
    ATTRIBUTE_CUES,
    ATTRIBUTE_WORDS,
    AVERAGE_ASKED,
    FDA_ACTIONS,
    FDA_APPROVAL,
    HISTORY,
    SOURCES_ASKED,
    asking_spans,
    asks_for_other_documents,
    asks_on_its_own,
    base_codes,
    billed_code,
    codes_asked,
)
from .text import HISTORY_HEADING, words
from .types import REFERENCE_HEADING, Document, Filters, Hit, Passage, Query, Quote

_STEMMER = Stemmer.Stemmer("english")
NAMING_DEPTH = 40  # passages searched for a subject named only in a policy's description (the search's FETCH)
CONTEXT_WEIGHT = 0.5  # a word in the section title or lead-in, one step from the sentence, counts half
# Two asked words side by side in a sentence ("product code") count again, by this much. Tuned on the dev
# splits (0/0.25/0.5/1/2 passed staff 66/66/68/69/68, bundled 155/156/156/156/155); on the test splits
# 1.0 took staff 54 -> 57 of 107 and payers 33 -> 34 of 48.
PHRASE_WEIGHT = 1.0
# Evidence a kind of question needs: without it in the passages about the subject, it is not answered.
VALUE_SHAPES: dict[str, re.Pattern[str]] = {
    "payment": re.compile(
        r"\$\s?\d|\bUSD\b|\bdollars?\b|\bRVUs?\b|\brelative value units?\b|\bfee schedule amount", re.I
    ),
    "contact": re.compile(
        r"\(?\b\d{3}\)?[-.\s]\d{3}[-.]\d{4}\b|\b\S+@\S+\.\w+\b|\b\d+\s+\w+\s+(?:street|st\.|avenue|"
        r"ave\.|road|rd\.|suite|boulevard|blvd\.)|\bp\.?\s?o\.? box\b",
        re.I,
    ),
    "prior-auth": re.compile(
        r"\bprior (?:authori[sz]ation|approval)\b|\bpre-?authori[sz]ation\b|\bprecertification\b|"
        r"\bpre-?certification\b|\bpre-?service (?:review|authori[sz]ation|approval)\b|\bpre-?determination\b|"
        r"\bpre-?notification\b|"
        # A grid's shorthand, in capitals and said as required or not ("Covered – PA required", "no PA").
        r"(?-i:\bPA\b)(?=\s+(?:is\s+|not\s+)?(?:required|needed|requested)\b)|"
        r"\bno\s+(?-i:PA)(?![A-Za-z-])(?!\s*(?:or|/|and)\s*(?-i:NP|MD|DO)\b)",  # not "no PA-C", "no PA or NP"
        re.I,
    ),
    # Only words of the process: "within 60 days" is as often a prior authorization's or a repeat's window.
    "appeal": re.compile(
        r"\bappeal\w*|\bredetermination\b|\breconsideration\b|\bturn-?around\b|\btimely filing\b|"
        r"\bfiling (?:limit|deadline)s?\b",
        re.I,
    ),
    # What a policy gives as the reason for a decision: its judgment of the evidence.
    "rationale": re.compile(
        r"\b(?:insufficient|inadequate|inconclusive|lack(?:s|ing)?|limited|low[- ](?:quality|certainty)|"
        r"not (?:been )?(?:established|proven|demonstrated|shown)|unproven|no (?:randomized|comparative|long-term)|"
        r"(?:further|additional|more|larger) (?:high-quality )?(?:studies|trials|research)|because|due to)\b",
        re.I,
    ),
    "fda": re.compile(r"\bFDA\b|\bFood and Drug Administration\b|\bDe Novo\b|\b510\(k\)|\bPMA\b", re.I),
    "anesthesia": re.compile(r"\banesthe\w*|\banaesthe\w*|\bsedation\b", re.I),
    # How a code is counted: "unilateral", "per breast", "for one breast", "report once", "2 units".
    "units": re.compile(
        r"\bunits?\b|\bper (?:breast|side|lesion|nodule|tumor|session|day|level|knee|leg|vein|kidney|lung)\b|"
        r"\b(?:for|in) (?:one|a single|each) (?:breast|side|lesion|nodule|tumor|session|knee|leg|kidney|lung)\b|"
        r"\b(?:uni|bi)lateral\b|\bonce\b",
        re.I,
    ),
    "site-of-service": re.compile(
        r"\bsite[s]? of service\b|\bplace of service\b|\boutpatient\b|\binpatient\b|"
        r"\bambulatory\b|\boffice\b|\bhospital\b|\bsurgery center\b|\bsetting\b",
        re.I,
    ),
}
PLURAL_ASK = re.compile(
    r"\b(?:which|what|list|all|any)\b[^?]*\b(?:codes|modifiers|mods|diagnoses|specialties|"
    r"taxonomies|ones)\b|\bwhat (?:are|r) the\b|\blist\b|"
    # a count of them asked ("how many modifiers are on the 0686T table"): every one of them, counted
    r"\bhow many\b[^?]*\b(?:codes|modifiers|mods|diagnoses|dxs|specialties|taxonomies|cpts)\b|"
    # the plural of a code's kind, as clerks type it ("ICD-10s for ...", "dxs", "cpts")
    r"\b(?:icd-?10s|dxs|cpts|hcpcs codes)\b|"
    # "cpt codes for basivertebral nerve ablation on the excellus policy?": the plural asks for all of them
    r"^\W*(?:the\s+)?(?:\w+\s+)?(?:codes|modifiers|diagnoses|specialties|taxonomies)\b",
    re.I,
)
TABLE_NOUNS = {
    "codes": "codes",
    "modifier": "modifiers",
    "icd10": "ICD-10 codes",
    "taxonomy": "taxonomy codes",
    "related-codes": "related codes",
}
TABLES = {  # what a table's header or caption says when it lists the asked kind of code
    "codes": re.compile(r"\bcod(?:es?|ing)\b|\bcpt\b|\bhcpcs\b", re.I),
    "modifier": re.compile(r"\bmodifiers?\b", re.I),
    "icd10": re.compile(r"\bicd\b|\bicd-?10\b|\bdiagnos", re.I),
    "taxonomy": re.compile(r"\btaxonomy\b|\bspecialty\b", re.I),
    "related-codes": re.compile(r"\brelated\b.*\b(?:cpt|codes?)\b|\bcpt codes?\b|\bhcpcs\b|\bprocedure codes?\b", re.I),
}
# What is counted: the words after "how many" up to the noun ("how many SI rfa sessions").
_COUNTED = re.compile(r"(?<!\w)(?:how many|(?:number|#)\s*of)\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.I)


# A length of time asked by its unit ("how many minutes", "how many days"): only a sentence giving that many
# of them answers.
_TIME_UNIT = re.compile(r"(?P<unit>sec(?:ond)?|min(?:ute)?|h(?:ou)?r|day|w(?:ee)?k|mo(?:nth)?|y(?:ea)?r)s?", re.I)
_UNIT_WORDS = {"sec": "second", "min": "minute", "hr": "hour", "wk": "week", "mo": "month", "yr": "year"}
# A word between a count and its unit that says how the time is counted ("3 consecutive months").
_SPAN_WORD = r"(?:[\s-]+(?:consecutive|continuous|full|calendar|straight|successive))?"
_COUNT_WORD = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"


def _time_asked(query: Query) -> re.Match[str] | None:
    """The unit of a length of time the question counts ("how many days is the auth good for": days)."""
    timed = _COUNTED.search(query.text)
    if not timed:
        return None
    # (the unit among the words counted, "how many business days"; not the period a count is per: "how many
    # sessions per yr" counts sessions)
    counted = re.split(r"\b(?:per|a|an|each|every|in|within|over)\b", timed.group(1))[0].split()
    # (the counted noun is the last word before it, or before the verb after it: "how many 15 min units" counts
    # units, "how many business days does ..." days)
    stop = next((n for n, w in enumerate(counted) if w.lower() in _CLAUSE_GOES_ON), len(counted))
    return _TIME_UNIT.fullmatch(counted[stop - 1]) if stop else None


# Words after the counted noun that go on with the clause ("... days is the auth good for", "... days do we have")
_CLAUSE_GOES_ON = set(
    "does do did is are was were can could will would should has have the my our his her their it they we i you "
    "to for of on at".split()
)


def _gives_time(text: str, unit: str) -> bool:
    """Does the text give a length in the asked unit ("6 months", "six (6) months", "a 10-minute cycle")?"""
    word = _UNIT_WORDS.get(unit.lower(), unit.lower())
    return bool(re.search(rf"\b{_COUNT_WORD}(?:\s*\(\d+\))?{_SPAN_WORD}[\s-]+{word}s?\b", text, re.I))


# A head count is given in any of the words for people ("how many pts": "26 female participants").
_PEOPLE = ("patient", "pts", "participant", "people", "person", "subject", "women", "men", "individual", "member")


def _counts(text: str, noun: str) -> bool:
    """Does the text give a number of `noun` ("17 studies", "26 female participants", "nine of 10")?"""
    stem = _STEMMER.stemWord(noun.lower())[:5]
    nouns = "|".join(_PEOPLE) if stem in {p[:5] for p in _PEOPLE} else re.escape(stem)
    # A number ("1,156", "3"), not a list item's "4." before "The lesion ...".
    return bool(re.search(rf"\b(?:{_NUMBER})\s+(?:[\w-]+\s+){{0,2}}(?:{nouns})", text, re.I))


# A number as a document prints it: "1,156", "nine of 10", a word with its numeral ("two (2)", as policies write
# limits), or a word from two up ("more than two sessions"). "One" is as often no count ("One participant was
# treated for pain" is no head count of a study).
_NUMBER = r"\d+(?:[.,]\d+)*|\w+ of \d+|[a-z]+\s*\(\d+\)|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"


def _counts_any(text: str, counted: str) -> bool:
    """Does the text give a number of any of the words asked after "how many"?"""
    return any(_counts(text, noun) for noun in counted.split() if len(noun) > 2 and noun.lower() not in STOPWORDS_EN)


POLICY_KINDS = {"coverage-policy", "clinical-guideline", "ncd", "lcd", "billing-article"}
_QUANTITY = re.compile(
    r"\bhow (?:many|much|long|old|big|often)\b|\bnumber of\b|\brates?\b|\bpercent\w*|\bproportion\b|"
    r"\bwhat (?:size|age)\b|\bfigure\b",
    re.I,
)
NEGATIVE = {"investigational", "not-medically-necessary", "not-covered"}


@dataclass
class Finding:
    """What the documents say to one question (or one part of it)."""

    query: Query
    quotes: list[Quote] = field(default_factory=list)
    direct: str = ""  # the first sentence, from the documents' words; [n] marks refer to `quotes`, 1-based
    reason: str = ""  # when not answered: what was looked for and not found
    nearest: list[Hit] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)  # the patient's details against stated criteria
    fields: list[str] = field(default_factory=list)  # the document fields the quotes hold, in order
    beside: Finding | None = None  # not answered: the decision the documents state on the same subject
    instead_of: str = ""  # the code the question named, which the documents describe as another procedure

    @property
    def answered(self) -> bool:
        return not self.reason and bool(self.quotes)


class Index(Protocol):
    """What selection reads of the index (the Retriever, through answer.ScopedIndex, provides it)."""

    documents: dict[str, Document]

    def retrieve(self, question: str, k: int = 6, filters=None) -> list[Hit]: ...
    def document_passages(self, doc_id: str) -> list[Passage]: ...
    def passage(self, passage_id: str) -> Passage | None: ...
    def documents_with_code(self, code: str) -> list[Document]: ...
    def knows_code(self, code: str) -> bool: ...
    def term_weight(self, term: str) -> float: ...
    def frequency(self, word: str) -> int: ...
    def matchable(self, word: str) -> bool: ...
    def unheard_of(self, word: str) -> bool: ...


# ---- scoring --------------------------------------------------------------------------------------------
def _of_the_titled_subject(query: Query, index, hits: list[Hit]) -> list[Hit]:
    """The hits from documents whose titles say the question's subject, where the question names it by a word
    some titles say and others do not ("is the pt awake for the breast freezing": the breast documents, not the
    liver one whose text happens to say "freezing"). Titles name what documents are about."""
    titles = [_stems(d.title) for d in index.documents.values()]
    asked = _stems(" ".join(w for w in query.asked if w not in _DOCUMENT_WORDS))
    telling = {w for w in asked if any(w in t for t in titles) and not all(w in t for t in titles)}
    if not telling:
        return hits
    # (a document whose title does not name it may still speak of it: a policy's literature on a device)
    said = {d: index.document_stems(d) for d in {h.document.id for h in hits}}
    return [h for h in hits if telling <= said[h.document.id]] or hits


def _stems(text: str) -> set[str]:
    return set(_STEMMER.stemWords(words(text)))


def _weights(query: Query, index) -> dict[str, float]:
    """Each asked word's weight: its rarity in the documents (inverse document frequency). Words of this turn
    count fully; words carried from an earlier turn count half (the new turn says what is new). A word no
    document uses or begins ("morning", "thx") can be matched by no passage: weighed as the rarest of words it
    only shrank every score and let a code's mere mention outrank the sentence that answers (staff dev 70 ->
    72). A word the documents only begin ("lap") keeps its weight, as before."""
    weights: dict[str, float] = {}
    own = set(query.focus)
    carried: set[str] = set()
    long_forms = dict(query.acronyms)
    for word in [*query.topic, *query.focus]:
        if any(ch.isdigit() for ch in word) or len(word) < 2 or not index.matchable(word):
            continue
        stem = _STEMMER.stemWord(word)
        typed = word in own or not query.focus
        weight = _rarity(word, long_forms, index) * (1.0 if typed else 0.5)
        if weight > weights.get(stem, 0.0):
            weights[stem] = weight
            carried = carried - {stem} if typed else carried | {stem}
    # Many words carried from the turn before ("class", "product", "code", "prosense", "system") weigh no more,
    # all together, than the new turn's own ("breast implants"): they say where, the new turn says what.
    typed_total = sum(w for s, w in weights.items() if s not in carried)
    carried_total = sum(weights[s] for s in carried)
    if query.follows and carried_total > typed_total > 0:
        weights |= {s: weights[s] * typed_total / carried_total for s in carried}
    return weights


def _rarity(word: str, long_forms: dict[str, str], index) -> float:
    """How rare a word is in the documents. An acronym the documents define ("TN", "RFA") is as rare as the
    name it stands for, which they spell out: its letters alone are rare only because a document prints them
    once, beside the name. (The rarest word of the name: a name is at least as rare as each of its words.)"""
    long = long_forms.get(word)
    parts = [w for w in words(long) if len(w) > 3 and index.matchable(w)] if long else []
    return max(map(index.term_weight, parts)) if parts else index.term_weight(word)


def _match(weights: dict[str, float], own: set[str], context: set[str]) -> float:
    return sum(w * (1.0 if s in own else CONTEXT_WEIGHT if s in context else 0.0) for s, w in weights.items())


# What is asked of the code itself, which the sentence naming it says: there naming it still counts. (Measured on
# the staff dev split: not counting the naming for every kind, 786 -> 791 right; for every kind but these, 792.)
_OF_THE_CODE = {"description", "units"}


def score_quotes(
    query: Query, hits: list[Hit], index, limit: int = 3, need: re.Pattern[str] | None = None
) -> list[Quote]:
    """The sentences (or rows, or list items) of the hits that best say what is asked, best first."""
    weights = _weights(query, index)
    phrases = _phrases(query.focus, weights)
    if need is not None and need is VALUE_SHAPES.get(query.attribute):
        # Every sentence of the asked kind says the words that ask for it ("is it FDA approved": "FDA approval"
        # in a note on coverage): alone they tell none apart (beside another word they may: "before anesthesia").
        asking = _asking_stems(query)
        weights = {s: w for s, w in weights.items() if s not in asking} or weights
        phrases = {pair: w for pair, w in phrases.items() if not set(pair) <= asking}
    top = sum(weights.values()) or 1.0
    wanted = set(query.codes)
    quantity = bool(_QUANTITY.search(query.text))
    asked_numbers = set(re.findall(r"\d+(?:\.\d+)?", query.text))
    # A figure typed as the document prints it ("2.61% in the cigna policy - what is that number?"): a decimal or
    # a share names one sentence (a whole number, an age or a count, names many), where a code names every row
    # and sentence of its policy: it counts as two, above a code and above the words that ask for a number.
    figures = set(_FIGURE.findall(query.text))
    # The studies named in the question, but not another part's ("matsumoto review vs xia 2021": not Xia's for the
    # Matsumoto part, whose subject words leave the other study's name out).
    studies = {s for s in code_rules.find_studies(query.text, typed=True) if s.split()[0] in query.topic}
    counted = _COUNTED.search(query.text)
    near = _beside_earlier(query, hits, index)
    asks_for_sources = _sources_asked(query, index)
    entries = {h.passage.id for h in hits if asks_for_sources and _first_author_asked(query, h.passage)}
    numbered = _numbers_of_named(query, index)
    asked = [w for w in query.asked if w not in _DOCUMENT_WORDS]
    quotes: list[Quote] = []
    # The forms a sentence of the asked kind is counted by (the FDA's: what it did, too), once per call.
    shaped = _FORMS.get(query.attribute, need) if need is VALUE_SHAPES.get(query.attribute) else need
    opening_of = {h.passage.id: _opening_studies(h.passage) for h in hits}  # the study each passage opens with
    other_studies = _of_other_studies(query, opening_of, studies)
    # The name of the study asked about says which paragraph, not which of its sentences: "kawamoto ... how close
    # to the skin" is answered by the sentence on the skin, not the one that names Kawamoto again.
    authors = _stems(" ".join({o.split()[0] for found in opening_of.values() for o in found} & set(query.asked)))
    if authors and set(weights) - authors:
        weights = {s: w for s, w in weights.items() if s not in authors}
        phrases = {pair: w for pair, w in phrases.items() if not set(pair) & authors}
        top = sum(weights.values()) or 1.0
    for rank, hit in enumerate(hits):
        p, doc = hit.passage, hit.document
        if p.id in other_studies:
            continue  # the named study's figures are asked: another study's passage says none of them
        # A study the question names ("Fine et al. (2021)") is an identifier too, named once per paragraph.
        # Named by its author alone ("Kawamoto vs Fine"), a study is one of that author's the passage is about
        # (it opens with it: "Kawamoto et al. (2024) conducted ..."), not one it cites "(NCCN, 2025)".
        named = code_rules.find_studies(f"{p.lead} {p.text}")
        opening = opening_of[p.id]
        about_study = bool(studies & named) or any(n.split()[0] in query.asked for n in opening)
        about_study = about_study or _states_identifier(query, p, numbered)
        # Where a study was published only its bibliography entry says: asked that, the entry is about the study,
        # and the prose about it is not.
        entry = p.id in entries
        about_study = entry or (about_study and not entries)
        spans = p.sentences or ((0, len(p.text), p.start, p.end),)
        subject = p.lead or p.text[spans[0][0] : spans[0][1]]
        context = _stems(f"{p.section_path} {p.header} {doc.title} {doc.payer or ''} {subject}")
        keyed_elsewhere = _keyed_elsewhere(query, p)
        if not asks_for_sources and p.section and REFERENCE_HEADING.match(p.section[-1]):
            continue  # a bibliography entry names a paper; it says nothing of the subject it shares words with
        for ts, te, ss, se in spans:
            text = p.text[ts:te]
            if need is not None and not need.search(f"{text} {p.section_path} {p.header}"):
                continue
            if text.rstrip().endswith("?"):
                continue  # a question in the document ("How do we bill it?") asks; it answers nothing
            # A sentence that names several of the asked kind ("moderate sedation, monitored anesthesia care, or
            # general anesthesia") says which, where one naming it once ("anesthesia assessment") only mentions
            # it: each further form is worth a clause, 100 characters of the length cost below.
            forms = {m.group(0).lower() for m in shaped.finditer(text)} if shaped else set()
            score_extra = 0.1 * max(0, len(forms) - 1)
            stems = _STEMMER.stemWords(words(text))
            own = set(stems) | (_stems(p.header) if p.kind == "row" else set())
            score = _match(weights, own, context) / top + score_extra
            if phrases:
                pairs = set(zip(stems, stems[1:]))
                score += PHRASE_WEIGHT * sum(w for pair, w in phrases.items() if pair in pairs) / top
            named = {c.value for c in code_rules.find_codes(text)} | (set(p.codes) if p.kind == "row" else set())
            # An identifier the question names outranks any wording: the sentence naming it, or one of the
            # document about it (a code summary, a policy by its number), says what is asked of it.
            # In the code's own summary every sentence is of the code: naming it again says no more of what is
            # asked ("what does the 0686T summary say it is an alternative to"), unless what is asked is what the
            # code is or how it is counted ("0971T?", "how many units of 0971T"), which the sentence naming it says.
            of_document = {doc.code, doc.policy_number}
            naming = 0.5 if query.attribute not in _OF_THE_CODE and asked else 1.0
            score += sum(naming if c in of_document else 1.0 for c in wanted & named)
            score += 0.5 * len(wanted & (of_document - named))
            score += 1.0 if about_study else 0.0
            score += 2.0 * len(figures & set(_FIGURE.findall(text)))
            if keyed_elsewhere:
                score -= 0.5  # same scale as a figure-less sentence: a lookup row of another kind of code
            if p.id in near:
                score += EARLIER_WEIGHT  # a follow-up on the same subject: beside what was just quoted
            if quantity and not (set(re.findall(r"\d+(?:\.\d+)?", text)) - asked_numbers):
                score -= 0.5  # a figure is asked for and this sentence gives none the question lacks
            if counted and _counts_any(text, counted.group(1)):
                score += 0.5  # "how many participants" is answered by "... 26 participants ..."
            # The retriever's order breaks ties (0.2: staff dev, 0.5 gave 60 right, 0.2 64), and so does length,
            # up to a lead-in's: a sentence listing a procedure's steps says each of them.
            score += 0.2 * hit.score / (1.0 + rank) - 0.001 * min(len(text), LEAD_LIMIT)
            quotes.append(Quote(hit, rank, text, ts, ss, se, score))
    if counted:
        # "how many patients" is answered by a sentence that gives a number of them, when one does ("There were
        # 17 studies with 399 individuals"), not by the one that names the study best.
        quotes = [q for q in quotes if _counts_any(q.text, counted.group(1))] or quotes
    quotes.sort(key=lambda q: -q.score)
    chosen: list[Quote] = []
    for q in quotes:
        if len(chosen) >= limit:
            break
        if q.text not in {c.text for c in chosen} and (not chosen or q.score >= 0.8 * chosen[0].score):
            chosen.append(q)
    return chosen


# (not a measure with its unit, "1.5cm", "2.5 mm": a patient's, which is context, not a search word)
_FIGURE = re.compile(r"(?<![\w.])\d+(?:\.\d+%?|%)(?![\w.]?\d)(?!\s*[A-Za-z])")
# A trial named by its identifier ("Z1072", "NSABP B39" typed "b039"): letters, then three digits or more (not a
# marker or a stage: "her2", "t2").
_TRIAL_ID = re.compile(r"[a-z]+\d{3,}[a-z\d]*", re.I)


def _first_author_asked(query: Query, p: Passage) -> bool:
    """Is the passage a bibliography entry whose first author ("26. Roca Navarro MJ, ...") or trial identifier the
    question names?"""
    if not (p.section and REFERENCE_HEADING.match(p.section[-1])):
        return False
    # a name, not a word of a title ("26. Roca Navarro MJ", not "American Society of Breast Surgeons")
    named = {w for w in words(re.split(r"[,.](?!\d)", p.text.lstrip("0123456789. "))[0]) if w not in english_words()}
    # or a trial by the identifier its entry's title gives ("... Results from ACOSOG (Alliance) Z1072")
    trials = {w for w in query.asked if _TRIAL_ID.fullmatch(w)}
    # or a body by its name, the entry's first words ("American Society of Breast Surgeons Consensus ...")
    opening = [w for w in words(p.text.lstrip("0123456789. ")) if len(w) > 2 and w not in STOPWORDS_EN][:3]
    body = len(opening) == 3 and set(opening) <= set(query.asked)
    return bool(named & set(query.asked)) or bool(trials & set(words(p.text.lower()))) or body


def _opening_studies(p: Passage) -> set[str]:
    """The study a passage is about: the one it opens with ("Kawamoto et al. (2024) conducted ...")."""
    return code_rules.find_studies(p.lead or p.text[:200]) if code_rules.opens_with_study(p.lead or p.text) else set()


def _of_other_studies(query: Query, opening: dict[str, set[str]], studies: set[str]) -> set[str]:
    """The passages about another study than the one the question names (`opening`: the study each passage opens
    with), when a passage about that one is found ("the roca navarro study - what ki-67 cutoff": Kawamoto's
    inclusion criteria are not its)."""
    named = {i for i, o in opening.items() if o and (o & studies or any(s.split()[0] in query.asked for s in o))}
    if not named:
        return set()
    return {i for i, o in opening.items() if o and i not in named}


# The forms a sentence of an asked kind can say beyond those that make it one: the FDA named, and what it did.
# A sentence stating an action and its record ("received FDA De Novo authorization (DEN220077)") says more of
# them than a note that mentions "FDA approval".
_FORMS = {
    "fda": re.compile(
        VALUE_SHAPES["fda"].pattern + rf"|{FDA_ACTIONS.pattern}|\bgranted\b|\b(?:DEN|K|P)\d{{6}}\b",
        re.I,
    )
}


# The attribute that asks for each kind of code a lookup table is keyed by.
_KEY_ATTRIBUTE = {"modifier": "modifier", "icd10": "icd10", "taxonomy": "taxonomy"}


_IDENTIFYING = re.compile(r"(?<![\w.,/$-])\d{3,}(?![\w.,/%-]|\s*(?:cm|mm|ml|cc|mg|%))", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")


def _states_identifier(query: Query, p: Passage, documents: tuple[str, ...] = ()) -> bool:
    """Whether the passage states a number of three or more digits the question names that is no code, year or
    number of a document it names (`documents`) ("the study w/ 194 women"): a figure that long is seldom stated
    twice, so it names the passage as a code does."""
    named = _identifiers(query.text, (*query.codes, *documents))
    return bool(named) and bool(named & set(re.findall(r"\d+", f"{p.lead} {p.text}")))


def _numbers_of_named(query: Query, index) -> tuple[str, ...]:
    """The numbers of the documents the question names: a policy's number typed names the policy ("where in
    0540 does cigna say ..."), not a line of it. (Looked up only when the question types a long number.)"""
    if not _identifiers(query.text, query.codes):
        return ()
    return tuple(d.policy_number or "" for d in named_documents(query, index))


@functools.lru_cache(maxsize=256)
def _identifiers(text: str, codes: tuple[str, ...]) -> frozenset[str]:
    """The long numbers of a question, read once per question, not once per passage it is checked against."""
    for code in {*codes, *(c.value for c in code_rules.find_in_query(text))}:
        text = re.sub(re.escape(code), " ", text, flags=re.I)  # a code or a policy's number names a document
    return frozenset(n for n in _IDENTIFYING.findall(text) if not _YEAR.fullmatch(n))


def _keyed_elsewhere(query: Query, p: Passage) -> bool:
    """A row of a lookup table keyed by a modifier, diagnosis or taxonomy code, read for a question that asks
    something else of its own ("what anesthesia for 0686T"): the row of modifier 73 mentions anesthesia, but
    what it says is when to append 73, while the procedure's description says which anesthesia is used. A
    question read as no particular attribute, or naming the row's code, may still be answered by it."""
    if p.kind != "row" or not p.codes or query.attribute in ("general", "codes", "related-codes"):
        return False
    key = p.codes[0]
    wanted = _KEY_ATTRIBUTE.get(code_rules.kind_of(key))
    return wanted is not None and wanted != query.attribute and key not in query.codes


def _phrases(focus: tuple[str, ...], weights: dict[str, float]) -> dict[tuple[str, str], float]:
    """Adjacent asked words, each pair weighted by its rarer-counting (lesser) word."""
    stems = _STEMMER.stemWords(list(focus))
    return {(a, b): min(weights.get(a, 0.0), weights.get(b, 0.0)) for a, b in zip(stems, stems[1:])}


# ---- quotes -------------------------------------------------------------------------------------------
def quote_of(passage: Passage, document: Document, score: float = 1.0, sentence: int | None = None) -> Quote:
    """A whole passage (or one of its sentences) as a quote."""
    hit = Hit(passage, document, score, {"selected"})
    if sentence is None or not passage.sentences:
        return Quote(hit, 0, passage.text, 0, passage.start, passage.end, score)
    ts, te, ss, se = passage.sentences[sentence]
    return Quote(hit, 0, passage.text[ts:te], ts, ss, se, score)


def lead_of(quote: Quote) -> str:
    """The lead-in a quoted list item continues (it says whether all or any of the items must hold), or ''."""
    p = quote.passage
    if p.kind == "row":
        return p.lead  # "The following modifiers must not be appended to 55880." over the table
    if p.kind != "list":
        return ""
    if quote.text == p.text:  # a whole item, or a list going on from a statement, still continues its lead-in
        return p.lead if p.lead.rstrip().endswith(":") else ""
    lead = p.lead or (p.text[p.sentences[0][0] : p.sentences[0][1]] if p.sentences else "")
    return lead if lead.rstrip().endswith(":") and not quote.text.startswith(lead[:40]) else ""


def render(quote: Quote) -> str:
    """A quote as it reads in an answer: a table row with its column labels and table name; a list item or
    a later chunk with the sentence it continues."""
    p = quote.passage
    if p.kind == "table-header":
        return f"{p.section[-1]}: the table “{p.text}” is cut off in the source before its first row."
    if p.kind == "row" and p.header:
        labels = [h.strip() for h in p.header.split("|")]
        cells = [c.strip() for c in p.text.rstrip(" |").split(" | ")]
        pairs = "; ".join(f"{label}: {cell}" for label, cell in zip(labels, cells) if cell)
        row = f"{p.section[-1]} — {pairs}" + (" (the source table is cut off here)" if p.truncated else "")
        return f"{p.lead} … {row}" if p.lead else row
    lead = lead_of(quote)  # a criterion is cited with the sentence that says whether all or any must hold
    return f"{lead} … {quote.text}" if lead else quote.text


def cells(passage: Passage) -> list[str]:
    return [c.strip() for c in passage.text.rstrip(" |").split(" | ")]


# ---- which documents ------------------------------------------------------------------------------------
# What a code is and what the FDA decided of a device are the same whoever pays: a payer named beside them
# ("cigna's mauri review shows hifu used for breast ca. does 0686T work for it?") asks nothing of its policy.
SAME_WHOEVER_PAYS = {"description", "fda"}


def payer_documents(query: Query, index) -> list[Document]:
    return [d for d in index.documents.values() if any(payer_matches(p, d.payer, d.publisher) for p in query.payers)]


def _subject(query: Query) -> str:
    # (a figure the question typed, "a 4th one", is no subject, and a reason states no number no passage gives)
    named = [w for w in query.asked if not any(ch.isdigit() for ch in w)]
    return " and ".join(query.codes) or " ".join(named[:6]) or "this"


def scope(query: Query, index) -> str:
    """Why a question is outside the documents altogether (an unknown code or payer), or ''."""
    unknown = [c for c in query.codes if not index.knows_code(c)]
    if query.attribute == "related-codes":
        # Whether one code goes with another is said of the pair: of a code no document mentions, nothing is
        # ("can we add 99152 ... during the 0971T", each code asked as a part of its own). A code read as
        # another, mistyped, is that other.
        read_as = {m.group(1) for n in query.notes if (m := re.match(r"Reading (\S+) as", n))}
        named = [c.value for c in code_rules.find_in_query(query.text) if c.kind in ("cpt", "hcpcs")]
        unknown = [c for c in dict.fromkeys([*query.codes, *named]) if c not in read_as and not index.knows_code(c)]
        if unknown:
            return f"no document mentions {', '.join(unknown)}"
    if query.codes and len(unknown) == len(query.codes):
        return f"no document mentions {', '.join(unknown)}"
    asked = codes_asked(query)
    if asked and all(c in unknown for c in asked):
        # The code asked of is unknown; another the question names only says where it was seen.
        return f"no document mentions {', '.join(asked)}"
    payers_own = {d.id for d in payer_documents(query, index)} if query.payers else set()
    if query.payers and not payers_own:
        return f"no {' or '.join(query.payers)} document is among the documents"
    procedures = code_rules.procedures(query.codes)
    carrying = {d.id for c in procedures for d in index.documents_with_code(c)}
    if query.payers and procedures and query.attribute not in SAME_WHOEVER_PAYS and not carrying & payers_own:
        # Asked what a payer says of a code its documents never name: none of them speaks of it ("aetna vs cigna on
        # lap liver cryo 47371": Cigna's breast policy has words of ablation, not of 47371; "0686T effective date
        # on cigna policy?": no Cigna policy is 0686T's). What a code describes is the same whoever pays ("does
        # 0686T work for that? cigna's mauri review shows hifu used for breast ca").
        return f"no {' or '.join(query.payers)} document mentions {', '.join(procedures)}"
    named = _NAMED_DOCUMENT.findall(query.text)
    known = {(d.policy_number or "").upper() for d in index.documents.values()}
    missing = [n for n in named if n.upper() not in known]
    if missing and len(missing) == len(named):
        return f"no document {', '.join(missing)} is among the documents"
    # A term of the asked subject that no document uses in any form ("cryo for a fibroadenoma" where the
    # documents speak of malignant tumors only): what it names is not in the documents.
    unheard = next((w for w in query.asked if index.unheard_of(w) and not _past(w, query.text)), "")
    return f"no document speaks of “{unheard}”" if unheard else ""


def _past(term: str, text: str) -> bool:
    """Is the term the patient's history ("a pt with a prior hysterectomy", "s/p mastectomy"), not what is asked?"""
    return bool(
        re.search(
            rf"\b(?:prior|previous|past|history of|h/o|hx of|s/p|status post|had|after)\s+(?:(?:a|an|her|his|the)\s+)?"
            rf"(?:\w+\s+)?{re.escape(term)}\b",
            text,
            re.I,
        )
    )


# A document named by its identifier ("billing article A59961", "LCD L39756", "CPB 0939").
_NAMED_DOCUMENT = re.compile(
    r"\b(?:article|lcd|ncd|cpb|policy|guideline|bulletin)\s*(?:id|#|no\.?|number)?\s*"
    r"([A-Z]{1,4}-?\d{3,6}(?:\.\d+)?|\d{4})\b",
    re.I,
)


def foreign_subject(query: Query, document: Document, index) -> str:
    """A word of the question that names some document's subject (it is in a title) but that this
    document never uses: asked about basivertebral ablation, a genicular-nerve policy is about something
    else. Returns the word, or ''."""
    # (its own title is the document's word too: a policy titled "... Plantar Fasciitis" whose text says only
    # "plantar fascia")
    text = " ".join([document.title, *(p.text for p in index.document_passages(document.id))]).lower()
    titles = " ".join(d.title for d in index.documents.values()).lower()
    for word in query.asked:
        if (
            len(word) >= 4
            and word not in query.ruled_out  # ("thru the bronchoscope (not thru the skin)": what it is not)
            and word
            not in _DOCUMENT_WORDS  # "billing 77373": the kind of a title ("Billing and Coding: ..."), no subject
            and index.frequency(word)
            # (a word of a title, not the first half of one of its compounds: "extra" of "Extra-Abdominal")
            and re.search(rf"\b{re.escape(word)}(?!\w*-\w)", titles)
            and not re.search(rf"\b{re.escape(word)}", text)
            # (said as a verb, "IR wants to burn it", the word names what is done, not a subject: a title's
            # "Burn Scars" is another matter)
            and not re.search(
                rf"\b(?:to|can|could|will|would|should|may|might)\s+{re.escape(word)}\b", query.text, re.I
            )
            and not _another_name_for(word, index, text)
        ):
            return word
    return ""


def _another_name_for(word: str, index, text: str) -> bool:
    """Whether the word is the other name a title gives in brackets for what it names, and this document says
    every word of that name: "Prostate Water Vapor Thermal Therapy (Rezum)" beside a policy on water vapor thermal
    therapy of the prostate that never says the brand."""
    for doc in index.documents.values():
        for named, aside in re.findall(r"([^()]+)\(([^()]*)\)", doc.title.lower()):
            if not re.search(rf"\b{re.escape(word)}\b", aside):
                continue
            words = {w for w in re.findall(r"[a-z]{4,}", named) if w not in _DOCUMENT_WORDS}
            if len(words) >= 2 and all(re.search(rf"\b{w}", text) for w in words):
                return True
    return False


_POINTS_BACK = re.compile(r"\b(?:it|that|this|that one|this one)\b", re.I)


def with_code_found(query: Query, earlier: Finding, index) -> Query:
    """A later part of a message that points back at the code an earlier part asked for ("what's the code for
    freezing a breast lump and does cigna cover it"), or names no subject of its own ("... lap freezing - cpt?
    and what anesthesia should i expect"), asks of the code found."""
    if query.codes or query.documents or earlier.query.attribute != "codes" or not earlier.answered:
        return query
    if not _POINTS_BACK.search(query.text) and _names_own_subject(query, earlier.query, index):
        return query
    first = earlier.quotes[0]
    code = first.passage.codes[0] if first.passage.kind == "row" and first.passage.codes else first.hit.document.code
    if not code:
        return query
    return replace(query, codes=(code,), search=f"{code} {query.search}")


def _names_own_subject(part: Query, earlier: Query, index) -> bool:
    """Whether a part of a message names a subject the part before it did not: a word of its own that a
    document's title says (titles name what documents are about: "breast", "cryoablation", not "claim")."""
    titled = set().union(*(_stems(d.title) for d in index.documents.values()))
    own = _stems(" ".join(w for w in part.focus if w not in _DOCUMENT_WORDS)) - _stems(" ".join(earlier.topic))
    return bool(own & titled)


def find(query: Query, index, k: int = 6) -> Finding:
    """The finding for one (sub-)question."""
    finding = _found(query, index, k)
    return replace(finding, quotes=[_with_its_items(q) for q in finding.quotes])


def _with_its_items(quote: Quote) -> Quote:
    """A list's lead-in quoted alone ("Requests for prior authorization must include:") says nothing until its
    items follow: the whole list is quoted. (A decision's list is quoted with its statement where it is chosen.)"""
    p = quote.passage
    lone_lead = p.kind == "list" and not p.decision and quote.text.rstrip().endswith(":") and quote.text != p.text
    return quote_of(p, quote.hit.document, quote.score) if lone_lead and p.text.startswith(quote.text) else quote


def _found(query: Query, index, k: int) -> Finding:
    reason = scope(query, index)
    if reason:
        return Finding(query, reason=reason, nearest=index.retrieve(query.search or query.text, k=k))
    handler = {
        "coverage": _coverage,
        "criteria": _criterion,
        "codes": _codes,
        "modifier": _table,
        "icd10": _table,
        "taxonomy": _table,
        "related-codes": _table,
        "date": _fields,
        "policy-number": _fields,
        "payment": _valued,
        "contact": _valued,
        "prior-auth": _valued,
        "appeal": _valued,
    }.get(query.attribute, _sentences)
    spelled = _where_spelled_out(query, index) if query.attribute == "description" else None
    numbered = _numbered_reference(query, index) or _numbered_section(query, index) or _other_documents(query, index)
    if numbered is not None:
        return numbered
    unaddressed = _not_addressed(query, index) or _nothing_held_on(query, index, k)
    if unaddressed is not None:
        return unaddressed
    checked = _code_of_the_procedure_described(query, index, k)
    finding = checked or spelled or _listed_where(query, index) or handler(query, index, k)
    if query.compared and query.attribute == "description" and query.topic and not finding.answered:
        # No detail of the code speaks of the words around the comparison: what the code is tells it apart.
        finding = handler(replace(query, topic=(), context=(), focus=tuple(c.lower() for c in query.codes)), index, k)
    if handler is _sentences and not finding.answered and query.codes and not query.payers:
        finding = _beyond_the_summary(query, index, k) or finding
    if finding.answered and query.patient.measures and query.attribute in ("coverage", "criteria"):
        finding = _measures_bounded_elsewhere(finding, index)
    if not finding.answered and query.attribute in _ABOUT_A_DECISION and (query.codes or query.payers):
        # "how much does Cigna pay for 0971T?": no amount is given, but what Cigna decides on 0971T is said.
        position = _coverage(replace(query, attribute="coverage", parts=()), index, k)
        if position.answered and position.quotes[0].passage.decision:
            finding.beside = position
    return finding


def _measures_bounded_elsewhere(finding: Finding, index) -> Finding:
    """A patient's measure that no quoted criterion bounds is held against the limit the same policy sets for it
    elsewhere ("lung shunt fraction came back 16%": a table of limits below the criteria lists), that passage
    quoted beside the decision. Only where the policy states its policy, not in its background or evidence."""
    quoted = [q.text for q in finding.quotes]
    unchecked = [m for m in finding.query.patient.measures if not any(measure_checks(m, t) for t in quoted)]
    docs = list({q.hit.document.id: q.hit.document for q in finding.quotes if q.passage.decision}.values())
    added: list[Quote] = []
    for measure in unchecked:
        bound = next(
            (
                quote_of(p, doc, sentence=i)
                for doc in docs
                for p in index.document_passages(doc.id)
                if not p.boilerplate and not any(_NOT_A_POSITION.search(h) for h in p.section)
                for i, (s, e, *_) in enumerate(p.sentences or ((0, len(p.text)),))
                if measure_checks(measure, p.text[s:e])
            ),
            None,
        )
        if bound is not None and all(bound.passage.id != q.passage.id for q in [*finding.quotes, *added]):
            added.append(bound)
    return replace(finding, quotes=[*finding.quotes, *added]) if added else finding


# A reference asked for by its number ("and ref 17?", "reference #3 in 0540", "what's citation 12"); not a
# measure ("ref range 5 mm").
_REFERENCE_NUMBER = re.compile(
    r"\b(?:ref(?:erence)?|citation)\.?\s*(?:#|no\.?|number)?\s*(\d{1,3})\b(?![.,]?\d|\s*(?:%|mm|cm|mg))", re.I
)


def _numbered_reference(query: Query, index) -> Finding | None:
    """The entry of a reference list a question asks for by its number, in the document it names (else the one
    the answer before quoted, the code's, the payer's: the first that lists references); None when nothing is
    asked by number or those documents list no references. A number beside another question is a claim's or a
    letter's ("see ref 2 in the denial letter, is 0581T covered?")."""
    asked = _REFERENCE_NUMBER.search(query.text)
    if asked is None or query.attribute not in ("general", "description"):
        return None
    earlier = [p for p in map(index.passage, query.earlier) if p is not None]
    groups = (
        lambda: named_documents(query, index),
        lambda: [index.documents[p.document] for p in earlier if p.document in index.documents],
        lambda: [d for c in query.codes for d in index.documents_with_code(c)],
        lambda: payer_documents(query, index) if query.payers else [],
    )
    for group in groups:
        for doc in {d.id: d for d in group()}.values():
            listed = [
                p for p in index.document_passages(doc.id) if p.section and REFERENCE_HEADING.match(p.section[-1])
            ]
            if listed:
                return _entry_numbered(query, asked.group(1), listed, doc)
    return None


# A section asked for by its outline number, as a denial letter cites it ("per section II.D of their policy",
# "what does sec 4 say"): the marks of its heading and of the one above it. ("II.D" alone: a roman numeral and a
# letter, no code's shape.)
_SECTION_NUMBER = re.compile(
    r"(?:\b(?i:section|sect?\.?)\s*|§\s*)(?P<top>[IVX]+|\d+(?:\.\d+)*)(?:\.(?P<sub>[A-Z]))?\b(?!\.\w)|"
    # (not an abbreviation's letters: "the V.A.", "I.E.")
    r"(?<![\w.])(?P<roman>[IVX]+)\.(?P<letter>[A-Z])\b(?!\.)"
)
_ASKS_WHAT_IT_SAYS = re.compile(r"\bwhat\b[^?]*\b(?:say|says|state|states|read|reads|contain|contains)\b", re.I)
# A heading's outline mark: "II.", "D)", "4." or a decimal outline's "4.1".
_MARK = re.compile(r"\s*(?:section\s+)?(?:(\d+(?:\.\d+)+)\.?\s|([IVX]+|\d+|[A-Z])[.)]\s)", re.I)


def _numbered_section(query: Query, index) -> Finding | None:
    """What a section asked for by its outline number says, in the document the question names (else the one the
    answer before quoted, the payer's, and with none of those the one document the question's words find first: a
    clerk may call the payer by a word of her own): its passages, the section named first. None when no section is
    asked for by number, or no such document numbers its sections so."""
    asked = _SECTION_NUMBER.search(query.text)
    if asked is None or not (query.attribute in ("general", "description") or _ASKS_WHAT_IT_SAYS.search(query.text)):
        return None
    said = (asked.group("top") or asked.group("roman"), asked.group("sub") or asked.group("letter"))
    marks = [m.upper() for m in said if m]
    for doc in _documents_in_view(query, index, found_first=True):
        under = [p for p in index.document_passages(doc.id) if _numbered_as(p.section, marks)]
        if under:
            return Finding(replace(query, where=True), quotes=[quote_of(p, doc) for p in under[:3]])
    return None


# The heading of the documents a policy points to ("Related Coverage Resources", "Related Policies", "See Also"),
# not of its related codes or diagnoses.
_RELATED_DOCUMENTS = re.compile(
    r"\brelated\s+(?:\w+\s+){0,2}?(?:polic(?:y|ies)|resources?|documents?|guidelines?|bulletins?|articles?)\b|"
    r"\bsee also\b|\bcross[- ]?references?\b",
    re.I,
)


def _other_documents(query: Query, index) -> Finding | None:
    """The section of a document that names the other documents it points to (a "Related Coverage Resources"
    box, "Related Policies"), when that is asked, in the document the question names (else the one the answer
    before quoted, the payer's)."""
    # (a code the question itself names asks of the code; one carried from the turn before does not)
    named_codes = [c for c in code_rules.find_in_query(query.text) if c.kind != "policy"]
    if query.attribute not in ("general", "description", "coverage") or named_codes:
        return None
    if not asks_for_other_documents(query.text):
        return None
    for doc in _documents_in_view(query, index):
        listed = [p for p in index.document_passages(doc.id) if p.section and _RELATED_DOCUMENTS.search(p.section[-1])]
        if listed:
            return Finding(replace(query, where=True), quotes=[quote_of(p, doc) for p in listed[:3]])
    return None


def _documents_in_view(query: Query, index, found_first: bool = False) -> Iterator[Document]:
    """The documents a question about "the policy" means, in turn: the one it names, the ones the answer before
    quoted, the payer's (those the question's words find first, first), and with `found_first` the one document
    the question's words find first. The search runs only when the documents before it did not serve."""
    seen: set[str] = set()
    for doc in _in_turn(query, index, found_first):
        if doc.id not in seen:
            seen.add(doc.id)
            yield doc


def _in_turn(query: Query, index, found_first: bool) -> Iterator[Document]:
    yield from named_documents(query, index)
    earlier = [p for p in map(index.passage, query.earlier) if p is not None and p.document in index.documents]
    yield from (index.documents[p.document] for p in earlier)
    if not (query.payers or found_first):
        return
    ranked = [h.document for h in index.retrieve(query.search or query.text, k=12)]
    if query.payers:
        theirs = payer_documents(query, index)
        ids = {d.id for d in theirs}
        yield from (d for d in ranked if d.id in ids)
        yield from theirs  # (the ones the search did not rank, after)
    if found_first:
        yield from ranked[:1]


def _numbered_as(section: tuple[str, ...], marks: list[str]) -> bool:
    """Do the headings of a section path carry these outline marks, in order, the last on its own heading?"""
    own = [(m.group(1) or m.group(2)).upper() if (m := _MARK.match(f"{h} ")) else "" for h in section]
    if not own or own[-1] != marks[-1]:
        return False
    return marks[:-1] == [] or marks[0] in own[:-1]


def _entry_numbered(query: Query, number: str, listed: list[Passage], doc: Document) -> Finding:
    entry = re.compile(rf"\s*[\[(]?{number}[.)\]]\s")
    found = [p for p in listed if entry.match(p.text)]
    if found:
        return Finding(query, quotes=[quote_of(found[0], doc)])
    return Finding(
        query,
        reason=f"the references of “{doc.title}” have no entry numbered {number}",
        nearest=[Hit(p, doc, 1.0) for p in listed[-1:]],
    )


# Asked whether a code is the right one for what the question describes ("billing 0686T for the laparoscopic
# freezing of liver tumors ... thats the right code yea?", "charge sheet has 0971T ... something seems off").
# ("does 0686T work for a breast tumor": whether the code fits, not whether the procedure works)
_RIGHT_CODE = re.compile(
    r"\b(?:right|correct|wrong|proper)\s+(?:cpt\s+|hcpcs\s+)?code\b|\b(?:seems?|looks?)\s+(?:off|wrong)\b|"
    r"\b(?:does|do|would|will|can|could)\s+(?:cpt\s+|hcpcs\s+|code\s+)?\d{4}[0-9A-Z]\s+(?:work|fit)\s+(?:for|to)\b",
    re.I,
)


def _code_of_the_procedure_described(query: Query, index, k: int) -> Finding | None:
    """The code the documents give for the procedure a question describes, beside the code it names, when it
    asks whether that code is right and the documents describe another procedure by it: the code found for the
    description says more of its words than the named code's own descriptions do. None otherwise (the named
    code fits, or nothing is asked of it)."""
    procedures = code_rules.procedures(query.codes)
    asking = " ".join(query.text[a:b] for a, b in asking_spans(query.text, []))
    if (
        len(procedures) != 1
        or query.attribute not in ("general", "codes", "description")
        or not _RIGHT_CODE.search(asking or query.text)
        or not index.knows_code(procedures[0])
    ):
        return None
    better = _better_code(query, procedures[0], index, k)
    if better is not None:
        return better
    # The named code fits as well as any: what it describes answers whether it is right for the case.
    own = _description_of(procedures[0], index)
    return Finding(query, quotes=[own]) if own is not None else None


def _better_code(query: Query, named: str, index, k: int) -> Finding | None:
    """The code whose description says more of the question's words than the named code's descriptions do,
    with the named code's own description beside it; None when none does."""
    search = " ".join(w for w in (query.search or "").split() if w.upper() != named)
    described = replace(query, codes=(), attribute="codes", parts=(), search=search, documents=())
    found = _codes(described, index, k)
    if not found.answered:
        return None
    head = found.quotes[0]
    p = head.passage
    code = p.codes[0] if p.kind == "row" and p.codes else head.hit.document.code
    # A code another code's summary lists beside its own (a related code: the pathology, the imaging) is done
    # with a procedure, not instead of it: only a code a summary is about, or a policy's code row, is one.
    summary = head.hit.document.code
    if summary and code != summary:
        return None
    own = _description_of(named, index, beside=p)
    if not code or code == named or own is None:
        return None
    # (the case describes the procedure; the sentence that asks only asks whether the code is right)
    weights = _weights(replace(query, focus=(), context=()), index)
    own_words = {c: _stems(" ".join(_descriptions_of(c, index))) for c in (code, named)}
    # (an acronym typed is said by a description that spells out most of it: "hifu", "Focused Ultrasound")
    spelled = {_STEMMER.stemWord(short): _stems(long) for short, long in query.acronyms}

    def says(stem: str, weight: float, own: set[str]) -> bool:
        long = spelled.get(stem, set())
        return bool(_match({stem: weight}, own, set())) or (bool(long) and 2 * len(long & own) >= len(long))

    said = {c: {s for s, w in weights.items() if says(s, w, own_words[c])} for c in (code, named)}
    # The code found says all the question's words the named one says, and more: one that only trades them
    # ("hifu on a breast tumor": a breast laser code says "breast", not the focused ultrasound 0686T says) is
    # no better fit.
    if not said[code] > said[named]:
        return None
    return Finding(query, quotes=[head, own], instead_of=named)


# A code table's word for a code listed only to say the policy leaves it to another ("19300 | Mastectomy for
# gynecomastia | Not addressed by this policy", "36475 | ... | Not addressed here; see policy OCA 3.728").
# (a status of its own, or a clause of one: "Excisional alternative; not addressed by this policy"; never an
# exclusion's "outside the scope of the member's benefit")
_NOT_ADDRESSED = re.compile(
    r"(?:^|[;:.(]\s*)(?:not addressed\b|outside the scope of (?:this|the) (?:policy|guideline|document)\b)", re.I
)


def _not_addressed(query: Query, index) -> Finding | None:
    """Asked for a decision or criteria on a code that the (asked payer's) documents list only in rows saying
    they do not address it: they state none, and say so. None when a passage of theirs naming the code decides
    on it, or the code is not so listed."""
    if query.attribute not in ("coverage", "criteria", "prior-auth"):
        return None
    procedures = code_rules.procedures(codes_asked(query))
    scope = {d.id for d in payer_documents(query, index)} if query.payers else set(index.documents)
    rows: list[Passage] = []
    for code in procedures:
        naming = [p for p in index.lookup(code) if p.document in scope]
        left = [
            p
            for p in naming
            if p.kind == "row"
            and p.codes[:1] == (code,)
            and not p.decision  # (a row deciding on its code says so: "Investigational; ... not addressed")
            and any(_NOT_ADDRESSED.search(c.strip()) for c in cells(p))
        ]
        # Every document naming the code leaves it to another: one that does not (its own policy, listing it
        # in a bare code row) may state the criteria.
        if not left or {p.document for p in naming} != {p.document for p in left}:
            return None
        rows += left
    if not rows:
        return None
    doc = index.documents[rows[0].document]
    status = next((c for c in reversed(cells(rows[0])) if _NOT_ADDRESSED.search(c.strip())), "")
    what = "criteria" if query.attribute == "criteria" else "decision"
    return Finding(
        query,
        reason=f"{doc.label} lists {', '.join(procedures)} as “{status}”: it states no {what} for it",
        nearest=[Hit(p, index.documents[p.document], 1.0) for p in rows],
    )


# A thing asked for by a question word: "what's the MUE on 0686T", "when does 0971T sunset".
_ASKS_FOR_A_THING = re.compile(r"\b(?:what|whats|what's|which|when|where|how)\b", re.I)


def _nothing_held_on(query: Query, index, k: int) -> Finding | None:
    """Asked of a code, with no attribute cue, about a thing no document speaks of in any form ("whats the MUE on
    0686T?", "when does 0971T sunset?"): the documents do not hold it, and what they do hold on the code is not
    the answer. The words are the asking sentence's own; a single one of them the documents use is enough to
    search by."""
    if query.attribute not in ("general", "description") or not query.codes or query.follows:
        return None
    if not _ASKS_FOR_A_THING.search(query.text):
        return None  # "0581T for mrs henderson?", "is 0581T legit?": the words tell the case, they ask no thing
    # (a name typed with its capital, "dr Nguyen", is the case's too)
    named = {w.lower() for w in re.findall(r"\b[A-Z][a-z]+\b", query.text)}
    asked = [w for w in query.asked if w.isalpha() and w not in _DOCUMENT_WORDS and w not in named]
    if not asked or any(index.matchable(w) for w in asked):
        return None
    return Finding(
        query,
        reason=f"none of the documents speaks of “{' '.join(asked)}” for {' and '.join(query.codes)}",
        nearest=index.retrieve(query.search or query.text, k=k),
    )


def _descriptions_of(code: str, index) -> list[str]:
    """What the documents describe a code as: its summary's title and its rows in code tables."""
    titles = [d.title for d in index.documents.values() if d.code == code]
    return titles + [p.text for p in _rows_of(code, index)]


def _rows_of(code: str, index) -> list[Passage]:
    """The rows of code tables that the code keys."""
    return [p for p in index.lookup(code) if p.kind == "row" and p.codes[:1] == (code,)]


def _description_of(code: str, index, beside: Passage | None = None) -> Quote | None:
    """One passage describing a code: its row in the table of the row `beside` (the two descriptions side by
    side), else its summary's title, else its row in a code table."""
    rows = _rows_of(code, index)
    same = [p for p in rows if beside is not None and beside.kind == "row" and p.document == beside.document]
    if same:
        return quote_of(same[0], index.documents[same[0].document])
    for doc in index.documents.values():
        if doc.code == code:
            front = next((p for p in index.document_passages(doc.id) if p.kind == "front-matter"), None)
            if front is not None:
                return quote_of(front, doc)
    return quote_of(rows[0], index.documents[rows[0].document]) if rows else None


def _listed_where(query: Query, index) -> Finding | None:
    """Asked where a code is listed, and nothing else of it ("where does the policy list 0971T?"): the code's own
    rows, keyed by it, not a history entry recording when it was added."""
    if not (query.where and query.codes and query.attribute == "general"):
        return None
    # Words no passage naming the code says ask nothing of it ("coder swears 19499 shows up in one of the cpt
    # summaries. which of the 5 docs has 19499 and under what heading?"); one that some passage says ("where does
    # 0540 say 0971T was added") asks where that is said.
    naming = " ".join(f"{p.text} {p.lead} {p.section_path}" for c in query.codes for p in index.lookup(c))
    said = _stems(naming)
    if any(_said(_STEMMER.stemWord(w), said) for w in query.asked):
        return None
    # (of the payer or policy named: "where does cigna list 0686T" is asked of Cigna's documents)
    scope = {d.id for d in named_documents(query, index) or (payer_documents(query, index) if query.payers else [])}
    rows = [
        quote_of(p, index.documents[p.document])
        for code in query.codes
        for p in index.lookup(code)
        if p.kind == "row"
        and p.codes[:1] == (code,)
        and not any(HISTORY_HEADING.search(h) for h in p.section)
        and (not (query.payers or query.documents) or p.document in scope)
    ]
    return Finding(query, quotes=rows[:3]) if rows else None


# Asked what a short form stands for ("IBTR, whats that stand for?", "spell out CEM").
_STANDS_FOR = re.compile(
    r"\bstands? for\b|\bspell(?:ed)?\s+(?:\w+\s+)?out\b|\babbreviation\b|\bacronym\b|\bshort for\b", re.I
)


def _where_spelled_out(query: Query, index) -> Finding | None:
    """What a short form typed in the question stands for, quoted where a document spells it out ("...
    ipsilateral breast tumor recurrence (IBTR) ..."); None when the question asks no such thing."""
    defined_as = getattr(index, "defined_as", None)
    if defined_as is None or not _STANDS_FOR.search(query.text):
        return None
    for short in dict.fromkeys(re.findall(r"\b[A-Za-z][A-Za-z0-9&]{1,7}\b", query.text)):
        long = defined_as(short) if not short.islower() or len(short) <= 5 else None
        if not long:
            continue
        words_of_long = r"\W+".join(map(re.escape, long.split()))
        spelled = re.compile(rf"{words_of_long}\W{{0,3}}\(\s*{re.escape(short)}\s*\)", re.I)
        # (where the rest of the question points: "the liver sound wave one" is the liver summary's HIFU)
        hits = index.retrieve(f"{long} {short} {query.search}", k=12)
        quotes = score_quotes(replace(query, topic=(*query.topic, *long.split())), hits, index, limit=1, need=spelled)
        if quotes:
            return Finding(query, quotes=quotes)
    return None


# What is asked of a payer's handling of a service whose decision on it is the next thing a clerk needs.
_ABOUT_A_DECISION = {"payment", "prior-auth", "appeal"}


# ---- coverage -------------------------------------------------------------------------------------------
def _candidate_documents(query: Query, index) -> list[Document]:
    """Payer documents that can state a decision on the subject: one the question names by number, the named
    payer's, listing the code when a code is asked about; without a payer, every policy document (one whose
    publisher cannot be named too: its decisions are still a policy's)."""
    named = named_documents(query, index)
    if named:
        return named
    # A payer's decision is read from its policy documents, not from a note or newsletter that mentions it; a
    # payer's own notice to providers (a bulletin, whose publisher is the payer) states its decisions too.
    docs = [
        d
        for d in (payer_documents(query, index) if query.payers else index.documents.values())
        if (d.payer or not query.payers) and (d.kind in POLICY_KINDS or d.kind == "other" and d.payer)
    ]
    if query.codes:
        listing = {d.id for c in query.codes for d in index.documents_with_code(c)}
        docs = [d for d in docs if d.id in listing]
    return docs


def _coverage(query: Query, index, k: int) -> Finding:
    candidates = _candidate_documents(query, index)
    finding = _coverage_in(query, index, k, candidates)
    if not finding.answered and candidates and all(d.kind in _NOT_POLICIES for d in candidates):
        # The payer's documents state no policy of their own (billing articles, coding guides): their decisions are
        # on codes, and what is paid or denied in a case they say in sentences ("a second block ... is payable only
        # when the first was non-diagnostic"). Of a subject they speak of: most words of it theirs (a case's own
        # words aside: "too drowsy to rate her pain"), none missing from the document found.
        subject_words = [w for w in query.asked if w.isalpha() and w not in _DOCUMENT_WORDS]
        spoken = 2 * sum(map(index.matchable, subject_words)) > len(subject_words)
        if spoken and not any(foreign_subject(query, d, index) for d in candidates):
            said = _sentences(replace(query, attribute="general"), index, k, documents=tuple(d.id for d in candidates))
            if said.answered:
                return said
    if finding.answered or query.codes or query.documents:
        return finding
    named = _naming_document(query, index)
    if named is None:
        return finding
    # The subject is named only in a policy's description ("the Intracept ... system is an example of a device
    # marketed for this purpose"): that policy's position on what it is about answers, with the sentence that
    # ties the name to it.
    doc, mention = named
    related = _listed_as_related(query, doc, index)
    if related is not None and finding.nearest and finding.nearest[0].passage.id == related.id:
        return finding  # the policy's own statement was found, and its related entry already said
    if related is not None:
        return replace(
            finding,
            reason=f"{finding.reason}: “{doc.title}” refers to a policy of its own for it, not among them",
            nearest=[Hit(related, doc, 1.0, {"named"}), *finding.nearest],
        )
    about = tuple(w for w in words(doc.title) if len(w) > 3 and w not in _DOCUMENT_WORDS)
    on_title = _coverage_in(replace(query, topic=about, context=(), focus=about, search=doc.title), index, k, [doc])
    if not on_title.answered:
        return finding
    on_title.quotes.append(mention)
    return replace(on_title, query=query)


# Kinds of document that state no coverage policy of their own: billing articles, code summaries, and the rest
# (a coding newsletter, a guide: "other" is what metadata calls a document that is none of the policy kinds).
_NOT_POLICIES = {"billing-article", "code-summary", "other"}


def _naming_document(query: Query, index) -> tuple[Document, Quote] | None:
    """The one candidate document with a sentence that says every subject word the documents use, and that
    sentence; None when none or several do."""
    known = [w for w in query.asked if w not in _DOCUMENT_WORDS and index.matchable(w)]
    if not known:
        return None
    stems = {_STEMMER.stemWord(w) for w in known}
    found: dict[str, Quote] = {}
    # The passages that use the words are among those the search finds by them (reading every passage of
    # every payer document would not scale to a large corpus).
    ids = tuple(d.id for d in _candidate_documents(query, index))
    for hit in index.retrieve(" ".join(known), k=NAMING_DEPTH, filters=Filters(documents=ids)):
        if hit.document.id not in found and all(_said(s, _spelled(query, _stems(hit.passage.text))) for s in stems):
            quotes = score_quotes(query, [Hit(hit.passage, hit.document, 1.0, {"named"})], index, limit=1)
            if quotes:
                found[hit.document.id] = quotes[0]
    if len(found) != 1:
        return None
    ((doc_id, quote),) = found.items()
    return index.documents[doc_id], quote


def _listed_as_related(query: Query, doc: Document, index) -> Passage | None:
    """The passage of the document's related policies with an entry that is the subject's name ("Related
    Coverage Resources: High Intensity Focused Ultrasound (HIFU)"), if any: then the subject has a policy of
    its own, and this one's position and number, on what its title names, are not the subject's. The entry's
    every word is a word of the subject (or of the long form of its acronym), and it says most of the weight
    of the subject words the title lacks; an entry merely sharing a word ("Clinical Coverage Policies") is
    not the subject's name."""
    own = _stems(doc.title)
    known = [w for w in query.asked if w not in _DOCUMENT_WORDS and index.matchable(w)]
    weight = {_STEMMER.stemWord(w): index.term_weight(w) for w in known if _STEMMER.stemWord(w) not in own}
    total = sum(weight.values())
    subject = _stems(" ".join([*query.asked, *(long for _, long in query.acronyms)]))
    for p in index.document_passages(doc.id) if total else []:
        if not any(_OTHER_DOCUMENTS.search(s) for s in p.section):
            continue
        for entry in re.split(r"\n|(?:^|\s)[-•*]\s", p.text):
            named = _stems(" ".join(w for w in words(entry) if len(w) > 3))
            said = sum(w for s, w in weight.items() if _said(s, _spelled(query, named)))
            if named and named <= subject and said > total / 2:
                return p
    return None


def _coverage_in(query: Query, index, k: int, docs: list[Document]) -> Finding:
    who = f"{' or '.join(query.payers)} " if query.payers else ""
    if not docs:
        nearest = index.retrieve(query.search or query.text, k=k)
        listed = f" that lists {_subject(query)}" if query.codes else f" on {_subject(query)}"
        return Finding(query, reason=f"no {who}coverage policy among the documents{listed}", nearest=nearest)
    ids = {d.id for d in docs}
    # Every passage of the payer's policies gets its closeness to the question: a long criteria list is a
    # statement well below the search's first hits.
    everything = sum(len(index.document_passages(i)) for i in ids)
    scored = index.retrieve(query.search or query.text, k=max(k, 12, everything), filters=Filters(documents=tuple(ids)))
    hits = scored[: max(k, 12)]
    named = [w for w in query.asked if w not in _DOCUMENT_WORDS]
    if named and not query.codes and not query.documents and not any(index.matchable(w) for w in named):
        # Not one word of the subject is in the documents ("linx magnetic sphincter for gerd"): beside a word
        # they do use, an unknown one may be a lay word read by meaning; alone, it is a subject they lack.
        return Finding(query, reason=f"none of the {who}documents speaks of “{' '.join(named)}”", nearest=hits)
    relevance = {h.passage.id: h.score for h in scored}
    # Every candidate states a decision: the words asking for one ("pay", "cover") tell none apart, and a
    # note on payment that happens to use them would outrank the statement on the subject.
    weights = _weights(replace(query, focus=(), topic=query.asked), index)
    if not weights and query.codes:
        # Asked of a code alone ("does uhc cover 61715?"): what the code describes, as the documents that list it
        # describe it in its row, is the subject their statements speak of.
        descriptions = _code_descriptions(query.codes, docs, index)
        weights = _weights(replace(query, focus=(), topic=tuple(descriptions), context=()), index)
    named_decision = decision_in(query.text)
    asked_negative = bool(named_decision and named_decision[0] in NEGATIVE)
    repeat_asked = bool(_REPEAT.search(query.text))
    statements = []
    criteria: dict[str, list[str]] = {}
    described: dict[str, set[str]] = {}  # the words each statement is said of beyond its own
    for doc in docs:
        passages = index.document_passages(doc.id)
        for n, p in enumerate(passages):
            if not p.decision or (p.section and _NOT_A_POSITION.search(p.section[-1])):
                continue  # a decision is stated by the policy, not by its introduction, evidence or history
            lists = _criteria_lists_after(passages, n)
            described[p.id] = _said_of(p, doc, index, lists)
            seen = _spelled(query, _stems(f"{p.about} {p.text} {p.lead} {p.section_path}") | described[p.id])
            # What a decision is about weighs as much again: "a breast fibroadenoma" over "any other condition".
            # A word staff shorten ("cryo") is said by the longer one, as in judging the subject (known_share).
            statements.append((p, doc, seen, _spelled(query, _stems(p.about))))
            # As it is said of the criteria listed under it, it is as close to the question as they are.
            criteria[p.id] = [c.id for c in lists]
    top = sum(weights.values()) or 1.0
    # Whether a statement is on the subject is judged by the words some statement says: one that none says
    # ("hocm", in a policy's keywords only) cannot tell it.
    stated = {w: v for w, v in weights.items() if any(_said(w, seen) for _, _, seen, _ in statements)} or weights
    stated_top = sum(stated.values()) or 1.0
    ranked = []
    standing: dict[str, float] = {}  # a statement's score without the search's closeness
    said_share: dict[str, float] = {}  # the share of the question's subject words (by weight) it says
    subject_said: dict[str, float] = {}  # the share of them it says (in its text, lead-in, section, items)
    repeats: set[str] = set()  # statements on repeating the procedure, when the question does not ask to repeat it
    fit: dict[str, float] = {}  # the weight of a statement's line of business: it orders, it admits none
    for p, doc, seen, about in statements:
        subject_said[p.id] = _said_match(stated, seen, set()) / stated_top
        said_share[p.id] = _said_match(weights, seen, set()) / top
        score = said_share[p.id] + _said_match(weights, about, set()) / top
        if _COMPLEMENT.search(p.text):
            score -= 0.5  # "... that does not meet the criteria above is not covered": the flip side
        first = p.text[p.sentences[0][0] : p.sentences[0][1]] if p.sentences else p.text
        if _REPEAT.search(f"{p.lead} {first} {p.section_path}"):
            # The decision on repeating the procedure answers a question about repeating it (as for criteria);
            # asked about the procedure, it comes after the statements on doing it at all.
            score += 0.5 if repeat_asked else -0.5
            repeats |= set() if repeat_asked else {p.id}
        # (a code its own heading names is its code too: "B. Matrixectomy (CPT 11750)" over the statement)
        headed = {c.value for c in code_rules.find_codes(p.section[-1])} if p.section else set()
        score += 1.0 * len(set(query.codes) & (set(p.codes) | headed))
        # A policy may state a position for each line of business ("SelectHealth Medicare (HMO)", "Community
        # Care (Medicaid)"): the one the question names, as for a repeat, over another's.
        fit[p.id] = 0.5 * _program_fit(query, p, doc)
        score += fit[p.id]
        if p.kind == "row" and set(query.codes) & set(p.codes[:1]):
            score += 1.0  # the code's own row in a table captioned with a decision
        elif p.kind == "row" and not query.codes:
            score -= 0.5  # asked about a procedure, the policy's statement answers, not a code table's caption
        standing[p.id] = score
        closeness = max([relevance.get(i, 0.0) for i in (p.id, *criteria[p.id])])
        ranked.append((score + closeness, p, doc))
    ranked.sort(key=lambda item: (item[1].id in repeats, -item[0]))
    # (of one policy: across a payer's many, the first statement of whichever comes first says nothing of the rest)
    nothing_asked = not weights and not query.codes and not query.topic and len(docs) == 1
    if nothing_asked:
        # Nothing asked of a policy but what it decides ("cigna 0540?"): its statements in the order it makes
        # them, its own statement of policy first, not a note on deleted codes that happens to be near the words.
        order = {p.id: n for n, (p, *_) in enumerate(statements)}
        ranked.sort(key=lambda item: (item[1].id in repeats, order[item[1].id]))
    # A statement stands by saying a word of the subject or by being among the search's hits; its closeness
    # below them only orders the ones that stand. Asked of a code alone ("does wisconsin medicaid cover 64680?"),
    # only a statement naming the code is about it.
    found = {h.passage.id: h.score for h in hits}
    ranked = [
        r
        for r in ranked
        if nothing_asked
        or standing[r[1].id] - fit[r[1].id] + max(found.get(i, 0.0) for i in (r[1].id, *criteria[r[1].id])) > 0.0
        and (weights or not query.codes or set(query.codes) & set(r[1].codes))
    ]
    said = [r for r in ranked if r[1].decision in NEGATIVE]
    said = [r for r in said if named_decision and r[1].decision == named_decision[0]] or said
    if (
        asked_negative
        and said
        and query.attribute == "coverage"
        and not re.match(r"\W*(?:is|are|does|do)\b", query.text, re.I)
        and not _EITHER_DECISION.search(query.text)
    ):
        ranked = said  # "which ... does medica say are investigational / not covered": the statements that say so
    # The best-ranked statement about the subject: one found first by the search's closeness alone may be about
    # something else ("breast tumors" for a question about kidneys, a plan's note on cost sharing for one about
    # burning the occipital nerves) while one below it speaks of the subject. The first stands when the search
    # ranks it among its first three (near the question in meaning, though its words may not be the question's:
    # lay words); below it, a statement stands only by speaking of the subject in the question's words.
    top_hits = {h.passage.id for h in hits[:3]}
    on_subject = next(
        (
            (score, p, d)
            for n, (score, p, d) in enumerate(ranked[:k])
            if query.codes
            or (n == 0 and (p.id in top_hits or nothing_asked))
            or known_share(query, quote_of(p, d), index, described=described[p.id]) >= MIN_SHARE
        ),
        None,
    )
    if on_subject is None:
        return Finding(
            query, reason=f"no {who}coverage position on {_subject(query)} is among the documents", nearest=hits
        )
    best_score, best, doc = on_subject
    ranked = [on_subject, *[r for r in ranked if r[1] is not best]]
    foreign = foreign_subject(query, doc, index)
    if foreign:
        return Finding(
            query,
            reason=f"no {who}coverage position on {_subject(query)} is among the documents "
            f"(the {who}policy found does not mention “{foreign}”)",
            nearest=hits,
        )
    related = None if query.codes else _listed_as_related(query, doc, index)
    if related is not None:
        # "cigna's position on laser interstitial thermal therapy": the breast policy lists LITT among its
        # related policies; its own position, on breast tumors, is not LITT's.
        return Finding(
            query,
            reason=f"no {who}coverage position on {_subject(query)} is among the documents: “{doc.title}” "
            "refers to a policy of its own for it, not among them",
            nearest=[Hit(related, doc, 1.0, {"named"}), *hits],
        )
    if PLURAL_ASK.search(query.text) and re.search(r"\bcodes\b", query.text, re.I):
        # "Which codes does the policy list as not medically necessary?": its decision-bearing code rows.
        rows = [
            (p, d)
            for s, p, d in ranked
            if p.kind == "row"
            and d.id == doc.id
            and p.codes
            and (p.decision in NEGATIVE) == (best.decision in NEGATIVE)
        ]
        if rows:
            return Finding(query, quotes=[quote_of(p, d) for p, d in rows[:20]])
    # A second statement of the same document on the same subject with another decision ("medically necessary
    # when ..." and "investigational for all other indications") completes the answer; one deciding the other
    # way ("covered when ..." beside "not medically necessary for ANY of ...") before one more of the same way.
    others = [
        (score, p, d)
        for score, p, d in ranked[1:]
        if d.id == doc.id
        and p.decision != best.decision
        # near the best with the search's closeness, or above it without (closeness is 0 beyond the search's hits)
        and (score >= 0.7 * best_score or standing[p.id] > standing[best.id])
        and subject_said[p.id] >= MIN_SHARE  # on the same subject, as said above
    ]
    # Of equals, the statement that says its decision in its own words, over an item under a heading that says it.
    others.sort(
        key=lambda spd: (
            (spd[1].decision in NEGATIVE) == (best.decision in NEGATIVE),
            -standing[spd[1].id],
            decision_in(spd[1].text) is None,
        )
    )
    chosen = [(best, doc), *[(p, d) for _, p, d in others[:1]]]
    # Criteria under which a service is covered come first; the exclusions that qualify them follow. When the
    # best statement is an exclusion (of what is asked: "miradry for underarm sweating"), it stays first: the
    # answer's verdict is its own (payers dev: 7 first sentences turned from a wrong "Yes" to "No", 1 the other way).
    # One that excludes only what fails the criteria ("... when the criteria are not met") is their flip side; so is
    # one whose own words say little of the subject (under MIN_SHARE), found first by the search's closeness
    # alone, below a statement that says more.
    said_less = len(chosen) > 1 and standing[chosen[1][0].id] > standing[best.id] and said_share[best.id] < MIN_SHARE
    if best.decision not in NEGATIVE or _COMPLEMENT.search(best.text) or said_less:
        chosen.sort(key=lambda pd: pd[0].decision in NEGATIVE)
    quotes = [quote_of(p, d, s) for s, (p, d) in zip([best_score] * len(chosen), chosen)]
    finding = Finding(query, quotes=quotes)
    if query.attribute == "criteria" and not has_criteria(f"{best.lead} {best.text}"):
        limit_asked = bool(_limit_kind(_without_patient(query)))
        lists = [
            p
            for p in index.document_passages(doc.id)
            if p.kind == "list"
            and has_criteria(p.text)
            # Asked for the payer's criteria as a whole, the indications an agency gave a device, in the
            # background, are none of them; asked for a limit of a kind the policy does not set ("the age cutoff in
            # the indication"), the background's list may be the one that sets it. (UHC's "Coverage Rationale"
            # states its criteria.)
            and (limit_asked or not any(_NOT_A_POSITION.search(h) for h in p.section))
            and _match(weights, _stems(p.text + " " + p.lead), set()) > 0
        ]
        if lists:
            finding.quotes.insert(0, quote_of(lists[0], doc))
    elif query.patient and best.decision not in NEGATIVE:
        # A patient's case is checked against the criteria the statement refers to ("meets ANY ONE of the
        # clinical indications in part A"), listed under it: they are cited after it.
        passages = index.document_passages(doc.id)
        n = next((i for i, p in enumerate(passages) if p.id == best.id), -1)
        finding.quotes += [quote_of(p, doc) for p in _criteria_lists_after(passages, n)[:2] if n >= 0]
    return finding


# ---- criteria ------------------------------------------------------------------------------------------
def _criterion(query: Query, index, k: int) -> Finding:
    """A limit or requirement ("how long must pain last", "what skull density ratio"): the one criterion of
    the payer's statements that speaks of it, cited with the list it belongs to; without one, the position."""
    said = FDA_APPROVAL.sub(" ", query.text)  # "the device is FDA approved for older women": the FDA's, not a payer's
    # "for patients of what age is ProSense indicated?": not a payer's; "commercial pt ... does she qualify for
    # the hip rfa?": a payer's line of business, so a payer's criteria.
    if not (query.payers or query.programs) and not named_documents(query, index) and not _POLICY_WORDS.search(said):
        return _sentences(query, index, k)
    docs = _candidate_documents(query, index)
    if not docs:
        return _coverage(query, index, k)
    titles = " ".join(d.title for d in docs).lower()
    # A word naming the kind of limit ("size", "age") asks for it; it names no criterion of its own.
    asked = [w for w in query.asked if w not in titles and w not in _DOCUMENT_WORDS and not _limit_kind(w)]
    # The patient's own details ("71 yo") ask for no limit; asked whether the case qualifies, every criterion is.
    # Asked for a limit of no named kind ("the hiatal hernia cutoff? pt has a 3 cm hernia"), the one the
    # patient's detail would be held against is.
    whole_case = bool(query.patient.measures and _WHOLE_CASE.search(query.text))
    kind_asked = _limit_kind(_without_patient(query, measures=whole_case))
    if not kind_asked and _UNNAMED_LIMIT.search(_without_patient(query)):
        kind_asked = _limit_kind(query.text)
    if (not asked or ((query.patient or whole_case) and _WHOLE_CASE.search(query.text))) and not kind_asked:
        # No one criterion is asked ("what are healthpartners' turbinate reduction criteria?"): all of them are,
        # as the statement gives them, with its list.
        return _coverage(query, index, k)
    unknown = [w for w in asked if not index.matchable(w) and not any(ch.isdigit() for ch in w)]
    if (query.payers or named_documents(query, index)) and len(unknown) < len(asked):
        # Asked of a payer's policies, a word only other documents use ("BMI", in another payer's criteria)
        # names no criterion of these.
        theirs = _spelled(query, set().union(*(index.document_stems(d.id) for d in docs)))
        unknown = [w for w in asked if not any(ch.isdigit() for ch in w) and not _said(_STEMMER.stemWord(w), theirs)]
    if unknown and len(unknown) == len(asked) and not kind_asked:
        # The criterion is named only in words the documents never use ("what BMI"): they state no such
        # criterion. Beside words they do use ("egfr"), such words (a patient's drugs, a clerk's "thru") are
        # context, and the criterion is looked for by the documents' words. A kind of limit asked outright
        # ("how soon can they get it redone") is looked for by its kind, whatever the other words.
        who = f"{' or '.join(query.payers)} " if query.payers else ""
        return Finding(
            query,
            reason=f"no {who}criterion among the documents speaks of “{' '.join(unknown)}”",
            nearest=index.retrieve(query.search or query.text, k=k),
        )
    # "last", "size": words naming the kind asked for are no criterion's; "how many seizures a month" asks a
    # count, and "month" is the criterion's own ("one disabling seizure per month").
    kind_words = _stems(" ".join(w for w in query.topic if _limit_kind(w) and _limit_kind(w) == kind_asked))
    weights = {s: w for s, w in _weights(query, index).items() if s not in _payer_words(query) | kind_words}
    if not weights:
        return _coverage(query, index, k)
    if not query.payers and not query.codes and not named_documents(query, index):
        # Asked of no payer, the criteria are those of the policies on the subject: the ones whose titles say
        # most of it ("... for chronic hip pain" for a question on hip rfa, not a shoulder policy's like limits).
        titled_weight = {d.id: _said_match(weights, _spelled(query, _stems(d.title)), set()) for d in docs}
        most = max(titled_weight.values(), default=0.0)
        docs = [d for d in docs if titled_weight[d.id] == most] if most > 0 else docs
    ids = tuple(d.id for d in docs)
    hits = index.retrieve(query.search or query.text, k=max(k, 12), filters=Filters(documents=ids))
    relevance = {h.passage.id: h.score for h in hits}
    top = sum(weights.values())
    shape = _LIMIT_SHAPES.get(kind_asked)
    flip_side = bool(_COMPLEMENT.search(query.text))
    bound = _bound(query.text, asked=True)
    counted = _COUNTED.search(query.text) if kind_asked == "count" else None
    best = None
    repeat_asked = bool(_REPEAT.search(query.text))
    for doc in docs:
        passages = index.document_passages(doc.id)
        titled = bool(set(weights) & _stems(doc.title))
        # A repeat's criteria answer a repeat asked in the clerk's words only in a document that says some
        # word of the subject (another procedure's policy has its own repeat interval).
        said_here = titled or bool(set(weights) & index.document_stems(doc.id))
        # Criteria are stated with the decisions (a list led in by "when all of the following ...", a statement
        # of coverage), not in the rationale, background or evidence a document gives for them.
        for p in passages:
            if p.boilerplate or any(_NOT_POLICY.search(h) for h in p.section):
                continue
            first = p.text[p.sentences[0][0] : p.sentences[0][1]] if p.sentences else p.text
            # A list's lead-in may be its heading: "B. General requirements (ALL of the following)".
            heading = p.section[-1] if p.section else ""
            # So are the limits a section headed as such states ("9.2.14.2 Benefits and Limitations": "no single
            # fibroid may be larger than 6 cm"), though no sentence of it says "medically necessary".
            limits = bool(_LIMITS_HEADING.search(heading))
            if not (p.decision or limits or (p.kind == "list" and has_criteria(f"{heading} {p.lead} {first}"))):
                continue
            context = _spelled(query, _stems(f"{p.lead} {first} {p.about} {p.section_path}"))  # the passage's, once
            # Criteria for repeating the procedure answer a question about repeating it, and only that one.
            repeating = 0.0
            if _REPEAT.search(f"{p.lead} {first} {p.section_path}"):
                repeating = 0.5 if repeat_asked else -0.5
            for i, (s, e, *_) in enumerate(p.sentences or ((0, len(p.text)),)):
                unit = p.text[s:e]
                if shape is not None and not shape.search(unit):
                    continue
                score = _said_match(weights, _spelled(query, _stems(unit)), context) / top
                if not score and not titled and (repeating <= 0 or not said_here):
                    # said of none of the subject's words, here, around it or in the title: another's (unless it is
                    # the repeat asked for: "how soon can they get it redone", in the clerk's words)
                    continue
                score += 0.5 * relevance.get(p.id, 0.0) + repeating
                # The sentence naming the asked code states its limit ("for 58580, no fibroid larger than 6 cm"),
                # as an identifier outranks wording in choosing sentences (score_quotes).
                score += 1.0 * len(set(query.codes) & {c.value for c in code_rules.find_codes(unit)})
                sets = _bound(unit)
                if sets and p.decision in NEGATIVE:
                    sets = {"lower": "upper", "upper": "lower"}[sets]  # excluding "more than 4" allows up to 4
                if bound and sets and sets != bound:
                    continue  # asked for a minimum, a maximum is another criterion ("20 mL or less")
                if bound and not sets:
                    score -= 0.5  # a criterion that sets no limit ("recurrent glioma after chemoradiation") is none
                if counted and _counts_any(unit, counted.group(1)):
                    # "# of lesions": "no more than 3 painful metastatic lesions", not "5 metastases". A count of
                    # sessions asks about repeating, though it does not say "repeat".
                    score += 0.5 - min(repeating, 0.0)
                if kind_asked in ("age", "size") and p.decision and p.decision not in NEGATIVE and not flip_side:
                    # A patient's age or tumor size is held against the coverage criteria: the limit is the one
                    # they state; an exclusion or a note may speak of the same measure for another case ("residual
                    # tumor larger than 1.0 cm after cryoablation", "members younger than 50" in an investigational
                    # list). (A time or a count is as often stated as an exclusion: "not within 6 months".)
                    score += 0.25
                if _COMPLEMENT.search(unit):
                    # "investigational when the criteria above are not met" states no criterion, and answers
                    # only the question that asks what holds when they are not met.
                    score += 0.5 if flip_side else -0.5
                if best is None or score > best[0]:
                    best = (score, p, doc, i)
    position = _coverage(query, index, k) if best is None or best[0] < MIN_SHARE else None
    if position is not None and shape is not None and not any(_sets(q.text, shape, bound) for q in position.quotes):
        # A limit of a kind ("what % relief") that no statement of the policy sets: a coverage position that
        # sets none either (or sets only the other bound: a minimum size, asked for the maximum) is no answer.
        kind = {"share": "percentage", "count": "number"}.get(kind_asked, kind_asked)
        kind = f"{_BOUND_WORDS.get(bound, '')}{kind}"
        who = f"{' or '.join(query.payers)} " if query.payers else ""
        return Finding(
            query,
            reason=f"no {who}criterion among the documents sets a {kind} for {_subject(query)}",
            nearest=hits,
        )
    if position is not None:
        return position
    assert best is not None
    _, p, doc, i = best
    return Finding(query, quotes=[quote_of(p, doc, sentence=i)])


# A limit asked for without saying of what kind.
_UNNAMED_LIMIT = re.compile(r"\b(?:cut-?offs?|thresholds?|limits?)\b", re.I)
# Asked whether a patient's case qualifies ("does she meet criteria", "is he a candidate"): every criterion is.
_WHOLE_CASE = re.compile(r"\b(?:meets?|qualif\w*|eligib\w*|candidate)\b", re.I)


def _without_patient(query: Query, measures: bool = False) -> str:
    """The question with the patient's stated age, sex and sizes blanked out (what is left asks); with
    `measures`, the other measures too ("fev1 58% pred ... is she eligible": told, not asked). A measure may say
    which limit is asked ("the block was done 5 months ago. is it still good for the auth"): only a question of
    the whole case blanks them."""
    text = query.text
    for start, end in sorted(query.patient.spans if query.patient else (), reverse=True):
        text = text[:start] + " " * (end - start) + text[end:]
    for measure in query.patient.measures if measures else ():
        text = text.replace(measure.said, " " * len(measure.said))
    return text


# "does bcbs michigan cover it or is it experimental": both decisions are named; the question asks which holds.
_EITHER_DECISION = re.compile(r"\b(?:cover|pay|approve)\w*\b[^?]*\bor\b|\bor\b[^?]*\b(?:cover|pay|approve)\w*\b", re.I)


def _sources_asked(query: Query, index) -> bool:
    """Asked for a source, or, after the answer before quoted one, a follow-up that only names another study
    ("and the z1072 cryo trial?" after the Xia meta-analysis's entry); one that asks of its own ("and what did it
    find?") asks that."""
    if SOURCES_ASKED.search(query.text):
        return True
    if len(words(query.text)) > _ELLIPSIS_WORDS or asks_on_its_own(re.sub(r"^\W*and\b", "", query.text)):
        return False
    named = code_rules.find_studies(query.text, typed=True) or any(_TRIAL_ID.fullmatch(w) for w in words(query.text))
    quoted = (index.passage(pid) for pid in query.earlier)
    return bool(named) and any(p is not None and p.section and REFERENCE_HEADING.match(p.section[-1]) for p in quoted)


# "and the z1072 cryo trial?": a noun phrase, no clause of its own. Chosen, not tuned: longer, a follow-up names
# more than a study.
_ELLIPSIS_WORDS = 6


_LIMITS_HEADING = re.compile(r"\blimit(?:s|ations?)\b|\brequirements?\b|\bcriteria\b|\bpolicy guidelines?\b", re.I)
# Sections that explain or record a policy rather than state it.
_NOT_POLICY = re.compile(
    r"\b(?:background|rationale|evidence|discussion|description|analysis|references?|history|"
    r"definitions?|literature|scientific|overview|summary of|key points|benefit application)\b",
    re.I,
)
# Sections where a decision's words are said of something else ("This policy informs them about when a service
# may be covered"; trials of an investigational use). UHC states its policy under "Coverage Rationale" and
# CMS under "Description Information", so those words are not among them.
_NOT_A_POSITION = re.compile(
    r"\b(?:introduction|background|evidence|discussion|literature|references?|history|bibliography)\b|"
    # a policy's reasons ("Rationale": "the 2025 review ... changed the position to investigational"), not UHC's
    # "Coverage Rationale", which states its policy
    r"(?<!coverage )\brationale\b",
    re.I,
)
# Sections that name other documents ("Related Coverage Resources", "Related Policies"): a subject named there
# has a policy of its own.
_OTHER_DOCUMENTS = re.compile(r"\brelated\b", re.I)
_DOCUMENT_WORDS = set(
    "policy policies guideline guidelines bulletin lcd ncd article document coverage criteria plan "
    "member members patient patients list lists listed billing".split()  # "billing 77373": no subject
)
_POLICY_WORDS = re.compile(
    r"\b(?:polic(?:y|ies)|guideline|lcd|ncd|bulletin|cover\w*|approv\w*|medically necessary)\b", re.I
)
# What kind of limit a question asks for, and how the documents write one.
_LIMIT_SHAPES = {
    # ("(age: 52.0 ± 12.2)": a label)
    "age": re.compile(r"\b\d{1,3}\s*(?:years?|yrs?)\b|\baged?\s*:?\s*\d", re.I),
    "size": re.compile(r"\d+(?:\.\d+)?\s*(?:cm|mm|ml|mL|cc|centimet|millimet)", re.I),
    # "18 years of age", "younger than 18 years" is an age, not a length of time
    "time": re.compile(
        r"(?<!younger than )(?<!older than )(?<!\baged )(?<!\bage )(?<!≥ )(?<!≥)"
        rf"\b(?:\d+|one|two|three|four|six|nine|twelve){_SPAN_WORD}[- ](?:hours?|days?|weeks?|months?|years?)\b"
        r"(?![- ](?:of age|old|or (?:older|younger)|and (?:older|over|up)))",
        re.I,
    ),
    "share": re.compile(r"\d+\s*%|\bpercent\b", re.I),
    "count": re.compile(r"\b(?:\d+|one|two|three|four|five|six)\b", re.I),
}


# Which way a limit points, as a criterion sets it ("2.0 cm or greater", "no more than 2") and as a question
# asks for it ("minimum size", "max number").
# "no more than 3" sets an upper bound, not the lower one its "more than" would; "no less than" the reverse.
_BOUNDS = {
    "lower": r"\b(?:at least|or (?:greater|more|older|larger|higher)|(?<!no )(?<!not )(?:greater|more) than|"
    r"older than|larger than|(?<!not )exceed(?:s|ing)?|(?:no|not) (?:less|fewer) than)\b|≥|>=|>",
    "upper": r"\b(?:at most|up to|(?:no|not) more than|or (?:less|fewer|smaller|younger|lower)|"
    r"(?<!no )(?<!not )(?:less|fewer) than|younger than|smaller than|not exceed)\b|≤|<=|<",
}
_ASKED_BOUNDS = {"lower": r"\bmin(?:imum)?\b|\bsmallest\b|\blowest\b", "upper": r"\bmax(?:imum)?\b|\blargest\b"}


_BOUND_WORDS = {"upper": "maximum ", "lower": "minimum "}


def _sets(text: str, shape: re.Pattern[str], bound: str) -> bool:
    """Whether a clause of a text (a list item, a sentence) sets a limit of the shape, the way asked (``bound``)
    or both ways."""
    clauses = re.split(r"[;\n]|(?<=\.)\s+|\s+-\s+", text)
    return any(shape.search(c) and (not bound or _bound(c) in (bound, "")) for c in clauses)


def _bound(text: str, asked: bool = False) -> str:
    """'lower' or 'upper' when the text sets (or, ``asked``, asks for) a limit one way only, else ''. In a
    criterion "largest" names a measure ("the largest diameter is 2.0 cm or greater"), not a bound."""
    # "no fibroid may be larger than 6 cm" sets a maximum, as "no more than" does: its "larger than" is taken out.
    negated = {"upper" if m.group(1).lower() in _GROWING else "lower" for m in _NEGATED_BOUND.finditer(text)}
    text = _NEGATED_BOUND.sub(" ", text)
    found = negated | {
        name
        for name, shape in _BOUNDS.items()
        if re.search(shape, text, re.I) or (asked and re.search(_ASKED_BOUNDS[name], text, re.I))
    }
    return found.pop() if len(found) == 1 else ""


_GROWING = ("larger", "greater", "more", "bigger", "longer", "older", "higher")
_SHRINKING = ("smaller", "less", "fewer", "younger", "shorter", "lower")
_NEGATED_BOUND = re.compile(
    r"\bno\s+(?:(?!and\b|or\b|with\b)[\w-]+\s+){0,2}(?:(?:may|can|must|shall|should)\s+)?(?:be\s+)?"
    rf"({'|'.join(_GROWING + _SHRINKING)}) than\b",
    re.I,
)


# Words that ask who may have a procedure: a limit, a requirement.
_LIMIT_WORDS = re.compile(
    r"\b(?:need|needs|have to|has to|must|requir\w*|min(?:imum)?|max(?:imum)?|cut-?off|limits?|eligib\w*|"
    r"qualif\w*|at least|allowed|old enough|criteri\w*)\b",
    re.I,
)


def _person_asked(query: Query) -> bool:
    """Is an age asked of who has the procedure ("how old is the usual pt"), not of who may ("how old does the pt
    need to be", "the age cutoff")?"""
    return not _LIMIT_WORDS.search(query.text)


# A person described: by age ("a 62-year-old", "aged 74") or as the typical one ("A typical patient is a woman
# ... who elects ..."), not any date a history row gives.
_A_PERSON_DESCRIBED = re.compile(
    r"\b\d{1,3}[- ]years?[- ]old\b|\baged\s+\d{1,3}\b|\b(?:typical|usual|average)\s+(?:patient|candidate|member)s?\b",
    re.I,
)
_TYPICAL_PERSON = re.compile(
    r"\b(?:typical|usual|average)\s+(?:[\w-]+\s+){0,2}?(?:pt|patient|member|candidate|case)s?\b|"
    r"\bwho(?:'?s| is| are)\b[^?.]{0,12}\b(?:typical|usual|average)\b",
    re.I,
)


def _typical_person_asked(query: Query) -> bool:
    """Is who usually has the procedure asked ("the typical pt"), not a limit ("the typical pt age cutoff")?"""
    return bool(_TYPICAL_PERSON.search(query.text)) and _person_asked(query) and _limit_kind(query.text) != "size"


# An age as told of a person ("a 62-year-old", "aged 74"), besides the limits criteria set.
_PERSON_AGE = re.compile(rf"{_LIMIT_SHAPES['age'].pattern}|\b\d{{1,3}}[- ]years?[- ]old\b", re.I)

_QUANTITIES = {
    "size": "a size",
    "age": "an age",
    "time": "a length of time",
    "temperature": "a temperature",
    "average": "an average (mean or median)",
    "energy": "an energy or power setting",
}

# A quantity asked outright ("how long", "how big", "how many mm", "how cold"), not only named ("the size limit").
_OUTRIGHT = (
    ("size", r"\bhow (?:big|large|small)\b|\bhow close to\b|\bhow many (?:cm|mm)\b"),
    ("age", r"\bhow old\b"),
    ("time", r"\bhow (?:long|soon)\b|\bhow many (?:days|weeks|months|years)\b"),  # (minutes, hours: by unit)
    ("temperature", r"\bhow (?:cold|hot|warm)\b|\bwhat (?:temp|temperature)s?\b|\bhow many degrees\b"),
    # (in lower case: "the Watts 2021 trial" names a study)
    ("energy", r"(?-i:\bwatts?\b|\bwattage\b|\bjoules?\b)|\bhow much (?:energy|power)\b"),
)
# A count asked for ("how many studies"), of a plural noun the documents may use.
_HOW_MANY = re.compile(r"\bhow many ([a-z]{4,}s)\b", re.I)
# An energy or power as a sentence gives one ("30 W", "2,500 J", "15 watts"), its symbol in capitals.
_ENERGY = re.compile(r"\d\s*(?-i:k?J|W|kW)\b|\d\s*(?:watts?|joules?|kilojoules?)\b", re.I)
# A temperature as a sentence gives one ("-40 °C", "60 degrees", "below 0 degrees Fahrenheit").
_TEMPERATURE = re.compile(r"\d\s*[°º]|\d+\s*degrees?\b|\b(?:celsius|fahrenheit|centigrade)\b", re.I)


# A length of time of any scale, as a sentence answering "how long" gives it ("90 minutes", "an overnight stay").
_DURATION = re.compile(
    r"\b[\w-]+[- ](?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?)\b|"
    r"\bovernight\b|\bsame[- ]day\b",
    re.I,
)


def _asked_outright(text: str) -> str:
    return next((kind for kind, cue in _OUTRIGHT if re.search(cue, text, re.I)), "")


def _limit_kind(text: str) -> str:
    text = text.lower()
    # What is asked outright ("how many units ... on one day") decides over a word that only sets the scene;
    # a kind named ("max tumor size") over a value of the patient's ("66 yo w/ 3.8cm mass").
    for tier in _LIMIT_CUES:
        for kind, cue in tier:
            if re.search(cue, text):
                return kind
    return ""


_LIMIT_CUES = (
    (
        ("age", r"\bhow old\b"),
        ("size", r"\bhow (?:big|large|small)\b|\bhow close to\b"),  # a distance to a structure is a size
        (
            "time",
            r"\bhow (?:long|soon|often|recent(?:ly)?)\b|"
            r"\bhow many (?:hours|hrs|minutes|mins|days|weeks|months|years)\b",
        ),
        ("count", r"\bhow many\b"),
    ),
    (
        ("age", r"\bages?\b"),
        ("size", r"\bsizes?\b|volume|diameter"),
        # ("how long must it last", "pain lasting"; not "last spring", "last visit": the one before)
        (
            "time",
            r"duration|\blast(?:s|ed|ing)\b|\blast\b(?=\s*(?:$|[?.,;!]|for\b|at least\b|longer\b))|"
            r"\bpersist\w*|\bwait\w*",
        ),
        ("share", r"%|percent|how much relief|relief"),
        ("count", r"number of|#\s*of\b|\btimes\b"),
    ),
    (
        ("age", r"years? old|\byo\b"),
        # a unit after a number ("3.8cm") or asked in ("in mm"); a bare "MM" may be a plan's initials
        ("size", r"(?:\d\s*|\bin\s+|\bhow many\s+)(?:cm|mm)\b"),
        ("time", r"months?|weeks?|days?"),
    ),
)


# ---- the codes a policy lists -----------------------------------------------------------------------------
def _codes(query: Query, index, k: int) -> Finding:
    """Which codes a policy lists ("which CPT codes are in UHC's tremor policy"), or which code names a
    procedure ("which code is lap liver cryo?"): rows of code tables, and titles of code summaries."""
    docs = named_documents(query, index) or (payer_documents(query, index) if query.payers else [])
    hits = index.retrieve(
        query.search or query.text, k=max(k, 12), filters=Filters(documents=tuple(d.id for d in docs)) if docs else None
    )
    if not docs:
        docs = list({h.document.id: h.document for h in hits[:3]}.values())
    elif len(docs) > 1:
        docs = _by_rank(docs, hits)[:1]
    # "the cpt for the diagnostic block": a diagnostic procedure's code is a procedure code.
    diagnoses = any(cue.search(query.text) for cue in ATTRIBUTE_CUES["icd10"])
    diagnoses = diagnoses or bool(re.search(r"\bdiagnos[ie]s\b", query.text, re.I))
    diagnoses = diagnoses and not re.search(r"\bcpts?\b|\bhcpcs\b", query.text, re.I)
    decision = decision_in(query.text)
    rows = []
    for doc in docs:
        for p in index.document_passages(doc.id):
            key = p.codes[0] if p.codes else ""
            procedure = bool(code_rules.PATTERNS["cpt"].fullmatch(key) or code_rules.PATTERNS["hcpcs"].fullmatch(key))
            is_diagnosis = bool(code_rules.PATTERNS["icd10"].fullmatch(key))
            if p.kind == "front-matter" and doc.code and key == doc.code:
                rows.append((p, doc))  # a summary's own title names its code
            elif (
                p.kind == "row"
                and (is_diagnosis if diagnoses else procedure)
                and TABLES["codes"].search(f"{p.header} {p.section_path}")
            ):
                if decision and p.decision and (p.decision in NEGATIVE) != (decision[0] in NEGATIVE):
                    continue
                rows.append((p, doc))
    if query.ruled_out:
        # "not lap": a code whose description (or, for a summary's title row, its title) says what the question
        # rules out is not the one asked for.
        ruled = [_STEMMER.stemWord(w) for w in query.ruled_out]
        described = {p.id: _affirmed(f"{p.text} {d.title if p.kind == 'front-matter' else ''}") for p, d in rows}
        kept = [(p, d) for p, d in rows if not any(_said(r, described[p.id]) for r in ruled)]
        if rows and not kept:
            return Finding(
                query,
                reason=f"no code listed in the documents is described for {_subject(query)} other than "
                f"“{' '.join(query.ruled_out)}”",
                nearest=[Hit(p, d, 1.0) for p, d in rows[:3]],
            )
        rows = kept
    if not rows:
        return _sentences(query, index, k)
    own = {d.code for d in docs if d.code}
    if own & set(query.codes):  # the question names the summary's code: its title row is not what is asked
        rows = [(p, d) for p, d in rows if p.kind != "front-matter"]
    if not rows:
        return _sentences(query, index, k)
    finding = _row_finding(query, rows, own, index)
    # Within a payer's or a named policy's table, the policy's subject is the scope, and its rows need not
    # repeat it ("61715" in a tremor policy never says "tremor").
    scoped = bool(query.codes or query.payers or named_documents(query, index))
    unsaid = _unsaid_subject_word(query, finding, index) if finding.answered and not scoped else ""
    if unsaid:
        return Finding(
            query,
            reason=f"no code listed in the documents is described for “{unsaid}”",
            nearest=[q.hit for q in finding.quotes],
        )
    return finding


def _unsaid_subject_word(query: Query, finding: Finding, index) -> str:
    """The subject's rarest word the documents use, when the found code's description (its table row, or its
    whole code summary) never says it: "microwave liver ablation" is not the focused ultrasound code because
    the liver ablation codes' summaries never speak of microwaves. The rarest word is the one that tells
    procedures of a kind apart (the method, the organ), where "ablation" or "tumor" tells none."""
    known = [w for w in query.asked if w not in _DOCUMENT_WORDS and index.matchable(w)]
    if not known:
        return ""
    rarest = max(known, key=index.term_weight)
    stem = _STEMMER.stemWord(rarest)
    for quote in finding.quotes:
        # A table row is a code's description ("Ablation, malignant breast tumor(s), percutaneous, laser"), in a
        # policy whose title names what all its rows are ("Cryoablation of Breast Fibroadenomas" over
        # "Ablation, cryosurgical, of fibroadenoma"); a code summary is all about its code.
        p = quote.passage
        passages = [p] if p.kind == "row" else index.document_passages(p.document)
        said = set().union(*(_stems(f"{q.text} {q.lead}") for q in passages)) | _stems(quote.hit.document.title)
        if _said(stem, _spelled(query, said)):
            return ""
    # Unsaid, it may still be a lay word for what the code's document says ("lump" for "tumor"); it names
    # another procedure when the documents head a section with it ("Microwave Ablation").
    headed = any(_said(stem, _stems(" ".join(h.passage.section))) for h in index.retrieve(rarest, k=NAMING_DEPTH))
    return rarest if headed else ""


# Doing a procedure again: a policy's criteria for it are apart from those for the first time.
_REPEAT = re.compile(
    r"\b(?:repeat\w*|redo\w*|re-?do\w*|re-?treat\w*|re-?ablat\w*|subsequent|again|"
    r"(?:second|2nd|another|additional) (?:one|procedure|ablation|treatment|session|round)s?)\b",
    re.I,
)
# The negative counterpart of a statement with criteria, which it refers back to.
_COMPLEMENT = re.compile(
    r"\b(?:does not|doesn't|don't|do not) meet\b|\bnot meet(?:ing)? (?:the|all|any|these|those)\b|"
    r"\bcriteria (?:above )?(?:are not|aren't|aren’t) met\b|"
    r"\bwhen the (?:patient selection )?criteria are not met\b|\botherwise\b|"
    r"\bwhen the criteria\b[^.;]{0,60}\b(?:are|is) not met\b|\bother than (?:those|the ones) (?:listed|above)\b|"
    r"\bany (?:other )?indications? other than\b",
    re.I,
)


# ---- tables of codes ------------------------------------------------------------------------------------
def _code_documents(query: Query, index) -> list[Document]:
    docs = [d for d in index.documents.values() if d.code and d.code in query.codes]
    if not docs:
        docs = [d for c in query.codes for d in index.documents_with_code(c)]
    return list({d.id: d for d in docs}.values())


# A sentence that states a code of the asked kind names one: "modifier 50", "C22.0", "2084P0800X".
_STATED = {
    "modifier": re.compile(r"(?i:\bmodifiers?)\s*(?:#|:)?\s*(?:\d{2}|[A-Z]{2}|[A-Z]\d|\d[A-Z])\b"),
    "icd10": code_rules.PATTERNS["icd10"],
    "taxonomy": code_rules.PATTERNS["taxonomy"],
}


def _stated_in_a_sentence(query: Query, index, k: int) -> Finding | None:
    """The sentences that state a code of the asked kind ("do not append modifier 50"), if any say it."""
    stated = _STATED.get(query.attribute)
    said = _sentences(query, index, k, need=stated) if stated else None
    return said if said is not None and said.answered else None


def _by_rank(docs: list[Document], hits: list[Hit]) -> list[Document]:
    """Documents in the order of their best hit; those without one last."""
    ranked = list(dict.fromkeys(h.document.id for h in hits))
    return sorted(docs, key=lambda d: ranked.index(d.id) if d.id in ranked else len(ranked))


def _table(query: Query, index, k: int) -> Finding:
    if query.attribute == "related-codes":
        beside = _billed_beside(query, index, k)
        if beside is not None:
            return beside
    label = ATTRIBUTE_WORDS[query.attribute]
    shape = TABLES[query.attribute]
    docs = _code_documents(query, index)
    scope = None
    if query.payers:  # a payer's question is answered from its own documents' tables
        scope = Filters(documents=tuple(d.id for d in payer_documents(query, index)))
        docs = [d for d in docs if d.id in scope.documents]
    procedures = code_rules.procedures(query.codes)
    summaries = [d for d in docs if d.code and d.code in query.codes]
    if query.attribute == "related-codes" and summaries:
        # "can 76942 be billed with 47371?": codes billed with a procedure are those its own summary lists; another
        # code's table lists 76942 beside that code (0686T), not beside 47371.
        docs = summaries
    if not procedures:
        # Only a modifier named ("mod 50 if both breasts w laser"): the documents listing it are about their own
        # procedures; one whose subject the question does not share (a liver summary) does not answer.
        docs = [d for d in docs if not foreign_subject(query, d, index)]
    if query.attribute == "modifier" and procedures:
        # A modifier asked of a procedure ("64620 ... do i put modifier 50") is looked up where that procedure
        # is named: another document's table of modifiers is about its own procedure ("... appended to 55880").
        naming = {p.document for c in procedures for p in index.lookup(c)}
        allowed = tuple(d for d in (scope.documents if scope else naming) if d in naming)
        if allowed:  # (an empty filter would let every document through)
            scope = Filters(documents=allowed)
            docs = [d for d in docs if d.id in allowed]
        elif naming:  # the procedure is named, but by no document of the payer asked
            return Finding(
                query,
                reason=f"no document {'of ' + ' or '.join(query.payers) + ' ' if query.payers else ''}"
                f"lists modifiers for {', '.join(procedures)}",
                nearest=index.retrieve(query.search or query.text, k=k, filters=scope),
            )
    if not docs:
        hits = index.retrieve(query.search or query.text, k=k, filters=scope)
        docs = list({h.document.id: h.document for h in hits[:2]}.values())
        # Asked by subject, not code: a document that never names the subject (a liver summary for a breast
        # question) has no table for it.
        docs = [d for d in docs if not foreign_subject(query, d, index)]
    elif len(docs) > 1:
        # Several documents list the code ("modifier 50"): the one about the asked subject is read first.
        hits = index.retrieve(
            query.search or query.text, k=max(k, 12), filters=Filters(documents=tuple(d.id for d in docs))
        )
        docs = _by_rank(docs, hits)
    rows, headers = [], []
    for doc in docs:
        for p in index.document_passages(doc.id):
            # A table is named by its heading, or the one above it ("CPT/HCPCS Modifiers › Group 1").
            if not shape.search(f"{p.header} {' '.join(p.section[-2:])}"):
                continue
            if query.attribute == "related-codes" and any(
                TABLES[a].search(p.header) for a in ("modifier", "icd10", "taxonomy")
            ):
                continue
            keyed = query.attribute not in _KEYED or (
                p.codes and code_rules.kind_of(cells(p)[0]) == _KEYED[query.attribute]
            )
            if p.kind == "row" and keyed:
                rows.append((p, doc))  # a row of a revision log under the codes' heading is none of them
            elif p.kind == "table-header":
                headers.append((p, doc))
    if not rows:
        if headers:
            p, doc = headers[0]
            return Finding(
                query,
                reason=f"the table “{p.text}” in {doc.title} is cut off in the source before its first row",
                nearest=[Hit(p, doc, 1.0)],
            )
        # No table of them: a policy's billing notes may say it in a sentence ("report RT and LT ...").
        said = _stated_in_a_sentence(query, index, k)
        if said is not None and _of_the_asked_codes(said, query):
            return said
        if query.attribute == "related-codes" and query.codes:
            # Whether something is billed on top of a code no table lists codes for: what the code's own
            # documents say of it ("... including imaging guidance when performed").
            said = _sentences(replace(query, attribute="general"), index, k)
            if said.answered and _of_the_asked_codes(said, query):
                return said
        return Finding(
            query,
            reason=f"none of the documents lists {label} for {_subject(query)}",
            nearest=index.retrieve(f"{query.search} {label}", k=k),
        )
    own_codes = {d.code for d in docs if d.code}
    return _row_finding(query, rows, own_codes, index)


def _of_the_asked_codes(finding: Finding, query: Query) -> bool:
    """Whether no quote is from another procedure's summary, whose tables and notes speak of that procedure
    (the 0686T summary's "76942 ... billed separately" says nothing of 47371)."""
    if query.attribute != "related-codes" or not query.codes:
        return True  # (only what is billed with a named procedure is its own summary's to say)
    return not any(_another_procedures_summary(q.hit.document, query.codes) for q in finding.quotes)


def _another_procedures_summary(doc: Document, codes: tuple[str, ...]) -> bool:
    """Is the document the summary of a procedure the question does not name?"""
    return bool(doc.code) and doc.code not in codes


# The kind of code that keys each row of a table of the asked kind.
_KEYED = {"icd10": "icd10", "taxonomy": "taxonomy"}


# How a document says whether a code is billed beside another: "not reported separately", "included in",
# "integral to", "bundled", "may be reported in addition to", "do not add 77002", "report ... with".
_BILLING_RULE = re.compile(
    r"\bseparately\b|\bincluded in\b|\bintegral\b|\bbundled\b|\bin addition to\b|\bnot (?:be )?(?:reported|billed)\b|"
    r"\b(?:do not|don't|never) (?:add|report|bill|code)\b|"
    r"\b(?:reported|billed) (?:with|together)\b",
    re.I,
)


def _billed_beside(query: Query, index, k: int) -> Finding | None:
    """Whether a code is billed beside a procedure ("can i bill 77013 with the bone cryoablation"): what the
    documents say of that code, its own row in any of their tables ("77013 | ... (not reported with 20982)")
    or a sentence naming it ("do not report 77013 ..."). None when the code is some summary's own, or unnamed."""
    summarised = {d.code for d in index.documents.values() if d.code}
    asked = [c for c in query.codes if c not in summarised and code_rules.kind_of(c) != "modifier"]
    # Of two codes, the one billed on top ("bill 76940 ... on top of 58580"), not the procedure it goes with.
    asked = [c for c in asked if c == billed_code(query.text)] or [c for c in asked if c not in base_codes(query.text)]
    # A follow-up that names no code ("and they used ultrasound to guide it, can we bill that too?") asks of
    # something billed beside the procedure the conversation is on.
    asked = [c for c in asked if c.lower() in query.text.lower()] if query.resolved != query.text else asked
    if not asked:
        return _billed_beside_in_words(query, index, k)
    mine = {d.id for d in payer_documents(query, index)} if query.payers else None
    docs = [d for c in asked for d in index.documents_with_code(c) if mine is None or d.id in mine]
    # (another procedure's summary lists the code beside its own procedure: "76942 ... billed separately" in the
    # 0686T summary says nothing of 47371)
    docs = [d for d in docs if not _another_procedures_summary(d, query.codes)]
    rows = [
        (p, d)
        for d in {d.id: d for d in docs}.values()
        for p in index.document_passages(d.id)
        if p.kind == "row" and p.codes and set(asked) & {c for c in cells(p)[:2] if c in p.codes}
    ]
    ruled = [(p, d) for p, d in rows if _BILLING_RULE.search(p.text)]
    if ruled:
        return Finding(query, quotes=[quote_of(p, d) for p, d in ruled[:2]])
    ids = tuple({d.id for d in docs})
    named = "|".join(map(re.escape, asked))
    # A coding note's rule naming the code ("43259 and 76975 are integral to ... and not reported separately").
    rule = re.compile(rf"^(?=.*?(?:{named}))(?=.*?(?:{_BILLING_RULE.pattern}))", re.I | re.S)
    stating = _sentences(query, index, k, documents=ids, need=rule) if ids else None
    if stating is not None and stating.answered:
        return stating
    if rows:
        return Finding(query, quotes=[quote_of(p, d) for p, d in rows[:2]])  # what the code is, at least
    said = _sentences(query, index, k, documents=ids, need=re.compile(named)) if ids else None
    return said if said is not None and said.answered else None


def _billed_beside_in_words(query: Query, index, k: int) -> Finding | None:
    """What is billed on top is named in words ("can the dr bill ct guidance on top of 50593"): the rule a
    document on the procedure's code states of it ("77013 ... may be reported separately")."""
    typed = [c for c in query.codes if c.lower() in query.text.lower()]
    base = base_codes(query.text) & set(query.codes) if typed else set(query.codes)
    ids = tuple({d.id for c in base for d in index.documents_with_code(c)})
    if not ids and query.earlier:
        # "and they used ultrasound to guide it, can we bill that too?" after an answer that found the code: the
        # documents quoted then are where the rule is.
        ids = tuple(dict.fromkeys(pid.rpartition("#")[0] for pid in query.earlier))
    if not ids or not query.asked:
        return None
    said = _sentences(query, index, k, documents=ids, need=_BILLING_RULE)
    # The rule must speak of the service asked about ("ct guidance"), not of another billed beside the procedure.
    own = _stems(" ".join(w for w in query.focus if w.upper() not in query.codes))
    stating = [q for q in said.quotes if own & _stems(q.text)] if said.answered else []
    return Finding(query, quotes=stating) if stating else None


def _row_finding(query: Query, rows: list[tuple[Passage, Document]], own_codes: set[str], index) -> Finding:
    """The row (or rows) of a table the question asks for."""
    noun = TABLE_NOUNS.get(query.attribute, "entries")
    rows = [(p, d) for p, d in rows if not set(p.codes[:1]) & set(query.set_aside)] or rows
    # A code named in the question is a row's key when it is of the keys' kind ("modifier 52"); one of another
    # kind ("52 on the 55880") is what the rows are asked about.
    keys = {code_rules.kind_of(p.codes[0]) for p, _ in rows if p.codes}
    asked_codes = {c for c in set(query.codes) - own_codes if code_rules.kind_of(c) in keys}
    if asked_codes:
        # A code named in the question is the row's key: its row, or the plain fact that it is not listed.
        named = [(p, d) for p, d in rows if asked_codes & set(p.codes[:1])]
        named = [(p, d) for p, d in named if d.id == named[0][1].id]  # rows come in order of the documents' rank
        said = None if named else _stated_in_a_sentence(query, index, 6)
        if said is not None and any(set(query.codes) & set(q.passage.codes) for q in said.quotes):
            return said  # not in the table, but a sentence on the asked code says it ("do not append modifier 50")
        if not named:
            cut = " (the table is cut off in the source)" if any(p.truncated for p, _ in rows) else ""
            named_as = "modifier " if query.attribute == "modifier" else ""
            return Finding(
                query,
                reason=f"{named_as}{', '.join(sorted(asked_codes))} is not among the {noun} listed for "
                f"{', '.join(sorted(own_codes)) or 'the subject'}{cut}",
                nearest=[Hit(p, d, 1.0) for p, d in rows[:3]],
            )
        p, doc = named[0]
        if p.truncated and len([c for c in cells(p) if c]) <= 1:
            return Finding(
                query,
                reason=f"the row for {cells(p)[0]} in {doc.title} is cut off in the source",
                nearest=[Hit(p, doc, 1.0)],
            )
        return Finding(query, quotes=[quote_of(p, d) for p, d in named[:3]])
    # Only words that tell one row from another choose a row ("after" picks 74 over 73; "use", in every row,
    # picks none; "related", in the table's own name, picks none).
    table_words = _stems(" ".join({f"{p.section[-1]} {p.header}" for p, _ in rows}))
    if PLURAL_ASK.search(query.text):
        # Asked for all the codes of a kind, the document's own subject ("... Innervating the Sacroiliac Joint")
        # says whose table, not which rows (a title naming several methods still tells one code apart).
        table_words |= _stems(" ".join({d.title for _, d in rows}))
    # How near each row is in meaning ("the case took twice as long" and "work, time ... substantially exceeds").
    # Words carried from an earlier turn say which table the conversation is on, not which of its rows.
    follow_up = query.resolved != query.text and bool(query.focus)
    # A code's row is described too by the notes of its document that name the code ("report 64640 once for each
    # separate nerve ablated (for example, the medial calcaneal nerve and ...)").
    notes = _notes_naming(rows, index)
    # A word shortened from the front ("cryo") is in the row that says the word it begins ("cryotherapy").
    typed = set(_weights(query, index))
    in_rows = [
        _shortened(typed, _affirmed(p.text) | (_stems(_sentence(*notes[p.id])) if p.id in notes else set()))
        for p, _ in rows
    ]

    # The words that ask for the attribute ("billed ... separate", "which modifier") choose no row; nor does the
    # verb asking for them all ("which codes does anthem list ...": not 60661's "List separately").
    asking = _asking_stems(query) | _stems(" ".join(re.findall(r"\blist(?:s|ed)?\b", query.text, re.I)))

    def asked_of(typed: set[str] | None) -> dict[str, float]:
        return {
            s: w
            for s, w in _weights(query, index).items()
            if s not in table_words
            and s not in _stems(" ".join(TABLES[query.attribute].findall(query.text)))
            and s not in asking
            and (typed is None or s in typed)
        }

    def telling(asked: dict[str, float]) -> dict[str, float]:
        return {s: w for s, w in asked.items() if 0 < sum(s in r for r in in_rows) < len(rows)}

    asked = asked_of(_stems(" ".join(query.focus)) if follow_up else None)
    # A follow-up whose own words tell no row apart ("what cpt would they bill for it anyway" after a question
    # on cryoablation) asks of the earlier subject: the carried words choose the row. Asked for all the rows
    # ("which CPT codes are on it?"), it gets the whole table. A name of its own the documents never use (no
    # common word: "the hcc", not "anyway") may still tell rows apart by meaning.
    own_name = any(
        not index.matchable(w) and w not in english_words() for w in query.focus if w.upper() not in query.codes
    )
    if follow_up and not own_name and not telling(asked) and not PLURAL_ASK.search(query.text):
        follow_up, asked = False, asked_of(None)
    weights = telling(asked)
    # An acronym typed for words a row spells out ("the PA did part of it": "Physician assistant"; "the IR doc":
    # "Interventional Radiology"; "an NP"): the words its letters begin, as telling as the most telling word.
    expansions = {
        tuple(_STEMMER.stemWords(expansion.split()))
        for short in _typed_acronyms(query, index)
        for p, _ in rows
        for expansion in _spelled_by_initials(short, p.text)
    }
    spelled = {stem for expansion in expansions for stem in expansion}
    weights |= telling({stem: max(weights.values(), default=1.0) for stem in spelled if stem not in weights})
    wording = " ".join([*query.codes, *query.focus]) if follow_up else (query.search or query.text)
    docs = tuple({d.id for _, d in rows})
    relevance = {h.passage.id: h.score for h in index.retrieve(wording, k=40, filters=Filters(documents=docs))}
    said = _STEMMER.stemWords([w for w in query.focus if w not in query.codes])
    pairs = {(a, b) for a, b in zip(said, said[1:])} | {pair for e in expansions for pair in zip(e, e[1:])}
    row_scores = {p.id: _row_score(weights, p, pairs, typed) for p, _ in rows}
    # Of a row and its note, the better-matching counts.
    noted = {pid: _match(weights, _stems(_sentence(*note)), set()) for pid, note in notes.items()}
    lexical = {pid: max(score, noted.get(pid, 0.0)) for pid, score in row_scores.items()}
    scored = sorted(((lexical[p.id] + 0.5 * relevance.get(p.id, 0.0), p, d) for p, d in rows), key=lambda x: -x[0])
    cut_off = any(p.truncated for p, _ in rows)
    if (not any(lexical.values()) and (PLURAL_ASK.search(query.text) or not asked)) or _every_entry_asked(query.text):
        if all(p.truncated and len([c for c in cells(p) if c]) <= 1 for p, _ in rows):
            # "22 |" and no more: the source cuts the table off before it describes a single entry.
            p, doc = rows[0]
            return Finding(
                query,
                reason=f"the table “{p.header}” in {doc.title} is cut off in the source after “{cells(p)[0]}”",
                nearest=[Hit(p, doc, 1.0)],
            )
        return Finding(query, quotes=[quote_of(p, d) for p, d in rows[:20]])  # the whole table, in its order
    if not any(lexical.values()) and cut_off:
        # The question names a situation ("the same doctor repeats it") no row of the table speaks of.
        cut = " (the table is cut off in the source)" if any(p.truncated for p, _ in rows) else ""
        # In the question's own words, without its shorthand and numbers ("dr", "rt", "one"), which the answer
        # would seem to state.
        situation = " ".join(w for w in query.focus if w.isalpha() and len(w) >= 4 and w.upper() not in query.codes)
        situation = situation or " ".join(query.topic)  # (a follow-up asking the earlier case of another code)
        return Finding(
            query,
            reason=f"none of the {noun} listed for {_subject(query)} is described for “{situation}”{cut}",
            nearest=[Hit(p, d, 1.0) for p, d in rows[:3]],
        )
    best, p, doc = scored[0]
    if PLURAL_ASK.search(query.text) and any(lexical.values()):
        matched = [(q, d) for _, q, d in scored if lexical[q.id] > 0]
        count = _count_asked(query.text)
        if count:
            # "a resident assisted ..., and the surgeon stopped before anesthesia. which 2 mods": one row for each
            # situation the question tells, the best for each, as many as asked for.
            matched = (
                _row_per_situation(query.text, weights, [(q, d) for _, q, d in scored], pairs, typed, count)
                or (matched[:count])
            )
        matched.sort(key=lambda qd: (qd[1].id, qd[0].ordinal))  # in the table's own order
        return Finding(query, quotes=[quote_of(q, d) for q, d in matched[:20]])
    if p.truncated and len([c for c in cells(p) if c]) <= 1:
        return Finding(
            query,
            reason=f"the row for {cells(p)[0]} in {doc.title} is cut off in the source",
            nearest=[Hit(p, doc, 1.0)],
        )
    quotes = [quote_of(p, doc)] + [quote_of(q, d) for s, q, d in scored[1:3] if s >= best and s > 0]
    if p.id in notes and noted[p.id] > row_scores[p.id]:
        quotes.insert(1, quote_of(notes[p.id][0], doc, sentence=notes[p.id][1]))  # what is asked of the code
    return Finding(query, quotes=quotes)


def _row_per_situation(text: str, weights, rows, pairs, typed, count: int) -> list[tuple[Passage, Document]]:
    """The best row for each clause of the question that tells a situation: of those, the `count` clauses
    whose rows match them best, in the question's order."""
    best: dict[str, tuple[float, int, tuple[Passage, Document]]] = {}
    for i, clause in enumerate(re.split(r"[,;.?!]|\band\b|\bbut\b", text)):
        own = _stems(clause)
        said = {s: w for s, w in weights.items() if s in own}
        if not said:
            continue
        row = max(rows, key=lambda pd: _row_score(said, pd[0], pairs, typed))
        score = _row_score(said, row[0], pairs, typed)
        if score > 0 and score > best.get(row[0].id, (0.0, 0, row))[0]:
            best[row[0].id] = (score, i, row)
    strongest = sorted(best.values(), key=lambda sir: -sir[0])[:count]
    return [row for _, _, row in sorted(strongest, key=lambda sir: sir[1])]


# Asked for every entry ("list every specialty + taxonomy the summary names", "all the dx codes"): the whole table,
# whatever words of the question a row happens to share.
_ALL_ASKED = re.compile(
    r"\b(?:every|all)\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:codes?|modifiers?|mods?|diagnos[ie]s|dx|specialt(?:y|ies)|taxonom(?:y|ies)|ones|rows?|entries)\b",
    re.I,
)
_LISTING = re.compile(r"\b(?:list|give|name|show|send|need)\b", re.I)
_ONE_OF_THEM = re.compile(r"\bwhich (?:one|is|of)\b|\bwhich\b[^?]*\bfor\b", re.I)


def _every_entry_asked(text: str) -> bool:
    """Asked to list every entry ("list every specialty + taxonomy it names"), not which of them fits ("of all the
    dx codes for 0686T, which one is primary liver ca?")."""
    return bool(_ALL_ASKED.search(text) and _LISTING.search(text) and not _ONE_OF_THEM.search(text))


_COUNT_ASKED = re.compile(
    r"\b(?:which|what|the)\s+(\d|two|three|four|both)\s+(?:mods?|modifiers?|codes?|dx|diagnos[ie]s)\b", re.I
)
_COUNTS = {"two": 2, "both": 2, "three": 3, "four": 4}


def _count_asked(text: str) -> int:
    m = _COUNT_ASKED.search(text)
    if not m:
        return 0
    word = m.group(1).lower()
    return int(word) if word.isdigit() else _COUNTS[word]


def _typed_acronyms(query: Query, index) -> set[str]:
    """Short forms the question types that the documents do not use as words: in capitals ("PA", "IR"), or
    in lower case when no document word and no English word ("np")."""
    found = set()
    for token in re.findall(r"\b[A-Za-z]{2,5}\b", query.text):
        lowered = token.lower()
        if token.upper() in query.codes or mentions(token, typed=True):
            continue  # a modifier ("QX") or a payer ("UHC") typed in capitals
        if lowered in english_words() and not token.isupper():
            continue
        if (token.isupper() or not index.matchable(lowered)) and not index.frequency(lowered):
            found.add(lowered)
    return found


def _spelled_by_initials(short: str, text: str) -> list[str]:
    """The names in a text whose initials spell a short form ("np": "nurse practitioner"). A short form stands
    for a whole name: a cell, or an item of a list in one ("Physician assistant, nurse practitioner, or ..."),
    not any run of words that happens to share its letters ("performs anesthesia")."""
    names = re.split(r"\s*(?:\||,|;|/|\(|\)|:|—|–|\bor\b|\band\b)\s*", text)
    spelled = []
    for name in names:
        run = [w for w in words(name) if w not in _JOINING]
        # The name, or the name without the one word that qualifies it ("HCC": "Primary hepatocellular
        # carcinoma"), each word giving its initial, a compound its parts' ("hepato-cellular": "hc"); not any
        # run of words that ends a sentence ("Use when CRNA performs anesthesia" is no "PA").
        for tail in [run, run[1:]] if len(run) == 3 else [run]:
            if tail and short in _initials_of(tail):
                spelled.append(" ".join(tail))
                break
    return spelled


def _initials_of(run: list[str]) -> set[str]:
    """The ways a run of words may be shortened: each word's initial, or a compound's joined by the combining
    vowel of medical words ("hepato|cellular", "gastro|intestinal": "hc", "gi")."""
    found = {""}
    for w in run:
        ways = {w[0]}
        for i in range(3, len(w) - 4):
            if w[i] == "o" and w[i + 1 :] in english_words():
                ways.add(w[0] + w[i + 1])
        found = {f + way for f in found for way in ways}
    return found


# Words a short form skips ("Centers for Medicare & Medicaid Services": CMS).
_JOINING = {"of", "the", "a", "an", "for", "to", "in", "on", "with"}


def _notes_naming(rows: list[tuple[Passage, Document]], index) -> dict[str, tuple[Passage, int]]:
    """For each code row, the first sentence outside its document's tables that names its code, if any: the
    passage and the sentence's index."""
    found: dict[str, tuple[Passage, int]] = {}
    by_document: dict[str, list[Passage]] = {}
    for p, doc in rows:
        if not p.codes:
            continue
        passages = by_document.setdefault(doc.id, [q for q in index.document_passages(doc.id) if q.kind != "row"])
        code = re.compile(rf"(?<![\w.]){re.escape(p.codes[0])}(?!\w|\.\d)")  # "... reported with 64640."
        note = next(
            (
                (q, n)
                for q in passages
                if p.codes[0] in q.codes
                for n, (ts, te, *_) in enumerate(q.sentences)
                if code.search(q.text[ts:te])
            ),
            None,
        )
        if note is not None:
            found[p.id] = note
    return found


def _sentence(passage: Passage, n: int) -> str:
    ts, te, *_ = passage.sentences[n]
    return passage.text[ts:te]


# What a code's row says its subject is not: what it is done without ("Endometrial ablation, thermal, without
# hysteroscopic guidance"; "with or without" says both), what it is other than, and what it comes "from other" ones
# of ("Metastatic liver lesions from other primaries" is no primary liver cancer).
_NOT_ITS_SUBJECT = re.compile(
    r"(?<!\bwith or )\bwithout\s+[\w-]+|\bother\s+than\s+[\w-]+|(?<=\bfrom )(?:an)?other\s+[\w-]+", re.I
)


def _affirmed(text: str) -> set[str]:
    """The stems a code's description says of it: not the word of what it is done without, or other than."""
    return _stems(_NOT_ITS_SUBJECT.sub(" ", text))


def _row_score(
    weights: dict[str, float],
    passage: Passage,
    pairs: Set[tuple[str, str]] = frozenset(),
    typed: Set[str] = frozenset(),
) -> float:
    """Asked words in the row (or words they begin: `typed`), and asked word pairs in the same order ("before
    anesthesia" tells 73 from a 74 that says "after anesthesia but before intended ablation"); a cell that is all
    asked words wins a tie."""
    score = _match(weights, _shortened(typed, _affirmed(passage.text)), set())
    row = _STEMMER.stemWords(words(passage.text))
    # (a pair of words no row is told apart by, "liver ablation" in a liver ablation summary's table, tells none)
    score += sum(
        1.0
        for a, b in pairs
        if (a in weights or b in weights) and any(row[i] == a and row[i + 1] == b for i in range(len(row) - 1))
    )
    exact = any(_stems(c) and _stems(c) <= set(weights) for c in cells(passage)[1:])
    return score + (0.1 * score if exact else 0.0)


# ---- labelled fields ------------------------------------------------------------------------------------
FIELD_NAMES = {
    "original_effective_date": (r"original|first took|first effective|originally", "original effective date"),
    # (a version's date is when that version took effect; "implementation date" a plan's word for it)
    "effective_date": (r"effective|approv|\beffect\b|\beff\b|\bversion date\b|\bimplement", "effective date"),
    # (a policy committee's approval is its review: "when did committee approve it")
    "last_review_date": (r"\blast\b.*\breview|review|revis|updated|\bcommittee\b", "last review date"),
    # A review still to come: "next", "again", "up for review", "due", "will it be reviewed".
    "next_review_date": (r"next|\bagain\b|\bup for\b|\bdue\b(?! to)|upcoming|\bwill\b.*\breview", "next review date"),
    "policy_number": ("number|#|id", "policy number"),
}


# An entry's date: a year, or a month and a two-digit year as revision logs print them ("08/23").
_ENTRY_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:0?[1-9]|1[0-2])/\d{2}\b(?!/)")
_LATEST = re.compile(r"\b(?:last|latest|most recent|recent(?:ly)?|lately|newest)\b", re.I)


def _history_entry(query: Query, doc: Document, index) -> Finding | None:
    """The dated entry of a policy's history that records the change asked about ("when did they add the laser
    code": "Added ... new code: 0971T | 10/15/2025"). A code may be named by what its row in the policy's
    table says ("laser"): a word of one code's row alone names it."""
    passages = index.document_passages(doc.id)
    entries = [p for p in passages if HISTORY_HEADING.search(" ".join(p.section)) and _ENTRY_DATE.search(p.text)]
    if not entries:
        return None
    coded = [p for p in passages if p.kind == "row" and p.codes and p not in entries]
    asked = _stems(" ".join(query.asked))
    # The asked word that tells the fewest rows apart names their codes: "laser" one row, "ablation" two.
    described = (
        min(({p.codes[0] for p in coded if s in _stems(p.text)} for s in asked), key=lambda c: len(c) or len(coded) + 1)
        if asked and coded
        else set()
    )
    # Only a word that names one code names it ("laser"); "rfa" over two RFA codes names neither. A code the
    # turn types comes first, then one its words name ("the laser code" after a question on 0581T).
    typed = tuple(c for c in query.codes if c.lower() in query.text.lower())
    if not typed and _LATEST.search(query.text):
        # "what changed in the last update": the entry of the latest date, whatever its words.
        latest = max(entries, key=_entry_date)
        return Finding(query, quotes=[quote_of(latest, doc)])
    meant = typed or (tuple(described) if len(described) == 1 else query.codes)
    hits = [Hit(p, doc, 1.0) for p in entries]
    quotes = score_quotes(replace(query, attribute="general", codes=meant), hits, index, limit=1, need=_ENTRY_DATE)
    if typed and not (quotes and any(c in quotes[0].text for c in typed)):
        # "when was 0581T first added?": a history that never names the code does not date it. (A code only
        # read from the words of its row is no code the clerk asked of: the entry that says those words answers.)
        return Finding(
            query,
            reason=f"the history of {doc.label} records no change to {', '.join(typed)}",
            nearest=[q.hit for q in quotes] or hits[:3],
        )
    # (the code the conversation is on, named by the entry, is what "when did that one get added?" asks of)
    if not typed and not (quotes and (asked & _stems(quotes[0].text) or any(c in quotes[0].text for c in meant))):
        return None
    return Finding(query, quotes=quotes)


def _entry_date(passage: Passage) -> date:
    """The latest date a history entry gives: a full date ("10/15/2025", "March 2025") or a month and two-digit
    year ("08/23")."""
    found = [m.group(0) for m in FULL_DATE.finditer(passage.text)] or [
        m.group(0) for m in _ENTRY_DATE.finditer(passage.text)
    ]
    return max((parse_date(d) or date.min for d in found), default=date.min)


_LATEST_VERSION = re.compile(r"\b(?:latest|current|newest|updated|revi[sz]\w*)\b", re.I)


def _other_effective(text: str) -> bool:
    """Whether the question asks for an effective date besides the original one ("the revision effective date,
    and when was it originally effective")."""
    return any(
        not re.search(r"\boriginal(?:ly)?\W+(?:\w+\W+)?$", text[: m.start()])
        for m in re.finditer(r"\beffective\b", text)
    )


def named_documents(query: Query, index) -> list[Document]:
    """Documents the question names by their number ("NCD 110.27", "policy 0540", "S-164"), or that an
    earlier question of the message named ("... of article A59871 and when did it go into effect?")."""
    # The resolved question and the numbers carried from the first question of a message say it too.
    said = f"{query.text} {query.resolved} {' '.join(query.documents)}"
    return [
        d
        for d in index.documents.values()
        if d.policy_number and re.search(rf"(?<![\w.-]){re.escape(d.policy_number)}(?![\w-])", said, re.I)
    ]


def _target_document(query: Query, index, k: int) -> Document | None:
    """The document a question about a policy's own details means: named by number, else the best match
    among the named payer's documents (or all payer documents)."""
    numbered = named_documents(query, index)
    if numbered:
        return numbered[0]
    docs = _candidate_documents(query, index) or payer_documents(query, index) or list(index.documents.values())
    ids = {d.id for d in docs}
    hits = index.retrieve(query.search or query.text, k=max(k, 12))
    ranked = list({h.document.id: h.document for h in hits if h.document.id in ids}.values())
    if not ranked and len(docs) == 1:
        ranked = docs
    # The best-ranked document that speaks of every subject word: a thyroid policy tied with the facet LCD asked
    # for ("palmettos facet rfa lcd") is passed over. None does: "cigna genicular nerve rfa policy #", where
    # Cigna's only policy here is on liver tumors.
    return next((d for d in ranked if not foreign_subject(query, d, index)), None)


# Words that make a date asked a date of the document itself ("what's the date on the cigna policy", "when does
# it expire"): the document, or "it" / "this" / "that" standing for it.
_OF_THE_DOCUMENT = re.compile(
    r"\b(?:polic(?:y|ies)|guidelines?|lcds?|ncds?|bulletins?|articles?|documents?|summar(?:y|ies)|manuals?|"
    r"it|its|this|that|they|expire\w*|dated?)\b",
    re.I,
)


def _fields(query: Query, index, k: int) -> Finding:
    doc = _target_document(query, index, k)
    no_match = f"no {' or '.join(query.payers) + ' ' if query.payers else ''}policy among the documents matches "
    if doc is None:
        return Finding(
            query, reason=f"{no_match}{_subject(query)}", nearest=index.retrieve(query.search or query.text, k=k)
        )
    related = None if named_documents(query, index) else _listed_as_related(query, doc, index)
    if related is not None:
        # "cigna has a separate HIFU policy, what's its number?": the policy found names HIFU among its related
        # policies, and its own number is not that policy's.
        return Finding(
            query,
            reason=f"{no_match}{_subject(query)}: “{doc.title}” refers to a policy of its own for it, not among them",
            nearest=[Hit(related, doc, 1.0, {"named"}), *index.retrieve(query.search or query.text, k=k)],
        )
    text = query.text.lower()
    wanted = ["policy_number"] if re.search(r"\bnumber\b|#|\bno\.|\bid\b", text) else []
    wanted += [name for name, (cue, _) in FIELD_NAMES.items() if name != "policy_number" and re.search(cue, text)]
    both = len(re.findall(r"\b(?:effective|effect|eff)\b", text)) >= 2 and bool(_LATEST_VERSION.search(text))
    if both and "original_effective_date" not in wanted:
        # "when did it go into effect? and whens the latest revision eff date": the other one is the first.
        wanted.insert(0, "original_effective_date")
    if "original_effective_date" in wanted and "effective_date" in wanted and not (both or _other_effective(text)):
        wanted.remove("effective_date")  # "the original effective date" asks for one date
    # ("next review" says "review" too; a committee's approval is the last review whatever is next)
    if "next_review_date" in wanted and "last_review_date" in wanted and not re.search(r"\blast\b|\bcommittee\b", text):
        wanted.remove("last_review_date")
    named_none = not wanted
    if not wanted:
        wanted = ["policy_number"] if query.attribute == "policy-number" else ["effective_date", "next_review_date"]
    changed = _history_entry(query, doc, index) if HISTORY.search(query.text) else None
    if changed is not None:
        return changed
    if (
        named_none
        and query.attribute == "date"
        and not _OF_THE_DOCUMENT.search(text)
        and not named_documents(query, index)
    ):
        # "when did the ice3 trial start enrolling": a date of what the documents tell of, not of the policy - the
        # sentence that dates it, or none.
        return _sentences(replace(query, attribute="general"), index, k, need=DATED)
    # (a year alone or with its month; a whole date typed, "my copy says 04/01/2024", is what they hold, not asked)
    year = re.search(r"(?<![/\d-])(?:19|20)\d\d\b(?![-/]\d)", query.text)
    if year and query.attribute == "date" and not any(year.group(0) in (getattr(doc, n) or "") for n in wanted):
        # "reviewed in 2024": not the latest date, the one of that year in a revision table or sentence
        dated = _sentences(
            replace(query, attribute="general"), index, k, documents=(doc.id,), need=re.compile(rf"\b{year.group(0)}\b")
        )
        if dated.answered:
            return dated
    quotes, found, missing = [], [], []
    passages = index.document_passages(doc.id)
    for name in wanted:
        value = getattr(doc, name)
        holding = [p for p in passages if value and value in p.text]
        # The passage that labels the value as this field ("Last Review", "Next Review Date"), else any.
        label = FIELD_NAMES[name][0]
        where = next((p for p in holding if re.search(label, p.text, re.I)), holding[0] if holding else None)
        if value and where is not None:
            quotes.append(quote_of(where, doc))
            found.append(name)
        else:
            missing.append(FIELD_NAMES[name][1])
    if not quotes and query.attribute == "date" and wanted != ["next_review_date"]:
        # Not a labelled field: a revision table or a sentence may still date it ("reviewed in 2024"). A date
        # to come is not in the record of past revisions.
        dated = _sentences(replace(query, attribute="general"), index, k, documents=(doc.id,), need=DATED)
        if dated.answered:
            return dated
    if not quotes:
        return Finding(
            query,
            reason=f"{doc.label} gives no {' or '.join(missing)}",
            nearest=[Hit(p, doc, 1.0) for p in passages if p.kind == "front-matter"][:3],
        )
    return Finding(query, quotes=quotes, fields=found)


# ---- values of a kind (payment, contact, prior authorization) -------------------------------------------------
def _valued(query: Query, index, k: int) -> Finding:
    shape = VALUE_SHAPES[query.attribute]
    docs = _candidate_documents(query, index) if query.payers else []
    filters, search = None, query.search or query.text
    if docs:
        filters = Filters(documents=tuple(d.id for d in docs))
        # Among the payer's own documents its name, as typed, tells no passage apart ("wellcare" on every line of
        # its grid); the words of its full name ("health", "care") may be the subject's.
        named = _stems(_typed_payers(query))
        search = " ".join(w for w in search.split() if _STEMMER.stemWord(w.lower()) not in named) or search
    # What is asked is searched for too: a follow-up's own words ("and in the office w/ 46910?") say none of it.
    hits = index.retrieve(f"{search} {ATTRIBUTE_WORDS[query.attribute]}", k=max(k, 12), filters=filters)
    # (a row is about the codes its column labels name too: "Ablation under anesthesia or 46924")
    about = [h for h in hits if not query.codes or set(query.codes) & (set(h.passage.codes) | _header_codes(h))]
    if about:  # the passages naming the code that the search ranked below its cut (of the payer's documents)
        naming = _naming(query, index, {h.passage.id for h in hits})
        about += [h for h in naming if not docs or h.document in docs]
    # A sentence of the asked kind that says none of the subject ("the status column says whether PA is needed")
    # answers for no service: the ones that speak of the subject do, though they score below it.
    candidates, quotes = list(about or hits), []
    for _ in range(3):
        found = score_quotes(query, candidates, index, limit=3, need=shape)
        if not query.programs and found and all(line_heading(q.passage, q.hit.document) for q in found):
            # Said for each public program's members, and asked of none: the plan's own rule, if it states one,
            # answers first (it scores below theirs when it says more: "For Commercial and Individual members"),
            # stated in the policy's body: its history tells what changed ("Prior authorization removed for ...").
            own = [
                h
                for h in candidates
                if not line_heading(h.passage, h.document) and not HISTORY_HEADING.search(" ".join(h.passage.section))
            ]
            found = [*score_quotes(query, own, index, limit=1, need=shape), *found]
        # A grid's row per line of business: the row of the line asked ("... on a regular commercial ppo plan").
        found.sort(key=lambda q: -_row_program_fit(query, q.passage, q.hit.document))
        quotes = [q for q in found if known_share(query, q, index) >= MIN_SHARE][:2]
        quotes = _own_words_first(quotes, shape)
        off = {q.hit.passage.id for q in found if q not in quotes}
        if quotes or not off:
            break
        candidates = [h for h in candidates if h.passage.id not in off]
    unit = _time_asked(query)  # "how many days is the auth good for": "prior authorization required" says none
    timed = not unit or any(_gives_time(q.text, unit.group("unit")) for q in quotes)
    if quotes and timed and (not query.codes or about):
        return Finding(query, quotes=quotes)
    label = ATTRIBUTE_WORDS[query.attribute]
    # What was looked for, in the words it was asked by when they name a kind of its own ("global period",
    # "RVUs", "copay"): "a payment amount" alone would answer a question not asked.
    said = [
        m.group(0).strip()
        for cue in ATTRIBUTE_CUES.get(query.attribute, [])
        for m in cue.finditer(query.text)
        if " " not in m.group(0).strip() or len(m.group(0)) <= 20
    ]
    typed = next((n for n in said if n.lower() not in label.lower() and not n.lower().startswith(("how", "what"))), "")
    label = f"{label} (“{typed}”)" if typed and query.attribute == "payment" else label
    return Finding(query, reason=f"none of the documents gives {label} for {_subject(query)}", nearest=about or hits)


def _header_codes(hit: Hit) -> set[str]:
    return {hit.document.code or "", *(c.value for c in code_rules.find_codes(hit.passage.header))} - {""}


def _own_words_first(quotes: list[Quote], shape: re.Pattern[str]) -> list[Quote]:
    """Of two sentences of one passage, the one that says the kind asked in its own words answers before its
    neighbour that only the heading makes of the kind ("Services are not covered." under "Prior Authorization",
    before "Prior authorization is not required.")."""
    if not quotes or shape.search(quotes[0].text):
        return quotes
    same = [q for q in quotes[1:] if q.passage.id == quotes[0].passage.id and shape.search(q.text)]
    return [same[0], *(q for q in quotes if q is not same[0])] if same else quotes


# ---- sentences ------------------------------------------------------------------------------------------
DEFINITION = re.compile(
    r"\b(?:describes|denotes|represents|refers to|is defined as|is used to report|"
    r"is reported (?:with|for|when))\b|\bDescription\b",
    re.I,
)
MAX_NAMING = 40  # passages that name an asked code, read besides the search's own hits


def _printing(query: Query, index, seen: set[str], filters: Filters | None) -> list[Hit]:
    """Passages that print a figure the question types ("2.61%"), which a search on words may not find."""
    saying = getattr(index, "saying", None)
    if saying is None:
        return []
    found = (saying(figure, filters.documents if filters else ()) for figure in _FIGURE.findall(query.text))
    return _unseen(found, index, seen, "figure")


def _naming(query: Query, index, seen: set[str]) -> list[Hit]:
    """Passages that name an asked code, which a search on the question's words may rank below its cut."""
    return _unseen((index.lookup(code) for code in query.codes), index, seen, "code")


def _unseen(lists: Iterable[list[Passage]], index, seen: set[str], via: str) -> list[Hit]:
    """The first MAX_NAMING passages of each list not seen yet (and marked seen), as hits found `via` it."""
    found = []
    for passages in lists:
        for passage in passages[:MAX_NAMING]:
            if passage.id not in seen and passage.document in index.documents:
                seen.add(passage.id)
                found.append(Hit(passage, index.documents[passage.document], 0.0, {via}))
    return found


# Half a full match of the subject's words. Tuned on the staff dev split: 0/0.25/0.5/1 passed 168/170/171/171.
EARLIER_WEIGHT = 0.5
MIN_SHARE = 0.25  # of the known subject words (by weight); tuned on the staff dev split (0.01/0.25/0.5: 54/54/46 right)


_PATIENT_LIMITS = re.compile(
    r"(?:≥|>=|≤|<=|at least|or older|or younger|or less|or more|no more than|up to)\s*\d|"
    r"\d+(?:\.\d+)?\s*(?:cm|mm|years?)\b[^.;]{0,30}\b(?:or (?:less|older|younger|"
    r"smaller|more)|of age)",
    re.I,
)
DATED = re.compile(r"\b(?:19|20)\d\d\b")


def _sentences(
    query: Query, index, k: int, documents: tuple[str, ...] = (), need: re.Pattern[str] | None = None
) -> Finding:
    if query.attribute == "rationale":
        # "why?" after a decision: a policy gives its reasons in words, not codes; the case named may be the
        # subject ("dr did a perc microwave ablation ... will cigna pay that?" then "why?").
        query = _titled(query, index)
    filters, own = (Filters(documents=documents) if documents else None), []
    if not documents and (query.codes or query.payers):
        docs = _sentence_documents(query, index)
        if docs:
            filters = Filters(documents=tuple(d.id for d in docs))
        own = [d for d in docs if d.code in query.codes]
    hits = index.retrieve(query.search or query.text, k=max(k, 12), filters=filters)
    if not (documents or query.codes or query.payers or query.documents):
        hits = _of_the_titled_subject(query, index, hits)
    if not hits:
        return Finding(query, reason=f"no passage speaks of {_subject(query)}")
    seen = {h.passage.id for h in hits}
    candidates = hits + _naming(query, index, seen) + _earlier(query, index, seen, filters)
    candidates += _printing(query, index, seen, filters)
    if query.payers and filters is not None and filters.documents:
        # (a payer's answer is read in its documents only: a summary naming the code is not the payer's word)
        candidates = [h for h in candidates if h.passage.document in filters.documents]
    for doc in own:  # a summary about the asked code is short: all of it is a candidate
        candidates += [Hit(p, doc, 0.0, {"code"}) for p in index.document_passages(doc.id) if p.id not in seen]
    if _sources_asked(query, index):
        # Where a study named by its author was published: its bibliography entry, which the search ranks low.
        for doc in {h.document.id: h.document for h in hits}.values():
            candidates += [
                Hit(p, doc, 0.0, {"reference"})
                for p in index.document_passages(doc.id)
                if p.id not in seen and _first_author_asked(query, p)
            ]
    coded = need is not None  # the caller asks for a value of one kind: a code a sentence names
    need = need or VALUE_SHAPES.get(query.attribute)
    quotes = score_quotes(query, candidates, index, need=need)
    if not coded and _typical_person_asked(query):
        # "who's the typical pt for it", "does that sound like the typical 47371 pt": the person who usually has
        # it, whom a document describes by age first ("A typical patient is a 62-year-old woman ..."), whatever
        # patient the question tells of.
        described = score_quotes(query, candidates, index, need=_A_PERSON_DESCRIBED)
        if not described:
            reason = f"no passage found describes the typical patient for {_subject(query)}"
            return Finding(query, reason=reason, nearest=hits)
        # ... then the sentences the question's own words find, its neighbours too ("a small recurrent tumor in a
        # previously treated breast - does that fit the typical pt?": the next sentence names recurrent tumors).
        quotes = [described[0], *[q for q in quotes if q.text != described[0].text]]
    elif not coded and query.patient and (query.patient.age is not None or query.patient.sizes_cm):
        # Given a patient's age or size, the answer is the statement that sets limits of that kind (unless a
        # code is asked for), among those of the kind asked ("the age cutoff the FDA gave": the FDA's).
        shaped = [h for h in candidates if need is None or need.search(f"{h.passage.text} {h.passage.section_path}")]
        limits = score_quotes(query, shaped, index, need=_PATIENT_LIMITS)
        # Unless the best sentence says more of what is asked in its own words than any setting a limit does,
        # and no limit is asked ("... has inflammatory features. is the device even meant for that?": the
        # sentence on inflammatory features, not the indication by age and size).
        said = [known_share(query, q, index, own_words=True) for q in (quotes[:1] + limits[:1])]
        if limits and not (quotes and said[0] > said[1] and not _limit_kind(_without_patient(query))):
            quotes = limits
    elif need is None and _limit_kind(query.text) in ("size", "age", "share"):
        # "typical tumor size for 0581T patients": the sentence that gives a size ("unifocal, ≤2 cm"), when one
        # speaks of it, over one that only says "typically". Asked of no limit, a person's age is one too ("A
        # typical patient is a 62-year-old ...").
        kind = _limit_kind(query.text)
        told = _PERSON_AGE if kind == "age" and _person_asked(query) else _LIMIT_SHAPES[kind]
        quotes = score_quotes(query, candidates, index, need=told) or quotes
    keyed: list[Quote] = []
    outright = _asked_outright(query.text) if need is None and not query.patient else ""
    shapes: dict[str, re.Pattern[str]] = {"time": _DURATION, "temperature": _TEMPERATURE, "energy": _ENERGY}
    if _person_asked(query):
        shapes["age"] = _PERSON_AGE
    average = AVERAGE_ASKED.search(_without_patient(query)) if need is None else None
    if average:
        # "the avg age of the 20 women in it": a group's average of what is asked, whoever the patient is; a
        # sentence giving another figure (whom the study enrolled, "age ≥ 18 years"; a median follow-up) does not.
        outright = "average"
        noun = average.group(1).split()[-1].split("-")[0][:6]  # "age", "follow", "size", "durati"
        shapes["average"] = re.compile(rf"\b(?:mean|average|median)\W+(?:\w+\W+){{0,2}}{noun}", re.I)
        averages = score_quotes(query, candidates, index, need=shapes["average"])
        # first, with what else the question asks beside it ("how many pts and mean follow up?")
        quotes = averages and _first(averages, quotes)
    counted = _HOW_MANY.search(query.text) if not coded and not average else None
    if counted and index.frequency(counted.group(1)):
        # "how many studies were in the xia 2021 meta analysis": the sentence giving a number of studies comes
        # first, when one is found ("There were 17 studies with 399 individuals ..."), beside the others.
        noun = re.escape(counted.group(1)[:-1] if counted.group(1).endswith("s") else counted.group(1))
        giving = score_quotes(query, candidates, index, need=re.compile(rf"\b\d[\d,]*\s+(?:\w+\s+){{0,2}}{noun}", re.I))
        quotes = _first(giving[:1], quotes)
    shape = shapes.get(outright) or _LIMIT_SHAPES.get(outright)
    if shape is not None and not any(shape.search(q.text) for q in quotes):
        # "how long after the freeze is the follow-up MRI", "how many mm of margin": a value of that kind is what
        # is asked, and no sentence found gives one.
        return Finding(
            query, reason=f"no passage found states {_QUANTITIES[outright]} for {_subject(query)}", nearest=hits
        )
    if query.attribute == "description" and query.codes and _limit_kind(query.text) not in ("size", "age", "share"):
        # What a code is, is said by the sentence that defines it ("CPT code 0581T describes ...") or its row.
        defining = [
            q
            for q in score_quotes(query, candidates, index, need=DEFINITION, limit=6)
            if q.passage.kind != "row" or set(query.codes) & set(q.passage.codes[:1])
        ]
        # A code table row defines only the code it is the row of. Asked for one detail of the code ("its
        # service type"), the defining sentence answers only when it speaks of that detail.
        # (and only when no sentence found says more of it: "whats the freeze-thaw supposed to accomplish" is
        # answered by the sentence on freeze-thaw cycles, not by the definition's "(freezing)")
        detail = max((known_share(query, q, index, own_words=True) for q in quotes[:3]), default=0.0)
        defining = [
            q
            for q in defining
            if (share := known_share(query, q, index, own_words=True)) >= MIN_SHARE and share >= detail
        ]
        keyed = _keyed_rows(query, candidates, index)
        quotes = keyed or defining[:3] or quotes
    label = ATTRIBUTE_WORDS.get(query.attribute, "an answer")
    if not quotes:
        return Finding(query, reason=f"none of the documents gives {label} for {_subject(query)}", nearest=hits)
    top_doc = quotes[0].hit.document
    confirmed = (
        need is not None
        and query.codes
        and (top_doc.code in query.codes or set(query.codes) & set(quotes[0].passage.codes))
    )  # the asked kind of fact, said of the asked code
    # The passage stating the figure the question names is about what it asks, in whatever words it is asked.
    confirmed = confirmed or _states_identifier(query, quotes[0].passage, _numbers_of_named(query, index))
    confirmed = confirmed or bool(set(_FIGURE.findall(query.text)) & set(_FIGURE.findall(quotes[0].text)))
    # A follow-up on the same subject ("and the survival numbers?") is answered beside what was just quoted when
    # the sentence there says a word the follow-up types: the subject is the one the conversation set.
    continued = quotes[0].passage.id in query.earlier and bool(_stems(" ".join(query.focus)) & _stems(quotes[0].text))
    confirmed = confirmed or continued or bool(keyed)  # the row of the asked code is all that is said of it
    if not confirmed and known_share(query, quotes[0], index) < MIN_SHARE:
        # Lower down, a passage may speak of the subject where the best-scoring one does not ("when did it get
        # approved?" after ProSense's FDA status: the sentence naming ProSense, below an FDA note on coverage).
        # A policy gives its reasons for a decision in words: they are looked for beyond the asked code's own.
        narrowed = query.codes and query.attribute != "rationale"
        # the code's own summary, or, where no summary is about it, the passages that name it, and the policies
        # that list it (a study a policy weighs is not said of the code, but of what the policy decides for it)
        listing = {
            d
            for d in {c.document.id for c in candidates}
            if narrowed and any(set(query.codes) & set(p.codes) for p in index.document_passages(d))
        }
        own_code = (
            [
                c
                for c in candidates
                if c.document.code in query.codes
                or set(query.codes) & set(c.passage.codes)
                or (c.document.id in listing and c.document.kind != "code-summary")
            ]
            if narrowed
            else candidates
        )
        quotes = _spoken_of(query, own_code, index, need)
    if not quotes:
        return Finding(query, reason=f"the closest passages do not speak of {_subject(query)}", nearest=hits)
    quotes = _item_before_its_lead(query, quotes, index, need)
    top = quotes[0].passage
    if top.kind == "table-header" or (top.truncated and len([c for c in cells(top) if c]) <= 1):
        return Finding(
            query, reason=f"the table “{top.header}” is cut off in the source before it gets there", nearest=hits
        )
    unit = _time_asked(query)
    if unit and not any(_gives_time(q.text, unit.group("unit")) for q in quotes):
        # "how many minutes is each freeze cycle": a sentence on freeze cycles that gives no minutes answers nothing.
        return Finding(
            query,
            reason=f"none of the documents gives the number of {unit.group(0)} for {_subject(query)}",
            nearest=hits,
        )
    return Finding(query, quotes=quotes)


def _first(found: list[Quote], quotes: list[Quote]) -> list[Quote]:
    """The quotes found for what is asked, then the others, each passage once."""
    ids = {q.passage.id for q in found}
    return [*found, *[q for q in quotes if q.passage.id not in ids]]


def _keyed_rows(query: Query, candidates: list[Hit], index) -> list[Quote]:
    """The rows a procedure's code summary keys by a named code of another kind (a taxonomy, modifier or
    diagnosis code): all the document says of that code, whatever its columns are called ("Taxonomy Code |
    Specialty | Notes"). "What is 2084P0800X for on 0686T" asks of the row, not of 0686T."""
    keyed = [
        c
        for c in candidates
        if c.passage.kind == "row"
        and c.document.code
        and c.passage.codes[:1]
        and c.passage.codes[0] in query.codes
        and c.passage.codes[0] != c.document.code
        and code_rules.kind_of(c.passage.codes[0]) in ("taxonomy", "modifier", "icd10")
    ]
    return score_quotes(query, keyed, index, limit=3) if keyed else []


def _code_descriptions(codes: tuple[str, ...], docs: list[Document], index) -> list[str]:
    """The words the documents' code rows describe the codes with ("Destruction by neurolytic agent; celiac
    plexus"), the code cells left out."""
    found: list[str] = []
    for doc in docs:
        for p in index.document_passages(doc.id):
            if p.kind == "row" and set(codes) & set(p.codes[:1]):
                found += [w for w in words(" ".join(cells(p)[1:2])) if len(w) > 3 and not w.isdigit()]
    return list(dict.fromkeys(found))


def _program_fit(query: Query, p: Passage, doc: Document) -> int:
    """1 when a statement is of the line of business asked about, -1 when of others only, 0 when it names none.
    Its section or lead-in says whose it is ("SelectHealth Medicare (HMO)" over a statement that refers to the
    commercial criteria); its own words may name a line only to refer to it ("This policy does not apply to
    Medicare Advantage"). Asked of no line, a statement for a public program's members only (under "Align
    powered by Sanford Health Plan (Medicare Advantage)") comes after the policy's own: a plan's policy states
    its position for the members a question names no program of, and says under a heading where Medicare's
    or Medicaid's rules differ."""
    if not query.programs:
        return -1 if line_heading(p, doc) else 0
    # (or its opening clause, a run-in heading: "UCare Medicare plans, MSHO and ...", "For UCare Individual &
    # Family Plans, ...")
    opening = re.match(r"[^,.;:]{0,80}[,.;:]", p.text)
    scope = f"{p.section_path} {p.lead} {opening.group(0) if opening else ''}"
    # "All Lines of Business Except Medicare": every line but the ones it sets apart.
    excepted = " ".join(m.group(0) for m in _EXCEPT.finditer(scope))
    if set(programs_named(excepted)) & set(query.programs):
        return -1
    named = set(programs_named(_EXCEPT.sub(" ", scope)))
    if named & set(query.programs) or _EVERY_LINE.search(scope):
        return 1
    return -1 if named else 0


def _row_program_fit(query: Query, p: Passage, doc: Document) -> int:
    """As _program_fit, for a table row whose first cell names its line of business ("Quartz commercial (HMO,
    PPO)", "Quartz BadgerCare Plus")."""
    if p.kind != "row":
        return _program_fit(query, p, doc)
    if not query.programs:
        return -1 if _for_a_program(cells(p)[0], doc) else _program_fit(query, p, doc)
    named = set(programs_named(cells(p)[0]))
    return 1 if named & set(query.programs) else -1 if named else _program_fit(query, p, doc)


def line_heading(p: Passage, doc: Document) -> str:
    """The heading that puts a statement under one public program's members ("North Dakota Medicaid
    Expansion", "Medicare HMO Blue and Medicare PPO Blue Members"), or "" when none does. "All lines of
    business except Medicare" puts it under none."""
    return next((h for h in reversed(p.section) if h != doc.title and _for_a_program(h, doc)), "")


def _for_a_program(label: str, doc: Document) -> bool:
    """Does a heading, or a grid row's first cell, name a public program's members apart from the rest? One that
    names the commercial line too is every member's ("Covered diagnoses (Commercial and Medicare)"); a program's
    own manual ("North Carolina Medicaid") names its program on every page."""
    if COMMERCIAL.search(label):
        return False
    own = {program_of(doc.payer), program_of(doc.publisher)}
    return bool(set(public_programs_named(_EXCEPT.sub(" ", label), {doc.payer, doc.publisher})) - own)


_EXCEPT = re.compile(r"\b(?:except|excluding|other than|but not)\s+(?:for\s+)?(?:the\s+)?[\w&-]+(?:\s+[\w&-]+)?", re.I)
_EVERY_LINE = re.compile(r"\ball (?:lines of business|products|product lines|plans|members)\b", re.I)


def _beyond_the_summary(query: Query, index, k: int) -> Finding | None:
    """A code's summary does not say all that is said of its procedure: "is 0581T FDA approved?" is answered by a
    policy that lists 0581T and says what the FDA authorized for breast cryoablation. The other documents that
    list the code are read, for what the code's title names apart from the codes listed beside it."""
    own = {d.id for d in index.documents.values() if d.code and d.code in query.codes}
    listing = sorted({d.id for c in query.codes for d in index.documents_with_code(c)} - own)
    if not own or not listing:
        return None
    beside = {c for d in listing for p in index.document_passages(d) for c in p.codes} - set(query.codes)
    wider = _sentences(_titled(query, index, apart_from=beside), index, k, documents=tuple(listing))
    return wider if wider.answered else None


def _titled(query: Query, index, apart_from: Set[str] = frozenset()) -> Query:
    """The question about a code, with the words of the code's title as its subject: other documents speak of
    the procedure in words, not by its code. Beside other codes, only the words that tell it from theirs, when
    there are any ("cryoablation" of 0581T, not the "malignant breast tumor" it shares with 0971T)."""
    mine, theirs = [], set()
    for d in index.documents.values():
        if d.code in query.codes:
            mine += _title_words(d.title)
        elif d.code in apart_from:
            theirs |= _stems(d.title)
    named = [w for w in dict.fromkeys(mine) if w not in query.topic]
    named = [w for w in named if _STEMMER.stemWord(w) not in theirs] or named
    topic = (*query.topic, *named)
    return replace(query, topic=topic, context=(), search=" ".join([query.search, *named]).strip())


def _title_words(title: str) -> list[str]:
    return [w for w in words(title) if len(w) > 3 and not any(ch.isdigit() for ch in w)]


def _beside_earlier(query: Query, hits: list[Hit], index) -> set[str]:
    """The hits in the sections the answer before quoted from: a follow-up on the same subject ("and the
    survival numbers?", "and anesthesia for each?") is most often answered beside what was just quoted.
    Tuned on the staff dev split: the section did better than the quoted passage alone (171 vs 168 right),
    which held the answer to the last question, not the next one."""
    if not query.earlier:
        return set()
    sections = {(p.document, p.section) for i in query.earlier if (p := index.passage(i)) is not None}
    return {h.passage.id for h in hits if (h.passage.document, h.passage.section) in sections}


def _earlier(query: Query, index, seen: set[str], filters: Filters | None) -> list[Hit]:
    """The passages of the sections the answer before quoted from, for a follow-up on its subject, where the
    question may look: "my pt has breast implants, can they still use it?" after the FDA record's row is
    answered by a limitation listed in that section, which the search for the follow-up's words need not find."""
    found = []
    # A turn with no subject words of its own ("who makes it?") is answered by what was quoted, not its section.
    own_words = bool(set(query.topic) & set(query.focus))
    for passage_id in query.earlier:
        quoted = index.passage(passage_id)
        if quoted is None or (filters is not None and filters.documents and quoted.document not in filters.documents):
            continue
        doc = index.documents[quoted.document]
        for p in index.document_passages(quoted.document) if own_words else [quoted]:
            if p.section == quoted.section and p.id not in seen:
                seen.add(p.id)
                found.append(Hit(p, doc, 0.0, {"earlier"}))
    return found


def _adverb(word: str) -> bool:
    """An adverb made from a common adjective ("exactly", "basically"): "early" is too short to be one, and
    "laparoscopically" is made from no common word (the embedding model's vocabulary is the measure)."""
    return len(word) > 5 and word.endswith("ly") and word[:-2] in english_words()


def _item_before_its_lead(query: Query, quotes: list[Quote], index, need: re.Pattern[str] | None) -> list[Quote]:
    """A list's lead-in found first ("The FDA (2025) also noted the following limitations ...:") answers
    nothing by itself: its item that best says what is asked comes first ("... where there is a specimen for
    pathology ..., cryoablation relies on imaging ...")."""
    head = quotes[0].hit
    lead = quotes[0].text.strip()
    if not lead.endswith(":"):
        return quotes
    # its items: the other sentences of its list, or the passages a long list went on in
    items = [head] + [
        Hit(p, head.document, head.score)
        for p in index.document_passages(head.passage.document)
        if p.lead and p.lead.strip() == lead
    ]
    best = [q for q in score_quotes(query, items, index, limit=10, need=need) if not q.text.strip().endswith(":")]
    if not best or known_share(query, best[0], index) < MIN_SHARE:
        return quotes  # (no item speaks of what is asked: the lead-in stands, its list quoted below it)
    first = best[0]
    return [first, *[q for q in quotes if (q.hit.passage.id, q.text) != (first.hit.passage.id, first.text)]]


def _spoken_of(query: Query, candidates: list[Hit], index, need: re.Pattern[str] | None) -> list[Quote]:
    """The quotes of the asked code's own documents that speak of the question's subject. Naming the code
    ranks every sentence that names it first; "is there a jaundice code on the 0686T list" is answered by
    the row that speaks of jaundice, which need not name 0686T."""
    spoken = [h for h in candidates if known_share(query, quote_of(h.passage, h.document), index) >= MIN_SHARE]
    return score_quotes(query, spoken, index, need=need) if spoken else []


def _sentence_documents(query: Query, index) -> list[Document]:
    """Where a question naming a payer or a code is read: a named payer's documents (those carrying the asked
    code, if any do), so one payer's answer never comes from another's policy; else the code's documents. What
    a code describes, asked beside a payer none of whose documents names the code, is the code's documents' (it
    is the same whoever pays)."""
    if query.payers:
        mine = payer_documents(query, index)
        ids = {d.id for d in mine}
        coded = [d for c in query.codes for d in index.documents_with_code(c) if d.id in ids]
        if coded or query.attribute not in SAME_WHOEVER_PAYS or not query.codes:
            return list({d.id: d for d in coded}.values()) or mine
    return _code_documents(query, index)


def _items_described(statement: Passage, doc: Document, index) -> set[str]:
    """The words with which the document describes the items its statement lists: "Radiofrequency ablation"
    is described under its own heading ("Radiofrequency Ablation (RFA)": "radiofrequency waves ... generating
    thermal energy"), so a question on "radio waves" speaks of that item. Only the section the item heads,
    not its subsections (a literature review names other things too)."""
    if statement.kind != "list":
        return set()
    items = [_stems(i) for i in re.split(r"\s+-\s+|\n", statement.text.split(":", 1)[-1]) if i.strip()]
    described: set[str] = set()
    for p in index.document_passages(doc.id):
        # The heading is the item's name, an acronym in brackets aside ("Radiofrequency Ablation (RFA)").
        heading = _stems(re.sub(r"\([^)]*\)", " ", p.section[-1])) if p.section else set()
        if p.id != statement.id and heading and heading in items:
            described |= _stems(p.text)
    return described


def _said_of(statement: Passage, doc: Document, index, lists: list[Passage]) -> set[str]:
    """The words a statement is said of beyond its own: how the policy describes the items it lists ("freeze"
    of "Cryoablation", in that item's section) and the criteria `lists` under it ("symptomatic paroxysmal AF")."""
    return _items_described(statement, doc, index) | set().union(*(_stems(p.text) for p in lists))


def _criteria_lists_after(passages: list[Passage], n: int) -> list[Passage]:
    """The criteria lists that follow a statement under its own section ("... medically necessary when the
    criteria below are met" over "A. Clinical indications (ANY ONE of the following)"), up to the next
    statement."""
    statement, found = passages[n], []
    for p in passages[n + 1 :]:
        # A list going on from the statement ("and the medical record documents all of the following:") is its.
        goes_on = p.kind == "list" and GOES_ON.match(p.text)
        if (p.decision and not goes_on) or p.section[: len(statement.section)] != statement.section:
            break
        heading = p.section[-1] if p.section else ""
        if p.kind == "list" and has_criteria(f"{heading} {p.lead} {p.text[:200]}"):
            found.append(p)
    return found


def known_share(query: Query, quote: Quote, index, own_words: bool = False, described: Set[str] = frozenset()) -> float:
    """Share (by weight) of the question's subject words the documents use that this quote's passage and its
    context use too (with ``own_words``, the quoted text itself). Words the documents never use (a lay word,
    a typo left) cannot be checked and are left out: the dense search reads them by meaning. So is an adverb
    made from a common word ("what's 19499 exactly"): it says how the question is asked, not what about."""
    known = {_STEMMER.stemWord(w): index.term_weight(w) for w in query.asked if index.frequency(w) and not _adverb(w)}
    if not known:
        return 1.0
    p, doc = quote.passage, quote.hit.document
    seen = _stems(quote.text if own_words else f"{p.text} {p.lead} {p.section_path} {p.header} {doc.title}")
    seen = _spelled(query, seen | described)
    return sum(w for s, w in known.items() if _said(s, seen)) / sum(known.values())


def _spelled(query: Query, seen: set[str]) -> set[str]:
    """The stems a passage says, with an acronym of the question counted as said where its long form is
    ("rfa" by "Radiofrequency ablation")."""
    extra = {short for short, needed in _long_forms(query.acronyms) if needed <= seen}
    return seen | extra if extra else seen


@functools.cache
def _long_forms(acronyms: tuple[tuple[str, str], ...]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each acronym's stem and the stems its long form must show, worked out once per question, not once per
    passage it is checked against."""
    found = []
    for short, long in acronyms:
        needed = frozenset(_stems(" ".join(w for w in words(long) if len(w) > 3)))
        if needed:
            found.append((_STEMMER.stemWord(short), needed))
    return tuple(found)


def _payer_words(query: Query) -> set[str]:
    """Stems of the payers' names, canonical and as typed ("blue kc"): among one payer's documents they tell
    no passage apart."""
    return _stems(f"{' '.join(query.payers)} {_typed_payers(query)}")


def _typed_payers(query: Query) -> str:
    """The payers' names as the question types them ("blue kc", "wellcare")."""
    return " ".join(query.text[start:end] for _, start, end in mentions(query.text, typed=True))


def _said_match(weights: dict[str, float], own: set[str], context: set[str]) -> float:
    """_match with a shortened word ("meds") said by the longer one ("medications")."""
    return sum(w * (1.0 if _said(s, own) else CONTEXT_WEIGHT if _said(s, context) else 0.0) for s, w in weights.items())


def _asking_stems(query: Query) -> set[str]:
    """The stems of the words that ask for the question's attribute ("which modifier", "FDA approved")."""
    cues = ATTRIBUTE_CUES.get(query.attribute, [])
    if query.attribute == "fda":
        cues = [*cues, FDA_ACTIONS]  # asked of the FDA, "is either one approved" asks its status, as "FDA" does
    return _stems(" ".join(m.group(0) for cue in cues for m in cue.finditer(query.text)))


def _shortened(typed: Set[str], seen: set[str]) -> set[str]:
    """The stems a passage says, with each typed stem that begins one of them (see `_said`) counted as said: a
    word shortened ("cryo" of "cryotherapy") or stemmed from another ending ("hysteroscop" of "hysteroscope" begins
    "hysteroscopi" of "hysteroscopy"). In a code table's rows only: in sentences it cost more than it gained."""
    return seen | {s for s in typed if s not in seen and _said(s, seen)}


def _said(stem: str, seen: set[str]) -> bool:
    """A word is said by a passage that uses it, or (staff shorten words from the front: "lap", "cryo",
    "chemo") a longer word it begins. Used to judge whether a passage speaks of the subject (staff dev 70 ->
    72, test 59 -> 62 right); in ranking sentences it helped no split and cost the bundled one a question."""
    return stem in seen or (len(stem) >= 3 and any(t.startswith(stem) for t in seen))
