"""Acronyms defined in documents, read back when a question uses the short form."""

import pytest

from assistant.acronyms import Glossary, definitions

POLICY = (
    "Percutaneous microwave ablation (MWA) and radiofrequency ablation (RFA) of benign thyroid nodules are "
    "covered. Persistent pain after total knee arthroplasty (TKA) qualifies. Magnetic resonance imaging (MRI) "
    "is used to plan the procedure (see Table 2) (Appendix A). An ice ball forms at the probe tip (ICE)."
)


def test_long_forms_are_found_letter_by_letter():
    found = dict(definitions(POLICY))
    assert found["MWA"] == "microwave ablation"
    assert found["RFA"] == "radiofrequency ablation"  # F is inside "radiofrequency", not a word of its own
    assert found["TKA"] == "total knee arthroplasty"
    assert found["MRI"] == "Magnetic resonance imaging"
    assert "Table 2" not in found.values() and "A" not in found  # a reference in brackets is no acronym


def test_a_short_form_typed_in_lower_case_is_read_only_if_the_documents_never_write_it_so():
    glossary = Glossary([POLICY, "Ice is applied (ICE) for intracardiac echo."])
    assert glossary.spelled_out("rfa") == "radiofrequency ablation"
    assert glossary.spelled_out("TKA") == "total knee arthroplasty"
    assert glossary.spelled_out("ice") is None  # "ice" is a word the documents use
    assert glossary.spelled_out("XYZ") is None


def test_the_lexicon_is_read_off_the_question_path_and_gives_what_it_read():
    from assistant.lexicon import Lexicon

    lexicon = Lexicon(["Genicular radiofrequency ablation (RFA) relieves knee pain.", "Cryoablation is covered."])
    assert lexicon.glossary.spelled_out("RFA") == "radiofrequency ablation"
    assert "cryoablation" in lexicon.words and "pain" not in lexicon.words  # 5+ letters
    assert lexicon.begins("cryo") and lexicon.begins("Genic") and not lexicon.begins("cryoablations")


def test_a_failed_lexicon_read_is_raised_to_the_question_that_needs_it():
    from assistant.lexicon import Lexicon

    broken = Lexicon([None])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        _ = broken.words
