"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused, with exact identifiers on top.

Billing questions hinge on identifiers (0581T, C78.7, modifier 74), which
embeddings blur, so a passage that carries a code named in the question, or a
document about that code, outranks anything that is merely similar.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field

from . import codes as code_rules
from .config import Settings
from .corpus import Document, Passage
from .parsing import payers_named
from .store import IndexStore, Manifest, load_lexical, node_passage

FETCH = 40  # candidates from each retriever before fusion
CODE_BOOST = 1.0  # larger than any fused score: an exact identifier wins
PAYER_BOOST = 0.02
# Words that say which kind of document a question is about.
KIND_HINTS = {"coverage-policy": re.compile(r"\b(polic(y|ies)|cover(ed|s|age)?|medically necessary)\b", re.I),
              "cpt-summary": re.compile(r"\b(summary|summaries)\b", re.I)}


@dataclass
class Filters:
    documents: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    payers: tuple[str, ...] = ()

    def allows(self, passage: Passage, document: Document) -> bool:
        return ((not self.documents or passage.document in self.documents)
                and (not self.kinds or document.kind in self.kinds)
                and (not self.payers or (document.payer or "").lower() in {p.lower() for p in self.payers}))


@dataclass
class Hit:
    passage: Passage
    document: Document
    score: float
    via: set[str] = field(default_factory=set)  # dense | lexical | code


class Retriever:
    """Reads one generation of the index; reloads itself when an ingest publishes a new one."""

    def __init__(self, settings: Settings, embed_model=None):
        self.settings = settings
        self.store = IndexStore(settings)
        self._embed_model = embed_model
        self._lock = threading.Lock()
        self._stamp = None
        self._load()

    # ---- loading -------------------------------------------------------------------------
    def _load(self) -> None:
        from llama_index.core import VectorStoreIndex

        from .embeddings import load_embedding_model

        manifest = self.store.read_manifest()
        self.manifest: Manifest = manifest
        self.documents = {doc_id: manifest.document(doc_id) for doc_id in manifest.documents}
        self.passages: dict[str, Passage] = {}
        self.by_code: dict[str, list[str]] = defaultdict(list)
        self.by_document: dict[str, list[str]] = defaultdict(list)
        self.lexical = None
        self._vocab_words = None
        if manifest.documents:
            from llama_index.core.vector_stores.utils import metadata_dict_to_node

            self.lexical = load_lexical(self.store.lexical_path(manifest.lexical))
            self.lexical.similarity_top_k = min(FETCH, len(self.lexical.corpus))
            for entry in self.lexical.corpus:
                node = metadata_dict_to_node(entry)
                passage = node_passage(node)
                self.passages[node.node_id] = passage
                self.by_document[passage.document].append(node.node_id)
                for code in passage.codes:
                    self.by_code[code].append(node.node_id)
        embed_model = self._embed_model or load_embedding_model()
        index = VectorStoreIndex.from_vector_store(self.store.vector_store(manifest.collection),
                                                   embed_model=embed_model)
        self.dense = index.as_retriever(similarity_top_k=FETCH)
        self._stamp = self.store.manifest_stamp()

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
        for name, ranked in (("dense", self._dense(question)), ("lexical", self._lexical(question))):
            for rank, node_id in enumerate(ranked):
                scores[node_id] += 1.0 / (60.0 + rank)  # reciprocal rank fusion
                via[node_id].add(name)
        for node_id in self._code_matches(question):
            scores[node_id] += CODE_BOOST
            via[node_id].add("code")
        payers = {p.lower() for p in payers_named(question)}
        kinds = {kind for kind, hint in KIND_HINTS.items() if hint.search(question)}
        hits = []
        for node_id, score in scores.items():
            passage = self.passages.get(node_id)
            if passage is None:
                continue  # not in the published generation (an unfinished or superseded ingest)
            document = self.documents[passage.document]
            if not filters.allows(passage, document):
                continue
            if document.payer and document.payer.lower() in payers:
                score += PAYER_BOOST
            if document.kind in kinds:
                score += PAYER_BOOST
            hits.append(Hit(passage, document, score, via[node_id]))
        hits.sort(key=lambda h: (-h.score, h.passage.document, h.passage.ordinal))
        return hits[:k]

    def _dense(self, question: str) -> list[str]:
        return [n.node.node_id for n in self.dense.retrieve(question)]

    def _lexical(self, question: str) -> list[str]:
        if self.lexical is None:
            return []
        return [n.node.node_id for n in self.lexical.retrieve(question)]

    def _code_matches(self, question: str) -> list[str]:
        """Passages that carry a code named in the question, ranked within by how many they carry.

        A document about the code (a CPT summary) counts too, but below a passage naming the code itself,
        and only when the question names nothing more specific that its passages carry.
        """
        wanted = [c.value for c in code_rules.find_in_query(question)]
        if not wanted:
            return []
        direct: dict[str, int] = defaultdict(int)
        for code in wanted:
            for node_id in self.by_code.get(code, ()):
                direct[node_id] += 1
        about = {doc_id for doc_id, doc in self.documents.items() if doc.code in wanted}
        matches = list(direct)
        for doc_id in about:
            matches.extend(n for n in self.by_document[doc_id] if n not in direct)
        return matches

    # ---- what the index knows -----------------------------------------------------------------
    def knows_code(self, code: str) -> bool:
        return code in self.by_code or any(d.code == code for d in self.documents.values())

    def knows_term(self, term: str) -> bool:
        """Is a word (or a near spelling of it) in the corpus vocabulary? Digits-bearing tokens count as known."""
        if any(ch.isdigit() for ch in term):
            return True
        if self.lexical is None:
            return False
        from bm25s.stopwords import STOPWORDS_EN

        from .evidence import close_match

        vocab = self.lexical.bm25.vocab_dict
        stem = self.lexical.stemmer.stemWord(term.lower())
        if term.lower() in STOPWORDS_EN or stem in vocab:
            return True
        if self._vocab_words is None:
            self._vocab_words = [w for w in vocab if not any(ch.isdigit() for ch in w)]
        return close_match(stem, self._vocab_words) is not None

    def term_weight(self, term: str) -> float:
        """Inverse document frequency of a word in the passages: rare words say more about what is asked."""
        if self.lexical is None:
            return 1.0
        import math

        bm25 = self.lexical.bm25
        token = bm25.vocab_dict.get(self.lexical.stemmer.stemWord(term.lower()))
        total = len(self.lexical.corpus)
        if token is None:
            return math.log(total + 1)
        indptr = bm25.scores["indptr"]
        df = int(indptr[token + 1] - indptr[token])
        return max(0.1, math.log((total + 1) / (df + 0.5)))

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

    def document_passages(self, doc_id: str) -> list[Passage]:
        self.refresh()
        return sorted((self.passages[i] for i in self.by_document.get(doc_id, ())), key=lambda p: p.ordinal)
