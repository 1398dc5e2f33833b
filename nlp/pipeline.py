"""The Vigie French pipeline: declared in ``nlp/config.cfg``, assembled from it, saved as one folder.

    nlp = build_pipeline()                 # nlp/config.cfg: fr_core_news_sm parts + our components
    doc = nlp("Toujours pas de ramassage des poubelles rue Victor Hugo !")
    doc._.topics, doc._.request            # ['proprete-dechets', …], {'is_request': True, …}
    nlp.to_disk("pipeline/")               # one folder (config.cfg, the model parts, our data)
    load_pipeline("pipeline/")             # = spacy.load, plus the same load checks

``nlp/config.cfg`` is a spaCy config: ``lemmatizer`` (its tables serve vigie_lexicon) and ``ner``
(run by vigie_terms only on texts that can hold a name) are sourced from ``fr_core_news_sm``, both
kept disabled; the ``parser`` is left out (nothing reads dependencies), and so are ``tok2vec``,
``morphologizer`` and ``attribute_ruler`` (vigie_lexicon gives lemmas and parts of speech from the
lemmatizer's tables).  ``fr_core_news_sm`` is the default: ``md`` is slower (static vectors) and did
not change the topic or request figures, which are rule-based on lemmas (see docs/nlp.md).

``build_pipeline`` edits that config before assembling it (another source model, the model's own
tagger, components left out, settings overridden), then reads every component's data (models,
gazetteer, lexicons, tables) at once.  A component that cannot be built or whose data cannot be
read raises ``PipelineLoadError`` naming it: there is no pipeline without one of its components.
"""

from __future__ import annotations

import copy
import importlib
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from vigie.nlp.errors import PipelineLoadError

CONFIG = Path(__file__).resolve().with_name("config.cfg")
MODELS = {"sm": "fr_core_news_sm", "md": "fr_core_news_md"}
SOURCE_PARTS = ["tok2vec", "morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer", "ner"]
MODEL_TAGGER = ["tok2vec", "morphologizer", "attribute_ruler"]  # sourced with tagger="model"
# (factory name, module that registers it, optional?): no component is optional, each must load
COMPONENTS = [
    ("vigie_territory", "vigie.nlp.components.territory", False),
    ("vigie_topics", "vigie.nlp.components.topics", False),
    ("vigie_sentiment", "vigie.nlp.components.sentiment", False),
    ("vigie_toxicity", "vigie.nlp.components.toxicity", False),
    ("vigie_request", "vigie.nlp.components.request", False),
    ("vigie_terms", "vigie.nlp.components.terms", False),
]
LANGUAGE = ("vigie_language", "vigie.nlp.components.language")
LEXICON = ("vigie_lexicon", "vigie.nlp.components.lexicon")


def import_components() -> None:
    """Register our factories and registered functions (also done by the package's spaCy entry points)."""
    for factory, module in [LANGUAGE, LEXICON] + [(f, m) for f, m, _ in COMPONENTS]:
        try:
            importlib.import_module(module)
        except Exception as exc:
            raise PipelineLoadError(factory, f"{module} does not import: {type(exc).__name__}: {exc}") from exc


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def pipeline_config(model: str = "fr_core_news_sm", *, tagger: str = "lexicon",
                    exclude: list[str] | tuple[str, ...] = (), config: dict[str, dict] | None = None,
                    path: str | Path = CONFIG, profile: str | None = None):
    """The spaCy config of ``path`` (default ``nlp/config.cfg``) with the options of ``build_pipeline``."""
    if profile is not None:
        from vigie.settings import check_profile

        profile = check_profile(profile, "profile")
        if profile:
            config = _merge({"vigie_sentiment": {"profile": profile}, "vigie_request": {"profile": profile},
                             "vigie_toxicity": {"profile": profile}},
                            config or {})
    if tagger not in ("lexicon", "model"):
        raise ValueError(f"tagger must be 'lexicon' or 'model', not {tagger!r}")
    cfg = spacy.util.load_config(path)
    nlp_cfg, components = cfg["nlp"], cfg["components"]
    pipeline, disabled = list(nlp_cfg["pipeline"]), list(nlp_cfg.get("disabled", []))
    model = MODELS.get(model, model)
    for section in components.values():
        if "source" in section:
            section["source"] = model
    if tagger == "model" and LEXICON[0] in pipeline:
        at = pipeline.index(LEXICON[0])
        pipeline[at:at + 1] = MODEL_TAGGER
        components.pop(LEXICON[0], None)
        for name in MODEL_TAGGER:
            components[name] = {"source": model}
        disabled = [name for name in disabled if name != "lemmatizer"]
    for name in exclude:
        if name in pipeline:
            pipeline.remove(name)
            components.pop(name, None)
    if "vigie_terms" not in pipeline:
        disabled = [name for name in disabled if name != "ner"]  # nothing else runs it
    for name, override in (config or {}).items():
        if name in ("vigie_sentiment", "vigie_request", "vigie_toxicity") and name not in components \
                and set(override) == {"profile"}:
            continue  # a profile for a pipeline without the component: nothing to set
        if name not in components:
            raise PipelineLoadError(name, "settings given for a component that is not in the pipeline")
        components[name] = _merge(components[name], override)
    nlp_cfg["pipeline"], nlp_cfg["disabled"] = pipeline, [n for n in disabled if n in pipeline]
    return cfg


def build_pipeline(model: str = "fr_core_news_sm", *, tagger: str = "lexicon",
                   exclude: list[str] | tuple[str, ...] = (), config: dict[str, dict] | None = None,
                   path: str | Path = CONFIG, profile: str | None = None) -> Language:
    """Assemble the pipeline declared in ``path`` (default ``nlp/config.cfg``).

    ``model``: "sm", "md" or a package name/path, the source of the model's components.  ``tagger``:
    "lexicon" (lemmas and parts of speech from the model's lemmatizer tables, see vigie_lexicon) or
    "model" (the model's tok2vec, morphologizer, attribute_ruler and lemmatizer).  ``exclude``:
    components to leave out (e.g. ``["vigie_terms"]``).  ``config``: settings by component name,
    merged into the config (``{"vigie_sentiment": {"model": {"path": "other.json.gz"}}}``).  ``profile``:
    "accurate" (default of the config) or "fast", the sentiment and request models (see docs/nlp.md).
    Raises ``PipelineLoadError`` naming the component that cannot be built or loaded.
    """
    cfg = pipeline_config(model, tagger=tagger, exclude=exclude, config=config, path=path, profile=profile)
    import_components()
    try:
        nlp = spacy.util.load_model_from_config(cfg, auto_fill=True, validate=True)
    except PipelineLoadError:
        raise
    except Exception as exc:
        raise _diagnose(cfg, exc) from exc
    _source_vectors(nlp, cfg)
    load_components(nlp)
    nlp.meta["vigie"] = {
        "model": MODELS.get(model, model), "tagger": tagger, "config": str(path),
        "profile": getattr(nlp.get_pipe("vigie_sentiment"), "profile", None) if "vigie_sentiment" in nlp.pipe_names
        else None,
        "components": [name for name in nlp.pipe_names if name.startswith("vigie_")],
        # components left out on request (none fails to load: that is an error)
        "skipped": {name: "excluded on request" for name in exclude},
    }
    return nlp


def load_components(nlp: Language) -> None:
    """Read every component's data now (models, gazetteer, lexicons, tables): a failure names its component."""
    for name, proc in nlp.components:
        load = getattr(proc, "load", None)
        if not callable(load):
            continue
        try:
            load()
        except PipelineLoadError:
            raise
        except Exception as exc:
            raise PipelineLoadError(name, _with_file(proc, exc)) from exc


def load_pipeline(path: str | Path) -> Language:
    """Load a pipeline saved with ``nlp.to_disk`` (``spacy.load``), its components' data read at once."""
    path = Path(path)
    if not (path / "config.cfg").is_file():
        raise PipelineLoadError("pipeline", f"{path} is not a saved pipeline (no config.cfg)")
    import_components()
    try:
        nlp = spacy.load(path)
    except PipelineLoadError:
        raise
    except Exception as exc:
        raise _diagnose(spacy.util.load_config(path / "config.cfg"), exc, folder=path) from exc
    load_components(nlp)
    return nlp


def open_pipeline(path: str | Path) -> Language:
    """A saved pipeline folder (``load_pipeline``) or a config file to assemble (``build_pipeline``)."""
    path = Path(path)
    if path.is_dir():
        return load_pipeline(path)
    if not path.is_file():
        raise PipelineLoadError("pipeline", f"{path} is neither a saved pipeline folder nor a config file")
    return build_pipeline(path=path)


def _source_vectors(nlp: Language, cfg) -> None:
    """Give the pipeline the vectors of the model its components come from (md has static vectors).

    spaCy's assembly restores the blank vocabulary after sourcing; a model with vectors needs them back.
    """
    sources = {section["source"] for section in cfg["components"].values() if "source" in section}
    for source in sources:
        wanted = set(nlp.meta.get("_sourced_vectors_hashes", {}).values())
        if not wanted or hash(nlp.vocab.vectors.to_bytes(exclude=["strings"])) in wanted:
            return
        spacy.util.load_model(source, vocab=nlp.vocab, exclude=SOURCE_PARTS)


def _diagnose(cfg, exc: Exception, folder: Path | None = None) -> PipelineLoadError:
    """The component at fault when assembling or loading failed: the first one that fails on its own."""
    components: dict[str, Any] = cfg.get("components", {})
    text = str(exc)
    for name in cfg["nlp"]["pipeline"]:
        section = components.get(name)
        if section is None:
            return PipelineLoadError(name, f"listed in [nlp] pipeline but has no [components.{name}] section")
        if "source" in section:
            source = section["source"]
            if not (spacy.util.is_package(source) or Path(source).exists()):
                return PipelineLoadError(name, f"its source model {source!r} is not installed")
            continue
        factory = section.get("factory")
        settings = {key: copy.deepcopy(value) for key, value in section.items() if key != "factory"}
        try:
            spacy.blank(cfg["nlp"]["lang"]).add_pipe(factory, name=name, config=settings)
        except Exception as own:
            return PipelineLoadError(name, _with_file(None, own, settings))
        if folder is not None and f"'{name}'" in text:
            return PipelineLoadError(name, exc)
    return PipelineLoadError("pipeline" if folder is None else str(folder), exc)


def _with_file(proc: Any, exc: Exception, settings: dict | None = None) -> Exception | str:
    """The error, prefixed with the component's model file when it has one (the file is what to fix)."""
    path = getattr(getattr(proc, "source", None), "path", None)
    if path is None and settings:
        path = (settings.get("model") or {}).get("path") if isinstance(settings.get("model"), dict) else None
    if path is None or str(path) in str(exc):
        return exc
    return f"{path}: {type(exc).__name__}: {exc}"

