"""Billing staff's words for what the documents say in their own terms.

Domain vocabulary, not questions: "covered" is written "medically necessary" in a coverage
policy, "setting" is "site of service" in a CPT summary. Retrieval searches with these words
too, and quote ranking counts them at half weight.
"""

from __future__ import annotations

from .text import words

GLOSSARY = {
    "setting": "site service",
    "place": "site service",
    "done": "performed",
    "cover": "medically necessary",
    "covers": "medically necessary",
    "covered": "medically necessary",
    "coverage": "medically necessary",
    "pay": "medically necessary",
    "status": "medically necessary",
    "position": "medically necessary",
    "stance": "medically necessary",
    "where": "site service",
    "specialty": "taxonomy",
    "diagnosis": "icd",
    "participants": "participants individuals patients",
    "patients": "participants individuals",
}


COVERAGE_WORDS = {word for word, meaning in GLOSSARY.items() if meaning == "medically necessary"}


def synonyms(term: str) -> list[str]:
    return GLOSSARY.get(term.lower(), "").split()


def expand(question: str) -> str:
    """The question with the documents' words for its terms appended (for lexical search)."""
    extra = []
    for term in words(question):
        extra += [s for s in synonyms(term) if s not in extra]
    return f"{question} {' '.join(extra)}" if extra else question
