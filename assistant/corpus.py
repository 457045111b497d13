"""The corpus: source files -> documents with metadata and passages with section paths.

The file stem is the document id everywhere (citations, evals, the index).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from . import codes as code_rules
from .parsing import parse_layout
from .payers import publisher_of
from .text import canonical, sentence_spans
from .types import Document, ParsedDocument, Passage

TEXT_SUFFIXES = {".txt", ".md"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters that plain text does not carry


class BadFile(Exception):
    """A source file that cannot be ingested; the message says why, in words a user can act on."""


def read_text(path: Path, max_bytes: int) -> str:
    """The text of a source file, or BadFile with the reason it cannot be used."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BadFile(f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        if path.suffix.lower() in PDF_SUFFIXES:
            return pdf_text(path)
        data = path.read_bytes()
    except PermissionError:
        raise BadFile("cannot be read (permission denied)") from None
    except OSError as exc:
        raise BadFile(f"cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise BadFile("empty file")
    if b"\x00" in data[:8192]:
        raise BadFile("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); save it as UTF-8 and ingest again"
        ) from None
    controls = len(_CONTROL.findall(text, 0, 8192))
    if controls > 0.05 * min(len(text), 8192):
        raise BadFile("binary file, not text")
    return text


def pdf_text(path: Path) -> str:
    """Text of a PDF, one line per text block, so the layout parsers see paragraphs and table rows."""
    import pymupdf

    try:
        pdf = pymupdf.open(path)
    except Exception as exc:  # PyMuPDF raises its own types for broken files
        raise BadFile(f"not a readable PDF ({exc})") from None
    blocks: list[str] = []
    with pdf:
        for page in pdf:
            # Ligatures expanded ("ﬁ" -> "fi") so PDF text matches what people type and what the .txt says.
            flags = pymupdf.TEXTFLAGS_BLOCKS & ~pymupdf.TEXT_PRESERVE_LIGATURES
            page_blocks = [b[4] for b in page.get_text("blocks", sort=True, flags=flags) if b[6] == 0]
            for k, block in enumerate(page_blocks):
                line = _join_wrapped(block.splitlines())
                if not line:
                    continue
                if k == 0 and blocks and _continues(blocks[-1], line):
                    blocks[-1] += " " + line  # a paragraph the page break cut in two
                else:
                    blocks.append(line)
    if not "".join(blocks).strip():
        raise BadFile("PDF has no extractable text (scanned image?)")
    return "\n".join(blocks) + "\n"


def _join_wrapped(lines: list[str]) -> str:
    """Lines a PDF wrapped back into one; a wrap after a hyphen ("pre-" / "procedure") adds no space."""
    out = ""
    for part in (line.strip() for line in lines):
        if not part:
            continue
        out += part if (out.endswith("-") and out[-2:-1].isalpha()) or not out else " " + part
    return out


def _continues(previous: str, line: str) -> bool:
    return not previous.rstrip().endswith((".", ":", "!", "?", "|")) or line[:1].islower()


def parse_document(path: Path, max_bytes: int = 20_000_000) -> ParsedDocument:
    text = read_text(path, max_bytes)
    return parse_text(path.stem, text, source=path.name)


def text_sha256(text: str) -> str:
    """The fingerprint of a document's text: unchanged fingerprint, unchanged passages."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_text(doc_id: str, text: str, source: str | None = None) -> ParsedDocument:
    layout = parse_layout(text, fallback_title=doc_id)
    payer, publisher = (
        publisher_of([(text[:3000], 3.0), (text, 1.0)]) if layout.kind == "coverage-policy" else (None, None)
    )
    document = Document(
        id=doc_id,
        title=layout.title,
        kind=layout.kind,
        source=source or f"{doc_id}.txt",
        sha256=text_sha256(text),
        code=layout.meta.get("code"),
        payer=payer,
        publisher=publisher,
        policy_number=layout.meta.get("policy_number"),
        effective_date=layout.meta.get("effective_date"),
        next_review_date=layout.meta.get("next_review_date"),
    )
    passages = []
    for ordinal, raw in enumerate(layout.passages):
        found = [c.value for c in code_rules.find_codes(raw.text)]
        if raw.key_code and raw.key_code not in found:
            found.insert(0, raw.key_code)
        passages.append(
            Passage(
                doc_id,
                ordinal,
                raw.section,
                raw.text,
                raw.start,
                raw.end,
                raw.kind,
                raw.header,
                tuple(found),
                raw.truncated,
                raw.lead,
                raw.boilerplate,
                _sentence_map(text, raw),
            )
        )
    return ParsedDocument(document, passages, text)


def _sentence_map(source: str, raw) -> tuple[tuple[int, int, int, int], ...]:
    if raw.kind in {"row", "table-header", "front-matter"}:
        return ((0, len(raw.text), raw.start, raw.end),)
    found, cursor = [], 0
    for s, e in sentence_spans(source[raw.start : raw.end], offset=raw.start):
        quote = canonical(source[s:e])
        pos = raw.text.find(quote, cursor)
        if quote and pos >= 0:
            found.append((pos, pos + len(quote), s, e))
            cursor = pos + len(quote)
    return tuple(found) or ((0, len(raw.text), raw.start, raw.end),)


def corpus_files(folder: Path) -> list[Path]:
    """Source files in a corpus folder, sorted for a stable ingest order; hidden files are skipped.
    A broken link is listed too, so that ingest names it as unreadable instead of passing over it."""
    return sorted(
        p
        for p in folder.rglob("*")
        if (p.is_file() or p.is_symlink())
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
