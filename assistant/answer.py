"""Grounded answers: understand the question, select the facts, compose, verify, optionally let a model phrase.

`Assistant.ask` is the one entry point the CLI, the UI, the API and the evals share.
"""

from __future__ import annotations

import json
import re
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

from . import codes as code_rules
from .compose import COMPOSER_WORDS, NOT_SAID, QUOTES_HEADING, Composed, compose
from .config import Settings
from .llm import LLM, LLMError, get_llm
from .payers import payers_named
from .prompts import NOT_FOUND, answer_messages
from .query import understand
from .retrieve import Retriever
from .selection import Finding, find, lead_of, render, with_code_found
from .store import IndexProblem
from .text import words
from .types import MODEL_FALLBACK, Answer, Citation, Document, Filters, Hit, Passage, Query, Quote
from .verify import Evidence, check_sentence, facts, markers, verify_answer

PREVIEW_NOTICE = "Quoted passages; the language model's summary is being checked against them."
MAX_QUOTED = 4  # the quotes of an answer read back for a follow-up: the first ones are what answered
_QUOTE_END = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]\s*")
QUOTED_SHARE = 0.9  # of a quote's words its passage must hold: a row is shown in another layout, not other words


class QuestionError(ValueError):
    """A question that cannot be asked as it is; the message tells the user what to change."""


def problem_text(exc: Exception) -> str:
    """Why a question got no answer, in words for staff: a bad question or an index problem explains itself;
    anything else is named, never dumped as a traceback."""
    if isinstance(exc, (QuestionError, IndexProblem)):
        return str(exc)
    return f"internal error ({type(exc).__name__}); try again, and tell the administrator if it persists"


def clean_question(question, limit: int) -> str:
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    # Control and format characters carry no meaning in a question and can hide text.
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\t\n" else " " for ch in question)
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise QuestionError("the question is empty: type a billing question, a code or a document name")
    if len(cleaned) > limit:
        raise QuestionError(
            f"the question is {len(cleaned):,} characters long; the limit is {limit:,}. Ask about one thing at a time"
        )
    return cleaned


MAX_HISTORY_TURNS = 12  # earlier turns read for a follow-up; older ones no longer shape the question


def clean_history(history) -> list[dict]:
    """The conversation as chat turns ({"role": "user" | "assistant", "content": text}); anything else is
    a QuestionError naming what is wrong."""
    if history is None:
        return []
    if not isinstance(history, list):
        raise QuestionError("the history must be a list of turns")
    turns = []
    for turn in history[-MAX_HISTORY_TURNS:]:
        if isinstance(turn, str):  # a bare earlier question
            turn = {"role": "user", "content": turn}
        if not isinstance(turn, dict) or turn.get("role") not in {"user", "assistant"}:
            raise QuestionError('each history turn must be {"role": "user" or "assistant", "content": text}')
        content = turn.get("content")
        if not isinstance(content, str):
            raise QuestionError("each history turn's content must be text")
        turns.append({"role": turn["role"], "content": " ".join(content.split())[:4000]})
    return turns


# A kind of document a follow-up may ask for beside the one quoted.
_OTHER_KIND = re.compile(
    r"\b(?:lcds?|ncds?|articles?|guidelines?|bulletins?|cpbs?|manuals?|other (?:polic|doc)\w*)\b", re.I
)


class ScopedIndex:
    """The index as one question may see it: the caller's filters (documents, kinds, payers) applied to
    every search and document list selection makes."""

    def __init__(self, retriever: Retriever, filters: Filters | None):
        self.retriever = retriever
        self.filters = filters or Filters()
        self.documents: dict[str, Document] = {
            doc_id: doc
            for doc_id, doc in retriever.documents.items()
            if doc is not None
            if (not self.filters.documents or doc_id in self.filters.documents)
            and (not self.filters.kinds or doc.kind in self.filters.kinds)
            and (not self.filters.payers or self.filters.allows(_any_passage(doc_id), doc))
        }

    def retrieve(self, question: str, k: int = 6, filters: Filters | None = None) -> list[Hit]:
        merged = self.filters
        if filters is not None:
            docs = tuple(d for d in filters.documents if d in self.documents) if filters.documents else ()
            if filters.documents and not docs:
                return []
            merged = replace(
                self.filters,
                documents=docs or self.filters.documents,
                kinds=filters.kinds or self.filters.kinds,
                payers=filters.payers or self.filters.payers,
            )
        if self.filters.payers or self.filters.kinds:
            merged = replace(merged, documents=merged.documents or tuple(self.documents))
        return self.retriever.retrieve(question, k=k, filters=merged)

    def document_passages(self, doc_id: str) -> list[Passage]:
        return self.retriever.document_passages(doc_id) if doc_id in self.documents else []

    def documents_with_code(self, code: str) -> list[Document]:
        return [d for d in self.retriever.documents_with_code(code) if d.id in self.documents]

    def passage(self, passage_id: str) -> Passage | None:
        doc_id, _, ordinal = passage_id.rpartition("#")
        return next((p for p in self.document_passages(doc_id) if str(p.ordinal) == ordinal), None)

    def knows_code(self, code: str) -> bool:
        return self.retriever.knows_code(code)

    def defined_as(self, word: str) -> str | None:
        return self.retriever.defined_as(word)

    def lookup(self, code: str) -> list[Passage]:
        return [p for p in self.retriever.lookup(code) if p.document in self.documents]

    def saying(self, literal: str, documents: tuple[str, ...] = ()) -> list[Passage]:
        return [p for p in self.retriever.saying(literal, documents) if p.document in self.documents]

    def document_stems(self, doc_id: str) -> set[str]:
        return self.retriever.document_stems(doc_id) if doc_id in self.documents else set()

    def term_weight(self, term: str) -> float:
        return self.retriever.term_weight(term)

    def frequency(self, word: str) -> int:
        return self.retriever.frequency(word)

    def matchable(self, word: str) -> bool:
        return self.retriever.matchable(word)

    def unheard_of(self, word: str) -> bool:
        return self.retriever.unheard_of(word)


def _any_passage(doc_id: str) -> Passage:
    return Passage(doc_id, 0, ("",), "", 0, 0, "paragraph")


def citation(n: int, quote: Quote) -> Citation:
    p, doc = quote.passage, quote.hit.document
    return Citation(
        n,
        p.document,
        p.section_path,
        quote.text,
        quote.source_start,
        quote.source_end,
        title=doc.label,
        payer=doc.payer or "",
        lead=lead_of(quote),
        header=p.header if p.kind == "row" else "",
    )


def verified_text(composed: Composed) -> tuple[str, int]:
    """The composed answer with its first sentence checked against the quotes it cites: composed from their
    words, it passes; if it ever does not, it is dropped and the quotes stand alone. (text, claims dropped)"""
    evidence = {n: Evidence(n, render(q), _context(q.hit)) for n, q in enumerate(composed.quotes, 1)}
    if composed.abstained:
        # An abstention may state what the documents do say beside it ("... Cigna policy 0540 lists 0971T as
        # Considered Not Medically Necessary [1]."): each cited claim is checked as an answer's is.
        lines = composed.text.split("\n")
        kept = [
            line
            for line in lines
            if all(check_sentence(c, evidence, allowed=COMPOSER_WORDS).ok for c in _claims(line) if markers(c))
        ]
        return "\n".join(kept), len(lines) - len(kept)
    head, _, listing = composed.text.partition(f"\n\n{QUOTES_HEADING}\n")
    kept, dropped = [], 0
    for line in head.split("\n"):
        if line in composed.checks:
            kept.append(line)
            continue
        # The answers to a question's parts may share a line ("0581T: ... [1]; 0971T: ... [2]."): each part is kept
        # or dropped on its own claims, a part's label being a heading of ours, not a claim.
        parts = re.split(r"(?<=\]);\s+", line.rstrip().rstrip(".")) if line.rstrip().endswith("].") else [line]
        good = [
            part
            for part in parts
            if all(
                check_sentence(_unlabelled(c, composed.labels), evidence, allowed=COMPOSER_WORDS).ok
                for c in _claims(part)
                if markers(c)
            )
        ]
        dropped += len(parts) - len(good)
        if good:
            kept.append(line if len(good) == len(parts) else "; ".join(good) + ".")
    if not kept:
        return listing, dropped
    return "\n".join(kept) + f"\n\n{QUOTES_HEADING}\n{listing}", dropped


def _unlabelled(claim: str, labels: tuple[str, ...]) -> str:
    """A claim without the label of the part it answers, a heading of ours rather than a claim."""
    return next((claim[len(label) :] for label in labels if claim.startswith(label)), claim)


def _claims(line: str) -> list[str]:
    """A composed line split where its citation marks close a claim ("... [1]. Also: ... [2].")."""
    return [c.strip() for c in re.split(r"(?<=\])[.;]\s+(?:Also:\s*)?", line) if c.strip()]


class Assistant:
    def __init__(
        self, settings: Settings, retriever: Retriever | None = None, llm: LLM | None = None, use_llm: bool = True
    ):
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.retriever.lexicon()  # read the documents' words while the model loads, not on the first question
        self.llm = llm if llm is not None else (get_llm(settings) if use_llm else None)
        self._audit_lock = threading.Lock()

    @property
    def backend(self) -> str:
        return self.llm.name if self.llm else "none"

    def ask(self, question: str, history: list[dict] | None = None, filters: Filters | None = None) -> Answer:
        """The final answer (see `stream` for the steps). `history` is the conversation so far, as chat turns
        ({"role": "user" | "assistant", "content": ...}): a follow-up is read with it."""
        *_, answer = self.stream(question, history=history, filters=filters)
        return answer

    def stream(
        self, question: str, history: list[dict] | None = None, filters: Filters | None = None
    ) -> Iterator[Answer]:
        """The answer as it firms up: with a model, the composed answer and its quotes come first (in
        milliseconds) and the answer with the model's verified phrasing follows. Every step is verified text;
        the last one is final and the only one audited. Raises QuestionError before any step for a question
        that cannot be asked."""
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        history = clean_history(history)
        index = ScopedIndex(self.retriever, filters)
        query = understand(self.retriever.join_compounds(question), self.retriever, history)
        if query.follows and not query.parts:
            query = replace(query, earlier=self._quoted(history))
        findings: list[Finding] = []
        # A follow-up that names no code, payer or document of its own ("does it need prior auth if its done in
        # the office?") is asked of the documents the last answer quoted first; elsewhere only if they say nothing.
        staying = self._documents_quoted(query, index, filters)
        for part in query.parts or (query,):
            part = with_code_found(part, findings[-1], index) if findings else part
            finding = find(part, staying, self.settings.top_k) if staying is not None else None
            findings.append(
                finding if finding is not None and finding.answered else find(part, index, self.settings.top_k)
            )
        timings = {"retrieve": _ms(started)}
        composed = compose(query, findings)
        mode = "generative" if self.llm else "extractive"
        answer = self._answer(question, query, composed, mode)
        if self.llm is not None and not composed.abstained:
            preview = replace(answer, notice=PREVIEW_NOTICE, timings_ms={"retrieve": round(timings["retrieve"], 1)})
            yield preview
            answer = self._generative(answer, query, composed, history, timings)
        timings["total"] = _ms(started)
        timings.setdefault("generate", 0.0)
        timings.setdefault("verify", 0.0)
        answer.timings_ms = {k: round(v, 1) for k, v in timings.items()}
        self._audit(answer)
        yield answer

    def _documents_quoted(self, query: Query, index: ScopedIndex, filters: Filters | None) -> ScopedIndex | None:
        """The index narrowed to the documents the last answer quoted, for a follow-up that names nothing new."""
        if not query.earlier or query.documents or code_rules.find_in_query(query.text):
            return None
        if payers_named(query.text, typed=True) or _OTHER_KIND.search(query.text):
            return None  # "what does the NCD say?", "is there an LCD on it?": another document is asked of
        quoted = tuple(dict.fromkeys(p.rpartition("#")[0] for p in query.earlier))
        quoted = tuple(d for d in quoted if d in index.documents)
        return ScopedIndex(self.retriever, replace(filters or Filters(), documents=quoted)) if quoted else None

    def _quoted(self, history: list[dict]) -> tuple[str, ...]:
        """The passages the last answer quoted, found by their text: a chat passes its answers back as text,
        and a follow-up that keeps the subject ("and the survival numbers?") is most often answered beside
        what was just quoted (the same study's paragraph)."""
        answers = [t["content"] for t in history if t.get("role") == "assistant"]
        if not answers or QUOTES_HEADING not in answers[-1]:
            return ()
        found: list[str] = []
        # Each quote ends at its marker ("... 92.8%. [2]"): the history's turns come with their lines joined.
        for line in _QUOTE_END.split(answers[-1].split(QUOTES_HEADING, 1)[1])[:MAX_QUOTED]:
            said = set(words(line))
            if not said:
                continue
            for hit in self.retriever.retrieve(line, k=3):
                p = hit.passage
                # A row is shown as "cell — cell: cell"; its words are the passage's, in another layout, after its
                # section's name ("Table 1. CPT and HCPCS Codes (continued) — Code: S0812; ...").
                own = set(words(f"{p.text} {p.header}"))
                caption = set(words(p.section[-1])) if p.section else set()
                # (the caption is every row's of the table: the rest of the line must be this row's own words)
                rest = said - caption
                if (
                    len(said & (own | caption)) >= QUOTED_SHARE * len(said)
                    and len(rest & own) >= QUOTED_SHARE * len(rest)
                    and p.id not in found
                ):
                    found.append(p.id)
                    break
        return tuple(found)

    def _answer(self, question: str, query: Query, composed: Composed, mode: str) -> Answer:
        text, dropped = verified_text(composed)
        citations = [citation(n, q) for n, q in enumerate(composed.quotes, 1)]
        asked = self.retriever.join_compounds(question)
        return Answer(
            question,
            text,
            composed.abstained,
            mode,
            self.backend if mode == "generative" else "none",
            citations,
            dropped_claims=dropped,
            # Shown when the question was read as another ("and for 0686T?" as the earlier question of 0686T).
            resolved_question=query.resolved if query.resolved != asked else "",
            notes=list(query.notes),
        )

    def _generative(self, answer: Answer, query: Query, composed: Composed, history, timings: dict) -> Answer:
        """The model phrases one sentence over the quotes; it is kept only where verification passes, and
        it replaces the composed first sentence only when it states every fact that sentence states."""
        evidence = {n: Evidence(n, render(q), _context(q.hit)) for n, q in enumerate(composed.quotes, 1)}
        listing = "\n".join(f"[{n}] {e.text}" for n, e in evidence.items())
        messages = answer_messages(listing, query.resolved, history)
        t0 = time.perf_counter()
        assert self.llm is not None  # called only with a model
        try:
            draft = self.llm.chat(messages, self.settings.max_tokens)
        except LLMError as exc:
            timings["generate"] = _ms(t0)
            answer.notice = f"The language model did not answer ({exc}); the answer is composed from the quotes."
            answer.error = MODEL_FALLBACK
            return answer
        timings["generate"] = _ms(t0)
        t0 = time.perf_counter()
        kept, dropped = verify_answer(draft.replace(NOT_FOUND, ""), evidence)
        timings["verify"] = _ms(t0)
        answer.dropped_claims += len(dropped)
        if not kept:
            answer.notice = (
                "The language model's sentence could not be verified against the passages; the answer is composed "
                "from the quotes."
                if dropped or NOT_FOUND not in draft
                else "The language model found no answer; the answer is composed from the quotes."
            )
            return answer
        summary = " ".join(f"{k.text.rstrip('.')} " + "".join(f"[{n}]" for n in k.cited) + "." for k in kept)
        first, _, rest = answer.answer.partition("\n")
        # A part the documents do not answer is said so; the model's sentence never stands in for that.
        if facts(first) <= facts(summary) and not first.startswith(NOT_SAID):
            answer.answer = f"{summary}\n{rest}" if rest else summary
        else:
            answer.answer = f"{first}\n{summary}\n{rest}" if rest else f"{first}\n{summary}"
        return answer

    # ---- compliance audit ----------------------------------------------------------------------
    def _audit(self, answer: Answer) -> None:
        if not self.settings.audit_log:
            return
        record = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "question": answer.question,
            "answer": answer.answer,
            "abstained": answer.abstained,
            "mode": answer.mode,
            "citations": [asdict(c) for c in answer.citations],
        }
        path = Path(self.settings.audit_log)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._audit_lock, open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def _context(hit: Hit) -> str:
    """What a quote is part of: payer, document title, section, table header."""
    p = hit.passage
    parts = [hit.document.label, p.section_path]
    if p.header:
        parts.append(p.header)
    if p.kind == "row" and p.codes and code_rules.kind_of(p.codes[0]) == "modifier":
        parts.append(f"modifier {p.codes[0]}")  # a modifier table's row key, as the verifier reads modifiers
    return " › ".join(parts)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
