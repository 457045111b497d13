import os
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ARTIFACTS = ROOT / "test-artifacts"


class MockModel:
    """A scripted language model (after simonw/llm's MockModel): replies are queued, every chat is recorded.

    A reply is a string, a function of the last user message, or an exception to raise; with the queue
    empty, `default` answers. Tests assert on `calls` to see exactly what reached the model."""

    name = "mock"

    def __init__(self, *replies, default="NOT IN DOCUMENTS"):
        self.replies = list(replies)
        self.default = default
        self.calls: list[list[dict]] = []

    def enqueue(self, *replies) -> "MockModel":
        self.replies.extend(replies)
        return self

    def chat(self, messages: list[dict], max_tokens: int) -> str:
        self.calls.append([dict(m) for m in messages])
        reply = self.replies.pop(0) if self.replies else self.default
        if isinstance(reply, BaseException):
            raise reply
        return reply(messages[-1]["content"]) if callable(reply) else reply

    @property
    def last_prompt(self) -> str:
        return self.calls[-1][-1]["content"] if self.calls else ""


@pytest.fixture
def mock_model() -> MockModel:
    return MockModel()


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("corpus")
    for f in CORPUS.iterdir():
        shutil.copy(f, target / f.name)
    return target


@pytest.fixture(scope="session")
def built_index(tmp_path_factory, corpus_copy) -> Settings:
    """The real corpus ingested once with the real embedding model into a real Chroma store."""
    from assistant.ingest import ingest

    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path_factory.mktemp("index"), backend="none")
    ingest(settings, progress=False)
    return settings


@contextmanager
def running_server(settings: Settings, log_path: Path, *args: str, **env: str):
    """`assistant serve` as its own process on a free loopback port, as staff would run it; yields its URL."""
    port = free_port()
    environment = dict(
        os.environ, ASSISTANT_CORPUS_DIR=str(settings.corpus_dir), ASSISTANT_INDEX_DIR=str(settings.index_dir), **env
    )
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), *args],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=settings.index_dir,
        )
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"assistant serve exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError as exc:
                if getattr(exc, "code", None) == 401:  # up, behind --auth
                    break
                time.sleep(0.5)
        else:
            proc.kill()
            pytest.fail(f"assistant serve did not come up:\n{log_path.read_text()[-3000:]}")
        try:
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="session")
def served(built_index, tmp_path_factory):
    """One `assistant serve` on the real index with the embedded model, shared by the UI, load and log tests."""
    logs = tmp_path_factory.mktemp("serve")
    feedback = logs / "feedback.jsonl"
    with running_server(
        built_index, logs / "serve.log", ASSISTANT_BACKEND="embedded", ASSISTANT_FEEDBACK_FILE=str(feedback)
    ) as (url, proc):
        yield {"url": url, "feedback": feedback, "log": logs / "serve.log", "port": int(url.rsplit(":", 1)[1][:-1])}
