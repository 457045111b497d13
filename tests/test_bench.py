"""The benchmark's own parts: the scale corpus is deterministic and parses like the real layouts; the results
say MISSED, with the reason, when a target is missed; a large run's synthetic vectors look like real ones."""

import copy

import numpy as np

from assistant.bench import SyntheticEmbedding, _sizes
from assistant.benchreport import TARGETS, targets, to_markdown
from assistant.corpus import parse_text
from assistant.scale import generate


def test_scale_corpus_is_deterministic_and_in_both_real_layouts(tmp_path):
    first = generate(tmp_path / "a", 40)
    second = generate(tmp_path / "b", 40)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    assert generate(tmp_path / "c", 40, seed=1)[0].read_bytes() != first[0].read_bytes()
    docs = [parse_text(p.stem, p.read_text(encoding="utf-8"), source=p.name) for p in first]
    assert {d.document.kind for d in docs} == {"code-summary", "coverage-policy"}
    assert all(d.passages for d in docs)
    assert any(p.kind == "row" for d in docs for p in d.passages)
    assert any(p.truncated for d in docs for p in d.passages)  # some summaries end mid-table, as real ones do
    policies = [d for d in docs if d.document.kind == "coverage-policy"]
    assert all(d.document.payer for d in policies)


def test_a_large_scale_corpus_has_as_many_files_as_documents(tmp_path):
    # Only the names matter here: past 30,000 documents the code scheme changes and must not reuse a file.
    written = generate(tmp_path, 30_040)
    assert len({p.name for p in written}) == 30_040 == len(list(tmp_path.glob("*.txt")))
    late = parse_text(written[-1].stem, written[-1].read_text(encoding="utf-8"), source=written[-1].name)
    assert late.document.kind in {"code-summary", "coverage-policy"} and late.passages


def _results(**top_overrides) -> dict:
    ingest = {
        "seconds": 100.0,
        "documents": 1000,
        "passages": 100_000,
        "embedded": 100_000,
        "size_mb": 10.0,
        "peak_rss_mb": 1500.0,
        "stages": {"parse": 5.0, "embed": 80.0, "chroma_write": 20.0, "write_wait": 1.0, "lexical": 10.0},
    }
    stages = {"dense_embed": {"p50_ms": 4.0, "share": 0.3}, "lexical": {"p50_ms": 6.0, "share": 0.5}}
    row = {
        "ours_ingest": dict(ingest),
        "ours_reingest": dict(ingest, seconds=1.0),
        "ours_retrieve": {"p50_ms": 15.0, "p95_ms": 25.0, "n": 60, "peak_rss_mb": 900.0, "stages": stages},
        "vanilla_ingest": dict(ingest, seconds=200.0, passages=10_000),
        "vanilla_retrieve": {"p50_ms": 10.0, "p95_ms": 12.0, "n": 60, "load_seconds": 1.0, "peak_rss_mb": 800.0},
    }
    for key, values in top_overrides.items():
        row[key] = row[key] | values
    machine = {"cpu": "cpu", "cores": 2, "memory_mb": 1000, "python": "3.11", "os": "Linux", "versions": {}}
    large = {
        "ingest": dict(ingest, passages=1_000_500, documents=85_000, peak_rss_mb=6000.0),
        "retrieve": {"p50_ms": 50.0, "p95_ms": 70.0, "n": 60, "peak_rss_mb": 7000.0, "stages": stages},
        "retrieve_chroma_server": {"p50_ms": 55.0, "p95_ms": 75.0, "n": 60, "server_peak_rss_mb": 3000.0},
        "vectors": "how they were made",
    }
    recall = {
        "cases": 100,
        "speed_passages": 2000,
        "cosine_mean": 0.99,
        "cosine_min": 0.97,
        "torch": {"recall_hybrid": 0.9, "recall_dense": 0.6, "passages_per_s": 70.0},
        "onnx-int8": {"recall_hybrid": 0.9, "recall_dense": 0.6, "passages_per_s": 140.0},
    }
    return {
        "machine": machine,
        "started": "then",
        "finished": "later",
        "corpora": {"10000 docs": row},
        "large": {"1,000,000 passages": large},
        "recall": recall,
    }


def test_every_target_met_is_reported_met():
    lines = targets(_results())
    assert len(lines) == 7 and all(line.startswith("MET") for line in lines), lines
    report = to_markdown(_results())
    for heading in ("Where a full ingest spends", "Where a question's retrieval", "A million passages", "recall@5"):
        assert heading in report


def test_a_missed_target_is_reported_missed_with_its_reason():
    slow = _results(
        ours_retrieve={"p50_ms": TARGETS["retrieval_p50_ms"] + 1},
        ours_ingest={"peak_rss_mb": TARGETS["peak_rss_mb"] + 1, "seconds": 300.0},
    )
    slow["recall"]["onnx-int8"]["recall_hybrid"] = 0.85
    slow["large"]["1,000,000 passages"]["retrieve"]["peak_rss_mb"] = TARGETS["million_peak_rss_mb"] + 1
    lines = targets(slow)
    missed = [line for line in lines if line.startswith("MISSED")]
    assert len(missed) == 5 and all("Why:" in line for line in missed), lines
    assert "MISSED" in to_markdown(copy.deepcopy(slow))


def test_a_large_run_needs_a_million_passages_to_meet_its_target():
    short = _results()
    short["large"]["1,000,000 passages"]["ingest"]["passages"] = 999_999
    assert any(line.startswith("MISSED") and "999,999 passages" in line for line in targets(short))


def test_a_large_size_measured_by_a_run_of_its_own_says_so():
    joined = _results()
    assert "run of its own" not in to_markdown(copy.deepcopy(joined))
    joined["large"]["1,000,000 passages"]["run"] = "2026-12-04 19:42 – 20:10"
    assert "1,000,000 passages: measured by a run of its own (2026-12-04 19:42 – 20:10)" in to_markdown(joined)


def test_synthetic_vectors_are_unit_deterministic_and_near_a_real_one():
    rng = np.random.default_rng(0)
    bases = rng.normal(size=(50, 384)).astype(np.float32)
    bases /= np.linalg.norm(bases, axis=1, keepdims=True)
    model = SyntheticEmbedding(bases)
    texts = [f"passage {i}" for i in range(200)]
    vectors = model.embed_texts(texts)
    assert vectors.shape == (200, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.array_equal(vectors, model.embed_texts(texts))
    nearest = (vectors @ bases.T).max(axis=1)
    assert 0.8 < nearest.mean() < 0.97  # near its real vector, not a copy of it


def test_sizes_take_spaces_or_commas():
    assert _sizes(["1000", "10000", "1000000"]) == _sizes(["1000,10000,1_000_000"]) == [1000, 10000, 1_000_000]
