"""The chat UI billing staff use all day: Gradio Blocks over the same `Assistant` as the CLI and the evals.

Tabs: Chat (answers stream in: quotes first, then the verified summary; sources panel with the cited
span highlighted; feedback), Lookup (every passage naming a code), Documents (metadata, outline,
sections), Evals (latest report, run the suite). `ask` and `lookup` are also named API endpoints
returning the answer object as JSON, for `gradio_client` and scripts.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from html import escape
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # no calls home from a machine holding PHI

import gradio as gr

from .answer import Assistant, QuestionError, problem_text
from .config import Settings
from .views import CSS, chat_text, document_html, lookup_html, section_html, sources_html

EXAMPLES = [
    "Does Cigna cover 0581T?",
    "Which modifier for a discontinued 0686T after anesthesia?",
    "What is ICD-10 C78.7?",
    "When did the ProSense Cryoablation System receive FDA De Novo authorization?",
    "What is the typical site of service for 0971T?",
]


def conversation(answers: list[dict]) -> list[dict]:
    """The chat so far as turns for the assistant: each earlier question and the answer it got."""
    turns: list[dict] = []
    for shown in answers or []:
        if shown.get("question") and shown.get("answer"):
            turns += [{"role": "user", "content": shown["question"]}, {"role": "assistant", "content": shown["answer"]}]
    return turns


class UI:
    """The handlers behind the app; plain methods, so they are testable without a browser."""

    def __init__(self, assistant: Assistant, settings: Settings):
        self.assistant = assistant
        self.settings = settings
        self._feedback_lock = threading.Lock()
        self._eval_lock = threading.Lock()

    @property
    def retriever(self):
        return self.assistant.retriever

    def _passage_of(self, citation: dict):
        return self.retriever.passage_at(citation["document"], citation["start"], citation["end"])

    # ---- chat ---------------------------------------------------------------------------------------
    def respond(self, message: str, history: list, answers: list):
        """Stream one turn: (chat history, sources panel, answers so far, what stays in the input box).

        The chat sanitises HTML but would still drop what looks like a tag; escaped, it shows as typed."""
        history = list(history or []) + [{"role": "user", "content": escape(message or "")}]
        answers = list(answers or [])
        try:
            for answer in self.assistant.stream(message, history=conversation(answers)):
                shown = answer.to_dict()
                yield (
                    history + [{"role": "assistant", "content": escape(chat_text(shown))}],
                    sources_html(shown, self._passage_of),
                    answers + [shown],
                    "",
                )
        except QuestionError as exc:  # empty, too long, not text: say what to change, keep the text to edit
            shown = {"question": message, "error": str(exc)}
            yield (
                history + [{"role": "assistant", "content": escape(f"Cannot ask this: {exc}.")}],
                sources_html(shown),
                answers + [shown],
                message if (message or "").strip() else "",
            )
        except Exception as exc:  # a fault must read as a message, never a traceback
            shown = {"question": message, "error": problem_text(exc)}
            yield (
                history + [{"role": "assistant", "content": escape(f"Cannot answer right now: {shown['error']}.")}],
                sources_html(shown),
                answers + [shown],
                message,
            )

    def record_feedback(self, rating: str, correction: str, answers: list) -> str:
        """Append feedback on the latest answer to the feedback file, in the eval dataset's format."""
        if not answers or "answer" not in answers[-1]:
            return "Ask a question first; feedback applies to the latest answer."
        answer = answers[-1]
        stamp = datetime.now(UTC)
        record = {
            "id": f"feedback-{stamp.strftime('%Y%m%dT%H%M%S%fZ')}",
            "question": answer["question"],
            "expected_facts": [],  # a reviewer writes these before promoting the line into evals/qa.jsonl
            "expected_sources": [
                {"document": c["document"], "section": c["section"]} for c in answer.get("citations", [])
            ]
            if rating == "up"
            else [],
            "answerable": not answer.get("abstained", False),
            "category": "feedback",
            "notes": (correction or "").strip(),
            "feedback": {
                "rating": rating,
                "answer": answer["answer"],
                "time": stamp.isoformat(timespec="seconds"),
                "citations": answer.get("citations", []),
            },
        }
        path = Path(self.settings.feedback_file)
        with self._feedback_lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
        return f"Thank you: feedback saved to {path} for review."

    # ---- API ------------------------------------------------------------------------------------------
    def ask_api(self, question: str, history: list[dict] | None = None) -> dict:
        """Answer a billing question from the documents: the answer object, with citations. `history` is the
        conversation so far ([{"role": "user" | "assistant", "content": ...}]) for a follow-up question."""
        try:
            return self.assistant.ask(question, history=history).to_dict()
        except Exception as exc:  # the caller gets the answer object's error field, never a traceback
            return {"question": question, "error": problem_text(exc)}

    def lookup_api(self, code: str) -> list[dict]:
        """Every passage that mentions a code (CPT/HCPCS, ICD-10, modifier, taxonomy), in document order."""
        documents = self.retriever.documents
        return [
            {
                "document": p.document,
                "title": documents[p.document].label,
                "section": p.section_path,
                "quote": p.text,
                "start": p.start,
                "end": p.end,
                "decision": p.decision,
            }
            for p in self.retriever.lookup(code or "")
        ]

    # ---- lookup and documents ---------------------------------------------------------------------------
    def lookup_page(self, code: str) -> str:
        passages = self.retriever.lookup(code) if (code or "").strip() else []
        return lookup_html(code or "", passages, self.retriever.documents)

    def document_ids(self) -> list[tuple[str, str]]:
        """(label staff recognise, document id) for the picker, by payer then title."""
        self.retriever.refresh()
        docs = sorted(self.retriever.documents.values(), key=lambda d: (d.payer or "~", d.title.lower()))
        return [(d.label, d.id) for d in docs]

    def open_document(self, doc_id: str):
        passages = self.retriever.document_passages(doc_id) if doc_id else []
        sections = list(dict.fromkeys(p.section_path for p in passages))
        return (
            document_html(self.retriever.documents.get(doc_id), passages),
            gr.update(choices=sections, value=sections[0] if sections else None),
        )

    def open_section(self, doc_id: str, section: str) -> str:
        return section_html(self.retriever.document_passages(doc_id) if doc_id else [], section or "")

    # ---- evals ---------------------------------------------------------------------------------------
    def eval_summary(self) -> str:
        from .report import METRIC_LABELS, fmt
        from .suite import latest_report

        report = latest_report()
        if report is None:
            return "<p>No eval report yet: run the suite below (or <code>assistant eval</code>).</p>"
        gate = report.get("gate") or ("PASSED" if report.get("passed_gate") else "FAILED")
        rows = "".join(
            f"<tr><td>{escape(label)}</td><td>{escape(fmt(name, report['metrics'].get(name)))}</td></tr>"
            for name, label in METRIC_LABELS.items()
        )
        failures = "".join(f"<li>{escape(f)}</li>" for f in report.get("gate_failures", []))
        return (
            f"<p>Latest report: {escape(report['created'])} on <code>{escape(report['dataset'])}</code>, "
            f"{escape(report['pipeline']['backend'])} backend. Gate <b>{gate}</b>.</p><ul>{failures}</ul>"
            f"<table class='meta'>{rows}</table>"
        )

    def run_evals(self, progress=gr.Progress()) -> str:  # noqa: B008  (how Gradio injects its progress bar)
        from .suite import DEFAULT_DATASET, DEFAULT_THRESHOLDS, run_suite, write_report

        if not self._eval_lock.acquire(blocking=False):
            return "<p>An eval run is already going; its report will show here when it ends.</p>" + self.eval_summary()
        try:

            def tick(done: int, total: int, label: str) -> None:
                progress((done, total), desc=f"{label}: question {done} of {total}")

            report = run_suite(
                self.settings,
                DEFAULT_DATASET,
                DEFAULT_THRESHOLDS,
                progress=False,
                callback=tick,
                assistant=self.assistant,
            )
            write_report(report)
        finally:
            self._eval_lock.release()
        return self.eval_summary()


def build(ui: UI) -> gr.Blocks:
    with gr.Blocks(title="Billing documents assistant") as app:
        gr.Markdown(
            "## Billing documents assistant\nAnswers come **only** from the documents, with the "
            "section and the quoted text. When the documents do not say, it tells you so."
        )
        answers = gr.State([])
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chat = gr.Chatbot(
                        label="Conversation",
                        height=460,
                        render_markdown=False,
                        feedback_options=None,
                        buttons=["copy"],
                        elem_id="chat",
                    )
                    question = gr.Textbox(
                        label="Question",
                        placeholder="e.g. Does Cigna cover 0581T?",
                        lines=1,
                        max_lines=4,
                        elem_id="question",
                    )
                    with gr.Row():
                        send = gr.Button("Ask", variant="primary", elem_id="ask")
                        clear = gr.Button("New conversation")
                    gr.Examples(EXAMPLES, inputs=question, label="Example questions")
                with gr.Column(scale=2):
                    sources = gr.HTML(sources_html({}), elem_id="sources")
                    with gr.Accordion("Was this answer right?", open=False):
                        correction = gr.Textbox(label="Correction or comment (optional)", lines=2)
                        with gr.Row():
                            thumbs_up = gr.Button("👍 Right", size="sm")
                            thumbs_down = gr.Button("👎 Wrong", size="sm")
                        feedback_status = gr.Markdown()
            for trigger in (send.click, question.submit):
                trigger(
                    ui.respond,
                    inputs=[question, chat, answers],
                    outputs=[chat, sources, answers, question],
                    api_visibility="private",
                )
            clear.click(
                lambda: ([], sources_html({}), [], ""),
                outputs=[chat, sources, answers, question],
                api_visibility="private",
            )
            for button, rating in ((thumbs_up, "up"), (thumbs_down, "down")):
                button.click(
                    lambda text, ans, r=rating: ui.record_feedback(r, text, ans),
                    inputs=[correction, answers],
                    outputs=feedback_status,
                    api_visibility="private",
                )
        with gr.Tab("Lookup"):
            code = gr.Textbox(label="Code", placeholder="0581T, C78.7, 74, 207K00000X", elem_id="code")
            find = gr.Button("Find every mention", variant="primary")
            found = gr.HTML(lookup_html("", []))
            find.click(ui.lookup_page, inputs=code, outputs=found, api_visibility="private")
            code.submit(ui.lookup_page, inputs=code, outputs=found, api_visibility="private")
        with gr.Tab("Documents"):
            document = gr.Dropdown(label="Document", choices=ui.document_ids(), value=None)
            details = gr.HTML(document_html(None, []))
            section = gr.Dropdown(label="Section", choices=[], value=None)
            text = gr.HTML()
            document.change(ui.open_document, inputs=document, outputs=[details, section], api_visibility="private")
            section.change(ui.open_section, inputs=[document, section], outputs=text, api_visibility="private")
        with gr.Tab("Evals"):
            summary = gr.HTML(ui.eval_summary())
            run = gr.Button("Run the eval suite")
            run.click(ui.run_evals, outputs=summary, concurrency_limit=1, api_visibility="private")
        app.load(
            lambda: (gr.update(choices=ui.document_ids()), ui.eval_summary()),
            outputs=[document, summary],
            api_visibility="private",
        )
        gr.api(ui.ask_api, api_name="ask")
        gr.api(ui.lookup_api, api_name="lookup")
    return app


def load_assistant(settings: Settings, progress: bool = True) -> Assistant:
    """The assistant over the index, building the index first when it is missing or damaged."""
    from .ingest import ingest
    from .store import IndexDamaged, IndexMissing

    try:
        return Assistant(settings)
    except (IndexMissing, IndexDamaged) as exc:
        print(f"{exc}; building it from {settings.corpus_dir}/ now")
        print(ingest(settings, rebuild=isinstance(exc, IndexDamaged), progress=progress).summary())
        return Assistant(settings)


def serve(settings: Settings) -> None:
    app = build(UI(load_assistant(settings), settings))
    app.queue(default_concurrency_limit=settings.concurrency, max_size=settings.max_queue)
    user, _, password = settings.auth.partition(":")
    auth = (user, password) if settings.auth else None
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        auth=auth,
        css=CSS,
        show_error=False,
        share=False,
        footer_links=["api"],
        ssr_mode=False,
        quiet=False,
    )
