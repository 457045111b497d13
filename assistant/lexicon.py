"""The documents' own words, for reading a question typed with a typo ("cryoablaton") or an acronym ("RFA").

Both need a pass over every passage's text: about 27 s at a million passages (measured: 2.9 s for 107,600).
So the pass runs once per index generation on a background thread, started when an assistant loads the
index, and a question waits for it only if it comes before the pass is done.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence

from .acronyms import Glossary
from .text import words

MIN_TYPO_LENGTH = 5  # shorter words are too often another real word one letter away ("tumor" / "humor")
# Shortened words staff type: "lap", "cryo", "chemo", "meds" are at most five letters (longer words are
# whole words that other words happen to begin: "breast", "breastfeeding").
SHORTENED = 5


class Lexicon:
    def __init__(self, texts: Sequence[str]):
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._glossary: Glossary | None = None
        self._words: list[str] = []
        threading.Thread(target=self._build, args=(texts,), name="lexicon", daemon=True).start()

    def _build(self, texts: Sequence[str]) -> None:
        try:
            self._glossary = Glossary(texts)
            self._words = sorted({w for t in texts for w in words(t) if len(w) >= MIN_TYPO_LENGTH and w.isalpha()})
        except BaseException as exc:  # noqa: BLE001 - handed to the question that waits for it
            self._error = exc
        finally:
            self._ready.set()

    def _wait(self) -> None:
        self._ready.wait()
        if self._error is not None:
            raise self._error

    @property
    def glossary(self) -> Glossary:
        self._wait()
        assert self._glossary is not None
        return self._glossary

    @property
    def words(self) -> list[str]:
        """The documents' alphabetic words of at least MIN_TYPO_LENGTH letters, in lower case, sorted."""
        self._wait()
        return self._words

    def begins(self, prefix: str) -> bool:
        """Whether some longer word of the documents begins with this one ("lap": "laparoscopic")."""
        self._wait()
        prefix = prefix.lower()
        i = bisect.bisect_right(self._words, prefix)
        return i < len(self._words) and self._words[i].startswith(prefix)

    def completions(self, prefix: str) -> list[str]:
        """The documents' longer words that begin with this one, in order ("cryo": "cryoablation", ...)."""
        self._wait()
        prefix = prefix.lower()
        i = bisect.bisect_right(self._words, prefix)
        j = bisect.bisect_left(self._words, prefix + "\uffff", lo=i)
        return self._words[i:j]
