"""Geoparsing: the place names in a text (recognise), their gazetteer candidates, the article's evidence, the ranking."""
from .geoparser import Geoparser, default_geoparser, geoparse, geoparse_many
from .toponym import Toponym

__all__ = ["Geoparser", "Toponym", "default_geoparser", "geoparse", "geoparse_many"]
