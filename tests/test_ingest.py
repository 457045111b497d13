"""Ingest against the real embedding model and a real Chroma store."""

import shutil
import subprocess
import sys
import textwrap

import pytest

from assistant.config import Settings
from assistant.embeddings import load_embedding_model
from assistant.ingest import ingest
from assistant.retrieve import Retriever

from .conftest import CORPUS


class CountingEmbedding:
    """Wraps the real model; counts the passages it is asked to embed."""

    def __init__(self):
        self.model = load_embedding_model()
        self.count = 0

    def __call__(self, nodes, **kwargs):
        self.count += len(nodes)
        return self.model(nodes, **kwargs)


@pytest.fixture
def workspace(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(CORPUS.glob("cpt-*.txt"))[:2]:
        shutil.copy(f, corpus / f.name)
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "index", backend="none")


def _ingest(settings, **kw):
    from llama_index.core.schema import TransformComponent

    counter = CountingEmbedding()

    class Wrapped(TransformComponent):
        def __call__(self, nodes, **kwargs):
            return counter(nodes, **kwargs)

    report = ingest(settings, embed_model=Wrapped(), progress=False, **kw)
    return report, counter.count


def test_incremental_ingest_embeds_only_what_changed(workspace):
    first, embedded = _ingest(workspace)
    assert len(first.added) == 2 and embedded == first.passages > 0

    again, embedded = _ingest(workspace)
    assert embedded == 0 and len(again.unchanged) == 2 and again.passages == first.passages

    changed_file = sorted(workspace.corpus_dir.iterdir())[0]
    changed_file.write_text(changed_file.read_text() + "\nRelated CPT Codes\nA new closing paragraph about 99213.\n")
    changed, embedded = _ingest(workspace)
    assert changed.changed == [changed_file.stem]
    assert embedded == sum(1 for _ in _passages_of(workspace, changed_file.stem))
    retriever = Retriever(workspace)
    assert [p.document for p in retriever.lookup("99213")] == [changed_file.stem]
    # The changed document's old passages are gone from Chroma, not just hidden.
    collection = retriever.store.collection(retriever.manifest.collection)
    assert collection.count() == changed.passages

    changed_file.unlink()
    removed, embedded = _ingest(workspace)
    assert removed.removed == [changed_file.stem] and embedded == 0
    assert collection.count() == removed.passages
    assert Retriever(workspace).lookup("99213") == []


def _passages_of(settings, doc_id):
    from assistant.corpus import parse_document

    return parse_document(settings.corpus_dir / f"{doc_id}.txt").passages


def test_bad_files_are_named_and_the_rest_ingested(workspace):
    c = workspace.corpus_dir
    (c / "empty.txt").write_text("")
    (c / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    # Windows-1252 as staff's tools save it: decoded, not refused.
    (c / "cp1252.txt").write_bytes("Caf\xe9 policy \u2013 the plan\u2019s position on 0581T.".encode("cp1252"))
    (c / "rates.xlsx").write_bytes(b"PK\x03\x04 not really a spreadsheet")
    (c / "huge.txt").write_text("word " * 4000)
    first = sorted(c.glob("cpt-*.txt"))[0]
    (c / "copy-of-first.txt").write_text(first.read_text())
    report, _ = _ingest(workspace.with_overrides(max_file_bytes=10_000))
    reasons = {s["source"]: s["reason"] for s in report.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "cp1252.txt" not in reasons and "not a supported format" in reasons["rates.xlsx"]
    assert "too large" in reasons["huge.txt"]
    assert "duplicate of" in reasons.get("copy-of-first.txt", "") or "duplicate of" in reasons.get(first.name, "")
    assert len(report.added) == 3
    found = Retriever(workspace.with_overrides(max_file_bytes=10_000)).lookup("0581T")
    assert any(p.document == "cp1252" and "Café policy – the plan’s position" in p.text for p in found)


def test_kill_mid_ingest_leaves_previous_index_usable(workspace, tmp_path):
    _ingest(workspace)
    before = Retriever(workspace)
    expected = {p.id for doc in before.documents for p in before.document_passages(doc)}
    for f in sorted(CORPUS.glob("c*.txt")):
        shutil.copy(f, workspace.corpus_dir / f.name)
    # A child process starts a full ingest and is killed while it embeds.
    script = textwrap.dedent(f"""
        import os, signal
        from itertools import islice
        from assistant.config import Settings
        from assistant import ingest as module
        real = module._embed_and_add
        def dying(nodes, store, model, progress):
            real(module.Replayable(lambda: islice(nodes, 50), 50), store, model, progress)
            os.kill(os.getpid(), signal.SIGKILL)
        module._embed_and_add = dying
        settings = Settings(corpus_dir={str(workspace.corpus_dir)!r}, index_dir={str(workspace.index_dir)!r})
        module.ingest(settings, progress=False)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == -9
    after = Retriever(workspace)
    assert {p.id for doc in after.documents for p in after.document_passages(doc)} == expected
    hits = after.retrieve("Which modifier for a discontinued procedure after anesthesia?")
    assert hits and all(h.passage.document in after.documents for h in hits)
    report, _ = _ingest(workspace)  # the next ingest finishes the job
    assert len(report.added) == 3
    assert after.store.collection(after.manifest.collection).count() == report.passages


def test_a_changed_document_costs_one_small_lexical_segment_and_its_old_text_is_gone(workspace):
    from assistant.ingest import MAX_SEGMENTS
    from assistant.store import IndexStore

    _ingest(workspace)
    doc = workspace.corpus_dir / "cpt-0581T-percutaneous-cryoablation-breast.txt"
    original = doc.read_text()
    doc.write_text(original.replace("extreme cold", "liquid nitrogen"))
    report, embedded = _ingest(workspace)
    manifest = IndexStore(workspace).read_manifest()
    assert report.changed == [doc.stem] and len(manifest.lexical) == 2
    assert manifest.lexical_entries[manifest.lexical[1]] == embedded  # the segment holds just that document
    retriever = Retriever(workspace)
    found = {node_id for node_id, _ in retriever.lexical.retrieve("extreme cold needle", 40)}
    assert found and found <= set(retriever.passages)  # superseded entries never come back
    assert all("extreme cold" not in retriever.passages[n].text for n in found)
    assert any("liquid nitrogen" in h.passage.text for h in retriever.retrieve("liquid nitrogen cryoablation breast"))

    for i in range(MAX_SEGMENTS + 1):  # many changes later, the segments are merged back into one
        doc.write_text(original + f"\nRevision {i}.\n")
        _ingest(workspace)
        manifest = IndexStore(workspace).read_manifest()
        assert len(manifest.lexical) <= MAX_SEGMENTS
    assert sum(manifest.lexical_entries.values()) <= 1.25 * manifest.passage_count
    assert len(list(workspace.index_dir.glob("lexical-*"))) == len(manifest.lexical)
