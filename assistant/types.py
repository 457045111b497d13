"""The values that cross module lines: documents and passages, hits and quotes, questions and answers.

Every layer imports its vocabulary from here, so data flows one way (documents -> index -> question ->
retrieval -> selection -> composition -> verification -> UI) without modules importing each other for a type.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .payers import matches as payer_matches

SECTION_SEPARATOR = " › "
NOT_SAID = "The documents do not say"  # opens the sentence of a part the documents do not answer
QUOTES_HEADING = "From the documents:"  # opens the list of quotes under an answer
# The heading of a reference list: its entries cite sources ("... San Francisco, CA: ..."), they state nothing.
REFERENCE_HEADING = re.compile(
    r"\s*(?:[\dIVX]+[.)]?\s+)?(?:references?|bibliography|sources|citations|literature cited|works cited)\b", re.I
)

# What a document is, judged from its content (see metadata.py).
DOCUMENT_KINDS = ("coverage-policy", "clinical-guideline", "ncd", "lcd", "billing-article", "code-summary", "other")
# What a coverage statement decides (see positions.py), from the most to the least favourable.
DECISIONS = ("covered", "medically-necessary", "not-medically-necessary", "investigational", "not-covered")
DECISION_WORDS = {
    "covered": "covered",
    "medically-necessary": "medically necessary",
    "not-medically-necessary": "not medically necessary",
    "investigational": "experimental, investigational or unproven",
    "not-covered": "not covered",
}


@dataclass(frozen=True)
class Document:
    id: str  # the file stem: stable across re-ingests, used by evals and citations
    title: str
    kind: str  # one of DOCUMENT_KINDS
    source: str  # file name inside the corpus folder
    sha256: str
    code: str | None = None  # the code a code summary is about
    payer: str | None = None  # canonical payer name (payers.py); None when the document names no publisher
    publisher: str | None = None  # who issued it, when not the payer itself (a Medicare contractor)
    policy_number: str | None = None
    effective_date: str | None = None  # as the document prints it
    last_review_date: str | None = None
    next_review_date: str | None = None
    format: str = "text"  # text | markdown | html | pdf | docx
    original_effective_date: str | None = (
        None  # when the policy first took effect, if it says  # text | markdown | html | pdf | docx
    )

    @property
    def label(self) -> str:
        """How staff recognise the document: payer (and the contractor that issued it), number and title
        ("Highmark S-164 · Cryoablation ...", "Medicare (Novitas Solutions) L39756 · Genicular ...")."""
        payer = self.payer
        if payer and self.publisher and self.publisher != payer:
            payer = f"{payer} ({self.publisher})"
        head = " ".join(x for x in (payer, self.policy_number) if x)
        if head and self.policy_number and self.policy_number in self.title:
            head = payer or ""
        return f"{head} · {self.title}" if head else self.title


@dataclass(frozen=True)
class Passage:
    document: str
    ordinal: int
    section: tuple[str, ...]
    text: str  # the quote: source[start:end] with white space and table pipes tidied
    start: int
    end: int
    kind: str  # paragraph | list | row | table-header | front-matter
    header: str = ""  # the table header a row belongs to
    codes: tuple[str, ...] = ()
    truncated: bool = False  # a table row or table the source cuts off
    lead: str = ""  # a later chunk of a long paragraph: that paragraph's first sentence, which names its subject
    boilerplate: bool = False  # a publisher's wrapper (disclaimers, navigation, instructions for use)
    # (text_start, text_end, source_start, source_end) of each sentence, so a citation can quote one sentence
    sentences: tuple[tuple[int, int, int, int], ...] = ()
    decision: str = ""  # the coverage decision the passage states (DECISIONS), if it states one
    about: str = ""  # what that decision is about, in the document's words

    @property
    def id(self) -> str:
        return f"{self.document}#{self.ordinal}"

    @property
    def section_path(self) -> str:
        return SECTION_SEPARATOR.join(self.section)


@dataclass
class ParsedDocument:
    document: Document
    passages: list[Passage]
    text: str = field(repr=False)


@dataclass
class Filters:
    documents: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    payers: tuple[str, ...] = ()

    def allows(self, passage: Passage, document: Document) -> bool:
        return (
            (not self.documents or passage.document in self.documents)
            and (not self.kinds or document.kind in self.kinds)
            and (not self.payers or any(payer_matches(p, document.payer, document.publisher) for p in self.payers))
        )


@dataclass
class Hit:
    passage: Passage
    document: Document
    score: float
    via: set[str] = field(default_factory=set)  # dense | lexical | code | continuation | table | position


@dataclass
class Quote:
    hit: Hit
    rank: int
    text: str  # the sentence or row, verbatim
    text_start: int
    source_start: int
    source_end: int
    score: float
    unmatched: tuple[str, ...] = ()  # words of the question that neither the quote nor its context use
    coverage: float = 1.0  # share of the question's words (by weight) that the quote or its context use

    @property
    def passage(self) -> Passage:
        return self.hit.passage


@dataclass(frozen=True)
class Measure:
    """A measured detail of a patient's case as a question states it ("did 10 wks of bladder training")."""

    value: float
    kind: str  # "time" (in days), "volume" (mL), "share" (%), "scale" (of 10), or "score:<name stem>"
    said: str  # the clause of the question it was stated in, in the question's words
    about: frozenset[str]  # stems of the clause's words: what is measured
    ago: bool = False  # a time since ("5 months ago"): set against "within N months", not "at least"
    cut_short: frozenset[str] = frozenset()  # stems of `about` typed as no English word ("pred"): may begin one


@dataclass
class Patient:
    """Details of a patient given in a question: context to check against criteria, never search words."""

    age: int | None = None
    sex: str | None = None  # female | male
    sizes_cm: tuple[float, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # where the question states them
    sizes_said: tuple[str, ...] = ()  # the sizes as typed ("1.5 cm"): an answer repeats them, never converts them
    # Other measured details ("10 wks of bladder training", "ODI 38"): checked against criteria, not searched for.
    measures: tuple[Measure, ...] = ()

    def __bool__(self) -> bool:
        return self.age is not None or self.sex is not None or bool(self.sizes_cm)


@dataclass
class Query:
    """A question as understood: what it is about, what it asks, and the context it gives."""

    text: str  # the question as typed (cleaned)
    resolved: str  # the question with follow-up references filled in from the conversation
    search: str  # the words to search with: no filler, no patient details, codes corrected
    codes: tuple[str, ...] = ()
    payers: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()  # the payer's lines of business named ("selecthealth medicaid", "commercial")
    attribute: str = "general"  # what is asked (query.ATTRIBUTES)
    topic: tuple[str, ...] = ()  # content words naming the subject
    context: tuple[str, ...] = ()  # topic words only the statements describing the case use, not the asking
    patient: Patient = field(default_factory=Patient)
    documents: tuple[str, ...] = ()  # documents the question names (a policy number, a title)
    notes: tuple[str, ...] = ()  # what was read differently from what was typed ("Reading 0518T as 0581T")
    focus: tuple[str, ...] = ()  # every meaningful word of this turn as typed ("after" tells 74 from 73)
    parts: tuple[Query, ...] = ()  # sub-questions of a comparison or a multi-part question
    acronyms: tuple[tuple[str, str], ...] = ()  # ("rfa", "radiofrequency ablation"): a passage may say either
    follows: bool = False  # a follow-up that keeps the earlier turn's subject ("and the survival numbers?")
    earlier: tuple[str, ...] = ()  # ids of the passages the answer before quoted, for a follow-up
    compared: bool = False  # a part of a comparison of two codes: what each one is answers when no detail does
    set_aside: tuple[str, ...] = ()  # codes the question rules out ("besides C61", "don't want C22.0")
    ruled_out: tuple[str, ...] = ()  # words of what the question says it is not ("not lap", "non-laparoscopic")
    where: bool = False  # asks where the documents say it ("which section is that in?", "under what heading")

    @property
    def asked(self) -> tuple[str, ...]:
        """The subject words of the sentence that asks (all the topic when it names none of its own)."""
        return tuple(w for w in self.topic if w not in self.context) or self.topic


@dataclass
class Citation:
    n: int
    document: str  # the stable document id
    section: str
    quote: str
    start: int
    end: int
    title: str = ""  # the document's label as staff know it (payer, number, title)
    payer: str = ""
    lead: str = ""  # for one item of a list: the sentence it continues ("... when ALL of the following ...:")
    header: str = ""  # for a table row: its column labels, as the answer shows them beside its cells


# Answer.error when the model failed and the answer was composed without it: still an answer, never a failed question.
MODEL_FALLBACK = "llm-unavailable"


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    mode: str  # generative | extractive
    backend: str  # embedded | openai | none
    citations: list[Citation] = field(default_factory=list)
    dropped_claims: int = 0
    timings_ms: dict[str, float] = field(default_factory=dict)
    notice: str = ""  # why an answer fell back to quotes, in words for the user
    error: str = ""
    resolved_question: str = ""  # a follow-up read with its conversation ("Answering: ...")
    notes: list[str] = field(default_factory=list)  # corrections made while reading the question

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
