"""vigie_territory: the communes and watch places a text names, with the main commune's point.

Writes ``doc._.territory`` = ``{"communes": [{insee, name, departement}], "places": [...],
"location": {"lat", "lon"} | None}`` (see ``vigie.nlp.extensions``), reading the watch context from
``doc._.watch``.  It needs no annotation from the model (it matches folded words of the raw
text), so it runs in ``spacy.blank("fr")`` as well as after ``fr_core_news_sm``.  The gazetteer
(``nlp/data/communes``, built by ``vigie.nlp.territory.build_gazetteer``) is saved with the pipeline
by ``to_disk``, so a saved pipeline is one folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path, registry

from vigie.nlp import extensions
from vigie.nlp.errors import PipelineLoadError
from vigie.nlp.territory.gazetteer import DATA, FILES, Gazetteer, load_gazetteer
from vigie.nlp.territory.tagger import Tagger, Watch, make_watch

MAX_CHARS = 1_000_000  # a text longer than this is tagged on its beginning


@registry.misc("vigie.territory_gazetteer.v1")
def territory_gazetteer(path: str | None = None) -> str:
    """Where the gazetteer is read from: a folder holding ``communes.tsv.gz`` (default: packaged)."""
    return str(path or DATA)


@Language.factory(
    "vigie_territory",
    default_config={"gazetteer": {"@misc": "vigie.territory_gazetteer.v1", "path": None}, "max_chars": MAX_CHARS},
)
def make_territory(nlp: Language, name: str, gazetteer: str, max_chars: int) -> TerritoryTagger:
    return TerritoryTagger(name, gazetteer, max_chars)


class TerritoryTagger:
    """Sets ``doc._.territory`` for every doc (an empty result when nothing is named)."""

    def __init__(self, name: str, gazetteer: str | Path | None = None, max_chars: int = MAX_CHARS):
        extensions.register()
        self.name = name
        self.folder = Path(gazetteer or DATA)
        self.max_chars = max_chars
        self._tagger: Tagger | None = None  # loaded on first use (the gazetteer takes ~0.5 s)

    @property
    def gazetteer(self) -> Gazetteer:
        return self.tagger.g

    @property
    def tagger(self) -> Tagger:
        if self._tagger is None:
            self._tagger = Tagger(load_gazetteer(self.folder))
        return self._tagger

    def watch(self, doc: Doc) -> Watch:
        context = doc._.watch
        if context is None:
            return make_watch(self.gazetteer, (), (), ())
        return make_watch(self.gazetteer, tuple(context.communes), tuple(context.departements),
                          tuple(context.places))

    def load(self) -> None:
        """Read the gazetteer now rather than on first use, so that one that cannot be read stops the build."""
        try:
            self.tagger  # noqa: B018
        except Exception as exc:
            raise PipelineLoadError(self.name, f"{self.folder}: {type(exc).__name__}: {exc}") from exc

    def __call__(self, doc: Doc) -> Doc:
        doc._.territory = self.tagger.tag(doc.text[: self.max_chars], self.watch(doc))
        return doc

    def to_disk(self, path, *, exclude=()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name in FILES:
            if (self.folder / name).exists():
                shutil.copyfile(self.folder / name, path / name)

    def from_disk(self, path, *, exclude=()) -> TerritoryTagger:
        path = ensure_path(path)
        if (path / "communes.tsv.gz").exists():
            self.folder = path
            self._tagger = None
            self.load()
        return self
