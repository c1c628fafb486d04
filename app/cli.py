"""The ``hoctap`` console script: parses arguments, builds Settings, translates domain errors.

Each subcommand lives in ``app.commands.<name>`` with ``register(subparsers)`` and
``run(args, settings) -> int``. Domain errors become one clear line on stderr and exit 1;
argument errors exit 2 (argparse).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ingest.errors import HoctapError
from ingest.settings import Settings

COMMANDS = ["ingest", "web", "quiz", "outline", "ask", "eval"]


def build_parser() -> argparse.ArgumentParser:
    """The parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="hoctap",
        description="Trợ lý học tập nghị quyết, chạy offline (offline study assistant).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    for name in COMMANDS:
        module = importlib.import_module(f"app.commands.{name}")
        module.register(sub)
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by ``--corpus`` / ``--index`` when given."""
    return Settings.from_env(corpus_dir=getattr(args, "corpus", None),
                             index_dir=getattr(args, "index", None))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args, settings_from(args)))
    except HoctapError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng (interrupted).", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
