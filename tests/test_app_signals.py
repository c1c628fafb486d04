"""Issue 10 (7): stopping ``hoctap app`` (SIGTERM, as a service manager does) stops the server
and frees its port; no Streamlit is left behind."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, make_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_is_free(port: int) -> bool:
    """Nothing listens on ``port`` and a new server could take it. (SO_REUSEADDR: the closed
    health-check connections may linger in TIME_WAIT, which is no server.)"""
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
        return True


def test_sigterm_to_hoctap_app_frees_the_port(tmp_path: Path) -> None:
    s = make_settings(tmp_path)
    port = free_port()
    env = {**os.environ, "HOCTAP_CORPUS_DIR": str(s.corpus_dir),
           "HOCTAP_INDEX_DIR": str(s.index_dir), "HOCTAP_EMBED_MODEL": "hash"}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "app", "--port", str(port),
                             "--address", "127.0.0.1"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health",
                                            timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise TimeoutError("the app did not start")
        proc.send_signal(signal.SIGTERM)  # to hoctap app's own pid only, not its group
        proc.wait(timeout=20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not port_is_free(port):
            time.sleep(0.2)
        assert port_is_free(port), "a Streamlit server still holds the port"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of its session
        except ProcessLookupError:
            pass
