"""Saved pages that mark no heading by tag: headings set as bold lines (by <b>/<strong> or a class the page's
<style> makes bold), a print view's window title, and the plan the page furniture names as its publisher.
Every page here is invented for the test."""

from assistant.corpus import parse_document


def _parse(tmp_path, html: str, name: str = "page.html"):
    (tmp_path / name).write_text(html, encoding="utf-8")
    return parse_document(tmp_path / name)


def _section_of(parsed, opening: str) -> tuple[str, ...]:
    return next(p for p in parsed.passages if p.text.startswith(opening)).section


def test_bold_paragraphs_head_nested_sections_by_their_numbering(tmp_path):
    parsed = _parse(
        tmp_path,
        "<html><head><title>Print Policy | Heron Valley Health Plan</title></head><body>"
        "<p><strong>Cold Therapy for Plantar Warts</strong></p>"
        "<p>Policy Number: HV-SUR-101</p><p>Effective Date: 01/01/2025</p>"
        "<p><strong>I. SCOPE</strong></p>"
        "<p>This policy says when the plan pays for freezing a plantar wart in the office.</p>"
        "<p><strong>II. CRITERIA</strong></p>"
        "<p><b>A. Adults</b></p>"
        "<p>Cryotherapy is medically necessary for an adult whose wart hurts on walking after six weeks of "
        "salicylic acid.</p>"
        "<p><b>B. Children</b></p>"
        "<p>Cryotherapy is medically necessary for a child of 4 years or older who tolerates the freezing.</p>"
        "<p><b>Members must meet every criterion written here.</b></p>"
        "</body></html>",
    )
    title = "Cold Therapy for Plantar Warts"
    assert parsed.document.title == title
    assert _section_of(parsed, "This policy says") == (title, "I. SCOPE")
    assert _section_of(parsed, "Cryotherapy is medically necessary for an") == (title, "II. CRITERIA", "A. Adults")
    assert _section_of(parsed, "Cryotherapy is medically necessary for a c") == (title, "II. CRITERIA", "B. Children")
    # a sentence in bold is text of its section, and a bold field is still a field
    assert _section_of(parsed, "Members must meet") == (title, "II. CRITERIA", "B. Children")
    assert parsed.document.policy_number == "HV-SUR-101"


def test_a_span_bold_by_its_class_is_a_sub_heading_under_a_larger_heading(tmp_path):
    parsed = _parse(
        tmp_path,
        "<html><head><style>p.band { font-size: 14pt; } .sub { font-weight: 700; font-size: 11pt; }"
        "</style></head><body>"
        "<p class='band'><strong>COVERAGE</strong></p>"
        "<p><span class='sub'>Office Cryotherapy</span></p>"
        "<p>Freezing a painful wart in the office is covered once every 14 days for up to four sessions.</p>"
        "<p><span class='sub'>Home Kits</span></p>"
        "<p>Kits bought over the counter are not covered because they are a personal expense.</p>"
        "<p class='band'><strong>CODING</strong></p>"
        "<p>Report 17110 for up to 14 lesions treated at one visit.</p>"
        "</body></html>",
    )
    assert _section_of(parsed, "Freezing a painful wart")[-2:] == ("COVERAGE", "Office Cryotherapy")
    assert _section_of(parsed, "Kits bought")[-2:] == ("COVERAGE", "Home Kits")
    assert _section_of(parsed, "Report 17110")[-1] == "CODING"


def test_a_print_view_s_window_title_names_no_document(tmp_path):
    parsed = _parse(
        tmp_path,
        "<html><head><title>Printer-Friendly Version | Heron Valley Health Plan</title></head><body>"
        "<p style='font-size:20pt'>Cold Therapy for Plantar Warts</p>"
        "<p>Policy Number: HV-SUR-101</p>"
        "<p>Freezing a painful plantar wart in the office is medically necessary after six weeks of salicylic acid "
        "have not cleared it, and the record names the wart's size and site.</p>"
        "</body></html>",
    )
    assert parsed.document.title == "Cold Therapy for Plantar Warts"


def test_the_plan_the_furniture_names_publishes_a_page_whose_text_names_only_public_programs(tmp_path):
    page = (
        "<html><head><title>Medical Policy HV-SUR-101</title></head><body>"
        "<header><img src='/img/hv-logo.svg' alt='Heron Valley Health Plan'></header>"
        "<h1>Cold Therapy for Plantar Warts</h1><p>Policy Number: HV-SUR-101</p>"
        "<p>For members in KanCare, freezing a painful plantar wart is medically necessary after six weeks of "
        "salicylic acid; KanCare limits it to four sessions a year{also}.</p>"
        "<footer><p>&copy; 2025 Heron Valley Health Plan. All rights reserved.</p></footer></body></html>"
    )
    parsed = _parse(tmp_path, page.format(also=""))
    assert parsed.document.payer == "Heron Valley Health Plan"
    # ... but not over another payer the text names: then the page is about that payer's rules
    parsed = _parse(tmp_path, page.format(also=", as Aetna's policy 0123 does"), name="other.html")
    assert parsed.document.payer != "Heron Valley Health Plan"
    # ... nor when one footer line alone names it (a copyright line that is the footer is one place)
    alone = page.replace("alt='Heron Valley Health Plan'", "alt='logo'").format(also="")
    assert _parse(tmp_path, alone, name="footer.html").document.payer != "Heron Valley Health Plan"


def test_a_roman_numeral_after_lettered_headings_is_a_numeral_unless_it_is_the_next_letter():
    from assistant.html_reader import _levels

    look = ("b", "")
    lettered = [(f"{c}. Item", 12.0, look) for c in "ABCD"]
    levels = _levels([("IV. PROCEDURE", 12.0, look), *lettered, ("V. REFERENCES", 12.0, look)])
    assert levels[-1] == levels[0], levels  # "V." after "D." is section five, not a letter
    ninth = _levels([("III. POLICY", 12.0, look), *[(f"{c}. x", 12.0, look) for c in "ABCDEFGH"], ("I. x", 12.0, look)])
    assert ninth[-1] == ninth[1], ninth  # "I." after "H." is the ninth letter


def test_an_accordion_s_summaries_head_its_panels_above_the_headings_inside_them(tmp_path):
    panel = (
        '<details class="accordion__item"{open}><summary>{name}'
        '<span class="visually-hidden"> Toggle section</span></summary>{body}</details>'
    )
    parsed = _parse(
        tmp_path,
        "<html><head><title>Nail Care | Heron Valley Health Plan</title></head><body><main>"
        "<h1>Ingrown Toenail Care</h1><dl><dt>Policy Number</dt><dd>HV-POD-7</dd></dl>"
        + panel.format(
            open=" open",
            name="Coverage Criteria",
            body=(
                "<h3>A. Avulsion</h3><p>Heron Valley considers nail avulsion medically necessary for a painful "
                "ingrown nail.</p><h3>B. Matrixectomy</h3><p>Matrixectomy is medically necessary after two episodes "
                "in a year.</p>"
            ),
        )
        + panel.format(
            open="",
            name="Not Medically Necessary",
            body=("<p>Removing a nail for its looks alone is not medically necessary.</p>"),
        )
        + "</main></body></html>",
    )
    title = "Ingrown Toenail Care"
    assert _section_of(parsed, "Heron Valley considers") == (title, "Coverage Criteria", "A. Avulsion")
    assert _section_of(parsed, "Matrixectomy is") == (title, "Coverage Criteria", "B. Matrixectomy")
    # a closed panel is a section too, and the control's screen-reader text is no part of its heading
    assert _section_of(parsed, "Removing a nail") == (title, "Not Medically Necessary")
    assert not any("Toggle" in p.text or "Toggle" in p.section_path for p in parsed.passages)
