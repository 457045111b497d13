"""`assistant bench`: speed and scale, side by side with vanilla LlamaIndex, in one run on this machine.

For the real corpus and generated corpora of 1k and 10k documents (`assistant.scale`), it measures full
ingest (time, passages/s, documents/s, index size, peak RSS), incremental re-ingest after one document
changes, hybrid retrieval latency, end-to-end answer latency with the embedded model (real corpus), and
the same for a vanilla LlamaIndex pipeline (VectorStoreIndex over Chroma, default SentenceSplitter, the
same embedding model), then retrieval with Chroma as a separate `chroma run` server. Every measurement
runs in a child process, so its peak memory is its own. Results: bench/results.md, bench/results.json,
bench/latency.png.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from .servers import chroma_server

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"retrieval_p50_ms": 50.0, "answer_p50_ms": 2000.0, "incremental_speedup": 50.0, "peak_rss_mb": 2048.0}


# ---- measurements, each run in its own process ---------------------------------------------------------
def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


def _percentiles(values: list[float]) -> dict:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(p95, 1), "n": len(values)}


def _settings(corpus: str, index: str, chroma: str = "", backend: str = "none"):
    from .config import Settings

    host, _, port = chroma.partition(":")
    return Settings(
        corpus_dir=Path(corpus), index_dir=Path(index), backend=backend, chroma_host=host, chroma_port=int(port or 8000)
    )


def ingest_ours(corpus: str, index: str, chroma: str = "") -> dict:
    from .embeddings import load_embedding_model
    from .ingest import ingest

    load_embedding_model()  # as for vanilla: the timings are the pipelines' work, not loading the model
    report = ingest(_settings(corpus, index, chroma), progress=False)
    documents = len(report.added) + len(report.changed) + len(report.unchanged)
    return {
        "seconds": round(report.seconds, 2),
        "documents": documents,
        "passages": report.passages,
        "embedded": report.embedded,
        "size_mb": round(_size_mb(Path(index)), 1),
    }


def ingest_vanilla(corpus: str, index: str) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from .embeddings import load_embedding_model

    embed_model = load_embedding_model()
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
    from .retrieve import Retriever

    started = time.perf_counter()
    retriever = Retriever(_settings(corpus, index, chroma))
    load = time.perf_counter() - started
    for q in questions[:3]:
        retriever.retrieve(q)  # warm
    times = []
    for q in questions:
        t0 = time.perf_counter()
        retriever.retrieve(retriever.join_compounds(q))
        times.append((time.perf_counter() - t0) * 1000)
    return _percentiles(times) | {"load_seconds": round(load, 2)}


def retrieve_vanilla(index: str, questions: list[str]) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from .embeddings import load_embedding_model

    started = time.perf_counter()
    client = chromadb.PersistentClient(path=index, settings=ChromaSettings(anonymized_telemetry=False))
    store = ChromaVectorStore(chroma_collection=client.get_collection("vanilla"))
    retriever = VectorStoreIndex.from_vector_store(store, embed_model=load_embedding_model()).as_retriever(
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
    from .llm import EmbeddedLLM

    pipeline = VanillaPipeline(_settings(corpus, ""), EmbeddedLLM())  # indexes in memory, as built first
    pipeline.ask(questions[0])
    times = [pipeline.ask(q)["timings_ms"]["total"] for q in questions]
    return _percentiles(times)


PHASES = {
    f.__name__: f for f in (ingest_ours, ingest_vanilla, retrieve_ours, retrieve_vanilla, answer_ours, answer_vanilla)
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
        for p in ("torch", "chromadb", "llama-index-core", "bm25s", "llama_cpp_python", "sentence-transformers")
    }
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "python": platform.python_version(),
        "os": platform.platform(),
        "versions": versions,
    }


def run(sizes: list[int], out: Path, questions: int, answers: int) -> dict:
    from .scale import generate

    work = out / "scale"
    results = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "corpora": {}}
    corpora = [("real", ROOT / "corpus")]
    for size in sizes:
        folder = work / f"docs-{size}"
        if not folder.is_dir() or len(list(folder.glob("*.txt"))) != size:
            shutil.rmtree(folder, ignore_errors=True)
            print(f"generating {size} documents in {folder}", file=sys.stderr)
            generate(folder, size)
        corpora.append((f"{size} docs", folder))
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
        else:
            server, address = chroma_server(ours / "chroma")
            try:
                row["ours_retrieve_chroma_server"] = _child(
                    "retrieve_ours", corpus=str(corpus), index=str(ours), questions=qs, chroma=address
                )
            finally:
                server.terminate()
                server.wait(timeout=30)
        results["corpora"][name] = row
        (out / "results.json").write_text(json.dumps(results, indent=1))
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    return results


def _ratio(a, b) -> str:
    return f"{a / b:.1f}x" if a and b else "–"


def to_markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"One run of `assistant bench` ({results['started']} – {results.get('finished', 'unfinished')}) on "
        f"{m['cpu']}, {m['cores']} cores, {m['memory_mb']:,} MB RAM, Python {m['python']}, {m['os']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        "",
        "Vanilla = LlamaIndex `VectorStoreIndex` over Chroma, default `SentenceSplitter`, top-k 2, the same "
        "all-MiniLM-L6-v2 model; it has no incremental update, so a changed document means a full rebuild. "
        'Its "passages" are its chunks. Each figure comes from its own process (peak RSS is that process\'s).',
        "",
        "| corpus | pipeline | documents | passages | full ingest (s) | passages/s | documents/s | "
        "re-ingest 1 changed doc (s) | index MB | ingest peak RSS MB | retrieval p50 / p95 (ms) | "
        "retrieval peak RSS MB |",
        "|---" * 12 + "|",
    ]
    for name, row in results["corpora"].items():
        for who in ("ours", "vanilla"):
            ing, ret = row[f"{who}_ingest"], row[f"{who}_retrieve"]
            re_ingest = row["ours_reingest"]["seconds"] if who == "ours" else ing["seconds"]
            lines.append(
                f"| {name} | {'assistant' if who == 'ours' else 'vanilla'} | {ing['documents']:,} | "
                f"{ing['passages']:,} | {ing['seconds']:,} | {ing['passages'] / ing['seconds']:,.0f} | "
                f"{ing['documents'] / ing['seconds']:,.1f} | {re_ingest:,}"
                f"{'' if who == 'ours' else ' (full rebuild)'} | {ing['size_mb']:,} | {ing['peak_rss_mb']:,.0f} | "
                f"{ret['p50_ms']} / {ret['p95_ms']} | {ret['peak_rss_mb']:,.0f} |"
            )
    lines += [
        "",
        "## Side by side (assistant ÷ vanilla)",
        "",
        "| corpus | full-ingest passages/s | full-ingest documents/s | re-ingest speed-up over vanilla rebuild | "
        "retrieval p50 | retrieval p50 / p95 with `chroma run` server |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in results["corpora"].items():
        o, v = row["ours_ingest"], row["vanilla_ingest"]
        server = row.get("ours_retrieve_chroma_server")
        served = f"{server['p50_ms']} / {server['p95_ms']} ms" if server else "–"
        lines.append(
            f"| {name} | {_ratio(o['passages'] / o['seconds'], v['passages'] / v['seconds'])} | "
            f"{_ratio(o['documents'] / o['seconds'], v['documents'] / v['seconds'])} | "
            f"{_ratio(v['seconds'], row['ours_reingest']['seconds'])} | "
            f"{row['ours_retrieve']['p50_ms']} ms vs {row['vanilla_retrieve']['p50_ms']} ms | "
            f"{served} |"
        )
    real = results["corpora"].get("real", {})
    if "ours_answer" in real:
        a, va = real["ours_answer"], real["vanilla_answer"]
        lines += [
            "",
            "## End-to-end answers on the real corpus, embedded SmolLM2 (warm)",
            "",
            "| pipeline | questions | p50 (ms) | p95 (ms) |",
            "|---|---|---|---|",
            f"| assistant (retrieve, judge, generate, verify) | {a['n']} | {a['p50_ms']:,} | {a['p95_ms']:,} |",
            f"| vanilla (top-2 chunks, default QA prompt) | {va['n']} | {va['p50_ms']:,} | {va['p95_ms']:,} |",
            "",
            f"{a['verified_summaries']} of {a['n']} assistant answers carried a verified model summary; "
            "the rest were quotes (or abstentions).",
        ]
    lines += ["", "## Targets", ""] + [f"- {t}" for t in targets(results)]
    lines += ["", "## Reading the figures", ""] + [f"- {note}" for note in notes(results)]
    return "\n".join(lines) + "\n"


def notes(results: dict) -> list[str]:
    """What the table cannot say by itself, computed from the same run."""
    rows = results["corpora"]
    top_name, top = list(rows.items())[-1]
    o, v = top["ours_ingest"], top["vanilla_ingest"]
    out = [
        f"Per document the assistant ingests {o['documents'] / o['seconds']:,.1f} documents/s against vanilla's "
        f"{v['documents'] / v['seconds']:,.1f} ({top_name}): it embeds {o['passages'] / o['documents']:,.1f} "
        f"passages a document (each table row and paragraph piece, so a citation can quote it) where vanilla "
        f"embeds {v['passages'] / v['documents']:,.1f} chunks. Its passages/s, the measure of the target, is "
        f"higher. The same granularity makes its index {o['size_mb'] / max(v['size_mb'], 0.1):,.1f}x vanilla's "
        "on disk (vectors, per-passage metadata, the BM25 index).",
        f"Retrieval does more than vanilla's dense top-2: dense and BM25 search, fused, plus exact-identifier "
        f"lookups; {top['ours_retrieve']['p50_ms']} ms against {top['vanilla_retrieve']['p50_ms']} ms at the "
        "top size is that price.",
    ]
    small = [
        f"the {name} corpus"
        for name, row in rows.items()
        if row["ours_reingest"]["seconds"] > row["vanilla_ingest"]["seconds"]
    ]
    if small:
        out.append(
            f"On {', '.join(small)} a re-ingest is slower than vanilla's whole rebuild: opening the index "
            "and hashing every file cost more than embedding a handful of chunks; the gap reverses with size."
        )
    return out


WHY_MISSED = {
    "incremental_speedup": "an incremental ingest still reads and hashes every file, and opens the BM25 segments "
    "of the unchanged documents.",
    "retrieval_p50_ms": "BM25 scoring and the exact-identifier lookups cost time in proportion to the corpus; "
    "the dense search does not.",
    "throughput": "the assistant embeds each table row and paragraph piece as its own passage (with its section "
    "path and table header), more and shorter texts than vanilla's ~1,000-token chunks, and it "
    "also builds the BM25 index.",
    "ingest": "the ingest process holds the embedding model and one batch's activations, Chroma's in-process "
    "HNSW index, and, while the BM25 index is built, every passage's metadata and tokens.",
    "retrieval": "the retrieval process holds every passage's metadata in the BM25 segments and Chroma's HNSW "
    "index, so that a question is answered in milliseconds.",
}


def _verdict(met: bool, text: str, why: str) -> str:
    return f"MET: {text}" if met else f"MISSED: {text} Why: {why}"


def targets(results: dict) -> list[str]:
    rows = results["corpora"]
    top_name = list(rows)[-1]
    top = rows[top_name]
    passages = top["ours_ingest"]["passages"]
    speedup = top["vanilla_ingest"]["seconds"] / top["ours_reingest"]["seconds"]
    out = [
        _verdict(
            speedup >= TARGETS["incremental_speedup"],
            f"re-ingest of one changed document in the {top_name} corpus is {speedup:,.0f}x faster than "
            f"vanilla's full rebuild (target ≥ {TARGETS['incremental_speedup']:.0f}x).",
            WHY_MISSED["incremental_speedup"],
        )
    ]
    p50 = top["ours_retrieve"]["p50_ms"]
    out.append(
        _verdict(
            p50 <= TARGETS["retrieval_p50_ms"],
            f"hybrid retrieval p50 {p50} ms at {passages:,} passages (target ≤ {TARGETS['retrieval_p50_ms']:.0f} ms).",
            WHY_MISSED["retrieval_p50_ms"],
        )
    )
    ours = passages / top["ours_ingest"]["seconds"]
    theirs = top["vanilla_ingest"]["passages"] / top["vanilla_ingest"]["seconds"]
    out.append(
        _verdict(
            ours >= theirs,
            f"full-ingest throughput {ours:,.0f} passages/s against vanilla's {theirs:,.0f} chunks/s "
            f"(target: at least vanilla's). Per document: "
            f"{top['ours_ingest']['documents'] / top['ours_ingest']['seconds']:,.1f} against "
            f"{top['vanilla_ingest']['documents'] / top['vanilla_ingest']['seconds']:,.1f} documents/s.",
            WHY_MISSED["throughput"],
        )
    )
    peaks = {"ingest": top["ours_ingest"]["peak_rss_mb"], "retrieval": top["ours_retrieve"]["peak_rss_mb"]}
    phase = max(peaks, key=peaks.__getitem__)
    out.append(
        _verdict(
            peaks[phase] <= TARGETS["peak_rss_mb"],
            f"peak memory {peaks[phase]:,.0f} MB ({phase}) at {passages:,} passages (target ≤ 2 GB).",
            WHY_MISSED[phase],
        )
    )
    if "ours_answer" in rows.get("real", {}):
        a = rows["real"]["ours_answer"]["p50_ms"]
        r = rows["real"]["ours_retrieve"]["p50_ms"]
        out.append(
            _verdict(
                a <= TARGETS["answer_p50_ms"] and r <= TARGETS["retrieval_p50_ms"],
                f"warm end-to-end answer p50 {a:,} ms with the embedded model on the real corpus "
                f"(target ≤ 2 s); retrieval p50 {r} ms (target ≤ 50 ms).",
                "generation on 2 cores dominates; see the end-to-end table.",
            )
        )
    return out


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = list(results["corpora"].values())
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, label in (
        ("ours_retrieve", "assistant (hybrid, embedded Chroma)"),
        ("ours_retrieve_chroma_server", "assistant (hybrid, chroma run server)"),
        ("vanilla_retrieve", "vanilla LlamaIndex (dense top-2)"),
    ):
        points = [
            (
                r["ours_ingest"]["passages"] if key.startswith("ours") else r["vanilla_ingest"]["passages"],
                r[key]["p50_ms"],
                r[key]["p95_ms"],
            )
            for r in rows
            if key in r
        ]
        if points:
            xs, p50, p95 = zip(*points)
            ax.plot(xs, p50, marker="o", label=f"{label} p50")
            ax.plot(xs, p95, marker="x", linestyle="--", alpha=0.6, label=f"{label} p95")
    ax.set_xscale("log")
    ax.set_xlabel("passages (vanilla: chunks) in the index")
    ax.set_ylabel("retrieval latency (ms)")
    ax.axhline(TARGETS["retrieval_p50_ms"], color="grey", linewidth=0.8, linestyle=":", label="50 ms target")
    ax.legend(fontsize=7)
    ax.set_title("Retrieval latency against corpus size")
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_phase"]:
        result = PHASES[argv[1]](**json.loads(argv[2]))
        print(json.dumps(result | {"peak_rss_mb": round(_peak_rss_mb(), 1)}))
        return 0
    parser = argparse.ArgumentParser(prog="assistant bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="generated corpus sizes (default: 1000,10000)")
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
        results = run([int(s) for s in args.sizes.split(",") if s], out, args.questions, args.answers)
        (out / "results.json").write_text(json.dumps(results, indent=1))
    (out / "results.md").write_text(to_markdown(results))
    plot(results, out / "latency.png")
    print((out / "results.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
