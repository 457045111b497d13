"""Word letterheads built of floating text boxes: the header block's fields sit in a box's paragraphs (w:txbxContent
in a drawing, with the VML copy Word keeps in mc:Fallback for old readers), anchored in a body paragraph."""

import docx
from docx.oxml import parse_xml

from assistant.corpus import parse_document, read_source

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)

FIELDS = [
    "Guideline #: HRL-ORT-227",
    "Date Effective: March 1, 2026",
    "Last Reviewed: 01/14/2026",
    "Next Review: 01/2027",
]


def _text_box_run(lines: list[str]) -> str:
    """A run holding a floating text box, one paragraph a line, as Word writes it: DrawingML in mc:Choice and the
    same paragraphs again in a VML text box in mc:Fallback."""
    content = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in lines)
    return (
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor simplePos="0" '
        'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2514600" cy="868680"/><wp:wrapTopAndBottom/><wp:docPr id="7" name="Text Box 7"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>'
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        f'<mc:Fallback><w:pict><v:shape style="position:absolute"><v:textbox><w:txbxContent>{content}'
        "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def _letterhead_policy(path, anchor_text: str = "") -> None:
    document = docx.Document()
    anchor = document.add_paragraph(anchor_text)
    anchor._p.append(parse_xml(_text_box_run(["Harborline Health Plan", *FIELDS])))
    document.add_paragraph("Knee Arthroscopy for Meniscal Tears", style="Title")
    document.add_heading("Coverage", level=1)
    document.add_paragraph("Harborline Health Plan covers arthroscopic partial meniscectomy when criteria are met.")
    document.save(path)


def test_header_fields_in_a_floating_text_box_become_metadata(tmp_path):
    # The box's lines ran together ("...HRL-ORT-227Date Effective: ..."): no number, and the wrong dates.
    _letterhead_policy(tmp_path / "policy.docx")
    doc = parse_document(tmp_path / "policy.docx").document
    assert doc.title == "Knee Arthroscopy for Meniscal Tears"
    assert doc.policy_number == "HRL-ORT-227"
    assert (doc.effective_date, doc.last_review_date, doc.next_review_date) == (
        "March 1, 2026",
        "01/14/2026",
        "01/2027",
    )


def test_a_text_box_is_read_once_each_paragraph_a_line_before_its_anchor_s_text(tmp_path):
    _letterhead_policy(tmp_path / "policy.docx", anchor_text="Printed copies are not controlled.")
    text = read_source(tmp_path / "policy.docx", 10**8).text
    lines = [line for line in text.splitlines() if line.strip()]
    for field in FIELDS:
        assert lines.count(field) == 1, text
    assert text.count("HRL-ORT-227") == 1, text  # the mc:Fallback copy is not read
    box = lines.index("Harborline Health Plan")
    assert lines[box : box + 6] == ["Harborline Health Plan", *FIELDS, "Printed copies are not controlled."], text


def test_a_text_box_anchored_in_a_table_cell_is_read_once(tmp_path):
    document = docx.Document()
    document.add_paragraph("Knee Arthroscopy for Meniscal Tears", style="Title")
    cell = document.add_table(rows=1, cols=2).rows[0].cells
    cell[0].text = "Owner"
    cell[1].paragraphs[0]._p.append(parse_xml(_text_box_run(["Utilization", "Management"])))
    document.save(tmp_path / "policy.docx")
    text = read_source(tmp_path / "policy.docx", 10**8).text
    assert "| Owner | Utilization Management |" in text, text
