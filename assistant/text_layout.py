"""Plain-text structure for the builder: what text pasted or exported from a policy looks like.

Headings are lines that stand as headings: Markdown `#`, numbered ("I. Policy", "3.2.1 Specific Criteria"),
ALL CAPS, or short title-like lines set apart from the text or followed by it; a table of contents, when
there is one, says which are the top level. Tables are pipe rows, tab-separated cells or columns aligned with
spaces (rows may wrap onto indented lines). List items start with a number, a letter or a bullet. A paragraph
that a page break cut in two (it continues in lower case) is joined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fields import DATE, GUIDELINE_CODE, date_field_of, find_fields, is_label
from .parsing import FIELD_COVERAGE, Builder, _coverage, heading_key
from .readers import OPEN_END, PAGE_NUMBER

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_NUMBERED = re.compile(
    r"^(?P<num>[IVX]{1,5}\.|[A-Z]\.|\d{1,2}(?:\.\d{1,2}){0,3}\.?|Section\s+\d+[.:]?)\s+(?P<title>\S.*)$"
)
_TOC_LINE = re.compile(r"^(?P<title>.+?)(?:\s*\.{2,}\s*|\s*\t\s*|\s{2,})(?:page\s*)?\d{1,3}\s*$", re.I)
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}")
_DELIMITER_ROW = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")
_ITEM = re.compile(
    r"^(?P<indent>\s*)(?P<mark>[-*•●▪◦‣o]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxlc]{1,5}[.)])(?:\s+\S|$)"
)
# A manual's outline number before a paragraph ("4.1 The following ...", "3.1.2 The beneficiary ...").
_OUTLINE_LEAD = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+\S")
_TERMINAL = re.compile(r"[.!?:;\"”’)\]]$")
_LEVEL3_TAIL = re.compile(r"^.+?\s[-–—]\s(.+)$")
# A short label that captions what follows ("Group 1 Paragraph:", "Notes:").
_CAPTION = re.compile(r"^[A-Z][^:]{0,40}:$")
_GAP = re.compile(r"\S(?: {3,}|\t)(?=\S)")
# A guideline's code before its name, as benefit managers and plans print their titles ("PM-9.4: ...").
_NUMBERED_TITLE = re.compile(rf"{GUIDELINE_CODE}\s*:\s+[A-Z]")
_CODE_TITLE = re.compile(r"^(?:CPT|HCPCS)?\s*(?:code\s+)?[0-9A-Z]{5}\s*[:–—-]\s+\S", re.I)
# Characters of a line that text wrapped at a fixed width fills: a heading or a label is shorter. (Copies of
# PDFs and plain-text mail wrap at 70-100 characters.)
WRAPPED_LINE = 70
LONG_LINE = 100  # characters: a line this long after a title-like line is body text, so that line is a heading


@dataclass
class Line:
    text: str
    start: int
    end: int
    rule: bool = False  # a rule drawn in characters, read as a blank line

    @property
    def stripped(self) -> str:
        return self.text.strip()


# A line of one character repeated (a thematic break, as CommonMark counts it: three or more) draws a rule
# between parts of a plain-text notice; it says nothing, and stands where a blank line would.
_RULE = re.compile(r"^\s*([-=_*~#+])\1{2,}\s*$")


def split_lines(text: str) -> list[Line]:
    lines, pos = [], 0
    for raw in text.splitlines(keepends=True):
        rule = bool(_RULE.match(raw))
        body = "" if rule else raw.rstrip("\r\n")
        lines.append(Line(body, pos, pos + len(body), rule))
        pos += len(raw)
    return lines


def read_text_layout(builder: Builder) -> None:
    _TextReader(builder).run()


class _TextReader:
    def __init__(self, builder: Builder):
        self.b = builder
        self.lines = split_lines(builder.text)
        self.in_toc = False
        self.seen_toc_heading = False
        # The document sets its top-level headings in capitals when it has several such lines; one capitalised
        # "INSTRUCTIONS FOR USE" does not make the rest its subsections.
        self.caps_headings = (
            sum(1 for line in self.lines if _is_caps(line.stripped) and _looks_like_heading(line.stripped)) >= 3
        )
        self.last_heading_line = -2

    # ---- the loop ---------------------------------------------------------------------------------
    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            s = self.lines[i].stripped
            if not s:
                i += 1
                continue
            if self.in_toc:
                toc = _TOC_LINE.match(s)
                if toc:
                    self.b.toc.add(heading_key(toc.group("title")))
                    i += 1
                    continue
            i = self._block(i)

    def _block(self, i: int) -> int:
        line = self.lines[i]
        s = line.stripped
        j = self._field_run(i)
        if j > i:
            return j
        if "\t" in line.text and self._starts_tab_table(i):
            # Cells split by tabs (a table copied from a web page) are split there, not at aligned columns: a
            # tab stands for any width, so the rows' text does not line up.
            return self._tab_table(i)
        if _GAP.search(s) and self._starts_aligned_table(i):
            # "CODE    DESCRIPTION" over aligned rows is a table's header, not a heading in capitals.
            return self._aligned_table(i)
        wrapped = self._wrapped_heading(i)
        if wrapped > i + 1:
            # A title set on several lines ("... Delivery to the" / "Lower Esophageal Sphincter (Stretta) for" /
            # "Gastroesophageal Reflux Disease"): one heading.
            title = " ".join(self.lines[k].stripped for k in range(i, wrapped))
            self.b.heading(self.b.outline_depth or 1, title, line.start)
            self.last_heading_line = wrapped - 1
            return wrapped
        level = self._heading_level(i)
        if level:
            self.in_toc = heading_key(s) in {"table of contents", "contents"}
            if not self.in_toc:
                # (a table's caption sets no outline level for the headings after it)
                caption = bool(_TABLE_CAPTION.match(s))
                self.b.heading(level, _MD_HEADING.sub(r"\2", s), line.start, marked=not caption)
                self.last_heading_line = i
            return i + 1
        if _CODE_TITLE.match(s) and not self.b.passages and len(s) < 160:
            self.b._emit(line.start, line.end, "front-matter")  # "CPT 0686T: Image-Guided ..." names the document
            return i + 1
        if self._starts_pipe_table(i):
            return self._pipe_table(i)
        if self._starts_tab_table(i):
            return self._tab_table(i)
        if self._starts_aligned_table(i):
            return self._aligned_table(i)
        if _ITEM.match(line.text) and not (s in {"-", "*", "•"} and i + 1 >= len(self.lines)):
            return self._list(i)
        return self._paragraph(i)

    # ---- header fields ----------------------------------------------------------------------------
    def _field_run(self, i: int) -> int:
        """Consecutive lines of header fields (or labels over their values), taken as one block."""
        j = i
        while j < len(self.lines):
            width = self._field_at(j)
            if not width:
                break
            j += width
        if j == i or not self.b.field_block(self.lines[i].start, self.lines[j - 1].end):
            return i
        return j

    def _field_at(self, j: int) -> int:
        """How many lines the header field at line j takes: 1 ("Policy Number: 123"), 2 (a label the table
        knows, or one whose words name a date, over its value), or 0 when none starts there."""
        if j >= len(self.lines) or not self.lines[j].stripped:
            return 0
        s = self.lines[j].stripped
        found = find_fields(self.lines[j].text, self.lines[j].start)
        if found and _coverage(found, self.lines[j].text, self.lines[j].start) >= FIELD_COVERAGE:
            return 1
        following = self.lines[j + 1].stripped if j + 1 < len(self.lines) else ""
        if _GAP.search(s) and _GAP.search(following):
            return 0  # "Date    Section Revised    Change" over dated rows: a table's columns, not a label
        if following and (is_label(s) or (date_field_of(s) and DATE.search(following))):
            return 2
        return 0

    # ---- headings ---------------------------------------------------------------------------------
    def _heading_level(self, i: int) -> int:
        s = self.lines[i].stripped
        md = _MD_HEADING.match(s)
        if md:
            return len(md.group(1))
        if len(self.b.headings) <= 2 and _NUMBERED_TITLE.match(s) and len(s) <= 120 and not s.endswith("."):
            return 1  # "PM-9.4: Sacroiliac Joint Radiofrequency Neurotomy" at the top: the title, under a series name
        outlined = _NUMBERED.match(s)
        if outlined and _outlined_title(outlined.group("num"), outlined.group("title")):
            return _numbered_level(outlined.group("num"))
        if _TABLE_CAPTION.match(s) and self._stands_as_heading(i):
            # "Table 1: CPT and HCPCS Codes" set apart over its table: the rows' own section, within the one above
            # (beside the table before it: "Table 2: ..." is no part of Table 1)
            if self.b.stack and _TABLE_CAPTION.match(self.b.stack[-1][1]):
                return self.b.stack[-1][0]
            return min(self.b.depth + 1, 6)
        if not _looks_like_heading(s):
            return 0
        key = heading_key(s)
        if key in self.b.toc:
            self.seen_toc_heading = True
            return 1
        numbered = _NUMBERED.match(s)
        if numbered and _looks_like_heading(numbered.group("title")):
            return _numbered_level(numbered.group("num"))

        if _is_caps(s) and (self.caps_headings or self._stands_as_heading(i)):
            return 1
        if not self._stands_as_heading(i):
            return 0
        if self.b.toc:
            if not self.seen_toc_heading:
                return 1
            tail = _LEVEL3_TAIL.match(s)
            return 3 if tail and self._level2_named(tail.group(1)) else 2
        if self.last_heading_line == i - 1 or self._only_headings_since_last(i):
            return min(self.b.depth + 1, 6)  # a heading right under another is its subsection
        if self.caps_headings:
            return 2
        return self.b.outline_depth or 1

    def _wrapped_heading(self, i: int) -> int:
        """Where a heading wrapped onto the lines below it ends (each line but its last ending on an open
        word: "of", "the", "for"), standing apart from the text around it; else i."""
        if (i and self.lines[i - 1].stripped) or not OPEN_END.search(self.lines[i].stripped):
            return i
        j = i
        while j < len(self.lines) and j - i < 4 and _looks_like_heading(self.lines[j].stripped):
            j += 1
            if not OPEN_END.search(self.lines[j - 1].stripped):
                break
        ends_apart = j >= len(self.lines) or not self.lines[j].stripped
        return j if ends_apart and not OPEN_END.search(self.lines[j - 1].stripped) else i

    def _stands_as_heading(self, i: int) -> bool:
        """A title-like line is a heading when it stands apart, or when text, a table or another heading
        follows it directly (a summary with no blank lines)."""
        before = i == 0 or not self.lines[i - 1].stripped
        nxt = self.lines[i + 1].stripped if i + 1 < len(self.lines) else ""
        if heading_key(self.lines[i].stripped) in {"table of contents", "contents"} or _TOC_LINE.match(nxt):
            return True
        if before and not nxt:
            return True
        if not nxt:
            return False
        if (i == 0 or _CODE_TITLE.match(nxt)) and not _looks_like_heading(nxt):
            return True  # the first line of a document, or the line above one that names the code
        if nxt.startswith("|") or self._starts_pipe_table(i + 1) or "\t" in self.lines[i + 1].text:
            return True
        if _MD_HEADING.match(nxt):
            return True
        if len(nxt) >= LONG_LINE and not _looks_like_heading(nxt):
            return True
        if before and nxt.endswith(".") and not _looks_like_heading(nxt):
            return True  # set apart above, a sentence below: "Introduction" / "This policy informs ...".
        following = self.lines[i + 2].stripped if i + 2 < len(self.lines) else ""
        if _CAPTION.match(nxt) and len(following) >= LONG_LINE:
            return True  # "Group 1" over "Group 1 Paragraph:" and its text
        if self._field_at(i + 1):
            return True  # "General Information" over "Article ID" / "A59731"
        return _looks_like_heading(nxt) and (
            len(following) >= LONG_LINE
            or following.startswith("|")
            or bool(_CAPTION.match(following))
            or bool(self._field_at(i + 2))
        )

    def _only_headings_since_last(self, i: int) -> bool:
        return (
            self.last_heading_line >= 0
            and all(not self.lines[k].stripped for k in range(self.last_heading_line + 1, i))
            and self.last_heading_line < i
        )

    def _level2_named(self, name: str) -> bool:
        key = heading_key(name)
        for level, heading in self.b.stack:
            h = heading.lower()
            if level == 2 and (h == key or f"({key})" in h or h.startswith(key)):
                return True
        return False

    # ---- tables -----------------------------------------------------------------------------------
    def _starts_pipe_table(self, i: int) -> bool:
        s = self.lines[i].stripped
        nxt = self.lines[i + 1].stripped if i + 1 < len(self.lines) else ""
        if s.startswith("|") and s.count("|") >= 2:
            return bool(_PIPE_SEPARATOR.match(nxt)) or i + 1 >= len(self.lines)
        # GitHub-flavoured Markdown prints the edge pipes or not ("Service | Codes | Status" over "---|---|---"), as
        # a table copied from a web page may: the delimiter row under it, cell for cell, says it is one.
        return "|" in s and bool(_DELIMITER_ROW.match(nxt)) and len(_pipe_cells(nxt)) == len(_pipe_cells(s))

    def _pipe_table(self, i: int) -> int:
        header = self.lines[i]
        cells = _pipe_cells(header.text)
        closed = header.stripped.endswith("|")
        j = i + 1
        if j < len(self.lines) and _PIPE_SEPARATOR.match(self.lines[j].stripped):
            j += 1
        rows, open_row = [], None
        while j < len(self.lines):
            line = self.lines[j]
            s = line.stripped
            if not s:
                j += 1
                if open_row is None and not self._pipe_row_follows(j):
                    break
                continue
            # A new table starts under its own delimiter row (a last line is a row, not a cut-off table's header).
            if (self._starts_pipe_table(j) and j + 1 < len(self.lines)) or _MD_HEADING.match(s):
                break
            if "|" not in s and open_row is None:
                break
            if open_row is not None and (s.startswith("|") or len(_pipe_cells(s)) >= len(cells)):
                # A line that opens a row of its own ends the one before, though that one lacked its closing pipe.
                rows.append((*open_row, _pipe_cells(self.b.text[open_row[0] : open_row[1]]), False))
                open_row = None
            start = open_row[0] if open_row else line.start
            open_row = (start, line.end)
            row_cells = _pipe_cells(self.b.text[start : line.end])
            # Under a header that closes with a pipe, a row ends with its own: a cell's text that runs on to the
            # next line (a note of two paragraphs) is no row of its own. Under an edgeless header every line is one.
            if not closed or (len(row_cells) >= len(cells) and s.endswith("|")):
                rows.append((start, line.end, row_cells, False))
                open_row = None
            j += 1
        if open_row is not None:  # the source stops (or moves on) mid-row: keep what exists, flagged as cut off
            start, end = open_row
            rows.append((start, end, _pipe_cells(self.b.text[start:end]), True))
        self.b.table((header.start, header.end, cells), rows)
        return j

    def _pipe_row_follows(self, j: int) -> bool:
        while j < len(self.lines) and not self.lines[j].stripped:
            j += 1
        return j < len(self.lines) and "|" in self.lines[j].stripped and not self._starts_pipe_table(j)

    def _starts_tab_table(self, i: int) -> bool:
        line = self.lines[i]
        return "\t" in line.text and len(_tab_cells(line.text)) >= 2 and not _TOC_LINE.match(line.stripped)

    def _tab_table(self, i: int) -> int:
        header = self.lines[i]
        cells = _tab_cells(header.text)
        rows, j = [], i + 1
        while j < len(self.lines) and "\t" in self.lines[j].text and self.lines[j].stripped:
            line = self.lines[j]
            if _TOC_LINE.match(line.stripped):
                break
            rows.append((line.start, line.end, _tab_cells(line.text), False))
            j += 1
        self.b.table((header.start, header.end, cells), rows)
        return j

    def _under_header(self, i: int) -> int:
        """The line a table's first row is on: the next, or the one after a rule drawn under the header."""
        return i + 2 if i + 2 < len(self.lines) and self.lines[i + 1].rule else i + 1

    def _starts_aligned_table(self, i: int) -> bool:
        columns = _columns(self.lines[i].text)
        if len(columns) < 2 or self._under_header(i) >= len(self.lines):
            return False
        nxt = self.lines[self._under_header(i)].text
        return bool(nxt.strip()) and _fits(nxt, columns) and len(_GAP.findall(nxt)) >= 1

    def _aligned_table(self, i: int) -> int:
        header = self.lines[i]
        columns = _columns(header.text)
        rows: list[list] = []
        j = self._under_header(i)
        while j < len(self.lines) and self.lines[j].stripped:
            line = self.lines[j]
            cells = _slice(line.text, columns)
            if rows and not cells[0] and any(cells[1:]):  # a wrapped row goes on in its columns
                row = rows[-1]
                row[1] = line.end
                row[2] = [f"{a} {b}".strip() for a, b in zip(row[2], cells)]
            elif _fits(line.text, columns) and (_columns(line.text) or len(line.text.rstrip()) <= columns[1]):
                # A line with no column gap that runs past the second column is prose after the table ("Report
                # 60661 in addition ..."), not a row to cut at the columns.
                rows.append([line.start, line.end, cells, False])
            else:
                break
            j += 1
        self.b.table((header.start, header.end, _slice(header.text, columns)), [tuple(r) for r in rows])
        return j

    # ---- lists and paragraphs -----------------------------------------------------------------------
    def _list(self, i: int) -> int:
        first = _ITEM.match(self.lines[i].text)
        assert first is not None  # _block calls this for an item line only
        indent, family = len(first.group("indent")), _family(first.group("mark"))
        items: list[tuple[int, int]] = []
        j, end = i, self.lines[i].end
        while j < len(self.lines):
            line = self.lines[j]
            s = line.stripped
            if not s:
                k = self._next_filled(j)
                if k < len(self.lines) and _ITEM.match(self.lines[k].text) and not self._heading_level(k):
                    j = k
                    continue
                break
            item = _ITEM.match(line.text)
            if item and len(item.group("indent")) <= indent and _family(item.group("mark")) == family:
                items.append((line.start, line.end))
            elif self._ends_list(j, item, indent):
                break
            if items:
                items[-1] = (items[-1][0], line.end)
            end = line.end
            j += 1
        self.b.listing(self.lines[i].start, end, items or [(self.lines[i].start, end)])
        return j

    def _next_filled(self, j: int) -> int:
        """The first line from j on that is not blank (len(self.lines) if none is)."""
        while j < len(self.lines) and not self.lines[j].stripped:
            j += 1
        return j

    def _ends_list(self, j: int, item, indent: int) -> bool:
        """A heading or table after the items, an item set further left than the list, or a sentence that
        starts at the list's margin after an item that ended its own ("3. ... on ultrasound." / "Cryoablation
        is considered investigational ...") ends it. A line that goes on with an item's sentence does not."""
        if item:
            return len(item.group("indent")) < indent
        line, previous = self.lines[j], self.lines[j - 1].stripped
        new_sentence = (
            previous.endswith(".")
            and line.stripped[:1].isupper()
            and len(line.text) - len(line.text.lstrip()) <= indent
        )
        return bool(new_sentence or self._heading_level(j) or self._starts_pipe_table(j) or self._starts_tab_table(j))

    def _paragraph(self, i: int) -> int:
        lines = [self.lines[i]]
        j = i + 1
        while j < len(self.lines):
            line = self.lines[j]
            s = line.stripped
            if not s:
                # A page break inside a sentence: the text goes on in lower case after the blank lines.
                k = self._next_filled(j)
                previous, following = lines[-1].stripped, self.lines[k].stripped if k < len(self.lines) else ""
                if following[:1].islower() and self._continues(previous, following):
                    j = k
                    continue
                break
            if not self._continues(lines[-1].stripped, s) or self._heading_level(j) or _ITEM.match(line.text):
                break
            lines.append(line)
            j += 1
        self.b.paragraph(lines[0].start, lines[-1].end)
        number = _OUTLINE_LEAD.match(lines[0].stripped)
        if number and lines[-1].stripped.endswith(":"):
            return self._outline_items(j, number.group(1))
        return j

    def _outline_items(self, j: int, number: str) -> int:
        """The paragraphs numbered under a lead-in's own outline number ("4.1 The following are unproven ...:"
        / "4.1.1 ..." / "4.1.2 ..."), as manuals print their lists: the items of the list it leads in. Each
        runs to the next line numbered outside it or to a heading."""
        child = re.compile(rf"{re.escape(number)}\.\d{{1,2}}\.?\s")
        section = number.split(".")[0]
        items: list[tuple[int, int]] = []
        k = self._next_filled(j)
        while k < len(self.lines) and (opened := child.match(self.lines[k].stripped)) and not self._heading_level(k):
            own = re.compile(rf"{re.escape(opened.group(0).strip().rstrip('.'))}\b")
            start, end, k = self.lines[k].start, self.lines[k].end, k + 1
            while k < len(self.lines):
                s = self.lines[k].stripped
                numbered = _OUTLINE_LEAD.match(s)
                # Another number of this section's outline ends the item ("4.1.2", "4.2"); a figure that opens
                # a wrapped line ("2.5 cm in greatest diameter") does not. After a blank line, only the item's
                # own sub-items or bullets go on with it.
                outline = numbered.group(1) if numbered and numbered.group(1).split(".")[0] == section else ""
                after_blank = not self.lines[k - 1].stripped and not (_ITEM.match(self.lines[k].text) or outline)
                if s and (self._heading_level(k) or (outline and not own.match(outline)) or after_blank):
                    break
                end = self.lines[k].end if s else end
                k += 1
            items.append((start, end))
        if not items:
            return j
        self.b.listing(items[0][0], items[-1][1], items)
        return k

    @staticmethod
    def _continues(previous: str, line: str) -> bool:
        """A line goes on from the one above when that one stops mid-sentence: before a word in lower case, or
        (a line as long as a wrapped one) before a name ("... of the lower esophageal sphincter (" / "Stretta®
        System, is ...")."""
        return not _TERMINAL.search(previous) and (line[:1].islower() or len(previous) >= WRAPPED_LINE)


def _numbered_level(number: str) -> int:
    if re.fullmatch(r"[IVX]{1,5}\.", number):
        return 1
    if re.fullmatch(r"[A-Z]\.", number):
        return 2
    if number.lower().startswith("section"):
        return 1
    parts = [p for p in number.rstrip(".").split(".") if p]
    if len(parts) == 2 and parts[1] == "0":
        return 1
    return min(len(parts), 4)


def _outlined_title(number: str, title: str) -> bool:
    """A manual's outline number ("2.2.1") before a long title with a subtitle ("EPSDT Special Provision:
    Exception to Policy Limitations for ..."): a heading when the part before the colon reads as one."""
    head, colon, subtitle = title.partition(": ")
    tokens = [w for w in re.findall(r"[A-Za-z][\w'’/-]*", subtitle) if len(w) > 3]
    titled = bool(tokens) and sum(w[0].isupper() for w in tokens) >= 0.6 * len(tokens)  # as _looks_like_heading
    return (
        bool(re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){1,3}\.?", number))
        and bool(colon)
        and (len(title) <= 160 and not re.search(r"[.;:]$", title) and _looks_like_heading(head) and titled)
    )


_TABLE_CAPTION = re.compile(r"^Table\s+\d+[A-Za-z]?\s*[.:]\s+[A-Z0-9][^.]{2,80}$")


def _looks_like_heading(s: str) -> bool:
    s = s.strip().lstrip("#").strip()
    if not s or len(s) > 90 or "\t" in s or ": " in s or s.startswith(("|", "*", "[", "(")):
        return False
    if PAGE_NUMBER.match(s):
        return False  # "Page 1 of 12"
    numbered = _NUMBERED.match(s)
    body = numbered.group("title") if numbered else s
    if re.search(r"[.,;:!?]$", body) or not body[:1].isalnum() or body[:1].islower():
        return False
    if _ITEM.match(s) and not numbered:
        return False
    tokens = [w for w in re.findall(r"[A-Za-z][\w'’/-]*", body) if len(w) > 3]
    if not tokens or len(body.split()) > 12:
        return False
    capitalised = sum(1 for w in tokens if w[0].isupper())
    return capitalised / len(tokens) >= 0.6


def _is_caps(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(s.split()) <= 10


def _family(mark: str) -> str:
    mark = mark.strip("()")
    if mark[:-1].isdigit():
        return "number"
    if mark in {"-", "*", "•", "●", "▪", "◦", "‣", "o"}:
        return "bullet"
    if re.fullmatch(r"[ivxlc]{1,5}[.)]", mark):
        return "roman"
    return "lower" if mark[:1].islower() else "upper"


def _pipe_cells(raw: str) -> list[str]:
    body = " ".join(raw.split("\n")).strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [" ".join(c.split()) for c in body.split("|")]


def _tab_cells(raw: str) -> list[str]:
    cells = [" ".join(c.split()) for c in raw.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _columns(text: str) -> list[int]:
    """Where the columns of a space-aligned table row start (at least two, each after a gap of 3+ spaces)."""
    if not _GAP.search(text) or text.startswith(" " * 8):
        return []
    starts = [len(text) - len(text.lstrip())]
    starts += [m.end() for m in _GAP.finditer(text)]
    return starts if len(starts) >= 2 else []


def _fits(text: str, columns: list[int]) -> bool:
    """Does a line's text start at the table's column positions (give or take two characters)?"""
    starts = _columns(text) or [len(text) - len(text.lstrip())]
    return all(any(abs(s - c) <= 2 for c in columns) for s in starts) and len(starts) >= 1


def _slice(text: str, columns: list[int]) -> list[str]:
    bounds = columns[1:] + [len(text)]
    return [" ".join(text[a:b].split()) for a, b in zip(columns, bounds)]
