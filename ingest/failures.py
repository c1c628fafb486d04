"""The files the last ingest could not index, kept beside the index (``failed.json``).

The library page reads them (the CLI prints each failure at every ingest, since failed files
are read again each time): a file left unindexed (scanned PDF, password, old Word format) is
listed with its reason until a later ingest reads it or it is removed.
The file is replaced whole (temporary name, then rename), so a crash leaves the old list.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

NAME = "failed.json"


@dataclass(frozen=True)
class FailedFile:
    """One corpus file not indexed, and why (Vietnamese)."""

    source: str  # corpus-relative path
    reason: str


def save_failures(index_dir: Path, failed: list[dict[str, str]]) -> None:
    """Store an ingest report's ``failed`` entries as the current list."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    data = [{"file": f["file"], "reason": f["reason"]} for f in failed]
    tmp = index_dir / f".{NAME}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, index_dir / NAME)


def load_failures(index_dir: Path) -> list[FailedFile]:
    """The failures stored by the last ingest; none when there is no (readable) list."""
    try:
        data = json.loads((Path(index_dir) / NAME).read_text(encoding="utf-8"))
        return [FailedFile(str(d["file"]), str(d["reason"])) for d in data]
    except (OSError, ValueError, KeyError, TypeError):
        return []
