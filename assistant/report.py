"""Eval reports for people: Markdown for the terminal and reviews, one self-contained HTML page."""

from __future__ import annotations

from html import escape

METRIC_LABELS = {
    "answer_accuracy": "answer accuracy (facts + source)",
    "citation_accuracy": "citation accuracy (right document and section)",
    "citation_precision": "citation precision (citations backing a sentence)",
    "abstention_precision": "abstention precision",
    "abstention_recall": "abstention recall",
    "unsupported_facts": "unsupported numbers/codes in answers",
    "forbidden_facts": "forbidden text in answers (injection)",
    "direct_answer_rate": "direct answers (first sentence holds the fact)",
    "multi_turn_accuracy": "follow-up turns right (conversations)",
    "retrieval_hit_at_k": "retrieval hit@k",
    "retrieval_mrr": "retrieval MRR",
    "latency_p50_ms": "latency p50 (ms)",
    "latency_p95_ms": "latency p95 (ms)",
    "errors": "errors (questions with no answer)",
    "model_fallbacks": "answers composed without the model (it failed)",
    "model_fallback_rate": "share of answers composed without the model",
    "passed": "questions passed",
    "questions": "questions",
}


SHARES = {
    "direct_answer_rate",
    "multi_turn_accuracy",
    "answer_accuracy",
    "citation_accuracy",
    "citation_precision",
    "abstention_precision",
    "abstention_recall",
    "retrieval_hit_at_k",
    "model_fallback_rate",
}


def fmt(name: str, value) -> str:
    if value is None:
        return "–"
    if name in SHARES:
        return f"{value:.1%}"
    return f"{value:,.3f}" if name == "retrieval_mrr" else f"{value:,.0f}"


def _threshold(report, name: str) -> str:
    if name in report.thresholds.get("min", {}):
        return f"≥ {fmt(name, report.thresholds['min'][name])}"
    if name in report.thresholds.get("max", {}):
        return f"≤ {fmt(name, report.thresholds['max'][name])}"
    return ""


def _rows(report):
    base = report.baseline["metrics"] if report.baseline else None
    for name, label in METRIC_LABELS.items():
        ours = report.metrics.get(name)
        yield label, fmt(name, ours), (fmt(name, base.get(name)) if base else None), _threshold(report, name)


def _why(result) -> str:
    reasons = []
    if result.error:
        reasons.append(f"error: {result.error}")
    if result.answerable:
        if result.abstained:
            reasons.append("abstained on an answerable question")
        if result.missed_facts:
            reasons.append("missed facts: " + ", ".join(result.missed_facts))
        if not result.source_found:
            reasons.append("no citation to an expected source")
    elif not result.abstained:
        reasons.append("answered an unanswerable question")
    if result.unsupported:
        reasons.append("unsupported: " + ", ".join(result.unsupported))
    if result.forbidden_found:
        reasons.append("forbidden text: " + ", ".join(result.forbidden_found))
    return "; ".join(reasons)


def to_markdown(report) -> str:
    p = report.pipeline
    lines = [
        f"# Eval report — {report.created}",
        "",
        f"Dataset `{report.dataset}`; pipeline: {p['name']} ({p['mode']}, backend {p['backend']}, top-k {p['top_k']}).",
        "",
        f"**Gate: {report.gate}**",
        "",
    ]
    lines += [f"- {f}" for f in report.gate_failures]
    head = "| metric | assistant |" + (" vanilla llama-index |" if report.baseline else "") + " threshold |"
    lines += ["", head, "|---|---|" + ("---|" if report.baseline else "") + "---|"]
    for label, ours, base, limit in _rows(report):
        lines.append(f"| {label} | {ours} |" + (f" {base} |" if report.baseline else "") + f" {limit} |")
    failed = [r for r in report.results if not r.passed]
    lines += ["", f"## Failed questions ({len(failed)})", ""]
    lines += [f"- `{r.id}` {r.question} — {_why(r)}" for r in failed] or ["None."]
    if report.baseline:
        base_failed = sum(not r.passed for r in report.baseline["results"])
        lines += [
            "",
            f"The vanilla pipeline failed {base_failed} of {len(report.baseline['results'])} questions; "
            "see report.html for its answers side by side.",
        ]
    return "\n".join(lines) + "\n"


_CSS = """body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
.pass{color:#11693b}.fail{color:#a4161a}details{margin:.3em 0;border-bottom:1px solid #eee;padding:.2em 0}
blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid #bbb;color:#444;white-space:pre-wrap}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1em}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5em}"""


def _answer_html(result, title: str) -> str:
    cites = "".join(
        f"<li>[{c['n']}] <b>{escape(c['document'])}</b> › {escape(c['section'])}"
        f"<blockquote>{escape(c['quote'][:600])}</blockquote></li>"
        for c in result.citations
    )
    status = "pass" if result.passed else "fail"
    return (
        f"<div><h4>{escape(title)} — <span class='{status}'>{status.upper()}</span></h4>"
        f"<pre>{escape(result.answer)}</pre><p>{escape(_why(result))}</p><ol>{cites}</ol></div>"
    )


def to_html(report) -> str:
    p = report.pipeline
    rows = "".join(
        f"<tr><td>{escape(label)}</td><td>{escape(ours)}</td>"
        + (f"<td>{escape(base)}</td>" if report.baseline else "")
        + f"<td>{escape(limit)}</td></tr>"
        for label, ours, base, limit in _rows(report)
    )
    head = (
        "<tr><th>metric</th><th>assistant</th>"
        + ("<th>vanilla</th>" if report.baseline else "")
        + "<th>threshold</th></tr>"
    )
    base_by_id = {r.id: r for r in report.baseline["results"]} if report.baseline else {}
    items = []
    for r in report.results:
        status = "pass" if r.passed else "fail"
        body = _answer_html(r, "assistant")
        if r.id in base_by_id:
            body = f"<div class='cols'>{body}{_answer_html(base_by_id[r.id], 'vanilla llama-index')}</div>"
        items.append(
            f"<details{' open' if not r.passed else ''}><summary><span class='{status}'>{status.upper()}</span> "
            f"<code>{escape(r.id)}</code> [{escape(r.category)}] {escape(r.question)}</summary>{body}</details>"
        )
    failures = "".join(f"<li>{escape(f)}</li>" for f in report.gate_failures)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Eval report {escape(report.created)}</title>"
        f"<style>{_CSS}</style></head><body><h1>Eval report</h1>"
        f"<p>{escape(report.created)} · dataset <code>{escape(report.dataset)}</code> · {escape(p['name'])} "
        f"({escape(p['mode'])}, backend {escape(p['backend'])}, top-k {p['top_k']})</p>"
        f"<h2 class='{'fail' if report.gate == 'FAILED' else 'pass'}'>Gate {report.gate}</h2><ul>{failures}</ul>"
        f"<table>{head}{rows}</table><h2>Questions</h2>{''.join(items)}</body></html>"
    )
