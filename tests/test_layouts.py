"""Any payer's documents: formats, header blocks, payers, dates and coverage positions on fixture documents
written in the layouts of real publishers (tests/fixtures/payers, ground truth in tests/fixtures/expected)."""

import json
import re
from pathlib import Path

import pytest

from assistant.corpus import corpus_files, parse_document, parse_text, read_source
from assistant.fields import find_fields, iso
from assistant.payers import matches, payers_named, publisher_of
from assistant.positions import decision_in
from assistant.text import canonical
from assistant.types import Document

FIXTURES = Path(__file__).parent / "fixtures"
EXPECTED = sorted((FIXTURES / "expected").glob("*.json"))
FIELDS = ["title", "payer", "kind", "policy_number", "effective_date", "last_review_date", "next_review_date"]


def _norm(name, value):
    if value is None:
        return None
    if name.endswith("date"):
        return value if value[:4].isdigit() and "-" in value else iso(value)
    return " ".join(str(value).lower().replace("’", "'").split())


@pytest.fixture(scope="module")
def parsed():
    return {
        p.stem: (json.loads(p.read_text()), parse_document(FIXTURES / "payers" / json.loads(p.read_text())["file"]))
        for p in EXPECTED
    }


def test_fixture_corpus_spans_formats_and_publishers():
    expected = [json.loads(p.read_text()) for p in EXPECTED]
    formats = {e["file"].rsplit(".", 1)[1] for e in expected}
    assert formats >= {"txt", "html", "pdf", "docx"} and len(expected) >= 12
    assert len({e["publisher"] for e in expected}) >= 6


def test_metadata_of_at_least_95_percent_of_documents_is_right(parsed):
    wrong = {
        stem: [f for f in FIELDS if _norm(f, getattr(doc.document, f)) != _norm(f, exp.get(f))]
        for stem, (exp, doc) in parsed.items()
    }
    right = sum(not fields for fields in wrong.values())
    assert right >= 0.95 * len(parsed), {k: v for k, v in wrong.items() if v}


@pytest.mark.parametrize("stem", [p.stem for p in EXPECTED])
def test_every_document_has_a_title_from_its_text_and_states_positions(parsed, stem):
    exp, doc = parsed[stem]
    assert doc.document.title and doc.document.title != stem
    if exp["coverage_positions"]:
        assert any(p.decision for p in doc.passages), "no coverage position found"


def test_criteria_lists_stay_whole_with_their_lead_in(parsed):
    """A criteria list is cited with the sentence saying whether ALL or ANY must hold: a list passage holds it
    with its items, and an item of a list too long for one passage carries its list's lead-in."""
    whole = 0
    for _, doc in parsed.values():
        for p in doc.passages:
            if p.kind == "list" and re.search(r"\b(?:all|any) of the following\b", p.text, re.I):
                whole += 1
            if p.kind == "list" and p.lead:
                assert p.lead.rstrip().endswith(":"), p.lead
    assert whole >= 8
    _, aetna = parsed["aetna-cpb-genicular-nerve-ablation"]
    item = next(p for p in aetna.passages if p.text.startswith("2. Genicular nerve radiofrequency ablation"))
    assert "when all of the following criteria are met" in item.text and "Kellgren-Lawrence" in item.text
    assert item.lead == "Aetna considers the following medically necessary:" and item.decision == "medically-necessary"


def test_a_header_block_is_fields_not_sections(parsed):
    _, doc = parsed["highmark-cryoablation-breast-fibroadenoma"]
    sections = {p.section_path for p in doc.passages}
    assert not any(s.startswith(("Number", "Version", "Topic")) for s in sections)
    assert (doc.document.policy_number, doc.document.payer) == ("S-164", "Highmark")


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Policy Number: MP-429", [("policy_number", "MP-429")]),
        ("Effective Date: | December 5, 2011 |", [("effective_date", "December 5, 2011")]),
        ("Last Review: 5/2020 Next Review: 5/2021", [("last_review_date", "5/2020"), ("next_review_date", "5/2021")]),
        (
            "Guideline #: CG-MED-81 Publish Date: 01/03/2024",
            [("policy_number", "CG-MED-81"), ("published_date", "01/03/2024")],
        ),
        ("Effective Date3/15/2026", [("effective_date", "3/15/2026")]),
        ("Coverage Policy Number..... 0540", [("policy_number", "0540")]),
        (
            "| **Policy #:** | 261 | **Latest Review Date:** | March 2025 |",
            [("policy_number", "261"), ("last_review_date", "March 2025")],
        ),
        (
            "| Revision Date(s) | 01/01/14; 10/15/20; 04/01/23 |",
            [("last_review_date", "04/01/23")],
        ),
        ("| **Medical Coverage Guideline** | **02-12345-67** |", [("policy_number", "02-12345-67")]),
        ("Date of Last Revision: 06/25", [("last_review_date", "06/25")]),
        ("Surgery, Policy No. 238", [("policy_number", "238")]),
        ("Doc ID: SURG11-1125.1", [("policy_number", "SURG11-1125.1")]),
        ("Clinical Policy ID:    CCP.1450", [("policy_number", "CCP.1450")]),
        ("| Policy Number | Surgical 162 | Version | 7 |", [("policy_number", "Surgical 162"), ("other", "7")]),
        ("Topic #24107", [("policy_number", "24107")]),  # a handbook topic's number, not its title
        ("Grid ID: WCG-ABL-0147", [("policy_number", "WCG-ABL-0147")]),  # a plan's coverage grid
        ("Last Approval/Version: 10/22/2025 / v.4", [("last_review_date", "10/22/2025")]),
        ("| Guideline or Policy Number: | Evolent_CG_627 |", [("policy_number", "Evolent_CG_627")]),
        ("| Last Revised Date: | August 2025 |", [("last_review_date", "August 2025")]),  # a month in capitals
        ("Policy Number: OCA 3.729 Version Number: 9", [("policy_number", "OCA 3.729"), ("other", "9")]),
        ("Policy Number: Revised 2024", []),  # a date's word and year, no category and number
        ("Policy Number: Version 7", []),
        ("Policy Number: Table 12", []),
        ("Number of studies: many", []),
        ("Policy: Aetna considers this experimental.", []),
    ],
)
def test_header_fields_whatever_the_layout(line, expected):
    assert [(f.name, f.value) for f in find_fields(line)] == expected


def test_markdown_that_marks_no_heading_is_read_as_plain_text():
    # A policy saved as .md with its headings as plain lines: its header block is metadata, its title is the
    # document's, without the "Clinical Policy:" type name, and its criteria sit under their headings.
    text = (
        "Clinical Policy: Cryoablation of Renal Masses\nReference Number: CP.XX.101\nDate of Last Revision: 06/25\n\n"
        "Description\nCryoablation freezes a renal mass through a probe placed through the skin under imaging "
        "guidance. It spares the kidney and avoids a larger operation for members who are poor surgical "
        "candidates.\n\n"
        "Policy/Criteria\nI. It is the policy of the plans of this fictitious publisher that percutaneous "
        "cryoablation of a renal mass is medically necessary when meeting all of the following:\n"
        "A. Age 18 years or older;\nB. A single mass of 4.0 cm or less.\n"
    )
    doc = parse_text("cp-xx-101", text, format="markdown")
    assert doc.document.title == "Cryoablation of Renal Masses"
    assert (doc.document.policy_number, doc.document.last_review_date) == ("CP.XX.101", "06/25")
    assert any(p.section_path.endswith("Policy/Criteria") for p in doc.passages)


def test_a_capitalised_line_over_aligned_columns_is_the_table_s_header():
    # An article's code groups, each a table under "CODE    DESCRIPTION" (capitals the document uses often).
    group = (
        "Group {n} Codes: (2 Codes)\nCODE    DESCRIPTION\n{a}   First service of group {n}\n{b}   Second service\n\n"
    )
    text = "Billing and Coding: Sample Procedure\n\nCPT/HCPCS Codes\n\n" + "".join(
        group.format(n=n, a=a, b=b) for n, a, b in ((1, "55880", "55899"), (2, "76872", "76942"), (3, "76998", "77013"))
    )
    rows = [p for p in parse_text("a00001", text).passages if p.kind == "row"]
    assert {p.header for p in rows} == {"CODE | DESCRIPTION"}
    assert [p.codes[0] for p in rows] == ["55880", "55899", "76872", "76942", "76998", "77013"]


def test_a_table_s_rows_carry_the_sentence_above_it_that_says_what_they_are():
    text = (
        "Billing and Coding: Sample Procedure\n\nCPT/HCPCS Modifiers\n\n"
        "Group 1 Paragraph:\nThe following modifiers must not be appended to 55880.\n\n"
        "Group 1 Codes: (2 Codes)\nCODE    DESCRIPTION\n50      Bilateral procedure\n52      Reduced services\n"
    )
    rows = [p for p in parse_text("a00002", text).passages if p.kind == "row"]
    assert [(p.codes, p.lead) for p in rows] == [
        (("50",), "The following modifiers must not be appended to 55880."),
        (("52",), "The following modifiers must not be appended to 55880."),
    ]


def test_a_revision_log_states_no_coverage_position():
    text = (
        "Sample Medical Coverage Guideline\n\nPosition Statement\n\nAblation is considered investigational for "
        "all indications because the evidence is insufficient to show a benefit over standard care.\n\n"
        "Guideline Update Information\n\n01/01/20 Revision: cryoablation is now considered medically necessary "
        "for small tumors when criteria are met.\n"
    )
    decided = [p for p in parse_text("mcg-1", text).passages if p.decision]
    assert [p.section[-1] for p in decided] == ["Position Statement"]


def test_prose_after_a_space_aligned_table_is_not_cut_into_its_columns():
    text = (
        "CODING\n\nCODE      DESCRIPTION\n60660     Ablation of thyroid nodule(s), one lobe, microwave\n"
        "60661     Ablation of thyroid nodule(s), additional lobe, microwave\n"
        "Report 60661 in addition to 60660 when both lobes are treated; do not append modifier 50 to 60660.\n"
    )
    passages = parse_text("mp-1", text).passages
    assert [p.codes[0] for p in passages if p.kind == "row"] == ["60660", "60661"]
    assert any(p.kind == "paragraph" and p.text.startswith("Report 60661 in addition") for p in passages)


def test_label_on_one_line_value_on_the_next():
    doc = parse_text(
        "lcd",
        "Local Coverage Determination (LCD)\n\nLCD ID\nL12345\n\nOriginal Effective Date\n"
        "For services performed on or after 09/29/2024\n\nCoverage Indications\n\nSome text here.\n",
    )
    assert doc.document.policy_number == "L12345" and doc.document.original_effective_date == "09/29/2024"
    assert doc.document.kind == "lcd"


@pytest.mark.parametrize(
    "printed, normal",
    [
        ("3/15/2026", "2026-03-15"),
        ("05/2026", "2026-05"),
        ("March 2025", "2025-03"),
        ("January 1, 2025", "2025-01-01"),
        ("07.01.2023", "2023-07-01"),  # with full stops
        ("05.2024", "2024-05"),
        ("7.01.186", None),  # a policy's number
        ("0.0001", None),
    ],
)
def test_dates_in_any_format(printed, normal):
    assert iso(printed) == normal


def test_a_date_with_full_stops_is_read_only_as_a_labelled_value_not_in_running_text():
    from assistant.fields import DATE

    # ("NCCN Guidelines Version 6.2025" in a history row had become the policy's last review)
    assert not DATE.search("Updated references to NCCN Guidelines Version 6.2025. Reviewed in section 4.1.2020.")
    fields = {f.name: f.value for f in find_fields("Last Review Date: 05.16.2023\nNext Review Date: 05.2024")}
    assert fields == {"last_review_date": "05.16.2023", "next_review_date": "05.2024"}


def test_a_state_s_postal_code_after_blue_cross_is_no_plan_unless_the_plan_uses_it():
    assert payers_named("blue cross ok to bill 0581T twice?", typed=True) == ["Blue Cross Blue Shield"]


def test_payer_names_and_abbreviations_are_one_payer():
    for typed in ("Blue Cross and Blue Shield of Louisiana", "BCBSLA", "blue cross louisiana", "Louisiana Blue"):
        assert payers_named(typed, typed=True) == ["Blue Cross and Blue Shield of Louisiana"], typed
    assert payers_named("Anthem Blue Cross and Blue Shield") == ["Anthem"]
    assert matches("BCBS", "Blue Cross and Blue Shield of Alabama") and matches("Medicare", "Medicare")
    assert not matches("Aetna", "Cigna")
    for typed in ("bcbsm", "BCN", "Blue Care Network", "bcbs michigan"):  # a plan's own short names
        assert payers_named(typed, typed=True) == ["Blue Cross and Blue Shield of Michigan"], typed
    assert payers_named("Blue Cross NC Corporate Medical Policy") == ["Blue Cross and Blue Shield of North Carolina"]


def test_a_benefit_manager_whose_guidelines_plans_adopt_is_named_as_such():
    assert payers_named("does carelon approve litt for epilepsy", typed=True) == ["Carelon Medical Benefits Management"]
    assert payers_named("AIM Specialty Health guideline") == ["Carelon Medical Benefits Management"]
    assert not payers_named("the aim of this policy", typed=True)
    assert payers_named("does wps medicare allow it", typed=True) == ["Wisconsin Physicians Service"]
    # A state's Blue plan is one payer whatever it is called: "BCBST" and the name its policies print.
    tennessee = ["Blue Cross and Blue Shield of Tennessee"]
    assert (
        payers_named("does bcbst cover it", typed=True)
        == payers_named("BlueCross BlueShield of Tennessee")
        == tennessee
    )


def test_a_centene_plan_is_its_own_payer_and_centene_names_them_all():
    header = [("Health Net Clinical Policy\nHealth Net is a subsidiary of Centene Corporation.", 3.0)]
    assert publisher_of(header) == ("Health Net", None)
    assert matches("Centene", "Health Net") and matches("centene", "Ambetter")
    assert not matches("Health Net", "Ambetter") and not matches("WellCare", "Centene")


def test_regional_plans_by_their_own_and_former_names():
    for typed in ("does sentara cover it", "pt has optima health", "optima pt"):
        assert payers_named(typed, typed=True) == ["Sentara Health Plans"], typed
    assert payers_named("forwardhealth pt", typed=True) == ["Wisconsin Medicaid"]
    assert not payers_named("ct scan and hap", typed=True)  # words a clerk types are no plan's name
    assert not payers_named("out of network health services by an independent health care provider")


def test_a_number_printed_under_the_title_is_the_policy_s_not_the_title_s():
    # The title's heading and the number printed under it, read as one heading.
    text = (
        "# Alcohol Septal Ablation Surgical 162\n\n| Policy Number | Surgical 162 | Version | 7 |\n|---|---|---|---|\n"
    )
    doc = parse_text("sentara-asa", text, format="markdown")
    assert (doc.document.title, doc.document.policy_number) == ("Alcohol Septal Ablation", "Surgical 162")


def test_a_question_and_its_answer_are_one_passage():
    text = (
        "# Celiac Plexus Neurolysis\n\n## Frequently Asked Questions\n\n"
        "**Q:** Can the block and the neurolysis both be billed on one day?\n\n"
        "No. Only 64680 is reimbursed when both are done on the same day.\n\n"
        "Is anesthesia separately reimbursable?\n\nYes. It is, when given by another provider.\n\n"
        "Q: Is repeat neurolysis medically necessary?\n\nQ: What must the record show?\n\n"
        "Q: Is a second block covered? A: Yes, when the pain returns.\n\nLaser ablation is not covered.\n\n"
        "The record must show all of the following:\n\n- the agent\n- the imaging\n"
    )
    faq = [(p.text, p.decision) for p in parse_text("wi-cpn", text, format="markdown").passages]
    assert faq == [
        (
            "Q: Can the block and the neurolysis both be billed on one day? No. Only 64680 is reimbursed when both "
            "are done on the same day.",
            "",
        ),
        ("Is anesthesia separately reimbursable? Yes. It is, when given by another provider.", ""),
        # A question answered by no paragraph stays alone and decides nothing; a lead-in keeps its list.
        ("Q: Is repeat neurolysis medically necessary?", ""),
        ("Q: What must the record show?", ""),
        # A line holding its own answer is no question waiting for one: the next paragraph is a passage of its own.
        ("Q: Is a second block covered? A: Yes, when the pain returns.", ""),
        ("Laser ablation is not covered.", "not-covered"),
        ("The record must show all of the following: - the agent - the imaging", ""),
    ]


def test_the_answer_of_a_question_states_the_decision_not_the_question():
    text = (
        "# Breast Fibroadenoma\n\n## Questions and Answers\n\n"
        "Q: Is cryoablation of a breast fibroadenoma medically necessary?\n\n"
        "No. Aetna considers cryoablation of a breast fibroadenoma experimental and investigational.\n"
    )
    (passage,) = parse_text("aetna-faq", text, format="markdown").passages
    assert passage.decision == "investigational"


def test_a_heading_naming_both_decisions_decides_neither():
    text = (
        "# Covered and Noncovered Services: Celiac Plexus Neurolysis\n\n## Allowable Procedure Codes\n\n"
        "| Code | Description | PA Required |\n|---|---|---|\n| 64680 | Celiac plexus destruction | Yes |\n\n"
        "# Noncovered Services\n\n| Code | Description |\n|---|---|\n| 64999 | Unlisted procedure |\n"
    )
    rows = {p.codes[0]: p.decision for p in parse_text("wi-codes", text, format="markdown").passages if p.codes}
    assert rows == {"64680": "", "64999": "not-covered"}
    for both in ("Proven and Unproven", "Coverage Criteria and Non-Covered Indications for"):
        either = parse_text("uhc-codes", text.replace("Covered and Noncovered Services", both), format="markdown")
        assert not any(p.decision for p in either.passages if "64680" in p.codes), both


def test_a_list_of_payers_names_no_publisher():
    mentions = "Key payers in this analysis include Aetna, Blue Cross Blue Shield, Cigna Health, and Medicare."
    assert publisher_of([(mentions, 1.0)]) == (None, None)
    assert publisher_of([("Novitas Solutions, Inc. A and B MAC", 3.0)]) == ("Medicare", "Novitas Solutions")


@pytest.mark.parametrize(
    "sentence, decision",
    [
        (
            "Aetna considers genicular nerve radiofrequency ablation medically necessary when all of the following "
            "criteria are met:",
            "medically-necessary",
        ),
        ("MRgFUS is unproven and not medically necessary for all other indications.", "investigational"),
        (
            "Cryoablation of malignant breast tumors is considered experimental/investigational and therefore "
            "non-covered.",
            "investigational",
        ),
        ("The following ablative treatments are considered not medically necessary:", "not-medically-necessary"),
        ("Medicaid shall not cover the procedure when the criteria are not met.", "not-covered"),
        ("Humana members may be eligible under the Plan for basivertebral nerve ablation.", "covered"),
        ("This policy covers every product the Company administers.", None),
        ("A lack of response does not make a repeat procedure medically necessary.", "not-medically-necessary"),
        ("Ablation of a benign nodule is established (covered) when ALL of the following are met:", "covered"),
        (
            "RFA of a pulmonary tumor meets the definition of medical necessity when ONE of the following is met:",
            "medically-necessary",
        ),
        ("Ablation does not meet the definition of medical necessity for a 4 cm tumor.", "not-medically-necessary"),
        ("Repeat ablation is not considered medically appropriate within 6 months.", "not-medically-necessary"),
        ("The plan does not cover transurethral water vapor therapy for this indication.", "not-covered"),
        ("The following are considered investigative and are not covered:", "investigational"),
        ("Listing a code says nothing about whether the service it describes is covered.", None),
        ("Focused ultrasound ablation of fibroids (0071T) is not a benefit of Texas Medicaid.", "not-covered"),
        ("Radiofrequency ablation of fibroids is a benefit of Texas Medicaid when it is prior authorized.", "covered"),
        ("There is a benefit of cryoablation over surgery in recovery time.", None),
        ("HealthPartners covers inferior turbinate reduction when ALL of the following are met:", "covered"),
        ("Thermal RF ablation of the occipital nerves is established for occipital neuralgia when met.", "covered"),
        ("The diagnosis is established by two blocks.", None),
        ("Pulsed RF is not established as a treatment for headache.", "investigational"),
        (
            "Tufts Health Plan may authorize coverage of hip nerve ablation when ALL of the following are met:",
            "covered",
        ),
        ("Repeat ablation of the same hip may be authorized when ALL of the following are met:", "covered"),
        ("The plan will not authorize cryoneurolysis of the hip nerves.", "not-covered"),
        ("The request may be authorized by a nurse reviewer.", None),
        ("Listing a code does not mean the service is covered.", None),
        ("Listing of a code does not necessarily mean the service is covered.", None),
        ("This policy covers commercial and Medicare products, and if they conflict the contract governs.", None),
        ("Requests will not be authorized without the following documentation.", None),
        # a state manual's and a commission's wordings
        ("Chemical neurolysis is a Medi-Cal benefit for recipients with spasticity.", "covered"),
        ("Nerve ablation for groin pain after hernia repair is a covered benefit with conditions.", "covered"),
        ("Neurolysis (CPT 64640) is reimbursable with an approved TAR when ALL of the following are met:", "covered"),
        ("Argon plasma coagulation is recommended for coverage for GAVE when the criteria are met.", "covered"),
        ("Endoscopic cryotherapy is not recommended for coverage for GAVE.", "not-covered"),
        ("The benefit of treatment is a reduction in pain.", None),
        ("Quality of life is a Key benefit of the procedure.", None),
        ("Cryoablation is no longer recommended for coverage.", "not-covered"),
        ("Neurolysis for pain is not a Medi-Cal benefit.", "not-covered"),
    ],
)
def test_coverage_decisions_in_their_many_wordings(sentence, decision):
    found = decision_in(sentence)
    assert (found[0] if found else None) == decision


def test_html_keeps_tables_and_drops_menus():
    source = read_source(FIXTURES / "payers" / "aetna-cpb-genicular-nerve-ablation.html", 10**8)
    assert "| 64624 |" in source.text and "Skip to main content" not in source.text
    assert "Precertification" not in source.text.split("# ", 1)[0]  # the site's menu is gone
    assert source.title_hint.startswith("Genicular Nerve Block")


def test_word_file_headings_lists_and_tables():
    doc = parse_document(FIXTURES / "payers" / "bcbsla-mrgfus-essential-tremor.docx")
    assert doc.document.format == "docx" and any(p.kind == "row" for p in doc.passages)
    assert any(p.kind == "list" and "ALL of the following" in p.text for p in doc.passages)


def test_pdf_headings_from_type_size_and_running_lines_out():
    source = read_source(FIXTURES / "payers" / "uhc-mrgfus-tremor.pdf", 10**8)
    assert "# Magnetic Resonance-Guided Focused Ultrasound for Tremor" in source.text
    assert "Page 2 of" not in source.text and "Page 2 of" in source.running


def test_typeset_ligatures_read_as_their_letters(tmp_path):
    # A PDF's fonts may hand back "ff" and "fi" as one character each; the label is "Effective Date" all the same.
    (tmp_path / "policy.txt").write_text(
        "Medical Policy 1187\n\nPolicy Number: 1187\nE\ufb00ective Date: 04/01/2025\n\nPolicy\n\n"
        "Valve placement is medically necessary after certi\ufb01cation of the diagnosis.\n",
        encoding="utf-8",
    )
    doc = parse_document(tmp_path / "policy.txt")
    assert doc.document.effective_date == "04/01/2025"
    assert "certification" in doc.text and "\ufb01" not in doc.text


def test_a_table_cell_holds_the_words_centred_in_it(tmp_path):
    # A row's text set over the rule above it: the cell above must not take the tops of its letters
    # ("A th ti i j ti" of "Anesthetic injection").
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), "Codes", fontsize=16, fontname="hebo")
    for y0, y1 in ((100, 118), (118, 140), (140, 160)):
        for x0, x1 in ((50, 150), (150, 400)):
            page.draw_rect(pymupdf.Rect(x0, y0, x1, y1), color=(0, 0, 0), width=0.5)
    for x, y, text in [
        (55, 112, "Code"),
        (155, 112, "Description"),
        (55, 124, "64405"),
        (155, 124, "Anesthetic injection of the greater occipital nerve"),
        (55, 152, "76942"),
        (155, 152, "Ultrasonic guidance for needle placement"),
    ]:
        page.insert_text((x, y), text, fontsize=10)
    doc.save(tmp_path / "codes.pdf")
    text = read_source(tmp_path / "codes.pdf", 10**8).text
    assert "| Code | Description |" in text and "| 64405 | Anesthetic injection of the greater" in text, text


def _ruled_table(page, top: float, rows: list[tuple[str, str]]) -> None:
    import pymupdf

    for n, (code, description) in enumerate(rows):
        y0 = top + 20 * n
        for x0, x1, text in ((50, 150, code), (150, 500, description)):
            page.draw_rect(pymupdf.Rect(x0, y0, x1, y0 + 20), color=(0, 0, 0), width=0.5)
            page.insert_text((x0 + 5, y0 + 14), text, fontsize=10)


def _codes_over_a_page_break(tmp_path, second: list[tuple[str, str]]) -> list:
    """The row passages of a PDF whose code table ends its first page; `second` is the table opening the next."""
    import pymupdf

    doc = pymupdf.open()
    first = doc.new_page()
    first.insert_text((50, 60), "Codes", fontsize=16, fontname="hebo")
    first.insert_text((50, 90), "The codes below are reported for the ablation.", fontsize=10)
    _ruled_table(first, 700, [("Code", "Description"), ("64640", "Destruction of a peripheral nerve")])
    page = doc.new_page()
    _ruled_table(page, 60, second)
    page.insert_text((50, 130), "Imaging guidance is not reported separately.", fontsize=10)
    doc.save(tmp_path / "codes.pdf")
    return [p for p in parse_document(tmp_path / "codes.pdf").passages if p.kind == "row"]


def test_a_table_the_page_break_cut_is_one_table(tmp_path):
    # The second page's rows go on without the header: read apart, its first row ("64405 | ...") became the
    # column names of a table of its own and was no row of the codes listed.
    rows = _codes_over_a_page_break(
        tmp_path, [("64405", "Anesthetic injection of the occipital nerve"), ("77002", "Fluoroscopy")]
    )
    assert [p.codes[:1] for p in rows] == [("64640",), ("64405",), ("77002",)], [p.text for p in rows]
    assert {p.header for p in rows} == {"Code | Description"}


def test_a_table_of_another_kind_opening_the_next_page_is_a_table_of_its_own(tmp_path):
    rows = _codes_over_a_page_break(tmp_path, [("ICD-10", "Description"), ("M54.81", "Occipital neuralgia")])
    assert [(p.text.split(" | ")[0], p.header) for p in rows] == [
        ("64640", "Code | Description"),
        ("M54.81", "ICD-10 | Description"),
    ], [p.text for p in rows]


def test_a_table_ruled_line_by_line_under_a_shaded_header_is_read_whole(tmp_path):
    # Each rule a line of its own (an empty box), the shaded header the one box with an area: the table finder
    # was confined to that header, and the rows came out as paragraphs.
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 60), "Applicable diagnosis codes", fontsize=14, fontname="hebo")
    rows = [
        ("ICD-10-CM", "Description"),
        ("C61", "Malignant neoplasm of prostate"),
        ("Z92.3", "History of irradiation"),
    ]
    page.draw_rect(pymupdf.Rect(50, 80, 500, 100), color=None, fill=(0.85, 0.9, 0.95))
    for n, row in enumerate(rows):
        y = 80 + 20 * n
        page.draw_line((50, y), (500, y), width=0.7)
        for x, text in zip((50, 150), row):
            page.insert_text((x + 5, y + 14), text, fontsize=10)
    page.draw_line((50, 140), (500, 140), width=0.7)
    for x in (50, 150, 500):
        page.draw_line((x, 80), (x, 140), width=0.7)
    doc.save(tmp_path / "codes.pdf")
    found = [p for p in parse_document(tmp_path / "codes.pdf").passages if p.kind == "row"]
    assert [p.codes[:1] for p in found] == [("C61",), ("Z92.3",)], [p.text for p in found]


def test_a_history_row_beside_labelled_dates_is_kept():
    # "Reviewed | 02/20/2025" rows make the table look like a header block; a row no label opens was dropped.
    text = (
        "# Basivertebral Nerve Ablation\n\n## Document History\n\n| Status | Date | Action |\n|---|---|---|\n"
        "| Reviewed | 02/20/2025 | MPTAC review. |\n"
        "| Revised | 02/15/2024 | Added medically necessary criteria for individuals with Modic type 1 changes. |\n"
        "|  | 01/01/2022 | Updated the coding section with new CPT codes 64628 and 64629. |\n"
        "| Reviewed | 02/11/2021 | MPTAC review. |\n"
    )
    doc = parse_text("cg-bvn", text, format="markdown")
    assert any("64628 and 64629" in p.text for p in doc.passages), [p.text for p in doc.passages]


def test_a_header_cell_s_two_lines_are_no_table_of_their_own():
    doc = parse_document(FIXTURES / "payers" / "bcbsm-ns1361-occipital-nerve-ablation.pdf")
    headers = {p.header for p in doc.passages if p.kind in ("row", "table-header")}
    assert not any(h.startswith("Description") for h in headers), headers


def test_a_file_s_title_property_naming_a_heading_chooses_it(tmp_path):
    # A manual's section saved alone: its chapter heading comes first, the file's title names the section.
    import docx

    d = docx.Document()
    d.core_properties.title = "Provider Procedures Manual - 9.2.14 Uterine Fibroid Ablation"
    d.add_heading("9 Gynecological Surgical Services", level=1)
    d.add_paragraph("This chapter describes the program's benefits for gynecological surgery. " * 4)
    d.add_heading("9.2.14 Uterine Fibroid Ablation", level=2)
    d.add_paragraph("Radiofrequency ablation of uterine fibroids is a benefit when it is prior authorized. " * 3)
    d.save(tmp_path / "manual.docx")
    assert parse_document(tmp_path / "manual.docx").document.title == "Uterine Fibroid Ablation"


def test_a_word_header_of_bold_labels_over_their_values_is_read_as_fields(tmp_path):
    # A Word policy under a generic masthead in the Title style: its name in a bold paragraph, then each field's
    # label in bold on a line of its own over its value, one of them a label we read no field from.
    import docx

    d = docx.Document()
    d.add_heading("Benefit Coverage Policy", level=0)
    d.add_paragraph().add_run("Catheter Ablation for Supraventricular Tachycardia").bold = True
    for label, value in [
        ("Policy Number", "BCP-1147"),
        ("Category", "Cardiology / Electrophysiology"),
        ("Effective Date", "Feb. 1, 2026"),
        ("Next Review Date", "Nov. 2026"),
    ]:
        d.add_paragraph().add_run(label).bold = True
        d.add_paragraph(value)
    d.add_heading("Policy", level=1)
    d.add_paragraph("The plan covers catheter ablation of supraventricular tachycardia when drugs have failed.")
    d.save(tmp_path / "policy.docx")
    doc = parse_document(tmp_path / "policy.docx").document
    assert doc.title == "Catheter Ablation for Supraventricular Tachycardia"
    assert (doc.policy_number, iso(doc.effective_date), iso(doc.next_review_date)) == (
        "BCP-1147",
        "2026-02-01",
        "2026-11",
    )


def test_a_page_s_header_fields_as_a_list_of_labels_and_values_are_fields(tmp_path):
    (tmp_path / "policy.html").write_text(
        "<html><body><p>Medical Policy</p><h1>Cyclophotocoagulation for Glaucoma</h1><ul>"
        "<li><strong>Policy Number:</strong> MP-OPH-014</li><li><strong>Effective Date:</strong> 2026-03-01</li>"
        "<li><strong>Next Review Date:</strong> 12/2027</li><li><strong>Approved by:</strong> UCare Medical Policy "
        "Committee</li></ul><h2>Policy Statement</h2><p>UCare covers transscleral cyclophotocoagulation when "
        "eye drops have failed to control the pressure.</p></body></html>",
        encoding="utf-8",
    )
    doc = parse_document(tmp_path / "policy.html").document
    assert (doc.policy_number, iso(doc.next_review_date)) == ("MP-OPH-014", "2027-12")


def test_a_title_set_in_capitals_takes_its_case_from_the_page_title(tmp_path):
    (tmp_path / "policy.html").write_text(
        "<html><head><title>Percutaneous Ultrasonic Tenotomy | Medical Policy 744 | Select Health</title></head>"
        "<body><nav>Members Providers Employers</nav><h1>PERCUTANEOUS ULTRASONIC TENOTOMY</h1>"
        "<p>Policy # 744</p><h2>Coverage</h2><p>Percutaneous ultrasonic tenotomy of the elbow is covered when all "
        "of the following are met: symptoms for at least 6 months and failed physical therapy.</p></body></html>",
        encoding="utf-8",
    )
    assert parse_document(tmp_path / "policy.html").document.title == "Percutaneous Ultrasonic Tenotomy"


def test_of_two_labelled_reviews_the_later_is_the_last_review():
    text = (
        "Blue Cross NC\nCorporate Medical Policy\nCryoablation of Prostate Cancer\n\nFile Name:\ncryo_prostate\n"
        "Origination:\n6/2004\nLast CAP Review:\n2/2025\nNext CAP Review:\n2/2026\nLast Review:\n4/2025\n\n"
        "Policy\n\nCryoablation of the prostate is considered medically necessary when all of the criteria are met.\n"
    )
    doc = parse_text("cryo-prostate", text).document
    assert (doc.last_review_date, doc.next_review_date) == ("4/2025", "2/2026")


@pytest.mark.parametrize(
    "header",
    [
        "Contractor Review Cycle Completed\n12/18/2025 (next cycle opens 12/2026)\n",
        "Last Review: 12/18/2025 (next review due 12/2026)\n",
    ],
)
def test_a_next_review_said_in_brackets_beside_the_last_one_is_the_next_review(header):
    text = (
        "LCD - Thermal Radiofrequency Denervation of Facet Joints (L39954)\n\n" + header + "\nCoverage Indications\n\n"
        "Thermal radiofrequency denervation is considered reasonable and necessary when all criteria are met.\n"
    )
    doc = parse_text("facet-lcd", text).document
    assert (iso(doc.last_review_date), iso(doc.next_review_date)) == ("2025-12-18", "2026-12")


def test_with_no_effective_date_labelled_the_history_s_latest_one_is_the_policy_s():
    text = (
        "Blue Cross NC\nCorporate Medical Policy\nCryoablation of Prostate Cancer\n\nOrigination:\n6/2004\n"
        "Last Review:\n4/2025\n\nPolicy\n\nCryoablation of the prostate is considered medically necessary when "
        "all of the criteria are met.\n\nPolicy Implementation/Update Information\n\n"
        "4/2024 Annual review. Notification given 2/12/2024 for effective date 4/15/2024.\n\n"
        "4/2025 Criteria revised. Notification given 2/14/2025 for effective date 4/15/2025.\n"
    )
    assert parse_text("cryo-prostate", text).document.effective_date == "4/15/2025"


def test_sub_items_written_as_paragraphs_stay_with_the_item_that_introduces_them():
    # "6. NONE of the following is present:" closes the numbered list; its "a. ... b. ..." came out as a list of
    # their own, cut from the statement that says they must all be absent.
    text = (
        "# Water Vapor Ablation\n\n## Policy\n\nWater vapor ablation is medically necessary when ALL of the "
        "following are met:\n\n1. The prostate volume is 30 to 80 cc; and\n\n2. NONE of the following is present:"
        "\n\na. Post-void residual greater than 250 mL;\n\nb. Active urinary tract infection.\n\n"
        "B. Repeat water vapor ablation is investigational.\n\n"
        "## Coding\n\nCPT 53854 describes the procedure.\n"
    )
    passages = parse_text("wva", text, format="markdown").passages
    lists = [p for p in passages if p.kind == "list"]
    assert len(lists) == 1 and "NONE of the following is present: a. Post-void" in lists[0].text, lists
    assert "b. Active urinary" in lists[0].text and "B. Repeat" not in lists[0].text  # the next statement's own


@pytest.mark.parametrize(
    "sentence",
    [
        "This policy sets out when Ambetter Health considers RFA of the plantar fascia medically necessary.",
        "This document addresses the criteria under which renal mass ablation is medically necessary.",
        "It does not address ablation of the facet joints, which are covered by other LCDs.",
    ],
)
def test_what_a_document_says_it_describes_is_no_decision(sentence):
    assert decision_in(sentence) is None


@pytest.mark.parametrize(
    "sentence, decision",
    [
        (
            "When the operative note describes the indications in section I, RFA is considered medically necessary.",
            "medically-necessary",
        ),
        ("Cryoablation is covered in other anatomic sites when the criteria are met.", "covered"),
    ],
)
def test_a_decision_beside_words_of_describing_or_other_places_is_still_a_decision(sentence, decision):
    assert decision_in(sentence)[0] == decision


def test_a_short_dated_row_of_a_history_taken_for_a_header_block_is_kept():
    text = (
        "# Breast Ablation\n\n## Revision Details\n\n| Status | Date | Action |\n|---|---|---|\n"
        "| Reviewed | 03/15/2026 | Annual review. |\n| | 10/15/2025 | Added new code 0971T |\n"
        "| Reviewed | 03/15/2025 | Annual review. |\n"
    )
    assert any("0971T" in p.text for p in parse_text("rev", text, format="markdown").passages)


def test_a_page_held_in_one_form_keeps_its_content_and_drops_its_search_box(tmp_path):
    (tmp_path / "policy.html").write_text(
        "<html><head><title>Coverage Policy Manual</title></head><body><div class='search'><form action='/search'>"
        "<label>Search the site</label><input name='q'/></form></div><form id='aspnetForm' method='post'>"
        "<input type='hidden' name='__VIEWSTATE' value='x'/>"
        "<h1>Ablation of Pancreatic Cysts</h1><h2>Policy</h2><p>Ablation of pancreatic cysts is considered "
        "investigational for all indications.</p></form></body></html>",
        encoding="utf-8",
    )
    doc = parse_document(tmp_path / "policy.html")
    text = " ".join(p.text for p in doc.passages)
    assert doc.document.title == "Ablation of Pancreatic Cysts"
    assert "considered investigational" in text and "Search the site" not in text


def test_a_100_page_pdf_is_read(tmp_path):
    """Speed is the benchmark's to report; here, that a long policy parses at all, page furniture removed."""
    import pymupdf

    src = pymupdf.open(FIXTURES / "payers" / "bcbsal-cryoablation-breast-fibroadenomas.pdf")
    big = pymupdf.open()
    while big.page_count < 100:
        big.insert_pdf(src)
    big.save(tmp_path / "long.pdf")
    doc = parse_document(tmp_path / "long.pdf")
    assert doc.document.payer == "Blue Cross and Blue Shield of Alabama" and len(doc.passages) > 500


def test_unreadable_files_are_named_with_a_reason(tmp_path):
    from assistant.readers import BadFile

    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 word/ nothing")
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    reasons = {}
    for path in corpus_files(tmp_path):
        with pytest.raises(BadFile) as err:
            read_source(path, 10**8)
        reasons[path.name] = str(err.value)
    assert "PDF" in reasons["broken.pdf"] and "Word" in reasons["broken.docx"] and ".docx" in reasons["old.doc"]


def test_a_contractor_s_document_is_labelled_with_payer_and_contractor():
    lcd = Document("x", "Genicular Nerve Ablation", "lcd", "x.txt", "0", payer="Medicare",
                   publisher="Novitas Solutions", policy_number="L39756")  # fmt: skip
    assert lcd.label == "Medicare (Novitas Solutions) L39756 · Genicular Nerve Ablation"
    policy = Document("y", "Cryoablation of Breast Fibroadenoma", "coverage-policy", "y.txt", "0", payer="Highmark",
                      policy_number="S-164")  # fmt: skip
    assert policy.label == "Highmark S-164 · Cryoablation of Breast Fibroadenoma"


def test_a_state_medicaid_agency_is_that_state_s_medicaid():
    assert payers_named("Ohio Department of Medicaid — Provider Manual") == ["Ohio Medicaid"]


def test_a_running_header_on_the_first_page_is_the_document_s_own_header(tmp_path):
    # Every page repeats the payer, the number and the title (capitals on page 1, mixed case in the footer):
    # dropped as running lines elsewhere, on the first page they are the header block that names them.
    import pymupdf

    pdf = pymupdf.open()
    for n in range(1, 4):
        page = pdf.new_page()
        if n == 1:
            page.insert_text((72, 60), "Priority Health", fontsize=10)
            page.insert_text((72, 76), "MEDICAL POLICY No. 91234-R2", fontsize=12, fontname="helv")
            page.insert_text((72, 92), "ENDOVENOUS ABLATION OF VARICOSE VEINS", fontsize=12, fontname="hebo")
            page.insert_text((72, 120), "Effective Date: March 1, 2025", fontsize=10)
        for k, line in enumerate(
            ["Ablation is medically necessary when the criteria below are met.", f"Body text of page {n}."]
        ):
            page.insert_text((72, 160 + 16 * k), line, fontsize=10)
        for k, line in enumerate(
            [
                "Priority Health",
                "MEDICAL POLICY No. 91234-R2",
                f"Page {n} of 3",
                "Endovenous Ablation of Varicose Veins",
            ]
        ):
            page.insert_text((72, 720 + 14 * k), line, fontsize=8)
    pdf.save(tmp_path / "policy.pdf")
    parsed = parse_document(tmp_path / "policy.pdf")
    doc = parsed.document
    assert doc.policy_number == "91234-R2" and doc.payer == "Priority Health"
    assert doc.title == "Endovenous Ablation of Varicose Veins"
    # The number is citable: a header passage holds it ("what's the policy #?").
    assert any(p.kind == "front-matter" and "91234-R2" in p.text for p in parsed.passages)


def test_a_saved_page_s_title_names_its_site(tmp_path):
    html = (
        "<html><head><title>07.01.01a Cryoablation - Medical Policy - Independence Blue Cross</title></head><body>"
        "<table><tr><td>Title:</td><td>Cryoablation</td></tr><tr><td>Policy #:</td><td>07.01.01a</td></tr></table>"
        "<p>This policy applies to commercial products only; Medicare Advantage policies are published elsewhere.</p>"
        "<p>Cryoablation is considered medically necessary when the criteria below are met.</p>"
        + "<p>The lesion is confirmed by biopsy and documented in the record.</p>" * 30  # the policy's body
        + "<p>© 2025 Independence Blue Cross. All rights reserved.</p></body></html>"
    )
    (tmp_path / "ibx-cryoablation.html").write_text(html)
    doc = parse_document(tmp_path / "ibx-cryoablation.html").document
    assert doc.payer == "Independence Blue Cross" and doc.policy_number == "07.01.01a"


@pytest.mark.parametrize(
    "line, number",
    [("MEDICAL POLICY No. 91633-R5", "91633-R5"), ("Guideline No. CG-114", "CG-114"), ("Policy No: 12", "12")],
)
def test_a_number_labelled_no_with_or_without_its_full_stop(line, number):
    assert [f.value for f in find_fields(line) if f.name == "policy_number"] == [number]


def test_a_labelled_review_date_is_the_last_review_not_a_revision():
    text = "Effective Date: 03/27/2025\nRevision Date: 03/27/2025\nReview Date: 01/16/2025\nPolicy Number: HUM-1\n"
    doc = parse_text("humana-x", text + "\nCoverage\nIt is considered medically necessary.\n").document
    assert doc.last_review_date == "01/16/2025"


def test_a_saved_page_s_menu_headings_go_with_their_menus():
    source = read_source(FIXTURES / "payers" / "ibx-barrett-esophagus-ablation.html", 10**8)
    assert "Related Tools" not in source.text and "Browse by Category" not in source.text
    assert "Policy #:" in source.text


def test_a_document_type_line_is_not_the_title():
    text = (
        "HARVARD PILGRIM HEALTH CARE\nMEDICAL REVIEW CRITERIA\n\nThermal Ablation of Benign Thyroid Nodules\n\n"
        "Policy Number: HPHC-MRC-2291\nEffective Date: January 1, 2026\n\nCLINICAL CRITERIA\nThermal ablation of"
        " a benign thyroid nodule is considered medically necessary when ALL of the following are met:\n"
        "  1. The member is 19 years of age or older;\n  2. The nodule measures 2 cm or more.\n"
    )
    doc = parse_text("hphc-thyroid", text).document
    assert doc.title == "Thermal Ablation of Benign Thyroid Nodules" and doc.payer == "Harvard Pilgrim Health Care"


def test_a_running_header_of_many_lines_and_a_page_number_are_out():
    # Humana prints title, three dates, the policy number and "Page: 2 of 4" atop every page: six lines.
    doc = parse_document(FIXTURES / "payers" / "humana-basivertebral-nerve-ablation.pdf")
    body = [p for p in doc.passages if p.kind != "front-matter"]
    assert not any(p.text.startswith("Page:") for p in doc.passages)
    assert not any("Policy Number: HUM" in p.text for p in body)


def test_a_connective_on_a_line_of_its_own_does_not_split_a_criteria_list():
    # "...; AND" wrapped so that "AND" stands alone: the items after it stay in the list with its lead-in.
    doc = parse_document(FIXTURES / "payers" / "humana-basivertebral-nerve-ablation.pdf")
    listed = next(p for p in doc.passages if p.kind == "list" and p.decision == "covered")
    assert "criteria are met" in listed.text and "Other sources of the pain have been excluded" in listed.text
    assert not any(p.text.strip() == "AND" for p in doc.passages)


def test_a_two_column_header_block_in_a_pdf_is_read_label_then_value(tmp_path):
    # Horizon's layout: a manual's name as the big heading, bold labels in one column and values beside them
    # (each value's type a fraction of a point higher than its label), the policy's title under "Subject:".
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((54, 90), "Uniform Medical Policy Manual", fontname="hebo", fontsize=16)
    for row, (label, value) in enumerate([("Policy Number:", "417"), ("Effective Date:", "05/01/2025")]):
        page.insert_text((54, 130 + 14 * row), label, fontname="hebo", fontsize=10)
        page.insert_text((184, 129.9 + 14 * row), value, fontname="helv", fontsize=10)
    page.insert_text((54, 200), "Subject:", fontname="hebo", fontsize=12.5)
    page.insert_text((54, 218), "Ablation of Lung Nodules", fontname="hebo", fontsize=11)
    body = "Thermal ablation of a lung nodule is considered medically necessary when the nodule is small. " * 3
    page.insert_textbox(pymupdf.Rect(54, 240, 540, 400), body, fontname="helv", fontsize=9)
    path = tmp_path / "horizon-x-lung-ablation.pdf"
    pdf.save(path)
    doc = parse_document(path).document
    assert (doc.policy_number, doc.effective_date) == ("417", "05/01/2025")
    assert doc.title == "Ablation of Lung Nodules"


def test_a_row_of_cells_with_no_table_under_it_is_a_banner_of_fields():
    text = (
        "| Medical Policy Manual | Surgery, Policy No. 238 |\n| --- | --- |\n\n# Thyroid Nodule Ablation\n\n"
        "Radiofrequency ablation of a benign thyroid nodule is considered medically necessary when it is large.\n"
    )
    doc = parse_text("regence-x", text, format="markdown")
    assert doc.document.policy_number == "238"
    assert not any(p.kind == "table-header" for p in doc.passages)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Review Due No Later Than: 02/2027", ("next_review_date", "02/2027")),
        ("Date policy goes into force: 01/01/2026", ("effective_date", "01/01/2026")),
        ("| Devised | 05/2021 |", ("original_effective_date", "05/2021")),
        (
            "Contractor Review Cycle Completed: 12/18/2025 (next cycle opens 12/2026)",
            ("last_review_date", "12/18/2025"),
        ),
    ],
)
def test_a_date_under_a_label_no_table_lists_is_read_by_the_label_s_words(line, expected):
    assert [(f.name, f.value) for f in find_fields(line)] == [expected]
    assert find_fields("The study was completed: 12/2020 in a lab") == []


def test_text_saved_with_page_breaks_loses_its_running_lines_and_keeps_sentences_whole():
    page = "LCD - Facet Denervation (L39954)\n\n"
    text = (
        f"{page}Contractor Review Cycle Completed\n12/18/2025\n\nRetirement Date\nN/A\n\nCOVERED INDICATIONS\n\n"
        "  1. The beneficiary has no prior spinal\n\nCreated on 03/02/2026. Page 1 of 2\n\f"
        f"{page}     fusion at the level to be treated.\n\nOther Date\nN/A\n\nCreated on 03/02/2026. Page 2 of 2\n"
    )
    doc = parse_text("palmetto-x", text)
    assert doc.document.last_review_date == "12/18/2025"
    joined = " ".join(p.text for p in doc.passages)
    assert "Page 2 of 2" not in joined and "spinal fusion at the level" in " ".join(joined.split())
    assert "N/A" in joined


def test_a_grid_of_labelled_fields_and_a_definition_list_are_a_header_block(tmp_path):
    # A layout table whose every cell is "Label: value" has no header row; a <dl> puts label and value on
    # one line. A version date after the page's name is no part of the title.
    html = (
        "<html><head><title>Laser Ablation of Brain Lesions 2025-11-16 | Example Guidelines</title></head><body>"
        "<h1>Laser Ablation of Brain Lesions 2025-11-16</h1>"
        "<table><tr><td><b>Status:</b> Revised</td><td><b>Effective Date:</b> 11/16/2025</td></tr>"
        "<tr><td><b>Doc ID:</b> SURG11-1125.1</td><td><b>Last Review Date:</b> 07/22/2025</td></tr></table>"
        "<dl><dt>Next Review:</dt><dd>July 2026</dd></dl>"
        "<p>Carelon considers laser ablation medically necessary when the criteria below are met.</p>"
        + "<p>The lesion is confirmed by imaging and documented in the record.</p>" * 30
        + "</body></html>"
    )
    (tmp_path / "carelon-litt.html").write_text(html)
    doc = parse_document(tmp_path / "carelon-litt.html").document
    assert doc.title == "Laser Ablation of Brain Lesions" and doc.policy_number == "SURG11-1125.1"
    assert (doc.effective_date, doc.last_review_date, doc.next_review_date) == ("11/16/2025", "07/22/2025", "July 2026")
    assert doc.payer == "Carelon Medical Benefits Management"


def test_a_tab_separated_table_is_split_at_its_tabs_under_headings_over_captions(tmp_path):
    # Copied from a web page, a table's cells are split by tabs of no fixed width; "Group 1" over "Group 1
    # Paragraph:" and its text is a heading, as is the heading over it.
    text = (
        "Billing and Coding: Radiofrequency Ablation of the Sacroiliac Joint Nerves\n\n"
        "Article ID\nA59999\n\n"
        "ICD-10-CM Codes that Support Medical Necessity\nGroup 1\nGroup 1 Paragraph:\n"
        "The codes below support medical necessity for CPT 64625 when reported as the primary diagnosis only.\n\n"
        "Group 1 Codes: (3 Codes)\nCode\tDescription\nM46.1\tSacroiliitis, not elsewhere classified\n"
        "M53.2X8\tSpinal instabilities, sacral and sacrococcygeal region\n"
        "M53.3\tSacrococcygeal disorders, not elsewhere classified\n"
    )
    (tmp_path / "wps-a59999.txt").write_text(text)
    rows = [p for p in parse_document(tmp_path / "wps-a59999.txt").passages if p.kind == "row"]
    assert [p.text for p in rows][2] == "M53.3 | Sacrococcygeal disorders, not elsewhere classified"
    assert all(p.section[-2:] == ("ICD-10-CM Codes that Support Medical Necessity", "Group 1") for p in rows)


def test_a_title_like_line_over_labelled_fields_is_a_heading(tmp_path):
    # Copied from a coverage database page: "Article Information" / "General Information" over "Article ID" and
    # its value, right after a "Back to Top" link. A page number line is never a heading.
    text = (
        "Contractor Information\nContractor Name\tContract Type\nExample MAC\tA and B MAC\nBack to Top\n\n"
        "Article Information\nGeneral Information\nArticle ID\nA59999\n"
        "Article Title\nBilling and Coding: Example Ablation\n\nPage 1 of 3\nArticle Text\n"
        "Report CPT 64625 once per side per session for thermal ablation of the SI joint nerves.\n"
    )
    (tmp_path / "mac-a59999.txt").write_text(text)
    doc = parse_document(tmp_path / "mac-a59999.txt")
    fields = [p for p in doc.passages if "A59999" in p.text]
    assert fields and fields[0].section[-2:] == ("Article Information", "General Information")
    assert not any("Page 1 of 3" in s for p in doc.passages for s in p.section)


def test_a_header_block_beside_a_title_cell_running_header_and_file_title(tmp_path):
    # A boxed header: the title in a cell spanning the rows, "Label: value" cells beside it; the title again in
    # the running header and in the file's title property after the policy number, which the footer prints whole.
    import pymupdf

    pdf = pymupdf.open()
    for number in range(2):
        page = pdf.new_page()
        page.insert_text((54, 30), "Cryoablation of Breast Lesions Policy", fontsize=8)
        page.insert_text((54, 780), f"SUR512    Page {number + 1} of 2", fontsize=8)
        if number:
            page.insert_text((54, 100), "Cryoablation is considered investigational for breast cancer.", fontsize=10)
            continue
        labels = ["Effective Date: 3/1/2026", "Section: SUR", "Policy No: 512", "Committee Approved: 2/23; 1/26"]
        page.draw_rect(pymupdf.Rect(50, 60, 300, 140), color=(0, 0, 0), width=0.5)
        page.insert_text((55, 80), "MEDICAL POLICY Cryoablation of Breast Lesions Policy", fontsize=9)
        for row, label in enumerate(labels):
            page.draw_rect(pymupdf.Rect(300, 60 + 20 * row, 550, 80 + 20 * row), color=(0, 0, 0), width=0.5)
            page.insert_text((305, 74 + 20 * row), label, fontsize=9)
        page.insert_text((54, 180), "SCOPE:", fontsize=13, fontname="hebo")
        page.insert_text((54, 200), "All lines of business are subject to this policy and its criteria.", fontsize=10)
        page.insert_text((54, 230), "APPLIES TO:", fontsize=13, fontname="hebo")
        page.insert_text((54, 250), "Commercial and Medicaid plans of the company.", fontsize=10)
    pdf.set_metadata({"title": "SUR512 Cryoablation of Breast Lesions Policy"})
    pdf.save(tmp_path / "policy.pdf")
    doc = parse_document(tmp_path / "policy.pdf").document
    assert doc.title == "Cryoablation of Breast Lesions Policy"
    assert (doc.effective_date, doc.policy_number) == ("3/1/2026", "SUR512")


def test_an_outline_item_leads_in_the_items_under_it():
    # "I." ends in ':' over "A."/"B." items, "B." over a numbered list of its own: one criteria list with its
    # lead-in; "II." is the outline's next statement, not an item of that list.
    text = (
        "# Policy Criteria\n\n"
        "I. Cryoablation of a fibroadenoma may be considered medically necessary when all of the following are"
        " met:\n\n"
        "A. The member is 18 years of age or older; and\n\n"
        "B. At least one of the following is documented:\n\n"
        "1. The lesion is painful; or\n"
        "2. The lesion has grown.\n\n"
        "II. Repeat cryoablation within 12 months is considered not medically necessary.\n"
    )
    passages = parse_text("sur-512", text, format="markdown").passages
    listed = next(p for p in passages if "18 years" in p.text)
    assert listed.text.startswith("I. Cryoablation") and "The lesion has grown" in listed.text
    assert "Repeat" not in listed.text and listed.decision == "medically-necessary"
    assert listed.about == "Cryoablation of a fibroadenoma"
    assert any(p.text.startswith("II. Repeat") and p.decision == "not-medically-necessary" for p in passages)


@pytest.mark.parametrize(
    ("sentence", "about"),
    [
        (
            "Cryoablation of malignant breast tumors is considered not reasonable and necessary and is not covered"
            " for Medicare Advantage members.",
            "Cryoablation of malignant breast tumors",
        ),
        (
            "Repeat ablation of the same knee may be considered medically necessary when:",
            "Repeat ablation of the same knee",
        ),
        ("Aetna considers genicular nerve ablation medically necessary for knee pain.", "genicular nerve ablation"),
        (
            "SelectHealth Community Care does not cover radiofrequency ablation of the suprascapular nerve.",
            "radiofrequency ablation of the suprascapular nerve",
        ),
        (
            # The condition comes after a long name of what is covered: the sentence still decides.
            "SelectHealth covers conventional (thermal) or cooled radiofrequency ablation of the articular branches "
            "of the suprascapular, axillary, and/or lateral pectoral nerves for chronic shoulder pain when ALL of "
            "the following criteria are met:",
            "conventional (thermal) or cooled radiofrequency ablation of the articular branches of the "
            "suprascapular, axillary, and/or lateral pectoral nerves for chronic shoulder pain",
        ),
    ],
)
def test_what_a_decision_is_about_is_its_subject_in_any_voice(sentence, about):
    from assistant.positions import position_of

    assert position_of(sentence, "paragraph", ("Policy",))[1] == about


def test_a_lettered_subject_section_names_the_title_and_the_file_title_the_number(tmp_path):
    # CareSource's layout: a disclaimer first, then "A. Subject" over the policy's name; the file's title gives
    # the name and number as one ("...Stimulation-OH MCD-MM-1623").
    import docx

    document = docx.Document()
    document.core_properties.title = "Percutaneous Tibial Nerve Stimulation-OH MCD-MM-1623"
    document.add_paragraph("Medical policy statements are built from clinical guidelines and other standards. " * 4)
    document.add_heading("A. Subject", level=2)
    document.add_heading("Percutaneous Tibial Nerve Stimulation", level=3)
    document.add_heading("B. Background", level=2)
    document.add_paragraph("Overactive bladder is a symptom complex of urgency and frequency.")
    document.save(tmp_path / "caresource.docx")
    doc = parse_document(tmp_path / "caresource.docx").document
    assert (doc.title, doc.policy_number) == ("Percutaneous Tibial Nerve Stimulation", "OH MCD-MM-1623")


def test_a_definition_of_a_medically_necessary_service_states_no_decision():
    assert decision_in("A medically necessary service is one that is needed to treat an illness.") is None
    assert decision_in("PTNS is medically necessary when all of the following are met:")[0] == "medically-necessary"


def test_a_row_of_labels_over_values_is_read_though_one_label_is_unknown():
    # SelectHealth's header row: "Review Dates" is a label this reader does not know; the others still are.
    text = (
        "# Shoulder Nerve Ablation\n\n| Policy # | Implementation Date | Review Dates | Date Last Revised |\n"
        "|---|---|---|---|\n| 583 | 03/2019 | 04/16/2020, 04/22/2021 | 11/14/2025 |\n\n## Description\n\n"
        "Radiofrequency ablation of the shoulder nerves is covered when all of the following are met: pain.\n"
    )
    doc = parse_text("selecthealth-x", text, format="markdown")
    assert (doc.document.policy_number, doc.document.last_review_date) == ("583", "11/14/2025")
    # A table whose header has a single label is a table, not a header block.
    rows = "| Code | Description | Policy |\n|---|---|---|\n| 64640 | Destruction | Covered |\n"
    table = parse_text("codes-x", f"# Codes\n\n{rows}", format="markdown")
    assert table.document.policy_number is None and any(p.kind == "row" for p in table.passages)


def test_a_heading_line_ending_on_an_open_word_goes_on_in_the_next_line(tmp_path):
    import pymupdf

    pdf = pymupdf.open()
    page = pdf.new_page()
    page.insert_text((72, 90), "RADIOFREQUENCY ABLATION OF SHOULDER NERVES FOR", fontsize=15, fontname="hebo")
    page.insert_text((72, 110), "CHRONIC SHOULDER PAIN", fontsize=15, fontname="hebo")
    for n in range(8):
        page.insert_text(
            (72, 200 + 14 * n), "Radiofrequency ablation of the nerves is a treatment for pain.", fontsize=10
        )
    pdf.save(tmp_path / "policy.pdf")
    sections = {p.section_path for p in parse_document(tmp_path / "policy.pdf").passages}
    assert any("SHOULDER NERVES FOR CHRONIC SHOULDER PAIN" in s for s in sections), sections


def test_a_plan_s_program_named_in_the_same_phrase_is_no_second_payer():
    from assistant.payers import asked_payers, payers_named, programs

    assert asked_payers("pt has selecthealth community care (medicaid), covered?") == ["SelectHealth"]
    assert programs("pt has selecthealth community care (medicaid), covered?") == ["Medicaid"]
    assert asked_payers("does aetna and medicare cover it") == ["Aetna", "Medicare"]
    assert programs("does aetna and medicare cover it") == []
    assert programs("commercial pt with selecthealth") == ["commercial"]
    # A comparison keeps both payers; a state's code is one only in capitals ("or medicaid" is not Oregon's).
    assert programs("does aetna cover 64635 compared to medicare") == []
    assert asked_payers("does uhc or medicaid cover 64635") == ["UnitedHealthcare", "Medicaid"]
    assert asked_payers("how often under nc medicaid") == ["North Carolina Medicaid"]
    assert programs("aetna medicare pt, is it covered?") == ["Medicare"]
    # a state's Medicaid program after a plan's name is the plan's line of business; an author or a hospital of the
    # same name in a document is no plan
    assert asked_payers("sanford health plan nd medicaid expansion pt - PA needed?") == ["Sanford Health Plan"]
    assert programs("sanford health plan nd medicaid expansion pt - PA needed?") == ["Medicaid"]
    assert payers_named("Sanford MF, Lee K. Outcomes of HPN at Sanford Medical Center. 2021") == []
    # A state's Medicaid program named after a plan's product is that plan's Medicaid line.
    assert asked_payers("does it apply to tufts health together masshealth members?") == ["Harvard Pilgrim Health Care"]
    assert programs("does it apply to tufts health together masshealth members?") == ["Medicaid"]
    # The program named as the plan's anywhere in a message is no payer of its own elsewhere in it.
    asked = "medicaid PA check: Dean Health Plan badgercare pt, and a hap caresource medicaid pt. PA for both?"
    assert asked_payers(asked) == ["Dean Health Plan", "Health Alliance Plan"]
    # ... named after a plan's own, it is one more payer to compare
    assert asked_payers("compare humana medicare advantage and original medicare for 0581T") == ["Humana", "Medicare"]


def test_a_plan_s_usual_short_name_and_its_individual_plans_line():
    from assistant.payers import asked_payers, programs

    # "HAP CareSource" is Health Alliance Plan's Medicaid plan, not CareSource ("hap" alone is pneumonia).
    assert payers_named("HAP CareSource (Medicaid and Healthy Michigan Plan)")[0] == "Health Alliance Plan"
    # A plan sold to people themselves is a commercial line, whatever the plan calls it.
    assert programs("ucare individual & family plan pt, covered?") == ["commercial"]
    # A state's Medicaid program named just before the plan is the plan's Medicaid line, not a second payer.
    assert asked_payers("healthy michigan plan pt (hap caresource) 29M, will hap approve?") == ["Health Alliance Plan"]
    assert programs("healthy michigan plan pt (hap caresource) 29M, will hap approve?") == ["Medicaid"]
    assert asked_payers("medicare vs cigna on 0581T") == ["Medicare", "Cigna"]
    # Two payers of one patient, the first named first, are two payers, not a plan's line.
    assert asked_payers("medicare primary cigna secondary - is 47382 covered?") == ["Medicare", "Cigna"]
    assert programs("is individual and family psychotherapy 90847 covered by medicaid?") == []


def test_a_body_list_of_billing_notes_stays_a_list_and_dates_nothing():
    text = (
        "# Breast Biopsy Policy\n\n- Policy Number: AH-123\n- Effective Date: 01/01/2026\n\n## Coverage\n\n"
        "The plan covers percutaneous breast biopsy (19105) when imaging shows a suspicious lesion.\n\n"
        "## Billing Notes\n\n- Effective date: 07/01/2026\n- Prior authorization: Required for 19105\n"
        "- Place of service: Office or outpatient hospital\n- Units: 1 per lesion\n"
    )
    parsed = parse_text("biopsy", text, format="markdown")
    notes = [p for p in parsed.passages if p.section[-1:] == ("Billing Notes",)]
    assert [p.kind for p in notes] == ["list"], [(p.kind, p.text[:40]) for p in notes]
    assert (parsed.document.policy_number, iso(parsed.document.effective_date)) == ("AH-123", "2026-01-01")


def test_a_title_labelled_far_below_the_header_and_a_heading_printed_as_a_trail(parsed):
    # The NCD page's decision-memo table further down has a "Title" row of its own; the handbook's heading is
    # "Chapter : Topic", and the page's title line names the topic.
    assert parsed["cms-ncd-liver-tumor-ablation"][1].document.title == "Image-Guided Thermal Ablation of Liver Tumors"
    handbook = parsed["wisconsin-medicaid-celiac-plexus-neurolysis"][1].document
    assert (handbook.title, handbook.last_review_date) == ("Celiac Plexus Block and Neurolysis", "03/14/2025")


def test_lines_naming_a_code_and_its_description_are_the_rows_of_a_code_table():
    # A PDF's or a pasted page's code list printed as lines, not as a table: keyed by their codes, under the
    # caption above them, one list across a blank line; a sentence that opens on a code stays a sentence.
    text = (
        "Sample Plan Medical Policy\n\nCoding\n\nCPT codes covered if selection criteria are met:\n"
        "64624 Destruction by neurolytic agent, genicular nerve branches\n\n"
        "64640 - Destruction by neurolytic agent; other peripheral nerve or branch\n\n"
        "ICD-10 codes covered if selection criteria are met:\nM17.11 Unilateral primary osteoarthritis, right knee\n\n"
        "64999 is reported for any other destruction.\n"
    )
    passages = parse_text("mp-2", text).passages
    rows = [p for p in passages if p.kind == "row"]
    assert [(p.codes[0], p.section[-1]) for p in rows] == [
        ("64624", "CPT codes covered if selection criteria are met"),
        ("64640", "CPT codes covered if selection criteria are met"),
        ("M17.11", "ICD-10 codes covered if selection criteria are met"),
    ]
    assert rows[1].text == "64640 | Destruction by neurolytic agent; other peripheral nerve or branch"
    assert next(p for p in passages if "64999" in p.text).kind == "paragraph"


def test_a_decision_named_in_several_words_is_not_its_own_subject():
    from assistant.positions import position_of

    listed = "The following are considered experimental, investigational, or unproven (EIU):\n- Pulsed radiofrequency\n"
    assert position_of(listed, "list", ("Non-Indications",)) == ("investigational", "Pulsed radiofrequency")
    said = "Cryoablation is considered experimental/investigational for all other indications."
    assert position_of(said, "paragraph", ("Policy",))[1] == "Cryoablation"


def test_a_plan_named_by_a_word_of_english_is_a_payer_as_staff_type_it_and_as_a_document_prints_it():
    assert payers_named("does paramount cover balloon compression", typed=True) == ["Paramount Health Care"]
    assert payers_named("Paramount Medical Policy") == ["Paramount Health Care"]
    assert not payers_named("Patient safety is paramount.")
    assert payers_named("pt has medmutual advantage", typed=True) == ["Medical Mutual of Ohio"]
    assert payers_named("how long before capital bc will approve 31243", typed=True) == ["Capital Blue Cross"]
    assert not payers_named("The capital cost of the device is high.")
    assert not payers_named("capital equipment for the quartz crystal study", typed=True)


def test_a_plan_s_brand_and_short_name_name_it():
    assert payers_named("how long for az blue to approve litt", typed=True) == ["Blue Cross and Blue Shield of Arizona"]
    assert payers_named("which cpt for thyroid rfa, mvp health plan", typed=True) == ["MVP Health Care"]
    # "MVP" alone is as often mitral valve prolapse: no payer.
    assert not payers_named("Mitral valve prolapse (MVP) is a common valve disorder.")


def test_blue_cross_shortened_to_bc_names_the_state_s_plan():
    assert payers_named("bcidaho - doc wants to ablate pvcs", typed=True) == ["Blue Cross of Idaho"]
    assert payers_named("does bc idaho cover it", typed=True) == ["Blue Cross of Idaho"]
    assert payers_named("bc michigan pt, is it covered", typed=True) == ["Blue Cross and Blue Shield of Michigan"]
    assert not payers_named("abc michigan", typed=True)


def test_a_guideline_code_leading_the_title_is_the_document_s_number():
    text = (
        "# PM-11.2: Percutaneous Trigeminal Nerve Destruction\n\nVersion 2.0.2025\n\n## Indications\n\n"
        "eviCore healthcare considers trigeminal rhizotomy medically necessary when drugs have failed.\n"
    )
    doc = parse_text("evicore-pm", text, format="markdown").document
    assert (doc.policy_number, doc.payer) == ("PM-11.2", "eviCore healthcare")
    covid = parse_text("covid", "# COVID-19: Testing Guidance\n\nThe plan covers testing when ordered.\n").document
    assert covid.policy_number is None


def test_a_list_whose_lead_in_goes_on_from_the_statement_before_is_part_of_that_statement():
    statement = "Trigeminal rhizotomy is considered medically necessary when done by one of the following techniques:"
    short = f"# Policy\n\n{statement}\n\n- radiofrequency;\n- glycerol;\n\n"
    short += "and the record documents all of the following:\n\n"
    short += "1. The member is 18 or older; and\n2. An MRI shows no tumor.\n"
    lists = [p for p in parse_text("mm-1", short, format="markdown").passages if p.kind == "list"]
    assert len(lists) == 1 and lists[0].text.startswith(statement) and "MRI" in lists[0].text
    # Too long to cite as one passage: the second list carries the statement, and states its decision on its subject.
    items = "".join(
        f"{n}. Criterion {n} is documented in the record with every detail it needs, {'x' * 160}.\n"
        for n in range(1, 9)
    )
    long = short.split("1. The member")[0] + items
    second = [p for p in parse_text("mm-2", long, format="markdown").passages if p.kind == "list"][-1]
    assert second.text.startswith("and the record") and second.lead.startswith("Trigeminal rhizotomy")
    assert (second.decision, second.about) == ("medically-necessary", "Trigeminal rhizotomy")


def test_a_pasted_guideline_s_coded_title_under_its_series_name_is_its_title_and_number():
    text = (
        "Musculoskeletal Interventional Pain Management Guidelines\nGuideline Code: PM-9.4\n"
        "Version 2.0, effective for dates of service on and after 02/01/2026\n\n"
        "PM-9.4: Sacroiliac Joint Radiofrequency Neurotomy\n\nGeneral Information\n"
        "Radiofrequency neurotomy of the sacroiliac joint interrupts the nerves that carry its pain with heat.\n\n"
        "Indications\nInitial neurotomy is considered medically necessary when two diagnostic blocks gave relief.\n"
    )
    doc = parse_text("pm-9-4", text).document
    assert doc.title == "PM-9.4: Sacroiliac Joint Radiofrequency Neurotomy"
    assert (doc.policy_number, doc.effective_date, doc.kind, doc.payer) == (
        "PM-9.4",
        "02/01/2026",
        "coverage-policy",
        None,
    )


def test_a_manual_pasted_from_a_pdf_reads_as_its_pages_would(tmp_path):
    # Copied without page breaks: each page opens on the agency's running lines ("Page 2 of 3"); the title is
    # set on two lines; body lines wrap at a fixed width, some before a name in capitals; an outline heading
    # runs long with a subtitle; an amendment date stands above the effective date.
    running = (
        "State Department of Community Health                             Page {n} of 3\n"
        "Indiana Medicaid                               Clinical Coverage Policy No.: GI-99\n\n"
    )
    text = (
        "INDIANA MEDICAID CLINICAL COVERAGE POLICY\n\nTransoral Radiofrequency Treatment of the\n"
        "Lower Esophageal Sphincter\n\nClinical Coverage Policy No.: GI-99\nAmended Date: May 1, 2025\n"
        "Effective Date: July 1, 2025\n\n" + running.format(n=1) + "1.0 Description of the Procedure\n\n"
        "Transoral radiofrequency treatment of the lower esophageal sphincter, sold under the name\n"
        "Stretta System, is an endoscopic therapy for chronic reflux disease in adults.\n\n"
        + running.format(n=2)
        + "2.2.1 EPSDT Special Provision: Exception to Policy Limitations for a Medicaid Beneficiary under 21\n"
        "A beneficiary under 21 years of age may be approved when the service is medically necessary.\n\n"
        + running.format(n=3)
        + "3.0 When the Procedure is Covered\n\nIndiana Medicaid shall cover Stretta when medically necessary.\n\n"
        "REVISION HISTORY\nDate         Section Revised        Change\n"
        "01/01/2019   All Sections           Initial implementation of the policy.\n"
    )
    saved = tmp_path / "in-gi-99.txt"
    saved.write_text(text)
    parsed = parse_document(saved)
    doc, passages = parsed.document, parsed.passages
    assert doc.title == "Transoral Radiofrequency Treatment of the Lower Esophageal Sphincter"
    assert (doc.policy_number, doc.effective_date, doc.last_review_date) == ("GI-99", "July 1, 2025", None)
    assert not any("Page 2 of 3" in p.text or "Department of Community Health" in p.text for p in passages)
    described = next(p for p in passages if p.text.startswith("Transoral radiofrequency treatment"))
    assert described.text.endswith("in adults.")
    under_21 = next(p for p in passages if p.text.startswith("A beneficiary under 21"))
    assert under_21.section[-1].startswith("2.2.1 EPSDT Special Provision: Exception")


def test_a_code_list_ends_at_the_next_heading():
    text = "# Coding\n\n## CPT Codes\n\n64624 Destruction by neurolytic agent, genicular nerve\n\n"
    text += "## ICD-10 Codes\n\nM17.11 Unilateral primary osteoarthritis, right knee\n"
    rows = [p for p in parse_text("codes-2", text, format="markdown").passages if p.kind == "row"]
    assert [(p.codes[0], p.section[-1]) for p in rows] == [("64624", "CPT Codes"), ("M17.11", "ICD-10 Codes")]


def test_a_list_going_on_from_a_list_cut_into_items_carries_its_statement():
    statement = "Rhizotomy is considered medically necessary when done by one of the following techniques:"
    techniques = "".join(f"- technique {n}, {'as the surgeon judges best ' * 12};\n" for n in range(1, 8))
    text = f"# Policy\n\n{statement}\n\n{techniques}\nand the record documents all of the following:\n\n"
    text += "1. The member is 18 or older; and\n2. An MRI shows no tumor.\n"
    lists = [p for p in parse_text("mm-3", text, format="markdown").passages if p.kind == "list"]
    assert lists[-1].text.startswith("and the record") and lists[-1].lead == statement
    assert lists[-2].text.startswith("- technique 7") and lists[-2].lead == statement


def test_a_code_system_s_name_before_a_colon_is_no_document_number():
    text = (
        "# Aetna Medical Policy\n\n## Knee Nerve Ablation\n\nKnee nerve ablation is considered "
        "medically necessary when conservative care has failed.\n\n## ICD-10-CM: Diagnosis Codes\n\n"
        "M17.11 Unilateral primary osteoarthritis, right knee\n"
    )
    doc = parse_text("knee-1", text, format="markdown").document
    assert doc.title == "Knee Nerve Ablation" and doc.policy_number != "ICD-10-CM"


@pytest.mark.parametrize(
    "sentence, decision",
    [
        ("Tongue base ablation may be cost-shared when all of the following are met:", "covered"),
        ("Palatal implants are unproven and may not be cost-shared.", "investigational"),
        ("Ablation done only to treat snoring may not be cost-shared.", "not-covered"),
    ],
)
def test_tricare_s_cost_share_words_state_its_decisions(sentence, decision):
    assert decision_in(sentence)[0] == decision


def test_a_compound_broken_at_its_hyphen_by_a_wrapped_line_is_one_word():
    text = "Radiofrequency ablation of the tongue base may be cost-\nshared when the member is an adult.\n"
    [passage] = [p for p in parse_text("tricare", text).passages if "ablation" in p.text]
    assert "may be cost-shared when" in passage.text


def test_a_bold_lead_in_ending_on_a_colon_leads_its_list_and_names_its_decision():
    text = (
        "# Cardiac Ablation\n\n## Limitations\n\n"
        "**Ablation is not medically necessary in any of the following situations:**\n\n"
        "- Nonsustained VT without symptoms.\n\n- A PVC burden below 10% without symptoms.\n\n"
        "**The plan considers the following investigational and therefore not medically necessary:**\n\n"
        "- Stereotactic arrhythmia radioablation for VT.\n\n- Ethanol ablation of ventricular tissue.\n"
    )
    lists = [p for p in parse_text("ablation", text, format="markdown").passages if p.kind == "list"]
    assert [p.section[-1] for p in lists] == ["Limitations", "Limitations"]
    assert [p.decision for p in lists] == ["not-medically-necessary", "investigational"]
    assert "Stereotactic" in lists[1].text and "investigational" in lists[1].text


def test_a_section_headed_effective_date_gives_the_date_over_the_issue_date():
    text = (
        "Example Policy Manual\nChapter 4 Section 13.4\n\nTongue Base Ablation For Sleep Apnea\n\n"
        "Issue Date: October 3, 2011\nRevision: C-14, March 2, 2026\n\n"
        "1.0 POLICY\n\n1.1 Tongue base ablation may be cost-shared for adults with obstructive sleep apnea.\n\n"
        "2.0 EFFECTIVE DATE\n\n2.1 This section applies to services rendered on or after April 1, 2026.\n"
    )
    assert iso(parse_text("manual", text).document.effective_date) == "2026-04-01"


def test_a_clinical_policy_title_label_names_the_document():
    text = (
        "Clinical Policy Title: Catheter ablation of ventricular arrhythmias\n"
        "Clinical Policy Number: CCP.1512\nEffective Date: March 1, 2026\n\n"
        "Coverage policy\n\n" + "Catheter ablation is medically necessary when the criteria below are met. " * 5
    )
    assert parse_text("ccp", text).document.title == "Catheter ablation of ventricular arrhythmias"


def test_a_bold_label_ending_on_a_colon_still_heads_its_list():
    text = (
        "# Nerve Ablation\n\n## Position Statement\n\n**Investigational and Not Medically Necessary:**\n\n"
        "Nerve ablation is considered investigational for all other indications, including:\n\n"
        "1. Treatment of levels above L3;\n2. Repeat ablation of a treated level.\n"
    )
    lists = [p for p in parse_text("ablation", text, format="markdown").passages if p.kind == "list"]
    assert lists[0].section[-1] == "Investigational and Not Medically Necessary"


def test_paragraphs_numbered_under_a_lead_in_s_outline_number_are_its_list():
    text = (
        "Example Policy Manual\n\nTongue Base Ablation\n\n4.0 EXCLUSIONS\n\n"
        "4.1 The following are unproven and may not be cost-shared:\n\n"
        "4.1.1 Tongue base ablation as the only procedure for severe sleep apnea, outside a multilevel\n"
        "surgical plan.\n\n4.1.2 Laser-assisted uvulopalatoplasty (HCPCS code S2080).\n\n"
        "4.1.3 Palatal implants (HCPCS code C9727).\n\n"
        "4.2 Ablation done only to treat snoring is not medically necessary.\n"
    )
    passages = parse_text("manual", text).passages
    [listed] = [p for p in passages if p.kind == "list"]
    assert listed.decision == "investigational" and "C9727" in listed.text and "snoring" not in listed.text
    units = [listed.text[s:e] for s, e, *_ in listed.sentences]
    assert units[0].startswith("4.1 The following") and units[2].startswith("4.1.2 Laser")


def test_a_bold_line_beside_a_heading_in_a_pdf_leaves_the_heading_whole(tmp_path):
    # The brand in large bold type with "Clinical Policy" in small bold on its baseline: the heading keeps its
    # last letters ("Caritas", not "Carit").
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((54, 44), "Example Caritas", fontsize=15, fontname="hebo")
    page.insert_text((480, 44), "Clinical Policy", fontsize=10, fontname="hebo")
    page.insert_text((54, 100), "Policy Title: Catheter ablation of ventricular arrhythmias", fontsize=9.5)
    page.insert_text((54, 130), "Body text of the policy, set in the body type, says what it covers.", fontsize=9.5)
    doc.save(tmp_path / "brand.pdf")
    text = read_source(tmp_path / "brand.pdf", 10**8).text
    assert "# Example Caritas" in text and "Carit " not in text, text


def test_an_outline_item_keeps_a_wrapped_line_that_opens_on_a_figure_and_ends_before_unnumbered_text():
    text = (
        "Example Policy Manual\n\nTongue Base Ablation\n\n4.0 EXCLUSIONS\n\n"
        "4.1 The following are unproven and may not be cost-shared:\n\n"
        "4.1.1 Ablation of a lesion larger than\n2.5 cm in greatest diameter.\n\n"
        "4.1.2 Palatal implants (HCPCS code C9727).\n\n"
        "Claims for these services are denied.\n"
    )
    passages = parse_text("manual", text).passages
    [listed] = [p for p in passages if p.kind == "list"]
    assert "2.5 cm in greatest diameter" in listed.text and "C9727" in listed.text
    assert "denied" not in listed.text


def test_a_table_copied_without_its_edge_pipes_is_read_row_by_row_with_its_status_column():
    # A grid copied from a web page: no pipe at either edge, a delimiter row under the header, a notes cell that
    # runs on to a second line, and the decision in a status column while a note speaks of something narrower.
    text = (
        "Ablation Coverage Grid\n\nGrid ID: NW-44\nEffective: 04/01/2026\n\nTable 1 - Ablation\n\n"
        "Service | CPT | Coverage status | Notes |\n---|---|---|---|\n"
        "High-intensity focused ultrasound of the prostate | 55880 | Covered – PA required² | Localized cancer. "
        "HIFU for benign prostatic hyperplasia is not covered. |\n"
        "Bronchial thermoplasty for severe asthma | 31660 | Covered – no PA | Age 18 or older.\n"
        "The course is three sessions; one approval covers all three when they are done within 120 days. |\n"
        "Mechanochemical vein ablation | 36473 | Not covered – investigational | Every vein. |\n"
    )
    doc = parse_text("northwind-grid", text)
    rows = [p for p in doc.passages if p.kind == "row"]
    assert [(p.codes, p.decision) for p in rows] == [
        (("55880",), "covered"),
        (("31660",), "covered"),
        (("36473",), "not-covered"),
    ], [(p.text, p.decision) for p in rows]
    assert "three sessions" in rows[1].text and rows[1].header == "Service | CPT | Coverage status | Notes"
    assert doc.document.policy_number == "NW-44"


def test_a_status_cell_states_a_row_s_decision_and_the_first_cell_of_words_its_subject():
    from assistant.positions import position_of

    row = "Endometrial ablation, hysteroscopic | 58563 | Covered – PA required | Not covered after a prior ablation."
    assert position_of(row, "row", ("Table 1",)) == ("covered", "Endometrial ablation, hysteroscopic")
    # A cell of prose that names a decision among other words is no status column.
    assert (
        position_of(
            "58999 | Vaginal laser | Excluded; this is not covered as cosmetic under the plan's terms "
            "and conditions of coverage",
            "row",
            ("Codes",),
        )[0]
        == "not-covered"
    )


def test_a_word_policy_with_its_title_in_a_table_reads_its_header_row_and_bold_headings(tmp_path):
    # Blue Cross Blue Shield of Arizona's layout: the labelled dates and number in a table's first row, the title
    # and a disclaimer in the rows under it, then bold lines ending in a colon as the section headings.
    import docx

    document = docx.Document()
    document.add_paragraph("Northwind Health")
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "Original Effective Date: 07/01/2021"
    table.cell(0, 1).text = "Number: O1187"
    table.cell(1, 0).text = "LASER ABLATION FOR EPILEPSY"
    table.cell(2, 0).text = "A coverage guideline states the position of Northwind Health on a service. " * 2
    for heading, body in (
        ("Description:", "Laser ablation destroys the seizure onset zone through a small hole in the skull."),
        ("Criteria:", "Laser ablation for epilepsy is medically necessary for members 4 years of age and older."),
    ):
        document.add_paragraph().add_run(heading).bold = True
        document.add_paragraph(body)
    document.save(tmp_path / "northwind-o1187.docx")
    parsed = parse_document(tmp_path / "northwind-o1187.docx")
    assert (parsed.document.policy_number, parsed.document.effective_date) == ("O1187", "07/01/2021")
    # ... quoted where they are printed, so an answer on the number cites them
    assert any(p.kind == "front-matter" and "Number: O1187" in p.text for p in parsed.passages)
    decided = next(p for p in parsed.passages if p.decision)
    assert decided.section[-1] == "Criteria" and decided.decision == "medically-necessary", decided


def _numbering(document, num_id: int, formats: tuple[str, ...]) -> None:
    """A numbering definition in a Word file (one level per format, each "%n."), as numId `num_id`."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="%{i + 1}."/></w:lvl>'
        for i, fmt in enumerate(formats)
    )
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'))


def test_word_s_automatic_numbers_are_read_from_its_numbering_definitions(tmp_path):
    # A criteria list numbered by Word (List Paragraph + numPr, decimal over lowerLetter): "1." and "a." are
    # not in the paragraphs' text, and a clerk asks for "criterion 3"; a note between items does not restart it.
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    _numbering(document, 77, ("decimal", "lowerLetter"))

    def item(text: str, level: int = 0) -> None:
        paragraph = document.add_paragraph(text, style="List Paragraph")
        numbered = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="77"/></w:numPr>')
        paragraph._p.get_or_add_pPr().append(numbered)

    document.add_heading("Criteria", level=1)
    document.add_paragraph("Laser ablation is medically necessary when ALL of the following are met:")
    item("Focal epilepsy;")
    item("Seizures monthly;")
    item("An evaluation that includes:")
    item("Video-EEG monitoring;", level=1)
    item("Brain MRI;", level=1)
    document.add_paragraph("Note: the evaluation may be older for children.")
    item("No bleeding disorder.")
    document.save(tmp_path / "numbered.docx")
    text = read_source(tmp_path / "numbered.docx", 10_000_000).text
    for mark in ("1. Focal", "3. An evaluation", "a. Video-EEG", "b. Brain MRI", "4. No bleeding"):
        assert mark in text, text


def test_word_headings_numbered_through_their_styles_carry_the_numbers_word_shows(tmp_path):
    # An outline list linked from the heading styles: "I.", "A." are never in the text, yet the policy refers to
    # "section II.B" by them.
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    _numbering(document, 78, ("upperRoman", "upperLetter"))
    for style, level in (("Heading 1", 0), ("Heading 2", 1)):
        numbered = parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="78"/></w:numPr>')
        document.styles[style].element.get_or_add_pPr().insert(0, numbered)
    headings = (("Description", 1), ("Policy", 1), ("Initial", 2), ("Repeat", 2), ("Coding", 1), ("IV. Appendix", 1))
    for heading, level in headings:
        document.add_heading(heading, level=level)
        document.add_paragraph(f"Text of the {heading.lower()} section, which says what the plan covers.")
    document.add_heading("Codes", level=3)  # a heading its style does not number
    document.save(tmp_path / "outline.docx")
    text = read_source(tmp_path / "outline.docx", 10_000_000).text
    for heading in ("## I. Description", "## II. Policy", "### A. Initial", "### B. Repeat", "## III. Coding"):
        assert heading in text, text
    assert "#### Codes" in text, text
    assert "## IV. Appendix" in text and "IV. IV." not in text, text  # a number typed as Word shows it, once


def test_a_title_labelled_short_in_the_header_is_the_heading_that_names_it_in_full():
    text = (
        "# Thermal Ablation of Thyroid Nodules (Radiofrequency and Microwave)\n\n"
        "| Policy Name | Effective Date | Medical Policy Number |\n|---|---|---|\n"
        "| Thermal Ablation of Thyroid Nodules | 01/01/2026 | MP-281 |\n\n## Overview\n\n"
        "Thermal ablation of a benign thyroid nodule is medically necessary when all of the following are met.\n"
    )
    doc = parse_text("mvp-x", text, format="markdown").document
    assert doc.title == "Thermal Ablation of Thyroid Nodules (Radiofrequency and Microwave)"
    assert doc.policy_number == "MP-281"


def test_an_implementation_date_is_the_effective_date_where_none_is_labelled_so():
    text = (
        "# Radiofrequency Ablation of Spinal Metastases\n\n| Guideline Number: | NW_CG_12 |\n|---|---|\n"
        "| Original Date: | March 2021 |\n| Implementation Date: | January 1, 2026 |\n\n## Indications\n\n"
        "Radiofrequency ablation of a painful spinal metastasis is medically necessary when all of the following "
        "are met.\n"
    )
    doc = parse_text("nw-cg-12", text, format="markdown").document
    assert (doc.policy_number, doc.effective_date) == ("NW_CG_12", "January 1, 2026")


def test_a_title_cut_at_the_end_of_a_running_header_line_is_the_heading_that_names_it_in_full(tmp_path):
    import docx

    document = docx.Document()
    document.core_properties.title = "Northwind Guideline 12 for Ablation of Spinal Metastases (NW_CG_12)"
    document.sections[0].header.paragraphs[0].text = "Northwind Guideline 12 for Ablation of Spinal"
    document.add_paragraph("Northwind Health")
    document.add_heading("Northwind Guideline 12 for Ablation of Spinal Metastases", level=1)
    document.add_paragraph("Ablation of a painful spinal metastasis is medically necessary when all of these hold.")
    document.save(tmp_path / "cg12.docx")
    title = parse_document(tmp_path / "cg12.docx").document.title
    assert title == "Northwind Guideline 12 for Ablation of Spinal Metastases", title


def test_a_title_that_is_a_heading_keeps_its_name_beside_a_longer_section_heading():
    text = (
        "# Cryoablation\n\nNorthwind Health Medical Policy 12\n\n## Policy\n\n"
        + "Cryoablation is considered medically necessary for small tumors in adults who are not surgical candidates. "
        * 3
        + "\n\n## Cryoablation for Renal Tumors\n\nRenal tumors are treated as set out above.\n"
    )
    assert parse_text("nw-12", text, format="markdown").document.title == "Cryoablation"


def test_a_pipe_row_without_its_closing_pipe_ends_where_the_next_row_begins():
    text = (
        "Grid\n\n| Service | CPT | Status |\n|---|---|---|\n| Rezum | 53854 | Covered\n"
        "| Urolift | 52441 | Not covered |\n"
    )
    rows = [p for p in parse_text("grid-x", text).passages if p.kind == "row"]
    assert [(p.text, p.decision) for p in rows] == [
        ("Rezum | 53854 | Covered", "covered"),
        ("Urolift | 52441 | Not covered", "not-covered"),
    ]


def test_a_list_s_numbers_at_the_page_edges_are_the_list_s(tmp_path):
    # Numbers set apart from their items ("1." in its own column): a list at the top or bottom of most pages put
    # "1." and "2." among the lines printed on every page, and they were dropped as a running header.
    import pymupdf

    doc = pymupdf.open()
    organs = ("kidney", "liver", "lung")
    for organ in organs:
        page = doc.new_page()
        page.insert_text((50, 60), f"Ablation of the {organ}", fontsize=16, fontname="hebo")
        page.insert_text((50, 90), f"{organ.title()} ablation is medically necessary when ALL of these are met:")
        for k, (y, word) in enumerate(zip((700, 720, 740), ("imaging", "biopsy", "board")), 1):
            page.insert_text((66, y), f"{k}.", fontsize=10)
            page.insert_text((84, y), f"The {organ} {word} criterion is met.", fontsize=10)
    doc.save(tmp_path / "criteria.pdf")
    text = read_source(tmp_path / "criteria.pdf", 10**8).text
    assert "1. The kidney imaging criterion" in text and "3. The lung board criterion" in text, text


def test_a_bold_caption_over_a_sidebar_of_links_goes_with_it(tmp_path):
    links = "".join(f"<li><a href='/r{k}'>Rule 5160-4-{k} | Other services</a></li>" for k in range(6))
    (tmp_path / "rule.html").write_text(
        f"<html><body><aside><p><strong>Chapter 5160-4 | Medical and Surgical Services</strong></p><ul>{links}</ul>"
        "</aside><main><h1>Rule 5160-4-21.7 | Surgical services: endometrial ablation.</h1>"
        "<p>Effective: October 1, 2025</p><p>(A) Endometrial ablation is covered when all of the following are met: "
        "(1) the individual is at least twenty-one years of age.</p></main></body></html>"
    )
    doc = parse_document(tmp_path / "rule.html")
    assert "Chapter 5160-4" not in doc.text
    # A title that opens with the kind of document and its number: the number is the document's.
    assert (doc.document.title, doc.document.policy_number) == (
        "Surgical services: endometrial ablation",
        "5160-4-21.7",
    )


def test_label_and_value_cells_with_a_label_not_known_keep_the_known_ones(tmp_path):
    text = (
        "**Medical Policy**\n\n| Subject: | HIFU Ablation of the Prostate |  |  |\n|---|---|---|---|\n"
        "| Medical Policy #: | 58.2 | Original Effective Date: | 08/28/2019 |\n"
        "| Status: | Revised | Last Review Date: | 11/19/2025 |\n\n## Description\n\nHIFU destroys prostate tissue.\n"
    )
    doc = parse_text("presbyterian-58-2", text, format="markdown")
    assert (doc.document.policy_number, doc.document.last_review_date) == ("58.2", "11/19/2025")


def test_the_version_in_force_is_read_from_the_history_s_own_effective_sentence():
    text = (
        "# Bronchial Thermoplasty (PG0487)\n\nPolicy Number: PG0487\n\n## Policy\n\nBronchial thermoplasty is "
        "medically necessary when the criteria are met.\n\n## Revision History Explanation\n\n"
        "ORIGINAL EFFECTIVE DATE: 05/15/2017\n\n09/24/2025: Annual review. Lowered the FEV1 threshold. Effective "
        "01/01/2026.\n\n02/04/2025: Replaced code 31899 with 31660, effective 03/01/2025.\n\n05/15/2017: New policy.\n"
    )
    doc = parse_text("paramount-pg0487", text, format="markdown")
    # The number beside the name is no part of it; a change's own date ("effective 03/01/2025") is not the
    # policy's.
    assert (doc.document.title, doc.document.effective_date) == ("Bronchial Thermoplasty", "01/01/2026")


def test_the_last_review_is_read_from_the_history_entry_that_says_when_the_committee_reviewed_it():
    # No review date in the header; the newest history entry names the committee's review (not its own date).
    text = (
        "# Laser Treatment of Port-Wine Stains\n\nPolicy Number: SUR706.029\n\nEffective Date: 04/15/2026\n\n"
        "## Policy\n\nPulsed dye laser treatment is medically necessary when the criteria are met.\n\n"
        "## Policy History/Revision\n\n| Date | Description of Change |\n|---|---|\n"
        "| 04/15/2026 | Document updated; Medical Policy Committee review date 01/14/2026. Criteria added. |\n"
        "| 10/15/2024 | Document updated with literature review. |\n"
    )
    doc = parse_text("bcbstx-sur706", text, format="markdown")
    assert doc.document.last_review_date == "01/14/2026"
    # a review still to come is no review held; an entry that also says "due to" still records its review
    doc = parse_text(
        "bcbstx-sur706", text.replace("10/15/2024 | Document", "10/15/2024 | To be reviewed on 04/15/2027.")
    )
    assert doc.document.last_review_date == "01/14/2026"
    doc = parse_text("bcbstx-sur706", text.replace("Document updated;", "Updated due to new CPT codes;"))
    assert doc.document.last_review_date == "01/14/2026"


def test_a_pair_of_review_dates_is_the_review_done_and_the_one_due():
    found = {f.name: f.value for f in find_fields("Five Year Review (FYR) Dates: 6/12/2025 and 10/01/2030")}
    assert found == {"last_review_date": "6/12/2025", "next_review_date": "10/01/2030"}
    # two dates not in that order are no review done and one due: read as a list of reviews, the latest is the last
    bulletin = parse_text("b", "# Bulletin 2024-15 - Surgical services: ablation\n\nText.\n", format="markdown")
    assert bulletin.document.policy_number == "2024-15"  # a number that opens like a year is still one
    later_first = {f.name: f.value for f in find_fields("Review Dates: 01/01/2024 and 01/01/2023")}
    assert later_first == {"last_review_date": "01/01/2024"}


def test_a_state_s_own_page_on_medicaid_payment_is_its_medicaid_program_s(tmp_path):
    (tmp_path / "rule.html").write_text(
        "<html><body><header><p>An official website of the State of Ohio.</p></header><main>"
        "<h1>Rule 5160-4-22 | Surgical services: multiple procedures.</h1><p>(A) Payment for a covered procedure is "
        "the lesser of the submitted charge or the medicaid maximum amount in the department's fee schedule.</p>"
        "</main></body></html>"
    )
    assert parse_document(tmp_path / "rule.html").document.payer == "Ohio Medicaid"
    (tmp_path / "rule.html").write_text(
        "<html><body><header><p>An official website of the State of Ohio.</p></header><main><h1>Rule 4123-6-01 | "
        "Workers' compensation: provider fees.</h1><p>(A) Payment is made from the state fund.</p></main></body></html>"
    )
    assert parse_document(tmp_path / "rule.html").document.payer is None  # a state's rule on something else


def test_a_numbered_list_goes_on_after_an_item_s_lettered_sub_items():
    # "4. ... ONE of the following:" over "a. ... b. ..." written as paragraphs, then "5.": one list, one lead-in;
    # read apart, items 5 and on were cited without "when ALL of the following criteria are met".
    text = (
        "# Thermoplasty\n\n## Medically Necessary\n\nIt is medically necessary when ALL of the following criteria "
        "are met:\n\n1. The member is 18 or older.\n\n2. Asthma is uncontrolled, shown by ONE of the following:\n\n"
        "a. two or more exacerbations; or b. one hospitalization.\n\n3. FEV1 is 50% of predicted or higher.\n\n"
        "4. The member has not smoked for at least 12 months.\n\n## Coding\n\nCPT 31660 describes it.\n"
    )
    lists = [p for p in parse_text("bt", text, format="markdown").passages if p.kind == "list"]
    assert (
        len(lists) == 1 and "ALL of the following" in lists[0].text and "4. The member has not smoked" in lists[0].text
    )


def test_a_pdf_line_wrapped_under_a_hanging_indent_goes_on_with_its_item():
    parsed = parse_document(FIXTURES / "payers" / "paramount-pg0487-bronchial-thermoplasty.pdf")
    criteria = [p for p in parsed.passages if p.kind == "list" and "ALL of the following criteria" in p.text]
    assert len(criteria) == 1
    assert "eosinophils are below 150 cells per microliter" in criteria[0].text
    assert "9. The procedure is performed by a pulmonologist" in criteria[0].text


def test_a_criteria_table_carries_the_sentence_of_the_paragraph_above_that_points_to_it():
    text = (
        "# Cryoneurolysis\n\n## Criteria\n\nCryoneurolysis is considered medically necessary for chronic pain after "
        "chest surgery when ALL of the criteria in the table below are met. Each row must be documented in the "
        "records sent with the request, with the dates of every treatment tried before.\n\n"
        "| # | Criterion | Documentation |\n|---|---|---|\n"
        "| 1 | The member is 18 years of age or older. | Birth date |\n"
        "| 2 | A diagnostic block gave at least 50% pain relief. | Procedure note |\n"
    )
    rows = [p for p in parse_text("cn", text, format="markdown").passages if p.kind == "row"]
    assert len(rows) == 2 and all(p.lead.endswith("ALL of the criteria in the table below are met.") for p in rows)
    assert all(p.decision == "medically-necessary" for p in rows)


@pytest.mark.parametrize(
    "line, expected",
    [
        # a label and its translation, as bilingual plans print them
        ("| Policy ID / Núm. de Política | 07.001.176 |", [("policy_number", "07.001.176")]),
        ("| Next Review / Próxima Revisión | Oct 20, 2027 |", [("next_review_date", "Oct 20, 2027")]),
        # a label and its value in one cell, with no mark between them
        (
            "| Policy number MP-1147 | Effective date 10/01/2026 |",
            [("policy_number", "MP-1147"), ("effective_date", "10/01/2026")],
        ),
    ],
)
def test_header_fields_in_two_languages_or_without_a_separator(line, expected):
    assert [(f.name, f.value) for f in find_fields(line)] == expected


def test_a_health_plan_is_named_without_its_last_word():
    assert payers_named("when was security health's policy last reviewed", typed=True) == ["Security Health Plan"]
    assert payers_named("sanford health pt", typed=True) == ["Sanford Health Plan"]
    assert not payers_named("Hackensack Meridian Health")  # in a document, "X Health" is as often a hospital


@pytest.mark.parametrize(
    "line, expected",
    [
        # labels and values in aligned columns, as text copied from a manual keeps them
        ("  Last policy review              March 2026", [("last_review_date", "March 2026")]),
        ("  Policy effective      For dates of service on or after May 1, 2026", [("effective_date", "May 1, 2026")]),
        # a committee's final adoption is its approval; a re-review is the next one
        ("Final adoption: March 20, 2026", [("last_review_date", "March 20, 2026")]),
        ("Rereview: September 2027", [("next_review_date", "September 2027")]),
        # across a wide gap the date must be the whole value: a justified sentence spaced out is no field
        ("Coding updated  January 1, 2025 to add 0581T", []),
        # a date of service the policy applies from is its effective date, whatever the label
        ("Next steps  for dates of service on or after May 1, 2026", [("effective_date", "May 1, 2026")]),
    ],
)
def test_dated_labels_in_columns_and_in_a_committee_s_words(line, expected):
    assert [(f.name, f.value) for f in find_fields(line)] == expected


def test_a_state_agency_names_its_medicaid_program():
    assert payers_named("Washington State Health Care Authority") == ["Washington Medicaid"]
    assert payers_named("Oregon Health Authority, Health Evidence Review Commission")[:1] == ["Oregon Medicaid"]


def test_a_manual_section_under_a_page_number_has_no_policy_number_of_one():
    text = (
        "surg nerv spas\n1\n\nSurgery: Nervous System - Neurolysis\n\nSection Information\n\n"
        "  Last policy review              March 2026\n  Next scheduled review           March 2028\n\n"
        "Program Coverage\n\nChemical neurolysis is a Medi-Cal benefit for recipients with spasticity when the "
        "criteria in this section are met.\n"
    )
    doc = parse_text("manual", text).document
    assert doc.policy_number != "1" and doc.kind == "coverage-policy"
    assert (doc.last_review_date, doc.next_review_date) == ("March 2026", "March 2028")


def test_a_review_criteria_set_is_titled_and_numbered_by_its_own_labels():
    # A plan's clinical review criteria under its banner: "Criteria Name:" is the title, "Criteria No.:" the number.
    text = (
        "KAISER FOUNDATION HEALTH PLAN OF THE NORTHWEST\n\nClinical Review Criteria\n\n"
        "Criteria Name: Upper Airway Stimulation for Sleep Apnea\nCriteria No.: NW-SLP-07\n"
        "Effective Date: 03/01/2026\n\n"
        "Criteria\n\nUpper airway stimulation is medically necessary when ALL of the following are met:\n\n"
        "1. The member is 22 years of age or older.\n2. The AHI is 15 to 65 events per hour.\n"
    )
    doc = parse_text("kpnw-uas", text).document
    assert (doc.title, doc.policy_number) == ("Upper Airway Stimulation for Sleep Apnea", "NW-SLP-07")


def test_a_header_line_of_several_labels_opening_on_the_criteria_id_is_metadata():
    # One line under the title holds four labels; the first names the number the plan files the criteria under.
    text = (
        "Office Treatment of Internal Hemorrhoids\n\n"
        "Criteria ID: MPC-0417 Effective: 03/01/2026 Last Reviewed: 01/15/2026 Next Review: 01/2027\n\n"
        "Coverage Criteria\n\nBanding is medically necessary when ALL of the following are met:\n\n"
        "1. The hemorrhoids are grade I to III.\n2. Six weeks of fiber and stool softeners have failed.\n"
    )
    doc = parse_text("hpn-mpc", text).document
    assert (doc.policy_number, doc.effective_date, doc.last_review_date, doc.next_review_date) == (
        "MPC-0417",
        "03/01/2026",
        "01/15/2026",
        "01/2027",
    )


def test_a_bold_label_wrapped_over_two_lines_beside_its_value(tmp_path):
    # "Agency" over "implementation date:" in the label column, the value level with the first line: one label.
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((70, 60), "Findings and Decision", fontsize=17, fontname="hebo")
    page.insert_text((71, 100), "Final adoption:", fontsize=10, fontname="hebo")
    page.insert_text((185, 100), "March 20, 2026", fontsize=10)
    page.insert_text((71, 114), "Agency", fontsize=10, fontname="hebo")
    page.insert_text((185, 114), "Agencies apply this decision to services on or after July 1, 2026", fontsize=10)
    page.insert_text((71, 126), "implementation date:", fontsize=10, fontname="hebo")
    page.insert_text((71, 160), "The committee reviewed the evidence report and public comment on this topic.")
    doc.save(tmp_path / "decision.pdf")
    source = read_source(tmp_path / "decision.pdf", 10**8)
    assert "**Agency implementation date:** Agencies apply" in source.text, source.text
    assert parse_document(tmp_path / "decision.pdf").document.effective_date == "July 1, 2026"


@pytest.mark.parametrize(
    "line, expected",
    [
        # a clause before "on or after" / "beginning": services covered from a date take effect then ...
        (
            "Agency implementation date: Agencies apply this decision to services on or after July 1, 2026",
            [("effective_date", "July 1, 2026")],
        ),
        # ... anything else beginning then is the label's date, with its aside in brackets
        (
            "Rereview: Eligible for an updated search and rereview beginning September 2027 (18 months after adoption)",
            [("next_review_date", "September 2027")],
        ),
    ],
)
def test_a_labelled_date_after_a_clause_that_says_from_when(line, expected):
    dated = [f for f in find_fields(line) if f.name != "other"]
    assert [(f.name, f.value) for f in dated] == expected
    assert dated[0].end == len(line)  # the whole line is the field: a header line, not prose


def test_a_manual_section_s_locator_and_its_title_under_the_manual_s_part(tmp_path):
    page = "Part 2 - Surgery: Nervous System - Nerve Blocks\nPage {n} of 2\nsurg nerv blk\n"
    (tmp_path / "manual.txt").write_text(
        "surg nerv blk\n1\n\nSurgery: Nervous System - Nerve\nBlocks\n\n"
        "This section describes policy, authorization requirements and billing instructions for peripheral nerve\n"
        "blocks given for pain. Blocks given for surgical anesthesia are described in the Anesthesia section of\n"
        "the appropriate manual.\n\n"
        "Section Information\n\n  Locator key          surg nerv blk\n  Last policy review   March 2026\n\n"
        "Program Coverage\n\nA peripheral nerve block is a benefit when it is given under imaging guidance and the "
        "record documents the diagnosis, the nerve treated and the response to earlier blocks of that nerve.\n"
        + page.format(n=1)
        + "\f\nBilling\n\nBill one unit for each nerve treated. Image guidance is included in the block.\n"
        + page.format(n=2),
        encoding="utf-8",
    )
    document = parse_document(tmp_path / "manual.txt").document
    assert document.title == "Surgery: Nervous System - Nerve Blocks"
    assert document.policy_number == "surg nerv blk"


def test_a_number_after_the_title_in_the_file_s_title_property():
    from assistant.metadata import _number_after_title
    from assistant.readers import Source

    source = Source("", "pdf", title_hint="Findings and Decision - Nerve ablation for groin pain (20260116B)")
    assert _number_after_title("Nerve ablation for groin pain", source) == "20260116B"
    assert _number_after_title("Something else", source) is None


def test_the_headline_the_file_s_title_names_over_a_subject_label(tmp_path):
    # The file's title "<type> <number>: <name>" and the page's headline agree; the header's "Subject" says what
    # the criteria take in.
    (tmp_path / "criteria.html").write_text(
        "<html><head><title>Medical Necessity Criteria MN-77: Occipital Nerve Ablation for Migraine</title></head>"
        "<body><h1>Occipital Nerve Ablation for Migraine</h1><table>"
        "<tr><td>Subject</td><td>Occipital nerve block and radiofrequency ablation</td></tr>"
        "<tr><td>Criteria Number</td><td>MN-77</td></tr><tr><td>Effective Date</td><td>03/01/2026</td></tr>"
        "</table><h2>Criteria</h2><p>Radiofrequency ablation of the greater occipital nerve is medically necessary "
        "when ALL of the following are met: the member is 18 or older; two diagnostic blocks each gave at least "
        "50% relief; headaches occur on at least 15 days a month despite preventive drugs.</p></body></html>",
        encoding="utf-8",
    )
    document = parse_document(tmp_path / "criteria.html").document
    assert (document.title, document.policy_number) == ("Occipital Nerve Ablation for Migraine", "MN-77")


def test_a_plan_named_in_words_counts_in_a_document_only_as_its_name():
    assert payers_named("Independent Health medical policy MP-312") == ["Independent Health Association"]
    assert payers_named("an independent health technology assessment found") == []
    assert payers_named("does independent health cover it", typed=True) == ["Independent Health Association"]


def test_a_table_caption_set_apart_is_its_rows_section_beside_the_table_before():
    text = (
        "Billing\n\nBill one unit for each nerve treated. The neurolytic agent is not separately reimbursable.\n\n"
        "Table 1: CPT Codes\n\n  Code     Description\n  64640    Destruction by neurolytic agent\n"
        "  64450    Injection, anesthetic agent\n\n"
        "Table 2: ICD-10-CM Codes\n\n  Code     Description\n  G80.0    Spastic quadriplegic cerebral palsy\n"
        "  G81.10   Spastic hemiplegia affecting unspecified side\n"
    )
    rows = {p.text.split(" | ")[0]: p.section_path for p in parse_text("manual", text).passages if p.kind == "row"}
    assert rows["64640"].endswith("Billing › Table 1: CPT Codes"), rows
    assert rows["G80.0"].endswith("Billing › Table 2: ICD-10-CM Codes"), rows


@pytest.mark.parametrize(
    "line",
    [
        "Note: Prior authorization requirements are suspended beginning January 1, 2026",
        "Background: Medicare began covering RFA for services on or after May 1, 2012 under an NCD",
        "Disclaimer: Members enrolled on or after January 1, 2025 keep their benefits",
    ],
)
def test_a_date_inside_a_clause_under_a_label_that_names_no_date_is_no_field(line):
    assert [f for f in find_fields(line) if f.name != "other"] == []


def test_headings_after_a_table_caption_keep_their_level():
    text = (
        "Coverage\n\nRFA is medically necessary when all of the criteria below are met and documented.\n\n"
        "Table 1: Studies Reviewed\n\n  Study     Patients\n  Smith     40\n  Jones     55\n\n"
        "Coding\n\nReport 64640 once for each nerve treated with radiofrequency ablation on the date of service.\n"
    )
    paths = {p.text[:6]: p.section_path for p in parse_text("policy", text).passages}
    assert paths["Report"] == "Coding", paths


def test_a_year_or_version_after_the_title_is_no_policy_number():
    from assistant.metadata import _number_after_title
    from assistant.readers import Source

    for hint in ("Findings - Genicular Nerve Block (2025)", "Findings - Genicular Nerve Block (V2)"):
        assert _number_after_title("Genicular Nerve Block", Source("", "pdf", title_hint=hint)) is None


def test_a_plan_printing_and_as_an_ampersand_is_the_same_plan():
    rhode_island = ["Blue Cross and Blue Shield of Rhode Island"]
    assert payers_named("Blue Cross & Blue Shield of Rhode Island") == rhode_island
    assert payers_named("does blue cross & blue shield of rhode island cover it", typed=True) == rhode_island
    assert payers_named("Baylor Scott and White Health Plan") == ["Baylor Scott & White Health Plan"]
    assert payers_named("aetna & cigna", typed=True) == ["Aetna", "Cigna"]
    assert payers_named("is it covered by blue cross & blue shield of RI", typed=True) == rhode_island


def test_a_masthead_a_typed_title_line_and_dates_printed_with_bars():
    text = (
        "BLUE CROSS & BLUE SHIELD OF RHODE ISLAND\n"
        "MEDICAL COVERAGE POLICY | Cryoneurolysis for Knee Pain\n\n"
        "EFFECTIVE DATE: 04|01|2026\nPOLICY LAST UPDATED: 02|10|2026\n\n"
        "OVERVIEW\nCryoneurolysis freezes a sensory nerve with a needle probe cooled by gas to stop\n"
        "its pain signals for several months. This policy addresses the nerves around the knee,\n"
        "for pain from osteoarthritis and for pain after a total knee replacement.\n\n"
        "POLICY STATEMENT\nCommercial products and the plan's product for Medicare members:\n"
        "Cryoneurolysis for knee pain is not medically necessary, as the evidence does not show better outcomes.\n"
    )
    doc = parse_text("ri-policy", text).document
    assert doc.payer == "Blue Cross and Blue Shield of Rhode Island"  # the masthead over a Medicare product's name
    assert doc.title == "Cryoneurolysis for Knee Pain"
    assert (iso(doc.effective_date), iso(doc.last_review_date)) == ("2026-04-01", "2026-02-10")


def test_a_code_table_with_no_column_names_keeps_its_first_row():
    text = (
        "Coding\n\nThe following codes are not covered when billed for knee pain:\n"
        "64624    Destruction by neurolytic agent, genicular nerve branches\n"
        "64640    Destruction by neurolytic agent; other peripheral nerve or branch\n"
        "0441T    Ablation therapy of one or more nerves of the lower extremity\n"
    )
    rows = [p for p in parse_text("codes", text).passages if p.kind == "row"]
    assert [p.codes[0] for p in rows] == ["64624", "64640", "0441T"], [p.text for p in rows]


def test_a_row_of_labels_reads_a_date_labelled_in_the_publisher_s_own_words():
    text = (
        "# Cryoablation of Early Breast Cancer\n\n"
        "| EFFECTIVE DATE | POLICY LAST UPDATED | NEXT ANNUAL REVIEW | PRIOR AUTHORIZATION |\n|---|---|---|---|\n"
        "| 06/01/2026 | 04/21/2026 | 04/2027 | Required for Medicare members. |\n\n"
        "## Policy\n\nCryoablation of a small low-risk breast cancer is medically necessary when criteria are met.\n"
    )
    doc = parse_text("ri-pdf", text, format="markdown").document
    assert (doc.effective_date, doc.last_review_date, doc.next_review_date) == ("06/01/2026", "04/21/2026", "04/2027")
    # A history's row leads with its key, not a field's label: its dates are no header block's.
    history = (
        "# Vertebral Augmentation\n\n| Updated On | Effective Dates | Status |\n|---|---|---|\n"
        "| 11/07/2024 | 11/14/2024 - N/A | Currently in Effect |\n"
    )
    assert parse_text("lcd", history, format="markdown").document.last_review_date is None


def test_a_plan_named_with_a_typeset_apostrophe_is_the_same_plan():
    assert payers_named("© 2026 Capital District Physicians’ Health Plan, Inc.") == [
        "Capital District Physicians' Health Plan"
    ]


def test_a_plan_named_with_its_state_s_code_after_of():
    rhode_island = "Blue Cross and Blue Shield of Rhode Island"
    assert payers_named("does neighborhood health plan of ri cover it", typed=True) == [
        "Neighborhood Health Plan of Rhode Island"
    ]
    assert payers_named("blue cross & blue shield of RI pt, bswhp pt", typed=True) == [
        rhode_island,
        "Baylor Scott & White Health Plan",
    ]
    # After a bare "Blue Cross" a code is as often a billing word: Medicare Advantage, an ID card, "ok".
    for text in ("does Blue Cross MA cover it", "Please have your Blue Cross ID card ready.", "blue cross ok to bill"):
        assert payers_named(text, typed=True) == ["Blue Cross Blue Shield"], text
    assert payers_named("blue cross la care both need auth?", typed=True) == [
        "Blue Cross Blue Shield",
        "L.A. Care Health Plan",
    ]
    assert payers_named("for bcbs vt, and is it per segment", typed=True) == ["Blue Cross and Blue Shield of Vermont"]


def test_an_accordion_s_section_heading_set_in_a_button_is_a_heading(tmp_path):
    (tmp_path / "policy.html").write_text(
        "<html><body><main><h1>Prostate Water Vapor Thermal Therapy</h1>"
        '<h2 class="accordion__heading"><button aria-expanded="true">Policy</button></h2>'
        "<p>Water vapor thermal therapy is medically necessary for symptomatic BPH when the criteria are met.</p>"
        '<h2 class="accordion__heading"><button aria-expanded="true">Policy Guidelines</button></h2>'
        "<ul><li>Commercial: prior authorization is required before the procedure.</li></ul>"
        "<button>Print this page</button></main></body></html>"
    )
    passages = parse_document(tmp_path / "policy.html").passages
    sections = {p.text.lstrip("- ")[:10]: p.section[-1] for p in passages}
    assert sections["Commercial"] == "Policy Guidelines" and sections["Water vapo"] == "Policy", sections
    assert not any("Print this page" in p.text for p in passages)  # a control outside a heading stays out


def test_a_table_written_without_spaces_quotes_its_rows_and_a_date_with_bars_keeps_them():
    text = "# Codes\n\n|Code|Units|\n|---|---|\n|64624|1|\n|64640|2|\n\nEFFECTIVE DATE: 04|01|2026\n"
    doc = parse_text("codes", text, format="markdown")
    for p in doc.passages:
        assert canonical(p.text) == canonical(text[p.start : p.end]), p.text
    assert any("04|01|2026" in p.text for p in doc.passages)


def test_a_line_of_business_alone_on_a_line_is_no_masthead_and_a_category_beside_the_type_no_title():
    text = (
        "Applies to:\nCommercial\nMedicare\nMedicaid\n\n# Pneumatic Compression Devices for Lymphedema\n\n"
        "Medical Policy | Durable Medical Equipment\n\n## Policy\n\nPneumatic compression devices are medically "
        "necessary for lymphedema when all of the criteria below are met and documented in the record.\n\n"
        "© 2026 Priority Health\n"
    )
    doc = parse_text("pcd", text, format="markdown").document
    assert doc.payer == "Priority Health" and doc.title == "Pneumatic Compression Devices for Lymphedema"


# A plan's Markdown export: an exporter's comment, a masthead with the licence line, a breadcrumb of links, the
# title as a bold line, and a header of labels over values whose review is the committee's approval.
HAWAII_MARKDOWN = (
    "<!-- Exported from the provider site; dermatology policies. -->\n\n# HMSA Medical Policy\n\n"
    "Hawaii Medical Service Association | An Independent Licensee of the Blue Cross and Blue Shield Association\n\n"
    "[Provider Resources](#) > [Medical Policies](#) > [Dermatology](#)\n\n"
    "**Cryosurgery of Seborrheic Keratoses**\n\n"
    "| Policy ID | Version | Committee Approval | Effective | Next Scheduled Review |\n|---|---|---|---|---|\n"
    "| DER-210 | 3 | 05/2026 | 08/01/2026 | 05/2027 |\n\n## Description\n\n"
    + "Seborrheic keratoses are benign growths of the skin that become common with age and may itch or bleed. " * 3
    + "\n\n## Policy\n\nCryosurgery of an inflamed seborrheic keratosis is medically necessary.\n"
)


def test_a_markdown_export_is_read_by_its_bold_title_and_its_committee_s_approval():
    parsed = parse_text("hmsa-der-210", HAWAII_MARKDOWN, format="markdown")
    doc = parsed.document
    assert doc.title == "Cryosurgery of Seborrheic Keratoses", doc.title
    assert (doc.payer, doc.policy_number, iso(doc.last_review_date)) == (
        "Hawaii Medical Service Association",
        "DER-210",
        "2026-05",
    )
    # The comment is nothing a reader sees; a link shows its words.
    assert not any("<!--" in p.text or "](#)" in p.text for p in parsed.passages)


def test_a_printed_form_s_dot_leaders_run_each_label_to_its_value():
    line = (
        "Policy Number ............ 11.01.52 Original Effective Date ...... 10-01-2019 "
        "Current Effective Date .... 08-01-2026"
    )
    found = {f.name: f.value for f in find_fields(line)}
    assert found == {
        "policy_number": "11.01.52",
        "original_effective_date": "10-01-2019",
        "effective_date": "08-01-2026",
    }


def test_a_history_entry_whose_account_opens_on_a_review_dates_the_last_review():
    text = (
        "# Destruction of Plantar Warts\n\nPolicy Number: 11.01.99\n\n## Policy\n\n"
        + "Destruction of plantar warts that hurt with walking is medically necessary after topical treatment. " * 3
        + "\n\n## Revisions\n\n| Date | Description |\n|---|---|\n| 10-01-2019 | New policy. |\n"
        "| 05-13-2026 | Reviewed by the Medical Policy Committee. Trial lengthened. Effective 08-01-2026. |\n"
        "| 06-01-2026 | Next review scheduled for 05-2027. |\n"
    )
    doc = parse_text("warts", text, format="markdown").document
    # the entry's own date, not the date it says the change took effect, nor a review to come
    assert iso(doc.last_review_date) == "2026-05-13", doc.last_review_date


def test_a_first_line_opening_on_a_label_heads_columns_when_no_line_under_it_is_a_field(tmp_path):
    html = (
        "<html><body><h1>Anal Lesion Ablation</h1><p>" + "This policy says when ablation is covered. " * 5 + "</p>"
        "<h2>Prior Authorization</h2><table><thead><tr><th>Product</th><th>Office ablation</th>"
        "<th>Ablation under anesthesia</th></tr></thead><tbody><tr><td>Commercial</td><td>Not required</td>"
        "<td>Required in an ASC</td></tr></tbody></table></body></html>"
    )
    (tmp_path / "grid.html").write_text(html)
    rows = [p for p in parse_document(tmp_path / "grid.html").passages if p.kind == "row"]
    assert [(p.header, p.text) for p in rows] == [
        ("Product | Office ablation | Ablation under anesthesia", "Commercial | Not required | Required in an ASC")
    ]


def test_the_line_that_draws_a_markdown_table_is_no_part_of_a_quote():
    assert "---" not in parse_text("hmsa-der-210", HAWAII_MARKDOWN, format="markdown").passages[0].text
    header = next(
        p for p in parse_text("hmsa-der-210", HAWAII_MARKDOWN, format="markdown").passages if "DER-210" in p.text
    )
    assert "---" not in header.text and "Committee Approval" in header.text, header.text


def test_a_value_that_says_when_it_takes_effect_dates_the_policy_whatever_its_label():
    found = {
        f.name: f.value for f in find_fields("Prioritized List implementation | Line 128, effective October 1, 2026")
    }
    assert found.get("effective_date") == "October 1, 2026", found
    # a label of another date keeps its own name
    found = {f.name: f.value for f in find_fields("Last review | March 12, 2026")}
    assert "effective_date" not in found


def test_a_review_still_to_come_and_a_change_naming_a_review_date_no_last_review():
    assert [f.name for f in find_fields("Next Committee Review: 04/2027")] == ["next_review_date"]
    text = (
        "# Bronchial Thermoplasty\n\nPolicy Number: MP-77\n\n## Policy\n\n"
        + "Bronchial thermoplasty is medically necessary for severe asthma when all criteria are met. " * 3
        + "\n\n## Policy History\n\n| Date | Effective | Action |\n|---|---|---|\n"
        "| 02/10/2026 | 07/01/2026 | Annual review; criteria unchanged. |\n"
        "| 03/10/2026 | 05/01/2026 | Added pre-service review requirement for 31660. |\n"
    )
    doc = parse_text("mp-77", text, format="markdown").document
    # the entry's own date, not its Effective column; a change that adds a review requirement is no review
    assert iso(doc.last_review_date) == "2026-02-10", doc.last_review_date


def test_a_ruled_grid_of_labels_beside_values_is_the_header_though_one_label_is_unknown():
    # Label | value | label | value, no colons; "Applicable Lines of Business" is no label we read, and leaves
    # "Last Review Date" beside it read; a bulletin's number and an implementation date are fields too.
    text = (
        "## Northwind Plans\n\n# Gastric Electrical Stimulation\n\n"
        "| Policy Bulletin # | MN.044.B | Original Implementation Date | 3/1/2019 |\n|---|---|---|---|\n"
        "| Policy Type | MN (Medical Necessity) | Version Date | 1/1/2022 |\n"
        "| Applicable Lines of Business | [X] Medicaid [X] CHIP [X] Medicare | Last Review Date | 10/26/2021 |\n"
        "| Prior Authorization | Required for 43647 (see the Procedure Codes table) |  |  |\n\n"
        "### COVERAGE POSITION\n\nGastric electrical stimulation is medically necessary when all of the "
        "following are met.\n"
    )
    doc = parse_text("nw-mn-044", text, format="markdown").document
    assert doc.policy_number == "MN.044.B"
    assert (iso(doc.effective_date), iso(doc.last_review_date)) == ("2022-01-01", "2021-10-26")


def test_a_labelled_title_in_a_block_of_the_document_s_own_fields_names_it_below_a_page_s_introduction(tmp_path):
    (tmp_path / "policies.html").write_text(
        "<html><head><title>Medical Policies | Providers | Northwind Health</title></head><body><main>"
        "<h1>Medical Policies</h1><p>Our medical policies explain how Northwind Health decides whether a service "
        "is medically necessary. The Medical Policy and Benefits Committee reviews each policy at least once a "
        "year and updates it when new evidence or new state rules appear, and the policies below apply.</p>"
        "<h3>Capsule Endoscopy</h3><p>Policy Name: Capsule Endoscopy</p><p>Policy Number: CMO 534</p>"
        "<p>Effective Date: 3/01/2020</p><h4>Position Statement</h4><p>Capsule endoscopy is considered medically "
        "necessary for obscure gastrointestinal bleeding after upper and lower endoscopy.</p></main></body></html>",
        encoding="utf-8",
    )
    assert parse_document(tmp_path / "policies.html").document.title == "Capsule Endoscopy"


def test_a_plan_s_short_names_are_its_own_and_not_a_namesake_s():
    # "HPP" is hypophosphatasia as often: read as the plan only where its documents are held (test_answer)
    assert payers_named("hpp medicaid member", typed=True) == ["Medicaid"]
    assert payers_named("Strensiq is indicated for hypophosphatasia (HPP).") == []
    assert payers_named("ok and if she was on kidzpartners instead?", typed=True) == ["Health Partners Plans"]
    assert payers_named("HealthPartners of Minnesota") == ["HealthPartners"]
    assert payers_named("hne pt on eliquis", typed=True) == ["Health New England"]
    assert payers_named("affinity medicaid pt", typed=True)[0] == "Affinity Health Plan"
    assert payers_named("the binding affinity of the drug") == []
    assert payers_named("jhhc pt, 19318 needs auth?", typed=True) == ["Johns Hopkins HealthCare"]
    assert payers_named("fl blue member had 2 rounds of rfa", typed=True) == ["Florida Blue"]
    assert payers_named("bcbs nj pt", typed=True) == ["Horizon Blue Cross Blue Shield of New Jersey"]
    assert payers_named("rite care pt", typed=True) == ["Rhode Island Medicaid"]  # RI's Medicaid managed care
    # "Neighborhood" is a word: the plan only where its documents are held, said as a plan is (test_answer)
    assert payers_named("a neighborhood clinic referred her", typed=True) == []


def test_a_saved_page_s_site_footer_is_not_the_document_s_text_but_still_names_its_publisher(tmp_path):
    (tmp_path / "policy.html").write_text(
        "<html><head><title>Medical Policies | Providers</title></head><body><main><h1>Capsule Endoscopy</h1>"
        "<p>Policy Number: CMO 534</p><p>Effective Date: 3/01/2020</p><h2>Position Statement</h2><p>Capsule "
        "endoscopy is considered medically necessary for obscure gastrointestinal bleeding after upper and lower "
        "endoscopy.</p></main><footer class='site-footer'><p>© 2020 Quartz Health Solutions, Inc. All rights "
        "reserved.</p><p>Last updated: 04/14/2020</p></footer></body></html>",
        encoding="utf-8",
    )
    parsed = parse_document(tmp_path / "policy.html")
    assert parsed.document.payer == "Quartz Health Solutions"
    assert parsed.document.last_review_date is None  # the site's page date, not the policy's review
    assert not any("Last updated" in p.text or "©" in p.text for p in parsed.passages)


def test_shaded_label_cells_the_table_finder_leaves_empty_are_read_beside_their_values(tmp_path):
    # A two-column header table whose label cells are shaded: pymupdf's finder gives those cells no box, and
    # "Policy Number | MS-1127" lost its label (the next review date read from no label at all).
    import pymupdf

    rows = "".join(
        f"<tr><td class='k'>{label}</td><td>{value}</td></tr>"
        for label, value in [
            ("Subject", "Reduction Mammaplasty"),
            ("Policy Number", "MS-1127"),
            ("Current Effective Date", "07.01.2023"),
            ("Next Review Date", "05.2024"),
        ]
    )
    html = f"<h1>Reduction Mammaplasty</h1><table>{rows}</table><p>Reduction mammaplasty is covered when ...</p>"
    css = (
        "td {border: 1px solid #777; padding: 3pt;} td.k {font-weight: bold; background-color: #f2f2f2;} "
        "table {border-collapse: collapse; width: 100%;}"
    )
    story = pymupdf.Story(html=html, user_css=css)
    writer = pymupdf.DocumentWriter(str(tmp_path / "policy.pdf"))
    more = True
    while more:
        device = writer.begin_page(pymupdf.paper_rect("letter"))
        more, _ = story.place(pymupdf.Rect(54, 54, 558, 738))
        story.draw(device)
        writer.end_page()
    writer.close()
    text = read_source(tmp_path / "policy.pdf", 10**8).text
    assert "| Policy Number | MS-1127 |" in text, text
    doc = parse_document(tmp_path / "policy.pdf").document
    assert (doc.policy_number, doc.effective_date, doc.next_review_date) == ("MS-1127", "07.01.2023", "05.2024")


def test_a_word_form_s_content_controls_are_read(tmp_path):
    # A policy template's header fields are content controls (w:sdt) in the table's cells; python-docx's text
    # leaves them out, and the policy had no number.
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("Cochlear Implants", level=1)
    table = document.add_table(rows=2, cols=2)
    for row, (label, value) in zip(table.rows, [("Policy Number", "CMP-061"), ("Next Review Date", "04/2026")]):
        row.cells[0].text = label
        control = (
            f"<w:sdt {nsdecls('w')}><w:sdtPr><w:alias w:val='{label}'/></w:sdtPr>"
            f"<w:sdtContent><w:r><w:t>{value}</w:t></w:r></w:sdtContent></w:sdt>"
        )
        row.cells[1].paragraphs[0]._p.append(parse_xml(control))
    block = (
        f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Cochlear implantation is medically necessary "
        "when all of the criteria below are met.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    document.element.body.insert(len(document.element.body) - 1, parse_xml(block))
    # a control still showing its placeholder holds no value; a non-breaking hyphen is a hyphen
    empty = (
        f"<w:p {nsdecls('w')}><w:r><w:t xml:space='preserve'>Owner: </w:t></w:r><w:sdt><w:sdtPr><w:showingPlcHdr/>"
        "</w:sdtPr><w:sdtContent><w:r><w:t>Click or tap here to enter text.</w:t></w:r></w:sdtContent></w:sdt>"
        "<w:r><w:t>Replaces CMP</w:t><w:noBreakHyphen/><w:t>060.</w:t></w:r></w:p>"
    )
    document.element.body.insert(len(document.element.body) - 1, parse_xml(empty))
    document.save(tmp_path / "policy.docx")
    text = read_source(tmp_path / "policy.docx", 10**8).text
    assert "| Policy Number | CMP-061 |" in text and "Cochlear implantation is medically necessary" in text, text
    assert "Click or tap" not in text and "Replaces CMP-060." in text, text
    assert parse_document(tmp_path / "policy.docx").document.policy_number == "CMP-061"


def test_a_word_header_table_in_the_page_header_and_headings_of_any_style_name(tmp_path):
    # The header block is a table in the page header (printed on every page), the headings are custom-named
    # styles Word lists by their outline level, and the file's title property is a draft's name.
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.core_properties.title = "MP073 radioembolization draft v4"
    head = d.styles.add_style("Plan Section Head", WD_STYLE_TYPE.PARAGRAPH)
    head.font.bold = True
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "0")
    head.element.get_or_add_pPr().append(level)
    grid = d.sections[0].header.add_table(rows=2, cols=4, width=docx.shared.Inches(6))
    for (r, c), text in {
        (0, 0): "Policy Number",
        (0, 1): "PLN-MP-073",
        (0, 2): "Effective Date",
        (0, 3): "February 1, 2026",
        (1, 0): "Last Review",
        (1, 1): "Dec 9, 2025",
        (1, 2): "Next Review",
        (1, 3): "Dec 2026",
    }.items():
        grid.cell(r, c).text = text
    d.add_paragraph("Radioembolization for Liver Tumors", style="Plan Section Head")
    d.add_paragraph("Coverage Guidelines", style="Plan Section Head")
    d.add_paragraph("The plan covers radioembolization for liver tumors when the criteria below are met. " * 2)
    d.add_paragraph("Background", style="Plan Section Head")
    d.add_paragraph("Most people with liver cancer cannot have surgery; radioembolization treats the tumors. " * 2)
    d.save(tmp_path / "policy.docx")
    parsed = parse_document(tmp_path / "policy.docx")
    doc = parsed.document
    assert doc.title == "Radioembolization for Liver Tumors" and doc.policy_number == "PLN-MP-073"
    assert (iso(doc.effective_date), iso(doc.last_review_date), iso(doc.next_review_date)) == (
        "2026-02-01",
        "2025-12-09",
        "2026-12",
    )
    assert any(p.section[-1:] == ("Background",) for p in parsed.passages)


def test_a_table_laid_out_in_divs_with_aria_roles_is_a_table_and_a_skip_link_is_furniture(tmp_path):
    cells = "".join(
        f'<div role="row"><div role="cell">{code}</div><div role="cell">{text}</div></div>'
        for code, text in [("64633", "Destruction of facet joint nerve, cervical"), ("64635", "Lumbar or sacral")]
    )
    page = (
        '<html><body><a class="skip-to-content" href="#main">Skip to main content</a><main id="main">'
        "<h1>Facet Joint Denervation</h1><p>The plan covers facet joint denervation when criteria are met.</p>"
        '<h2>Codes</h2><div role="table"><div role="row"><div role="columnheader">Code</div>'
        f'<div role="columnheader">Description</div></div>{cells}</div></main></body></html>'
    )
    (tmp_path / "page.html").write_text(page)
    source = read_source(tmp_path / "page.html", 10**6)
    assert "| 64633 | Destruction of facet joint nerve, cervical |" in source.text, source.text
    assert "Skip to main content" not in source.text


def test_a_heading_the_running_header_prints_is_the_title_not_a_file_name_property(tmp_path):
    import docx

    d = docx.Document()
    d.core_properties.title = "OCA3729_sclero_nonthermal_v9_FINAL"
    d.sections[0].header.paragraphs[0].text = "Sclerotherapy of Leg Veins  -  Policy Number: OCA 3.729"
    d.add_heading("Example Health Plan", level=1)
    d.add_heading("Medical Policy Sclerotherapy of Leg Veins", level=3)
    d.add_paragraph("Policy Number: OCA 3.729")
    d.add_heading("Policy Summary", level=2)
    d.add_paragraph("The plan covers sclerotherapy of tributary varicose veins when compression has failed. " * 2)
    d.save(tmp_path / "policy.docx")
    doc = parse_document(tmp_path / "policy.docx").document
    assert (doc.title, doc.policy_number) == ("Sclerotherapy of Leg Veins", "OCA 3.729")


def test_a_sentence_given_an_outline_level_and_a_logo_table_in_the_page_header_stay_what_they_are(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    item = d.styles.add_style("Plan Criterion", WD_STYLE_TYPE.PARAGRAPH)
    level = OxmlElement("w:outlineLvl")
    level.set(qn("w:val"), "2")
    item.element.get_or_add_pPr().append(level)
    logo = d.sections[0].header.add_table(rows=1, cols=2, width=docx.shared.Inches(6))
    logo.cell(0, 0).text = "Example Health Plan"
    logo.cell(0, 1).text = "100 Main Street, Boston, MA 02110"
    d.add_heading("Breast Cryoablation", level=1)
    d.add_heading("Coverage", level=2)
    d.add_paragraph("The plan covers cryoablation when ALL of the following criteria are met:")
    d.add_paragraph("The tumor is 1.5 cm or smaller on ultrasound.", style="Plan Criterion")
    d.save(tmp_path / "policy.docx")
    parsed = parse_document(tmp_path / "policy.docx")
    assert any("1.5 cm or smaller" in p.text for p in parsed.passages)
    assert not any("02110" in p.codes for p in parsed.passages)


def test_a_table_restating_its_role_and_a_skip_link_s_target_are_kept(tmp_path):
    page = (
        '<html><body><a href="#skip-to-content">Skip to main content</a><main id="skip-to-content">'
        "<h1>Breast Cryoablation</h1><p>The plan covers breast cryoablation when the criteria are met.</p>"
        '<table role="table"><tr role="row"><th>Code</th><th>Status</th></tr>'
        '<tr role="row"><td>0581T</td><td>Not medically necessary</td></tr></table></main></body></html>'
    )
    (tmp_path / "page.html").write_text(page)
    text = read_source(tmp_path / "page.html", 10**6).text
    assert "| 0581T | Not medically necessary |" in text and "covers breast cryoablation" in text, text
