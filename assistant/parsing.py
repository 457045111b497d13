"""Layout parsing: source text -> sections and passages with exact source offsets.

Two families are understood in detail (CPT code summaries and payer coverage
policies); anything else goes through the same machinery with generic heading
rules. The parser never raises on odd layouts: what it cannot classify becomes a
paragraph in the current section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import codes as code_rules
from .text import canonical, chunk_spans, sentence_spans

PASSAGE_LIMIT = 700  # characters; all-MiniLM-L6-v2 reads about 256 word pieces
LEAD_LIMIT = 240  # characters of a paragraph's first sentence carried by its later chunks

CPT_HEADINGS = {
    "summary & overview": 1,
    "billing code overview": 1,
    "clinical & coding specifications": 1,
    "clinical context": 2,
    "coding specifications": 2,
    "related diagnoses": 1,
    "related cpt codes": 1,
}
_CPT_TITLE = re.compile(r"^CPT\s+([0-9A-Z]{5}):\s*(.+)$")
_FRONT_MATTER = {
    "effective_date": re.compile(r"^Effective Date\W*?(\d{1,2}/\d{1,2}/\d{4})", re.I),
    "next_review_date": re.compile(r"^Next Review Date\W*?(\d{1,2}/\d{1,2}/\d{4})", re.I),
    "policy_number": re.compile(r"^(?:Coverage\s+)?Policy Number\W*?([0-9A-Z-]+)\s*$", re.I),
}
_TOC_LINE = re.compile(r"^(.+?)(?:\s*\.{2,})?\s*\t\s*\d+\s*$")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")
_LIST_ITEM = re.compile(r"^(?:[-*•]\s+|\d{1,3}[.)]\s+)")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_TERMINAL = re.compile(r"[.!?:;\"”’)\]]$")
_LEVEL3_TAIL = re.compile(r"^.+?\s[-–—]\s(.+)$")


@dataclass
class Line:
    text: str
    start: int
    end: int

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class RawPassage:
    section: tuple[str, ...]
    start: int
    end: int
    kind: str
    text: str
    header: str = ""
    key_code: str = ""
    truncated: bool = False
    lead: str = ""  # for a later chunk of a long paragraph: the paragraph's first sentence (its subject)
    boilerplate: bool = False  # outside the contents the document lists for itself (a publisher's wrapper)


@dataclass
class Layout:
    kind: str
    title: str
    passages: list[RawPassage]
    meta: dict[str, str] = field(default_factory=dict)


def detect_kind(text: str) -> str:
    head = text[:4000]
    if re.search(r"^CPT\s+[0-9A-Z]{5}:", head, re.M) and re.search(r"^Summary & Overview\s*$", head, re.M | re.I):
        return "cpt-summary"
    if re.search(r"Coverage Policy", head) and re.search(r"Effective Date|Policy Number", head, re.I):
        return "coverage-policy"
    return "other"


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(Line(body, pos, pos + len(body)))
        pos += len(raw)
    return lines


def parse_layout(text: str, fallback_title: str) -> Layout:
    kind = detect_kind(text)
    parser = _Parser(text, kind)
    parser.run()
    if parser.toc:
        # A policy's table of contents names its substance; "INSTRUCTIONS FOR USE" and the like, outside it,
        # are the same legal wrapper in every policy of that payer.
        for raw in parser.passages:
            raw.boilerplate = raw.kind != "front-matter" and _heading_key(raw.section[0]) not in parser.toc
    title = parser.title or fallback_title
    return Layout(kind, title, parser.passages, parser.meta)


class _Parser:
    def __init__(self, text: str, kind: str):
        self.text = text
        self.kind = kind
        self.lines = split_lines(text)
        self.passages: list[RawPassage] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self.stack: list[tuple[int, str]] = []  # (level, heading)
        self.toc: set[str] = set()
        self.in_toc = False
        self.table: dict | None = None
        self.paragraph: list[Line] = []
        self.seen_toc_heading = False
        self.previous_table: tuple[str, ...] | None = None  # section of a table that just ended

    # ---- section bookkeeping -------------------------------------------------
    @property
    def section(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.stack) or ("Document",)

    def push_heading(self, level: int, heading: str) -> None:
        self.previous_table = None
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, heading))

    # ---- main loop ---------------------------------------------------------------
    def run(self) -> None:
        lines = self.lines
        i = 0
        while i < len(lines):
            line = lines[i]
            s = line.stripped
            if not s:
                i += 1
                continue
            if self.table is not None and self._continue_table(i):
                i = self._consume_table_line(i)
                continue
            self._end_table()
            if self.in_toc and _TOC_LINE.match(line.text):
                self.toc.add(_heading_key(_TOC_LINE.match(line.text).group(1)))
                i += 1
                continue
            if self._front_matter(line):
                i += 1
                continue
            heading = self._heading_level(i)
            if heading:
                self._flush_paragraph()
                self.in_toc = _heading_key(s) == "table of contents"
                self.push_heading(heading, _md_heading_text(s))
                i += 1
                continue
            if self._starts_table(i):
                i = self._open_table(i)
                continue
            if s in {"-", "*", "•"}:  # bullet marker alone on its line; the item follows
                i += 1
                continue
            i = self._paragraph_line(i)
        self._end_table()
        self._flush_paragraph()

    # ---- front matter --------------------------------------------------------------
    def _front_matter(self, line: Line) -> bool:
        s = line.stripped
        if self.kind == "cpt-summary" and not self.title:
            m = _CPT_TITLE.match(s)
            if m:
                self.title = s
                self.meta["code"] = m.group(1)
                self._emit_span(line.start, line.end, "front-matter")
                return True
        if self.kind != "coverage-policy" or self.seen_toc_heading:
            return False
        for name, pattern in _FRONT_MATTER.items():
            m = pattern.match(s)
            if m:
                self.meta[name] = m.group(1)
                self._emit_span(line.start, line.end, "front-matter")
                return True
        if "policy_number" in self.meta and not self.title and _looks_like_heading(s):
            self.title = s
            self._emit_span(line.start, line.end, "front-matter")
            return True
        return False

    # ---- headings ------------------------------------------------------------------
    def _heading_level(self, i: int) -> int:
        s = self.lines[i].stripped
        md = _MD_HEADING.match(s)
        if md:
            return len(md.group(1))
        key = _heading_key(s)
        if self.kind == "cpt-summary":
            return CPT_HEADINGS.get(key, 0)
        if not _looks_like_heading(s) or self._is_caption(i):
            return 0
        if self.kind == "coverage-policy":
            if key in self.toc:
                self.seen_toc_heading = True
                return 1
            if not self.seen_toc_heading or s.isupper():
                return 1
            tail = _LEVEL3_TAIL.match(s)
            if tail and self._level2_named(tail.group(1)):
                return 3
            return 2
        # Generic documents: a short title-like line standing apart from its neighbours.
        before = i == 0 or not self.lines[i - 1].stripped
        after = i + 1 >= len(self.lines) or not self.lines[i + 1].stripped
        return 1 if (before and after) else 0

    def _is_known_heading(self, s: str) -> bool:
        return bool(_MD_HEADING.match(s)) or (self.kind == "cpt-summary" and _heading_key(s) in CPT_HEADINGS)

    def _level2_named(self, name: str) -> bool:
        key = _heading_key(name)
        for level, heading in self.stack:
            h = _heading_key(heading)
            if level == 2 and (h == key or f"({key})" in h or h.startswith(key)):
                return True
        return False

    def _is_caption(self, i: int) -> bool:
        return self.lines[i].stripped.endswith(":")

    # ---- tables --------------------------------------------------------------------
    def _next_nonblank(self, i: int) -> int:
        j = i + 1
        while j < len(self.lines) and not self.lines[j].stripped:
            j += 1
        return j

    def _starts_table(self, i: int) -> bool:
        s = self.lines[i].stripped
        if s.startswith("|") and s.count("|") >= 2:
            nxt = self.lines[i + 1].stripped if i + 1 < len(self.lines) else ""
            return bool(_PIPE_SEPARATOR.match(nxt)) or i + 1 >= len(self.lines)
        return "\t" in self.lines[i].text and len(_tab_cells(self.lines[i].text)) >= 2

    def _open_table(self, i: int) -> int:
        line = self.lines[i]
        pipe = line.stripped.startswith("|")
        cells = _pipe_cells(line.text) if pipe else _tab_cells(line.text)
        header = " | ".join(cells)
        caption = self._take_caption()
        if self.previous_table and not caption:
            # A second table straight after another has no heading of its own: name it by its key column.
            parent = self.previous_table
            if len(parent) > len(self.section):
                parent = parent[:-1]
            caption = _plural(cells[0])
            section = parent + (caption,)
        else:
            section = self.section + ((caption,) if caption else ())
        self.table = {
            "pipe": pipe,
            "ncols": len(cells),
            "header": header,
            "section": section,
            "header_span": (line.start, line.end),
            "rows": 0,
        }
        j = i + 1
        if pipe and j < len(self.lines) and _PIPE_SEPARATOR.match(self.lines[j].stripped):
            j += 1
        return j

    def _take_caption(self) -> str:
        """A short 'Label:' paragraph right before a table names the table ('Considered Not Medically Necessary:')."""
        if (
            len(self.paragraph) == 1
            and self.paragraph[0].stripped.endswith(":")
            and len(self.paragraph[0].stripped) < 80
        ):
            caption = self.paragraph[0].stripped.rstrip(":").strip()
            self.paragraph = []
            return caption
        self._flush_paragraph()
        return ""

    def _continue_table(self, i: int) -> bool:
        s = self.lines[i].stripped
        t = self.table
        if t["pipe"]:
            if (s.startswith("|") and self._starts_table(i)) or self._is_known_heading(s):
                return False
            return "|" in s or t.get("open_row") is not None
        return (
            "\t" in self.lines[i].text
            and not _TOC_LINE.match(self.lines[i].text)
            and i - 1 >= 0
            and bool(self.lines[i - 1].stripped)
        )

    def _consume_table_line(self, i: int) -> int:
        t = self.table
        line = self.lines[i]
        if t["pipe"] and _PIPE_SEPARATOR.match(line.stripped):
            return i + 1
        if t.get("open_row") is not None:
            start, _ = t["open_row"]
            t["open_row"] = (start, line.end)
        else:
            t["open_row"] = (line.start, line.end)
        start, end = t["open_row"]
        raw = self.text[start:end]
        cells = _pipe_cells(raw) if t["pipe"] else _tab_cells(raw)
        complete = len(cells) >= t["ncols"] or not t["pipe"]
        if complete:
            self._emit_row(start, end, cells, truncated=False)
            t["open_row"] = None
        return i + 1

    def _end_table(self) -> None:
        t = self.table
        if t is None:
            return
        self.table = None
        self.previous_table = t["section"]
        if t.get("open_row") is not None:
            # The source stops (or moves on) mid-row: keep what exists, flagged as cut off.
            start, end = t["open_row"]
            raw = self.text[start:end]
            self._emit_row(start, end, _pipe_cells(raw) if t["pipe"] else _tab_cells(raw), truncated=True, table=t)
        if t["rows"] == 0:
            s, e = t["header_span"]
            self.passages.append(
                RawPassage(t["section"], s, e, "table-header", t["header"], t["header"], truncated=True)
            )

    def _emit_row(self, start: int, end: int, cells: list[str], truncated: bool, table: dict | None = None) -> None:
        t = table or self.table
        t["rows"] += 1
        shown = [c for c in cells if c]
        text = " | ".join(shown) + (" |" if truncated else "")
        key = code_rules.row_key_code(cells[0], t["header"]) if cells else None
        self.passages.append(
            RawPassage(t["section"], start, end, "row", text, t["header"], key.value if key else "", truncated)
        )

    # ---- paragraphs and lists ---------------------------------------------------------
    def _paragraph_line(self, i: int) -> int:
        line = self.lines[i]
        if self.paragraph and not self._joins(self.paragraph[-1], line):
            self._flush_paragraph()
        self.paragraph.append(line)
        return i + 1

    def _joins(self, prev: Line, line: Line) -> bool:
        s, p = line.stripped, prev.stripped
        if _LIST_ITEM.match(s):
            # List items join a lead-in that ends with ':' and each other; they are short.
            return _LIST_ITEM.match(p) is not None or p.endswith(":")
        # Page-break repair: a sentence cut by a blank line continues in lower case.
        return not _TERMINAL.search(p) and s[:1].islower()

    def _flush_paragraph(self) -> None:
        if not self.paragraph:
            return
        lines, self.paragraph = self.paragraph, []
        is_list = any(_LIST_ITEM.match(line.stripped) for line in lines)
        start, end = lines[0].start, lines[-1].end
        if is_list and end - start > PASSAGE_LIMIT:
            # Too long to cite as one: the lead-in and each item stand alone.
            for line in lines:
                self._emit_chunked(line.start, line.end, "list" if _LIST_ITEM.match(line.stripped) else "paragraph")
            return
        self._emit_chunked(start, end, "list" if is_list else "paragraph")

    def _emit_chunked(self, start: int, end: int, kind: str) -> None:
        if end - start <= PASSAGE_LIMIT or kind == "list":
            self._emit_span(start, end, kind)
            return
        # A study paragraph names its subject once ("Fine et al. (2021) conducted ..."); the chunks that
        # hold its figures carry that sentence, so a question naming the study finds them too.
        first = sentence_spans(self.text[start:end], offset=start)[0]
        lead = canonical(self.text[first[0] : first[1]])[:LEAD_LIMIT]
        for s, e in chunk_spans(self.text[start:end], PASSAGE_LIMIT, offset=start):
            self._emit_span(s, e, kind, lead="" if s == start else lead)

    def _emit_span(self, start: int, end: int, kind: str, lead: str = "") -> None:
        text = canonical(self.text[start:end])
        self.previous_table = None
        if text:
            self.passages.append(RawPassage(self.section, start, end, kind, text, lead=lead))


def _heading_key(s: str) -> str:
    s = re.sub(r"\.{2,}.*$", "", s)
    return re.sub(r"\s+", " ", _md_heading_text(s)).strip().lower()


def _md_heading_text(s: str) -> str:
    m = _MD_HEADING.match(s.strip())
    return m.group(2) if m else s.strip()


def _looks_like_heading(s: str) -> bool:
    if not s or len(s) > 90 or "\t" in s or ": " in s or s.startswith(("|", "*", "[", "(")):
        return False
    if re.search(r"[.,;:!?]$", s) or _LIST_ITEM.match(s) or not s[0].isalnum() or s[0].islower():
        return False
    tokens = [w for w in re.findall(r"[A-Za-z][\w'’/-]*", s) if len(w) > 3]
    if not tokens or len(s.split()) > 12:
        return False
    capitalised = sum(1 for w in tokens if w[0].isupper())
    return capitalised / len(tokens) >= 0.6


def _pipe_cells(raw: str) -> list[str]:
    body = " ".join(raw.split("\n")).strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [canonical(c) for c in body.split("|")]


def _tab_cells(raw: str) -> list[str]:
    cells = [canonical(c) for c in raw.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _plural(label: str) -> str:
    label = label.strip() or "Table"
    return label if label.endswith("s") else label + "s"
