"""Files kept per index generation beside the index (the BM25 index, the dense matrix).

Each lives in ``root/<generation…>/``; saving a generation removes the others, a read-only
index folder just means it is rebuilt next time, and a new generation may reuse the most
recent other one's work (tokens, vectors of unchanged passages).
"""
from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path


def latest_other(root: Path, folder: Path, usable: Callable[[Path], bool]) -> Path | None:
    """The most recently written folder under ``root`` other than ``folder`` that is
    ``usable``, if any."""
    if not root.is_dir():
        return None
    found = [p for p in root.iterdir() if p != folder and usable(p)]
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def save_only(root: Path, folder: Path, save: Callable[[Path], None]) -> None:
    """``save`` into ``folder``, then remove ``root``'s other generations; a read-only index
    still answers, it just rebuilds next time."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        save(folder)
        for old in root.iterdir():
            if old.name != folder.name:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
