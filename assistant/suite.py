"""Run an eval dataset through the real pipeline (and optionally the vanilla baseline) and report.

Models are loaded once; every question goes through `Assistant.ask`, exactly as the UI and CLI do.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .answer import Assistant, QuestionError
from .config import Settings
from .evaluate import Case, DatasetError, Result, gate, load_cases, load_thresholds, metrics, score

SUITES_FILE = Path("evals/suites.toml")
DEFAULT_DATASET = Path("evals/qa.jsonl")
DEFAULT_THRESHOLDS = Path("evals/thresholds.toml")
REPORTS_DIR = Path("evals/reports")


@dataclass
class SuiteReport:
    created: str
    dataset: str
    pipeline: dict
    metrics: dict
    results: list[Result]
    thresholds: dict = field(default_factory=dict)
    gate_failures: list[str] = field(default_factory=list)
    baseline: dict | None = None  # {"pipeline", "metrics", "results"} of the vanilla pipeline

    @property
    def passed_gate(self) -> bool:
        return not self.gate_failures

    @property
    def gate(self) -> str:
        """PASSED, FAILED, or "not applied" for a run without thresholds (`--no-gate`): never a pass it was not."""
        if not self.thresholds:
            return "not applied"
        return "PASSED" if self.passed_gate else "FAILED"

    def to_dict(self) -> dict:
        out = {
            "created": self.created,
            "dataset": self.dataset,
            "pipeline": self.pipeline,
            "metrics": self.metrics,
            "thresholds": self.thresholds,
            "gate_failures": self.gate_failures,
            "passed_gate": self.passed_gate,
            "gate": self.gate,
            "results": [r.to_dict() for r in self.results],
        }
        if self.baseline:
            out["baseline"] = {**self.baseline, "results": [r.to_dict() for r in self.baseline["results"]]}
        return out


def _progress(items, label: str, enabled: bool, callback: Callable[[int, int, str], None] | None):
    from tqdm import tqdm

    bar = tqdm(items, desc=label, unit="q", file=sys.stderr, disable=not enabled)
    for i, item in enumerate(bar, 1):
        yield item
        if callback:
            callback(i, len(items), label)


def _error_answer(question: str, message: str) -> dict:
    return {"question": question, "answer": "", "abstained": False, "citations": [], "error": message, "timings_ms": {}}


def run_assistant(assistant: Assistant, cases: list[Case], progress: bool = True, callback=None) -> list[Result]:
    """Every case through `Assistant.ask`; the turns of a conversation get the earlier turns (questions and the
    assistant's own answers) as history, as the chat UI passes them."""
    results = []
    histories: dict[str, list[dict]] = {}
    for case in _progress(cases, "assistant", progress, callback):
        history = histories.setdefault(case.conversation, []) if case.conversation else []
        try:
            answer = assistant.ask(case.question, history=list(history)).to_dict()
        except QuestionError as exc:
            answer = _error_answer(case.question, str(exc))
        if case.conversation:
            history += [
                {"role": "user", "content": case.question},
                {"role": "assistant", "content": answer.get("answer", "")},
            ]
        retrieved = [
            (h.passage.document, h.passage.section_path)
            for h in assistant.retriever.retrieve(case.question, k=assistant.settings.top_k)
        ]
        told = " ".join(turn["content"] for turn in history[:-2] if turn["role"] == "user")
        results.append(score(case, answer, retrieved, told))
    return results


def run_suite(
    settings: Settings,
    dataset: Path = DEFAULT_DATASET,
    thresholds: Path | None = DEFAULT_THRESHOLDS,
    baseline: bool = False,
    progress: bool = True,
    callback=None,
    assistant: Assistant | None = None,
    split: str = "",
) -> SuiteReport:
    cases = [c for c in load_cases(dataset) if not split or c.split == split]
    if not cases:
        raise DatasetError(f"{dataset} has no questions in split {split!r}")
    assistant = assistant or Assistant(settings)
    results = run_assistant(assistant, cases, progress, callback)
    values = metrics(results)
    limits = load_thresholds(thresholds) if thresholds else {}
    report = SuiteReport(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        dataset=f"{dataset}" + (f" ({split} split)" if split else ""),
        pipeline={
            "name": "assistant",
            "mode": "generative" if assistant.llm else "extractive",
            "backend": assistant.backend,
            "top_k": settings.top_k,
        },
        metrics=values,
        results=results,
        thresholds=limits,
        gate_failures=gate(values, limits) if limits else [],
    )
    if baseline:
        from .baseline import VanillaPipeline

        vanilla = VanillaPipeline(settings, assistant.llm)
        base_results = []
        for case in _progress(cases, "vanilla", progress, callback):
            base_results.append(score(case, vanilla.ask(case.question), vanilla.retrieve(case.question)))
        report.baseline = {
            "pipeline": {"name": vanilla.name, "backend": assistant.backend, "top_k": 2},
            "metrics": metrics(base_results),
            "results": base_results,
        }
    return report


def write_report(report: SuiteReport, out_dir: Path | None = None) -> Path:
    """Write report.json/.md/.html into a new timestamped folder and point evals/reports/latest at it."""
    from .report import to_html, to_markdown

    if out_dir is None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        out_dir = REPORTS_DIR / stamp
        latest = REPORTS_DIR / "latest"
    else:
        latest = None
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "report.json").write_text(json.dumps(report.to_dict(), indent=1, ensure_ascii=False), encoding="utf-8")
    (out_dir / "report.md").write_text(to_markdown(report), encoding="utf-8")
    (out_dir / "report.html").write_text(to_html(report), encoding="utf-8")
    if latest is not None:
        tmp = latest.with_name("latest.tmp")
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        tmp.symlink_to(out_dir.name)
        os.replace(tmp, latest)  # atomic: readers see the old report or the new one
    return out_dir


def latest_report(reports_dir: Path = REPORTS_DIR) -> dict | None:
    path = reports_dir / "latest" / "report.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Suite:
    name: str
    dataset: Path
    corpus: Path
    thresholds: Path | None
    about: str = ""


def load_suites(path: Path = SUITES_FILE) -> dict[str, Suite]:
    import tomllib

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DatasetError(f"cannot read the suites file {path}: {exc}") from exc
    return {
        name: Suite(
            name,
            Path(entry["dataset"]),
            Path(entry.get("corpus", "corpus")),
            Path(entry["thresholds"]) if entry.get("thresholds") else None,
            entry.get("about", ""),
        )
        for name, entry in data.items()
    }


def suite_settings(settings: Settings, suite: Suite) -> Settings:
    """Settings for a suite: the bundled corpus uses the configured index; another corpus gets its own index
    under index/suites/NAME, brought up to date before the run (an incremental ingest: seconds when nothing
    changed)."""
    from .ingest import ingest

    if suite.corpus.resolve() == Path(settings.corpus_dir).resolve():
        scoped = settings
    else:
        scoped = settings.with_overrides(
            corpus_dir=suite.corpus, index_dir=Path(settings.index_dir) / "suites" / suite.name
        )
    ingest(scoped, progress=False)
    return scoped
