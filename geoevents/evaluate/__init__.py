"""Evaluation harnesses: gold corpora readers and the standard scores for toponyms, event places, UCDP events and event types."""
from .event_places import (
    EventLocationError,
    EventLocationExample,
    evaluate_event_locations,
    read_event_locations,
    score_event_locations,
)
from .event_types import (
    CASE_SUBTYPES,
    NO_EVENT,
    CaseError,
    CaseSnippet,
    evaluate_event_types,
    format_event_types_table,
    read_case_snippets,
    score_event_types,
)
from .metrics import MAX_ERROR_KM, error_auc, format_table, match_spans, resolution_scores
from .toponyms import (
    GWN,
    LGL,
    CorpusError,
    GoldArticle,
    GoldToponym,
    Prediction,
    evaluate_end2end,
    evaluate_end2end_many,
    evaluate_resolution,
    evaluate_resolution_many,
    read_corpus,
    recognition_scores,
    recognition_targets,
    resolution_targets,
)
from .ucdp import (
    UCDP_TYPES_OF,
    UCDPError,
    UCDPRow,
    evaluate_ucdp,
    format_ucdp_table,
    match_row,
    read_ucdp,
    score_ucdp,
    ucdp_types,
)

__all__ = [
    "GWN", "LGL", "MAX_ERROR_KM", "CorpusError", "EventLocationError", "EventLocationExample", "GoldArticle", "GoldToponym",
    "Prediction", "error_auc", "evaluate_end2end", "evaluate_end2end_many", "evaluate_event_locations",
    "evaluate_resolution", "evaluate_resolution_many", "format_table", "match_spans", "read_corpus",
    "read_event_locations", "recognition_scores", "recognition_targets", "resolution_scores",
    "resolution_targets", "score_event_locations",
    "CASE_SUBTYPES", "NO_EVENT", "CaseError", "CaseSnippet", "evaluate_event_types", "format_event_types_table",
    "read_case_snippets", "score_event_types",
    "UCDP_TYPES_OF", "UCDPError", "UCDPRow", "evaluate_ucdp", "format_ucdp_table", "match_row", "read_ucdp",
    "score_ucdp", "ucdp_types",
]
