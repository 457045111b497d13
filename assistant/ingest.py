"""Incremental, crash-safe ingestion of the corpus into the index.

Order of work, so that a kill at any point leaves the previous index usable:
embed and add the passages of new or changed documents (new node ids), write
their lexical segment (or, now and then, one segment of everything) in a fresh
folder, replace the manifest atomically, and only then delete what the old
generation owned. Unchanged files are read and hashed, never parsed again.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from itertools import chain, islice
from pathlib import Path

from llama_index.core.vector_stores.utils import metadata_dict_to_node
from tqdm import tqdm

from .config import Settings
from .corpus import BadFile, ParsedDocument, corpus_files, file_digest, parse_source, read_source
from .embeddings import embedding_name, load_embedding_model
from .store import FoldingStemmer, IndexDamaged, IndexMissing, IndexStore, Manifest, lexical_node, passage_node

EMBED_BATCH = 2048  # passages embedded, then handed to the Chroma writer, at once
WRITE_BATCH = 4096  # vectors per Chroma add (the embedded store takes at most 5,461 at once)
MAX_SEGMENTS = 8
MAX_STORED_SHARE = 1.25  # stored lexical entries (live and superseded) per live passage before a rebuild


class IngestBusy(RuntimeError):
    pass


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # {"source", "reason"}
    passages: int = 0
    embedded: int = 0
    seconds: float = 0.0
    rebuilt: bool = False

    def summary(self) -> str:
        docs = len(self.added) + len(self.changed) + len(self.unchanged)
        line = (
            f"ingest: {docs} documents ({len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged), {len(self.skipped)} skipped; "
            f"{self.passages} passages, {self.embedded} embedded; {self.seconds:.1f} s"
        )
        for skip in self.skipped:
            line += f"\n  skipped {skip['source']}: {skip['reason']}"
        return line


@contextmanager
def _ingest_lock(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".ingest.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestBusy(f"another ingest is already writing {root}/; wait for it to finish") from None
        yield


def ingest(settings: Settings, rebuild: bool = False, embed_model=None, progress: bool = True) -> IngestReport:
    started = time.perf_counter()
    store = IndexStore(settings)
    corpus = Path(settings.corpus_dir)
    if not corpus.is_dir():
        raise FileNotFoundError(f"corpus folder {corpus}/ does not exist")
    with _ingest_lock(store.root):
        # Present at start only when an earlier ingest died: then its stray vectors are swept at the end.
        unfinished = store.root / ".ingest-unfinished"
        interrupted = unfinished.exists()
        unfinished.touch()
        report = IngestReport(rebuilt=rebuild)
        old = None if rebuild else _previous_manifest(store, report, embedding_name(settings.embedding_backend))
        old_docs = old.documents if old else {}
        parsed, unchanged = _parse_corpus(corpus, settings.max_file_bytes, report, progress, old_docs)

        fresh = list(parsed.values())
        for doc_id in parsed:
            (report.changed if doc_id in old_docs else report.added).append(doc_id)
        report.unchanged = sorted(unchanged)
        report.removed = sorted(set(old_docs) - set(parsed) - set(unchanged))

        generation = (old.generation + 1) if old else _next_generation(store)
        collection = old.collection if old else f"passages-{generation}"
        vector_store = store.vector_store(collection)
        new_nodes = Replayable(lambda: _nodes_from(fresh), sum(len(d.passages) for d in fresh))
        embed_model = embed_model or load_embedding_model(settings.embedding_backend, settings.model_cache or None)
        report.embedded = _embed_and_add(new_nodes, vector_store, embed_model, progress)

        manifest = Manifest(
            generation=generation,
            collection=collection,
            lexical=[],
            embedding_model=embedding_name(settings.embedding_backend),
            documents=dict(
                sorted(
                    (
                        {
                            doc_id: asdict(doc.document) | {"passages": len(doc.passages)}
                            for doc_id, doc in parsed.items()
                        }
                        | unchanged
                    ).items()
                )
            ),
            skipped=report.skipped,
        )
        segment = f"lexical-{generation}"
        if old and _fits_a_segment(old, len(new_nodes), manifest.passage_count):
            manifest.lexical, manifest.lexical_entries = list(old.lexical), dict(old.lexical_entries)
            nodes = new_nodes  # only the new and changed documents; older segments keep the rest
        else:  # one segment of everything
            kept = _entries_of(store, old, set(report.unchanged)) if old else []
            nodes = Replayable(lambda: chain(map(metadata_dict_to_node, kept), new_nodes), len(kept) + len(new_nodes))
        if nodes:
            _write_lexical(store, segment, nodes)
            manifest.lexical.append(segment)
            manifest.lexical_entries[segment] = len(nodes)
        store.write_manifest(manifest)

        _delete_superseded(store, manifest, old, report, sweep=interrupted or old is None)
        unfinished.unlink()
        report.passages = manifest.passage_count
        report.seconds = time.perf_counter() - started
        return report


def _fits_a_segment(old: Manifest, new_entries: int, live: int) -> bool:
    """Add the changes as one more lexical segment, or rebuild one segment from all? Rebuild when the
    segments would hold many superseded entries or be many: both slow queries and skew BM25 statistics."""
    stored = sum(old.lexical_entries.values()) + new_entries
    return len(old.lexical) < MAX_SEGMENTS and stored <= MAX_STORED_SHARE * max(live, 1)


def _previous_manifest(store: IndexStore, report: IngestReport, vectors: str) -> Manifest | None:
    try:
        old = store.read_manifest()
    except IndexMissing:
        return None
    except IndexDamaged:
        report.rebuilt = True  # nothing trustworthy to build on: start a fresh generation
        return None
    if old.embedding_model != vectors:  # other vectors: rebuild, never mix (an older format: read_manifest)
        report.rebuilt = True
        return None
    return old


def _next_generation(store: IndexStore) -> int:
    try:
        return store.read_manifest().generation + 1
    except IndexMissing:
        return 1
    except IndexDamaged:
        return int(time.time())  # unique, and never reuses a half-written collection name


def _parse_corpus(
    corpus: Path, max_bytes: int, report: IngestReport, progress: bool, known: dict[str, dict]
) -> tuple[dict[str, ParsedDocument], dict[str, dict]]:
    """(new or changed documents, parsed; unchanged ones, as their manifest entries, not parsed again)."""
    parsed: dict[str, ParsedDocument] = {}
    unchanged: dict[str, dict] = {}
    by_hash: dict[str, str] = {}
    sources: dict[str, str] = {}
    for path in tqdm(corpus_files(corpus), desc="read", unit="doc", disable=not progress, leave=False):
        source = str(path.relative_to(corpus))
        doc_id = path.stem
        try:
            sha = file_digest(path, max_bytes)
            if sha in by_hash:
                raise BadFile(f"duplicate of {by_hash[sha]}")
            if doc_id in sources:
                raise BadFile(f"document id {doc_id} already taken by {sources[doc_id]}")
            before = known.get(doc_id)
            if before is not None and before["sha256"] == sha and before.get("source") == source:
                unchanged[doc_id] = before
            else:
                doc = parse_source(doc_id, read_source(path, max_bytes), source_name=source)
                if not doc.passages:
                    raise BadFile("no text passages found")
                parsed[doc_id] = doc
        except BadFile as exc:
            report.skipped.append({"source": source, "reason": str(exc)})
            continue
        except Exception as exc:  # a parser bug must not cost the rest of the corpus
            report.skipped.append({"source": source, "reason": f"could not be parsed ({type(exc).__name__}: {exc})"})
            continue
        by_hash[sha] = doc_id
        sources[doc_id] = source
    return parsed, unchanged


class Replayable:
    """Nodes made afresh on every pass over them. Embedding and BM25Retriever (which walks its input twice)
    then never hold all TextNodes at once: at 100k passages they alone cost ~0.5 GB."""

    def __init__(self, make: Callable[[], Iterator], count: int):
        self._make, self._count = make, count

    def __iter__(self) -> Iterator:
        return iter(self._make())

    def __len__(self) -> int:
        return self._count


def _nodes_from(docs: list[ParsedDocument]) -> Iterator:
    return (passage_node(p, d.document) for d in docs for p in d.passages)


def _embed_and_add(nodes: Replayable, vector_store, embed_model, progress: bool) -> int:
    """Embed the passages a window at a time and add them to Chroma; the writes of one window run in a thread
    while the next window is embedded. Chroma keeps only what search and deletion need (id, vector,
    document, doc_sha): text and metadata live in the manifest and the lexical index."""
    if not nodes:
        return 0
    stream = iter(nodes)
    bar = tqdm(total=len(nodes), desc="embed", unit="passage", disable=not progress)
    with _ChromaWriter(vector_store.client) as writer, bar:
        while batch := list(islice(stream, EMBED_BATCH)):
            writer.add(batch, _vectors(embed_model, batch))
            _release_freed_memory()
            bar.update(len(batch))
    return len(nodes)


def _vectors(embed_model, nodes: list):
    """Vectors of a window of nodes (float32 rows): the fast path for our ONNX model, else any llama-index
    transform that fills node.embedding (the torch model, a test's wrapper)."""
    import numpy as np
    from llama_index.core.schema import MetadataMode

    if hasattr(embed_model, "embed_texts"):
        return embed_model.embed_texts([n.get_content(metadata_mode=MetadataMode.EMBED) for n in nodes])
    return np.asarray([n.embedding for n in embed_model(nodes)], dtype=np.float32)


class _ChromaWriter:
    """Adds (node, vector) rows to a Chroma collection in large batches, from one background thread."""

    def __init__(self, collection):
        import queue

        self.collection = collection
        self.queue: queue.Queue = queue.Queue(maxsize=2)  # bounded: embedding never runs far ahead of writing
        self.pending: tuple[list, list, list] = ([], [], [])
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="chroma-writer", daemon=True)

    def __enter__(self) -> _ChromaWriter:
        self.thread.start()
        return self

    def add(self, nodes: list, vectors) -> None:
        ids, embeddings, metadatas = self.pending
        for node, vector in zip(nodes, vectors):
            ids.append(node.node_id)
            embeddings.append(vector)
            metadatas.append({"document": node.metadata["document"], "doc_sha": node.metadata["doc_sha"]})
        if len(ids) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.error is not None:
            raise self.error
        if self.pending[0]:
            self.queue.put(self.pending)
        self.pending = ([], [], [])

    def _run(self) -> None:
        import numpy as np

        while (item := self.queue.get()) is not None:
            if self.error is None:
                ids, embeddings, metadatas = item
                try:
                    self.collection.add(ids=ids, embeddings=np.asarray(embeddings), metadatas=metadatas)
                except BaseException as exc:  # raised again in the ingest's thread
                    self.error = exc

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self._flush()
        finally:
            self.queue.put(None)
            self.thread.join()
        if exc_type is None and self.error is not None:
            raise self.error


def _release_freed_memory() -> None:
    """Hand the model's freed activations back to the system: glibc otherwise keeps its heap at its high-water
    mark and RSS creeps up by hundreds of MB over a large ingest (measured; costs nothing in speed)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(None).malloc_trim(0)


def _entries_of(store: IndexStore, manifest: Manifest, doc_ids: set[str]) -> list[dict]:
    """Stored entries of unchanged documents, from the previous lexical index (no re-embedding)."""
    if not doc_ids:
        return []
    return [entry for entry in store.lexical(manifest).live_entries if entry.get("document") in doc_ids]


def _write_lexical(store: IndexStore, name: str, nodes: Replayable) -> None:
    import shutil

    from llama_index.retrievers.bm25 import BM25Retriever

    target = store.lexical_path(name)
    shutil.rmtree(target, ignore_errors=True)
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    BM25Retriever.from_defaults(
        nodes=Replayable(lambda: map(lexical_node, nodes), len(nodes)),  # type: ignore[arg-type]  # walked only
        similarity_top_k=min(20, len(nodes)),
        stemmer=FoldingStemmer(),  # PyStemmer's two methods, on unaccented words
    ).persist(str(staging), show_progress=False)
    staging.rename(target)


def _delete_superseded(
    store: IndexStore, manifest: Manifest, old: Manifest | None, report: IngestReport, sweep: bool
) -> None:
    collection = store.collection(manifest.collection)
    # Every live passage's vector is in the collection: as many vectors as live passages means none is
    # superseded or stray, and one delete query per document (10k of them after a full ingest) is saved.
    superseded = collection.count() != manifest.passage_count
    for doc_id in report.changed + report.added if superseded else []:
        sha = manifest.documents[doc_id]["sha256"]
        collection.delete(where={"$and": [{"document": doc_id}, {"doc_sha": {"$ne": sha}}]})
    for doc_id in report.removed if superseded else []:
        collection.delete(where={"document": doc_id})
    if sweep and superseded:  # leftovers of a killed ingest that added documents since deleted from the corpus
        if manifest.documents:
            stray = collection.get(where={"document": {"$nin": sorted(manifest.documents)}}, include=[])
        else:
            stray = collection.get(include=[])
        if stray["ids"]:
            collection.delete(ids=stray["ids"])
    if old is None:
        for other in store.client().list_collections():
            name = getattr(other, "name", other)
            if name.startswith("passages-") and name != manifest.collection:
                store.drop_collection(name)
    store.remove_stale_lexical(keep=manifest.lexical)
