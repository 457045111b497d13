"""A PDF page whose body is set in two columns is read column by column: what runs across the page first, then the
left column top to bottom, then the right; a sentence or a table the column break cuts in two is joined again. A page
in one column reads as it always did. The documents are built here and their wording is invented."""

import pymupdf

from assistant import pdf_reader
from assistant.corpus import parse_document, read_source

MARGIN, PAGE_WIDTH, GUTTER = 54, 612, 24
COLUMN = (PAGE_WIDTH - 2 * MARGIN - GUTTER) / 2
LEFT, RIGHT = MARGIN, MARGIN + COLUMN + GUTTER
BODY, LEADING = 9.5, 12.5
TOP = 190  # where the columns start under the title block

PURPOSE = (
    "This policy explains when Lakeshore Health Plan covers compression garments for members with lymphedema of an "
    "arm or a leg, and which garments are supplied under the durable medical equipment benefit."
)
CRITERIA = (
    "Compression garments are medically necessary when the member has lymphedema confirmed by limb measurements. "
    "Lakeshore covers two sets of daytime garments in a benefit year when the swelling is documented by a treating"
)
CONTINUED = "physician and the garments are custom fitted by a certified fitter."
EXCLUSIONS = (
    "Garments worn only for comfort, athletic sleeves and garments for swelling caused by a short-term injury are "
    "not covered. Replacement within six months is not covered unless the limb size has changed by ten percent."
)
DOCUMENTATION = (
    "The record must give the limb measurements before fitting, the diagnosis of lymphedema and the name of the "
    "fitter. A prescription that names only the garment type and the compression class is not enough. "
) * 3
CODING = "Report A6545 for a gradient compression wrap and A6549 for a garment not otherwise specified."


def _lines(text: str, width: float, font: str = "helv", size: float = BODY) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and pymupdf.get_text_length(trial, fontname=font, fontsize=size) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines


def _paragraph(page, x: float, y: float, text: str, width: float = COLUMN) -> float:
    """Set a paragraph from baseline y, one line at a time as a publisher's layout writes it; the next baseline."""
    for line in _lines(text, width):
        page.insert_text((x, y), line, fontname="helv", fontsize=BODY)
        y += LEADING
    return y + 6


def _heading(page, x: float, y: float, text: str) -> float:
    page.insert_text((x, y), text, fontname="hebo", fontsize=12)
    return y + 18


def _title_block(page) -> None:
    page.insert_text((MARGIN, 60), "Lakeshore Health Plan", fontname="hebo", fontsize=14)
    page.insert_text((MARGIN, 95), "Compression Garments for Lymphedema", fontname="hebo", fontsize=18)
    header = "Clinical Policy LHP-CP-042  |  Effective Date 04/01/2026  |  Applies to commercial and exchange plans"
    page.insert_text((MARGIN, 125), header, fontname="helv", fontsize=BODY)


def _two_column_policy(path) -> None:
    doc = pymupdf.open()
    first = doc.new_page(width=PAGE_WIDTH, height=792)
    _title_block(first)
    y = _paragraph(first, LEFT, _heading(first, LEFT, TOP, "Purpose"), PURPOSE)
    y = _paragraph(first, LEFT, _heading(first, LEFT, y + 8, "Coverage Criteria"), CRITERIA)
    y = _paragraph(first, RIGHT, TOP, CONTINUED)  # the sentence goes on at the top of the right column
    _paragraph(first, RIGHT, _heading(first, RIGHT, y + 8, "Exclusions"), EXCLUSIONS)
    second = doc.new_page(width=PAGE_WIDTH, height=792)
    _title_block(second)
    _paragraph(second, LEFT, _heading(second, LEFT, TOP, "Documentation"), DOCUMENTATION)
    _paragraph(second, RIGHT, _heading(second, RIGHT, TOP, "Coding"), CODING)  # a heading opens the right column
    for number, page in enumerate(doc, 1):
        page.insert_text((MARGIN, 760), f"Lakeshore Health Plan clinical policy, page {number} of 2", fontsize=8)
    doc.save(path)


def test_two_columns_are_read_one_after_the_other(tmp_path):
    # Read row by row across the page, the columns' lines interleaved: "Exclusions" fell between the lines of the
    # coverage criteria and the sentence at the column break was cut in two.
    _two_column_policy(tmp_path / "garments.pdf")
    passages = parse_document(tmp_path / "garments.pdf").passages
    sections = [p.section[-1] for p in passages if p.kind == "paragraph"]
    title = "Compression Garments for Lymphedema"  # the header line's section, above the columns
    assert sections == [title, "Purpose", "Coverage Criteria", "Exclusions", "Documentation", "Coding"], [
        (p.section_path, p.text) for p in passages
    ]
    criteria = next(p.text for p in passages if p.section[-1] == "Coverage Criteria")
    assert criteria == f"{CRITERIA} {CONTINUED}"
    assert next(p.text for p in passages if p.section[-1] == "Coding") == CODING
    assert "page 1 of 2" not in " ".join(p.text for p in passages)  # the footer stays a running line


def test_a_table_the_column_break_cuts_is_one_table(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_WIDTH, height=792)
    _title_block(page)
    y = _paragraph(page, LEFT, _heading(page, LEFT, TOP, "Coding"), DOCUMENTATION * 2)
    _ruled(page, LEFT, y, [("Code", "Description"), ("A6545", "Gradient compression wrap")])
    y = _ruled(page, RIGHT, TOP - 10, [("Code", "Description"), ("A6549", "Garment, not otherwise specified")])
    _paragraph(page, RIGHT, y + 20, EXCLUSIONS)
    doc.save(tmp_path / "codes.pdf")
    text = read_source(tmp_path / "codes.pdf", 10**8).text
    table = "| Code | Description |\n|---|---|\n| A6545 | Gradient compression wrap |\n"
    assert f"{table}| A6549 | Garment, not otherwise specified |" in text, text


def _ruled(page, x: float, top: float, rows: list[tuple[str, str]]) -> float:
    for n, cells in enumerate(rows):
        y0 = top + 20 * n
        for x0, x1, cell in zip((x, x + 80), (x + 80, x + COLUMN), cells):
            page.draw_rect(pymupdf.Rect(x0, y0, x1, y0 + 20), color=(0, 0, 0), width=0.5)
            page.insert_text((x0 + 4, y0 + 14), cell, fontsize=BODY)
    return top + 20 * len(rows)


def test_a_page_in_one_column_reads_as_before(tmp_path):
    # Side by side but no columns: a header block of labels and values, and a table without rules whose cells, in
    # step row by row, wrap in two halves of the page. The page is read row by row, as it always was.
    doc = pymupdf.open()
    page = doc.new_page(width=PAGE_WIDTH, height=792)
    page.insert_text((MARGIN, 60), "Compression Garments for Lymphedema", fontname="hebo", fontsize=18)
    for y, label, value in ((90, "Policy Number:", "LHP-CP-042"), (104, "Effective Date:", "04/01/2026")):
        page.insert_text((MARGIN, y), label, fontname="hebo", fontsize=BODY)
        page.insert_text((MARGIN + 200, y), value, fontname="helv", fontsize=BODY)
    y = _paragraph(page, MARGIN, _heading(page, MARGIN, 140, "Purpose"), PURPOSE, PAGE_WIDTH - 2 * MARGIN)
    y = _heading(page, MARGIN, y + 8, "Criteria and Notes")
    for criterion, note in ((CRITERIA, EXCLUSIONS), (EXCLUSIONS, CODING), (CODING, CRITERIA)):
        bottom = max(_paragraph(page, LEFT, y, criterion), _paragraph(page, RIGHT, y, note))
        y = bottom + 10
    doc.save(tmp_path / "one.pdf")
    with pymupdf.open(tmp_path / "one.pdf") as pdf:
        read = pdf_reader._page(pdf[0])
    assert pdf_reader._frames(read, set()) == [read]
    text = read_source(tmp_path / "one.pdf", 10**8).text
    assert "**Policy Number:** LHP-CP-042\n\n**Effective Date:** 04/01/2026" in text, text
