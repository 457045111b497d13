"""`assistant bench`: speed and scale, side by side with vanilla LlamaIndex, in one run on this machine.

For the real corpus and generated corpora (`assistant.scale`; 1k and 10k documents by default), it measures
full ingest (time, where it goes, passages/s, documents/s, index size, peak RSS), incremental re-ingest after
one document changes, hybrid retrieval latency (and where it goes), end-to-end answer latency with the
embedded model (real corpus), and the same for a vanilla LlamaIndex pipeline (VectorStoreIndex over Chroma,
default SentenceSplitter, the stock torch embedding of the same model), then retrieval with Chroma as a
separate `chroma run` server. It checks that the int8 vectors keep torch's recall@5 on the eval questions.
A size of 100,000 or more is a passage count, not documents: a large run through the real store and
retrieval path whose vectors are synthetic (real passage vectors plus noise), without vanilla. Every
measurement runs in a child process, so its peak memory is its own. Results: bench/results.md,
bench/results.json, bench/latency.png (written by `assistant.benchreport`).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from .benchreport import TARGETS, plot, targets, to_markdown
from .servers import chroma_server

__all__ = ["TARGETS", "targets", "to_markdown", "run", "main"]

ROOT = Path(__file__).resolve().parent.parent
LARGE = 100_000  # sizes from here on are passage counts of a synthetic-vector run
PASSAGES_PER_DOCUMENT = 11.5  # of the generated corpus (11.62 measured at 85,471 documents, 2026-12-04), rounded
# down so that a large run reaches at least the passages it is asked for (11.7 gave 993,574 for a million)


# ---- measurements, each run in its own process ---------------------------------------------------------
def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def _percentiles(values: list[float]) -> dict:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(p95, 1), "n": len(values)}


def _settings(corpus: str, index: str, chroma: str = "", backend: str = "none", embedding: str = "onnx-int8"):
    from .config import Settings

    host, _, port = chroma.partition(":")
    return Settings(
        corpus_dir=Path(corpus),
        index_dir=Path(index),
        backend=backend,
        chroma_host=host,
        chroma_port=int(port or 8000),
        embedding_backend=embedding,
    )


class _Stages:
    """Seconds spent in named stages, by wrapping the functions that do them."""

    def __init__(self):
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, owner, name: str, stage: str) -> None:
        inner = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started

        setattr(owner, name, timed)


def _timed_ingest(settings, embed_model=None) -> tuple:
    """The real ingest, with the time of each of its stages."""
    from . import ingest as ingest_module

    stages = _Stages()
    for name, stage in (
        ("_parse_corpus", "parse"),
        ("_vectors", "embed"),
        ("_embed_and_add", "embed_loop"),
        ("_write_lexical", "lexical"),
        ("_delete_superseded", "cleanup"),
    ):
        stages.wrap(ingest_module, name, stage)

    class TimedCollection:  # the writer thread's Chroma adds
        def __init__(self, collection):
            self.collection = collection

        def add(self, **kwargs):
            started = time.perf_counter()
            self.collection.add(**kwargs)
            stages.seconds["chroma_write"] += time.perf_counter() - started

    class TimedWriter(ingest_module._ChromaWriter):
        def __init__(self, collection):
            super().__init__(TimedCollection(collection))

    ingest_module._ChromaWriter = TimedWriter  # type: ignore[misc]  # the timed writer, for this process
    report = ingest_module.ingest(settings, embed_model=embed_model, progress=False)
    s = dict(stages.seconds)
    loop = s.pop("embed_loop", 0.0)
    s["write_wait"] = max(0.0, loop - s.get("embed", 0.0))
    s["other"] = max(0.0, report.seconds - loop - sum(s.get(k, 0.0) for k in ("parse", "lexical", "cleanup")))
    return report, {k: round(v, 2) for k, v in s.items()}


def ingest_ours(corpus: str, index: str, chroma: str = "") -> dict:
    from .embeddings import load_embedding_model

    load_embedding_model()  # as for vanilla: the timings are the pipelines' work, not loading the model
    report, stages = _timed_ingest(_settings(corpus, index, chroma))
    documents = len(report.added) + len(report.changed) + len(report.unchanged)
    return {
        "seconds": round(report.seconds, 2),
        "documents": documents,
        "passages": report.passages,
        "embedded": report.embedded,
        "size_mb": round(_size_mb(Path(index)), 1),
        "stages": stages,
    }


def ingest_vanilla(corpus: str, index: str) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from .embeddings import load_embedding_model

    embed_model = load_embedding_model("torch")  # LlamaIndex's stock HuggingFaceEmbedding
    started = time.perf_counter()
    documents = SimpleDirectoryReader(corpus).load_data()
    client = chromadb.PersistentClient(path=index, settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_or_create_collection("vanilla", embedding_function=None)
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(chroma_collection=collection))
    VectorStoreIndex.from_documents(documents, storage_context=storage, embed_model=embed_model)
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "documents": len(documents),
        "passages": collection.count(),
        "embedded": collection.count(),
        "size_mb": round(_size_mb(Path(index)), 1),
    }


def retrieve_ours(corpus: str, index: str, questions: list[str], chroma: str = "") -> dict:
    """Hybrid retrieval latency, and the median time and share of each stage: the question's embedding,
    Chroma's query, BM25, identifier lookups, and fusion + ranking (the rest)."""
    from .retrieve import Retriever

    started = time.perf_counter()
    retriever = Retriever(_settings(corpus, index, chroma))
    load = time.perf_counter() - started
    for q in questions[:3]:
        retriever.retrieve(q)  # warm
    stages = _Stages()
    stages.wrap(retriever.dense, "embed", "dense_embed")
    stages.wrap(retriever.dense, "query", "dense_query")
    stages.wrap(retriever, "_lexical", "lexical")
    stages.wrap(retriever, "_code_matches", "identifiers")
    times, per_stage = [], defaultdict(list)
    for q in questions:
        q = retriever.join_compounds(q)
        stages.seconds.clear()
        t0 = time.perf_counter()
        retriever.retrieve(q)
        total = time.perf_counter() - t0
        times.append(total * 1000)
        seconds = dict(stages.seconds)
        seconds["ranking"] = max(0.0, total - sum(seconds.values()))
        for stage, value in seconds.items():
            per_stage[stage].append(value * 1000)
    summed = sum(times)
    breakdown = {
        stage: {"p50_ms": round(statistics.median(values), 2), "share": round(sum(values) / summed, 3)}
        for stage, values in per_stage.items()
    }
    return _percentiles(times) | {
        "load_seconds": round(load, 2),
        "passages": len(retriever.passages),
        "stages": breakdown,
    }


def retrieve_vanilla(index: str, questions: list[str]) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from .embeddings import load_embedding_model

    started = time.perf_counter()
    client = chromadb.PersistentClient(path=index, settings=ChromaSettings(anonymized_telemetry=False))
    store = ChromaVectorStore(chroma_collection=client.get_collection("vanilla"))
    retriever = VectorStoreIndex.from_vector_store(store, embed_model=load_embedding_model("torch")).as_retriever(
        similarity_top_k=2
    )
    load = time.perf_counter() - started
    for q in questions[:3]:
        retriever.retrieve(q)
    times = []
    for q in questions:
        t0 = time.perf_counter()
        retriever.retrieve(q)
        times.append((time.perf_counter() - t0) * 1000)
    return _percentiles(times) | {"load_seconds": round(load, 2)}


def answer_ours(corpus: str, index: str, questions: list[str]) -> dict:
    from .answer import Assistant

    assistant = Assistant(_settings(corpus, index, backend="embedded"))
    assistant.ask(questions[0])  # warm: the model is loaded
    times, kept = [], 0
    for q in questions:
        answer = assistant.ask(q)
        times.append(answer.timings_ms["total"])
        kept += answer.mode == "generative" and not answer.notice and not answer.abstained
    return _percentiles(times) | {"verified_summaries": kept}


def answer_vanilla(corpus: str, questions: list[str]) -> dict:
    from .baseline import VanillaPipeline
    from .embeddings import load_embedding_model
    from .llm import EmbeddedLLM

    # Indexes in memory, as built first; the stock torch embedding, as vanilla LlamaIndex has it.
    pipeline = VanillaPipeline(_settings(corpus, ""), EmbeddedLLM(), embed_model=load_embedding_model("torch"))
    pipeline.ask(questions[0])
    times = [pipeline.ask(q)["timings_ms"]["total"] for q in questions]
    return _percentiles(times)


def recall_check(corpus: str, work: str, speed_corpus: str = "", speed_passages: int = 2000) -> dict:
    """The int8 vectors against torch's: recall@5 on the eval questions over the real corpus (hybrid and dense
    only), cosine between the two vectors of each passage, and embedding passages/s of each backend."""
    import numpy as np
    from llama_index.core.schema import MetadataMode

    from .embeddings import load_embedding_model
    from .evaluate import load_cases
    from .ingest import ingest
    from .retrieve import Retriever

    cases = [c for c in load_cases(ROOT / "evals" / "qa.jsonl") if c.answerable]
    out: dict = {"cases": len(cases)}
    vectors = {}
    for backend in ("torch", "onnx-int8"):
        index = Path(work) / f"recall-{backend}"
        shutil.rmtree(index, ignore_errors=True)
        settings = _settings(corpus, str(index), embedding=backend)
        ingest(settings, progress=False)
        retriever = Retriever(settings)
        hybrid = dense = 0
        for case in cases:
            hits = retriever.retrieve(retriever.join_compounds(case.question), k=5)
            found = [(h.passage.document, h.passage.section_path) for h in hits]
            hybrid += any(s.matches(d, sec) for d, sec in found for s in case.expected_sources)
            ids = [i for i, _ in retriever.dense.search(case.question, 40) if i in retriever.passages][:5]
            found = [(retriever.passages[i].document, retriever.passages[i].section_path) for i in ids]
            dense += any(s.matches(d, sec) for d, sec in found for s in case.expected_sources)
        out[backend] = {"recall_hybrid": hybrid / len(cases), "recall_dense": dense / len(cases)}
        collection = retriever.store.collection(retriever.manifest.collection)
        got = collection.get(include=["embeddings"])
        vectors[backend] = dict(zip(got["ids"], np.asarray(got["embeddings"])))
    common = sorted(set(vectors["torch"]) & set(vectors["onnx-int8"]))
    cosines = np.array([float(np.dot(vectors["torch"][i], vectors["onnx-int8"][i])) for i in common])
    out |= {"cosine_mean": round(float(cosines.mean()), 4), "cosine_min": round(float(cosines.min()), 4)}
    # Embedding speed alone, on passages of a generated corpus (or the real one), the same texts for both.
    from .corpus import corpus_files, parse_document
    from .store import passage_node

    texts: list[str] = []
    for path in corpus_files(Path(speed_corpus or corpus)):
        doc = parse_document(path)
        texts += [passage_node(p, doc.document).get_content(metadata_mode=MetadataMode.EMBED) for p in doc.passages]
        if len(texts) >= speed_passages:
            break
    texts = texts[:speed_passages]
    out["speed_passages"] = len(texts)
    for backend in ("torch", "onnx-int8"):
        model = load_embedding_model(backend)
        model.get_text_embedding_batch(texts[:64])  # warm
        started = time.perf_counter()
        if hasattr(model, "embed_texts"):
            for start in range(0, len(texts), 2048):  # as ingest does: windows of 2,048
                model.embed_texts(texts[start : start + 2048])
        else:
            for start in range(0, len(texts), 256):  # as ingest did with torch: llama-index batches
                model.get_text_embedding_batch(texts[start : start + 256])
        out[backend]["passages_per_s"] = round(len(texts) / (time.perf_counter() - started), 1)
    return out


class SyntheticEmbedding:
    """Vectors for a large run: each passage gets a real passage vector (picked by a hash of its text) plus
    Gaussian noise (sigma 0.025 a dimension: cosine ~0.9 to the real vector), normalised. The index then
    holds clusters shaped like the real ones, without an hour of embedding."""

    SIGMA = 0.025

    def __init__(self, bases):
        self.bases = bases

    def embed_texts(self, texts: list[str]):
        import zlib

        import numpy as np

        picks = np.fromiter((zlib.crc32(t.encode()) for t in texts), dtype=np.int64, count=len(texts))
        rng = np.random.default_rng(int(picks[0]) if len(texts) else 0)
        vectors = self.bases[picks % len(self.bases)] + rng.normal(0, self.SIGMA, (len(texts), self.bases.shape[1]))
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def ingest_large(corpus: str, index: str, bases: int = 4096) -> dict:
    """The real ingest (parse, Chroma, BM25, manifest) of a large generated corpus, with synthetic vectors made
    from `bases` real passage vectors of it (embedded here with the real model)."""
    import numpy as np
    from llama_index.core.schema import MetadataMode

    from .corpus import corpus_files, parse_document
    from .embeddings import load_embedding_model
    from .store import passage_node

    texts: list[str] = []
    for path in corpus_files(Path(corpus)):
        doc = parse_document(path)
        texts += [passage_node(p, doc.document).get_content(metadata_mode=MetadataMode.EMBED) for p in doc.passages]
        if len(texts) >= bases:
            break
    real = np.asarray(load_embedding_model().embed_texts(texts[:bases]))
    report, stages = _timed_ingest(_settings(corpus, index), embed_model=SyntheticEmbedding(real))
    documents = len(report.added) + len(report.changed) + len(report.unchanged)
    return {
        "seconds": round(report.seconds, 2),
        "documents": documents,
        "passages": report.passages,
        "embedded": report.embedded,
        "size_mb": round(_size_mb(Path(index)), 1),
        "stages": stages,
        "bases": len(real),
    }


PHASES = {
    f.__name__: f
    for f in (
        ingest_ours,
        ingest_vanilla,
        retrieve_ours,
        retrieve_vanilla,
        answer_ours,
        answer_vanilla,
        recall_check,
        ingest_large,
    )
}


def _child(phase: str, **kwargs) -> dict:
    """Run one measurement in a fresh process; its last output line is the JSON result."""
    print(f"  {phase} {kwargs.get('corpus', kwargs.get('index', ''))} ...", file=sys.stderr, flush=True)
    proc = subprocess.run(
        [sys.executable, "-m", "assistant.bench", "_phase", phase, json.dumps(kwargs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{phase} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"    {result}", file=sys.stderr, flush=True)
    return result


def _served(index: Path, corpus: Path, questions: list[str]) -> dict:
    """Retrieval with Chroma as a `chroma run` server over the same vectors, and the server's peak RSS."""
    server, address = chroma_server(index / "chroma")
    try:
        result = _child("retrieve_ours", corpus=str(corpus), index=str(index), questions=questions, chroma=address)
        status = Path(f"/proc/{server.pid}/status")
        if status.is_file():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    result["server_peak_rss_mb"] = round(int(line.split()[1]) / 1024, 1)
        return result
    finally:
        server.terminate()
        server.wait(timeout=60)


# ---- questions for each corpus ------------------------------------------------------------------------
def real_questions(count: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "qa.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows][:count]


def scale_questions(corpus: Path, count: int) -> list[str]:
    """Questions of the kinds staff ask, about documents picked at random from a generated corpus."""
    from .corpus import parse_document

    rng = random.Random(7)
    files = sorted(corpus.glob("*.txt"))
    questions = []
    for path in rng.sample(files, min(count, len(files))):
        doc = parse_document(path).document
        if doc.kind == "coverage-policy":
            questions.append(
                rng.choice(
                    [
                        f"What is the effective date of policy {doc.policy_number}?",
                        f"Which codes does policy {doc.policy_number} list?",
                        f"Does {doc.payer} cover {doc.title.lower()}?",
                    ]
                )
            )
        else:
            questions.append(
                rng.choice(
                    [
                        f"What does CPT {doc.code} describe?",
                        f"What is the typical site of service for {doc.code}?",
                        f"Which modifier is used when {doc.code} is discontinued?",
                        f"Which ICD-10 codes are related to {doc.code}?",
                    ]
                )
            )
    return questions


# ---- the run --------------------------------------------------------------------------------------------
def machine() -> dict:
    import importlib.metadata as md

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem = next(
        (
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    versions = {
        p: md.version(p)
        for p in (
            "torch",
            "onnxruntime",
            "chromadb",
            "llama-index-core",
            "bm25s",
            "llama_cpp_python",
            "sentence-transformers",
        )
    }
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "versions": versions,
    }


def _generated(work: Path, documents: int) -> Path:
    from .scale import generate

    folder = work / f"docs-{documents}"
    if not folder.is_dir() or len(list(folder.glob("*.txt"))) != documents:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"generating {documents} documents in {folder}", file=sys.stderr)
        generate(folder, documents)
    return folder


def run(sizes: list[int], out: Path, questions: int, answers: int) -> dict:
    from .embeddings import embedding_name

    work = out / "scale"
    results: dict[str, Any] = {
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "embedding_backend": embedding_name("onnx-int8"),
        "corpora": {},
    }
    small = sorted(s for s in sizes if s < LARGE)
    corpora = [("real", ROOT / "corpus")] + [(f"{size} docs", _generated(work, size)) for size in small]
    for name, corpus in corpora:
        print(f"{name}:", file=sys.stderr)
        ours, vanilla = work / f"{corpus.name}-ours", work / f"{corpus.name}-vanilla"
        shutil.rmtree(ours, ignore_errors=True)
        shutil.rmtree(vanilla, ignore_errors=True)
        qs = real_questions(questions) if name == "real" else scale_questions(corpus, questions)
        row: dict = {"corpus": str(corpus)}
        row["ours_ingest"] = _child("ingest_ours", corpus=str(corpus), index=str(ours))
        changed = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
        original = changed.read_text(encoding="utf-8")
        try:
            changed.write_text(original + "\nA revised closing sentence for this benchmark run.\n", encoding="utf-8")
            row["ours_reingest"] = _child("ingest_ours", corpus=str(corpus), index=str(ours)) | {
                "changed": changed.name
            }
        finally:
            changed.write_text(original, encoding="utf-8")
        row["ours_retrieve"] = _child("retrieve_ours", corpus=str(corpus), index=str(ours), questions=qs)
        row["vanilla_ingest"] = _child("ingest_vanilla", corpus=str(corpus), index=str(vanilla))
        row["vanilla_retrieve"] = _child("retrieve_vanilla", index=str(vanilla), questions=qs)
        if name == "real":
            row["ours_answer"] = _child("answer_ours", corpus=str(corpus), index=str(ours), questions=qs)
            row["vanilla_answer"] = _child("answer_vanilla", corpus=str(corpus), questions=qs[:answers])
            speed = _generated(work, 200)
            results["recall"] = _child("recall_check", corpus=str(corpus), work=str(work), speed_corpus=str(speed))
        else:
            row["ours_retrieve_chroma_server"] = _served(ours, corpus, qs)
        results["corpora"][name] = row
        (out / "results.json").write_text(json.dumps(results, indent=1))
    for size in sorted(s for s in sizes if s >= LARGE):
        name = f"{size:,} passages"
        print(f"{name}:", file=sys.stderr)
        corpus = _generated(work, math.ceil(size / PASSAGES_PER_DOCUMENT))
        index = work / f"{corpus.name}-large"
        shutil.rmtree(index, ignore_errors=True)
        qs = scale_questions(corpus, questions)
        large: dict[str, Any] = {"ingest": _child("ingest_large", corpus=str(corpus), index=str(index))}
        large["retrieve"] = _child("retrieve_ours", corpus=str(corpus), index=str(index), questions=qs)
        large["retrieve_chroma_server"] = _served(index, corpus, qs)
        large["vectors"] = (
            f"Documents generated by assistant/scale.py and ingested by the real ingest (parse, Chroma, BM25, "
            f"manifest); each passage's vector is one of {large['ingest']['bases']:,} real all-MiniLM-L6-v2 "
            f"(int8) passage vectors of the same corpus, picked by a hash of the passage's text, plus Gaussian "
            f"noise (sigma {SyntheticEmbedding.SIGMA} a dimension, cosine ~0.9 to it), normalised. Questions "
            "are embedded with the real model."
        )
        results.setdefault("large", {})[name] = large
        (out / "results.json").write_text(json.dumps(results, indent=1))
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return results


def _sizes(values: list[str]) -> list[int]:
    return [int(s.replace("_", "")) for value in values for s in value.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_phase"]:
        result = PHASES[argv[1]](**json.loads(argv[2]))
        print(json.dumps(result | {"peak_rss_mb": round(_peak_rss_mb(), 1)}))
        return 0
    parser = argparse.ArgumentParser(prog="assistant bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["1000", "10000"],
        help="generated corpus sizes, in documents (default: 1000 10000); a size of 100000 or more is a "
        "passage count for a synthetic-vector run through the real store and retrieval path (e.g. 1000000)",
    )
    parser.add_argument("--out", default=str(ROOT / "bench"), help="results folder (default: bench/)")
    parser.add_argument("--questions", type=int, default=60, help="questions per retrieval measurement")
    parser.add_argument("--answers", type=int, default=20, help="questions for vanilla's slow end-to-end answers")
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: rewrite results.md and latency.png from the last run's results.json",
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.render:
        if not (out / "results.json").is_file():
            parser.error(f"no {out / 'results.json'} to render: run `assistant bench` first")
        results = json.loads((out / "results.json").read_text())
    else:
        results = run(_sizes(args.sizes), out, args.questions, args.answers)
        (out / "results.json").write_text(json.dumps(results, indent=1))
    (out / "results.md").write_text(to_markdown(results))
    plot(results, out / "latency.png")
    print((out / "results.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
