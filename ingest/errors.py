"""Domain errors of the library. The CLI and the web app translate them at the edge.

``exit_code`` is what ``hoctap`` exits with and ``kind`` names the error in ``--json`` output:
1 = something failed, 2 = the request cannot be carried out as given (nothing was changed),
3 = another ingest holds the index (try again later), 4 = the index was built differently.
"""
from __future__ import annotations


class HoctapError(Exception):
    """Base class: ``str(error)`` is a message fit to show a user (Vietnamese first)."""

    exit_code = 1
    kind = "error"


class UnreadableDocument(HoctapError):
    """A file could not be turned into text; the message says why, in Vietnamese."""

    kind = "unreadable_document"


class IndexNotFound(HoctapError):
    """No index exists where one was expected."""

    kind = "index_not_found"


class IndexMismatch(HoctapError):
    """The index was built with another embedder or pipeline version."""

    kind = "index_mismatch"
    exit_code = 4  # distinct, so that ``make run`` can rebuild the shipped corpus's index


class IndexLocked(HoctapError):
    """Another ingest holds the index lock."""

    exit_code = 3
    kind = "index_locked"


class CorpusUnavailable(HoctapError):
    """The corpus folder is missing, not a folder or unreadable: the index is left untouched."""

    exit_code = 2
    kind = "corpus_unavailable"


class CorpusEmpty(HoctapError):
    """The corpus folder holds no file while the index holds documents (and emptying the
    index was not asked for explicitly): the index is left untouched."""

    exit_code = 2
    kind = "corpus_empty"


class UsageError(HoctapError):
    """A command asked for something it cannot do as given (an empty question, ``--n 0``):
    nothing was done."""

    exit_code = 2
    kind = "usage_error"


class CannotWrite(HoctapError):
    """A file the user asked for (an export, a template) cannot be written there: the folder
    is missing, not writable … Nothing was written."""

    exit_code = 2
    kind = "cannot_write"
