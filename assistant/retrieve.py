"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused, with exact identifiers on top.

Billing questions hinge on identifiers (0581T, C78.7, modifier 74), which
embeddings blur, so a passage that carries a code named in the question, or a
document about that code, outranks anything that is merely similar.
"""

from __future__ import annotations

import re
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Sequence

from bm25s.stopwords import STOPWORDS_EN

from . import codes as code_rules
from .config import Settings
from .embeddings import english_words
from .lexicon import MIN_TYPO_LENGTH, SHORTENED, Lexicon
from .payers import matches as payer_matches
from .payers import payers_named
from .search import CodeDocuments, DenseSearch, LexicalSearch
from .store import IndexDamaged, IndexStore, LexicalIndex, Manifest, node_passage
from .text import close_match, words
from .types import REFERENCE_HEADING, Document, Filters, Hit, Passage

FETCH = 40  # candidates from each retriever before fusion
MAX_SHORT_WORD = 2  # uses_in_text counts words this short (the abbreviations query.py weighs by their uses)
FUSION_WEIGHT = 0.5  # per retriever; a passage both rank first scores 1.0
# The constants below follow from the fused score's scale (a passage first in both lists scores 1.0), not from
# any eval question.
CODE_BOOST = 1.0  # as much as a perfect fused score: an exact identifier wins
ABOUT_BOOST = 0.5  # a passage of the document about an asked code (its summary, its policy): one step removed
STUDY_BOOST = 0.5  # a passage about a study the question names ("Fine et al. (2021)"): an identifier, in prose
PAYER_BOOST = 0.5  # a document of the payer the question names, over documents that only mention it
BOILERPLATE_PENALTY = 0.5  # a publisher's legal wrapper shares every question's words and answers few
RESTRICTED_FETCH = 200  # passages scored when the search is confined to a few documents
# A shortening leaves off at least a syllable's letters (three), not a plural or verb ending; the three
# commonest completions are searched.
COMPLETION_MORE = 3
COMPLETIONS = 3
MAX_CHOICE_SETS = 8  # sets of choices whose embeddings are kept (the attributes' sentences, a follow-up's words)
_CHOICES_LOCK = threading.Lock()  # the UI answers questions on several threads
# The Greek and Latin endings of medical terminology that make a word the name of a condition (tumour,
# inflammation, disease, pain, enlargement) or of an operation (removal, incision, opening, repair, viewing).
_CLINICAL_TERM = re.compile(
    r"^[a-z]{3,}(?:omas?|omata|itis|osis|oses|emia|pathy|pathies|algia|megaly|plasia|"
    r"ectomy|ectomies|otomy|otomies|ostomy|ostomies|plasty|plasties|scopy|scopies)$"
)
# A word the documents use with another ending of up to four letters ("-ist", "-ical", "-tion") is the same term.
MIN_TERM = 6
SUFFIX = 4
_STOPWORDS = frozenset(STOPWORDS_EN)  # words the word search never counts: no shortening ("the", "therapy")


class Retriever:
    """Reads one generation of the index; reloads itself when an ingest publishes a new one."""

    def __init__(self, settings: Settings, embed_model=None):
        self.settings = settings
        self.store = IndexStore(settings)
        self._embed_model = embed_model
        self._lock = threading.Lock()
        self._stamp: float | None = None
        self._load()

    # ---- loading -------------------------------------------------------------------------
    def _load(self) -> None:
        manifest = self.store.read_manifest()
        self.manifest: Manifest = manifest
        self.documents: dict[str, Document] = {
            doc_id: doc for doc_id in manifest.documents if (doc := manifest.document(doc_id)) is not None
        }
        self.passages: dict[str, Passage] = {}
        self._short_names: dict[str, str] | None = None
        self._stems_of: dict[str, set[str]] = {}
        self._text_uses: Counter[str] | None = None
        self.by_code: dict[str, list[str]] = defaultdict(list)
        self.by_document: dict[str, list[str]] = defaultdict(list)
        self.by_study: dict[str, list[str]] = defaultdict(list)
        self.lexical: LexicalIndex | None = None
        warm = getattr(self, "_lexicon", None) is not None
        self._lexicon: Lexicon | None = None
        if manifest.documents:
            from llama_index.core.vector_stores.utils import metadata_dict_to_node

            self.lexical = self.store.lexical(manifest)
            for entry in self.lexical.live_entries:
                node = metadata_dict_to_node(entry)
                passage = node_passage(node)
                self.passages[node.node_id] = passage
                self.by_document[passage.document].append(node.node_id)
                for code in passage.codes:
                    self.by_code[code].append(node.node_id)
                for study in code_rules.find_studies(f"{passage.lead} {passage.text}"):
                    self.by_study[study].append(node.node_id)
        self.dense = DenseSearch(self.store, manifest, self._embed_model)
        if self.dense.count < manifest.passage_count:  # more is normal while an ingest adds its next generation
            raise IndexDamaged(
                f"the index in {self.store.root}/ lists {manifest.passage_count} passages but "
                f"{self.store.vector_location} holds {self.dense.count}: run `assistant ingest --rebuild`"
            )
        self.lexical_search = LexicalSearch(self.lexical) if self.lexical is not None else None
        self.code_documents = CodeDocuments(self.documents)
        self._stamp = self.store.manifest_stamp()
        if warm:
            self.lexicon()  # a new generation of an index in use: its words are read ahead of its questions

    def lexicon(self) -> Lexicon:
        """The documents' words (typos, acronyms), read on a background thread from the first call."""
        if self._lexicon is None:
            self._lexicon = Lexicon([p.text for p in self.passages.values()])
        return self._lexicon

    def refresh(self) -> None:
        """Pick up a newly published index generation, if any (cheap: one stat call)."""
        if self.store.manifest_stamp() != self._stamp:
            with self._lock:
                if self.store.manifest_stamp() != self._stamp:
                    self._load()

    # ---- queries -------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 6, filters: Filters | None = None) -> list[Hit]:
        self.refresh()
        filters = filters or Filters()
        if not self.passages:
            return []
        question = code_rules.normalise(question)
        scores: dict[str, float] = defaultdict(float)
        via: dict[str, set[str]] = defaultdict(set)
        if filters.documents and len(filters.documents) <= 50:
            lists = self._restricted(question, filters.documents)  # confined: every candidate is in them
        else:
            lists = [("dense", self._dense(question)), ("lexical", self._lexical(self._completed(question)))]
        for name, ranked in lists:
            # Relative-score fusion: each list's scores min-max scaled, then summed. Unlike reciprocal-rank
            # fusion it keeps a strong match from one retriever (an author's name in BM25) on top.
            if not ranked:
                continue
            top, low = ranked[0][1], ranked[-1][1]
            for node_id, value in ranked:
                scores[node_id] += FUSION_WEIGHT * ((value - low) / (top - low) if top > low else 1.0)
                via[node_id].add(name)
        for node_id, boost in self._code_matches(question).items():
            scores[node_id] += boost
            via[node_id].add("code")
        for study in code_rules.find_studies(question, typed=True):
            for node_id in self.by_study.get(study, ()):
                scores[node_id] += STUDY_BOOST
                via[node_id].add("study")
        payers = payers_named(question, typed=True)
        hits = []
        for node_id, score in scores.items():
            passage = self.passages.get(node_id)
            if passage is None:
                continue  # not in the published generation (an unfinished or superseded ingest)
            document = self.documents[passage.document]
            if not filters.allows(passage, document):
                continue
            if any(payer_matches(p, document.payer, document.publisher) for p in payers):
                score += PAYER_BOOST
            if passage.boilerplate:
                score -= BOILERPLATE_PENALTY
            hits.append(Hit(passage, document, score, via[node_id]))
        hits.sort(key=lambda h: (-h.score, h.passage.document, h.passage.ordinal))
        return hits[:k]

    def _dense(self, question: str) -> list[tuple[str, float]]:
        return self.dense.search(question, FETCH)

    def _restricted(self, question: str, documents: tuple[str, ...]) -> list[tuple[str, list[tuple[str, float]]]]:
        """Dense and lexical scores of the passages of a few documents only (a code's summary, a payer's
        policies): a search of the whole index could leave them all below its cut."""
        dense = self.dense.search(question, RESTRICTED_FETCH, where={"document": {"$in": list(documents)}})
        completed = self._completed(question)
        asked = {self.lexical.stem(w): self.term_weight(w) for w in words(completed)} if self.lexical else {}
        lexical = []
        stem = self.lexical.stem if self.lexical is not None else str.lower
        for doc_id in documents:
            for node_id in self.by_document.get(doc_id, ()):
                p = self.passages[node_id]
                have = {stem(w) for w in words(f"{p.text} {p.lead} {p.section_path}")}
                value = sum(w for s, w in asked.items() if s in have)
                if value:
                    lexical.append((node_id, value))
        lexical.sort(key=lambda item: -item[1])
        return [("dense", dense), ("lexical", lexical[:RESTRICTED_FETCH])]

    def _completed(self, question: str) -> str:
        """The question with each shortened word ("cryo", "lap", "chemo") joined by the longer words of the
        documents it stands for, so the word search finds "cryoablation" for "cryo"."""
        if self.lexical is None:
            return question
        extra = [w for word in dict.fromkeys(words(question)) for w in self.completions(word)]
        return f"{question} {' '.join(extra)}" if extra else question

    def completions(self, word: str) -> list[str]:
        """The documents' words a shortened one stands for ("cryo": "cryoablation", "cryotherapy"), or none.
        A shortening is short (up to SHORTENED letters), leaves off a part of the word (COMPLETION_MORE
        letters or more, not an ending the stemmer folds: "tumor", "tumors"), is no English word ("cryo",
        "meds") or one the documents never use ("lap"), and the documents use the longer word more: "cryo"
        (once, in "cryo-feasible") stands for "cryoablation"; "cover" is a word of its own beside "coverage"."""
        if self.lexical is None or not word.isalpha() or not 3 <= len(word) <= SHORTENED or word in _STOPWORDS:
            return []  # "the" is no shortening of "therapy" (the word search never counts it)
        seen = self.frequency(word)
        if seen and word in english_words():
            return []
        longer = [w for w in self.lexicon().completions(word) if len(w) >= len(word) + COMPLETION_MORE]
        counted = sorted(((self.frequency(w), w) for w in longer), reverse=True)
        return [w for n, w in counted[:COMPLETIONS] if n > seen]

    def _lexical(self, question: str) -> list[tuple[str, float]]:
        if self.lexical_search is None:
            return []
        return self.lexical_search.search(question, FETCH)

    def _code_matches(self, question: str) -> dict[str, float]:
        """Boosts for passages that carry a code named in the question, and for the rest of the document
        about that code (a CPT summary, a policy by its number), which counts less than naming it."""
        wanted = {c.value for c in code_rules.find_in_query(question)}
        if not wanted:
            return {}
        boosts = {node_id: CODE_BOOST for code in wanted for node_id in self.by_code.get(code, ())}
        for doc_id in self.code_documents.about(wanted):
            for node_id in self.by_document[doc_id]:
                boosts.setdefault(node_id, ABOUT_BOOST)
        return boosts

    def _in_order(self, doc_id: str) -> list[Passage]:
        return sorted((self.passages[i] for i in self.by_document.get(doc_id, ())), key=lambda p: p.ordinal)

    def with_continuations(self, hits: list[Hit]) -> list[Hit]:
        """Add the passage that continues each retrieved paragraph chunk.

        A long study paragraph is cut into passages; its figures often sit in the chunk after the one
        that names the study ("Mauri et al. (2017) ..."), which is the one the question's words find.
        """
        seen = {h.passage.id for h in hits}
        out = list(hits)
        for hit in hits:
            p = hit.passage
            if p.kind != "paragraph":
                continue
            ordered = self._in_order(p.document)
            following = [q for q in ordered if q.ordinal == p.ordinal + 1]
            if not following:
                continue
            nxt = following[0]
            if nxt.id in seen or nxt.kind != "paragraph" or nxt.section != p.section or nxt.start - p.end > 1:
                continue
            seen.add(nxt.id)
            out.append(Hit(nxt, hit.document, hit.score * 0.99, {"continuation"}))
        return out

    def table_rows(self, passage: Passage) -> list[Passage]:
        """Every row of the table a row belongs to, in order."""
        return [
            q
            for q in self._in_order(passage.document)
            if q.kind == "row" and q.section == passage.section and q.header == passage.header
        ]

    def join_compounds(self, question: str) -> str:
        """'cryo ablation' -> 'cryoablation' when only the joined word is in the documents."""
        if self.lexical is None:
            return question
        stem = self.lexical.stem
        parts = re.split(r"(\s+)", question)
        for i in range(0, len(parts) - 2, 2):
            a, b = parts[i], parts[i + 2]
            # Both halves of a compound are words ("cryo ablation"); a letter after a function word ("the R
            # breast") is no second half, though "the" + "r" begins a document word.
            if not (a.isalpha() and b.isalpha() and len(a) >= 3 and len(b) >= 3) or parts[i + 1] != " ":
                continue
            # Join only when the documents use the compound more than its first part alone ("cryo").
            if self.lexical.document_frequency(stem(a + b)) > self.lexical.document_frequency(stem(a)):
                parts[i], parts[i + 1], parts[i + 2] = "", "", a + b
        return "".join(parts)

    # ---- what the index knows -----------------------------------------------------------------
    def code_titled(self, asked: Sequence[str], beside: Sequence[str] = ()) -> str | None:
        """The code whose summary's title says more of these words than any other's ("the laser one": 0971T's
        "Percutaneous Laser Ablation ..."; a shortened word by the longer one), or None when none or a tie. Of
        titles saying as many, the one sharing most words with the title of a code `beside` it in the
        conversation: "the cryo one" after 0971T (a breast code) is 0581T's breast cryoablation, not 47371's
        liver one."""

        asked_stems = {self.lexical.stem(w) for w in asked} if self.lexical else set(asked)
        titles = {code: self._stems(title) for code, title in self._titles().items()}
        near = set().union(*(titles.get(code, set()) for code in beside))

        def says(title: set[str]) -> int:
            return sum(any(t == s or len(s) >= 3 and t.startswith(s) for t in title) for s in asked_stems)

        said = sorted(
            ((says(title), len(title & near), code) for code, title in titles.items() if code not in beside),
            reverse=True,
        )
        # Words the conversation's own code's title says as well ("and if its colon ca that spread to the liver"
        # after a question on the liver ultrasound code) name no other code.
        own = max((says(titles[c]) for c in beside if c in titles), default=0)
        if said and said[0][0] and said[0][0] < own:
            return None  # the conversation's own code's title says more of the words: no other code is named
        if not said or not said[0][0] or said[0][0] <= own or (len(said) > 1 and said[1][:2] == said[0][:2]):
            return self._titled_by_meaning(asked, beside, {c for n, _, c in said if n and n == said[0][0]})
        return said[0][2]

    def _titled_by_meaning(self, asked: Sequence[str], beside: Sequence[str], saying: set[str]) -> str | None:
        """Of the codes whose titles say as many of the words as any, the one whose title is nearest the words in
        meaning ("the sound wave liver one": "... Focused Ultrasound Ablation of Liver Tumor"), when nearer than
        the title of the code the conversation is on; words that no title says ("sound wave") decide it."""
        titles = self._titles()
        stemmed = [self._stems(title) for title in titles.values()]
        unsaid = [w for w in asked if not any(self.lexical and self.lexical.stem(w) in t for t in stemmed)]
        if not saying or not unsaid:
            return None
        choices = {c: t for c, t in titles.items() if c in saying or c in beside}
        nearest, _ = self.nearest_meaning(" ".join(asked), choices)
        return nearest if nearest in saying and nearest not in beside else None

    def _titles(self) -> dict[str, str]:
        return {doc.code: doc.title for doc in self.documents.values() if doc is not None and doc.code}

    def payer_called(self, word: str) -> str | None:
        """The payer a word typed alone stands for ("quartz": Quartz Health Solutions): the first word of the name
        of a payer whose documents are in the index, when no document but that payer's uses the word and it names
        no other payer. The payer table leaves such words out because elsewhere they are words ("quartz",
        "sanford"); the documents in the index say whether they are here."""
        if self._short_names is None:
            self._short_names = self._read_short_names()
        return self._short_names.get(word.lower())

    def _read_short_names(self) -> dict[str, str]:
        from .payers import HELD_ONLY, PAYERS, payers_named

        held = {d.payer for d in self.documents.values() if d is not None and d.payer}
        candidates: dict[str, str] = {}
        for payer in PAYERS:
            if payer.name not in held:
                continue
            for name in (payer.name, *payer.aliases):
                first = name.split()[0].lower()
                if len(first) >= 4 and first.isalpha() and not payers_named(first, typed=True):
                    candidates.setdefault(first, payer.name)
        # a word any other payer's name says is no one payer's ("first", "health")
        for payer in PAYERS:
            for name in (payer.name, *payer.aliases):
                for w in {w.lower() for w in name.split()}:
                    if candidates.get(w) not in (None, payer.name):
                        candidates.pop(w)
        users: dict[str, set[str]] = defaultdict(set)
        for passage in self.passages.values():
            for w in set(words(passage.text)) & candidates.keys():
                users[w].add(passage.document)
        return {
            w: payer
            for w, payer in candidates.items()
            if users[w] and all(self.documents[d].payer == payer for d in users[w] if d in self.documents)
        } | {short.lower(): payer for short, payer in HELD_ONLY.items() if payer in held}

    def code_documents_say(self, code: str, word: str) -> bool:
        """Whether a document that carries the code uses the word (or its stem) anywhere."""
        stem = self.lexical.stem(word) if self.lexical else word
        return any(stem in self.document_stems(doc.id) for doc in self.documents_with_code(code))

    def document_stems(self, doc_id: str) -> set[str]:
        """Every stem a document's passages say, with their lead-ins and sections (read once per generation)."""
        self.refresh()
        if doc_id not in self._stems_of:
            text = " ".join(f"{p.text} {p.lead} {p.section_path}" for p in self._in_order(doc_id))
            self._stems_of[doc_id] = self._stems(text)
        return self._stems_of[doc_id]

    def title_says(self, word: str, codes: Sequence[str]) -> bool:
        """Whether the title of a summary of one of these codes says the word (or a longer word it begins)."""
        stem = self.lexical.stem(word) if self.lexical else word
        titles = [doc.title for doc in self.documents.values() if doc is not None and doc.code in codes]
        return any(t == stem or len(stem) >= 3 and t.startswith(stem) for title in titles for t in self._stems(title))

    def _stems(self, text: str) -> set[str]:
        return {self.lexical.stem(w) if self.lexical else w for w in words(text)}

    def study_authors(self) -> frozenset[str]:
        """The surnames the documents name studies by ("fine" of "Fine et al. (2021)"), in lower case."""
        return frozenset(study.split()[0] for study in self.by_study)

    def knows_code(self, code: str) -> bool:
        return code in self.by_code or bool(self.code_documents.summarising(code))

    def documents_with_code(self, code: str) -> list[Document]:
        """Documents that carry a code in a passage, or are about it (a CPT summary)."""
        ids = {self.passages[n].document for n in self.by_code.get(code, ())}
        ids |= set(self.code_documents.summarising(code))
        return [self.documents[doc_id] for doc_id in sorted(ids)]

    def term_weight(self, term: str) -> float:
        """Inverse document frequency of a word in the passages: rare words say more about what is asked."""
        if self.lexical is None:
            return 1.0
        import math

        total = len(self.lexical)
        df = self.lexical.document_frequency(self.lexical.stem(term))
        if not df:
            # A shortened word ("neg", "onc", "cryo") is as rare as the longer word it stands for, not rarer
            # than every word the documents use.
            df = max((self.frequency(w) for w in self.completions(term)), default=0)
        if not df:
            return math.log(total + 1)
        return max(0.1, math.log((total + 1) / (df + 0.5)))

    def code_list(self) -> list[str]:
        """Every code the documents carry (for reading a mistyped one)."""
        return sorted(set(self.by_code) | {d.code for d in self.documents.values() if d.code})

    def matchable(self, word: str) -> bool:
        """Whether a passage can say this word: a document uses it, or a longer word it begins (staff shorten
        words from the front: "lap", "chemo")."""
        if self.frequency(word):
            return True
        # "meds" begins no word, but its stem "med" begins "medications".
        stem = self.lexical.stem(word) if self.lexical else word
        return any(len(w) >= 3 and self.lexicon().begins(w) for w in {word, stem})

    def unheard_of(self, word: str) -> bool:
        """Whether a word names a condition or an operation ("fibroadenoma", "mastectomy") that no document
        speaks of in any form (as typed, shortened, mistyped, or with another ending: "radiologist" beside
        "radiology"): what it names the documents do not hold. A lay word, a drug or a typo unknown to the
        documents ("zapping", "drysol", "behavour") says nothing of the kind."""
        if not _CLINICAL_TERM.search(word) or word in english_words() or self.matchable(word):
            return False
        root = word[: max(MIN_TERM, len(word) - SUFFIX)]
        return not self.lexicon().begins(root) and self.spelled_like(word) is None

    def uses_in_text(self, word: str) -> int:
        """In how many passages outside reference lists a short word is used: a two-letter abbreviation a policy
        uses ("ct guidance") against one that only a citation's address holds ("San Francisco, CA"). The short
        words of every passage are counted in one pass, on first use (a pass per word asked cost a reading of
        every passage per new word)."""
        self.refresh()
        if len(word) > MAX_SHORT_WORD:
            return self.frequency(word)
        counts = self._text_uses
        if counts is None:
            counts = Counter()
            for p in list(self.passages.values()):  # (a copy: a refresh may refill the dict meanwhile)
                if not any(REFERENCE_HEADING.match(h) for h in p.section):
                    counts.update({w for w in words(p.text) if len(w) <= MAX_SHORT_WORD})
            self._text_uses = counts
        return counts[word]

    def frequency(self, word: str) -> int:
        """In how many passages a word (stemmed) occurs."""
        return self.lexical.document_frequency(self.lexical.stem(word)) if self.lexical else 0

    def nearest_meaning(self, text: str, choices: dict[str, str]) -> tuple[str, float]:
        """The choice whose description is nearest in meaning to the text (cosine of their embeddings), and how
        near: "is the pt awake or fully under?" is nearest "Is the patient awake, sedated or under general
        anesthesia?"."""
        import numpy as np

        key = (tuple(choices), tuple(choices.values()))
        with _CHOICES_LOCK:
            cache: OrderedDict = self.__dict__.setdefault("_choice_vectors", OrderedDict())
            if key in cache:
                cache.move_to_end(key)  # the least recently used goes first: the attributes' sentences stay
            else:
                if len(cache) >= MAX_CHOICE_SETS:
                    cache.popitem(last=False)
                cache[key] = np.array([self.dense.embed(c) for c in choices.values()])
            vectors = cache[key]
        vector = np.array(self.dense.embed(text))
        sims = vectors @ vector / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(vector))
        best = int(np.argmax(sims))
        return list(choices)[best], float(sims[best])

    def spelled_like(self, word: str) -> str | None:
        """The documents' word a mistyped one stands for ("cryoablaton" -> "cryoablation"), if one is close."""
        if self.lexical is None or len(word) < MIN_TYPO_LENGTH or word.lower() in english_words():
            return None  # "though" is a word of its own, not a misspelt "through"
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        # A word a keystroke away (one letter changed, added, dropped or swapped: "tumer", "kawamato"); else one
        # spelt much alike ("cryoablaton"). Typists rarely get a word's first letter wrong (the spelling-error
        # studies spell checkers build on: Pollock and Zamora 1983), and a word differing there is more often
        # another word: "redetermination" (an appeal) is not "predetermination".
        lowered = word.lower()
        known = [w for w in self.lexicon().words if w[:1] == lowered[:1]]
        near = process.extract(lowered, known, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=None)
        if near:
            # Of words equally near ("medicaly": "medically", "medical"), the one spelt most alike, then the
            # more used.
            from rapidfuzz import fuzz

            return max((choice for choice, _, _ in near), key=lambda w: (fuzz.ratio(lowered, w), self.frequency(w)))
        return close_match(lowered, known, cutoff=0.88)

    def defined_as(self, word: str) -> str | None:
        """The long form a document defines an acronym by ("Argon plasma coagulation (APC)"), however often
        the documents use either."""
        return self.lexicon().glossary.spelled_out(word)

    def spelled_out(self, word: str) -> str | None:
        """The long form the documents define for an acronym ("RFA" -> "radiofrequency ablation"), if any."""
        long = self.lexicon().glossary.spelled_out(word)
        if long is None:
            return None
        # Worth reading only where the documents mostly write the long form: "CPT" stands in hundreds of
        # passages that never spell out "current procedural terminology"; "RFA" is rarer than "radiofrequency".
        spelled = min((self.frequency(w) for w in words(long) if len(w) > 3), default=0)
        return long if spelled >= self.frequency(word) else None

    @property
    def payers(self) -> set[str]:
        return {d.payer.lower() for d in self.documents.values() if d.payer}

    # ---- citation lookup and reading -----------------------------------------------------
    def lookup(self, code: str) -> list[Passage]:
        """Every passage that mentions a code, in document order."""
        self.refresh()
        found = code_rules.find_in_query(code) or [code_rules.Code(code.strip().upper(), "text")]
        ids = {node_id for c in found for node_id in self.by_code.get(c.value, ())}
        return sorted((self.passages[i] for i in ids), key=lambda p: (p.document, p.ordinal))

    def saying(self, literal: str, documents: tuple[str, ...] = ()) -> list[Passage]:
        """Every passage (of the documents given, or of all) whose text holds a figure as printed ("2.61%")."""
        self.refresh()
        kept = set(documents)
        # (as a figure of its own: "6.2" is no part of "K86.2", "4.0" none of "G44.009")
        printed = re.compile(rf"(?<![\w.]){re.escape(literal)}(?![\w.]?\d)")
        found = [
            p
            for p in self.passages.values()
            if (not kept or p.document in kept) and literal in p.text and printed.search(p.text)
        ]
        return sorted(found, key=lambda p: (p.document, p.ordinal))

    def document_passages(self, doc_id: str) -> list[Passage]:
        self.refresh()
        return self._in_order(doc_id)

    def passage_at(self, doc_id: str, start: int, end: int) -> Passage | None:
        """The passage of a document that holds the source span [start, end) (a citation's quote)."""
        return next((p for p in self._in_order(doc_id) if p.start <= start and end <= p.end), None)
