"""Billing identifiers: find them in text and normalise the ways people type them.

Exact identifiers matter more than meaning in billing, so retrieval, lookup and
verification all share this one definition of what a code is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "0581 T" -> "0581T"; "c78.7" is upper-cased by callers.
_SPLIT_CAT3 = re.compile(r"\b(\d{4})\s+([TFUtfu])\b")

PATTERNS: dict[str, re.Pattern[str]] = {
    "taxonomy": re.compile(r"\b\d{3}[0-9A-Z]{6}X\b"),
    "cpt": re.compile(r"(?<![\d.,/$-])\b(?:\d{5}|\d{4}[TFU])\b(?![.,/]\d)"),
    "hcpcs": re.compile(r"\b[A-V]\d{4}\b"),
    "icd10": re.compile(r"\b[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?\b"),
}
# "modifier 50", "mod 52" (staff shorten it), "modifiers RT and LT", "mod 52 vs 53".
# Joined as a list or a comparison; "50 or RT/LT" offers a choice of ways to bill, read as the one named first.
_JOIN = r"\s*(?:,|&|\band\b|\bvs\.?|\bversus\b)\s*"
_MODIFIER_MENTION = re.compile(
    rf"\b(?:modifiers?|mods?\b)\s*(?:#|:|-)?\s*([0-9A-Z]{{2}}\b(?:{_JOIN}[0-9A-Z]{{2}}\b)*)", re.IGNORECASE
)
_POLICY_MENTION = re.compile(r"\bpolicy\s*(?:number|no\.?|#)?\s*[:.]*\s*(\d{4})\b", re.IGNORECASE)
_MODIFIER_CELL = re.compile(r"^[0-9A-Z]{2}$")
# A study as the literature names it: "Fine et al. (2021)", "Matsumoto and Facina (2025)", "(Simmons, et al., 2016)".
_SURNAME = r"[A-Z][A-Za-z'’-]+"
_AFTER_NAME = r"(?:\s+(?:and|&)\s+[A-Z][A-Za-z'’-]+)?,?\s+(?:et al\.?,?\s*)?\(?(\d{4})\b"
# A surname of two words or with a particle ("Roca Navarro et al. (2024)", "van der Berg 2021") is keyed, as
# staff name it and as a one-word surname is, by its last word.
# A month or a sentence's opening word before a year ("In March 2024", "Effective January 2026") names no study.
_NOT_A_NAME = (
    r"(?!(?:In|On|At|By|As|Since|Effective|From|Until|Through|During|After|Before|Updated|Revised|Published|"
    r"January|February|March|April|May|June|July|August|September|October|November|December)\b)"
)
_STUDY = re.compile(
    rf"\b((?:(?:van|von|de|der|den|da|di|du|del|la|le|dos)\s+)*(?:{_NOT_A_NAME}{_SURNAME}\s+)?"
    rf"{_NOT_A_NAME}{_SURNAME}){_AFTER_NAME}"
)
_TYPED_STUDY = re.compile(rf"\b([A-Za-z][A-Za-z'’-]+){_AFTER_NAME.replace('[A-Z][A-Za-z', '[A-Za-z][A-Za-z')}")


@dataclass(frozen=True)
class Code:
    value: str
    kind: str  # cpt | hcpcs | icd10 | taxonomy | modifier | policy


def normalise(text: str) -> str:
    """Rewrite typed variants of codes into their canonical spelling."""
    return _SPLIT_CAT3.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def find_codes(text: str) -> list[Code]:
    """Codes in running text, in order of first appearance, without duplicates."""
    text = normalise(text)
    found: dict[str, Code] = {}
    hits: list[tuple[int, Code]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS.items():
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append(m.span())
            hits.append((m.start(), Code(m.group(0), kind)))
    for start, value in _modifier_mentions(text):
        hits.append((start, Code(value.upper(), "modifier")))
    for m in _POLICY_MENTION.finditer(text):
        hits.append((m.start(1), Code(m.group(1), "policy")))
    for _, code in sorted(hits, key=lambda h: h[0]):
        found.setdefault(code.value, code)
    return list(found.values())


def _modifier_mentions(text: str) -> list[tuple[int, str]]:
    """The modifiers named after the word "modifier", each with where it starts."""
    found = []
    for m in _MODIFIER_MENTION.finditer(text):
        for part in re.finditer(r"[0-9A-Za-z]+", m.group(1)):
            if len(part.group(0)) == 2 and part.group(0).lower() != "vs":  # not the joining word
                found.append((m.start(1) + part.start(), part.group(0)))
    return found


def find_in_query(text: str) -> list[Code]:
    """Codes in a question: like ``find_codes`` but tolerant of lower case (``c78.7``, ``0581t``). A modifier
    typed in lower case counts only with a digit ("modifier 74"), not as a word ("which modifier do we ...")."""
    upper = re.sub(
        r"\b[a-z]\d{2}(?:\.[0-9a-z]{1,4})?\b|\b\d{4}\s?[tfu]\b|\b\d{3}[0-9a-z]{6}x\b",
        lambda m: m.group(0).upper(),
        text,
    )
    typed = {value for _, value in _modifier_mentions(text)}
    return [
        c
        for c in find_codes(upper)
        if c.kind != "modifier" or c.value in typed and (any(ch.isdigit() for ch in c.value) or c.value.isupper())
    ]


def procedures(codes) -> list[str]:
    """The procedure codes (CPT, HCPCS) among codes already read, in their order: what a question asks of, where
    a modifier, diagnosis or taxonomy code says how or for whom."""
    return [c for c in codes if kind_of(c) in ("cpt", "hcpcs")]


def kind_of(code: str) -> str:
    """The kind of a code already read as one: cpt, hcpcs, icd10, taxonomy, or modifier (two characters, as
    modifier tables key their rows: "74", "QX")."""
    kind = next((name for name, pattern in PATTERNS.items() if pattern.fullmatch(code)), "")
    return kind or ("modifier" if len(code) == 2 else "")


def row_key_code(first_cell: str, table_header: str) -> Code | None:
    """The code a table row is about, from its first cell (modifier tables list bare ``74``). The header may
    include the table's name ("CPT/HCPCS Modifiers" over "CODE | DESCRIPTION")."""
    cell = first_cell.strip()
    if "modifier" in table_header.lower() and _MODIFIER_CELL.match(cell):
        return Code(cell, "modifier")
    codes = find_codes(cell)
    return codes[0] if codes else None


def find_studies(text: str, typed: bool = False) -> set[str]:
    """Studies a text names, as "surname year" ("fine 2021"): to a reader of the literature these are
    identifiers too; "Fine et al. (2021)" and "Fine et al. (2024)" are different trials. Staff type a name in
    lower case ("the ji 2024 study"): with `typed`, any case counts, and only a study a document names
    (matched against it) makes it one."""
    pattern = _TYPED_STUDY if typed else _STUDY
    return {f"{m.group(1).split()[-1].lower()} {m.group(2)}" for m in pattern.finditer(text)}


def opens_with_study(sentence: str) -> bool:
    """Whether a sentence has a study as its subject ("Fine et al. (2024) reported ..."), not as a reference."""
    return bool(_STUDY.match(sentence.strip()))
