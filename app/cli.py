"""The ``hoctap`` console script: parses arguments, builds Settings, translates domain errors.

Each subcommand lives in ``app.commands.<name>`` with ``register(subparsers)`` and
``run(args, settings) -> int``. Domain errors become one clear line on stderr (or, with
``--json``, a JSON object on stdout) and exit with the error's code: 1 a failure, 2 a request
that cannot be carried out as given (nothing changed), 3 another ingest running, 4 an index
built differently. Argument errors exit 2, with argparse's messages in Vietnamese. Output cut
short by its reader (``hoctap ask … | head -3``) ends quietly with 141.
"""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from collections.abc import Sequence

from ingest.errors import HoctapError
from ingest.settings import Settings

COMMANDS = ["ingest", "web", "quiz", "outline", "ask", "eval", "units", "campaign", "report"]
NAMES = {"app": "web"}  # subcommands named otherwise than their module

_VI = {
    "usage: ": "cách dùng: ",
    "options": "tùy chọn",
    "positional arguments": "tham số",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không hợp lệ: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "expected one argument": "cần đúng một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    # %(type)s is the Python type's name ("int"), so it is left out
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r (cần một số)",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn không rõ: %(option)s có thể là %(matches)s",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "not allowed with argument %s": "không dùng cùng tham số %s",
    "ignored explicit argument %r": "bỏ qua giá trị %r",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "không có lệnh %(parser_name)r (chọn một trong: %(choices)s)",
    "unexpected option string: %s": "tùy chọn không mong đợi: %s",
}
PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1` under pipefail


def _vietnamese(message: str) -> str:
    """argparse's user-facing messages in Vietnamese (the others unchanged)."""
    return _VI.get(message, message)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every subcommand registered, or only ``only`` (one of ``COMMANDS``):
    each command module imports what its command needs, so ``hoctap ask`` does not pay for the
    tracking database or the ingest pipeline (about 1 s of a cold start)."""
    argparse._ = _vietnamese  # type: ignore[attr-defined]  # argparse looks ``_`` up per call
    parser = argparse.ArgumentParser(
        prog="hoctap",
        description="Trợ lý học tập nghị quyết, chạy offline.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")
    for name in [only] if only in COMMANDS else COMMANDS:
        module = importlib.import_module(f"app.commands.{name}")
        module.register(sub)
    return parser


def requested_command(argv: Sequence[str]) -> str | None:
    """The module of the subcommand ``argv`` names when its first argument is one (else None:
    help, a typo or an option first, which the full parser answers)."""
    if not argv or argv[0] in NAMES.values():
        return None
    name = NAMES.get(argv[0], argv[0])
    return name if name in COMMANDS else None


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment, overridden by ``--corpus`` / ``--index`` when given."""
    return Settings.from_env(corpus_dir=getattr(args, "corpus", None),
                             index_dir=getattr(args, "index", None))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    try:
        try:
            return _main(argv)
        finally:  # also after --help's SystemExit
            sys.stdout.flush()  # a reader gone away shows here, not at interpreter exit
    except BrokenPipeError:
        # The reader of stdout stopped reading (``| head -3``): end quietly, as standard Unix
        # tools do, with 141 (128 + SIGPIPE, what `set -o pipefail` sees from them too), not
        # 0: the output was cut short. stdout now leads to /dev/null, so that Python's own
        # flush at exit has nowhere to fail ("Exception ignored … BrokenPipeError").
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # stdout without a file descriptor (captured in tests)
            pass
        return PIPE_CLOSED


def _main(argv: Sequence[str] | None) -> int:
    """Parse, run the subcommand, translate domain errors; returns the exit code."""
    # pypdf warns in English about damaged files ("EOF marker not found"); the reason a file
    # failed reaches the user once, in Vietnamese, in the ingest report instead.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(requested_command(argv)).parse_args(argv)
    try:
        return int(args.run(args, settings_from(args)))
    except HoctapError as err:
        if getattr(args, "json", False):
            print(json.dumps({"error": err.kind, "message": str(err), "exit_code": err.exit_code},
                             ensure_ascii=False))
        print(f"Lỗi: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
