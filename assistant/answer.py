"""Grounded answers: retrieve, judge answerability, generate, verify, fall back to quotes.

`Assistant.ask` is the one entry point the CLI, the UI and the evals share.
"""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

from .codes import find_in_query
from .config import Settings
from .evidence import Quote, asks_decision, asks_list, best_quotes, judge, render, table_quotes
from .llm import LLM, LLMError, get_llm
from .payers import payers_named
from .prompts import NOT_FOUND, answer_messages
from .retrieve import Retriever
from .store import IndexProblem
from .types import Answer, Citation, Filters, Hit
from .verify import Evidence, verify_answer

PREVIEW_NOTICE = "Quoted passages; the language model's summary is being checked against them."


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


class Assistant:
    def __init__(
        self, settings: Settings, retriever: Retriever | None = None, llm: LLM | None = None, use_llm: bool = True
    ):
        self.settings = settings
        self.retriever = retriever or Retriever(settings)
        self.llm = llm if llm is not None else (get_llm(settings) if use_llm else None)
        self._audit_lock = threading.Lock()

    @property
    def backend(self) -> str:
        return self.llm.name if self.llm else "none"

    def ask(self, question: str, filters: Filters | None = None) -> Answer:
        """The final answer (see `stream` for the steps)."""
        *_, answer = self.stream(question, filters)
        return answer

    def stream(self, question: str, filters: Filters | None = None) -> Iterator[Answer]:
        """The answer as it firms up: with a model, the quoted passages come first (in milliseconds) and the
        answer with its verified summary follows. Every step is verified text; the last one is final and
        the only one audited. Raises QuestionError before any step for a question that cannot be asked."""
        started = time.perf_counter()
        question = clean_question(question, self.settings.max_question_chars)
        timings: dict[str, float] = {}
        searched = self.retriever.join_compounds(question)  # "cryo ablation" -> "cryoablation"
        hits = self.retriever.retrieve(searched, k=self.settings.top_k, filters=_decision_filters(searched, filters))
        timings["retrieve"] = _ms(started)
        quotes = best_quotes(searched, self.retriever.with_continuations(hits), weight=self.retriever.term_weight)
        if quotes and asks_list(question) and quotes[0].passage.kind == "row":
            quotes = table_quotes(self.retriever.table_rows(quotes[0].passage), hits)
        verdict = judge(searched, hits, quotes, self.retriever)
        mode = "generative" if self.llm else "extractive"
        if not verdict.answerable:
            # Nothing in the coverage policies: the nearest sections anywhere still help the reader.
            nearest = hits or self.retriever.retrieve(searched, k=self.settings.top_k, filters=filters)
            answer = self._abstain(question, nearest, verdict.reason, mode)
        elif self.llm is None:
            answer = self._extractive(question, quotes, mode)
        else:
            preview = self._extractive(question, quotes, mode)
            preview.notice = PREVIEW_NOTICE
            preview.timings_ms = {"retrieve": round(timings["retrieve"], 1), "total": round(_ms(started), 1)}
            yield preview
            answer = self._generative(question, quotes, timings)
        timings["total"] = _ms(started)
        timings.setdefault("generate", 0.0)
        timings.setdefault("verify", 0.0)
        answer.timings_ms = {k: round(v, 1) for k, v in timings.items()}
        self._audit(answer)
        yield answer

    # ---- the three kinds of answer -------------------------------------------------------------
    def _generative(self, question: str, quotes: list[Quote], timings: dict) -> Answer:
        """A one-sentence answer from the model over the quotes, kept only where verification passes,
        followed by the quotes themselves: the exact policy wording is what a claim or an appeal needs."""
        answer = self._extractive(question, quotes, "generative")
        evidence = {n: Evidence(n, render(q), _context(q.hit)) for n, q in enumerate(quotes, 1)}
        listing = "\n".join(f"[{n}] {e.text}" for n, e in evidence.items())
        messages = answer_messages(listing, question)
        t0 = time.perf_counter()
        try:
            draft = self.llm.chat(messages, self.settings.max_tokens)
        except LLMError as exc:
            timings["generate"] = _ms(t0)
            answer.notice = f"The language model did not answer ({exc}); these are quoted passages instead."
            answer.error = "llm-unavailable"
            return answer
        timings["generate"] = _ms(t0)
        t0 = time.perf_counter()
        kept, dropped = verify_answer(draft.replace(NOT_FOUND, ""), evidence)
        timings["verify"] = _ms(t0)
        answer.dropped_claims = len(dropped)
        if not kept:
            answer.notice = (
                "The generated answer could not be verified against the passages; these are quoted passages instead."
                if dropped or NOT_FOUND not in draft
                else "The language model found no answer; these are the closest quoted passages."
            )
            return answer
        summary = " ".join(f"{k.text.rstrip('.')} " + "".join(f"[{n}]" for n in k.cited) + "." for k in kept)
        answer.answer = f"{summary}\n\nFrom the documents:\n{answer.answer}"
        return answer

    def _extractive(self, question: str, quotes: list[Quote], mode: str) -> Answer:
        citations, lines = [], []
        for n, quote in enumerate(quotes, 1):
            p = quote.passage
            citations.append(Citation(n, p.document, p.section_path, quote.text, quote.source_start, quote.source_end))
            lines.append(f"{render(quote)} [{n}]")
        answer = "\n".join(lines) if lines else "The documents do not say."
        return Answer(question, answer, not lines, mode, self.backend if mode == "generative" else "none", citations)

    def _abstain(self, question: str, hits: list[Hit], reason: str, mode: str) -> Answer:
        nearest = []
        seen = set()
        for h in hits:
            key = (h.passage.document, h.passage.section_path)
            if key in seen:
                continue
            seen.add(key)
            p = h.passage
            nearest.append(Citation(len(nearest) + 1, p.document, p.section_path, p.text, p.start, p.end))
            if len(nearest) == 3:
                break
        text = f"The documents do not say: {reason}."
        if nearest:
            text += " The nearest sections are listed below."
        return Answer(question, text, True, mode, self.backend if mode == "generative" else "none", nearest)

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


def _decision_filters(question: str, filters: Filters | None) -> Filters | None:
    """A payer's coverage decision is read only from coverage policies (of that payer, when one is named):
    a CPT summary naming the payer, or a stray "this code is covered" line elsewhere, decides nothing."""
    payers = payers_named(question, typed=True)
    codes = [c.value for c in find_in_query(question) if c.kind != "policy"]
    if not asks_decision(question, payers, codes):
        return filters
    base = filters or Filters()
    return replace(base, kinds=base.kinds or ("coverage-policy",), payers=base.payers or tuple(payers))


def _context(hit: Hit) -> str:
    """What a quote is part of: payer, document title, section, table header."""
    p = hit.passage
    parts = [f"{hit.document.payer} {hit.document.title}" if hit.document.payer else hit.document.title, p.section_path]
    if p.header:
        parts.append(p.header)
    return " › ".join(parts)


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
