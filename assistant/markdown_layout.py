"""Markdown structure for the builder: headings, paragraphs, lists and tables from markdown-it-py's tokens.

What HTML, PDF and Word files become is Markdown, so this reads most payer documents. Token line ranges
give every block its exact offsets in the text.
"""

from __future__ import annotations

import re

from .fields import after_number, date_field_of, field_of, valid
from .parsing import Builder, heading_key, plain
from .text import HISTORY_HEADING

_BOLD_ONLY = re.compile(r"^\s*(\*\*|__)(?P<body>[^*_].*?)\1\s*:?\s*$", re.S)
# Items written as paragraphs ("a. ...", "(1) ...", "• ..."): Markdown does not know these as lists.
_ITEM = re.compile(r"^\s*(?:\(?(?:[a-z]{1,3}|[A-Z]|[IVX]{1,4})[.)]|\(\d{1,3}\)|[•●▪◦‣·o§])\s+\S")
_SENTENCE_END = re.compile(r"[.!?]\s*$")
MAX_BOLD_HEADING = 120  # characters: a bold line longer than this is emphasis, not a heading


def marks_headings(text: str) -> bool:
    """Does a Markdown text mark any heading ("# ...", an underlined line, a line all in bold)? One that marks
    none is plain text saved as .md, and its headings are found as plain text's are."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)
    return any(
        t.type == "heading_open" or (t.type == "inline" and t.level == 1 and _BOLD_ONLY.match(t.content))
        for t in tokens
    )


def read_markdown(builder: Builder) -> None:
    from markdown_it import MarkdownIt

    text = builder.text
    tokens = MarkdownIt("commonmark", {"html": False}).enable("table").parse(text)
    lines = _line_starts(text)

    def span(token) -> tuple[int, int]:
        start, end = lines[token.map[0]], lines[min(token.map[1], len(lines) - 1)]
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    in_toc = False
    outline = ""  # the marker kind of an outline item that leads in the items gathered under it
    pending_items: list[tuple[int, int]] = []  # paragraphs written as list items, gathered into one list

    def flush_items() -> None:
        lone = len(pending_items) == 1 and _marker_kind(text[pending_items[0][0] : pending_items[0][1]])
        if lone in ("upper", "roman"):
            # A capital alone is no list: "R. Okafor, CPC" signing a post, "III. ..." closing an outline.
            start, end = pending_items[0]
            _paragraph(builder, text[start:end], start, end)
        elif pending_items:
            builder.listing(pending_items[0][0], pending_items[-1][1], list(pending_items))
        pending_items.clear()

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.level != 0 or token.map is None:
            i += 1
            continue
        close = _closing(tokens, i)
        start, end = span(token)
        nested = token.type in ("bullet_list_open", "ordered_list_open") and _introduced(builder.text, pending_items)
        if nested:
            # "F. At least one of the following is documented:" over "1. ... 2. ...": the list is the item's own,
            # and the items under the outline's lead-in go on.
            pending_items.append((start, end))
            i = close + 1
            continue
        if token.type != "paragraph_open" or not _ITEM.match(tokens[i + 1].content):
            flush_items()
        if token.type == "heading_open":
            title = tokens[i + 1].content
            in_toc = heading_key(title) in {"table of contents", "contents"}
            rest = after_number(plain(title))
            at = builder.text.find(title, start, end)
            if rest is not None and at >= 0 and builder.field_block(at, at + len(title)):
                # "MEDICAL POLICY No. 91633-R5 ENDOVENOUS ABLATION ...": the number is a header field, what
                # follows it the heading.
                if rest:
                    builder.heading(int(token.tag[1]), rest, start)
            elif not in_toc:
                builder.heading(int(token.tag[1]), title, start)
        elif in_toc and token.type in ("bullet_list_open", "ordered_list_open", "table_open", "paragraph_open"):
            builder.toc |= {heading_key(t.content) for t in tokens[i:close] if t.type == "inline" and t.content}
        elif token.type == "paragraph_open" and not plain(tokens[i + 1].content).strip():
            pass  # a comment the file's exporter left ("<!-- Exported from ... -->"): nothing a reader sees
        elif token.type == "paragraph_open":
            content = tokens[i + 1].content
            if _ITEM.match(content) and _leads_other_items(content, tokens, close, bool(pending_items)):
                # "I. ... when all of the following criteria (A.-F.) are met:" over items "A." to "F.": the
                # outline's item is the lead-in of the list under it, and each of those items carries it.
                flush_items()
                _paragraph(builder, content, start, end)
                outline = _marker_kind(content)
            elif _ITEM.match(content):
                if _marker_kind(content) == outline:
                    flush_items()  # "II." after "I."'s list: the outline goes on, that list is over
                    outline = ""
                pending_items.append((start, end))
            elif _label_over_value(builder, tokens, close, span, start):
                i = _closing(tokens, close + 1) + 1  # the value's paragraph is taken with its label's
                continue
            else:
                _paragraph(builder, tokens[i + 1].content, start, end)
        elif token.type == "bullet_list_open" and not _in_history(builder) and builder.field_block(start, end):
            pass  # a page's header fields as a list of "Label: value" items ("- Policy Number: MP-OPH-014")
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items = [span(t) for t in tokens[i:close] if t.type == "list_item_open" and t.level == 1]
            # "...; AND" wrapped onto a line of its own splits one criteria list in two: the connective ends the
            # item before it, and the list goes on.
            while (
                close + 3 < len(tokens)
                and tokens[close + 1].type == "paragraph_open"
                and _CONNECTIVE.match(tokens[close + 2].content)
                and _closing(tokens, close + 1) + 1 < len(tokens)
                and tokens[_closing(tokens, close + 1) + 1].type == token.type
            ):
                items[-1] = (items[-1][0], span(tokens[close + 1])[1])
                resumed = _closing(tokens, close + 1) + 1
                close = _closing(tokens, resumed)
                items += [span(t) for t in tokens[resumed:close] if t.type == "list_item_open" and t.level == 1]
                end = span(tokens[resumed])[1]
            # "7. At least ONE of the following applies:" closing the list, over "a. ...; or b. ..." written as
            # paragraphs: those items are item 7's own, cited with it and the list's lead-in.
            # Only items of the first one's kind: "B. Salvage ..." after "a. ... c. ..." starts the next statement.
            # The numbered list may go on after them ("5." after item 4's "a. ... c."): one list, one lead-in.
            first_number = int(token.attrGet("start") or 1)
            while True:
                introduces = text[items[-1][0] : items[-1][1]].rstrip().endswith(":")
                kind = ""
                while (
                    introduces
                    and close + 2 < len(tokens)
                    and tokens[close + 1].type == "paragraph_open"
                    and _ITEM.match(tokens[close + 2].content)
                    and (kind or _marker_kind(tokens[close + 2].content)) == _marker_kind(tokens[close + 2].content)
                ):
                    kind = _marker_kind(tokens[close + 2].content)
                    items[-1] = (items[-1][0], span(tokens[close + 1])[1])
                    end = items[-1][1]
                    close = _closing(tokens, close + 1)
                resumed = close + 1
                if not (
                    kind
                    and token.type == "ordered_list_open"
                    and resumed < len(tokens)
                    and tokens[resumed].type == "ordered_list_open"
                    and int(tokens[resumed].attrGet("start") or 1) == first_number + len(items)
                ):
                    break
                close = _closing(tokens, resumed)
                items += [span(t) for t in tokens[resumed:close] if t.type == "list_item_open" and t.level == 1]
                end = items[-1][1]
            builder.listing(start, end, items)
        elif token.type == "table_open":
            labels = _table(builder, tokens[i:close], span)
            following = tokens[close + 1] if close + 1 < len(tokens) else None
            if labels and following is not None and following.type == "paragraph_open" and following.map:
                value_start, value_end = span(following)
                if builder.labels_over_values(labels, value_start, value_end):
                    i = _closing(tokens, close + 1) + 1
                    continue
            if labels:
                builder.table(labels, [])
        elif token.type in ("fence", "code_block", "blockquote_open"):
            builder.paragraph(start, end)
        i = close + 1
    flush_items()


def _marker_kind(content: str) -> str:
    """The kind of an item's marker: "I." (a capital numeral), "A.", "a.", "(1)", a bullet."""
    mark = content.strip().split(maxsplit=1)[0].strip("().")
    if re.fullmatch(r"[IVX]+", mark):
        return "roman"
    if mark.isalpha():
        return "upper" if mark.isupper() else "lower"
    return "digit" if mark.isdigit() else "bullet"


def _introduced(text: str, items: list[tuple[int, int]]) -> bool:
    """Does the last item gathered end in ':', introducing what follows it?"""
    return bool(items) and text[items[-1][0] : items[-1][1]].rstrip().endswith(":")


def _leads_other_items(content: str, tokens, close: int, gathering: bool) -> bool:
    """Does an item ending in ':' introduce items of another kind of marker straight after it?"""
    following = tokens[close + 1] if close + 1 < len(tokens) else None
    if not content.rstrip().endswith(":") or following is None:
        return False
    if following.type in ("bullet_list_open", "ordered_list_open"):
        return not gathering  # an item of a list being gathered has the list under it as its own
    if following.type != "paragraph_open":
        return False
    after = tokens[close + 2].content
    return bool(_ITEM.match(after)) and _marker_kind(after) != _marker_kind(content)


# A criteria list's connective standing alone: "AND", "**OR**", "and/or".
_CONNECTIVE = re.compile(r"^\W*(?:and|or|and/or)\W*$", re.I)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for match in re.finditer("\n", text):
        starts.append(match.end())
    starts.append(len(text))
    return starts


def _closing(tokens, i: int) -> int:
    """Index of the token that closes the block opened at i (i itself for a self-contained token)."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


_POINTS_ON = re.compile(r"\bthe following\b|\bbelow\b", re.I)


def _prose_above(builder: Builder) -> bool:
    """Has the document said anything in sentences yet? A bold line after that is no banner above a title but a
    heading, though the title was never a heading (printed in a table cell, as some Word policies do)."""
    return any(
        p.kind in {"list", "row"} or (p.kind == "paragraph" and _SENTENCE_END.search(p.text) and len(p.text) >= 80)
        for p in builder.passages
    )


def _in_history(builder: Builder) -> bool:
    """Is the list under a policy's history, whose dated entries are no header?"""
    return bool(builder.stack) and bool(HISTORY_HEADING.search(" ".join(t for _, t in builder.stack)))


def _label_over_value(builder: Builder, tokens, close: int, span, start: int) -> bool:
    """A bold field label on a line of its own over its value's paragraph ("**Next Review Date**" / "Nov. 2026",
    as a Word header block prints them): a header field, taken; no heading with the value as its section."""
    bold = _BOLD_ONLY.match(tokens[close - 1].content)
    following = close + 1
    if not bold or following + 1 >= len(tokens) or tokens[following].type != "paragraph_open":
        return False
    label = bold.group("body").strip()
    name = field_of(label) or date_field_of(label)
    value = plain(tokens[following + 1].content).strip()
    return name is not None and valid(name, value) and builder.field_block(start, span(tokens[following])[1])


def _paragraph(builder: Builder, content: str, start: int, end: int) -> None:
    if builder.field_block(start, end):
        return
    bold = _BOLD_ONLY.match(content)
    if bold and "\n" not in content.strip() and len(content) <= MAX_BOLD_HEADING + 4:
        body = bold.group("body").strip()
        if not builder.headings and not _prose_above(builder):
            builder._emit(start, end, "front-matter")  # a banner above the title ("UnitedHealthcare® ...")
            return
        # A bold line that points to what follows ("**... in any of the following situations:**") leads in a
        # list; one that only labels it ("**Investigational and Not Medically Necessary:**") heads it.
        lead_in = content.rstrip().endswith(":") or (body.endswith(":") and bool(_POINTS_ON.search(body)))
        if not lead_in and not _SENTENCE_END.search(body) and re.search(r"[A-Za-z]{4}", body):
            builder.heading(builder.outline_depth + 1 if builder.outline_depth else 2, body, start, marked=False)
            return
    builder.paragraph(start, end)


def _table(builder: Builder, tokens, span):
    """Feed a table to the builder; returns its header row when that row is alone (labels, perhaps, whose
    values follow outside the table)."""
    rows = []
    for k, token in enumerate(tokens):
        if token.type != "tr_open":
            continue
        close = _closing(tokens, k)
        cells = [plain_cell(t.content) for t in tokens[k:close] if t.type == "inline"]
        start, end = span(token)
        rows.append((start, end, cells))
    if not rows:
        return None
    header = rows[0]
    if len(rows) == 1:
        return header
    if all(not c for c in header[2]) and len(rows) > 1:  # an empty header row (a layout table): the first row heads
        header, rows = rows[1], rows[1:]
    body = [(s, e, cells, False) for s, e, cells in rows[1:]]
    builder.table(header, body)
    return None


def plain_cell(content: str) -> str:
    """A cell as the table shows it; a wholly bold caption cell keeps its bold marks for the builder."""
    stripped = content.strip()
    if _BOLD_ONLY.match(stripped):
        return f"**{plain(stripped)}**"
    return plain(stripped)
