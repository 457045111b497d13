"""Settings in one place: defaults < ``assistant.toml`` < ``ASSISTANT_*`` environment variables."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .llm import BACKENDS

EMBEDDING_BACKENDS = ("onnx-int8", "torch")  # assistant.embeddings.BACKENDS, without importing llama-index here

CONFIG_FILE_ENV = "ASSISTANT_CONFIG"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    # embedded: SmolLM2 in-process; openai: any OpenAI-compatible server; none: extractive answers only
    backend: str = "embedded"
    mode: str = "generative"  # generative | extractive
    openai_base_url: str = "http://127.0.0.1:8000/v1"
    openai_model: str = "smollm2"
    openai_api_key: str = ""
    llm_timeout: float = 30.0  # seconds for one generation, either backend
    llm_threads: int = 2
    max_tokens: int = 80  # one short sentence; a longer draft only has more to fail verification
    top_k: int = 6  # passages given to the answer step
    max_question_chars: int = 2000
    max_file_bytes: int = 20_000_000
    chroma_host: str = ""  # empty: the local store under index_dir; else a `chroma run` server
    chroma_port: int = 8000
    # onnx-int8: the int8 ONNX export of all-MiniLM-L6-v2 (made locally, cached in model_cache); torch: the model as
    # shipped. Changing it makes the next ingest rebuild the index with the new vectors.
    embedding_backend: str = "onnx-int8"
    model_cache: str = ""  # where the ONNX export is kept; empty: ~/.cache/assistant/models
    audit_log: str = ""  # a JSONL path to record questions and answers; empty: off
    feedback_file: Path = Path("evals/feedback.jsonl")
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""  # "user:password" for the UI; empty: no login
    concurrency: int = 4  # UI requests served at once; the rest wait in the queue
    max_queue: int = 64

    def __repr__(self) -> str:  # never print a secret
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        for secret in ("openai_api_key", "auth"):
            if shown[secret]:
                shown[secret] = "***"
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **{k: _coerce(k, v) for k, v in changes.items() if v is not None})


_TYPES = {f.name: f.type for f in fields(Settings)}


def _coerce(name: str, value):
    if name not in _TYPES:
        raise ConfigError(f"unknown setting {name!r}; known: {', '.join(sorted(_TYPES))}")
    kind = _TYPES[name]
    try:
        if kind == "Path":
            return Path(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name!r} must be {kind}, got {value!r}") from None


def load_settings(config_file: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    settings = Settings()
    path = Path(config_file or env.get(CONFIG_FILE_ENV) or "assistant.toml")
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from None
        settings = settings.with_overrides(**data.get("assistant", data))
    elif config_file:
        raise ConfigError(f"config file {path} does not exist")
    from_env = {
        f.name: env[f"ASSISTANT_{f.name.upper()}"] for f in fields(Settings) if f"ASSISTANT_{f.name.upper()}" in env
    }
    if "openai_api_key" not in from_env and env.get("OPENAI_API_KEY"):
        from_env["openai_api_key"] = env["OPENAI_API_KEY"]
    settings = settings.with_overrides(**from_env)
    _check(settings)
    return settings


def _check(settings: Settings) -> None:
    if settings.backend not in BACKENDS:
        raise ConfigError(f"backend must be one of {', '.join(BACKENDS)}, got {settings.backend!r}")
    if settings.mode not in {"generative", "extractive"}:
        raise ConfigError(f"mode must be generative or extractive, got {settings.mode!r}")
    if settings.embedding_backend not in EMBEDDING_BACKENDS:
        raise ConfigError(
            f"embedding_backend must be one of {', '.join(EMBEDDING_BACKENDS)}, got {settings.embedding_backend!r}"
        )
    if settings.auth and ":" not in settings.auth:
        raise ConfigError("auth must look like user:password")
