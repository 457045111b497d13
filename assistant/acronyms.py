"""Acronyms the documents define ("radiofrequency ablation (RFA)"), so a question typed with the short form
reads the long one too. Staff write "genicular RFA", "MWA", "TKA"; a policy spells the term once and may
never use the short form in the statement that answers.

The matching is Schwartz and Hearst's (2003): the short form's characters are found right to left in the
words before the parenthesis, the first at the start of a word.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

_DEFINED = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,9})\)")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")


def definitions(text: str) -> list[tuple[str, str]]:
    """(short form, long form) of every "long form (SHORT)" in a text."""
    found = []
    for m in _DEFINED.finditer(text):
        short = m.group(1)
        if sum(ch.isupper() for ch in short) < 2:
            continue  # "(see)", "(Table)": not an acronym
        before = _WORD.findall(text[max(0, m.start() - 200) : m.start()])
        letters = len([ch for ch in short if ch.isalnum()])
        window = " ".join(before[-min(letters + 5, 2 * letters) :])
        long = _long_form(short, window)
        if long and len(long) > len(short) and " " in long:
            found.append((short, long))
    return found


def _long_form(short: str, window: str) -> str | None:
    """The end of the window whose letters spell the short form (Schwartz-Hearst), or None."""
    s, i = len(short) - 1, len(window) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (window[i].lower() != c or (s == 0 and i > 0 and window[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = window.rfind(" ", 0, i + 1) + 1
    return window[start:]


class Glossary:
    """The acronyms of a corpus: each short form's most used long form, and the words the documents write in
    lower case (a short form typed in lower case is read as an acronym only if the documents never write it
    so: "rfa" is RFA, "ice" is ice)."""

    def __init__(self, texts: Iterable[str]):
        longs: dict[str, Counter[str]] = defaultdict(Counter)
        self.lower: set[str] = set()
        for text in texts:
            for short, long in definitions(text):
                longs[short.upper()][long.lower()] += 1
            self.lower.update(w for w in _WORD.findall(text) if w.islower())
        self.long = {short: counts.most_common(1)[0][0] for short, counts in longs.items()}

    def spelled_out(self, word: str) -> str | None:
        long = self.long.get(word.upper())
        if long is None or (word.islower() and word in self.lower):
            return None
        return long
