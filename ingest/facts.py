"""Vietnamese fact patterns and document vocabulary: the one home the answer path reads from.

What lives here (each is general: it describes how Vietnamese administrative documents and
questions are written, never one question):

- fact patterns: ``DATE``, ``YEAR``, ``DURATION``, ``NUMBER``, ``person_names`` — what kind
  of fact a clause states;
- ``split_clauses``: the clause splitter (verbatim substrings, so a highlight is found again);
- ``DOC_TYPES``: document types as typed in questions → as documents print them;
- ``LEVELS``: organisation levels (tỉnh, huyện, xã, chi hội) and how sections name them;
- ``ORGANISATIONS``: the bodies of the political system (the Party, the Front and its member
  organisations, the state) and how issuers and questions name them (``organisations``);
- ``INTERROGATIVES``: question words → the kind of answer they ask for (a soft distribution);
- ``PART_LABELS``: words that name the parts of a document (signature, recipients, header);
- ``TARGET_CUES``, ``CURRENT_CUES``, ``NOW_CUES``, ``frame_years`` and ``time_frame``: the time
  a question or a clause speaks of (a target year, the present state), and whether they differ;
- ``SEPARATOR`` (`` › ``, between headings of a section path) and ``HEADING_LABEL`` (the typed
  numbering ``I.``, ``1.``, ``a)`` of a heading);
- ``BODY_OPENERS``, ``BODY_OPENER``, ``GLUED_OPENER`` and ``PREAMBLE_END``: how the body of a
  document begins right after its subject line (``Thực hiện Kế hoạch số …``, ``… như sau:``).

Cue lists are written with diacritics; ``plain`` gives their accent-free form, and matching
uses the accented form when the question has diacritics (so ``ký`` is not ``kỳ``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ingest.text import canonical, has_diacritics, strip_accents

SEPARATOR = " › "  # between the headings of a section path


def last_heading(section: str | None) -> str:
    """The last heading of a section path ("II. Nội dung › 3. Tài liệu" → "3. Tài liệu");
    "" for none."""
    return (section or "").split(SEPARATOR)[-1]


HEADING_LABEL = re.compile(r"^\s*(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2})?|[a-zđ])[.)]\s*", re.I)
LIST_LEAD = re.compile(r"^[-–•+*]\s*")

_LEADING_NUMBER = re.compile(r"\d+")
# Accent-stripped words of administrative units → their level: a thị xã and a thành phố
# (thuộc tỉnh) are of the huyện level, a thị trấn of the xã level (bench/notes/
# issue-8-round55.md; "phường", "quận" are left out: "phuong", "quan" are also "phương", "quán")
UNIT_LEVELS = {"tinh": "tinh", "huyen": "huyen", "thi xa": "huyen", "thanh pho": "huyen",
               "xa": "xa", "thi tran": "xa"}
_UNIT = "(" + "|".join(sorted(UNIT_LEVELS, key=len, reverse=True)) + ")"  # longest first
# the level words, highest level first
_LEVEL_WORDS = tuple((lv, re.compile(r"\b(?:" + "|".join(
    w for w, level in UNIT_LEVELS.items() if level == lv) + r")\b"))
    for lv in ("tinh", "huyen", "xa"))


def number_head(number: str | None) -> str | None:
    """The leading number of a document's số hiệu ("985-KH/HNDT" → "985"), ``None`` if none."""
    m = _LEADING_NUMBER.match(number or "")
    return m.group(0) if m else None


def issuer_level(issuer: str | None) -> str | None:
    """The level of an issuing body, accent-stripped ("tinh", "huyen", "xa"): the highest
    level word its name holds ("Ban Thường vụ Hội Nông dân tỉnh" → "tinh"); ``None`` if none."""
    plain_issuer = strip_accents(issuer or "")
    return next((lv for lv, word in _LEVEL_WORDS if word.search(plain_issuer)), None)


# ---- fact patterns ------------------------------------------------------------------------
DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\bngày\s+\d{1,2}\s+tháng\s+\d{1,2}\b", re.I)
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
NUMBER = re.compile(r"(?<![\w/])\d+(?:[.,]\d+)?(?![\w/])|½")
# A value as typed in a question or stated in a text ("30/9", "15/10/2020", "95%", "1,5"), and
# one that is a day and month with or without its year.
VALUE = re.compile(r"\d[\d/.,]*")
DAY_MONTH = re.compile(r"^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$")
_COUNT_WORDS = "một hai ba bốn năm sáu bảy tám chín mười nửa"
# A quantity of time: "01 buổi", "½ ngày", "hai tuần" — not the parts of a spelled-out date
# ("ngày 15 tháng 3 năm 2020": a unit followed by a number is a date part), not a syllable
# inside a word ("triển khai ngày").
DURATION = re.compile(
    r"(?<![\w/])(?:\d+|½|" + "|".join(_COUNT_WORDS.split()) + r")\s+"
    r"(?:ngày|buổi|tháng|năm|tuần|giờ|phút)\b(?!\s*\d)", re.I)


def question_values(question: str) -> frozenset[str]:
    """The numbers and dates a question states, as written (trailing punctuation dropped)."""
    return frozenset(v.rstrip("/.,") for v in VALUE.findall(question))


def sought_values(question: str, skip: Iterable[str] = ()) -> frozenset[str]:
    """The values a question states about the fact it looks for: not years ("đến năm 2030"
    frames the time), nor ``skip`` (the numbers of the documents it names)."""
    skipped = set(skip)
    return frozenset(v for v in question_values(question)
                     if not YEAR.fullmatch(v) and v not in skipped)


def stated_kind(text: str, skip: Iterable[str] = ()) -> str | None:
    """The kind of fact that ``text`` (a question) states a value of (``sought_values``):
    ``date`` when it states a day and month ("hạn 30/10 đúng không?"), ``duration`` a quantity
    of time ("1 ngày phải không?"), ``count`` another number ("95% phải không?"), else None."""
    values = sought_values(text, skip)
    if any(DAY_MONTH.match(v) for v in values):
        return "date"
    if values and DURATION.search(text):
        return "duration"
    return "count" if values else None


_UPPER = "A-ZĐÀ-ỸÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÉÈẺẼẸÊẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÚÙỦŨỤƯỨỪỬỮỰÝỲỶỸỴ"
_CAPITALISED = re.compile(rf"\b[{_UPPER}][a-zà-ỹđ]+(?:\s+[{_UPPER}][a-zà-ỹđ]+){{1,3}}\b")
# Capitalised words that begin the names of bodies, documents and places, not of people.
ORG_WORDS = frozenset(canonical(w) for w in (
    "Ban Hội Ủy Uỷ Đảng Bộ Chính Tỉnh Huyện Xã Thành Thị Chi Nghị Kế Quyết Chỉ Thông Hướng "
    "Phòng Sở Mặt Trận Đoàn Cộng Độc Nhà Nước Trung Ương Thường Vụ Chấp Hành Tổ Quốc "
    "Nông Dân Phụ Nữ Cựu Chiến Binh Thanh Niên Việt Nam Hà Nội Hải Quảng Đề Án Lưu Nơi Nhận "
    "Tuyên Giáo Huấn Dân Vận Đại Hội Phó Chủ Tịch Trưởng Bí Thư Đồng Chí Hóa Hoá "
    "Phần Chương Mục Điều Khoản Hạnh Phúc Tự Do Lập Giám Đốc Cụm").split())


def person_names(text: str) -> list[str]:
    """Names of people in ``text`` ("Trần Bình Quân"): 2–4 capitalised syllables, none of which
    begins the name of a body, a document or a place ("Ban Chấp hành" is not a name)."""
    out = []
    for m in _CAPITALISED.finditer(text):
        words = m.group(0).split()
        if not any(canonical(w) in ORG_WORDS for w in words):
            out.append(m.group(0))
    return out


# ---- clauses ------------------------------------------------------------------------------
_SPLIT = re.compile(rf"\n+|(?<=[.;!?])\s+(?=[-–+{_UPPER}“\"(\d])")


def split_clauses(text: str) -> list[str]:
    """Clauses of ``text`` (line breaks, ``;`` and sentence ends before a capital, a dash or a
    number), each a verbatim substring, in order."""
    return [s.strip() for s in _SPLIT.split(text) if s and s.strip()]


# ---- vocabulary ---------------------------------------------------------------------------
DOC_TYPES = {
    "nghị quyết": "Nghị quyết", "kế hoạch": "Kế hoạch", "chỉ thị": "Chỉ thị",
    "quyết định": "Quyết định", "kết luận": "Kết luận", "hướng dẫn": "Hướng dẫn",
    "thông báo": "Thông báo", "báo cáo": "Báo cáo", "chương trình": "Chương trình",
    "nghị định": "Nghị định", "thông tư": "Thông tư", "luật": "Luật", "đề án": "Đề án",
    "công văn": "Công văn",
}
# Words that open the body of an administrative document (its preamble, its first paragraph)
# right after the subject (trích yếu): "Căn cứ Luật …", "Thực hiện Kế hoạch số …", "Nhằm …".
# Capitalised, as a sentence begins: a subject that wraps goes on in lower case ("… và triển
# khai thực hiện Nghị quyết"), so only a line (or a glued tail) that starts with one is body.
BODY_OPENERS = ("Căn cứ", "Thực hiện", "Triển khai", "Thi hành", "Nhằm", "Để", "Với",
                "Trên cơ sở", "Theo đề nghị", "Xét đề nghị", "Tại Hội nghị")
_OPENERS = "|".join(BODY_OPENERS) + r"|Ngày \d{1,2}"  # "Ngày 05/8/2020, Bộ Chính trị …"
BODY_OPENER = re.compile(rf"(?:{_OPENERS})\b")  # at a line's start (``match``)
GLUED_OPENER = re.compile(rf"\s(?=(?:{_OPENERS})\b)")  # inside a line a reader glued
# The sentence that closes a preamble and leads into the numbered body: "… kế hoạch như sau:"
PREAMBLE_END = re.compile(r"\bnhư sau\s*:\s*$")
# Type codes inside document numbers (58-NQ/TW) → the type as documents print it.
TYPE_CODES = {"nq": "Nghị quyết", "kh": "Kế hoạch", "ct": "Chỉ thị", "qđ": "Quyết định",
              "qd": "Quyết định", "kl": "Kết luận", "hd": "Hướng dẫn", "tb": "Thông báo",
              "bc": "Báo cáo", "ctr": "Chương trình", "nđ": "Nghị định", "nd": "Nghị định"}
# Levels of an organisation → how sections and questions name them (accented, canonical).
# The name of one body ("Hội Nông dân huyện Đông Sơn") is not a level: it names an issuer.
LEVELS = {
    "tinh": ("cấp tỉnh", "tỉnh hội"),
    "huyen": ("cấp huyện", "huyện, thị, thành", "huyện, thị, thành phố", "các huyện",
              "huyện hội"),
    "xa": ("cấp xã", "xã, phường", "cấp cơ sở", "hội xã", "các xã"),
    "chi": ("chi hội", "chi đoàn", "chi bộ"),
}
# Abbreviations as members type them → the words they stand for.
ABBREVIATIONS = {"hnd": "hội nông dân", "btv": "ban thường vụ", "bch": "ban chấp hành",
                 "tu": "tỉnh ủy", "ubnd": "ủy ban nhân dân", "nq": "nghị quyết",
                 "kh": "kế hoạch", "hlhpn": "hội liên hiệp phụ nữ", "hpn": "hội phụ nữ",
                 "lhpn": "liên hiệp phụ nữ", "ubmttq": "ủy ban mặt trận tổ quốc",
                 "ccb": "cựu chiến binh", "mttq": "mặt trận tổ quốc", "tncs": "thanh niên cộng sản",
                 "hndt": "hội nông dân tỉnh", "đtn": "đoàn thanh niên", "dtn": "đoàn thanh niên",
                 "hđnd": "hội đồng nhân dân", "hdnd": "hội đồng nhân dân"}
# The bodies of the political system → how an issuer's name or a question names them
# (accent-stripped, abbreviations spelt out). A body is named by its name, not by the people it
# gathers: a bare "nông dân" (farmers) or "phụ nữ" (women) is not the Association, a bare
# "đoàn" not the Youth Union ("đoàn kết", "công đoàn").
ORGANISATIONS = {
    "nong-dan": r"\bhoi nong dan\b|\bnong hoi\b",
    "phu-nu": r"\bhoi (?:lien hiep )?phu nu\b|\blien hiep phu nu\b",
    "cuu-chien-binh": r"\bcuu chien binh\b",
    "doan-thanh-nien": (r"\bdoan thanh nien\b|\bthanh nien cong san\b|\bdoan vien\b"
                        r"|\b(?:tinh|huyen|thanh|xa|chi) doan\b(?! ket\b)"
                        r"|\b(?:ban chap hanh|ban thuong vu) doan\b"),
    "mat-tran": r"\bmat tran\b",
    "cong-doan": r"\bcong doan\b|\blien doan lao dong\b",
    "dang": r"\b(?:tinh|huyen|thanh|thi|dang) uy\b|\bdang bo\b|\bchi bo\b",
    "chinh-quyen": r"\buy ban nhan dan\b|\bhoi dong nhan dan\b",
}
_ORGANISATIONS = tuple((key, re.compile(pat)) for key, pat in ORGANISATIONS.items())


def _body_form(text: str) -> str:
    """``text`` as the body patterns read it: abbreviations spelt out, accent-stripped,
    single-spaced."""
    return re.sub(r"\s+", " ", strip_accents(expand_abbreviations(text, keep=False)))


@lru_cache(maxsize=8192)
def organisations(text: str) -> tuple[str, ...]:
    """The bodies ``text`` names (keys of ``ORGANISATIONS``), in order of first mention:
    "Hội LHPN tỉnh" → ("phu-nu",); "MTTQ và Đoàn thanh niên" → ("mat-tran", "doan-thanh-nien")."""
    plain_text = _body_form(text)
    found = sorted((m.start(), key) for key, pat in _ORGANISATIONS
                   if (m := pat.search(plain_text)))
    return tuple(key for _, key in found)


def issuer_organisation(issuer: str | None) -> str | None:
    """The body that issued a document (an ``ORGANISATIONS`` key), from its issuer's name:
    the first body it names; ``None`` if none."""
    return next(iter(organisations(issuer or "")), None)


_LEVEL_AFTER = re.compile(r"(?:\s+\w+){0,2}?\s+(?:cap\s+)?" + _UNIT + r"\b")
_LEVEL_FIRST = re.compile(r"(tinh|huyen|xa)\b")  # "Tỉnh Đoàn", "Huyện ủy": the level first


@lru_cache(maxsize=8192)
def organisation_level(text: str) -> str | None:
    """The level (accent-stripped) of a body ``text`` names: written right after the body's
    name ("Hội Phụ nữ tỉnh", "MTTQ huyện", "Đoàn thanh niên cấp xã"), or as the first word of
    the short names that put it first ("Tỉnh Đoàn", "Huyện Đoàn", "Tỉnh ủy", "Huyện ủy") →
    "tinh", "huyen", "xa"; ``None`` if none."""
    plain_text = _body_form(text)
    for _, pat in _ORGANISATIONS:
        for m in pat.finditer(plain_text):
            level = _LEVEL_FIRST.match(m.group(0)) or _LEVEL_AFTER.match(plain_text, m.end())
            if level:
                return UNIT_LEVELS[level.group(1)]
    return None


# Question words → the kind of answer they ask for, with a weight (a soft distribution).
INTERROGATIVES: dict[str, dict[str, float]] = {
    "khi nào": {"date": 1.0}, "ngày nào": {"date": 1.0}, "lúc nào": {"date": 1.0},
    "bao giờ": {"date": 1.0}, "thời hạn": {"date": 0.7}, "hạn chót": {"date": 1.0},
    "trước ngày": {"date": 0.8}, "tháng nào": {"date": 1.0}, "ngày mấy": {"date": 1.0},
    "năm nào": {"year": 1.0}, "đến năm": {"year": 0.5},
    "bao lâu": {"duration": 1.0}, "mấy buổi": {"duration": 1.0}, "mấy ngày": {"duration": 1.0},
    "kéo dài": {"duration": 0.7}, "thời gian": {"duration": 0.4, "date": 0.3},
    "bao nhiêu": {"count": 1.0}, "mấy": {"count": 0.6}, "số lượng": {"count": 0.7},
    "ai": {"who": 1.0}, "người nào": {"who": 1.0}, "cơ quan nào": {"who": 1.0},
    "đơn vị nào": {"who": 0.8, "list": 0.3}, "tổ chức nào": {"who": 1.0},
    "ban nào": {"who": 1.0}, "cấp nào": {"who": 0.8},
    "ở đâu": {"where": 1.0}, "tại đâu": {"where": 1.0}, "về đâu": {"where": 1.0},
    "nơi nào": {"where": 1.0}, "đâu": {"where": 0.6},
    "những gì": {"list": 1.0}, "gồm": {"list": 0.8}, "bao gồm": {"list": 1.0},
    "những ai": {"list": 0.8, "who": 0.5}, "những nội dung": {"list": 1.0},
    "những đơn vị": {"list": 1.0}, "các nội dung": {"list": 0.8}, "nội dung gì": {"list": 0.8},
    "những tài liệu": {"list": 1.0}, "tài liệu nào": {"list": 0.8}, "liệt kê": {"list": 1.0},
    "như thế nào": {"how": 1.0}, "thế nào": {"how": 0.8}, "ra sao": {"how": 1.0},
    "bằng cách nào": {"how": 1.0}, "hình thức": {"how": 0.6},
    "có phải": {"yesno": 1.0}, "không": {"yesno": 0.5}, "đúng không": {"yesno": 1.0},
    "gì": {"what": 0.6}, "là gì": {"what": 1.0},
}
ANSWER_TYPES = ("date", "year", "duration", "count", "who", "where", "list", "how", "yesno",
                "what")
# Words that name a part of a document: a question using them asks for that part.
PART_LABELS = {
    "signature": ("ký", "người ký", "ký tên", "chủ tịch", "bí thư", "thay mặt", "t/m"),
    "recipients": ("nơi nhận", "gửi", "gửi cho", "gửi đến", "gửi tới", "đơn vị nhận"),
    "header": ("ban hành", "số hiệu", "ngày ban hành", "ký hiệu", "cơ quan ban hành"),
}
# The time a text speaks of. A target: "mục tiêu", "phấn đấu", "đến năm 2030" ("đạt" is not one:
# "tỷ lệ đô thị hóa đạt 24,5%" states the present as often as a goal). The present state, as a
# section or clause names it ("Tình hình", "kết quả") and as a question asks for it ("hiện nay",
# "hiện có", "bây giờ"; not the "hiện" of "thực hiện", "thể hiện", "phát hiện" …).
TARGET_CUES = ("mục tiêu", "chỉ tiêu", "phấn đấu", "đến năm", "tầm nhìn")
CURRENT_CUES = ("hiện nay", "tình hình", "kết quả", "hiện tại", "thực trạng")
NOW_CUES = ("hiện nay", "hiện tại", "hiện giờ", "bây giờ", "hiện có", "hiện còn", "hiện đang",
            "hiện là", "hiện đạt")
_HIEN_COMPOUNDS = re.compile(r"\b(?:thuc|the|xuat|phat|bieu) hien\b")


def _plain_cues(cues: Iterable[str], extra: str = "") -> re.Pattern[str]:
    """Whole-word pattern over the accent-free forms of ``cues`` (plus ``extra``)."""
    forms = [re.escape(strip_accents(c)) for c in cues] + ([extra] if extra else [])
    return re.compile(rf"\b(?:{'|'.join(forms)})\b")


_TARGET = _plain_cues(TARGET_CUES, r"den (?:19|20)\d\d")  # "đến 2030" too
_CURRENT = _plain_cues(CURRENT_CUES)
_NOW = _plain_cues(NOW_CUES)
_FRAME_YEAR = re.compile(r"(?<![\d/.,])(?:19|20)\d\d(?![\d/])")


def frame_years(text: str) -> frozenset[str]:
    """The years a text is framed by ("đến năm 2030", "giai đoạn 2023 - 2025"), not those of
    its dates ("15/9/2020", "tháng 10/2020")."""
    return frozenset(_FRAME_YEAR.findall(DATE.sub(" ", text)))


def time_frame(question: str, context: str) -> tuple[float, float, float]:
    """How the time a question asks about agrees with a clause and its headings (``context``):
    (the question names years and the context names others only; the question asks for the
    present and the context speaks of a target, not of the present; the question asks for a
    target and the context speaks of the present, not of a target). Each is 0 or 1."""
    q, c = plain(question), plain(context)
    q_years, c_years = frame_years(question), frame_years(context)
    target_c, current_c = bool(_TARGET.search(c)), bool(_CURRENT.search(c))
    years = float(bool(q_years) and bool(c_years) and not q_years & c_years)
    now = float(bool(_NOW.search(_HIEN_COMPOUNDS.sub(" ", q))) and target_c and not current_c)
    target = float(bool(_TARGET.search(q)) and current_c and not target_c)
    return years, now, target


def plain(text: str) -> str:
    """Accent-free, lower-case form of a cue or a text (``đ`` → ``d``)."""
    return strip_accents(text)


@lru_cache(maxsize=4096)
def _cue_form(cue: str, accented: bool) -> str:
    """A cue in the form it is compared in (computed once per cue)."""
    return canonical(cue) if accented else plain(cue)


@lru_cache(maxsize=4096)
def _cue_pattern(cue: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w/]){re.escape(cue)}(?![\w/])")


def has_cue(text_canonical: str, text_plain: str, cue: str, accented: bool) -> bool:
    """Whether ``cue`` occurs as whole words: with accents when the question has them (``ký``
    is then not ``kỳ``), else in the accent-free form."""
    return bool(_cue_pattern(_cue_form(cue, accented)).search(
        text_canonical if accented else text_plain))


def cues_in(text_canonical: str, text_plain: str, cues: Iterable[str], accented: bool
            ) -> list[str]:
    """The cues of ``cues`` that ``text`` contains (see ``has_cue``)."""
    return [c for c in cues if has_cue(text_canonical, text_plain, c, accented)]


def answer_types(text_canonical: str, text_plain: str, accented: bool) -> dict[str, float]:
    """A soft distribution over ``ANSWER_TYPES`` from the question words present; when two
    cues overlap ("ngày nào" inside "trước ngày nào") both count. No cue → ``what``."""
    weights = dict.fromkeys(ANSWER_TYPES, 0.0)
    for cue, kinds in INTERROGATIVES.items():
        if has_cue(text_canonical, text_plain, cue, accented):
            for kind, w in kinds.items():
                weights[kind] += w
    total = sum(weights.values())
    if total <= 0:
        return {**weights, "what": 1.0}
    return {k: v / total for k, v in weights.items()}


def levels_named(text_canonical: str, text_plain: str, accented: bool) -> frozenset[str]:
    """Organisation levels a text names ("cấp huyện", "các xã" …). "xã hội" (society) names
    no level: only the phrases of ``LEVELS`` count."""
    return frozenset(lv for lv, cues in LEVELS.items()
                     if cues_in(text_canonical, text_plain, cues, accented))


def _typed(words: str, plain: bool) -> str:
    return strip_accents(words) if plain else words


# the words of a level, as ``name_unit_levels`` writes them after a unit. Not after "thành
# phố": in a question it may be any city ("Thủ đô của Pháp là thành phố nào?", round 55's LV2)
_UNIT_LEVEL_WORDS = {w: LEVELS[UNIT_LEVELS[w]][0] for w in ("thi xa", "thi tran")}
_UNIT_WORDS = {False: re.compile(r"\b(?:thị xã|thị trấn)\b(?! \()", re.I),
               True: re.compile(r"\b(?:thi xa|thi tran)\b(?! \()", re.I)}


def expand_abbreviations(text: str, keep: bool = True) -> str:
    """``text`` with the abbreviations members type (HND, BTV, NQ58 …) spelled out: after them
    in brackets when ``keep`` ("HND (hội nông dân)"), else in their place ("hội nông dân"). A
    number glued to a type code ("NQ58") is separated; document codes ("58-NQ/TW") stay whole.
    A question typed without diacritics gets its words without diacritics too (so that it is
    still read as one typed without them)."""
    plain = not has_diacritics(text)
    text = re.sub(r"(?<![-/])\b(nq|kh|ct|qđ|qd)\s*(\d{1,5})\b(?!\s*[-/])",
                  lambda m: f"{_typed(TYPE_CODES[m.group(1).lower()], plain)} {m.group(2)}",
                  text, flags=re.I)

    def spell(m: re.Match[str]) -> str:
        words = _typed(ABBREVIATIONS[m.group(0).lower()], plain)
        return f"{m.group(0)} ({words})" if keep else words

    long = "|".join(a for a in ABBREVIATIONS if len(a) > 2)  # unambiguous in any case
    short = "|".join(a.upper() for a in ABBREVIATIONS if len(a) <= 2)  # "TU", not "tu"
    text = re.sub(rf"(?<![-/])\b(?:{long})\b(?!\s*[-/])", spell, text, flags=re.I)
    return re.sub(rf"(?<![-/])\b(?:{short})\b(?!\s*[-/])", spell, text)


def name_unit_levels(text: str) -> str:
    """A question's thị xã and thị trấn followed by the level they are of, in brackets:
    "Thị xã phải học xong …" → "Thị xã (cấp huyện) phải học xong …" (``UNIT_LEVELS``). Plans
    write a level's duties under "các huyện, thị, thành phố" or "xã, phường, thị trấn", where
    the word "xã" of "thị xã" would point to the wrong one; the level's own word points to the
    right one for search, the reader and the features alike. Without diacritics in, without
    them out."""
    plain = not has_diacritics(text)

    def level(m: re.Match[str]) -> str:
        return f"{m.group(0)} ({_typed(_UNIT_LEVEL_WORDS[strip_accents(m.group(0).lower())], plain)})"

    return _UNIT_WORDS[plain].sub(level, text)


def states(text: str, kind: str) -> bool:
    """Whether ``text`` states a fact of the answer type ``kind``."""
    if kind == "date":
        return bool(DATE.search(text))
    if kind == "year":
        return bool(YEAR.search(text))
    if kind == "duration":
        return bool(DURATION.search(text))
    if kind == "count":
        return bool(NUMBER.search(DATE.sub(" ", text)))
    if kind == "who":
        return bool(person_names(text)) or bool(re.search(r"\b(?:Ban|Hội|Ủy ban|Đảng|Bộ|Tỉnh ủy)\b", text))
    if kind == "list":
        return text.count("\n") >= 1 or text.count(";") >= 1 or text.count(",") >= 2
    return True


def type_compatibility(text: str, types: dict[str, float]) -> float:
    """Expected share of the asked answer types that ``text`` states (0..1)."""
    return sum(w for kind, w in types.items() if w and states(text, kind))
