"""The on-disk index: a manifest, the Chroma vectors, and the lexical (BM25) index.

The manifest is the single source of truth and is replaced atomically, so a
reader always sees one complete generation: passages written by an ingest that
has not finished (or was killed) are invisible until its manifest lands, and
the previous generation's passages are only deleted after that.

The lexical index is a list of segments, like a search engine's: the base one and
one per later ingest that changed documents. Entries of documents changed or removed
since a segment was written are masked out on load (the manifest says which version
of each document is live), so one changed policy costs a small segment, not a rebuild.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from .config import Settings
from .text import without_accents
from .types import SECTION_SEPARATOR, Document, Passage

MANIFEST = "manifest.json"
# Bump when parsing or node layout changes: every document is then re-parsed and re-embedded.
FORMAT_VERSION = 100
_NOT_EMBEDDED = [
    "document",
    "kind",
    "codes",
    "start",
    "end",
    "ordinal",
    "truncated",
    "boilerplate",
    "doc_sha",
    "doc_kind",
    "document_id",
    "sentences",
    "decision",
    "about",
]


class IndexProblem(RuntimeError):
    """The index cannot answer; the message says why and what to do, in words for the user."""


class IndexMissing(IndexProblem):
    pass


class IndexDamaged(IndexProblem):
    pass


class IndexUnavailable(IndexProblem):
    """The vector store (a `chroma run` server) does not answer; it may come back."""


@dataclass
class Manifest:
    generation: int
    collection: str
    lexical: list[str]  # segment folders, oldest first
    embedding_model: str
    format_version: int = FORMAT_VERSION
    documents: dict[str, dict] = field(default_factory=dict)  # id -> Document fields + "passages"
    skipped: list[dict] = field(default_factory=list)  # {"source", "reason"}
    lexical_entries: dict[str, int] = field(default_factory=dict)  # segment -> entries in it, live or not

    def document(self, doc_id: str) -> Document | None:
        data = self.documents.get(doc_id)
        if data is None:
            return None
        return Document(**{k: v for k, v in data.items() if k != "passages"})

    @property
    def passage_count(self) -> int:
        return sum(d.get("passages", 0) for d in self.documents.values())

    def is_live(self, entry: dict) -> bool:
        """Is a stored passage (its metadata) of the current version of a current document?"""
        doc = self.documents.get(entry.get("document") or "")
        return doc is not None and doc["sha256"] == entry.get("doc_sha")


class IndexStore:
    """Paths and handles of one index folder (and, optionally, a Chroma server)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = Path(settings.index_dir)
        self._client = None

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def manifest_stamp(self) -> float | None:
        try:
            return self.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def read_manifest(self) -> Manifest:
        if not self.manifest_path.exists():
            raise IndexMissing(f"no index in {self.root}/: run `assistant ingest` to build it")
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            manifest = Manifest(**data)
        except (json.JSONDecodeError, TypeError, UnicodeDecodeError) as exc:
            raise IndexDamaged(
                f"the index in {self.root}/ is damaged ({exc}): run `assistant ingest --rebuild`"
            ) from None
        # Checked first: an older layout (format 2 named one lexical folder, not a list) is not damage.
        if manifest.format_version != FORMAT_VERSION:
            raise IndexDamaged(
                f"the index in {self.root}/ was built by an older version of the assistant "
                f"(index format {manifest.format_version}, this version reads {FORMAT_VERSION}): "
                "run `assistant ingest` to rebuild it"
            )
        if manifest.documents and not all((self.root / name).is_dir() for name in manifest.lexical):
            raise IndexDamaged(
                f"the index in {self.root}/ is missing its lexical index: run `assistant ingest --rebuild`"
            )
        return manifest

    def write_manifest(self, manifest: Manifest) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".manifest-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(manifest), f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.manifest_path)

    # ---- Chroma -----------------------------------------------------------------------
    @property
    def vector_location(self) -> str:
        if self.settings.chroma_host:
            return f"the Chroma server at {self.settings.chroma_host}:{self.settings.chroma_port}"
        return f"the vector store in {self.root / 'chroma'}/"

    def unavailable(self, exc: Exception) -> IndexUnavailable:
        return IndexUnavailable(
            f"{self.vector_location} does not answer ({type(exc).__name__}); "
            "try again in a moment" + (", and check that `chroma run` is up" if self.settings.chroma_host else "")
        )

    def client(self):
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if self.settings.chroma_host:
                self._client = chromadb.HttpClient(
                    host=self.settings.chroma_host, port=self.settings.chroma_port, settings=chroma_settings
                )
            else:
                self.root.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.root / "chroma"), settings=chroma_settings)
        return self._client

    def collection(self, name: str):
        # Embeddings are always supplied by us: Chroma's default embedding function would download a model.
        return self.client().get_or_create_collection(name, embedding_function=None, metadata={"hnsw:space": "cosine"})

    def vector_store(self, name: str):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.collection(name))

    def drop_collection(self, name: str) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to drop
            self.client().delete_collection(name)

    # ---- lexical -----------------------------------------------------------------------
    def lexical_path(self, name: str) -> Path:
        return self.root / name

    def remove_stale_lexical(self, keep: list[str]) -> None:
        for path in self.root.glob("lexical-*"):
            if path.name not in keep:
                shutil.rmtree(path, ignore_errors=True)

    def lexical(self, manifest: Manifest) -> LexicalIndex:
        return LexicalIndex([load_lexical(self.lexical_path(name)) for name in manifest.lexical], manifest.is_live)


def load_lexical(path: Path):
    """A lexical segment: its BM25 arrays in memory, its stored corpus (every passage's metadata) left on disk
    and read a line at a time when walked (`StreamedCorpus`): at a million passages, holding it costs ~4 GB."""
    import bm25s
    from llama_index.retrievers.bm25 import BM25Retriever

    bm25 = bm25s.BM25.load(str(path), load_corpus=False)
    arguments = json.loads((path / "retriever.json").read_text(encoding="utf-8"))
    segment = BM25Retriever(existing_bm25=bm25, stemmer=FoldingStemmer(), **arguments)
    segment.corpus = bm25.corpus = StreamedCorpus(path / "corpus.jsonl", int(bm25.scores["num_docs"]))
    return segment


class StreamedCorpus:
    """The stored entries of a lexical segment, parsed from its JSON-lines file on each pass over them (and by
    line offset for a lookup by position), never all held at once."""

    def __init__(self, path: Path, count: int):
        self.path, self.count = path, count
        self._offsets: list[int] | None = None

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        with open(self.path, "rb") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)

    def __getitem__(self, index: int) -> dict:
        if self._offsets is None:
            offsets, position = [], 0
            with open(self.path, "rb") as f:
                for line in f:
                    if line.strip():
                        offsets.append(position)
                    position += len(line)
            self._offsets = offsets
        with open(self.path, "rb") as f:
            f.seek(self._offsets[index])
            return json.loads(f.readline())


class LexicalIndex:
    """BM25 over the segments of one generation, with superseded entries masked out."""

    def __init__(self, segments: list, is_live):
        self.segments = segments
        self.node_ids: list[list[str]] = []  # per segment, by BM25 row
        self._masks: list[list[int]] = []
        for segment in segments:
            ids, mask = [], []
            for entry in segment.corpus:
                ids.append(entry["node_id"])
                mask.append(int(is_live(entry)))
            # bm25s scores masked entries 0; they can still fill a short list, so callers check liveness too.
            segment.corpus_weight_mask = mask if not all(mask) else None
            self.node_ids.append(ids)
            self._masks.append(mask)
        self._count = sum(map(sum, self._masks))

    @property
    def live_entries(self) -> Iterator[dict]:
        """The stored entries of live passages, read afresh from the segments' files on each pass."""
        for segment, mask in zip(self.segments, self._masks):
            for entry, keep in zip(segment.corpus, mask):
                if keep:
                    yield entry

    def __len__(self) -> int:
        return self._count

    def retrieve(self, question: str, k: int) -> list[tuple[str, float]]:
        """(node id, BM25 score) of the best k entries over all segments."""
        found = []
        for segment in self.segments:
            segment.similarity_top_k = min(k, len(segment.corpus))
            found += [(n.node.node_id, n.score or 0.0) for n in segment.retrieve(question) if n.score]
        return sorted(found, key=lambda item: -item[1])[:k]

    def stem(self, word: str) -> str:
        return self.segments[0].stemmer.stemWord(word.lower()) if self.segments else word.lower()

    def vocabulary(self) -> set[str]:
        return {token for segment in self.segments for token in segment.bm25.vocab_dict}

    def document_frequency(self, stem: str) -> int:
        """In how many stored passages a stemmed word occurs (superseded ones included: a close estimate)."""
        total = 0
        for segment in self.segments:
            token = segment.bm25.vocab_dict.get(stem)
            if token is not None:
                indptr = segment.bm25.scores["indptr"]
                total += int(indptr[token + 1] - indptr[token])
        return total


def passage_node(passage: Passage, document: Document) -> TextNode:
    """A passage as a llama-index node: the quote is the text; title, section and table header ride along."""
    node = TextNode(
        id_=f"{document.id}#{document.sha256[:12]}#{passage.ordinal}",
        text=passage.text,
        metadata={
            "title": document.title,
            "section": passage.section_path,
            "header": passage.header,
            "subject": passage.lead,  # embedded and indexed: a later chunk of a study is found by its study
            "payer": document.payer or "",
            "document": document.id,
            "kind": passage.kind,
            "codes": " " + " ".join(passage.codes) + " ",
            "start": passage.start,
            "end": passage.end,
            "ordinal": passage.ordinal,
            "truncated": passage.truncated,
            "boilerplate": passage.boilerplate,
            "doc_sha": document.sha256,
            "doc_kind": document.kind,
            "sentences": json.dumps(passage.sentences),
            "decision": passage.decision,
            "about": passage.about,
        },
        excluded_embed_metadata_keys=_NOT_EMBEDDED,
        excluded_llm_metadata_keys=_NOT_EMBEDDED,
    )
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=document.id)
    return node


class FoldingStemmer:
    """The English stemmer BM25 uses, on words with their accents taken off, so that "rezum" finds "Rezūm". Both
    sides of the search go through it: the index as it is written and every question."""

    def __init__(self) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("english")

    def stemWord(self, word: str) -> str:  # noqa: N802  (PyStemmer's names, which bm25s calls)
        return self._stemmer.stemWord(without_accents(word))

    def stemWords(self, words: list[str]) -> list[str]:  # noqa: N802
        return self._stemmer.stemWords([without_accents(w) for w in words])


def lexical_node(node: TextNode) -> TextNode:
    """A node as BM25 reads it: metadata values without their key names. "payer: " and "title: " in every
    passage would make those words look common to BM25 and to the word weights, and a question about
    "payers" would lose its subject. (The embedded text keeps the names: they help the dense model, +2.7
    points hit@k on the payers suite.)"""
    node.metadata_template = "{value}"
    return node


def node_passage(node) -> Passage:
    m = node.metadata
    return Passage(
        document=m["document"],
        ordinal=int(m["ordinal"]),
        section=tuple(m["section"].split(SECTION_SEPARATOR)),
        text=node.get_content(),
        start=int(m["start"]),
        end=int(m["end"]),
        kind=m["kind"],
        header=m.get("header", ""),
        codes=tuple(m.get("codes", "").split()),
        truncated=bool(m.get("truncated", False)),
        lead=m.get("subject", ""),
        boilerplate=bool(m.get("boilerplate", False)),
        sentences=tuple(tuple(s) for s in json.loads(m.get("sentences", "[]"))),
        decision=m.get("decision", ""),
        about=m.get("about", ""),
    )
