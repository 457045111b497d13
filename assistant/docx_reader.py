"""A Word file (.docx) -> Markdown: heading styles as `#`, list paragraphs as items, tables as pipe rows.

python-docx reads the body in order; a paragraph's style says what it is ("Title", "Heading 2", "List
Number"), a numbering property makes a list item of a plain paragraph, and page headers and footers are
kept aside as running text.
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
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            line = _paragraph(Paragraph(element, document), numbers)
            if line:
                blocks.append(line)
            else:
                numbers.clear()
        elif tag == "tbl":
            numbers.clear()
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


def _paragraph(paragraph, numbers: dict[tuple[str, int], int]) -> str:
    text = " ".join(paragraph.text.split())
    if not text:
        return ""
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower() == "title":
        return f"# {text}"
    heading = _HEADING.match(style)
    if heading:
        return f"{'#' * min(int(heading.group(1)) + 1, 6)} {text}"
    level, numbered = _list_level(paragraph, style)
    if level is not None:
        indent = "   " * level
        if numbered:
            key = (style, level)
            numbers[key] = numbers.get(key, 0) + 1
            for deeper in [k for k in numbers if k[1] > level]:
                del numbers[deeper]
            return f"{indent}{numbers[key]}. {text}"
        return f"{indent}- {text}"
    runs = [r for r in paragraph.runs if r.text.strip()]
    if runs and all(r.bold for r in runs) and len(text) <= 160:
        return f"**{text}**"
    return text


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
            cells.append(" ".join(cell.text.replace("|", "/").split()))
        if any(cells):
            rows.append(cells)
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows[1:]])
