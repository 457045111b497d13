from assistant.verify import Evidence, verify_answer

EVIDENCE = {
    1: Evidence(
        1,
        "74 | Discontinued outpatient hospital/ASC procedure after anesthesia | Use when discontinued "
        "after anesthesia but before intended ablation.",
        "CPT 0686T › Coding Specifications › Modifier",
    ),
    2: Evidence(
        2,
        "0581T | Ablation, malignant breast tumor(s), percutaneous, cryotherapy",
        "Ablative Treatments › Coding Information › Considered Not Medically Necessary",
    ),
    3: Evidence(3, "The pooled local recurrence was 1.1% (95% CI 0.42 to 3.03%).", "Literature Review"),
}


def test_supported_claim_is_kept():
    kept, dropped = verify_answer("Use modifier 74 when the procedure is discontinued after anesthesia [1].", EVIDENCE)
    assert len(kept) == 1 and not dropped and kept[0].cited == [1]


def test_fabricated_number_is_dropped():
    kept, dropped = verify_answer("The pooled local recurrence was 2.4% [3].", EVIDENCE)
    assert not kept and "2.4" in dropped[0].reason


def test_supported_number_in_another_form_is_kept():
    kept, _ = verify_answer("The pooled local recurrence was 1.10% [3].", EVIDENCE)
    assert len(kept) == 1


def test_sentence_without_citation_is_dropped():
    kept, dropped = verify_answer("Modifier 74 applies after anesthesia.", EVIDENCE)
    assert not kept and dropped[0].reason == "cites no passage"


def test_code_from_an_uncited_passage_is_dropped():
    kept, dropped = verify_answer("Modifier 74 is used for 0581T after anesthesia [1].", EVIDENCE)
    assert not kept and "0581T" in dropped[0].reason


def test_marker_after_the_full_stop_counts():
    kept, _ = verify_answer("Use modifier 74 when discontinued after anesthesia. [1]", EVIDENCE)
    assert kept and kept[0].cited == [1]


def test_coverage_flip_is_dropped():
    kept, dropped = verify_answer("Cryotherapy ablation 0581T is medically necessary [2].", EVIDENCE)
    assert not kept and "deny" in dropped[0].reason
    kept, _ = verify_answer("Cryotherapy ablation 0581T is not medically necessary [2].", EVIDENCE)
    assert kept


def test_invented_payer_is_dropped():
    kept, dropped = verify_answer("Aetna pays for ablation 0581T [2].", EVIDENCE)
    assert not kept and "aetna" in dropped[0].reason


def test_citation_to_a_passage_that_does_not_exist_is_dropped():
    kept, dropped = verify_answer("Modifier 74 applies after anesthesia [9].", EVIDENCE)
    assert not kept


FIGURES = {
    1: Evidence(1, "Of 194 participants, 32 were lost to follow-up or withdrew.", "Literature Review - Cryoablation"),
    2: Evidence(
        2,
        "Typical site of service: Outpatient surgical center or hospital outpatient department",
        "CPT 0971T › Billing Code Overview",
    ),
    3: Evidence(
        3, "The code 0971T is reported per breast treated (one unit for one breast).", "CPT 0971T › Clinical Context"
    ),
    4: Evidence(
        4,
        "0581T | Ablation, malignant breast tumor(s), percutaneous, cryotherapy",
        "Cigna 0540 · Ablative Treatments › Coding Information › Considered Not Medically Necessary",
    ),
}


def test_a_number_tied_to_the_wrong_words_is_dropped():
    kept, dropped = verify_answer("194 participants were lost to follow-up or withdrew [1].", FIGURES)
    assert not kept and "194" in dropped[0].reason
    kept, _ = verify_answer("Of 194 participants, 32 were lost to follow-up [1].", FIGURES)
    assert kept


def test_one_word_the_passage_does_not_use_is_enough_to_drop():
    kept, dropped = verify_answer("0971T is typically performed in an inpatient surgical center [2].", FIGURES)
    assert not kept and "inpatient" in dropped[0].reason


def test_something_called_a_modifier_must_be_one():
    kept, dropped = verify_answer("Modifier 0686T is used after anesthesia [1].", EVIDENCE)
    assert not kept and "0686T is not a modifier" in dropped[0].reason


def test_an_added_negation_is_dropped():
    kept, dropped = verify_answer("No, 0971T is not reported per breast [3].", FIGURES)
    assert not kept and "negates" in dropped[0].reason


def test_a_model_sentence_must_use_the_policy_wording():
    """No glossary stands in for the document: "cover" where the policy says "not medically necessary" is the
    model's word, so the sentence is dropped (the composed answer states the decision in the policy's words)."""
    kept, dropped = verify_answer("No, Cigna does not cover 0581T [4].", FIGURES)
    assert not kept and "cover" in dropped[0].reason


def test_composed_sentence_may_use_the_composer_words_and_nothing_else():
    from assistant.compose import COMPOSER_WORDS
    from assistant.verify import check_sentence

    said = "No: Cigna policy 0540 lists 0581T as Considered Not Medically Necessary [4]."
    assert check_sentence(said, FIGURES, allowed=COMPOSER_WORDS).ok
    invented = "No: Cigna policy 0540 lists 0581T as Considered Not Medically Necessary for inpatients [4]."
    assert not check_sentence(invented, FIGURES, allowed=COMPOSER_WORDS).ok


def test_opening_marker_cites_every_sentence_and_preamble_is_not_a_claim():
    kept, dropped = verify_answer(
        "[3] The answer is: 0971T is reported per breast. The code is reported per breast.", FIGURES
    )
    assert [k.text for k in kept] == ["0971T is reported per breast.", "The code is reported per breast."]
    assert all(k.cited == [3] for k in kept) and not dropped


def test_a_marker_after_a_quoted_sentence_stays_with_it():
    from assistant.text import sentences
    from assistant.verify import attach_markers, markers

    units = sentences(attach_markers("“ProSense is indicated for patients aged 70 or older.” [1]. It is a device."))
    assert markers(units[0]) == [1] and "ProSense" in units[0]


def test_a_document_identifier_is_one_fact_not_a_number_inside_it():
    # "article A59961" names an article: inventing "A59962" is caught, and its digits are no number "9961".
    from assistant.verify import facts, unsupported

    assert facts("billing article A59961 lists them") == {"id:A59961"}
    assert unsupported("See billing article A59962.", "Billing article A59961 lists the codes.") == {"id:A59962"}


def test_a_sentence_that_says_nothing_is_dropped():
    # A small model's stutter cites a passage and contradicts nothing in it; it says nothing either.
    kept, dropped = verify_answer("No, no, no, no, no [1].", EVIDENCE)
    assert not kept and dropped[0].reason == "says nothing of its own"
    kept, _ = verify_answer("Modifier 74 [1].", EVIDENCE)
    assert len(kept) == 1  # a fact alone is something
