"""Known question/answer pairs as a regression gate: the dataset, the scorer and the metrics.

The scorer works on answer objects (dicts as `ask --json` prints them), so any pipeline that produces
them, including the vanilla baseline, is scored by the same rules.
"""

from __future__ import annotations

import json
import re
import statistics
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import codes as code_rules
from .text import sentences, words
from .types import MODEL_FALLBACK
from .verify import attach_markers, facts, markers, spelled_numbers, strip_markers, unsupported


class DatasetError(ValueError):
    """An eval file that cannot be used; the message names the line and the field."""


@dataclass(frozen=True)
class Source:
    document: str  # a document id or an id prefix
    section: str = ""  # a case-insensitive substring of the section path; empty matches any section

    def matches(self, document: str, section: str) -> bool:
        return document.startswith(self.document) and self.section.lower() in section.lower()


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    expected_facts: tuple[str, ...]
    expected_sources: tuple[Source, ...]
    answerable: bool
    category: str = ""
    notes: str = ""
    forbidden_facts: tuple[str, ...] = ()  # patterns that must not appear in the answer (injection cases)
    split: str = ""  # dev | test: tune on dev, report test
    conversation: str = ""  # turns of one chat share this id; the runner passes the earlier turns as history
    turn: int = 0


def load_cases(path: Path) -> list[Case]:
    cases, seen = [], set()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError(f"cannot read {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{where}: not JSON ({exc.msg})") from exc
        try:
            case = Case(
                id=str(row["id"]),
                question=str(row["question"]),
                expected_facts=tuple(row.get("expected_facts", [])),
                expected_sources=tuple(
                    Source(s["document"], s.get("section", "")) for s in row.get("expected_sources", [])
                ),
                answerable=bool(row["answerable"]),
                category=row.get("category", ""),
                notes=row.get("notes", ""),
                forbidden_facts=tuple(row.get("forbidden_facts", [])),
                split=str(row.get("split", "")),
                conversation=str(row.get("conversation", "")),
                turn=int(row.get("turn", 0)),
            )
        except (KeyError, TypeError) as exc:
            raise DatasetError(f"{where}: missing or malformed field {exc}") from exc
        for pattern in case.expected_facts + case.forbidden_facts:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise DatasetError(f"{where}: bad regex {pattern!r}: {exc}") from exc
        if case.answerable and not (case.expected_facts and case.expected_sources):
            raise DatasetError(f"{where}: an answerable question needs expected_facts and expected_sources")
        if case.id in seen:
            raise DatasetError(f"{where}: duplicate id {case.id!r}")
        seen.add(case.id)
        cases.append(case)
    if not cases:
        raise DatasetError(f"{path} holds no questions")
    return cases


@dataclass
class Result:
    id: str
    question: str
    category: str
    answerable: bool
    passed: bool
    answer: str
    abstained: bool
    citations: list[dict]
    missed_facts: list[str] = field(default_factory=list)
    source_found: bool = False
    forbidden_found: list[str] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # numbers/codes in the answer that no citation holds
    citations_supporting: int = 0
    retrieval_rank: int | None = (
        None  # 1-based rank of the first passage from an expected source; 0 = none; None = not run
    )
    latency_ms: float = 0.0
    error: str = ""
    direct: bool = False  # the answer's first sentence holds every expected fact
    split: str = ""
    conversation: str = ""
    turn: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


# A line setting the patient's details against a criterion, or against what a policy excludes.
_CHECK_VERDICT = r"(?:meets|does not meet|falls under the exclusion|is outside the exclusion)"
_CHECK_LINE = rf"(?:Age|Size) [\d.]+ (?:cm |mm )?{_CHECK_VERDICT}|“[^”]*” {_CHECK_VERDICT} “"


def unsupported_facts(answer: dict, told: str = "") -> list[str]:
    """Numbers, dates, codes and payers the answer states that none of its citations hold.

    An abstention may name the codes and payers the question asked about ("no UnitedHealthcare policy"), in
    its words ("... do not speak of citation pilot one"); that echoes the question, it does not invent. Numbers
    from the question (or from an earlier question of its conversation, `told`) are excused only on the lines
    that set the patient's details against a quoted criterion ("Age 74 meets “...” [2]", "“relief was ~70%”
    meets “...” [1]").
    """
    support = " ".join(
        f"{c.get('title', '')} {c.get('payer') or ''} {c['document']} {c['section']} {c.get('lead', '')} "
        f"{c.get('header', '')} {c['quote']}"
        for c in answer.get("citations", [])
    )
    text = answer.get("answer", "")
    checks = "\n".join(line for line in text.splitlines() if re.match(_CHECK_LINE, line))
    # The part of an answer that says the documents do not answer one of its questions ("207L00000X: The
    # documents do not say: ...") names what was asked as a whole abstention does.
    abstaining = "\n".join(
        line for line in text.splitlines() if answer.get("abstained") or "The documents do not say" in line
    )
    claims = "\n".join(line for line in text.splitlines() if line not in checks and line not in abstaining)
    read = " ".join(answer.get("notes") or [])
    found = (
        unsupported(strip_markers(claims), support)
        # the case's figures, told in this turn or an earlier one of the conversation (`told`)
        | (unsupported(strip_markers(checks), support) - facts(f"{answer.get('question', '')} {told}"))
        # (and as the assistant read it, said in its notes: "Reading dean as Dean Health Plan")
        | (unsupported(strip_markers(abstaining), support) - _echoed(f"{answer.get('question', '')} {told} {read}"))
    )
    return sorted(f.split(":", 1)[1] for f in found)


def _echoed(question: str) -> set[str]:
    """What an abstention may say of the question (and of the earlier questions of its conversation) in its words:
    the codes, payers and identifiers it names, typed in any case ("0868t" is 0868T, as the assistant reads it), and
    its words that happen to be numbers ("... do not speak of citation pilot one"); a figure it types in digits
    ("is it 1,234?") is no echo."""
    named = {f for f in facts(question) if f.split(":")[0] in ("code", "payer", "id")}
    typed = {f"code:{c.value}" for c in code_rules.find_in_query(question)}
    return named | typed | spelled_numbers(question)


def supporting_citations(answer: dict) -> int:
    """Citations whose quote backs a sentence (or line) of the answer that carries its marker."""
    text = answer.get("answer", "")
    units = [s for line in text.splitlines() for s in (sentences(attach_markers(line)) or [line])]
    count = 0
    for citation in answer.get("citations", []):
        quote_words = set(words(f"{citation['section']} {citation['quote']}"))
        for unit in units:
            if citation["n"] not in markers(unit):
                continue
            claim = [w for w in words(strip_markers(unit)) if len(w) > 2]
            if claim and sum(w in quote_words for w in claim) / len(claim) >= 0.5:
                count += 1
                break
    return count


def first_sentence(answer: str) -> str:
    """The answer's first sentence (its first line, if that is shorter): what a reader sees first."""
    line = answer.strip().split("\n", 1)[0]
    found = sentences(attach_markers(line))
    return found[0] if found else line


def score(case: Case, answer: dict, retrieved: list[tuple[str, str]] | None = None, told: str = "") -> Result:
    """Score one answer object against its case. `retrieved` is (document, section) per retrieved passage; `told`,
    the earlier questions of its conversation."""
    text = answer.get("answer", "")
    citations = answer.get("citations", [])
    abstained = bool(answer.get("abstained"))
    result = Result(
        case.id,
        case.question,
        case.category,
        case.answerable,
        False,
        text,
        abstained,
        citations,
        latency_ms=float(answer.get("timings_ms", {}).get("total", 0.0)),
        error=answer.get("error", ""),
    )
    result.unsupported = unsupported_facts(answer, told)
    result.forbidden_found = [p for p in case.forbidden_facts if re.search(p, text, re.I | re.M)]
    if retrieved is not None:
        ranks = [
            i for i, (doc, sec) in enumerate(retrieved, 1) if any(s.matches(doc, sec) for s in case.expected_sources)
        ]
        result.retrieval_rank = ranks[0] if ranks else 0
    result.split, result.conversation, result.turn = case.split, case.conversation, case.turn
    if case.answerable:
        result.missed_facts = [p for p in case.expected_facts if not re.search(p, text, re.I)]
        first = first_sentence(text)
        result.direct = bool(case.expected_facts) and all(re.search(p, first, re.I) for p in case.expected_facts)
        result.source_found = any(
            s.matches(c["document"], c["section"]) for c in citations for s in case.expected_sources
        )
        result.citations_supporting = 0 if abstained else supporting_citations(answer)
        result.passed = (
            not abstained
            and not result.missed_facts
            and result.source_found
            and not result.unsupported
            and not result.forbidden_found
        )
    else:
        result.passed = abstained and not result.unsupported and not result.forbidden_found
    return result


def _share(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 1)


def metrics(results: list[Result]) -> dict:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    abstained = [r for r in results if r.abstained]
    answered = [r for r in results if not r.abstained]
    ranked = [r for r in answerable if r.retrieval_rank is not None]
    latencies = [r.latency_ms for r in results if r.latency_ms]
    return {
        "questions": len(results),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "passed": sum(r.passed for r in results),
        "answer_accuracy": _share(sum(r.passed for r in answerable), len(answerable)),
        "citation_accuracy": _share(sum(r.source_found for r in answerable), len(answerable)),
        "citation_precision": _share(
            sum(r.citations_supporting for r in answered if r.answerable),
            sum(len(r.citations) for r in answered if r.answerable),
        ),
        "abstention_precision": _share(sum(not r.answerable for r in abstained), len(abstained)),
        "abstention_recall": _share(sum(r.abstained for r in unanswerable), len(unanswerable)),
        "unsupported_facts": sum(len(r.unsupported) for r in results),
        "forbidden_facts": sum(len(r.forbidden_found) for r in results),
        "retrieval_hit_at_k": _share(sum(bool(r.retrieval_rank) for r in ranked), len(ranked)),
        "retrieval_mrr": round(sum(1 / r.retrieval_rank for r in ranked if r.retrieval_rank) / len(ranked), 4)
        if ranked
        else None,
        "latency_p50_ms": _percentile(latencies, 50),
        "latency_p95_ms": _percentile(latencies, 95),
        # A model that did not answer in time leaves the composed answer, which is scored like any other;
        # it is counted apart so that a loaded machine is seen, not mistaken for a failed question.
        "errors": sum(bool(r.error) and r.error != MODEL_FALLBACK for r in results),
        "model_fallbacks": sum(r.error == MODEL_FALLBACK for r in results),
        "model_fallback_rate": _share(sum(r.error == MODEL_FALLBACK for r in results), len(results)),
        "direct_answer_rate": _share(
            sum(r.direct for r in answered if r.answerable), sum(1 for r in answered if r.answerable)
        ),
        "multi_turn_accuracy": _share(
            sum(r.passed for r in results if r.turn > 1), sum(1 for r in results if r.turn > 1)
        ),
    }


def load_thresholds(path: Path) -> dict[str, dict[str, float]]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatasetError(f"cannot read thresholds {path}: {exc}") from exc
    return {"min": dict(data.get("min", {})), "max": dict(data.get("max", {}))}


def gate(values: dict, thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Every metric that misses its threshold, in words; empty means the gate passes."""
    failures = []
    for name, floor in thresholds.get("min", {}).items():
        value = values.get(name)
        if value is None or value < floor:
            failures.append(f"{name} = {value} is below the minimum {floor}")
    for name, ceiling in thresholds.get("max", {}).items():
        value = values.get(name)
        if value is None or value > ceiling:
            failures.append(f"{name} = {value} is above the maximum {ceiling}")
    return failures
