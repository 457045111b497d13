"""Search primitives whose cost per question does not grow with the corpus (or grows as little as it can).

`Retriever` (retrieve.py) ranks; these only find candidates fast:

- `DenseSearch`: the question embedded once, then Chroma's HNSW index queried directly for ids and
  distances (no llama-index retriever, no node rebuilt from stored metadata for each hit).
- `LexicalSearch`: BM25 over the lexical segments, scored straight from bm25s's arrays. What is fixed per
  index is computed at load: the node ids, which entries are superseded (zeroed by index, not by
  multiplying every score with a mask built again from a Python list on each question).
- `CodeDocuments`: which documents are about a code (a CPT summary's code, a policy's number), a dict
  built once per index instead of a scan over every document for each question.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from .embeddings import backend_of, load_embedding_model
from .store import IndexDamaged, IndexStore, LexicalIndex, Manifest
from .types import Document

RECENT_QUESTIONS = 8  # question vectors kept: the searches of one question and a little more


class DenseSearch:
    """Nearest passages of a question in one Chroma collection, with llama-index's score (exp(-distance))."""

    def __init__(self, store: IndexStore, manifest: Manifest, embed_model=None):
        self.store = store
        if embed_model is None:
            backend = backend_of(manifest.embedding_model)
            if backend is None:
                raise IndexDamaged(
                    f"the index in {store.root}/ holds vectors of {manifest.embedding_model!r}, which this version "
                    "cannot make for questions: run `assistant ingest` to rebuild it"
                )
            embed_model = load_embedding_model(backend, store.settings.model_cache or None)
        self.embed_model = embed_model
        self._recent: dict[str, list[float]] = {}
        try:
            self.collection = store.collection(manifest.collection)
            self.count = self.collection.count()
        except Exception as exc:  # a Chroma server that is down, or a store it cannot open
            raise store.unavailable(exc) from exc

    def embed(self, question: str) -> list[float]:
        """The question's vector; the last few are kept, since answering one question searches several times."""
        if question in self._recent:
            return self._recent[question]
        if hasattr(self.embed_model, "embed_texts"):
            vector = self.embed_model.embed_texts([question])[0].tolist()
        else:
            vector = self.embed_model.get_query_embedding(question)
        if len(self._recent) >= RECENT_QUESTIONS:
            self._recent.pop(next(iter(self._recent)))
        self._recent[question] = vector
        return vector

    def query(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """`where` confines the search to passages whose metadata match (Chroma's filter: {"document": ...})."""
        try:
            found = self.collection.query(query_embeddings=[vector], n_results=k, include=["distances"], where=where)
        except Exception as exc:  # never a half-answer from lexical search alone: say the store is down
            raise self.store.unavailable(exc) from exc
        return [(node_id, math.exp(-d)) for node_id, d in zip(found["ids"][0], found["distances"][0])]

    def search(self, question: str, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        return self.query(self.embed(question), k, where)


class LexicalSearch:
    """BM25 top-k over the segments of a `LexicalIndex`, the same scores and order as llama-index's
    BM25Retriever gives (superseded entries score 0 and are left out)."""

    def __init__(self, lexical: LexicalIndex):
        self.segments = []
        for segment, ids in zip(lexical.segments, lexical.node_ids):
            mask = segment.corpus_weight_mask
            dead = np.flatnonzero(np.asarray(mask) == 0) if mask is not None else None
            self.segments.append((segment, ids, dead))

    def search(self, question: str, k: int) -> list[tuple[str, float]]:
        import bm25s
        from bm25s.selection import topk

        found: list[tuple[str, float]] = []
        tokens = None
        for segment, ids, dead in self.segments:
            if tokens is None:  # every segment is tokenised alike (one stemmer, one pattern)
                tokens = bm25s.tokenize(
                    question,
                    stemmer=None if segment.skip_stemming else segment.stemmer,
                    token_pattern=segment.token_pattern,
                    return_ids=False,
                    show_progress=False,
                )[0]
            scores = _bm25_scores(segment.bm25, tokens)
            if dead is not None:
                scores[dead] = 0.0
            values, rows = topk(scores, min(k, len(ids)), backend="numpy", sorted=True)
            found += [(ids[int(row)], float(value)) for row, value in zip(rows, values) if value]
        return sorted(found, key=lambda item: -item[1])[:k]


def _bm25_scores(bm25, tokens: list[str]) -> np.ndarray:
    """bm25s's get_scores, summing each token's postings with one vectorised add (a document occurs once in a
    token's postings, so this equals np.add.at, which is ~10x slower)."""
    scores = bm25.scores
    data, indices, indptr = scores["data"], scores["indices"], scores["indptr"]
    total = np.zeros(int(scores["num_docs"]), dtype=np.dtype(bm25.dtype))
    token_ids = [bm25.vocab_dict[t] for t in tokens if t in bm25.vocab_dict]
    for token in token_ids:
        start, end = indptr[token], indptr[token + 1]
        total[indices[start:end]] += data[start:end]
    if bm25.nonoccurrence_array is not None and token_ids:
        total += bm25.nonoccurrence_array[np.asarray(token_ids)].sum()
    return total


class CodeDocuments:
    """Documents about a code: a CPT summary by its code, a policy by its number."""

    def __init__(self, documents: dict[str, Document]):
        self.by_code: dict[str, list[str]] = defaultdict(list)  # a summary's code or a policy's number
        self.summaries: dict[str, list[str]] = defaultdict(list)  # a summary's code only
        for doc_id, doc in documents.items():
            for code in {doc.code, doc.policy_number}:
                if code:
                    self.by_code[code].append(doc_id)
            if doc.code:
                self.summaries[doc.code].append(doc_id)

    def about(self, codes: set[str]) -> list[str]:
        """Ids of the documents about any of `codes`, each once."""
        return list(dict.fromkeys(doc_id for code in sorted(codes) for doc_id in self.by_code.get(code, ())))

    def summarising(self, code: str) -> list[str]:
        """Ids of the documents about `code` itself (its CPT summary), not a policy numbered so."""
        return self.summaries.get(code, [])
