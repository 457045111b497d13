import pytest

from assistant.corpus import parse_document, parse_text
from assistant.parsing import plain
from assistant.text import canonical

from .conftest import CORPUS

DOCS = sorted(CORPUS.glob("*.txt"))


def _doc(prefix):
    return parse_document(next(p for p in DOCS if p.stem.startswith(prefix)))


def _rows(parsed, section_part):
    return [p for p in parsed.passages if p.kind == "row" and section_part in p.section_path]


def test_0686T_modifier_table_is_one_passage_per_row():
    parsed = _doc("cpt-0686T")
    rows = _rows(parsed, "Coding Specifications")
    modifiers = [r.codes[0] for r in rows if r.header.startswith("Modifier")]
    assert modifiers == ["22", "52", "53", "62", "66", "73", "74", "78", "80", "81", "82", "AS", "QK", "QX"]
    row74 = next(r for r in rows if r.codes[:1] == ("74",))
    assert row74.text.startswith("74 | Discontinued outpatient hospital/ASC procedure after anesthesia | Use when")
    assert row74.header == "Modifier | Description | When to Use"


def test_0686T_diagnosis_taxonomy_and_related_code_rows():
    parsed = _doc("cpt-0686T")
    icd = [r.codes[0] for r in _rows(parsed, "Related Diagnoses")]
    assert "C78.7" in icd and len(icd) == 5
    related = [r.codes[0] for r in _rows(parsed, "Related CPT Codes")]
    assert "76942" in related
    taxonomy = [r.codes[0] for r in _rows(parsed, "Taxonomy")]
    assert taxonomy[0] == "207K00000X" and len(taxonomy) == 5


@pytest.mark.parametrize("prefix,last", [("cpt-0971T", "22"), ("cpt-47371", "50")])
def test_summaries_cut_off_mid_row_keep_the_partial_row_flagged(prefix, last):
    parsed = _doc(prefix)
    final = parsed.passages[-1]
    assert final.kind == "row" and final.truncated and final.codes[0] == last
    assert final.text == f"{last} |"  # nothing invented after the cut


def test_summary_cut_off_after_table_header_keeps_header_only():
    final = _doc("cpt-0581T").passages[-1]
    assert final.kind == "table-header" and final.truncated
    assert not [p for p in _doc("cpt-0581T").passages if p.kind == "row"]


def test_cigna_policy_metadata_codes_and_revisions():
    parsed = _doc("cigna-0540")
    doc = parsed.document
    assert (doc.kind, doc.payer, doc.policy_number) == ("coverage-policy", "Cigna", "0540")
    assert (doc.effective_date, doc.next_review_date) == ("3/15/2026", "3/15/2027")
    coding = _rows(parsed, "Coding Information")
    assert [r.codes[0] for r in coding] == ["19499", "0581T", "0971T"]
    assert all("Considered Not Medically Necessary" in r.section_path for r in coding)
    revisions = _rows(parsed, "Revision Details")
    assert [r.text.rsplit("| ", 1)[1] for r in revisions] == ["3/15/2026", "10/15/2025", "4/15/2025", "3/15/2024"]


def test_cigna_heading_hierarchy():
    sections = {p.section_path for p in _doc("cigna-0540").passages}
    assert "General Background › Cryoablation › U.S. Food and Drug Administration (FDA) – Cryoablation" in sections
    assert "General Background › Cryoablation › Literature Review - Cryoablation" in sections
    assert "General Background › Radiofrequency Ablation (RFA) › Literature Review - RFA" in sections
    assert "General Background › Professional Societies/Organizations" in sections
    assert not any("Table of Contents" in s for s in sections)  # dot leaders are navigation, not content


def test_page_break_inside_a_sentence_is_repaired():
    passages = _doc("cigna-0540").passages
    assert any("diagnoses that are not covered under this Coverage Policy" in p.text for p in passages)


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_every_passage_quotes_its_source_span(path):
    parsed = parse_document(path)
    source = path.read_text(encoding="utf-8")
    for p in parsed.passages:
        assert canonical(p.text) == plain(source[p.start : p.end])
        for ts, te, ss, se in p.sentences:
            assert canonical(p.text[ts:te]) == plain(source[ss:se])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "| a | b |",
        "x\t",
        "# Title\n\nbody",
        "22 |\n",
        "|---|",
        "CPT 1234T: t\nSummary & Overview\n| Modifier | D |\n|---|---|\n22 |\nmore | text",
    ],
)
def test_odd_layouts_never_crash(text):
    parse_text("odd", text)


def test_generic_document_headings_and_paragraphs():
    parsed = parse_text(
        "notes", "Prior Authorization Notes\n\nCall before billing 0581T.\n\nSecond Topic\n\nMore text here.\n"
    )
    assert parsed.document.kind == "other"
    assert [p.section_path for p in parsed.passages] == ["Prior Authorization Notes", "Second Topic"]
    assert parsed.passages[0].codes == ("0581T",)


def test_pdf_gives_the_same_passages_as_text(tmp_path):
    import pymupdf

    source = next(p for p in DOCS if p.stem.startswith("cpt-0686T"))
    pdf_path = tmp_path / (source.stem + ".pdf")
    story = pymupdf.Story(
        html="".join(f"<p>{_html(line)}</p>" for line in source.read_text().splitlines() if line.strip())
    )
    writer = pymupdf.DocumentWriter(str(pdf_path))
    more = True
    while more:
        device = writer.begin_page(pymupdf.paper_rect("letter"))
        more, _ = story.place(pymupdf.paper_rect("letter") + (36, 36, -36, -36))
        story.draw(device)
        writer.end_page()
    writer.close()
    from_pdf = parse_document(pdf_path)
    from_text = parse_document(source)
    assert [(p.section, canonical(p.text)) for p in from_pdf.passages] == [
        (p.section, canonical(p.text)) for p in from_text.passages
    ]


def _html(line: str) -> str:
    return line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_a_table_opening_on_a_label_and_value_has_no_column_names():
    text = (
        "# Policy History\n\n"
        "| Original Effective Date: | 03/20/2019 |\n|---|---|\n"
        "| 04/02/2020 | Medical Director review. |\n"
        "| 04/15/2020 | Medical Policy Committee review. |\n"
        "| 05/13/2020 | Implementation Committee approval. |\n"
        "| Next Scheduled Review Date: | 05/2026 |\n"
    )
    rows = [p for p in parse_text("history", text, format="markdown").passages if p.kind == "row"]
    assert [p.text for p in rows][-1] == "Next Scheduled Review Date: | 05/2026"
    assert {p.header for p in rows} == {""}


def test_a_long_paragraph_that_turns_to_a_later_report_carries_it_into_later_chunks():
    figures = " ".join(f"At month {n} the rate was {n}.{n}% in the trial arm." for n in range(12, 60))
    text = (
        "Literature Review\n\nSmith et al. (2021) conducted a single-arm trial of cryoablation in 200 women. "
        f"{figures} Smith et al. (2024) reported the 5-year results. {figures} The 5-year DFS rate was 92.8%."
    )
    chunks = [p for p in parse_text("review", text).passages if "92.8%" in p.text]
    assert chunks and "Smith et al. (2021)" in chunks[0].lead and "Smith et al. (2024)" in chunks[0].lead


def test_comparisons_in_a_criterion_are_text_and_markup_is_not():
    from assistant.text import canonical

    assert canonical("Ki-67 < 20%, lesion size < 15 mm and age > 70") == "Ki-67 < 20%, lesion size < 15 mm and age > 70"
    assert canonical('Focused Review <ul style="list-style-type: none"> • Added 0971T</ul>') == (
        "Focused Review • Added 0971T"
    )


def test_markup_left_in_a_table_cell_is_not_quoted():
    text = (
        "# Revision Details\n\n| Type | Summary of Changes | Date |\n|---|---|---|\n"
        '| Focused Review | <ul style="list-style-type: none"> • Added new code: 0971T | 10/15/2025 |\n'
    )
    rows = [p for p in parse_text("revisions", text, format="markdown").passages if p.kind == "row"]
    assert rows[0].text == "Focused Review | • Added new code: 0971T | 10/15/2025"


def test_a_short_line_set_apart_above_a_sentence_is_its_heading():
    text = (
        "Premera Blue Cross Medical Policy\nBasivertebral Nerve Ablation\nPolicy Number: 7.01.999\n\n"
        "Introduction\nThis policy informs members and providers about when a service may be covered.\n\n"
        "Policy Coverage Criteria\nBasivertebral nerve ablation is considered investigational.\n"
    )
    passages = parse_text("premera-x", text).passages
    sections = {p.text[:20]: p.section[-1] for p in passages}
    assert sections["This policy informs "] == "Introduction"
    assert sections["Basivertebral nerve "] == "Policy Coverage Criteria"


def test_a_list_ends_where_a_sentence_starts_at_its_margin():
    text = (
        "Policy\nCryoablation of a fibroadenoma is established (covered) when ALL of the following are met:\n"
        "1. The lesion is a biopsy-proven fibroadenoma;\n2. The lesion is 4 cm or smaller; and\n"
        "3. The lesion is visible on ultrasound.\nCryoablation is considered investigational for all other"
        " indications.\n"
    )
    passages = parse_text("acme-x", text).passages
    listed = next(p for p in passages if p.kind == "list")
    assert listed.decision == "covered" and "investigational" not in listed.text
    assert any(p.decision == "investigational" and p.kind == "paragraph" for p in passages)


def test_a_long_lead_in_keeps_the_words_that_say_all_or_any():
    from assistant.parsing import LEAD_LIMIT, shortened

    lead = (
        "It is the policy of Example Health that percutaneous radiofrequency ablation of the plantar fascia or of the "
        "heel nerves (the medial calcaneal nerve and the first branch of the lateral plantar nerve) is medically "
        "necessary for chronic plantar fasciitis when ALL of the following are met:"
    )
    cut = shortened(lead)
    assert (
        len(cut) <= LEAD_LIMIT and cut.startswith("It is the policy") and cut.endswith("ALL of the following are met:")
    )


# A payer's provider bulletin typed as plain text: a memo header with its subject line, headings boxed in rules
# drawn with dashes, questions and answers, a code table under a rule. (Written for this test.)
BULLETIN = """\
NORTHWIND HEALTH PLAN
PROVIDER NOTICE 2026-31                                     Issued: March 2, 2026

RE: Cryoneurolysis of the Knee -- New Requirements

------------------------------------------------------------------------------
WHAT IS CHANGING
------------------------------------------------------------------------------
From June 1, 2026, cryoneurolysis of the genicular nerves (CPT 64640) needs prior
authorization for commercial members.

------------------------------------------------------------------------------
QUESTIONS AND ANSWERS
------------------------------------------------------------------------------
Q: Which records go with the request?
A: Notes showing knee pain for at least 3 months and a failed course of physical
   therapy.

Q: Is repeat treatment covered?
A: No. A repeat cryoneurolysis within 12 months is considered not medically
   necessary.

CODE        DESCRIPTION                                        PA REQUIRED
------------------------------------------------------------------------------
64640       Destruction by neurolytic agent; other peripheral  Yes
20999       Unlisted procedure, musculoskeletal system         Yes
"""


def test_a_plain_text_notice_reads_its_rules_as_breaks_and_its_subject_line_as_its_title():
    parsed = parse_text("northwind-notice-2026-31", BULLETIN)
    assert parsed.document.title == "Cryoneurolysis of the Knee -- New Requirements"  # the memo's subject line
    assert not any("---" in p.text for p in parsed.passages)
    changing = next(p for p in parsed.passages if p.text.startswith("From June 1, 2026"))
    assert changing.section == ("WHAT IS CHANGING",)  # a heading boxed in rules, the text under it its own
    # each answer is cited with the question it answers (what its "No." is about)
    repeat = next(p for p in parsed.passages if "repeat cryoneurolysis" in p.text)
    assert repeat.text.startswith("Q: Is repeat treatment covered? A: No.") and repeat.decision
    # the table under its rule is a table with its header
    rows = [p for p in parsed.passages if p.kind == "row"]
    assert [r.codes for r in rows] == [("64640",), ("20999",)]
    assert all("PA REQUIRED" in r.header for r in rows)


def test_a_markdown_file_s_front_matter_is_its_header_block(tmp_path):
    path = tmp_path / "um-114.md"
    path.write_text(
        "---\ntitle: Cryoablation of Interdigital Neuroma\npolicy_number: UM-114\neffective_date: 02/01/2026\n"
        "last-reviewed: 12/10/2025\n---\n\n# Cryoablation of Interdigital Neuroma\n\n## Coverage\n\n"
        "Quartz Health Solutions considers cryoablation of an interdigital neuroma medically necessary.\n"
    )
    doc = parse_document(path).document
    assert doc.title == "Cryoablation of Interdigital Neuroma"
    assert (doc.policy_number, doc.effective_date, doc.last_review_date) == ("UM-114", "02/01/2026", "12/10/2025")
    # a file that opens with a rule over prose has no front matter
    from assistant.readers import front_matter

    ruled = "---\nThis policy explains coverage.\n---\n\n# Title\n\nText.\n"
    assert front_matter(ruled) == (ruled, "")


def test_a_header_cell_that_types_and_names_the_document_titles_it_over_a_saved_file_s_name(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "HV-SUR-0612 warts 2026 rev FINAL v3"  # the name a file was saved under
    grid = document.add_table(rows=2, cols=2)
    grid.cell(0, 0).text = "Heron Valley Health Plan"
    grid.cell(0, 1).text = "MEDICAL POLICY Cold Therapy for Plantar Warts"
    grid.cell(1, 0).text = "Policy Number"
    grid.cell(1, 1).text = "HV-SUR-0612"
    document.add_heading("Scope", level=1)
    document.add_paragraph("This policy says when the plan pays for freezing a plantar wart in the office.")
    document.add_heading("Policy", level=1)
    document.add_paragraph("Cold therapy of plantar warts is medically necessary when a wart hurts on walking.")
    path = tmp_path / "hv-sur-0612.docx"
    document.save(path)
    doc = parse_document(path).document
    assert (doc.title, doc.policy_number) == ("Cold Therapy for Plantar Warts", "HV-SUR-0612")


@pytest.mark.parametrize(
    "saved_as, named", [("HV-SUR-0612 warts 2026 rev FINAL v3", False), ("Cold Therapy for Plantar Warts", True)]
)
def test_a_file_s_title_property_holding_a_saved_file_s_name_names_no_document(tmp_path, saved_as, named):
    import docx

    document = docx.Document()
    document.core_properties.title, document.core_properties.author = saved_as, ""
    document.add_paragraph("Policy Number: HV-SUR-0612")
    document.add_heading("Policy", level=1)
    document.add_paragraph("Cold therapy of plantar warts is medically necessary when a wart hurts on walking.")
    path = tmp_path / "hv-sur-0612.docx"
    document.save(path)
    assert (parse_document(path).document.title == saved_as) is named
