"""End-to-end on the real embedded model, and the OpenAI-compatible backend against a real llama.cpp server."""

import socket
import subprocess
import sys
import time

import pytest

from assistant.answer import Assistant
from assistant.llm import EmbeddedLLM, OpenAICompatibleLLM, embedded_model_path
from assistant.text import canonical

from .conftest import free_port


@pytest.fixture(scope="module")
def llama_server():
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(embedded_model_path()),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("llama_cpp.server did not start")
    yield proc, url
    proc.terminate()
    proc.wait(timeout=30)


def _check_grounded(answer, corpus_dir):
    """Whatever the model said, what reaches the user is quoted exactly, cites real spans, and states no
    number, code or payer that its citations do not hold (the eval scorer's own check)."""
    from assistant.evaluate import unsupported_facts

    assert answer.citations
    for c in answer.citations:
        source = (corpus_dir / f"{c.document}.txt").read_text(encoding="utf-8")
        assert canonical(c.quote) == canonical(source[c.start : c.end])
    assert unsupported_facts(answer.to_dict()) == []


def test_embedded_model_end_to_end(built_index):
    assistant = Assistant(built_index, llm=EmbeddedLLM(timeout=120))
    for question in ["Which modifier for a discontinued 0686T after anesthesia?", "Does Cigna cover 0581T?"]:
        answer = assistant.ask(question)
        assert answer.backend == "embedded" and answer.mode == "generative" and not answer.abstained
        _check_grounded(answer, built_index.corpus_dir)
        assert answer.timings_ms["generate"] > 0


def test_openai_backend_against_real_server(built_index, llama_server):
    _, url = llama_server
    llm = OpenAICompatibleLLM(url, "smollm2", timeout=120)
    assert llm.chat([{"role": "user", "content": "Say hello."}], 8).strip()
    answer = Assistant(built_index, llm=llm).ask("Does Cigna cover 0581T?")
    assert answer.backend == "openai" and answer.error == ""
    _check_grounded(answer, built_index.corpus_dir)


def test_openai_backend_down_falls_back_to_quotes(built_index, llama_server):
    proc, url = llama_server
    proc.terminate()
    proc.wait(timeout=30)
    started = time.monotonic()
    answer = Assistant(built_index, llm=OpenAICompatibleLLM(url, "smollm2", timeout=5)).ask("Does Cigna cover 0581T?")
    assert time.monotonic() - started < 30
    assert answer.error == "llm-unavailable" and "did not answer" in answer.notice
    assert "Not Medically Necessary" in answer.answer
