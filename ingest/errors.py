"""Domain errors of the library. The CLI and the web app translate them at the edge."""
from __future__ import annotations


class HoctapError(Exception):
    """Base class: ``str(error)`` is a message fit to show a user (Vietnamese first)."""


class UnreadableDocument(HoctapError):
    """A file could not be turned into text; the message says why, in Vietnamese."""


class IndexNotFound(HoctapError):
    """No index exists where one was expected."""


class IndexMismatch(HoctapError):
    """The index was built with another embedder or pipeline version."""


class IndexLocked(HoctapError):
    """Another ingest holds the index lock."""
