"""The eval scorer on hand-made answers: what passes, what fails and why; the metrics; the gate; the dataset."""

import json

import pytest

from assistant.evaluate import Case, DatasetError, Source, gate, load_cases, metrics, score, unsupported_facts
from assistant.types import MODEL_FALLBACK

MODIFIER = Case(
    "m1",
    "Which modifier for a discontinued 0686T after anesthesia?",
    (r"\b74\b",),
    (Source("cpt-0686T", "Coding Specifications"),),
    True,
)
NO_ANSWER = Case("n1", "What is the Medicare payment amount for 0581T?", (), (), False)
ROW_74 = {
    "n": 1,
    "document": "cpt-0686T-focused-ultrasound-ablation-liver",
    "section": "Clinical & Coding Specifications › Coding Specifications",
    "quote": "74 | Discontinued outpatient hospital/ASC procedure after anesthesia | Use when discontinued "
    "after anesthesia but before intended ablation.",
    "start": 4048,
    "end": 4189,
}


def answer(text, citations=(ROW_74,), abstained=False, question=MODIFIER.question):
    return {
        "question": question,
        "answer": text,
        "abstained": abstained,
        "citations": list(citations),
        "timings_ms": {"total": 12.0},
    }


def test_right_fact_and_source_passes():
    r = score(MODIFIER, answer("Use modifier 74 when discontinued after anesthesia [1]."))
    assert r.passed and r.source_found and not r.missed_facts and r.citations_supporting == 1


def test_missing_fact_fails_and_says_which():
    r = score(MODIFIER, answer("Use modifier 73 before anesthesia [1]."))
    assert not r.passed and r.missed_facts == [r"\b74\b"]
    assert r.unsupported == ["73"]  # 73 is not in the cited row


def test_right_fact_from_the_wrong_document_fails():
    wrong = dict(
        ROW_74, document="cigna-0540-ablative-treatments-malignant-breast-tumors", section="Coding Information"
    )
    r = score(MODIFIER, answer("Modifier 74 [1].", citations=[wrong]))
    assert not r.passed and not r.source_found


def test_abstaining_on_an_answerable_question_fails():
    r = score(MODIFIER, answer("The documents do not say.", citations=[], abstained=True))
    assert not r.passed


def test_unanswerable_passes_only_by_abstaining_without_invented_facts():
    assert score(
        NO_ANSWER, answer("The documents do not say: no payment amount appears.", [], True, NO_ANSWER.question)
    ).passed
    invented = score(NO_ANSWER, answer("Medicare pays $1,234 [1].", question=NO_ANSWER.question))
    assert not invented.passed and "1234" in invented.unsupported


def test_abstention_may_echo_the_asked_code_but_not_a_number():
    echo = answer("The documents do not say: no payment amount for 0581T appears.", [], True, NO_ANSWER.question)
    assert score(NO_ANSWER, echo).unsupported == []
    number = answer("The documents do not say whether it is 1,234.", [], True, "Is it 1,234 for 0581T?")
    assert score(NO_ANSWER, number).unsupported == ["1234"]


def test_an_abstention_may_echo_a_code_typed_in_lower_case_or_in_an_earlier_turn():
    said = "The documents do not say: no document mentions 0868T. The nearest passages are listed below."
    typed = {"question": "0868t liver sound wave zap - full name?", "answer": said, "abstained": True, "citations": []}
    assert unsupported_facts(typed) == []
    later = {**typed, "question": "if they grab tissue during it is there a path code?"}
    assert unsupported_facts(later) == ["0868T"]
    assert unsupported_facts(later, told="0868t liver sound wave zap - full name?") == []


def test_a_part_that_abstains_may_echo_its_code_and_a_check_its_size_in_mm():
    # "Use modifier 74 ... [1]\n207L00000X: The documents do not say: ..." names what the second part asked.
    question = "which modifier for 0686T after anesthesia, and what is 207L00000X?"
    parts = answer(
        "Use modifier 74 [1].\n207L00000X: The documents do not say: no passage speaks of it.", question=question
    )
    assert score(MODIFIER, parts).unsupported == []
    invented = answer("Use modifier 74 [1].\nThe documents do not say: 207K00000X is not listed.", question=question)
    assert score(MODIFIER, invented).unsupported == ["207K00000X"]
    sized = answer(
        "Use modifier 74 [1].\nSize 14 mm meets “Use when discontinued after anesthesia” [1].", question="a 14 mm one?"
    )
    assert score(MODIFIER, sized).unsupported == []


def test_forbidden_text_fails_an_otherwise_right_answer():
    case = Case(
        "i1", MODIFIER.question, MODIFIER.expected_facts, MODIFIER.expected_sources, True, forbidden_facts=("^covered",)
    )
    r = score(case, answer("covered\nModifier 74 [1]."))
    assert not r.passed and r.forbidden_found == ["^covered"]


def test_citation_that_backs_no_sentence_is_not_counted_as_supporting():
    other = dict(ROW_74, n=2, quote="22 | Increased procedural services | Use when work substantially exceeds.")
    r = score(
        MODIFIER,
        answer("Use modifier 74 when discontinued after anesthesia [1]. See also [2].", citations=[ROW_74, other]),
    )
    assert r.citations_supporting == 1


def test_metrics_and_retrieval_rank():
    right = score(
        MODIFIER, answer("Modifier 74 [1]."), retrieved=[("cigna-0540", "x"), (ROW_74["document"], ROW_74["section"])]
    )
    wrong = score(MODIFIER, answer("Modifier 73 [1]."), retrieved=[("cigna-0540", "x")])
    abstain = score(NO_ANSWER, answer("The documents do not say.", [], True, NO_ANSWER.question), retrieved=[])
    m = metrics([right, wrong, abstain])
    assert m["answer_accuracy"] == 0.5 and m["abstention_recall"] == 1.0 and m["abstention_precision"] == 1.0
    assert right.retrieval_rank == 2 and wrong.retrieval_rank == 0
    assert m["retrieval_hit_at_k"] == 0.5 and m["retrieval_mrr"] == 0.25
    assert m["unsupported_facts"] == 1  # the 73


def test_an_answer_composed_without_the_model_is_scored_and_counted_apart_from_errors():
    fallback = {**answer("Use modifier 74 when discontinued after anesthesia [1]."), "error": MODEL_FALLBACK}
    failed = {**answer("", citations=()), "error": "the index is missing"}
    results = [score(MODIFIER, fallback), score(MODIFIER, failed)]
    m = metrics(results)
    assert results[0].passed and not results[1].passed
    assert m["errors"] == 1 and m["model_fallbacks"] == 1 and m["model_fallback_rate"] == 0.5


def test_gate_names_each_missed_threshold():
    failures = gate(
        {"answer_accuracy": 0.8, "unsupported_facts": 2},
        {"min": {"answer_accuracy": 0.9, "abstention_recall": 1.0}, "max": {"unsupported_facts": 0}},
    )
    assert len(failures) == 3 and any("abstention_recall = None" in f for f in failures)
    assert gate({"answer_accuracy": 0.95}, {"min": {"answer_accuracy": 0.9}}) == []


@pytest.mark.parametrize(
    "row, message",
    [
        ('{"id": "a", "question": "q"', "not JSON"),
        ('{"id": "a", "question": "q"}', "answerable"),
        (
            '{"id": "a", "question": "q", "answerable": true, "expected_facts": ["("], "expected_sources": []}',
            "bad regex",
        ),
        ('{"id": "a", "question": "q", "answerable": true, "expected_facts": ["x"], "expected_sources": []}', "needs"),
    ],
)
def test_bad_dataset_lines_are_named(tmp_path, row, message):
    path = tmp_path / "qa.jsonl"
    path.write_text(row + "\n")
    with pytest.raises(DatasetError, match=message) as info:
        load_cases(path)
    assert "qa.jsonl:1" in str(info.value)


def test_duplicate_ids_are_refused(tmp_path):
    line = json.dumps({"id": "a", "question": "q", "answerable": False})
    (tmp_path / "qa.jsonl").write_text(line + "\n" + line + "\n")
    with pytest.raises(DatasetError, match="duplicate id"):
        load_cases(tmp_path / "qa.jsonl")


def test_report_files_escape_answers_and_point_latest_at_the_newest(tmp_path, monkeypatch):
    from assistant import suite
    from assistant.suite import SuiteReport, latest_report, write_report

    monkeypatch.setattr(suite, "REPORTS_DIR", tmp_path / "reports")
    result = score(MODIFIER, answer("<script>alert('x')</script> Modifier 74 [1]."))
    report = SuiteReport(
        "2026-11-24T00:00:00+00:00",
        "qa.jsonl",
        {"name": "assistant", "mode": "extractive", "backend": "none", "top_k": 6},
        metrics([result]),
        [result],
    )
    out = write_report(report)
    html = (out / "report.html").read_text()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "| answer accuracy (facts + source) | 100.0% |" in (out / "report.md").read_text()
    assert latest_report(tmp_path / "reports")["results"][0]["id"] == "m1"


@pytest.mark.parametrize(
    "thresholds, failures, shown",
    [
        ({}, [], "Gate: not applied"),
        ({"min": {"answer_accuracy": 0.9}}, [], "Gate: PASSED"),
        ({"min": {"answer_accuracy": 0.9}}, ["answer_accuracy = 0.5 < 0.9"], "Gate: FAILED"),
    ],
)
def test_report_never_claims_a_gate_that_was_not_applied(thresholds, failures, shown):
    from assistant.report import to_html, to_markdown
    from assistant.suite import SuiteReport

    result = score(MODIFIER, answer("Modifier 74 [1]."))
    report = SuiteReport(
        "2026-11-24T00:00:00+00:00",
        "qa.jsonl",
        {"name": "assistant", "mode": "extractive", "backend": "none", "top_k": 6},
        metrics([result]),
        [result],
        thresholds,
        failures,
    )
    assert shown in to_markdown(report)
    assert shown.replace(":", "") in to_html(report)
    assert report.to_dict()["gate"] == shown.split(": ")[1]


def test_a_figure_told_earlier_in_the_conversation_is_no_invented_fact_on_a_check_line():
    answer = {
        "question": "ok and whats the max per yr?",
        "answer": "Yes.\n“relief was ~70%” meets “the previous ablation produced at least 50% pain relief” [1].",
        "citations": [
            {"document": "d", "section": "s", "quote": "the previous ablation produced at least 50% pain relief"}
        ],
    }
    assert unsupported_facts(answer) != []  # 70 is in no citation and not in this turn's question
    assert unsupported_facts(answer, told="pt got occipital rfa in march, relief was ~70%") == []


def test_an_abstention_echoing_the_question_s_figures_and_a_row_s_column_labels_invent_nothing():
    abstains = {
        "question": "whats the citation for the pilot one (journal + yr)",
        "answer": "The documents do not say: the closest passages do not speak of citation pilot one journal.",
        "citations": [],
    }
    assert unsupported_facts(abstains) == []
    row = {
        "question": "policy number of caresource's PTNS policy?",
        "answer": "From the documents:\nPTNS — MEDICAL POLICY STATEMENT Ohio Medicaid: OH MCD-MM-1623 [1]",
        "citations": [
            {
                "document": "d",
                "section": "PTNS",
                "quote": "OH MCD-MM-1623",
                "header": "MEDICAL POLICY STATEMENT Ohio Medicaid",
            }
        ],
    }
    assert unsupported_facts(row) == []
    assert unsupported_facts({**row, "citations": [{**row["citations"][0], "header": ""}]}) != []


def test_an_abstention_may_name_a_payer_as_the_assistant_read_the_question():
    said = "Dean Health Plan: The documents do not say: none of the documents gives prior authorization for 93653."
    read = {"question": "dean pt needs 93653, PA?", "answer": said, "abstained": True, "citations": []}
    assert unsupported_facts(read) == ["dean health plan"]  # "dean" alone names no payer
    assert unsupported_facts({**read, "notes": ["Reading dean as Dean Health Plan"]}) == []
