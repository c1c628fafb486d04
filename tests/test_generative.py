"""Generative mode against a tiny OpenAI-compatible server on loopback: supported replies are
used, unsupported ones (an invented date) and a dead server fall back to the extractive answer."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from app.answer import Citation, answer_question
from app.answer.generative import unsupported
from app.knowledge import KnowledgeBase
from ingest.embed.base import HashEmbedder
from ingest.settings import Settings

QUESTION = "Hội Nông dân các huyện, thị, thành phố phải hoàn thành học tập trước ngày nào?"


class _Server:
    """Answers every chat completion with ``reply``; records the requests it got."""

    def __init__(self) -> None:
        self.reply = ""
        self.requests: list[dict[str, object]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append({"path": self.path, "body": body,
                                       "auth": self.headers.get("Authorization")})
                data = json.dumps({"choices": [{"message": {"role": "assistant",
                                                            "content": outer.reply}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def server() -> Iterator[_Server]:
    s = _Server()
    yield s
    s.httpd.shutdown()


@pytest.fixture(scope="module")
def kb(built_index: Settings, tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    import shutil

    base = tmp_path_factory.mktemp("gen")
    shutil.copytree(built_index.index_dir, base / "index")
    return KnowledgeBase.open(replace(built_index, index_dir=base / "index"), HashEmbedder())


def _with_llm(kb: KnowledgeBase, url: str) -> KnowledgeBase:
    kb.settings = replace(kb.settings, llm_base_url=url, llm_model="tiny", llm_api_key="k")
    return kb


def test_supported_reply_is_used(kb: KnowledgeBase, server: _Server) -> None:
    server.reply = ("Hội Nông dân các huyện, thị, thành phố phải hoàn thành trước ngày "
                    "15/9/2020 [1].")
    a = answer_question(_with_llm(kb, server.url), QUESTION)
    assert a.mode == "generative" and a.answer == server.reply and a.found
    req = server.requests[-1]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer k"
    prompt = json.dumps(req["body"], ensure_ascii=False)
    assert "[1]" in prompt and "15/9/2020" in prompt and "chỉ dựa trên" in prompt


def test_invented_date_falls_back_to_extractive(kb: KnowledgeBase, server: _Server) -> None:
    server.reply = "Cấp huyện phải hoàn thành trước ngày 20/9/2020 [1]."
    a = answer_question(_with_llm(kb, server.url), QUESTION)
    assert a.mode == "fallback" and a.found
    assert "15/9/2020" in a.answer and "20/9/2020" not in a.answer
    assert a.note and "không được đoạn trích nào xác nhận" in a.note


def test_uncited_sentence_falls_back(kb: KnowledgeBase, server: _Server) -> None:
    server.reply = ("Cấp huyện hoàn thành trước ngày 15/9/2020 [1]. Đây là nghị quyết quan "
                    "trọng nhất của nhiệm kỳ.")
    a = answer_question(_with_llm(kb, server.url), QUESTION)
    assert a.mode == "fallback" and "15/9/2020" in a.answer


def test_dead_server_falls_back(kb: KnowledgeBase) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    a = answer_question(_with_llm(kb, f"http://127.0.0.1:{port}/v1"), QUESTION)
    assert a.mode == "fallback" and a.found and "15/9/2020" in a.answer
    assert a.note and "Không dùng được mô hình" in a.note


def test_support_check_units() -> None:
    cite = Citation(1, "a.txt", None, None, None, None, None,
                    "- Thời gian: ½ ngày, hoàn thành trước ngày 15/9/2020.", 1.0)
    assert unsupported("Hoàn thành trước ngày 15/9/2020 [1].", (cite,)) == []
    assert unsupported("Hoàn thành trước ngày 15/9/2020 [2].", (cite,))  # no such source
    assert unsupported("Hoàn thành trước ngày 16/9/2020 [1].", (cite,))


def test_refusal_is_not_sent_to_the_model(kb: KnowledgeBase, server: _Server) -> None:
    before = len(server.requests)
    a = answer_question(_with_llm(kb, server.url), "Giá lúa hôm nay bao nhiêu một cân?")
    assert not a.found and a.mode == "extractive" and len(server.requests) == before
