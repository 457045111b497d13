"""HTML for people: answers, their sources, code lookups and documents.

Every piece of document or answer text goes through `escape` here, so a line such as
`<script>…</script>` in a source file shows as text in the UI and never runs.
"""

from __future__ import annotations

from html import escape

from .types import DECISION_WORDS, Document, Passage

CSS = """
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600;margin-right:6px}
.badge.verified{background:#d3f0dd;color:#11693b}.badge.quotes{background:#fdefc3;color:#7a4d00}
.badge.abstained{background:#e4e4e7;color:#3f3f46}.badge.error{background:#fbd5d5;color:#8a1c1c}
.sources details{border:1px solid #ddd;border-radius:6px;padding:6px 10px;margin:6px 0}
.sources summary{cursor:pointer;font-weight:600}.sources .where{color:#555;font-weight:400}
.sources blockquote,.passage{margin:6px 0;padding:6px 10px;border-left:3px solid #bbb;white-space:pre-wrap}
.sources mark,.passage mark{background:#fff3a3;padding:0 1px}
.meta td{padding:2px 10px 2px 0}.outline li{margin:2px 0}.notice{color:#7a4d00}
"""


def _badge(answer: dict) -> str:
    if answer.get("error") and not answer.get("citations"):
        return "<span class='badge error'>Error</span>"
    if answer.get("abstained"):
        return "<span class='badge abstained'>Not in the documents</span>"
    if answer.get("mode") == "generative" and not answer.get("notice"):
        return "<span class='badge verified'>Verified summary + quotes</span>"
    return "<span class='badge quotes'>Quoted passages only</span>"


def highlighted(passage: Passage | None, quote: str) -> str:
    """The passage a quote comes from, escaped, with the quoted span marked."""
    if passage is None or quote not in passage.text:
        return f"<mark>{escape(quote)}</mark>"
    before, _, after = passage.text.partition(quote)
    return f"{escape(before)}<mark>{escape(quote)}</mark>{escape(after)}"


def sources_html(answer: dict, passage_of=lambda citation: None) -> str:
    """The sources panel: a badge, the notice, then each citation as document › section, opening to its
    passage with the cited span highlighted. `passage_of(citation)` finds the passage for the context."""
    if not answer:
        return "<div class='sources'><p>Sources of the answer appear here.</p></div>"
    parts = [f"<div class='sources'><p>{_badge(answer)}</p>"]
    if answer.get("notice"):
        parts.append(f"<p class='notice'>{escape(answer['notice'])}</p>")
    citations = answer.get("citations", [])
    if citations:
        title = "Nearest sections" if answer.get("abstained") else "Sources"
        parts.append(f"<h4>{title}</h4>")
    for c in citations:
        parts.append(
            f"<details class='citation'><summary>[{c['n']}] {escape(c.get('title') or c['document'])} "
            f"<span class='where'>› {escape(c['section'])}</span></summary>"
            f"<blockquote>{highlighted(passage_of(c), c['quote'])}</blockquote>"
            f"<small>{escape(c['document'])}, characters {c['start']}–{c['end']}</small></details>"
        )
    parts.append("</div>")
    return "".join(parts)


def chat_text(answer: dict) -> str:
    """The answer as the chat bubble shows it (plain text: the chat does not render markup)."""
    text = answer.get("answer") or answer.get("error", "")
    lead = [f"({note})" for note in answer.get("notes") or []]
    if answer.get("resolved_question"):
        lead.insert(0, f"Answering: {answer['resolved_question']}")
    if lead:
        text = "\n".join(lead) + "\n" + text
    if answer.get("notice"):
        text += f"\n\n({answer['notice']})"
    return text


def lookup_html(code: str, passages: list[Passage], documents: dict[str, Document] | None = None) -> str:
    if not code.strip():
        return "<p>Type a code: CPT/HCPCS (0581T), ICD-10 (C78.7), modifier (74), taxonomy (207K00000X).</p>"
    if not passages:
        return f"<p>No passage in the documents mentions <b>{escape(code.strip())}</b>.</p>"
    documents = documents or {}
    count = "1 passage mentions" if len(passages) == 1 else f"{len(passages)} passages mention"
    parts = [f"<p>{count} <b>{escape(code.strip())}</b>.</p><div class='sources'>"]
    current = None
    for p in passages:
        key = (p.document, p.section_path)
        if key != current:
            if current is not None:
                parts.append("</details>")
            current = key
            title = documents[p.document].label if p.document in documents else p.document
            parts.append(
                f"<details open><summary>{escape(title)} <span class='where'>› {escape(p.section_path)}</span>"
                f"</summary>"
            )
        decision = f" <span class='badge quotes'>{escape(DECISION_WORDS[p.decision])}</span>" if p.decision else ""
        parts.append(f"<blockquote>{escape(p.text)}{decision}</blockquote>")
    parts.append("</details></div>")
    return "".join(parts)


def document_html(document: Document | None, passages: list[Passage]) -> str:
    """A document's metadata, its coverage positions and its section outline with passage counts."""
    if document is None:
        return "<p>Pick a document.</p>"
    rows = [
        ("Title", document.title),
        ("Payer", document.payer or "not found in the document"),
        ("Publisher", document.publisher),
        ("Kind", document.kind),
        ("Policy number", document.policy_number),
        ("Code", document.code),
        ("Effective date", document.effective_date),
        ("Last review", document.last_review_date),
        ("Next review", document.next_review_date),
        ("Source file", f"{document.source} ({document.format})"),
        ("Document id", document.id),
    ]
    meta = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(str(v))}</td></tr>" for k, v in rows if v)
    positions = "".join(
        f"<li><b>{escape(DECISION_WORDS[p.decision])}</b>: {escape(p.about or p.text[:160])} "
        f"<small>({escape(p.section_path)})</small></li>"
        for p in passages
        if p.decision
    )
    counts: dict[str, int] = {}
    cut: set[str] = set()
    for p in passages:
        counts[p.section_path] = counts.get(p.section_path, 0) + 1
        if p.truncated:
            cut.add(p.section_path)
    outline = "".join(
        f"<li>{escape(s)} <small>({n} passage{'s' if n != 1 else ''}"
        f"{'; cut off in the source' if s in cut else ''})</small></li>"
        for s, n in counts.items()
    )
    return (
        f"<table class='meta'>{meta}</table><h4>Coverage positions</h4>"
        f"<ul class='outline'>{positions or '<li>None stated.</li>'}</ul>"
        f"<h4>Sections</h4><ul class='outline'>{outline}</ul>"
    )


def section_html(passages: list[Passage], section: str) -> str:
    chosen = [p for p in passages if p.section_path == section]
    if not chosen:
        return "<p>Pick a section.</p>"
    body = "".join(
        f"<div class='passage'>{escape(p.text)}{' <i>(cut off in the source)</i>' if p.truncated else ''}</div>"
        for p in chosen
    )
    return f"<h4>{escape(section)}</h4>{body}"
