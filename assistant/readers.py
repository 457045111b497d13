"""What every format reader shares: the Source it returns, BadFile, decoding, and running-line detection.

Source files of any format become one text the structural parser reads.

Text and Markdown are decoded (any common charset); HTML, PDF and Word files are converted to Markdown
(headings as `#`, tables as pipe rows, lists as `-`/`1.` items), which is then the document's text: every
citation's offsets point into it. What a publisher repeats around the content (site menus, page headers and
footers) is left out of the text but kept as `running` text, where the publisher's name usually is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

TEXT_SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html"}
PDF_SUFFIXES = {".pdf": "pdf"}
DOCX_SUFFIXES = {".docx": "docx"}
FORMATS = TEXT_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES
SUPPORTED_SUFFIXES = set(FORMATS)
# Formats staff save that cannot be read: named in the ingest summary with what to do instead.
UNSUPPORTED = {
    ".doc": "an old Word file (.doc): save it as .docx or PDF",
    ".rtf": "a rich-text file: save it as .docx, PDF or text",
    ".xls": "a spreadsheet",
    ".xlsx": "a spreadsheet",
    ".csv": "a spreadsheet export",
    ".ppt": "a slide deck",
    ".pptx": "a slide deck",
    ".png": "an image (scanned pages need OCR first)",
    ".jpg": "an image (scanned pages need OCR first)",
    ".jpeg": "an image (scanned pages need OCR first)",
    ".tif": "an image (scanned pages need OCR first)",
    ".tiff": "an image (scanned pages need OCR first)",
    ".zip": "an archive: unpack it into the corpus folder",
    ".msg": "an e-mail file: save its attachment",
    ".eml": "an e-mail file: save its attachment",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters that text does not carry
# Typeset ligatures ("ﬀ", "ﬁ", "ﬂ") a PDF's fonts hand back as one character: "Eﬀective Date" is a label only
# when it reads "Effective Date", and a search for "certification" should find "certiﬁcation".
_LIGATURES = str.maketrans({chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)})


def without_ligatures(text: str) -> str:
    return text.translate(_LIGATURES)


# What a print view or a document viewer titles its window ("Print Policy", "Printer-Friendly Version", "PDF
# Viewer"): the wrapper's words around whatever it shows, no document's name.
_VIEWER_WORDS = {"print", "printer", "printable", "viewer", "preview", "view", "popup"}
_WRAPPER_WORDS = _VIEWER_WORDS | {"friendly", "version", "page", "window", "document", "policy", "pdf", "mode", "this"}


def viewer_title(text: str) -> bool:
    words = set(re.findall(r"[a-z]+", text.casefold()))
    return bool(words & _VIEWER_WORDS) and words <= _WRAPPER_WORDS


class BadFile(Exception):
    """A source file that cannot be ingested; the message says why, in words a user can act on."""


@dataclass
class Source:
    text: str  # what the document says, as text or Markdown; citations point into it
    format: str  # text | markdown | html | pdf | docx
    title_hint: str = ""  # a title the file itself declares (<title>, the PDF's or Word file's properties)
    running: str = field(default="", repr=False)  # page headers and footers, site banner and footer
    digest: str = ""  # sha256 of the file's bytes: unchanged file, unchanged document


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 when it is, else the charset a detector finds (Windows-1252, Latin-1 ...)."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadFile("binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise BadFile("binary file, not text (no text encoding fits it)") from None
        text = str(best)
    controls = len(_CONTROL.findall(text, 0, 8192))
    if controls > 0.05 * min(len(text), 8192):
        raise BadFile("binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def repeated_lines(pages: list[list[str]], edge: int = 3, reach: int = 8) -> set[str]:
    """Lines a publisher prints on most pages (running headers and footers): among the first and last
    `edge` lines of each page, those whose digit-free form recurs on at least half the pages (and twice).
    A running block may be longer (title, three dates, policy number and "Page 2 of 4": six lines): a line
    with words in it among the first or last `reach` lines of nearly every page (three in four) is one too;
    "|---|---|" rules and a table's header row continued onto some pages are not."""
    if len(pages) < 2:
        return set()

    def recurring(sample, floor: int) -> set[str]:
        seen: Counter[str] = Counter()
        for lines in pages:
            seen.update({digitless(line) for line in sample(lines) if line.strip()})
        return {key for key, count in seen.items() if count >= floor}

    found = recurring(lambda lines: lines[:edge] + lines[-edge:], max(2, len(pages) // 2))
    nearly_all = max(2, math.ceil(0.75 * len(pages)))
    block = recurring(lambda lines: lines[:reach] + lines[-reach:], nearly_all)
    # A running line has words ("Page # of #") or none ("- # -"); "N/A" and "Yes" are a header block's values, and
    # "1." or "(2)" set apart from its item is a list's number, at a page's edge when a list is.
    return {
        key
        for key in found | block
        if (re.search(r"[a-z]{2}", key) or not re.search(r"[a-z]", key)) and not _LIST_NUMBER.match(key)
    } - {"yes", "no"}


_LIST_NUMBER = re.compile(r"^\(?#[.)]$")


def digitless(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def is_repeated(line: str, repeated: set[str]) -> bool:
    return digitless(line) in repeated


# The words a heading cannot end on ("Ablation of", "Nerves for", "... Delivery to the"): it goes on in the line
# below, in a PDF's heading type or a pasted text's next line; an article only in lower case ("Appendix A",
# "Medicare Part A" end where they stand).
OPEN_END = re.compile(r"(?:\b(?i:of|for|and|or|the|in|with|to|on|by)|\b(?:a|an)|\s&)\s*$")

# A page number standing as a line ("Page: 1 of 4"): a running line that is never the document's own header.
PAGE_NUMBER = re.compile(r"\s*page\s*:?\s*\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.I)


# A Markdown file's front matter: a block of "key: value" lines fenced by "---" lines at its very top (as wikis,
# static-site tools and note apps export a document's properties).
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n((?:[ \t]*[A-Za-z][\w -]{0,40}:[^\n]*\n)+)---[ \t]*(?:\n|\Z)")


def front_matter(text: str) -> tuple[str, str]:
    """The text with its front matter written as the header block it is ("policy_number: UM-114" -> "Policy Number:
    UM-114", a line each, as a header block's labels are printed), and the title it declares ('' if none)."""
    found = _FRONT_MATTER.match(text)
    if found is None:
        return text, ""
    pairs = [line.split(":", 1) for line in found.group(1).splitlines()]
    fields = {" ".join(re.split(r"[_\s-]+", key.strip())).title(): value.strip().strip("'\"") for key, value in pairs}
    title = fields.pop("Title", "")
    header = "\n\n".join(f"{label}: {value}" for label, value in fields.items() if value)  # (a paragraph each)
    return f"{header}\n\n{text[found.end() :]}", title


def paged_text(text: str, kind: str) -> Source:
    """Text saved with its page breaks (form feeds, as from a printout): the lines repeated at the top or
    bottom of the pages ("Created on 03/02/2026. Page 2 of 4", the document's name) are running text, left
    out, except where they open the first page as its own header. A sentence a page break cut stays whole."""
    pages = text.split("\f")
    if len(pages) < 2:
        pages = _numbered_pages(text)
    if len(pages) < 2:
        return Source(text, kind)
    lines = [page.splitlines() for page in pages]
    repeated = repeated_lines([[line for line in page if line.strip()] for page in lines])
    first = [line for line in lines[0] if line.strip()]
    head = {digitless(line) for line in first[: len(first) // 2] if not PAGE_NUMBER.match(line)}
    kept, running = [], []
    for number, page in enumerate(lines):
        for line in page:
            if line.strip() and is_repeated(line, repeated) and not (number == 0 and digitless(line) in head):
                running.append(line.strip())
            else:
                kept.append(line)
    return Source(_rejoined("\n".join(kept)), kind, running="\n".join(dict.fromkeys(running)))


# A page's number ending a line of its running header or footer ("Georgia ... Health      Page 5 of 11").
_PAGE_OF = re.compile(r"^[^\n]*?\bpage\s*:?\s*(\d+)\s*(?:of|/)\s*(\d+)[ \t]*$", re.I | re.M)


def _numbered_pages(text: str) -> list[str]:
    """Text copied from a PDF without its page breaks, cut into pages at the lines that print "Page N of M"
    (one M, N rising: "see page 3 of 10" in a sentence is no page's number): its running lines are read as a
    printout's are."""
    found = list(_PAGE_OF.finditer(text))
    totals = Counter(m.group(2) for m in found)
    total = totals.most_common(1)[0][0] if totals else ""
    cuts, last = [0], 0
    for m in found:
        if m.group(2) == total and int(m.group(1)) > last:
            cuts.append(m.start())
            last = int(m.group(1))
    if len(cuts) < 3:
        return [text]
    cuts.append(len(text))
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def _rejoined(text: str) -> str:
    """Blank lines a removed page furniture left inside a sentence ("... no prior spinal" / "fusion at the
    level ..."): a line that ends without a full stop and one that goes on in lower case are one sentence."""
    return re.sub(r"(?<=[a-z,;])\n(?:[ \t]*\n)+(?=[ \t]*[a-z])", "\n", text)
