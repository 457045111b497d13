"""The corpus: source files -> documents with metadata and passages with section paths and positions.

read (readers: any format to text) -> structure (parsing: sections, passages, header fields) -> what the
document is (metadata: title, payer, kind, number, dates) -> what it decides (positions). The file stem is
the document id everywhere (citations, evals, the index).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from . import codes as code_rules
from .docx_reader import docx_source
from .html_reader import html_source
from .markdown_layout import marks_headings, read_markdown
from .metadata import read_metadata
from .parsing import HEADER_SECTION, Builder, Layout, RawPassage, mark_boilerplate, plain
from .pdf_reader import pdf_source
from .positions import position_of
from .readers import (
    FORMATS,
    UNSUPPORTED,
    BadFile,
    Source,
    _looks_like_html,
    decode,
    front_matter,
    paged_text,
    without_ligatures,
)
from .text import sentence_spans
from .text_layout import _CODE_TITLE, _ITEM, read_text_layout
from .types import Document, ParsedDocument, Passage

__all__ = ["BadFile", "corpus_files", "parse_document", "parse_source", "parse_text", "read_source"]

# Sections every publisher wraps its content in: cited when asked for, ranked below the policy itself.
_WRAPPER = re.compile(
    r"\b(references?|bibliography|sources? of information|disclaimer|instructions for use|notice|legal|"
    r"copyright|cookie|site map|terms of use|privacy)\b",
    re.I,
)


def file_digest(path: Path, max_bytes: int) -> str:
    """sha256 of a file's bytes, to tell an unchanged file without reading it as a document."""
    return hashlib.sha256(_bytes(path, max_bytes)).hexdigest()


def _bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadFile(f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        return path.read_bytes()
    except PermissionError:
        raise BadFile("cannot be read (permission denied)") from None
    except OSError as exc:
        raise BadFile(f"cannot be read ({exc.strerror or exc})") from None


# Sections that record a document's past ("Policy History", "Revision Details"): a decision named there is
# what changed, not the policy's position.
_HISTORY = re.compile(r"\b(history|revision|revisions|change summary|changes|updates?|archived|version)\b", re.I)
_REFERENCES = re.compile(r"^(?:references?|bibliography|sources? of information)\b", re.I)


def read_source(path: Path, max_bytes: int) -> Source:
    """The text of a source file in any supported format, or BadFile with the reason it cannot be used."""
    source = _read(path, max_bytes)
    source.text, source.running = without_ligatures(source.text), without_ligatures(source.running)
    source.digest = file_digest(path, max_bytes)
    return source


def _read(path: Path, max_bytes: int) -> Source:
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise BadFile(f"not a supported format: {UNSUPPORTED[suffix]}")
    if suffix and suffix not in FORMATS and not _maybe_text(path):
        raise BadFile(f"not a supported format ({suffix}): save it as PDF, Word (.docx), HTML or text")
    data = _bytes(path, max_bytes)
    if not data.strip():
        raise BadFile("empty file")
    kind = FORMATS.get(suffix, "text")
    if kind == "pdf" or data.startswith(b"%PDF-"):
        return pdf_source(data)
    if kind == "docx" or (data.startswith(b"PK\x03\x04") and b"word/" in data[:4000]):
        return docx_source(data)
    text = decode(data)
    if kind == "html" or (kind == "text" and _looks_like_html(text)):
        return html_source(text)
    text, declared = front_matter(text) if kind == "markdown" else (text, "")
    source = paged_text(text, kind)
    return replace(source, title_hint=declared) if declared else source


def _maybe_text(path: Path) -> bool:
    """A file with an unknown suffix is read only if it looks like text (a '.txt' saved as '.policy')."""
    try:
        head = path.read_bytes()[:4096]
    except OSError:
        return True  # let read_source name the problem
    return bool(head) and b"\x00" not in head and not head.startswith((b"%PDF", b"PK\x03\x04"))


def parse_document(path: Path, max_bytes: int = 20_000_000) -> ParsedDocument:
    return parse_source(path.stem, read_source(path, max_bytes), source_name=path.name)


def parse_text(doc_id: str, text: str, source: str | None = None, format: str = "text") -> ParsedDocument:
    """A document from text already in hand (plain text, or Markdown with format="markdown")."""
    return parse_source(doc_id, Source(text, format), source_name=source or f"{doc_id}.txt")


def text_sha256(text: str) -> str:
    """The fingerprint of a document's text: unchanged fingerprint, unchanged passages."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def layout_of(source: Source) -> Layout:
    builder = Builder(source.text)
    plain = source.format == "text" or (source.format == "markdown" and not marks_headings(source.text))
    (read_text_layout if plain else read_markdown)(builder)
    layout = builder.layout()
    mark_boilerplate(layout)
    for raw in layout.passages:
        if _WRAPPER.search(raw.section[-1]) or _REFERENCES.search(raw.section[0]):
            raw.boilerplate = True
    return layout


def parse_source(doc_id: str, source: Source, source_name: str | None = None) -> ParsedDocument:
    text = source.text
    layout = layout_of(source)
    code_title = _code_title(layout.passages)
    meta = read_metadata(doc_id, text, source, layout, code_title[1] if code_title else None)
    document = Document(
        id=doc_id,
        title=code_title[0] if code_title else meta.title,
        kind=meta.kind,
        source=source_name or f"{doc_id}.txt",
        sha256=source.digest or text_sha256(text),
        code=meta.code,
        payer=meta.payer,
        publisher=meta.publisher,
        policy_number=meta.policy_number,
        effective_date=meta.effective_date,
        last_review_date=meta.last_review_date,
        next_review_date=meta.next_review_date,
        format=source.format,
        original_effective_date=meta.original_effective_date,
    )
    passages = []
    for raw in layout.passages:  # a header read before any heading belongs to the document's title
        if raw.section == (HEADER_SECTION,):
            raw.section = (document.title,)
    for ordinal, raw in enumerate(layout.passages):
        found = [c.value for c in code_rules.find_codes(raw.text)]
        if raw.key_code and raw.key_code not in found:
            found.insert(0, raw.key_code)
        historical = any(_HISTORY.search(heading) for heading in raw.section)
        decision, about = (
            ("", "") if raw.boilerplate or historical else position_of(raw.text, raw.kind, raw.section, raw.lead)
        )
        passages.append(
            Passage(
                document=doc_id,
                ordinal=ordinal,
                section=raw.section,
                text=raw.text,
                start=raw.start,
                end=raw.end,
                kind=raw.kind,
                header=raw.header,
                codes=tuple(found),
                truncated=raw.truncated,
                lead=raw.lead,
                boilerplate=raw.boilerplate,
                sentences=_sentence_map(text, raw),
                decision=decision,
                about=about,
            )
        )
    return ParsedDocument(document, passages, text)


def _code_title(passages: list[RawPassage]) -> tuple[str, str] | None:
    """(title, code) of a summary about one code: its first lines name it ("CPT 0686T: Image-Guided ...")."""
    for raw in passages[:3]:
        if raw.kind == "front-matter" and _CODE_TITLE.match(raw.text):
            codes = code_rules.find_codes(raw.text)
            if codes:
                return raw.text, codes[0].value
    return None


def _sentence_map(source: str, raw: RawPassage) -> tuple[tuple[int, int, int, int], ...]:
    """(text_start, text_end, source_start, source_end) of each quotable unit of a passage: its sentences,
    or, in a list, its lead-in and each item."""
    if raw.kind in {"row", "table-header", "front-matter"}:
        return ((0, len(raw.text), raw.start, raw.end),)
    spans = _item_spans(source, raw) if raw.kind == "list" else sentence_spans(source[raw.start : raw.end], raw.start)
    found, cursor = [], 0
    for s, e in spans:
        quote = plain(source[s:e])
        pos = raw.text.find(quote, cursor)
        if quote and pos >= 0:
            found.append((pos, pos + len(quote), s, e))
            cursor = pos + len(quote)
    return tuple(found) or ((0, len(raw.text), raw.start, raw.end),)


# An item of a list a manual numbers in outline under its lead-in ("4.1.3 Laser-Assisted Uvulopalatoplasty ...").
_OUTLINE_ITEM = re.compile(r"\d{1,2}(?:\.\d{1,2}){2,}\.?\s")


def _item_spans(source: str, raw: RawPassage) -> list[tuple[int, int]]:
    """A list's lead-in and each of its items (with the lines that continue it) as spans."""
    spans: list[tuple[int, int]] = []
    pos = raw.start
    for line in source[raw.start : raw.end].splitlines(keepends=True):
        body = line.rstrip("\n")
        if body.strip():
            start, end = pos + len(body) - len(body.lstrip()), pos + len(body.rstrip())
            item = _ITEM.match(body) or _ITEM.match(body.strip()) or _OUTLINE_ITEM.match(body.strip())
            if spans and not item and not body.rstrip().endswith(":"):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
        pos += len(line)
    return spans


def corpus_files(folder: Path) -> list[Path]:
    """Every file in a corpus folder, sorted for a stable ingest order; hidden files are skipped. Files of a
    format that cannot be read are listed too, so that ingest names them instead of passing over them."""
    return sorted(
        p
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink()) and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
