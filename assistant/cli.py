"""The `assistant` command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import ConfigError, Settings, load_settings
from .llm import BACKENDS


def _settings(args) -> Settings:
    settings = load_settings(getattr(args, "config", None))
    overrides = {name: getattr(args, name, None) for name in ("corpus_dir", "index_dir", "backend", "mode")}
    return settings.with_overrides(**overrides)


def cmd_ingest(args) -> int:
    from .ingest import ingest

    report = ingest(_settings(args), rebuild=args.rebuild, progress=not args.quiet)
    print(report.summary())
    return 0


def cmd_sections(args) -> int:
    from .corpus import corpus_files, parse_document

    settings = _settings(args)
    matches = [p for p in corpus_files(Path(settings.corpus_dir)) if p.stem == args.doc_id]
    if not matches:
        known = ", ".join(p.stem for p in corpus_files(Path(settings.corpus_dir)))
        print(f"no document {args.doc_id!r} in {settings.corpus_dir}/; documents: {known}", file=sys.stderr)
        return 2
    parsed = parse_document(matches[0], settings.max_file_bytes)
    doc = parsed.document
    print(f"{doc.id}: {doc.title}")
    details = {
        "kind": doc.kind,
        "code": doc.code,
        "payer": doc.payer,
        "policy number": doc.policy_number,
        "effective": doc.effective_date,
        "next review": doc.next_review_date,
    }
    print("  " + "; ".join(f"{k}: {v}" for k, v in details.items() if v))
    current = None
    for p in parsed.passages:
        if p.section != current:
            current = p.section
            count = sum(1 for q in parsed.passages if q.section == current)
            print(f"\n{p.section_path}  ({count} passage{'s' if count != 1 else ''})")
        mark = ("  [cut off in the source]" if p.truncated else "") + (
            "  [outside the table of contents: ranked lower]" if p.boilerplate else ""
        )
        text = p.text if len(p.text) <= 160 else p.text[:157] + "..."
        print(f"  - [{p.kind} {p.start}-{p.end}] {text}{mark}")
    return 0


def cmd_lookup(args) -> int:
    from .retrieve import Retriever

    retriever = Retriever(_settings(args))
    passages = retriever.lookup(args.code)
    if args.json:
        print(
            json.dumps(
                [
                    {"document": p.document, "section": p.section_path, "quote": p.text, "start": p.start, "end": p.end}
                    for p in passages
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    if not passages:
        print(f"No passage in the documents mentions {args.code}.")
        return 1
    current = None
    for p in passages:
        key = (p.document, p.section_path)
        if key != current:
            current = key
            print(f"\n{p.document} › {p.section_path}")
        print(f"  “{p.text}”")
    return 0


def _print_answer(answer) -> None:
    if answer.resolved_question:
        print(f"Answering: {answer.resolved_question}")
    for note in answer.notes:
        print(f"({note})")
    print(answer.answer)
    if answer.notice:
        print(f"\n[{answer.notice}]")
    if answer.citations:
        print("\nSources:" if not answer.abstained else "\nNearest sections:")
    for c in answer.citations:
        print(
            f"  [{c.n}] {c.title or c.document} › {c.section}\n      “{c.quote}”\n      ({c.document}, characters "
            f"{c.start}-{c.end})"
        )


def cmd_ask(args) -> int:
    from .answer import Assistant, QuestionError, problem_text

    assistant = Assistant(_settings(args))
    if args.question:
        try:
            answer = assistant.ask(" ".join(args.question))
        except QuestionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False))
        else:
            _print_answer(answer)
        return 0
    # Batch mode: one question per input line, one JSON object per output line, models loaded once. A line is
    # the question as text, or a JSON object {"question": ..., "history": [{"role": ..., "content": ...}, ...]}
    # for a follow-up in a conversation. Undecodable bytes become U+FFFD, so a binary line is still one line in
    # and one object out.
    sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
    for line in sys.stdin:
        question, history = _batch_line(line.rstrip("\r\n"))
        try:
            out = assistant.ask(question, history=history).to_dict()
        except Exception as exc:  # one bad line must not end the batch
            out = {"question": question, "error": problem_text(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _batch_line(line: str):
    """(question, history) of a batch line: a JSON object with "question" (and "history"), or plain text."""
    if line.lstrip().startswith("{"):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            return line, None
        if isinstance(data, dict) and "question" in data:
            return data["question"], data.get("history")
    return line, None


def cmd_eval(args) -> int:
    from .evaluate import DatasetError
    from .report import METRIC_LABELS, fmt
    from .suite import run_suite, write_report

    settings = _settings(args)
    if args.all or args.suite:
        return _eval_suites(args, settings)
    try:
        report = run_suite(
            settings,
            Path(args.dataset),
            None if args.no_gate else Path(args.thresholds),
            baseline=args.baseline,
            progress=not args.quiet,
            split=args.split or "",
        )
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = write_report(report, Path(args.out) if args.out else None)
    base = report.baseline["metrics"] if report.baseline else None
    print(f"{'metric':<52} {'assistant':>10}" + (f" {'vanilla':>10}" if base else ""))
    for name, label in METRIC_LABELS.items():
        print(
            f"{label:<52} {fmt(name, report.metrics.get(name)):>10}"
            + (f" {fmt(name, base.get(name)):>10}" if base else "")
        )
    print(f"\nreport: {out / 'report.html'} (also report.md, report.json)")
    if args.no_gate:
        return 0
    if report.gate_failures:
        print("GATE FAILED:\n  " + "\n  ".join(report.gate_failures), file=sys.stderr)
        return 1
    print("gate passed")
    return 0


def _eval_suites(args, settings: Settings) -> int:
    """Several suites (their own corpora and gates), one report each, and one table side by side."""
    from .answer import Assistant
    from .evaluate import DatasetError
    from .report import METRIC_LABELS, fmt
    from .suite import load_suites, run_suite, suite_settings, write_report

    try:
        suites = load_suites()
        names = list(suites) if args.all else args.suite
        unknown = [n for n in names if n not in suites]
        if unknown:
            print(f"error: no suite {', '.join(unknown)}; suites: {', '.join(suites)}", file=sys.stderr)
            return 2
        reports = {}
        for name in names:
            suite = suites[name]
            scoped = suite_settings(settings, suite)
            assistant = Assistant(scoped)
            thresholds = None if args.no_gate or args.split == "dev" else suite.thresholds
            report = run_suite(
                scoped, suite.dataset, thresholds, progress=not args.quiet, split=args.split or "", assistant=assistant
            )
            out = write_report(report, Path(args.out) / name if args.out else None)
            reports[name] = (report, out)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{'metric':<52}" + "".join(f" {n:>10}" for n in reports))
    for metric, label in METRIC_LABELS.items():
        print(f"{label:<52}" + "".join(f" {fmt(metric, r.metrics.get(metric)):>10}" for r, _ in reports.values()))
    failed = False
    for name, (report, out) in reports.items():
        print(f"{name}: {out / 'report.html'}  gate {report.gate}")
        for failure in report.gate_failures:
            print(f"  GATE FAILED: {failure}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


def cmd_serve(args) -> int:
    from .ui import serve

    settings = _settings(args).with_overrides(host=args.host, port=args.port, auth=args.auth)
    if settings.host not in {"127.0.0.1", "localhost", "::1"} and not settings.auth:
        print(
            f"warning: serving on {settings.host} without --auth: anyone who can reach this machine can ask "
            "questions and read the documents",
            file=sys.stderr,
        )
    serve(settings)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description=__doc__)
    parser.add_argument("--config", help="settings file (default: ./assistant.toml if present)")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, corpus=True):
        if corpus:
            p.add_argument("--corpus", dest="corpus_dir", help="corpus folder (default: corpus/)")
        p.add_argument("--index", dest="index_dir", help="index folder (default: index/)")

    p = sub.add_parser("ingest", help="parse the corpus and update the index (incremental)")
    common(p)
    p.add_argument("--rebuild", action="store_true", help="re-embed everything into a fresh index")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("sections", help="print a document's parsed outline and passages")
    common(p)
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_sections)

    p = sub.add_parser("ask", help="answer a question with citations (no question: JSON lines from stdin)")
    common(p, corpus=False)
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true", help="print the answer object as JSON")
    p.add_argument("--mode", choices=["generative", "extractive"])
    p.add_argument("--backend", choices=list(BACKENDS))
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("eval", help="run the eval questions through the pipeline, report, and gate")
    common(p, corpus=False)
    p.add_argument("--dataset", default="evals/qa.jsonl", help="JSON-lines eval file (default: evals/qa.jsonl)")
    p.add_argument("--thresholds", default="evals/thresholds.toml", help="the gate (default: evals/thresholds.toml)")
    p.add_argument("--no-gate", action="store_true", help="report only; exit 0 whatever the metrics")
    p.add_argument(
        "--suite", action="append", help="a suite of evals/suites.toml (repeatable): its questions, corpus and gate"
    )
    p.add_argument("--all", action="store_true", help="every suite of evals/suites.toml, side by side")
    p.add_argument("--split", choices=["dev", "test"], help="only the questions of one split")
    p.add_argument("--mode", choices=["generative", "extractive"])
    p.add_argument("--backend", choices=list(BACKENDS))
    p.add_argument("--out", help="report folder (default: evals/reports/<time>, linked as evals/reports/latest)")
    p.add_argument("--baseline", action="store_true", help="also run vanilla LlamaIndex and compare")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="the chat UI for billing staff (builds the index first if missing)")
    common(p)
    p.add_argument("--host", help="address to bind (default: 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, help="port (default: 7860)")
    p.add_argument("--auth", help="user:password required to open the UI (also ASSISTANT_AUTH)")
    p.add_argument("--mode", choices=["generative", "extractive"])
    p.add_argument("--backend", choices=list(BACKENDS))
    p.set_defaults(func=cmd_serve)

    # Listed for --help; `main` hands `assistant bench ...` to assistant.bench with its own options.
    sub.add_parser("bench", help="speed and scale against vanilla LlamaIndex (see `assistant bench --help`)")

    p = sub.add_parser("lookup", help="every passage that mentions a code (no LLM)")
    common(p, corpus=False)
    p.add_argument("code")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lookup)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from .bench import main as bench

        return bench(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
