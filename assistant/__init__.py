"""Citation-grounded question answering over medical billing documents.

    from assistant import Assistant, load_settings
    answer = Assistant(load_settings()).ask("Does Cigna cover 0581T?")
    print(answer.answer, answer.citations)

The names below load on first use, so importing one small module (``assistant.codes``) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "Answer",
    "Assistant",
    "Citation",
    "Document",
    "Filters",
    "IngestReport",
    "Passage",
    "Query",
    "QuestionError",
    "Settings",
    "load_settings",
]

_WHERE = {
    "Answer": "types",
    "Citation": "types",
    "Document": "types",
    "Filters": "types",
    "Passage": "types",
    "Query": "types",
    "Assistant": "answer",
    "QuestionError": "answer",
    "Settings": "config",
    "load_settings": "config",
    "IngestReport": "ingest",
}

if TYPE_CHECKING:
    from .answer import Assistant, QuestionError
    from .config import Settings, load_settings
    from .ingest import IngestReport
    from .types import Answer, Citation, Document, Filters, Passage, Query


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
