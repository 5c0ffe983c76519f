"""Evaluation harnesses: gold corpora readers and the standard scores for toponyms and event places."""
from .event_places import (
    EventLocationError,
    EventLocationExample,
    evaluate_event_locations,
    read_event_locations,
    score_event_locations,
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

__all__ = [
    "GWN", "LGL", "MAX_ERROR_KM", "CorpusError", "EventLocationError", "EventLocationExample", "GoldArticle", "GoldToponym",
    "Prediction", "error_auc", "evaluate_end2end", "evaluate_end2end_many", "evaluate_event_locations",
    "evaluate_resolution", "evaluate_resolution_many", "format_table", "match_spans", "read_corpus",
    "read_event_locations", "recognition_scores", "recognition_targets", "resolution_scores",
    "resolution_targets", "score_event_locations",
]
