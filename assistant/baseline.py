"""The pipeline a team would build first with LlamaIndex, kept vanilla on purpose for comparison.

VectorStoreIndex over the raw files, the default SentenceSplitter, top-k 2, the same embedding model and
the same LLM, LlamaIndex's default QA prompt. Its answers are turned into answer objects so the eval
scorer treats both pipelines alike; a chunk is "cited" with the parsed sections it overlaps.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from .config import Settings
from .corpus import corpus_files, parse_document
from .llm import LLM, LLMError

_NO_ANSWER = re.compile(
    r"\b(not (mentioned|provided|specified|stated|available|included)|no information|"
    r"does not (say|mention|provide|specify|contain)|cannot (answer|determine)|"
    r"(don't|do not) know|empty response)\b",
    re.I,
)
TOP_K = 2


def llama_index_llm(llm: LLM, max_tokens: int):
    """Our LLM backend as a llama-index CustomLLM, so the vanilla pipeline uses exactly the same model."""
    from llama_index.core.llms import CompletionResponse, CustomLLM, LLMMetadata
    from llama_index.core.llms.callbacks import llm_completion_callback

    class _Wrapped(CustomLLM):
        backend: Any = None
        max_tokens: int = 120

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(context_window=4096, num_output=self.max_tokens, model_name=self.backend.name)

        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs) -> CompletionResponse:
            try:
                text = self.backend.chat([{"role": "user", "content": prompt}], self.max_tokens)
            except LLMError as exc:
                text = f"(LLM error: {exc})"
            return CompletionResponse(text=text)

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs):
            yield self.complete(prompt, formatted, **kwargs)

    return _Wrapped(backend=llm, max_tokens=max_tokens)


class VanillaPipeline:
    name = "vanilla llama-index"

    def __init__(self, settings: Settings, llm: LLM | None, embed_model=None, vector_store=None):
        from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex

        from .embeddings import load_embedding_model

        files = corpus_files(Path(settings.corpus_dir))
        self._sections = {p.stem: parse_document(p, settings.max_file_bytes).passages for p in files}
        documents = SimpleDirectoryReader(input_files=[str(p) for p in files]).load_data()
        storage = StorageContext.from_defaults(vector_store=vector_store) if vector_store is not None else None
        self.index = VectorStoreIndex.from_documents(
            documents, embed_model=embed_model or load_embedding_model(), storage_context=storage
        )
        self.llm = llm
        self.settings = settings
        self.retriever = self.index.as_retriever(similarity_top_k=TOP_K)
        if llm is not None:
            self.engine = self.index.as_query_engine(
                llm=llama_index_llm(llm, settings.max_tokens), similarity_top_k=TOP_K
            )

    def _sections_of(self, document: str, start: int | None, end: int | None) -> str:
        if start is None or end is None:
            return ""
        paths = []
        for p in self._sections.get(document, []):
            if p.start < end and p.end > start and p.section_path not in paths:
                paths.append(p.section_path)
        return " | ".join(paths)

    def _citations(self, nodes) -> list[dict]:
        out = []
        for n, scored in enumerate(nodes, 1):
            node = scored.node
            document = Path(node.metadata.get("file_name", "")).stem
            out.append(
                {
                    "n": n,
                    "document": document,
                    "section": self._sections_of(document, node.start_char_idx, node.end_char_idx),
                    "quote": node.get_content(),
                    "start": node.start_char_idx,
                    "end": node.end_char_idx,
                }
            )
        return out

    def retrieve(self, question: str) -> list[tuple[str, str]]:
        return [(c["document"], c["section"]) for c in self._citations(self.retriever.retrieve(question))]

    def ask(self, question: str) -> dict:
        started = time.perf_counter()
        if self.llm is None:
            nodes = self.retriever.retrieve(question)
            text = nodes[0].node.get_content() if nodes else ""
        else:
            response = self.engine.query(question)
            nodes, text = response.source_nodes, str(response)
        # Vanilla output has no markers; every source node counts as cited by the whole answer.
        citations = self._citations(nodes)
        marked = text.strip() + " " + "".join(f"[{c['n']}]" for c in citations)
        return {
            "question": question,
            "answer": marked,
            "abstained": bool(_NO_ANSWER.search(text)),
            "mode": "vanilla",
            "backend": self.llm.name if self.llm else "none",
            "citations": citations,
            "dropped_claims": 0,
            "timings_ms": {"total": round((time.perf_counter() - started) * 1000, 1)},
            "notice": "",
            "error": "",
        }
