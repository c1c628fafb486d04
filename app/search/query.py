"""What a question asks about: its type, the documents and levels it names.

Everything is matched on the accent-stripped form, so "cap huyen" and "cấp huyện" read alike.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.facts import (
    expand_abbreviations,
    name_unit_levels,
    organisation_level,
    organisations,
    stated_kind,
)
from ingest.text import strip_accents

if TYPE_CHECKING:
    from app.search.accents import Restorer

# Document types as written in questions (stripped form) → the type as documents print it.
DOC_TYPES = {
    "nghi quyet": "Nghị quyết", "ke hoach": "Kế hoạch", "chi thi": "Chỉ thị",
    "quyet dinh": "Quyết định", "ket luan": "Kết luận", "huong dan": "Hướng dẫn",
    "thong bao": "Thông báo", "bao cao": "Báo cáo", "chuong trinh": "Chương trình",
    "nghi dinh": "Nghị định", "thong tu": "Thông tư", "luat": "Luật", "de an": "Đề án",
    "cong van": "Công văn",
}
# Levels of the organisation a question can name → patterns of sections about that level.
LEVELS = {
    "tinh": (r"\bcap tinh\b",),
    "huyen": (r"\bcap huyen\b", r"\bhuyen,? thi,? thanh\b", r"\bcac huyen\b", r"\bhuyen hoi\b"),
    "xa": (r"\bcap xa\b", r"\bxa,? phuong\b", r"\bcap co so\b", r"\bhoi xa\b", r"\bcac xa\b"),
    "chi": (r"\bchi hoi\b",),
}
_ORG_LEVEL = re.compile(r"\b(tinh|huyen|xa) hoi\b|\bhoi nong dan (tinh|huyen|xa)\b")
_NUMBER_AFTER_TYPE = re.compile(
    r"\b(" + "|".join(DOC_TYPES) + r")\s+(?:so\s+)?(\d{1,5})(?:\s*[-/]\s*([a-z]{1,6}(?:[-/][a-z]{1,8})*))?")
_CODE = re.compile(r"\b(\d{1,5})\s*[-/]\s*([a-z]{1,6}(?:[-/][a-z]{1,8})+)\b")

_KINDS = (
    ("signature", r"\b(ai ky|nguoi ky|ky ten|ky ban hanh|chu tich la ai)\b"
                  r"|\bai la (pho )?(chu tich|bi thu|giam doc)\b"
                  r"|\b(chu tich|bi thu|giam doc)\b.*\bla ai\b"),
    ("recipients", r"\b(noi nhan|gui (den|cho|toi)|nhan (van ban|ke hoach))\b"),
    ("header", r"\b(ban hanh|ky)\b.*\b(ngay|luc|khi) nao\b|\bso hieu\b|\bngay ban hanh\b"
               r"|\b(ai|co quan nao|don vi nao|to chuc nao|cap nao) ban hanh\b"
               r"|\bban hanh (o|tai) dau\b|\bnoi ban hanh\b|\bdo ai\b"),
)
QTYPES = (
    ("duration", r"\b(bao lau|keo dai|may ngay|may buoi|trong bao lau)\b"),
    ("year", r"\b(nam nao|nam bao nhieu)\b"),
    ("date", r"\b(khi nao|ngay nao|luc nao|bao gio|thoi han|han chot|truoc ngay|thoi gian nao|nam nao|thang nao|ngay bao nhieu|ngay may)\b"),
    ("count", r"\b(bao nhieu|may)\b"),
    ("who", r"\b(ai|co quan nao|don vi nao|to chuc nao|nguoi nao|ban nao|cap nao)\b"),
    ("list", r"\b(nhung gi|nhung noi dung|noi dung gi|gom nhung|bao gom|cac noi dung|nhung tai lieu|tai lieu nao|gom gi|nhung viec|nhiem vu gi|yeu cau gi|muc dich)\b"),
    ("where", r"\b(o dau|tai dau|noi nao)\b"),
    ("how", r"\b(nhu the nao|the nao|ra sao|bang cach nao|hinh thuc nao|phuong thuc)\b"),
)


@dataclass(frozen=True)
class DocRef:
    """A document the question names: type (as printed) and/or number (``58`` or ``58-nq/tw``)."""

    doc_type: str | None
    number: str | None
    code: str | None

    def label(self) -> str:
        """How to name it to a user: ``Nghị quyết 58-NQ/TW``."""
        num = (self.code or self.number or "").upper()
        return " ".join(p for p in (self.doc_type, num) if p)


@dataclass(frozen=True)
class QueryInfo:
    """The parsed question."""

    text: str
    plain: str  # accent-stripped, lower case
    qtype: str | None
    docs: tuple[DocRef, ...]
    levels: tuple[str, ...]
    org_level: str | None  # "tinh"/"huyen"/"xa" when the question names the issuing body's level
    kinds: tuple[str, ...] = ()  # passage kinds asked about: signature, recipients, header
    types_named: tuple[str, ...] = ()  # document types the question names, with or without number
    orgs: tuple[str, ...] = ()  # bodies the question names (``ingest.facts.ORGANISATIONS`` keys)


@dataclass(frozen=True)
class Query:
    """One question, prepared once (``prepare``) and passed along from search to answer."""

    asked: str  # as typed
    search_text: str  # abbreviations spelled out beside them: what BM25 and the embedder read
    info: QueryInfo  # the parse of the question with its abbreviations spelled out in place
    read: str = ""  # as typed, accents restored on words typed without them (= asked if none)

    @property
    def text(self) -> str:
        """The question with its abbreviations spelled out ("hội nông dân" for "HND")."""
        return self.info.text

    @property
    def search_info(self) -> QueryInfo:
        """The parse with the words of ``search_text`` (matched against document names and
        headings, which write "Hội CCB" as often as "Hội Cựu chiến binh")."""
        return replace(self.info, text=self.search_text, plain=plain_form(self.search_text))


def prepare(asked: str, restorer: Restorer | None = None) -> Query:
    """The question as typed, its accents restored (when a ``restorer`` is given: words typed
    without them), spelled out and parsed. Search reads the form that keeps the abbreviation
    beside its expansion (documents write "Hội CCB" as often as "Hội Cựu chiến binh"); the
    parse reads the form without it, so that "HND tỉnh" names the tỉnh level."""
    text = restorer.restore(asked) if restorer is not None else asked
    read = name_unit_levels(text)  # "thị xã (cấp huyện)": the level a unit is of
    return Query(asked, expand_abbreviations(read),
                 analyse(expand_abbreviations(read, keep=False)), text)


def plain_form(text: str) -> str:
    """``text`` accent-stripped, lower case, single-spaced: the form questions are parsed in."""
    return re.sub(r"\s+", " ", strip_accents(text)).strip()


def analyse(question: str) -> QueryInfo:
    """Parse a question (any accents, any tone spelling)."""
    plain = plain_form(question)
    docs: list[DocRef] = []
    for m in _NUMBER_AFTER_TYPE.finditer(plain):
        code = f"{m.group(2)}-{m.group(3)}" if m.group(3) else None
        docs.append(DocRef(DOC_TYPES[m.group(1)], m.group(2), code))
    for m in _CODE.finditer(plain):
        if not any(d.number == m.group(1) for d in docs):
            docs.append(DocRef(None, m.group(1), f"{m.group(1)}-{m.group(2)}"))
    # The question's frame says the kind of fact asked for ("ngày nào"); failing that, the
    # kind of value it states does ("hạn 30/10 đúng không?" asks about a date).
    qtype = next((name for name, pat in QTYPES if re.search(pat, plain)), None) \
        or stated_kind(question, (d.number for d in docs if d.number))
    org = _ORG_LEVEL.search(plain)
    org_level = (org.group(1) or org.group(2)) if org else organisation_level(plain)
    scan = _ORG_LEVEL.sub(" ", plain)
    levels = tuple(lv for lv, pats in LEVELS.items() if any(re.search(p, scan) for p in pats))
    kinds = tuple(kind for kind, pat in _KINDS if re.search(pat, plain))
    types = tuple(name for key, name in DOC_TYPES.items() if re.search(rf"\b{key}\b", plain))
    return QueryInfo(question, plain, qtype, tuple(docs), levels, org_level, kinds, types,
                     organisations(plain))


@lru_cache(maxsize=65536)
def section_levels(text: str) -> frozenset[str]:
    """Levels a section heading (or a passage's first line) is about (cached: sections repeat)."""
    plain = strip_accents(text)
    return frozenset(lv for lv, pats in LEVELS.items() if any(re.search(p, plain) for p in pats))
