"""``hoctap app``: start the Streamlit web app (Hỏi đáp, Thư viện tài liệu …)."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ingest.settings import Settings

MAIN = Path(__file__).resolve().parent.parent / "web" / "main.py"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the subcommand and its options."""
    p = sub.add_parser("app", help="mở ứng dụng web")
    p.add_argument("--index", type=Path, help="thư mục chỉ mục (mặc định: index/)")
    p.add_argument("--corpus", type=Path, help="thư mục tài liệu (mặc định: corpus/)")
    p.add_argument("--port", type=int, default=8501, help="cổng (mặc định: 8501)")
    p.add_argument("--address", default=None,
                   help="địa chỉ lắng nghe (mặc định: mọi địa chỉ; 127.0.0.1 = chỉ máy này)")
    p.set_defaults(run=run)


def environment(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """The process environment carrying ``settings`` to the app (it reads ``HOCTAP_*``)."""
    env = dict(os.environ if base is None else base)
    env["HOCTAP_CORPUS_DIR"] = str(Path(settings.corpus_dir).resolve())
    env["HOCTAP_INDEX_DIR"] = str(Path(settings.index_dir).resolve())
    env["HOCTAP_COLLECTION"] = settings.collection
    env["HOCTAP_MAX_FILE_MB"] = str(settings.max_file_mb)
    if settings.embed_model:
        env["HOCTAP_EMBED_MODEL"] = settings.embed_model
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    return env


def command(settings: Settings, port: int, address: str | None = None) -> list[str]:
    """The ``streamlit run`` command line (uploads above ``max_file_mb`` still reach the app,
    which refuses them with a Vietnamese reason: ``app.library.upload_ceiling_mb``)."""
    from app.library import upload_ceiling_mb

    cmd = [sys.executable, "-m", "streamlit", "run", str(MAIN), "--server.port", str(port),
           "--server.headless", "true", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false",
           "--server.maxUploadSize", str(upload_ceiling_mb(settings)),
           "--client.toolbarMode", "minimal"]
    if address:
        cmd += ["--server.address", address]
    return cmd


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Replace this process with Streamlit (same pid): a signal to ``hoctap app`` — Ctrl+C, or
    the SIGTERM a service manager sends — reaches the server itself, which stops and frees its
    port. Returns only if the exec fails."""
    print(f"Mở http://localhost:{args.port} trong trình duyệt (Ctrl+C để dừng).",
          file=sys.stderr)
    cmd = command(settings, args.port, args.address)
    env = environment(settings)
    os.chdir(MAIN.parent.parent.parent)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, cmd, env)
    return 1  # not reached: execve returns only by raising OSError
