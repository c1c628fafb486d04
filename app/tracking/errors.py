"""Domain errors of the tracking capability; messages are Vietnamese, fit to show a user."""
from __future__ import annotations

from ingest.errors import HoctapError


class TrackingError(HoctapError):
    """Base class of the tracking errors."""


class ImportRejected(TrackingError):
    """A units file was refused; ``rows`` holds one Vietnamese message per faulty row."""

    exit_code = 2
    kind = "import_rejected"

    def __init__(self, rows: list[str]) -> None:
        self.rows = rows
        shown = "; ".join(rows[:10]) + (f"; … và {len(rows) - 10} lỗi khác" if len(rows) > 10 else "")
        super().__init__(f"Tệp đơn vị không được nhập (không thay đổi gì): {shown}")


class NotFound(TrackingError):
    """A unit, campaign or report that does not exist."""

    exit_code = 2
    kind = "not_found"


class AccessDenied(TrackingError):
    """Wrong access code, or a unit writing another unit's report."""

    exit_code = 2
    kind = "access_denied"


class InvalidReport(TrackingError):
    """A report whose figures or date cannot be right; nothing was changed."""

    exit_code = 2
    kind = "invalid_report"


class StaleEdit(TrackingError):
    """Someone else changed the report since it was read; nothing was changed."""

    exit_code = 2
    kind = "stale_edit"
