import shutil
from pathlib import Path

import pytest

from assistant.config import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


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
