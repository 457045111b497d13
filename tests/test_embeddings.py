"""The embedding backends: the int8 ONNX export keeps torch's vectors (cosine), is made locally and cached, and
an index is never a mix of two backends' vectors."""

import json
import shutil

import numpy as np
import pytest

from assistant.config import ConfigError, Settings, load_settings
from assistant.embeddings import backend_of, embedding_name, load_embedding_model, onnx_export_dir
from assistant.ingest import ingest
from assistant.retrieve import Retriever

from .conftest import CORPUS

TEXTS = [
    "title: CPT 0581T\nsection: Coverage Policy\n\nCryoablation of malignant breast tumors is not medically necessary.",
    "Modifier 74 | Discontinued outpatient procedure after anesthesia",
    "Does Cigna cover 0581T?",
    "C50.911 | Malignant neoplasm of unspecified site of right female breast",
]


def test_int8_vectors_keep_the_torch_vectors_direction():
    onnx, torch = load_embedding_model("onnx-int8"), load_embedding_model("torch")
    a = np.asarray(onnx.embed_texts(TEXTS))
    b = np.asarray(torch.get_text_embedding_batch(TEXTS))
    assert a.shape == b.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-4)
    assert (a * b).sum(axis=1).min() > 0.97
    # A question is embedded alone, the same way through either door.
    assert np.allclose(onnx.get_query_embedding(TEXTS[2]), onnx.embed_texts([TEXTS[2]])[0], atol=1e-6)


def test_a_text_s_int8_vector_is_its_own_whatever_is_embedded_beside_it():
    # The int8 model quantises a run's activations with one scale: a passage's vector must not move when other
    # passages (a long one, many short ones) are embedded with it, or adding a document changes other answers.
    onnx = load_embedding_model("onnx-int8")
    alone = np.asarray(onnx.embed_texts([TEXTS[1]]))[0]
    beside = np.asarray(onnx.embed_texts([TEXTS[0] * 20, TEXTS[1], *TEXTS[2:] * 8]))[1]
    assert np.array_equal(alone, beside)


def test_the_export_is_made_from_the_shipped_weights_and_cached():
    load_embedding_model("onnx-int8")
    folder = onnx_export_dir()
    assert (folder / "model.onnx").is_file() and (folder / "tokenizer.json").is_file()
    made = json.loads((folder / "export.json").read_text())
    assert made["weights_sha256_16"] in folder.name and f"r{made['recipe']}" in folder.name


def test_each_backend_names_its_vectors():
    assert embedding_name("torch") != embedding_name("onnx-int8")
    assert backend_of(embedding_name("onnx-int8")) == "onnx-int8" and backend_of("some-other-model") is None
    with pytest.raises(ValueError):
        embedding_name("gpu")
    with pytest.raises(ConfigError):
        load_settings(env={"ASSISTANT_EMBEDDING_BACKEND": "gpu"})


def test_an_index_of_other_vectors_is_rebuilt_never_mixed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted(CORPUS.glob("cpt-*.txt"))[:2]:
        shutil.copy(f, corpus / f.name)
    index = tmp_path / "index"
    torch_settings = Settings(corpus_dir=corpus, index_dir=index, backend="none", embedding_backend="torch")
    first = ingest(torch_settings, progress=False)
    assert Retriever(torch_settings).manifest.embedding_model == embedding_name("torch")  # read with torch's questions

    onnx_settings = torch_settings.with_overrides(embedding_backend="onnx-int8")
    again = ingest(onnx_settings, progress=False)
    assert again.rebuilt and again.embedded == again.passages == first.passages
    retriever = Retriever(onnx_settings)
    assert retriever.manifest.embedding_model == embedding_name("onnx-int8")
    assert retriever.store.collection(retriever.manifest.collection).count() == again.passages
    assert retriever.retrieve("What does CPT 0581T describe?")
