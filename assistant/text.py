"""Small text utilities shared by parsing, retrieval and verification.

Everything here keeps character offsets, because a citation must point at the
exact span of the source file it quotes.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

# A markup tag starts with a letter (or "/" and a letter) right after "<": "< 18 and size >" is two comparisons.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]{0,200})?/?>")
_SPACE_OR_PIPE = re.compile(r"[\s|]+")
# A date printed with bars ("EFFECTIVE DATE: 04|01|2026") keeps them: they are its text, not cells' edges.
_BAR_DATE = re.compile(r"\b\d{1,2}\|\d{1,2}\|\d{4}\b")
# A compound broken at its hyphen where a line wraps ("may be cost-" / "shared"): one word.
_WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z]-)[ \t]*\n\s*(?=[a-z])")

# Abbreviations that end in a period without ending a sentence.
_ABBREVIATIONS = {
    "al",
    "e.g",
    "i.e",
    "eg",
    "ie",
    "vs",
    "etc",
    "dr",
    "mr",
    "mrs",
    "ms",
    "no",
    "fig",
    "u.s",
    "approx",
    "inc",
    "co",
    "corp",
    "ltd",
    "st",
    "jr",
    "sr",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "vol",
    "pp",
    "ed",
}
# The mark that numbers an outline's statement or item ("I.", "A.", "a)", "12."): no part of what it says.
OUTLINE_MARK = re.compile(r"^(?:[IVX]{1,4}|[A-Za-z]|\d{1,2})[.)]\s+")
_SENTENCE_END = re.compile(r"[.!?](?:[\"”’)\]]*)(?=\s+|$)")


def canonical(text: str) -> str:
    """The comparable form of a quote: markup, table pipes and runs of white space removed.

    A quote and the source span it cites are the same text exactly when their
    canonical forms are equal.
    """
    text = _WRAPPED_HYPHEN.sub("", _TAG.sub(" ", text))
    text = _BAR_DATE.sub(lambda m: m.group(0).replace("|", "\x00"), text)
    return _SPACE_OR_PIPE.sub(" ", text).strip().replace("\x00", "|")


def comparable(text: str) -> str:
    """Canonical text folded for matching: compatibility characters and case ignored."""
    return canonical(unicodedata.normalize("NFKC", text)).casefold()


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; returns (start, end) pairs shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if end <= start or not _ends_sentence(text, match.start(), end):
            continue
        spans.append((start + offset, end + offset))
        start = _skip_space(text, end)
    if start < len(text.rstrip()):
        spans.append((start + offset, len(text.rstrip()) + offset))
    return spans


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _ends_sentence(text: str, dot: int, end: int) -> bool:
    if text[dot] != ".":
        return True
    word = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 12) : dot])
    if word and word.group(1).lower().strip(".") in _ABBREVIATIONS:
        return False
    if word and len(word.group(1)) == 1 and word.group(1).isupper():
        return False  # an initial, as in "Fine RE. ..." is rare; "J. Smith" common
    following = text[end:].lstrip()
    # A decimal point or a list number ("1.") is not a sentence end.
    if dot + 1 < len(text) and text[dot + 1].isdigit():
        return False
    return not following[:1].islower()


def chunk_spans(text: str, limit: int, offset: int = 0) -> list[tuple[int, int]]:
    """Group whole sentences into chunks of at most ``limit`` characters (a longer sentence stays whole)."""
    chunks: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, offset):
        if chunks and e - chunks[-1][0] <= limit:
            chunks[-1] = (chunks[-1][0], e)
        else:
            chunks.append((s, e))
    return chunks


_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'’][A-Za-z0-9]+)*")


def without_accents(text: str) -> str:
    """ "Rezūm" as staff type it, "Rezum": a letter's accents are no part of how a word is matched."""
    if text.isascii():
        return text
    # NFD, not NFKD: a footnote's superscript ("PA¹") stays apart from its word.
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    # "Date3/15/2026" (a lost space in the source) reads as "Date 3/15/2026", "covid19" as "covid 19" (as
    # "COVID-19" is printed); codes like 0581T stay whole, and so does a short name that ends in its number ("ice3",
    # a trial typed in small letters, as "ICE3" is printed).
    text = re.sub(r"([a-z]{3,})(\d+[/.:-]\d)|([a-z]{5,})(\d)", r"\1\3 \2\4", without_accents(text))
    return [w.lower() for w in _WORD.findall(text)]


def close_match(term: str, known: list[str], cutoff: float = 0.85) -> str | None:
    """The known word closest in spelling to `term`, if close enough (a typo, not another word)."""
    found = difflib.get_close_matches(term, known, n=1, cutoff=cutoff)
    return found[0] if found else None


# The heading of a policy's record of changes: "Policy History", "Revision Details", "Document History", "Change
# Summary", "Policy Implementation/Update Information", "Summary of Changes", "Amendments".
HISTORY_HEADING = re.compile(r"histor|revision|chang|update|amendment", re.I)
