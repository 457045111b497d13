"""Structure: a document's text -> sections and citable passages with exact offsets, and its header fields.

Two readers of layout feed one builder. Markdown (what HTML, PDF and Word files become, and .md files) is
read with markdown-it-py; plain text with line rules (markdown_layout.py, text_layout.py). The builder keeps
the section path, turns paragraphs, lists and table rows into passages, keeps a criteria list whole with the
sentence that leads into it, names a table by the caption above it or inside it, and takes header blocks
("Policy Number: MP-429", "Last Review: 5/2020  Next Review: 5/2021", label and value in table cells or on
successive lines) as document fields instead of sections.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import codes as code_rules
from .fields import (
    DATE,
    Field,
    clean_value,
    date_field_of,
    field_of,
    find_fields,
    is_label,
    next_beside,
    valid,
    values_in_order,
)
from .text import canonical, chunk_spans, sentence_spans

PASSAGE_LIMIT = 700  # characters; all-MiniLM-L6-v2 reads about 256 word pieces
# A list this long or shorter is one passage with its lead-in: a criteria list is cited whole. Longer, each
# top-level item is a passage that carries the lead-in (an item is never cut from "ALL of the following").
LIST_LIMIT = 2000
# A paragraph that points at what follows it ("The following codes ...", "... listed below", "...:").
_POINTS_AHEAD = re.compile(r"\bfollowing\b|\bbelow\b|:\s*$", re.I)
MAX_BETWEEN = 60  # characters of a line between a table and its lead ("Group 2 Codes: (4 Codes)")
LEAD_LIMIT = 240  # characters of a lead-in or first sentence carried by the passages that continue it
HEADER_SECTION = "Document information"
PROSE_CHARS = 200  # a paragraph this long is body text, not a header line (as metadata's _body_start reads it)
FIELD_COVERAGE = 0.8  # share of a line that label/value pairs must account for to be a header line
# Share of a table's rows, or of its header's cells, that are labels for the table to be a header block (the
# rows' share was 0.6 before the cells' share was read; the same measure for both).
LABELLED_SHARE = 0.6
PROSE_WORDS = (
    8  # a label or a value is shorter: "Medical Policy Committee Approved Date", "Clinical Policy / Medical Management"
)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
# A question of a Q&A block: "Q: ...", "Question 3: ...", or one sentence asking ("Can both codes be billed?").
_QUESTION = re.compile(
    r"(?:Q(?:uestion)?\s*\d*\s*[:.)]\s*(?![^\n]*\bA(?:nswer)?:)\S[^\n]*\?|[A-Z][^.!?\n]{8,200}\?)\s*$"
)
_ASKS = re.compile(rf"{_QUESTION.pattern}|Q(?:uestion)?\s*\d*\s*[:.)]")  # a question, or one labelled as such
_HEADING_MARK = re.compile(r"^\s*#{1,6}\s+|\s+#+\s*$", re.M)
# A Markdown link or image shows its text ("[Medical Policies](#)"); a comment shows nothing.
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
# The line under a Markdown table's first row ("|---|:---:|"): it draws the table, it says nothing.
_DELIMITER_ROW = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?[ \t]*$", re.M)
# A lead-in that goes on from the sentence before it, in lower case: "and the medical record documents ...".
_GOES_ON = re.compile(r"\s*(?:and|or|plus|as well as)\b[^:]*:\s*$")
# A line of a code list set as text, not as a table: the code, then its description as a capitalised phrase
# ("64625 Radiofrequency ablation, nerves innervating ..."; "M17.11 - Unilateral primary osteoarthritis"). A
# sentence that opens on a code goes on in lower case ("0581T is reported once per breast").
_CODE_LINE = re.compile(
    r"^[ \t]*(?P<code>[A-Z0-9][A-Z0-9.]{2,7})[ \t]*(?:[-–—:|][ \t]*)?(?P<desc>[A-Z(][^\n]*?\S)[ \t]*$"
)


def plain(text: str) -> str:
    """A span of source text as a quote: Markdown emphasis, escapes and heading marks removed, white space and
    table pipes tidied (canonical)."""
    text = _HEADING_MARK.sub(" ", text)
    text = _COMMENT.sub(" ", _LINK.sub(r"\1", _DELIMITER_ROW.sub(" ", text)))
    text = _EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = text.replace("**", "")
    return canonical(_ESCAPE.sub(r"\1", text))


@dataclass
class RawPassage:
    section: tuple[str, ...]
    start: int
    end: int
    kind: str  # paragraph | list | row | table-header | front-matter
    text: str
    header: str = ""
    key_code: str = ""
    truncated: bool = False
    lead: str = ""  # the sentence a passage continues: a list's lead-in, a long paragraph's first sentence
    boilerplate: bool = False


@dataclass
class Layout:
    passages: list[RawPassage]
    fields: list[Field] = field(default_factory=list)
    headings: list[tuple[int, str, int]] = field(default_factory=list)  # (level, text, offset), in order
    toc: set[str] = field(default_factory=set)  # headings a table of contents lists


class Builder:
    """Collects passages in document order under a stack of headings."""

    def __init__(self, text: str):
        self.text = text
        self.passages: list[RawPassage] = []
        self.fields: list[Field] = []
        self.headings: list[tuple[int, str, int]] = []
        self.toc: set[str] = set()
        self.stack: list[tuple[int, str]] = []
        self.outline_depth = 0  # level of the last heading the layout marks as one (not a bold line)
        self._lead: tuple[int, int] | None = None  # a paragraph ending in ':' waiting for its list or table
        self._asked: tuple[int, int] | None = None  # a question of a Q&A, waiting for its answer
        self._last_table: tuple[str, ...] | None = None  # section of a table that just ended
        self._code_row: RawPassage | None = None  # the last row of a code list printed as lines

    # ---- sections ----------------------------------------------------------------------------------
    @property
    def section(self) -> tuple[str, ...]:
        return tuple(h for _, h in self.stack) or (HEADER_SECTION,)

    @property
    def depth(self) -> int:
        return self.stack[-1][0] if self.stack else 0

    def heading(self, level: int, title: str, start: int, marked: bool = True) -> None:
        """A heading; `marked` when the layout says so (Markdown #, a numbered or capitalised line), not when
        it is inferred from a bold line."""
        self.flush()
        if marked:
            self.outline_depth = level
        title = heading_text(title)
        if not title:
            return
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title))
        self.headings.append((level, title, start))
        self._last_table = None
        self._code_row = None  # a code list does not go on under a new heading

    # ---- header fields -----------------------------------------------------------------------------
    def field_block(self, start: int, end: int) -> bool:
        """Take a block of header fields (one or several label/value pairs a line, or each label on the line
        above its value: "LCD ID" / "L39756"); False, and nothing taken, if the block is something else."""
        found: list[Field] = []
        unread = 0  # lines of a label we read no field from, taken with the block
        lines = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]*\S[^\n]*", self.text[start:end])]
        k = 0
        while k < len(lines):
            s, e = lines[k]
            line = self.text[s:e]
            on_line = find_fields(line, s)
            if on_line and _coverage(on_line, line, s) >= FIELD_COVERAGE:
                found += on_line
                k += 1
                continue
            shaped = _LABEL_AND_VALUE.match(line)
            if found and shaped and not field_of(shaped.group("label")):
                # A label of no field we read, between ones we do ("Approved by: UCare Medical Policy Committee"):
                # the block goes on.
                found.append(Field("other", shaped.group("label"), shaped.group("value"), s, e))
                unread += 1
                k += 1
                continue
            # a label the table lists, or a date's by its words (in bold or not: "**Policy Number**")
            name = field_of(line.strip(" *_")) or date_field_of(line)
            if name and k + 1 < len(lines):
                value_start, value_end = lines[k + 1]
                value = self.text[value_start:value_end].strip()
                if valid(name, value):
                    found.append(Field(name, line.strip(), clean_value(name, value), s, value_end))
                    found += next_beside(name, value, s, value_end)
                    k += 2
                    continue
            return False
        if not found:
            return False
        # Labels of no field we read go with a header block of the document's own fields, not a body list of
        # billing notes ("Effective date: ... Place of service: ... Units: ..."): two fields at least, and more
        # of ours than of theirs.
        ours = {f.name for f in found if f.name != "other"}
        if unread and (len(ours) < 2 or unread >= len(ours)):
            return False
        if all(f.name == "other" for f in found) and len(self.passages) > 40:
            return False  # "Section: Surgery" deep in the body is prose, not a header
        self.flush()
        self.fields.extend(found)
        section = self.section if self.stack else (HEADER_SECTION,)
        self._emit(start, end, "front-matter", section=section)
        return True

    # ---- paragraphs and lists ------------------------------------------------------------------------
    def paragraph(self, start: int, end: int) -> None:
        said = plain(self.text[start:end])  # without its emphasis: "**... of the following:**" ends on ":" too
        asked = self._asked
        if asked and not said.endswith(":") and not _ASKS.match(said):
            # "Q: Can both be billed?" / "No. Only 64680 is reimbursed ...": the answer is cited with its question,
            # which says what its "No." is about. (A lead-in or another question answers nothing.)
            self._asked = None
            self.flush()
            self._chunked(asked[0], end, "paragraph")
            return
        if self._code_list(start, end):
            return
        self.flush()
        if said.endswith(":") and end - start < LIST_LIMIT:
            self._lead = (start, end)  # a lead-in or a caption: decided by what follows
            return
        if _QUESTION.match(said):
            self._asked = (start, end)
            return
        self._chunked(start, end, "paragraph")

    def listing(self, start: int, end: int, items: list[tuple[int, int]]) -> None:
        asked, self._asked = self._asked, None
        if asked:
            self._lead = self._lead or asked  # "Q: What must the record show?" leads the list that answers it
        lead, self._lead = self._lead, None
        whole_start = lead[0] if lead else start
        # "X is medically necessary when performed by one of the following: ... and the medical record documents
        # all of the following: ...": one statement, cited whole; too long for that, the second list carries the
        # sentence it goes on from.
        earlier = self._continued_list(lead)
        goes_on = ""
        if earlier is not None and earlier.lead:
            goes_on = earlier.lead  # the last item of a list cut into items: the statement is its lead-in
        elif earlier is not None and end - earlier.start <= LIST_LIMIT:
            self.passages.pop()
            whole_start = earlier.start
        elif earlier is not None:
            goes_on = shortened(_statement_of(earlier))
        if end - whole_start <= LIST_LIMIT:
            self._emit(whole_start, end, "list", lead=goes_on)
            return
        lead_text = shortened(plain(self.text[lead[0] : lead[1]])) if lead else ""
        if goes_on and lead_text:
            lead_text = shortened(f"{goes_on} … {lead_text}")
        if lead:
            self._emit(lead[0], lead[1], "paragraph")
        for item_start, item_end in items:
            if item_end - item_start > LIST_LIMIT:
                self._chunked(item_start, item_end, "list", lead=lead_text)
            else:
                self._emit(item_start, item_end, "list", lead=lead_text)

    def _continued_list(self, lead: tuple[int, int] | None) -> RawPassage | None:
        """The list just before, when this list's lead-in goes on from its sentence ("and the medical record
        documents all of the following:", in lower case after a list): else None."""
        if lead is None or not _GOES_ON.match(self.text[lead[0] : lead[1]]) or not self.passages:
            return None
        last = self.passages[-1]
        return last if last.kind == "list" and last.section == self.section else None

    def _code_list(self, start: int, end: int) -> bool:
        """Lines each naming a code and its description are the rows of a code table printed without one
        (a PDF's or a saved page's "CPT codes covered if selection criteria are met:" over "64625 ..."): keyed
        by their codes, captioned by the label above them, and a list goes on across blank lines."""
        lines = [(m.start() + start, m.end() + start) for m in re.finditer(r"[^\n]*\S[^\n]*", self.text[start:end])]
        rows = [row for s, e in lines if (row := _code_line(self.text[s:e]))]
        if not lines or len(rows) != len(lines):
            return False
        last = self.passages[-1] if self.passages else None
        if last is not None and last.kind == "row" and last is self._code_row and not self._lead and not self._asked:
            section, lead = last.section, last.lead  # the same list, after a blank line or a page break
        else:
            if self._asked:
                self.flush()
            caption = self._take_caption()
            section = self.section + ((caption,) if caption else ())
            lead = "" if caption else self._table_lead(start)
        for (s, e), (code, description) in zip(lines, rows):
            self.passages.append(RawPassage(section, s, e, "row", f"{code} | {description}", "", code, False, lead))
        self._code_row = self.passages[-1]
        self._last_table = None
        return True

    # ---- tables ------------------------------------------------------------------------------------
    def table(
        self, header: tuple[int, int, list[str]] | None, rows: Sequence[tuple[int, int, list[str], bool]]
    ) -> None:
        """A table: its header row (span, cells) and rows (span, cells, cut off?). Rows that are header
        fields become fields; a row with one filled cell ending in ':' (or set in bold) captions the rows
        below it."""
        if self._asked:
            self.flush()
        caption = self._take_caption()
        if header and self._field_table(header, rows):
            return
        if header and self._header_of_fields(header):
            header = None  # the rows under a row of the document's fields have no column names
        lead = "" if caption else self._table_lead(header[0] if header else rows[0][0] if rows else 0)
        # (a first line of a label and values heads columns when no line under it is a field: "Product | Office
        # ablation | Ablation under anesthesia" over "Quartz commercial | not required | required")
        fields_table = not rows or any(_label_and_value(r[2]) for r in rows)
        if header and ((_label_and_value(header[2]) and fields_table) or _keyed_like_its_rows(header[2], rows)):
            # A table opening on "Original Effective Date: | 03/20/2019" has no column names: that is a row. So
            # is a first line keyed by a code like the lines under it ("64624    Destruction ... genicular").
            rows = [(header[0], header[1], header[2], False), *rows]
            header = None
        cells_of_header = header[2] if header else []
        if not caption and self._last_table and self.passages[-1].kind != "paragraph":
            # A second table straight after another has no heading of its own: name it by its key column.
            parent = self._last_table[:-1] if len(self._last_table) > len(self.section) else self._last_table
            section = parent + (_plural(cells_of_header[0]) if cells_of_header else "Table",)
        else:
            section = self.section + ((caption,) if caption else ())
        header_text = " | ".join(c for c in cells_of_header)
        base, emitted = section, 0
        # Keyed by codes: most rows of more than one cell open on one (bands of one cell aside).
        keys = [bool(code_rules.find_codes(cells[0])) for _, _, cells, _ in rows if len([c for c in cells if c]) > 1]
        coded = sum(keys) > len(keys) / 2
        for start, end, cells, truncated in rows:
            self._fields_in_row(start, end)
            label = _caption_row(cells) or (_group_row(cells) if coded else "")
            if label:
                section = base + (label,)
                continue
            emitted += 1
            shown = [text for text in map(plain, cells) if text]  # a cell's markup ("<ul style=...>") is not text
            text = " | ".join(shown) + (" |" if truncated else "")
            key = code_rules.row_key_code(cells[0], f"{header_text} {' '.join(section)}") if cells else None
            self.passages.append(
                RawPassage(section, start, end, "row", text, header_text, key.value if key else "", truncated, lead)
            )
        if emitted == 0 and header:
            s, e, _ = header
            found = [f for f in find_fields(self.text[s:e], s) if f.name != "other"]
            if found and not rows:
                # A row of cells and no table under it is a banner ("Medical Policy Manual | Surgery, Policy
                # No. 238"): its labelled values are the document's fields, not the columns of a cut-off table.
                self.fields.extend(found)
                self._emit(s, e, "front-matter", section=section)
            else:
                self.passages.append(
                    RawPassage(section, s, e, "table-header", header_text, header_text, truncated=True)
                )
        self._last_table = section

    def _before_prose(self) -> bool:
        """Is nothing read yet that is prose (a paragraph or list long enough to be body text)?"""
        return not any(p.kind in ("paragraph", "list") and len(p.text) > PROSE_CHARS for p in self.passages)

    def _header_of_fields(self, header) -> bool:
        """Is a table's first row labelled values ("| Original Effective Date: 07/01/2021 | Number: O1187 |") over
        rows of other things (the title, a disclaimer)? Its fields are the document's, quoted as front matter."""
        s, e, _ = header
        found = [f for f in find_fields(self.text[s:e], s) if f.name != "other"]
        if not found or _coverage(found, self.text[s:e], s) < FIELD_COVERAGE:
            return False
        self.fields.extend(found)
        self._emit(s, e, "front-matter", section=self.section if self.stack else (HEADER_SECTION,))
        return True

    def _fields_in_row(self, start: int, end: int) -> None:
        """A dated field in a row of an ordinary table ("Next Scheduled Review Date: | 05/2026" closing a
        policy history) is a document field too; the row stays a row."""
        found = find_fields(self.text[start:end], start)
        if found and _coverage(found, self.text[start:end], start) >= FIELD_COVERAGE:
            self.fields.extend(f for f in found if f.name != "other")

    def _field_table(self, header, rows) -> bool:
        """A table that is a header block: label/value cells ("Policy #: | 261 | Latest Review Date: | March
        2025"), or a row of labels over a row of values."""
        all_rows = [(header[0], header[1], header[2])] + [(s, e, c) for s, e, c, _ in rows]
        found_rows: list[list[Field] | None] = []
        for s, e, cells in all_rows:
            in_row = find_fields(self.text[s:e], s)
            # A row is labelled when its labels and values fill it, or fill a cell of it: a header block may
            # print the title in a cell spanning its rows, beside "Effective Date: 3/1/2026".
            filled = _coverage(in_row, self.text[s:e], s) >= FIELD_COVERAGE or any(map(_field_cell, cells))
            # Cells in label/value pairs ("Status: | Revised | Last Review Date: | 11/19/2025"): a label this
            # module does not know leaves its own value unread, not its neighbour's.
            # (pairs without colons only in the header, before the body's prose: a body table of "| Procedure |
            # ... | Number | 64454 |" is no header block)
            filled = filled or _paired(cells) or (self._before_prose() and _known_in_pairs(cells))
            found_rows.append(in_row if in_row and filled else None)
        labelled = sum(1 for f, (_, _, cells) in zip(found_rows, all_rows) if f or (cells and is_label(cells[0])))
        if labelled and labelled >= LABELLED_SHARE * len(all_rows):
            self.flush()
            section = self.section if self.stack else (HEADER_SECTION,)
            for (s, e, cells), row_fields in zip(all_rows, found_rows):
                if row_fields:
                    self.fields.extend(row_fields)
                    self._emit(s, e, "front-matter", section=section)
                elif any(map(_prose, cells)) or _dated_entry(cells):
                    # A row of prose its labels do not fill ("Revised | 02/15/2024 | Added criteria for ...") is
                    # kept as it reads, never dropped with the block; a bare caption ("Review History") goes.
                    shown = " | ".join(text for text in map(plain, cells) if text)
                    self.passages.append(RawPassage(section, s, e, "row", shown))
            return True
        labels = [c for c in header[2] if c]
        # (a date's label in words of its own counts in a row led by a label of the table's: "POLICY LAST UPDATED"
        # over "04/21/2026" after "EFFECTIVE DATE"; a history's row leads with its key, "Updated On", and a cell of
        # several dates is a history, not one date)
        known = [c for c in labels if is_label(c)]
        if labels and is_label(labels[0]):
            value_of = dict(zip(header[2], rows[0][2] if rows else []))
            known += [
                c for c in labels if c not in known and _date_label(c) and len(DATE.findall(value_of.get(c) or "")) == 1
            ]
        # A row of labels over a row of values; a label this module does not know ("Review Dates" beside
        # "Policy #" and "Date Last Revised") leaves its value unread, not the block.
        if len(known) >= min(2, len(labels)) and len(known) >= LABELLED_SHARE * len(labels) and 1 <= len(rows) <= 2:
            values = rows[0][2]
            pairs = [
                f"{label.rstrip(':')}: {value}" for label, value in zip(header[2], values) if value and label in known
            ]
            found = [Field(f.name, f.label, f.value, header[0], rows[0][1]) for p in pairs for f in find_fields(p)]
            if found:
                self.flush()
                self.fields.extend(found)
                self._emit(header[0], rows[0][1], "front-matter", section=(HEADER_SECTION,))
                return True
        return False

    def labels_over_values(self, header: tuple[int, int, list[str]], start: int, end: int) -> bool:
        """A row of labels alone in its table, with their values on the line below it (a PDF whose values sit
        outside the ruled cells): header fields, if the values fit the labels in order."""
        labels = [c for c in header[2] if c]
        found = values_in_order(labels, self.text[start:end], start) if labels and all(map(is_label, labels)) else None
        if not found:
            return False
        self.flush()
        self.fields.extend(found)
        self._emit(header[0], end, "front-matter", section=self.section if self.stack else (HEADER_SECTION,))
        return True

    def _table_lead(self, table_start: int) -> str:
        """The sentence just above a table that says what its rows are ("The following modifiers must not be
        appended to 55880."), carried by each row as a list item carries its lead-in; or ''. A short line
        between them ("Group 2 Codes: (4 Codes)") may intervene."""
        previous = [p for p in self.passages[-2:] if p.section == self.section]
        for i in range(len(previous) - 1, -1, -1):
            p = previous[i]
            between = self.text[p.end : table_start]
            # A long paragraph leads by its sentence that points ahead ("... when ALL of the criteria in the
            # table below are met. Each row must be documented ...").
            pointing = [p.text[a:b] for a, b in sentence_spans(p.text) if _POINTS_AHEAD.search(p.text[a:b])]
            if p.kind == "paragraph" and pointing and len(pointing[-1]) <= LEAD_LIMIT:
                lead = p.text if len(p.text) <= LEAD_LIMIT else pointing[-1]
                return plain(lead) if len(between.strip()) <= MAX_BETWEEN else ""
            if p.kind != "paragraph" or len(p.text) > MAX_BETWEEN:
                return ""
        return ""

    def _take_caption(self) -> str:
        """A short 'Label:' paragraph right before a table names it ('Considered Not Medically Necessary:')."""
        lead, self._lead = self._lead, None
        if lead and lead[1] - lead[0] < 160:
            return heading_text(self.text[lead[0] : lead[1]])
        if lead:
            self._chunked(lead[0], lead[1], "paragraph")
        return ""

    # ---- emitting ----------------------------------------------------------------------------------
    def flush(self) -> None:
        """A lead-in with no list or table after it is a paragraph after all; so is a question no paragraph
        answers."""
        asked, self._asked = self._asked, None
        if asked:
            self._chunked(asked[0], asked[1], "paragraph")
        lead, self._lead = self._lead, None
        if lead:
            self._chunked(lead[0], lead[1], "paragraph")

    def _chunked(self, start: int, end: int, kind: str, lead: str = "") -> None:
        if end - start <= PASSAGE_LIMIT:
            self._emit(start, end, kind, lead=lead)
            return
        # A study paragraph names its subject once ("Fine et al. (2021) conducted ..."); the chunks that
        # hold its figures carry that sentence, so a question naming the study finds them too. When the
        # paragraph turns to a later report ("Fine et al. (2024) reported the 5-year results."), the chunks
        # after that sentence carry it as well.
        spans = sentence_spans(self.text[start:end], offset=start)
        first = plain(self.text[spans[0][0] : spans[0][1]])[:LEAD_LIMIT] if spans else ""
        subject = first
        sentences = iter(spans[1:])
        for s, e in chunk_spans(self.text[start:end], PASSAGE_LIMIT, offset=start):
            self._emit(s, e, kind, lead=lead or ("" if s == start else subject))
            for sentence_start, sentence_end in sentences:
                sentence = plain(self.text[sentence_start:sentence_end])
                if code_rules.opens_with_study(sentence):
                    subject = f"{first} {sentence[:LEAD_LIMIT]}"
                if sentence_end >= e:
                    break

    def _emit(self, start: int, end: int, kind: str, lead: str = "", section: tuple[str, ...] | None = None) -> None:
        text = plain(self.text[start:end])
        if kind != "row":
            self._last_table = None
        if text:
            self.passages.append(RawPassage(section or self.section, start, end, kind, text, lead=lead))

    def layout(self) -> Layout:
        self.flush()
        return Layout(self.passages, self.fields, self.headings, self.toc)


def _statement_of(passage: RawPassage) -> str:
    """The sentence a list passage states, up to its items: its lead-in, or its own first line."""
    return passage.lead or plain(passage.text.split(":", 1)[0] + ":")


def _code_line(line: str) -> tuple[str, str] | None:
    """(code, description) of a line that names a procedure or diagnosis code and describes it, else None."""
    m = _CODE_LINE.match(line)
    if not m:
        return None
    code = m.group("code")
    if not any(code_rules.PATTERNS[kind].fullmatch(code) for kind in ("cpt", "hcpcs", "icd10")):
        return None
    return code, plain(m.group("desc"))


def shortened(lead: str, limit: int = LEAD_LIMIT) -> str:
    """A lead-in cut to `limit` characters keeping both ends: what it is about, and its last words, which say
    whether ALL or ANY of the items must hold ("... when ALL of the following are met:")."""
    if len(lead) <= limit:
        return lead
    head = lead[: limit // 2].rsplit(" ", 1)[0]
    tail = lead[-(limit - len(head) - 3) :].split(" ", 1)[-1]
    return f"{head} … {tail}"


def _dated_entry(cells: list[str]) -> bool:
    """A row of a dated record ("| 10/15/2025 | Added new code 0971T |"): a date beside a cell that is no label."""
    filled = [c for c in cells if c]
    return any(DATE.fullmatch(c.strip()) for c in filled) and any(
        not DATE.fullmatch(c.strip()) and not is_label(c) for c in filled
    )


def _prose(cell: str) -> bool:
    """A cell that says something: a sentence, or a run of words longer than a label or a value."""
    count = len(cell.split())
    return count >= PROSE_WORDS or (count >= 3 and cell.rstrip().endswith("."))


def _field_cell(cell: str) -> bool:
    """Is a table cell one labelled value ("Effective Date: 3/1/2026"), and nothing else?"""
    found = [f for f in find_fields(cell) if f.name != "other"]
    return bool(found) and _coverage(found, cell, 0) >= FIELD_COVERAGE


# A line of a label and a short value ("- Approved by: UCare Medical Policy Committee"): a few words, a colon, a
# value of no sentence.
_LABEL_AND_VALUE = re.compile(
    r"[\s*_-]*(?P<label>[A-Z][A-Za-z/'()&\- ]{1,40}?)[\s*_]*:[\s*_]+(?P<value>[^.:;!?]{1,80}?)[\s*_]*$"
)


def _coverage(found: list[Field], text: str, offset: int) -> float:
    """Share of a line's characters (markup aside) that its label/value pairs account for."""
    marks = re.compile(r"[\s|*_:#.]")
    length = len(marks.sub("", text)) or 1
    covered = "".join(text[f.start - offset : f.end - offset] for f in found)
    return len(marks.sub("", covered)) / length


def _paired(cells: list[str]) -> bool:
    """Label cells, each ending in a colon, each followed by its value."""
    filled = [c.strip() for c in cells if c.strip()]
    labels, values = filled[0::2], filled[1::2]
    return len(filled) >= 4 and len(labels) == len(values) and all(c.endswith(":") for c in labels)


def _known_in_pairs(cells: list[str]) -> bool:
    """Cells in label/value pairs without colons ("Applicable Lines of Business | [X] ... | Last Review Date |
    10/26/2021"): two pairs at least, a label we know at a label's place with a value its field holds, and no
    label we know at a value's place. A label we do not know leaves its own value unread, not its neighbour's."""
    filled = [c.strip() for c in cells if c.strip()]
    labels, values = filled[0::2], filled[1::2]
    if len(filled) < 4 or len(labels) != len(values) or any(is_label(v) for v in values):
        return False
    fields = [(field_of(label) or date_field_of(label), value) for label, value in zip(labels, values)]
    return any(name and valid(name, value) for name, value in fields)


def _label_and_value(cells: list[str]) -> bool:
    """A row that is one field: a label cell, then values ("Next Scheduled Review Date: | 05/2026")."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and is_label(filled[0]) and not any(is_label(c) for c in filled[1:])


def _date_label(cell: str) -> bool:
    """A label that names a document's date in words of its own ("POLICY LAST UPDATED"), not a date of care
    ("First Visit", "Initial Consult")."""
    return bool(date_field_of(cell)) and bool(re.search(r"date|review|revis|updat|effective", cell, re.I))


def _keyed_like_its_rows(cells: list[str], rows: Sequence[tuple[int, int, list[str], bool]]) -> bool:
    """A first line that is a code (not a column's name that holds one: "M17 Codes") over rows keyed by codes."""
    keyed = [bool(code_rules.find_codes(r[2][0])) for r in rows if r[2]]
    found = code_rules.find_codes(cells[0]) if cells else []
    key = bool(found) and len(cells[0].strip()) <= len(found[0].value) + 4
    return key and bool(keyed) and sum(keyed) > len(keyed) / 2


MAX_GROUP = 120  # characters: a group's name is a phrase ("Not separately reimbursed when billed with 19105")


def _caption_row(cells: list[str]) -> str:
    """The caption a table row holds ('CPT codes covered if selection criteria are met:'), or ''."""
    filled = [c for c in cells if c]
    if len(filled) != 1 or cells[0] != filled[0]:
        return ""
    cell = filled[0]
    bold = cell.startswith("**") and cell.rstrip(":").endswith("**")
    if (cell.rstrip("*").endswith(":") or bold) and len(cell) < 200 and not code_rules.find_codes(cell):
        return heading_text(cell)
    return ""


def _group_row(cells: list[str]) -> str:
    """In a table keyed by codes, a row of words in its first cell alone heads the rows under it ("Not
    Covered", "Unlisted Codes"), as a shaded band does in print; or ''."""
    filled = [c for c in cells if c]
    if len(cells) < 2 or len(filled) != 1 or cells[0] != filled[0] or len(filled[0]) > MAX_GROUP:
        return ""
    # A code alone ("64999" with its other cells left blank) is a row of the table; a phrase naming one
    # ("Not separately reimbursed when billed with 19105") is not.
    codes = code_rules.find_codes(filled[0])
    return "" if codes and len(plain(filled[0])) <= len(codes[0].value) + 4 else heading_text(filled[0])


def heading_text(text: str) -> str:
    """A heading or caption as a section name: markup, numbering dots and the closing colon removed."""
    text = plain(text)
    text = re.sub(r"\s*\.{2,}.*$", "", text)  # dot leaders of a contents line
    return text.rstrip(":").strip()


def heading_key(text: str) -> str:
    return re.sub(r"\s+", " ", heading_text(text)).strip().lower()


def _plural(label: str) -> str:
    label = plain(label).strip() or "Table"
    return label if label.endswith("s") else label + "s"


def mark_boilerplate(layout: Layout) -> None:
    """A policy's table of contents names its substance; "INSTRUCTIONS FOR USE" and the like, outside it,
    are the same legal wrapper in every policy of that payer."""
    if not layout.toc:
        return
    outside = [
        r
        for r in layout.passages
        if r.kind != "front-matter" and r.section[0] != HEADER_SECTION and heading_key(r.section[0]) not in layout.toc
    ]
    if len(outside) > 0.5 * len(layout.passages):
        return  # the contents list does not name the headings as printed: it tells nothing then
    for raw in outside:
        raw.boilerplate = True
