"""The benchmark's own parts: the scale corpus is deterministic and parses like the real layouts; the results
say MISSED, with the reason, when a target is missed."""

import copy

from assistant.bench import TARGETS, targets, to_markdown
from assistant.corpus import parse_text
from assistant.scale import generate


def test_scale_corpus_is_deterministic_and_in_both_real_layouts(tmp_path):
    first = generate(tmp_path / "a", 40)
    second = generate(tmp_path / "b", 40)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second))
    assert generate(tmp_path / "c", 40, seed=1)[0].read_bytes() != first[0].read_bytes()
    docs = [parse_text(p.stem, p.read_text(encoding="utf-8"), source=p.name) for p in first]
    assert {d.document.kind for d in docs} == {"cpt-summary", "coverage-policy"}
    assert all(d.passages for d in docs)
    assert any(p.kind == "row" for d in docs for p in d.passages)
    assert any(p.truncated for d in docs for p in d.passages)  # some summaries end mid-table, as real ones do
    policies = [d for d in docs if d.document.kind == "coverage-policy"]
    assert all(d.document.payer for d in policies)


def _results(**top_overrides) -> dict:
    ingest = {
        "seconds": 100.0,
        "documents": 1000,
        "passages": 100_000,
        "embedded": 100_000,
        "size_mb": 10.0,
        "peak_rss_mb": 1500.0,
    }
    row = {
        "ours_ingest": dict(ingest),
        "ours_reingest": dict(ingest, seconds=1.0),
        "ours_retrieve": {"p50_ms": 30.0, "p95_ms": 40.0, "n": 60, "load_seconds": 1.0, "peak_rss_mb": 900.0},
        "vanilla_ingest": dict(ingest, seconds=200.0, passages=10_000),
        "vanilla_retrieve": {"p50_ms": 10.0, "p95_ms": 12.0, "n": 60, "load_seconds": 1.0, "peak_rss_mb": 800.0},
    }
    for key, values in top_overrides.items():
        row[key] = row[key] | values
    machine = {"cpu": "cpu", "cores": 2, "memory_mb": 1000, "python": "3.11", "os": "Linux", "versions": {}}
    return {"machine": machine, "started": "then", "finished": "later", "corpora": {"10000 docs": row}}


def test_every_target_met_is_reported_met():
    lines = targets(_results())
    assert len(lines) == 4 and all(line.startswith("MET") for line in lines)


def test_a_missed_target_is_reported_missed_with_its_reason():
    slow = _results(
        ours_retrieve={"p50_ms": TARGETS["retrieval_p50_ms"] + 1},
        ours_ingest={"peak_rss_mb": TARGETS["peak_rss_mb"] + 1},
    )
    lines = targets(slow)
    missed = [line for line in lines if line.startswith("MISSED")]
    assert len(missed) == 2 and all("Why:" in line for line in missed)
    assert "MISSED" in to_markdown(copy.deepcopy(slow))
