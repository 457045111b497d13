"""A Word file (.docx) -> Markdown: heading styles as `#`, list paragraphs as items, tables as pipe rows.

python-docx reads the body in order; a paragraph's style says what it is ("Title", "Heading 2", "List
Number", or a style of any name with an outline level), a numbering property makes a list item of a plain
paragraph, a text box's paragraphs are lines of their own where the paragraph anchoring the box sits, and page
headers and footers are kept aside as running text, bar a table in a page header: a header block printed on every
page, read once at the top.
"""

from __future__ import annotations

import io
import re

from .readers import BadFile, Source

_HEADING = re.compile(r"^heading\s*(\d)$", re.I)


def docx_source(data: bytes) -> Source:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise BadFile(f"not a readable Word file ({type(exc).__name__})") from None
    except Exception as exc:  # zip and XML errors surface as many types
        raise BadFile(f"not a readable Word file ({exc})") from None
    blocks: list[str] = []
    numbers: dict[tuple[str, int], int] = {}
    formats = _list_formats(document)
    # A table in a page header is the document's header block (number, dates), printed on every page.
    for table in _header_tables(document):
        if table not in blocks:
            blocks.append(table)
    for element in _blocks(document.element.body):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            line = _paragraph(Paragraph(element, document), numbers, formats)
            if line:
                blocks.append(line)
            else:
                _restart_styled(numbers)
        elif tag == "tbl":
            _restart_styled(numbers)
            blocks.append(_table(Table(element, document)))
    running = "\n".join(
        p.text
        for section in document.sections
        for part in (section.header, section.footer)
        for p in part.paragraphs
        if p.text.strip()
    )
    author = (document.core_properties.author or "").strip()
    running += f"\n{author}" if author else ""  # the file's author: often the publisher
    text = "\n\n".join(b for b in blocks if b.strip())
    if not text.strip():
        raise BadFile("the Word file has no text")
    return Source(text + "\n", "docx", title_hint=(document.core_properties.title or "").strip(), running=running)


def _header_tables(document) -> list[str]:
    from docx.table import Table

    from .fields import find_fields

    found: list[str] = []
    for section in document.sections:
        parts = (
            (section.first_page_header, section.header)
            if section.different_first_page_header_footer
            else (section.header,)
        )
        for part in parts:
            if part.is_linked_to_previous and found:
                continue
            found += [_table(Table(t, part)) for t in part._element.iter(_W + "tbl")]
    # (a table of the logo and the address is page furniture: a header block holds labelled fields)
    return [t for t in found if t and any(find_fields(line) for line in t.splitlines())]


# Word's number formats, as the marks a reader sees ("bullet" and "none" number nothing).
_MARKS = {"decimal": "1", "lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}


def _list_formats(document) -> dict[str, dict[int, tuple[str, int, str | None]]]:
    """numId -> level -> (number format, start, the level's text pattern such as "%1." or "%1.%2", None when
    unset) from the file's numbering definitions: the numbers Word shows beside a list paragraph ("1.", "a.")
    are not in its text."""
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    abstract = {}
    for definition in root.iter(f"{w}abstractNum"):
        levels = {}
        for lvl in definition.iter(f"{w}lvl"):
            fmt, start, pattern = lvl.find(f"{w}numFmt"), lvl.find(f"{w}start"), lvl.find(f"{w}lvlText")
            level, first = lvl.get(f"{w}ilvl", "0"), start.get(f"{w}val", "1") if start is not None else "1"
            if not level.isdigit():
                continue  # a malformed level numbers nothing; the list reads as bullets
            levels[int(level)] = (
                fmt.get(f"{w}val", "") if fmt is not None else "",
                int(first) if first.isdigit() else 1,
                pattern.get(f"{w}val") if pattern is not None else None,
            )
        abstract[definition.get(f"{w}abstractNumId")] = levels
    formats = {}
    for num in root.iter(f"{w}num"):
        ref = num.find(f"{w}abstractNumId")
        if ref is not None and ref.get(f"{w}val") in abstract:
            formats[num.get(f"{w}numId")] = abstract[ref.get(f"{w}val")]
    return formats


def _restart_styled(numbers: dict[tuple[str, int], int]) -> None:
    """A break in the text restarts a list numbered by its style; one numbered by Word's definitions goes on
    counting after it, as Word does (criteria interrupted by a note keep their numbers)."""
    for key in [k for k in numbers if not k[0].startswith("num:")]:
        del numbers[key]


def _mark(fmt: str, n: int) -> str:
    return f"{_numeral(fmt, n)}."


def _numeral(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(n)


def _advance(numbers: dict[tuple[str, int], int], key: tuple[str, int], start: int, styled_too: bool = False) -> int:
    """Count one more item at a list level; the levels under it start again (for a list numbered by its style,
    those of any styled list too)."""
    numbers[key] = numbers.get(key, start - 1) + 1
    for deeper in [
        k for k in numbers if k[1] > key[1] and (k[0] == key[0] or styled_too and not k[0].startswith("num:"))
    ]:
        del numbers[deeper]
    return numbers[key]


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _blocks(parent):
    """The paragraphs and tables of a body or a cell in order, those inside a content control too (a table of
    contents, a form's fields are wrapped in one: python-docx's own lists skip them), and those of the text boxes
    a paragraph anchors, just before it: a letterhead built of floating boxes holds the header block's fields, one
    to a paragraph, and run into the anchor's own text they would read as one line."""
    for element in parent.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "sdt":
            content = element.find(_W + "sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif tag == "p":
            for box in _text_boxes(element):
                yield from _blocks(box)
            yield element
        elif tag == "tbl":
            yield element


def _text_boxes(element):
    """The text boxes anchored in a paragraph, each once: Word keeps a VML copy of each in mc:Fallback for old
    readers, and a box inside a box is read with the box that holds it."""
    for node in element.iterchildren():
        if node.tag == _TEXT_BOX:
            yield node
        elif node.tag != _MC_FALLBACK:
            yield from _text_boxes(node)


def _text(element) -> str:
    """A paragraph's text, with the runs of the content controls in it (a form's "Policy Number" field), which
    python-docx's `text` leaves out. Deleted text and field codes are not w:t and stay out; a control still
    showing its placeholder ("Click or tap here to enter text.") holds no value; a text box's paragraphs are
    lines of their own (`_blocks` reads them), and the VML copy Word keeps of a drawing for old readers would say
    them twice; a non-breaking hyphen is a hyphen ("MS-1127")."""
    said = []
    for node in element.iterchildren():
        tag = node.tag
        if tag in (_MC_FALLBACK, _TEXT_BOX) or (tag == _W + "sdt" and _placeholder(node)):
            continue
        if tag == _W + "t":
            said.append(node.text or "")
        elif tag in (_W + "tab", _W + "br", _W + "cr"):
            said.append(" ")
        elif tag == _W + "noBreakHyphen":
            said.append("-")
        else:
            said.append(_text(node))
    return "".join(said)


def _placeholder(control) -> bool:
    properties = control.find(_W + "sdtPr")
    return properties is not None and properties.find(_W + "showingPlcHdr") is not None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TEXT_BOX = _W + "txbxContent"


def _paragraph(paragraph, numbers: dict[tuple[str, int], int], formats: dict | None = None) -> str:
    text = " ".join(_text(paragraph._p).split())
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower() == "title":
        return f"# {text}"
    outline = _outline_level(paragraph)
    if outline is not None:
        # (counted whether it reads as a heading or not, so the headings after it keep Word's numbers)
        number = _heading_number(paragraph, text, numbers, formats or {})
        if _heading_like(text):
            return f"{'#' * min(outline + 2, 6)} {number}{text}"
        if number:
            return f"{number}{text}"
    level, numbered = _list_level(paragraph, style)
    if level is not None:
        indent = "   " * level
        num_id = _num_id(paragraph)
        fmt, start, _ = (formats or {}).get(num_id or "", {}).get(level, ("", 1, None))
        if fmt:
            numbered = fmt in _MARKS  # Word's definition says, whatever the style's name
        if numbered:
            key = (f"num:{num_id}" if fmt else style, level)
            return f"{indent}{_mark(fmt or 'decimal', _advance(numbers, key, start, styled_too=True))} {text}"
        return f"{indent}- {text}"
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold or (r.bold is None and _style_bold(paragraph.style)) for r in runs) and len(text) <= 160:
        return f"**{text}**"
    return text


def _heading_number(paragraph, text: str, numbers: dict[tuple[str, int], int], formats: dict) -> str:
    """The number Word shows before a paragraph its numbering definitions count ("II. ", "A. ", "2.1 "), set on
    the paragraph or, as an outline list usually is, on its heading style: a section a policy refers to by number
    ("see section II.D") is found by it. Rendered from the level's own pattern ("%1.%2"; an empty one shows no
    number); "" when nothing numbers it, or its text already starts with the number."""
    numbering = _numbering_of(paragraph)
    if numbering is None:
        return ""
    num_id, level = numbering
    levels = formats.get(num_id, {})
    fmt, start, pattern = levels.get(level, ("", 1, None))
    if fmt not in _MARKS:
        return ""
    _advance(numbers, (f"num:{num_id}", level), start)
    pattern = f"%{level + 1}." if pattern is None else pattern

    def numeral(m: re.Match[str]) -> str:
        shown = int(m.group(1)) - 1
        fmt_shown, first, _ = levels.get(shown, ("decimal", 1, None))
        return _numeral(fmt_shown, numbers.get((f"num:{num_id}", shown), first))

    shown = re.sub(r"%([1-9])", numeral, pattern).strip()
    return "" if not shown or text.startswith(shown) else f"{shown} "


def _numbering_of(paragraph) -> tuple[str, int] | None:
    """(numId, level) of the numbering a paragraph carries, its own or its style's (or a style it is based on)."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    style = paragraph.style
    while (numbering is None or numbering.numId is None) and style is not None:
        style_properties = style.element.pPr
        numbering = style_properties.numPr if style_properties is not None else None
        style = style.base_style
    if numbering is None or numbering.numId is None or str(numbering.numId.val) == "0":
        return None  # (numId 0 is Word's "no numbering", set to switch a style's numbering off)
    level = int(numbering.ilvl.val) if numbering.ilvl is not None else 0
    return str(numbering.numId.val), level


def _outline_level(paragraph) -> int | None:
    """The heading level (0 for the first) of a "Heading n" style, or of Word's outline level set on the
    paragraph, its style or a style it is based on: what Word's navigation pane lists as headings, whatever the
    style is called ("MGB Section Head"). None for body text."""
    properties = paragraph._p.pPr
    level = properties.find(_W + "outlineLvl") if properties is not None else None
    style = paragraph.style
    while level is None and style is not None:
        heading = _HEADING.match(style.name or "")
        if heading:
            return int(heading.group(1)) - 1
        style_properties = style.element.pPr
        level = style_properties.find(_W + "outlineLvl") if style_properties is not None else None
        style = style.base_style
    value = int(level.get(_W + "val", "9")) if level is not None else 9
    return value if value < 9 else None  # 9 is Word's "body text"


def _heading_like(text: str) -> bool:
    """A heading names a section in a short line; a sentence given an outline level (a criterion an author
    lists in the navigation pane) is still text."""
    return len(text) <= MAX_HEADING_CHARS and not text.rstrip().endswith((".", ";"))


# A heading's longest line as policies print them (longer is a paragraph, whatever its style).
MAX_HEADING_CHARS = 150


def _style_bold(style) -> bool:
    """Whether a paragraph style (or one it is based on) sets its text bold: runs that say nothing inherit it."""
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _num_id(paragraph) -> str | None:
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    if numbering is None or numbering.numId is None:
        return None
    return str(numbering.numId.val)


def _list_level(paragraph, style: str) -> tuple[int | None, bool]:
    """(nesting level, numbered?) of a list paragraph; (None, False) for any other paragraph."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    lowered = style.lower()
    if numbering is None and not lowered.startswith("list"):
        return None, False
    level = 0
    if numbering is not None and numbering.ilvl is not None:
        level = int(numbering.ilvl.val)
    else:
        found = re.search(r"(\d)$", style)
        level = int(found.group(1)) - 1 if found else 0
    return level, "number" in lowered


def _table(table) -> str:
    rows = []
    for row in table.rows:
        cells, previous = [], None
        for cell in row.cells:
            if cell._tc is previous:  # a merged cell repeats for every column it spans
                continue
            previous = cell._tc
            said = " ".join(_text(e) for e in _blocks(cell._tc) if e.tag == _W + "p")
            cells.append(" ".join(said.replace("|", "/").split()))
        if any(cells):
            rows.append(cells)
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])
