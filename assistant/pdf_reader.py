"""A PDF -> Markdown: headings from type size and weight, ruled tables as pipe rows, running lines out.

PyMuPDF gives each text line with its font size and weight, and finds ruled tables. Body text is the size
most characters are set in; a short line in larger type is a heading (the larger, the higher), a line set
wholly in bold at body size is a bold label line (`**...**`) the structural parser judges in context. Lines
a publisher prints at the top or bottom of most pages are page furniture: left out of the text, kept as
running text (the publisher's name is usually there). Table detection runs only on pages that draw lines,
because looking for tables on a page of prose costs more than everything else on it. A page whose body is set in
two columns is read a column at a time, what runs across the page (title, header block, a wide table) in its place.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .codes import find_codes
from .readers import OPEN_END, PAGE_NUMBER, BadFile, Source, digitless, is_repeated, repeated_lines

_GLYPHS = {"•", "●", "▪", "◦", "‣", "∙", "·", "-", "–", "*", "o", "§"}
_BULLET = re.compile(r"^\s*(?:[•●▪◦‣∙·\-–*]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])\s+")
HEADING_STEP = 1.0  # points above body size that make a line a heading (a size change a reader notices)
MAX_HEADING_CHARS = 160
MIN_TABLE_LINES = 4  # drawn line segments or rectangles on a page before it is searched for tables
MIN_GUTTER = 8.0  # points of space between two columns of text (a word space is 2-3)
MIN_COLUMN = 0.35  # the least share of the text's width one of two columns takes
MIN_COLUMN_RUN = 0.25  # the least share of the page's text height two columns run down


@dataclass
class _Line:
    text: str
    size: float
    bold: bool
    block: int
    top: float
    bottom: float
    left: float
    right: float = 0.0


@dataclass
class _Table:
    rows: list[list[str]]
    top: float
    bottom: float
    left: float
    right: float


@dataclass
class _Unit:
    """A text block or a table as placed on the page: what a column is made of."""

    items: list
    left: float
    top: float
    right: float
    bottom: float
    running: bool = False  # a running header or footer line: never in a column


def pdf_source(data: bytes) -> Source:
    import pymupdf
    import pymupdf4llm

    # PyMuPDF 2 analyses every page with an ONNX layout model when pymupdf-layout is installed (it is a
    # dependency): 0.7 s a page on 2 cores. Ruled-table detection does not need it.
    pymupdf4llm.use_layout(False)
    try:
        pdf = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises its own types for broken files
        raise BadFile(f"not a readable PDF ({exc})") from None
    with pdf:
        if pdf.needs_pass:
            raise BadFile("the PDF is password-protected: save an unprotected copy")
        pages = [_page(pdf[number]) for number in range(pdf.page_count)]
        title_hint = (pdf.metadata or {}).get("title", "") or ""
        author = (pdf.metadata or {}).get("author", "") or ""
    lines_by_page = [[item.text for item in page if isinstance(item, _Line)] for page in pages]
    repeated = repeated_lines(lines_by_page)
    # The lines a publisher repeats on every page head the first page too, where they are the document's own
    # header block (payer, "MEDICAL POLICY No. 91633-R5", the title): in the top half of that page they are kept.
    first = [i for i in pages[0] if isinstance(i, _Line)] if pages else []
    middle = (min(i.top for i in first) + max(i.bottom for i in first)) / 2 if first else 0.0
    head = {digitless(i.text) for i in first if i.bottom <= middle and not PAGE_NUMBER.match(i.text)}
    per_page = [repeated - head] + [repeated] * (len(pages) - 1)
    running = "\n".join(sorted({line for lines in lines_by_page for line in lines if is_repeated(line, repeated)}))
    running += f"\n{author}" if author else ""  # the file's author: often the publisher
    # A page set in columns is read as a page per column, so a paragraph or a table the column break cuts in two is
    # joined again as one a page break cuts.
    frames = [(frame, skipped) for page, skipped in zip(pages, per_page) for frame in _frames(page, skipped)]
    body = _body_size(pages)
    sizes = sorted(
        {round(i.size) for p in pages for i in p if isinstance(i, _Line) and i.size >= body + HEADING_STEP},
        reverse=True,
    )
    if not sizes and not any(isinstance(i, _Table) or i.bold for p in pages for i in p):
        # Type that marks nothing (one size, no bold, no ruled tables): the text's own layout (capitalised
        # headings, pipe rows, numbered items) is all there is, so it is read as plain text.
        return Source(_plain(frames), "text", title_hint=title_hint.strip(), running=running)
    out: list[str | _Table] = []
    for frame, skipped in frames:
        _render(frame, body, sizes, skipped, out)
    text = _join([_table_markdown(b.rows) if isinstance(b, _Table) else b for b in out])
    if not text.strip():
        raise BadFile("PDF has no extractable text (scanned image?)")
    return Source(text, "pdf", title_hint=title_hint.strip(), running=running)


def _page(page) -> list:
    """The page's lines and tables, in reading order."""
    import pymupdf

    tables = []
    drawings = page.get_drawings()
    if len(drawings) >= MIN_TABLE_LINES:
        # Spanned by coordinates: a rule drawn as a line has an empty box, which a union of boxes leaves out
        # (a table ruled line by line was clipped to its shaded header).
        boxes = [d["rect"] for d in drawings]
        clip = pymupdf.Rect(
            min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes)
        )
        found = [t for t in page.find_tables(clip=clip).tables if t.row_count >= 1 and t.col_count >= 2]
        # A grid found inside another table's box is a cell's own lines ("Description" over "(summarized)" in a
        # header cell), not a table of its own.
        tables = [t for t in found if not any(o is not t and _within(t.bbox, o.bbox) for o in found)]
    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_LIGATURES & ~pymupdf.TEXT_PRESERVE_IMAGES
    items: list = []
    for number, block in enumerate(page.get_text("dict", flags=flags, sort=True)["blocks"]):
        for line in block.get("lines", []):
            spans = [s for s in line["spans"] if s["text"].strip()]
            if not spans:
                continue
            box = pymupdf.Rect(line["bbox"])
            if any(box.intersects(t.bbox) and _inside(box, pymupdf.Rect(t.bbox)) for t in tables):
                continue
            text = "".join(s["text"] for s in line["spans"]).strip()
            chars = sum(len(s["text"].strip()) for s in spans)
            size = sum(s["size"] * len(s["text"].strip()) for s in spans) / chars
            bold = all(s["flags"] & 16 or "bold" in s["font"].lower() for s in spans)
            items.append(_Line(text, size, bold, number, box.y0, box.y1, box.x0, box.x1))
    words = page.get_text("words", sort=True) if tables else []  # read once for all the page's tables
    return _ordered(items, [_Table(_table_rows(words, t), t.bbox[1], t.bbox[3], t.bbox[0], t.bbox[2]) for t in tables])


def _ordered(lines: list[_Line], tables: list[_Table]) -> list:
    """Lines in rows, each table before the first line below its top."""
    ordered: list = _rows(lines)
    for table in sorted(tables, key=lambda t: t.top):
        at = next((k for k, i in enumerate(ordered) if i.top > table.top), len(ordered))
        ordered.insert(at, table)
    return ordered


def _frames(page: list, running: set[str]) -> list[list]:
    """The page as the runs read one after the other: where its body is set in two columns, what runs across the
    page above them, the left column, the right column, and what runs across below; otherwise the page itself."""
    units = _units(page, running)
    text = [u for u in units if not u.running]
    gutter = _gutter(text)
    if gutter is None:
        return [page]
    frames: list[list[_Unit]] = [[]]
    band: list[_Unit] = []  # the blocks since the last one across the gutter
    for unit in sorted(units, key=lambda u: u.top) + [None]:
        if unit is not None and not unit.running and not unit.left < gutter < unit.right:
            band.append(unit)
            continue
        sides = _sides(band, gutter, text)
        if sides:
            frames += [*sides, []]  # what runs across below the columns is read after both
        else:
            frames[-1] += band
        if unit is not None:
            frames[-1].append(unit)
        band = []
    if len(frames) == 1:
        return [page]
    return [_ordered(*_split([i for u in frame for i in u.items])) for frame in frames if frame]


def _sides(band: list[_Unit], gutter: float, text: list[_Unit]) -> tuple[list[_Unit], list[_Unit]] | None:
    """The band's left and right columns, if it is set in two: the gutter runs down a good part of the page (a table
    row a page break left without its rules is no band of columns), and each side is a column."""
    if not band:
        return None
    height = max(u.bottom for u in text) - min(u.top for u in text)
    if max(u.bottom for u in band) - min(u.top for u in band) < MIN_COLUMN_RUN * height:
        return None
    width = max(u.right for u in text) - min(u.left for u in text)
    left, right = [u for u in band if u.right <= gutter], [u for u in band if u.left >= gutter]
    if not (_column(left, width) and _column(right, width)) or _cells(left, right):
        return None
    return left, right


def _cells(left: list[_Unit], right: list[_Unit]) -> bool:
    """Do the two sides go in step row by row, as the cells of a table without rules do: every block of the side with
    fewer set level with one of the other's (their tops or their middles aligned), in two rows at least besides the
    first line, where two columns open together (a heading atop each, say)? Further down they meet only by chance."""
    fewer, more = sorted((left, right), key=len)
    top = min(u.top for u in fewer + more)
    rows = [u for u in fewer if any(_aligned(u, v) for v in more)]
    opening = [u for u in fewer if u.top - top < 2 and any(v.top - top < 2 for v in more)]
    return len(rows) == len(fewer) and len(rows) - len(opening) >= 2


def _aligned(one: _Unit, other: _Unit) -> bool:
    return abs(one.top - other.top) < 2 or abs(one.top + one.bottom - other.top - other.bottom) < 4


def _split(items: list) -> tuple[list[_Line], list[_Table]]:
    return [i for i in items if isinstance(i, _Line)], [i for i in items if isinstance(i, _Table)]


def _units(page: list, running: set[str]) -> list[_Unit]:
    """The page's text blocks (lines of one PyMuPDF block) and tables, each running line a unit of its own."""
    blocks: dict[int, list[_Line]] = {}
    units = []
    for item in page:
        if isinstance(item, _Table):
            units.append(_Unit([item], item.left, item.top, item.right, item.bottom))
        elif is_repeated(item.text, running):
            units.append(_Unit([item], item.left, item.top, item.right, item.bottom, running=True))
        else:
            blocks.setdefault(item.block, []).append(item)
    for lines in blocks.values():
        box = (min(i.left for i in lines), min(i.top for i in lines), max(i.right for i in lines))
        units.append(_Unit(lines, *box, max(i.bottom for i in lines)))
    return units


def _gutter(units: list[_Unit]) -> float | None:
    """The x of the space between two columns, if the page has one: of the gaps between block edges in the middle
    half of the text's width, the one the fewest blocks cross (a title or a table across the page does, a column's
    lines do not), the widest of those."""
    if not units:
        return None
    x0, x1 = min(u.left for u in units), max(u.right for u in units)
    edges = sorted({e for u in units for e in (u.left, u.right) if x0 + (x1 - x0) / 4 <= e <= x1 - (x1 - x0) / 4})
    gaps = [(a, b) for a, b in zip(edges, edges[1:]) if b - a >= MIN_GUTTER]
    if not gaps:
        return None
    a, b = min(gaps, key=lambda g: (sum(u.left < g[1] and u.right > g[0] for u in units), g[0] - g[1]))
    return (a + b) / 2


def _column(units: list[_Unit], width: float) -> bool:
    """Are these blocks one side of a page set in columns? Text of a column's own width: at least a third of the
    page's, with a paragraph wrapped in it or a table across it (a side of labels, codes or dates is narrower), its
    lines one above another (side by side they are the cells of a table without rules: "46221" | "Hemorrhoidectomy,
    internal, by rubber band" | "ligation(s)")."""
    if not units:
        return False
    span = max(u.right for u in units) - min(u.left for u in units)
    wrapped = any(u.right - u.left >= 0.8 * span and (len(u.items) > 1 or _is_table(u)) for u in units)
    return span >= MIN_COLUMN * width and wrapped and _stacked([i for u in units for i in u.items])


def _is_table(unit: _Unit) -> bool:
    return isinstance(unit.items[0], _Table)


def _stacked(items: list) -> bool:
    """Are the text lines one above another? A list's number or bullet set apart beside its item does not count."""
    lines = sorted((i for i in items if isinstance(i, _Line) and not _marker(i.text)), key=lambda i: i.top)
    for k, line in enumerate(lines):
        for other in lines[k + 1 :]:
            if other.top >= line.bottom:
                break
            overlap = min(line.bottom, other.bottom) - other.top
            apart = other.left >= line.right or other.right <= line.left
            if apart and overlap > 0.3 * min(line.bottom - line.top, other.bottom - other.top):
                return False
    return True


def _marker(text: str) -> bool:
    """Is the line a list's bullet or number alone ("•", "2.", "(b)")?"""
    return text in _GLYPHS or bool(_BULLET.fullmatch(f"{text} "))


def _within(inner, outer) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _rows(lines: list[_Line]) -> list[_Line]:
    """Lines in reading order: top to bottom, and left to right within a row ("Policy Number:" before its
    value "106" in a two-column header block, where sorting by the top edge alone put the value first
    because its type sat a fraction of a point higher than its bold label)."""
    rows: list[list[_Line]] = []
    for line in sorted(lines, key=lambda i: i.top):
        beside = rows and all(line.left >= i.right or line.right <= i.left for i in rows[-1])
        if beside and _level_with(line, rows[-1][0]):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [line for row in rows for line in sorted(row, key=lambda i: i.left)]


def _inside(line, table) -> bool:
    overlap = line & table
    return overlap.get_area() >= 0.6 * max(line.get_area(), 1e-6)


def _body_size(pages: list[list]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for item in page:
            if isinstance(item, _Line):
                sizes[round(item.size, 1)] += len(item.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _render(page: list, body: float, sizes: list[int], repeated: set[str], out: list) -> None:
    """Append the page's blocks to out: Markdown lines, and tables as _Table (a table the page break cut in two
    is joined again here, so the text is made of the tables once all pages are read)."""
    previous: _Line | None = None
    before: _Line | None = None  # the line before the previous one
    indents: list[float] = []  # left edges of the list levels open on this page: a deeper bullet is indented
    opening = True  # nothing of this page's own is out yet
    for item in page:
        if isinstance(item, _Table):
            if opening and out and isinstance(out[-1], _Table) and _continues(out[-1].rows, item.rows):
                out[-1].rows += item.rows[1:] if item.rows[0] == out[-1].rows[0] else item.rows
            elif item.rows:
                out.append(item)
            previous, before, opening = None, None, False
            continue
        if is_repeated(item.text, repeated):
            continue
        opening = False
        level = _heading_level(item, body, sizes)
        if item.text in _GLYPHS or _BULLET.match(item.text):
            while indents and item.left < indents[-1] - 3:
                indents.pop()
            if not indents or item.left > indents[-1] + 3:
                indents.append(item.left)
        elif not _bullet_open(out) and (previous is None or previous.block != item.block):
            indents.clear()  # body text at the margin ends the list
        depth = "   " * max(len(indents) - 1, 0)
        if item.text in _GLYPHS:  # a bullet set apart from its text: the text follows on the same baseline
            out.append(f"{depth}-")
            previous = before = None
            continue
        if _bullet_open(out) and not level:
            out[-1] = f"{out[-1]} {item.text}"
        elif previous is not None and _label_beside(previous, item):
            out[-1] = f"{out[-1]} {item.text}"  # "**Policy Number:** 106": a header block in two columns
        elif (
            before is not None
            and previous is not None
            and _label_wrapped(before, previous, item)
            and out[-2:-1] == [f"**{before.text}**"]  # (the label's line as set down, not merged into another)
        ):
            out[-2:] = [f"**{before.text} {item.text}** {out[-1]}"]  # "Agency / implementation date:" | value
        elif level and previous is not None and out[-1].startswith("#") and _heading_goes_on(previous, item, out[-1]):
            out[-1] += f" {item.text}"  # a heading set on two lines
        elif level:
            out.append(f"{'#' * level} {item.text}")
        elif (
            item.bold
            and len(item.text) <= MAX_HEADING_CHARS
            and (previous is None or previous.block != item.block or not previous.bold)
        ):
            out.append(f"**{item.text}**")
        elif (
            previous is not None
            and (previous.block == item.block or _wraps_onto(previous, item))
            and not _BULLET.match(item.text)
            and not _heading_level(previous, body, sizes)
            and not previous.bold
        ):
            out[-1] = _wrap(out[-1], item.text)  # the same paragraph, wrapped
        elif (
            previous is not None
            and previous.bold
            and previous.block == item.block
            and item.bold
            and out[-1].endswith("**")
        ):
            out[-1] = out[-1][:-2] + " " + item.text + "**"  # (after a heading, "**" does not close its line)
        else:
            out.append((depth if _BULLET.match(item.text) else "") + item.text)
        previous, before = item, previous


def _wraps_onto(previous: _Line, item: _Line) -> bool:
    """Is the item the next line of an unfinished sentence, set in a block of its own (a hanging indent under
    a list item: "... eosinophils are below" over "150 cells per microliter ...")? The line right below, in the
    same type, not left of it, after an item's line that ends in no stop."""
    return (
        bool(_BULLET.match(previous.text))
        and not re.search(r"[.:;?!]\W*$", previous.text)
        and abs(previous.size - item.size) < 0.5
        and previous.bold == item.bold
        and abs(item.top - previous.bottom) < previous.size / 2
        and item.left >= previous.left - 1
    )


def _heading_goes_on(previous: _Line, item: _Line, heading: str) -> bool:
    """A heading line continues the one above it: in the same block, or in the same type right below a line
    its last word leaves open ("... SHOULDER JOINT NERVES FOR" over "CHRONIC SHOULDER PAIN")."""
    if previous.block == item.block:
        return True
    same_type = abs(previous.size - item.size) < 0.5 and previous.bold == item.bold
    right_below = item.top - previous.bottom < previous.size  # the next line, not a heading further down
    return OPEN_END.search(heading) is not None and same_type and right_below


def _bullet_open(out: list) -> bool:
    """Is the last block a bullet set apart from its text, waiting for it?"""
    return bool(out) and isinstance(out[-1], str) and out[-1].lstrip() == "-"


def _label_beside(label: _Line, item: _Line) -> bool:
    """Is the item the value printed beside a bold label ("Effective Date:" | "05/01/2025")?"""
    return (
        label.bold
        and label.text.rstrip().endswith(":")
        and not item.bold
        and item.left > label.left
        and _level_with(item, label)
    )


def _label_wrapped(label: _Line, value: _Line, item: _Line) -> bool:
    """Is the item the second line of a bold label the cell beside it gives the value of ("Agency" over
    "implementation date:", with "... on or after July 1, 2026" level with the first line)? The label's line
    ends in no colon, the item right below it in the same column does."""
    return (
        label.bold
        and not label.text.rstrip().endswith(":")
        and item.bold
        and item.text.rstrip().endswith(":")
        and not value.bold
        and value.left > label.right
        and _level_with(value, label)
        and abs(item.left - label.left) < 2
        and label.top < item.top
        and item.top - label.bottom < label.size
    )


def _level_with(line: _Line, anchor: _Line) -> bool:
    """Is the line printed on the anchor's row (its middle within the anchor's height)?"""
    return anchor.top <= (line.top + line.bottom) / 2 <= anchor.bottom


def _plain(frames: list[tuple[list, set[str]]]) -> str:
    """One line per text block, wrapped lines joined; a block a page break cut in two joined again."""
    blocks: list[str] = []
    for page, repeated in frames:
        previous = None
        for k, item in enumerate(i for i in page if isinstance(i, _Line) and not is_repeated(i.text, repeated)):
            if (
                previous is not None
                and previous.block == item.block
                or (
                    k == 0
                    and blocks
                    and (not blocks[-1].rstrip().endswith((".", ":", "!", "?", "|")) or item.text[:1].islower())
                )
            ):
                blocks[-1] = _wrap(blocks[-1], item.text)
            else:
                blocks.append(item.text)
            previous = item
    return "\n".join(blocks) + "\n"


def _heading_level(line: _Line, body: float, sizes: list[int]) -> int:
    if line.size < body + HEADING_STEP or len(line.text) > MAX_HEADING_CHARS:
        return 0
    return min(sizes.index(round(line.size)) + 1, 4) if round(line.size) in sizes else 0


def _wrap(before: str, after: str) -> str:
    """A line a PDF wrapped, joined back; a wrap after a hyphen ("pre-" / "procedure") adds no space."""
    if before.endswith("-") and before[-2:-1].isalpha() and after[:1].islower():
        return before + after
    return f"{before} {after}"


def _continues(rows: list[list[str]], more: list[list[str]]) -> bool:
    """Does a table opening a page go on with the one that closed the page before? A publisher breaks a long
    table across pages, repeating its header row or not; read apart, the next page's first row heads a table
    of its own ("64405 | Anesthetic injection ..." as column names) and is no row of the codes it lists."""
    if not more or max(map(len, rows)) != max(map(len, more)):
        return False
    # The next page's first row repeats the header, or is a row like the last one ("64405 | ..." after "64640 |
    # ..."); a row of another shape ("ICD-10 | Description" after code rows) heads a table of its own.
    return more[0] == rows[0] or bool(find_codes(more[0][0])) == bool(find_codes(rows[-1][0]))


def _table_rows(words: list, table) -> list[list[str]]:
    # Each cell's words read from its box (extract() can lose the spaces of some PDF writers' text): the page's
    # words whose middle is in it. A box that cuts through a line (a row the table finder draws over the top of
    # the next one) would otherwise take the glyphs that reach into it: "A th ti i j ti" of "Anesthetic injection".
    columns, every = _columns(table), [b for other in table.rows for b in other.cells if b]
    rows = [[_cell(_words_in(words, box)) if box else "" for box in _boxes(row, columns, every)] for row in table.rows]
    rows = [r for r in rows if any(r)]
    # A column no row fills is the finder's (a cell spanning two columns read as two), not the publisher's.
    filled = [k for k in range(max(map(len, rows), default=0)) if any(k < len(r) and r[k] for r in rows)]
    return [[r[k] if k < len(r) else "" for k in filled] for r in rows]


def _columns(table) -> dict[int, tuple[float, float]]:
    """Each column's left and right edges, from the first row whose cell there spans that column alone."""
    columns: dict[int, tuple[float, float]] = {}
    for other in table.rows:
        for k, box in enumerate(other.cells):
            if box and k not in columns and (k + 1 == len(other.cells) or other.cells[k + 1]):
                columns[k] = (box[0], box[2])
    return columns


def _boxes(row, columns: dict[int, tuple[float, float]], every: list) -> list:
    """A row's cell boxes. A cell the finder leaves without one (shaded label cells of a two-column header table:
    "Policy Number | MS-1127") takes its column's span in the row when no cell of the table (`every` box) reaches
    there: a cell spanning two columns or rows keeps its words once."""
    boxes = list(row.cells)
    y0, y1 = row.bbox[1], row.bbox[3]
    for k, box in enumerate(boxes):
        if box is None and k in columns:
            x0, x1 = columns[k]
            if not any(b[0] < x1 and x0 < b[2] and b[1] < y1 and y0 < b[3] for b in every):
                boxes[k] = (x0, y0, x1, y1)
    return boxes


def _table_markdown(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def _words_in(words: list, box) -> str:
    x0, y0, x1, y1 = box
    return " ".join(w[4] for w in words if x0 <= (w[0] + w[2]) / 2 <= x1 and y0 <= (w[1] + w[3]) / 2 <= y1)


def _cell(value) -> str:
    return " ".join(str(value or "").replace("|", "/").split())


def _join(blocks: list[str]) -> str:
    """Blocks separated by blank lines; a paragraph a page break cut in two is joined again."""
    merged: list[str] = []
    for block in blocks:
        if not block:
            continue
        if (
            merged
            and block[:1].islower()
            and not merged[-1].startswith(("#", "|", "**"))
            and not merged[-1].rstrip().endswith((".", ":", "!", "?"))
        ):
            merged[-1] = _wrap(merged[-1], block)
        else:
            merged.append(block)
    return "\n\n".join(merged) + "\n"
