"""Errors a user's input causes, and the one line each prints as."""
from __future__ import annotations


class InputError(Exception):
    """A file or value a user gave is missing, corrupt or of the wrong kind.

    The message is one line that names the input and the problem, fit to print as is.
    """

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


def one_line(exc: BaseException | None, *, named: bool = False) -> str:
    """The first line of an exception's message (its class name when empty); ``named`` prefixes the class."""
    if exc is None:
        return "unknown error"
    lines = str(exc).strip().splitlines()
    name = type(exc).__name__
    if not lines or not lines[0]:
        return name
    return f"{name}: {lines[0]}" if named else lines[0]
