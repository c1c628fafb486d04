"""Document families: one document and its copies in other formats, chosen by số hiệu or title.

A library often holds the same plan several times (TXT, DOCX, PDF, a TCVN3 DOCX) next to other
organisations' plans on the same resolution. Quizzes and outlines work on **one family at a
time** unless the user explicitly asks for several.

- ``families(kb)`` lists the families of a knowledge base (or of a plain passage list). Two
  sources belong to one family when they have the same document type and number (``Kế hoạch
  985-KH/HNDT``); a source without a number joins others with the same title; a source with
  neither is a family of its own.
- ``default_family(kb)`` is the family used when nothing is chosen: the one with the most
  distinct body passages (its largest copy), ties broken by the family key — never a name
  written into the code.
- ``pick_family(kb, wanted)`` matches ``wanted`` against the số hiệu (``985-KH/HNDT``,
  ``985``), the label words (type, number, issuer), title words, then file names; accents
  and case optional. No match or several matches raise ``UnknownDocument`` whose Vietnamese
  message lists the choices.
- ``pick_families(kb, wanted)`` accepts several wishes (a mixed selection, explicit) and
  ``ALL`` words (``tất cả``) for every family.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from ingest.errors import HoctapError
from ingest.records import DocumentMeta, Passage
from ingest.text import canonical, strip_accents

ALL = ("tat ca", "all", "*", "moi tai lieu", "tat ca tai lieu")
_ABBREVIATIONS = {"hnd": "Hội Nông dân", "hlhpn": "Hội Liên hiệp Phụ nữ", "ubnd": "UBND",
                  "hđnd": "HĐND", "đtn": "Đoàn Thanh niên", "tw": "Trung ương",
                  "mttq": "Mặt trận Tổ quốc", "ubmttq": "Ủy ban MTTQ",
                  "lhpn": "Liên hiệp Phụ nữ"}
_DROP = {"bch", "btv", "btt", "ban", "chấp", "hành", "thường", "vụ", "trực"}  # the organ, not the organisation


class UnknownDocument(HoctapError):
    """No family, or more than one, matches what the user asked for."""


class _HasPassages(Protocol):
    passages: list[Passage]


@dataclass(frozen=True)
class Family:
    """One document and its copies.

    ``key``: stable identifier (``ke-hoach 985khhndt``); ``label``: what a user reads
    (``Kế hoạch 985-KH/HNDT — Hội Nông dân tỉnh Thanh Hóa``); ``number``: the số hiệu or
    ``None``; ``sources``: the copies' file names, sorted; ``primary``: the copy with the most
    body passages (ties: first by name), the one quizzes cite; ``size``: its body passages.
    """

    key: str
    label: str
    number: str | None
    doc_type: str | None
    title: str | None
    sources: tuple[str, ...]
    primary: str
    size: int

    def passages(self, passages: Sequence[Passage], all_copies: bool = False) -> list[Passage]:
        """The passages of this family's primary copy (or of every copy), in input order."""
        wanted = set(self.sources) if all_copies else {self.primary}
        return [p for p in passages if p.source in wanted]


def _passages_of(kb: _HasPassages | Sequence[Passage]) -> Sequence[Passage]:
    return kb.passages if hasattr(kb, "passages") else kb  # type: ignore[union-attr]


@lru_cache(maxsize=65536)
def _plain(text: str) -> str:
    """Accent-free, lower-case, single-spaced words (``Thanh Hoá`` → ``thanh hoa``)."""
    return " ".join(re.findall(r"\w+", strip_accents(canonical(text))))


def _compact(number: str) -> str:
    """``985 -KH/HNDT`` → ``985khhndt``: a số hiệu without spacing or separators."""
    return re.sub(r"[^0-9a-z]", "", strip_accents(canonical(number)))


def _family_key(meta: DocumentMeta, source: str) -> str:
    kind = _plain(meta.doc_type or "van ban").replace(" ", "-")
    if meta.number:
        return f"{kind} {_compact(meta.number)}"
    if meta.title:
        return f"{kind} {_plain(meta.title)[:120]}"
    return f"tep {source}"


# A body's name written in running text: its first word and the words that make it distinct
# capitalised («Hội Nông dân», «Ban Chấp hành», «Chi hội»), never every word of a header line.
_BODIES = {"hội nông dân": "Hội Nông dân", "hội liên hiệp phụ nữ": "Hội Liên hiệp Phụ nữ",
           "hội cựu chiến binh": "Hội Cựu chiến binh", "đoàn thanh niên": "Đoàn Thanh niên",
           "mặt trận tổ quốc": "Mặt trận Tổ quốc", "ủy ban nhân dân": "Ủy ban nhân dân",
           "hội đồng nhân dân": "Hội đồng nhân dân", "ban chấp hành": "Ban Chấp hành",
           "ban thường vụ": "Ban Thường vụ", "chi hội": "Chi hội", "chi hội nông dân": "Chi hội Nông dân",
           "chi đoàn": "Chi đoàn",
           "chi bộ": "Chi bộ", "đảng ủy": "Đảng ủy", "đảng bộ": "Đảng bộ"}
# Names that stay capitalised wherever they stand, and bodies named after their level, which a
# place name follows («Tỉnh ủy Thanh Hóa»).
_NAMES = {"cộng sản": "Cộng sản", "hồ chí minh": "Hồ Chí Minh", "việt nam": "Việt Nam"}
_LEVEL_BODIES = {f"{lv} {b}": f"{lv.capitalize()} {b}" for lv in ("tỉnh", "huyện", "thành")
                 for b in ("ủy", "đoàn", "hội")}
_PLACES = ("tổ dân phố", "khu phố", "thị xã", "thị trấn", "thành phố", "tỉnh", "huyện", "xã",
           "phường", "quận", "thôn", "xóm", "bản", "làng", "ấp", "khối", "cấp")


def _match(words: list[str], at: int, names: dict[str, str] | tuple[str, ...]) -> str | None:
    """The longest entry of ``names`` that the words from ``at`` spell."""
    for n in (5, 4, 3, 2, 1):
        if " ".join(words[at:at + n]) in names:
            return " ".join(words[at:at + n])
    return None


def issuer_name(issuer: str | None) -> str:
    """``BCH HND TỈNH THANH HOÁ`` → ``Hội Nông dân tỉnh Thanh Hóa``; ``HỘI NÔNG DÂN XÃ HOẰNG
    ĐẠO / CHI HỘI THÔN PHÚC LỘC`` → ``Hội Nông dân xã Hoằng Đạo, Chi hội thôn Phúc Lộc``:
    organ words at either end dropped, abbreviations spelt out, and an all-caps header written
    as Vietnamese writes a body's name — the first word, the words that make a body distinct
    and place names capitalised, levels and places (``xã``, ``thôn``) in lower case, one tone
    placement. A header naming two bodies (the parent above) gives both, parted by a comma."""
    words = canonical(issuer or "").split()
    while words and words[0] in _DROP:
        words.pop(0)
    while words and words[-1] in _DROP:  # "… tỉnh Thanh Hóa Ban Thường trực"
        words.pop()
    out: list[str] = []
    naming = False  # the words after a place word are its name
    i = 0
    while i < len(words):
        word = words[i]
        body = _match(words, i, _BODIES)
        level_body = _match(words, i, _LEVEL_BODIES)
        place = _match(words, i, _PLACES)
        if body and (" " in body or not naming):
            if naming and out:
                out[-1] += ","  # a second body: "… xã Hoằng Đạo, Chi hội thôn Phúc Lộc"
            out.append(_BODIES[body])
            i, naming = i + len(body.split()), False
        elif level_body:
            out.append(_LEVEL_BODIES[level_body])
            i, naming = i + len(level_body.split()), True
        elif (name := _match(words, i, _NAMES)) is not None:
            out.append(_NAMES[name])
            i += len(name.split())
        elif place:
            out.append(place)
            i, naming = i + len(place.split()), True
        else:
            if word in _ABBREVIATIONS:
                out.append(_ABBREVIATIONS[word])
            elif not re.search(r"[aeiouyà-ỹăâêôơư]", word):  # an acronym: TNCS, CCB
                out.append(word.upper())
            else:
                out.append(word[:1].upper() + word[1:] if naming or not out else word)
            i += 1
    name = " ".join(out)
    return name[:1].upper() + name[1:] if name else ""


def _label(meta: DocumentMeta, source: str) -> str:
    name = " ".join(x for x in (meta.doc_type, meta.number) if x)
    if not meta.number:
        name = f"{meta.doc_type or 'Tài liệu'} «{(meta.title or source)[:70]}»"
    who = issuer_name(meta.issuer)
    return f"{name} — {who}" if who else name


def families(kb: _HasPassages | Sequence[Passage]) -> list[Family]:
    """The document families of ``kb`` (a ``KnowledgeBase`` or a list of passages), sorted by
    label then key."""
    metas: dict[str, DocumentMeta] = {}
    sizes: dict[str, set[str]] = {}
    for p in _passages_of(kb):
        metas.setdefault(p.source, p.meta)
        if p.kind == "body":
            sizes.setdefault(p.source, set()).add(_plain(p.text))
    groups: dict[str, list[str]] = {}
    for source in sorted(metas):
        groups.setdefault(_family_key(metas[source], source), []).append(source)
    out = []
    for key, sources in groups.items():
        primary = max(sources, key=lambda s: (len(sizes.get(s, ())), [-ord(c) for c in s]))
        meta = metas[primary]
        out.append(Family(key, _label(meta, primary), meta.number, meta.doc_type, meta.title,
                          tuple(sources), primary, len(sizes.get(primary, ()))))
    return sorted(out, key=lambda f: (f.label, f.key))


def default_family(kb: _HasPassages | Sequence[Passage]) -> Family:
    """The family used when the user names none: most distinct body passages, then key."""
    found = families(kb)
    if not found:
        raise UnknownDocument("Chưa có tài liệu nào trong chỉ mục.")
    return max(found, key=lambda f: (f.size, [-ord(c) for c in f.key]))


def _tiers(family: Family) -> tuple[str, str, str]:
    """What ``wanted`` is matched against, most specific first: label, title, file names."""
    return (_plain(family.label), _plain(family.title or ""), _plain(" ".join(family.sources)))


def _lead_digits(number: str) -> str:
    """``985-KH/HNDT`` → ``985``."""
    m = re.match(r"\s*(\d+)", number)
    return m.group(1) if m else ""


def _matches(wanted: str, found: list[Family]) -> list[Family]:
    """Families matching ``wanted``, from the most specific tier that matches any."""
    compact = _compact(wanted)
    if compact:
        by_number = [f for f in found if f.number and compact in (
            _compact(f.number), _lead_digits(f.number) if compact.isdigit() else None)]
        if by_number:
            return by_number
    words = _plain(wanted).split()
    if not words:
        return []
    for tier in range(3):
        hits = [f for f in found
                if all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", _tiers(f)[tier])
                       for w in words)
                or tier == 2 and _plain(wanted) in _tiers(f)[2]]
        if hits:
            return hits
    return []


def _choices(found: Sequence[Family]) -> str:
    return "; ".join(f"«{f.label}» (--source \"{f.number or f.primary}\")" for f in found)


def pick_family(kb: _HasPassages | Sequence[Passage], wanted: str | None) -> Family:
    """The one family ``wanted`` names (``None``: ``default_family``); ``UnknownDocument``
    with the list of choices when nothing or several match."""
    if wanted is None or not wanted.strip():
        return default_family(kb)
    found = families(kb)
    hits = _matches(wanted, found)
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise UnknownDocument(f"Không có tài liệu nào khớp «{wanted}». Các tài liệu trong thư "
                              f"viện: {_choices(found)}")
    raise UnknownDocument(f"«{wanted}» khớp với nhiều tài liệu: {_choices(hits)}. Hãy ghi rõ "
                          "số hiệu, hoặc lặp lại --source để chọn nhiều tài liệu.")


def pick_families(kb: _HasPassages | Sequence[Passage],
                  wanted: Sequence[str] | None) -> list[Family]:
    """Families named by ``wanted`` (each as in ``pick_family``, in the order given, without
    repeats); ``None`` or empty: the default family; an ``ALL`` word: every family."""
    if not wanted:
        return [default_family(kb)]
    if any(_plain(w) in ALL or w.strip() == "*" for w in wanted):
        return families(kb)
    out: list[Family] = []
    for w in wanted:
        f = pick_family(kb, w)
        if f not in out:
            out.append(f)
    return out


def family_of(kb: _HasPassages | Sequence[Passage], source: str) -> Family | None:
    """The family holding ``source`` (a file name), if any."""
    return next((f for f in families(kb) if source in f.sources), None)
