"""Articles in: Article records, the readers of files, folders and streams, publication dates and datelines."""
from .article import Article, ReadReport, Skipped, article_from_text, text_key
from .dates import parse_published
from .datelines import published_from_dateline
from .readers import MAX_ARTICLE_CHARS, example_articles, read_articles

__all__ = ["MAX_ARTICLE_CHARS", "Article", "ReadReport", "Skipped", "article_from_text", "example_articles",
           "parse_published", "published_from_dateline", "read_articles", "text_key"]
