"""Faults: an LLM server that is slow or talks garbage, an index that is missing or damaged, an ingest running
while questions are asked, a Chroma server that stops and comes back. Each is a real process or file."""

import json
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.answer import Assistant
from assistant.config import Settings
from assistant.llm import OpenAICompatibleLLM
from assistant.store import IndexDamaged, IndexMissing, IndexUnavailable
from assistant.text import canonical

from .conftest import CORPUS, free_port

QUESTION = "Does Cigna cover 0581T?"


# ---- the LLM server misbehaves ----------------------------------------------------------------------
class _Misbehaving(BaseHTTPRequestHandler):
    mode = "slow"

    def do_POST(self):  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.mode == "slow":
            time.sleep(20)
        body = {
            "garbage": b"<html>502 Bad Gateway</html>",
            "no-choices": json.dumps({"id": "x", "object": "chat.completion"}).encode(),
            "slow": b"{}",
        }[self.mode]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server():
    servers = []

    def start(mode):
        handler = type("Handler", (_Misbehaving,), {"mode": mode})
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield start
    for server in servers:
        server.shutdown()


@pytest.mark.parametrize("mode", ["slow", "garbage", "no-choices"])
def test_misbehaving_llm_server_falls_back_to_quotes(built_index, llm_server, mode):
    llm = OpenAICompatibleLLM(llm_server(mode), "smollm2", timeout=2)
    started = time.monotonic()
    answer = Assistant(built_index, llm=llm).ask(QUESTION)
    assert time.monotonic() - started < 10  # the 20 s reply is never waited for
    assert answer.error == "llm-unavailable" and "did not answer" in answer.notice
    assert "Not Medically Necessary" in answer.answer and answer.citations


# ---- the index is missing or damaged ---------------------------------------------------------------
@pytest.fixture
def index_copy(built_index, tmp_path) -> Settings:
    target = tmp_path / "index"
    shutil.copytree(built_index.index_dir, target)
    return built_index.with_overrides(index_dir=target)


def _cli(*args, **env):
    import os

    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        timeout=300,
    )


def test_missing_index_says_how_to_build_it(tmp_path, built_index):
    with pytest.raises(IndexMissing, match="assistant ingest"):
        Assistant(built_index.with_overrides(index_dir=tmp_path / "none"), use_llm=False)
    run = _cli("ask", "--index", str(tmp_path / "none"), QUESTION)
    assert run.returncode == 1 and "run `assistant ingest`" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("damage", ["manifest", "lexical", "vectors"])
def test_damaged_index_is_refused_with_the_fix(index_copy, damage):
    root = Path(index_copy.index_dir)
    manifest = json.loads((root / "manifest.json").read_text())
    if damage == "manifest":
        (root / "manifest.json").write_text('{"generation": 3, "colle')
    elif damage == "lexical":
        shutil.rmtree(root / manifest["lexical"][0])
    else:  # the vectors are gone while the manifest still lists the passages: a torn index
        from assistant.store import IndexStore

        IndexStore(index_copy).drop_collection(manifest["collection"])
    with pytest.raises(IndexDamaged, match="assistant ingest --rebuild"):
        Assistant(index_copy, use_llm=False)


def test_an_index_of_an_older_format_is_named_as_such_and_the_next_ingest_rebuilds_it(index_copy):
    from assistant.ingest import ingest

    path = Path(index_copy.index_dir) / "manifest.json"
    manifest = json.loads(path.read_text())
    # Format 2 named its one lexical folder as a string.
    path.write_text(json.dumps(manifest | {"format_version": 2, "lexical": manifest["lexical"][0]}))
    with pytest.raises(IndexDamaged, match=r"older version .*index format 2.*run `assistant ingest`"):
        Assistant(index_copy, use_llm=False)
    report = ingest(index_copy, progress=False)
    assert report.rebuilt and report.embedded == report.passages
    assert "Not Medically Necessary" in Assistant(index_copy, use_llm=False).ask(QUESTION).answer


def test_serve_rebuilds_a_damaged_index_before_answering(index_copy):
    from assistant.ui import load_assistant

    (Path(index_copy.index_dir) / "manifest.json").write_text("not json")
    assistant = load_assistant(index_copy.with_overrides(backend="none"), progress=False)
    assert "Not Medically Necessary" in assistant.ask(QUESTION).answer


# ---- ingest while questions are asked ----------------------------------------------------------------
def test_questions_keep_getting_whole_answers_while_an_ingest_runs(index_copy):
    corpus = Path(index_copy.corpus_dir).parent / "corpus-next"
    shutil.copytree(index_copy.corpus_dir, corpus)
    (corpus / "cpt-99999-new-summary.txt").write_text(
        "Summary & Overview\nCPT 99999: A New Test Procedure\nCPT code 99999 describes a new test procedure "
        "billed once per session.\n",
        encoding="utf-8",
    )
    assistant = Assistant(index_copy.with_overrides(corpus_dir=corpus), use_llm=False)
    ingest = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "ingest",
            "--quiet",
            "--corpus",
            str(corpus),
            "--index",
            str(index_copy.index_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    asked = 0
    while ingest.poll() is None or asked < 3:
        answer = assistant.ask(QUESTION)
        asked += 1
        assert "Not Medically Necessary" in answer.answer
        for c in answer.citations:  # every quote is whole and where it says it is
            source = (CORPUS / f"{c.document}.txt").read_text(encoding="utf-8")
            assert canonical(c.quote) == canonical(source[c.start : c.end])
    assert ingest.wait() == 0, ingest.stdout.read()
    assert asked >= 3
    assert {p.document for p in assistant.retriever.lookup("99999")} == {"cpt-99999-new-summary"}


# ---- Chroma as a separate server that stops and restarts --------------------------------------------------
def _chroma(path: Path, port: int) -> subprocess.Popen:
    from assistant.servers import chroma_server

    return chroma_server(path, port)[0]


def test_chroma_server_down_fails_clearly_and_recovers(built_index, tmp_path):
    from assistant.ingest import ingest

    port = free_port()
    settings = built_index.with_overrides(index_dir=tmp_path / "index", chroma_host="127.0.0.1", chroma_port=port)
    server = _chroma(tmp_path / "chroma-data", port)
    try:
        ingest(settings, progress=False)
        assistant = Assistant(settings, use_llm=False)
        assert "Not Medically Necessary" in assistant.ask(QUESTION).answer
        server.terminate()
        server.wait(timeout=30)
        started = time.monotonic()
        with pytest.raises(IndexUnavailable, match=f"Chroma server at 127.0.0.1:{port} does not answer"):
            assistant.ask(QUESTION)
        assert time.monotonic() - started < 30
        server = _chroma(tmp_path / "chroma-data", port)
        assert "Not Medically Necessary" in assistant.ask(QUESTION).answer
    finally:
        server.terminate()
        server.wait(timeout=30)
