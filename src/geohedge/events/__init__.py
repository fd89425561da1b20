"""Events: code news into who-did-what-to-whom (PLOVER types), and track relations.

Pure analytics: plain text and DataFrames in, frozen results out; reading articles and
GDELT files and the store live in :mod:`geohedge.data` and :mod:`geohedge.views`.

- :mod:`~geohedge.events.actors`: actors named in text (countries, capitals, leaders with
  dated terms, institutions, companies, organisations) resolved to ISO3 or an
  organisation code and a sector.
- :mod:`~geohedge.events.classify`: per sentence, from a dependency parse
  (:mod:`~geohedge.events.pipeline`, the hash-checked spaCy English pipeline) and the
  dictionary in :mod:`~geohedge.events.lexicon`: the PLOVER event type, source and
  target, mode, date (:mod:`~geohedge.events.dates`), intensity (-10..+10) and
  confidence; CAMEO codes (GDELT) map to the same types (:mod:`~geohedge.events.cameo`).
- :mod:`~geohedge.events.relations`: the monthly dyadic cooperation–conflict index.
"""

from geohedge.events.actors import Actor, default_actors, load_actors, resolve_actor
from geohedge.events.batch import code_texts
from geohedge.events.classify import (
    classify_sentence,
    code_sentences,
    code_text,
    split_sentences,
)
from geohedge.events.relations import relations_index
from geohedge.events.results import (
    CONFLICT,
    COOPERATION,
    MODES,
    PLOVER_TYPES,
    CodedText,
    Event,
    RelationsIndex,
)

__all__ = [
    "CONFLICT",
    "COOPERATION",
    "MODES",
    "PLOVER_TYPES",
    "Actor",
    "CodedText",
    "Event",
    "RelationsIndex",
    "classify_sentence",
    "code_sentences",
    "code_text",
    "code_texts",
    "default_actors",
    "load_actors",
    "relations_index",
    "resolve_actor",
    "split_sentences",
]
