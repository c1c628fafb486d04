"""Optional generative mode: an OpenAI-compatible server words the answer from the passages.

The retrieved passages go to ``{llm_base_url}/chat/completions`` with instructions to answer only
from them and cite ``[n]``. Every sentence of the reply must cite a passage that supports it
(its numbers and dates appear in that passage, and most of its words do); otherwise — or when
the server fails — the extractive answer is kept, with a note saying so.
"""
from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import replace

from app.answer import Answer, Citation
from app.answer.sentences import content_tokens
from ingest.settings import Settings
from ingest.text import normalize_date, search_tokens, strip_accents

TIMEOUT_S = 60
MIN_SUPPORT = 0.6  # share of a sentence's content syllables found in its cited passages
SYSTEM = ("Bạn là trợ lý học tập nghị quyết. Chỉ trả lời bằng tiếng Việt, chỉ dựa trên các đoạn "
          "trích được đánh số dưới đây, không dùng hiểu biết bên ngoài. Mỗi câu phải kết thúc "
          "bằng số đoạn trích làm căn cứ, ví dụ [1]. Nếu các đoạn trích không có thông tin, hãy "
          "trả lời: Tài liệu không có thông tin.")
_CITE = re.compile(r"\[(\d+)\]")
_NUMBERS = re.compile(r"\d+(?:/\d+)*")
_SENT = re.compile(r"(?<=[.!?])\s+|\n+")


def _ask_server(settings: Settings, question: str, cites: tuple[Citation, ...]) -> str:
    context = "\n\n".join(f"[{c.n}] {c.text}" for c in cites)
    body = {"model": settings.llm_model or "default", "temperature": 0,
            "messages": [{"role": "system", "content": SYSTEM},
                         {"role": "user", "content": f"Đoạn trích:\n{context}\n\nCâu hỏi: {question}"}]}
    req = urllib.request.Request(
        settings.llm_base_url.rstrip("/") + "/chat/completions",  # type: ignore[union-attr]
        data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json",
                 **({"Authorization": f"Bearer {settings.llm_api_key}"} if settings.llm_api_key else {})})
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
        data = json.loads(resp.read())
    return str(data["choices"][0]["message"]["content"]).strip()


def unsupported(reply: str, cites: tuple[Citation, ...]) -> list[str]:
    """Sentences of ``reply`` that cite nothing, cite a missing passage, or say what their
    cited passages do not (a number or date absent, or too few of their words present)."""
    by_n = {c.n: c for c in cites}
    bad = []
    for sentence in (s.strip() for s in _SENT.split(reply)):
        if not sentence or not re.search(r"\w", _CITE.sub("", sentence)):
            continue
        ns = [int(n) for n in _CITE.findall(sentence)]
        if not ns or any(n not in by_n for n in ns):
            bad.append(sentence)
            continue
        source = " ".join(by_n[n].text for n in ns)
        claim = _CITE.sub("", sentence)
        nums = set(_NUMBERS.findall(normalize_date(claim)))
        have = set(_NUMBERS.findall(normalize_date(source)))
        words = set(content_tokens(claim))
        found = set(search_tokens(strip_accents(source), accents=False))
        share = len(words & found) / len(words) if words else 1.0
        if nums - have or share < MIN_SUPPORT:
            bad.append(sentence)
    return bad


def generative_answer(settings: Settings, extractive: Answer) -> Answer:
    """The server's reply when every sentence is supported, else the extractive answer."""
    try:
        reply = _ask_server(settings, extractive.read_as or extractive.question,
                            extractive.citations)
    except Exception as err:  # noqa: BLE001 - any server failure falls back
        return replace(extractive, mode="fallback",
                       note=f"Không dùng được mô hình ngôn ngữ ({type(err).__name__}); "
                            "hiển thị câu trả lời trích nguyên văn.")
    bad = unsupported(reply, extractive.citations)
    if bad or not reply:
        return replace(extractive, mode="fallback",
                       note="Câu trả lời của mô hình có câu không được đoạn trích nào xác nhận "
                            f"(\"{bad[0] if bad else ''}\"); hiển thị câu trả lời trích nguyên văn.")
    return replace(extractive, answer=reply, mode="generative")
