"""The ``--export FILE`` option shared by ``hoctap quiz`` and ``hoctap outline``.

The file name is checked while the arguments are parsed, so a bad extension is a usage error
(exit 2, one Vietnamese line on stderr) before anything is generated or printed.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from app.quiz.sheets import UnsupportedFormat, export_format


def export_path(value: str) -> Path:
    """``argparse`` type: a path ending in .docx or .pdf."""
    try:
        export_format(value)
    except UnsupportedFormat as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return Path(value)
