"""The on-disk index: a manifest, the Chroma vectors, and the lexical (BM25) index.

The manifest is the single source of truth and is replaced atomically, so a
reader always sees one complete generation: passages written by an ingest that
has not finished (or was killed) are invisible until its manifest lands, and
the previous generation's passages are only deleted after that.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

from .config import Settings
from .corpus import SECTION_SEPARATOR, Document, Passage

MANIFEST = "manifest.json"
# Bump when parsing or node layout changes: every document is then re-parsed and re-embedded.
FORMAT_VERSION = 2
_NOT_EMBEDDED = ["document", "kind", "codes", "start", "end", "ordinal", "truncated", "boilerplate", "doc_sha",
                 "doc_kind", "document_id", "sentences"]


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
    lexical: str
    embedding_model: str
    format_version: int = FORMAT_VERSION
    documents: dict[str, dict] = field(default_factory=dict)  # id -> Document fields + "passages"
    skipped: list[dict] = field(default_factory=list)  # {"source", "reason"}

    def document(self, doc_id: str) -> Document | None:
        data = self.documents.get(doc_id)
        if data is None:
            return None
        return Document(**{k: v for k, v in data.items() if k != "passages"})

    @property
    def passage_count(self) -> int:
        return sum(d.get("passages", 0) for d in self.documents.values())


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
            raise IndexDamaged(f"the index in {self.root}/ is damaged ({exc}): "
                               "run `assistant ingest --rebuild`") from None
        if not (self.root / manifest.lexical).is_dir() and manifest.documents:
            raise IndexDamaged(f"the index in {self.root}/ is missing its lexical index: "
                               "run `assistant ingest --rebuild`")
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
        return IndexUnavailable(f"{self.vector_location} does not answer ({type(exc).__name__}); "
                                "try again in a moment" + (", and check that `chroma run` is up"
                                                           if self.settings.chroma_host else ""))

    def client(self):
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if self.settings.chroma_host:
                self._client = chromadb.HttpClient(host=self.settings.chroma_host, port=self.settings.chroma_port,
                                                   settings=chroma_settings)
            else:
                self.root.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.root / "chroma"), settings=chroma_settings)
        return self._client

    def collection(self, name: str):
        # Embeddings are always supplied by us: Chroma's default embedding function would download a model.
        return self.client().get_or_create_collection(name, embedding_function=None,
                                                      metadata={"hnsw:space": "cosine"})

    def vector_store(self, name: str):
        from llama_index.vector_stores.chroma import ChromaVectorStore

        return ChromaVectorStore(chroma_collection=self.collection(name))

    def drop_collection(self, name: str) -> None:
        try:
            self.client().delete_collection(name)
        except Exception:  # already gone: nothing to drop
            pass

    # ---- lexical -----------------------------------------------------------------------
    def lexical_path(self, name: str) -> Path:
        return self.root / name

    def remove_stale_lexical(self, keep: str) -> None:
        for path in self.root.glob("lexical-*"):
            if path.name != keep:
                shutil.rmtree(path, ignore_errors=True)


def load_lexical(path: Path):
    from llama_index.retrievers.bm25 import BM25Retriever

    return BM25Retriever.from_persist_dir(str(path))


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
        },
        excluded_embed_metadata_keys=_NOT_EMBEDDED,
        excluded_llm_metadata_keys=_NOT_EMBEDDED,
    )
    node.relationships[NodeRelationship.SOURCE] = RelatedNodeInfo(node_id=document.id)
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
    )
