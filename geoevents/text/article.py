"""``Article``: one news article and what is known of it; ``Skipped``: an input that was not read, and why."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

from .dates import parse_published

__all__ = ["Article", "ReadReport", "Skipped", "article_from_text", "text_key"]


@dataclass(slots=True)
class Article:
    """One news article: its text and what is known about it.

    ``metadata`` holds the fields of a JSON/CSV row that are not Article fields, values as
    read. ``origin`` says where the article came from (``news.jsonl:12``, ``folder/a.txt``,
    ``<stdin>:3``), for messages.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: date | None = None
    metadata: dict = field(default_factory=dict)
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input item that was not read, and why (one human phrase)."""

    origin: str
    reason: str

    def line(self) -> str:
        return f"{self.origin}: skipped: {self.reason}"


class ReadReport:
    """Collects ``Skipped`` records; pass an instance as ``read_articles(..., report=...)``."""

    def __init__(self) -> None:
        self.skipped: list[Skipped] = []

    def __call__(self, skipped: Skipped) -> None:
        self.skipped.append(skipped)

    @property
    def count(self) -> int:
        return len(self.skipped)

    def lines(self) -> list[str]:
        return [s.line() for s in self.skipped]

    def __repr__(self) -> str:
        return f"ReadReport(count={self.count})"


def article_from_text(
    text: str,
    id: str | None = None,
    published: date | datetime | str | None = None,
    title: str | None = None,
    source: str | None = None,
    url: str | None = None,
) -> Article:
    """An Article for text in hand; the id defaults to a stable hash of the text."""
    return Article(
        id=id if id is not None else text_key(text),
        text=text,
        title=title,
        url=url,
        source=source,
        published=parse_published(published),
        origin="<text>",
    )


def text_key(text: str) -> str:
    """A stable key for an article without an id: a hash of its text."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
