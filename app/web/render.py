"""Streamlit-free helpers for the pages: safe Markdown, highlighted passages, example questions.

Nothing a document or a user wrote is ever passed to Streamlit as Markdown or HTML unescaped:
``escape_md`` writes every ASCII punctuation character as a numeric character reference
(``&#60;``), which CommonMark decodes to the character but never reads as syntax: ``<script>``,
``[link](url)``, ``**``, ``$…$``, Streamlit's ``:color[…]`` / ``:emoji:`` directives, and even
Markdown links show as plain text. GFM also turns bare URLs, ``www.`` names and e-mail
addresses into links *after* parsing, whatever the escaping; a word joiner (U+2060, invisible)
inside ``://``, after ``www`` and before ``@`` stops that.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from app.answer import Answer
from app.answer.missing import missing_note
from ingest.facts import SEPARATOR
from ingest.records import Passage
from ingest.text import canonical

_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|\b(?<=www)(?=\.)|(?=@)")
HIGHLIGHT = ":orange-background[{}]"
_LABEL_UNSAFE = re.compile(r"[\[\]<>*_$`|~\\#]|:\w|https?:|www\.|@")


def escape_md(text: str) -> str:
    """``text`` as Markdown that renders literally, line breaks kept."""
    text = _AUTOLINK.sub(_JOINER, text)
    escaped = _PUNCT.sub(lambda m: f"&#{ord(m.group(1))};", text)
    return "  \n".join(escaped.split("\n"))


def table_md(rows: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    """``rows`` for ``st.table``, which reads every cell as Markdown: each text cell escaped
    (``escape_md``: a unit's name, a plan's «Thành phần» show as typed), numbers as they are."""
    return [{k: escape_md(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]


def highlight_md(text: str, highlight: str | None) -> str:
    """The passage as safe Markdown with its answering sentence highlighted (first match).

    Everything is escaped first; only the wrapper around the sentence is Markdown of ours.
    Lines of a highlighted sentence are wrapped one by one (a directive cannot span lines).
    """
    if not highlight or highlight not in text:
        return escape_md(text)
    start = text.index(highlight)
    before, middle, after = text[:start], highlight, text[start + len(highlight):]
    marked = "  \n".join(
        HIGHLIGHT.format(escape_md(line)) if line.strip() else line
        for line in middle.split("\n")
    )
    return escape_md(before) + marked + escape_md(after)


def doc_label(doc_type: str | None, number: str | None, title: str | None,
              source: str) -> str:
    """"Kế hoạch số 985-KH/HNDT — Nghiên cứu, học tập …" (plain text), or the file name."""
    head = " ".join(p for p in (doc_type, f"số {number}" if number else None) if p)
    if head and title:
        return f"{head} — {title}"
    return head or title or source


def _heading_phrase(heading: str) -> str | None:
    """"II. NỘI DUNG, PHƯƠNG THỨC" → "nội dung, phương thức"; ``None`` when nothing is left."""
    text = re.sub(r"^(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?|[a-zđ])[.)]\s*", "", heading).strip()
    text = re.sub(r"^(?:Phần|Chương|Mục|Điều)\s+\S+\s*[.:]?\s*", "", text).strip(" .:")
    if len(text) < 4 or len(text) > 80 or _LABEL_UNSAFE.search(text):
        return None  # examples become button labels, which read some Markdown: keep them plain
    if text.upper() == text:
        return text.lower()
    words = text.split()
    if len(words) > 1 and words[1][:1].islower():
        return text[:1].lower() + text[1:]
    return text


def example_questions(passages: Iterable[Passage], n: int = 4) -> list[str]:
    """Up to ``n`` questions built from the section headings of the indexed documents:
    "Kế hoạch số 985-KH/HNDT nói gì về mục đích, yêu cầu?". Top-level headings first, one
    document after another, no two questions alike."""
    by_level: dict[int, list[str]] = {}
    seen: set[str] = set()
    for p in passages:
        if p.kind != "body" or not p.section:
            continue
        parts = p.section.split(SEPARATOR)
        doc = " ".join(x for x in (p.meta.doc_type, f"số {p.meta.number}" if p.meta.number
                                   else None) if x) or "Tài liệu"
        for level, heading in enumerate(parts):
            phrase = _heading_phrase(heading)
            if not phrase:
                continue
            question = f"{doc} nói gì về {phrase}?"
            key = canonical(question)
            if key not in seen:
                seen.add(key)
                by_level.setdefault(level, []).append(question)
    ordered: list[str] = [q for level in sorted(by_level) for q in by_level[level]]
    return ordered[:n]


def neighbour_rows(passages: Sequence[Passage], cited_id: str) -> list[tuple[bool, str, str]]:
    """(is_cited, section caption, text) for the passages around a citation."""
    rows = []
    for p in passages:
        where = " · ".join(x for x in (p.section, f"trang {p.page}" if p.page else None) if x)
        rows.append((p.id == cited_id, where, p.text))
    return rows


def answer_parts(answer: Answer) -> tuple[str | None, str, str | None]:
    """(notice of the documents the question names but the library lacks, answer text, note)
    for the chat: the missing documents said once, in the notice, not again as the note and
    at the end of the text (where the CLI's plain text keeps it)."""
    if not answer.missing_documents:
        return None, answer.answer, answer.note
    note = missing_note(answer.missing_documents)
    text = answer.answer.removesuffix(f"\n({note})")
    notice = ("Câu hỏi nhắc đến tài liệu chưa có trong thư viện: "
              + "; ".join(answer.missing_documents)
              + ("; câu trả lời dựa trên văn bản khác có nhắc đến" if answer.found else "")
              + ". Hãy bổ sung ở trang Thư viện tài liệu.")
    return notice, text, None if answer.note == note else answer.note
