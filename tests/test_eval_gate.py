"""The regression gate: the whole eval set through the real pipeline on the embedded default model."""

from pathlib import Path

from assistant.suite import DEFAULT_THRESHOLDS, run_suite

ROOT = Path(__file__).resolve().parent.parent


def test_eval_set_passes_the_gate_on_the_embedded_model(built_index):
    settings = built_index.with_overrides(backend="embedded")
    report = run_suite(settings, ROOT / "evals" / "qa.jsonl", ROOT / DEFAULT_THRESHOLDS, progress=False)
    failed = [f"{r.id}: {r.answer[:120]!r}" for r in report.results if not r.passed]
    assert report.passed_gate, "\n".join(report.gate_failures + failed)
    assert report.pipeline["backend"] == "embedded" and report.metrics["questions"] >= 60
