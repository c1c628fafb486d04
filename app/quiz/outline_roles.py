"""Roles of the thu hoạch outline and the vocabulary that tells which level a duty is for.

A role (hội viên, chi hội trưởng, cán bộ Hội cấp xã / huyện / tỉnh) belongs to one level of
the organisation. ``LEVELS`` is the one vocabulary table: for each level, the words that name
it in a heading or a sentence. ``duty_levels`` scores a clause of a plan against that table, so
duties are found by general features (level words in headings and sentences), never by
matching one plan's sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.errors import HoctapError
from ingest.facts import LEVELS as ORG_LEVELS
from ingest.text import strip_accents


@dataclass(frozen=True)
class Role:
    """A reader of the outline: key (CLI value), Vietnamese label, level and accepted names."""

    key: str
    label: str
    level: str
    names: tuple[str, ...]


ROLE_LIST = (
    Role("hoi-vien", "Hội viên", "hoi_vien", ("hội viên", "hội viên nông dân", "nông dân")),
    Role("chi-hoi-truong", "Chi hội trưởng", "chi_hoi",
         ("chi hội trưởng", "chi hội phó", "tổ trưởng tổ hội", "cán bộ chi hội")),
    Role("can-bo-xa", "Cán bộ Hội cấp xã", "xa",
         ("cán bộ xã", "cán bộ hội cấp xã", "cán bộ hội xã", "cán bộ cấp xã", "cán bộ cơ sở")),
    Role("can-bo-huyen", "Cán bộ Hội cấp huyện", "huyen",
         ("cán bộ huyện", "cán bộ hội cấp huyện", "cán bộ hội huyện", "cán bộ cấp huyện")),
    Role("can-bo-tinh", "Cán bộ Hội cấp tỉnh", "tinh",
         ("cán bộ tỉnh", "cán bộ hội cấp tỉnh", "cán bộ tỉnh hội", "cán bộ cấp tỉnh")),
)
ROLES = {r.key: r.label for r in ROLE_LIST}

# The vocabulary table: words naming each level (matched accent-free, on word boundaries).
# Organisation levels come from the shared vocabulary (``ingest.facts.LEVELS``); a member's
# level is named by what members do (study on their own, write the thu hoạch, get rated).
LEVELS: dict[str, tuple[str, ...]] = {
    "tinh": ORG_LEVELS["tinh"],
    "huyen": (*ORG_LEVELS["huyen"], "thành hội"),
    "xa": ORG_LEVELS["xa"],
    "chi_hoi": (*ORG_LEVELS["chi"], "tổ hội"),
    "hoi_vien": ("thu hoạch", "tự nghiên cứu", "xếp loại"),
}
UPPER_LEVELS = ("tinh", "huyen", "xa")  # levels that direct a level below them
SHARED = ("các cấp hội", "các cấp", "hội nông dân các cấp", "btv các cấp hội")
DIRECTING = ("cấp dưới", "chỉ đạo cơ sở", "chỉ đạo cụm", "đôn đốc")
MEMBER = ("hội viên",)
_REFERENCE = {"cua", "ve", "cho", "den", "toi", "tren"}  # a level after these is not the actor


def _key(text: str) -> str:
    """Accent-free, lower-case, single-spaced form used for matching."""
    return re.sub(r"[\s_-]+", " ", strip_accents(text)).strip()


def _has(text: str, phrase: str) -> bool:
    """True when ``phrase`` occurs in ``text`` (already in ``_key`` form) as whole words."""
    return re.search(rf"(?<!\w){re.escape(_key(phrase))}(?!\w)", text) is not None


def role_choices() -> str:
    """The roles as a Vietnamese list, for messages and help texts."""
    return "; ".join(f"{r.label} ({r.key})" for r in ROLE_LIST)


class UnknownRole(HoctapError):
    """A role name that matches none of ``ROLE_LIST``."""


def parse_role(text: str) -> Role:
    """The role named by ``text``: its key, its label or a known name, with or without
    diacritics, in any case (``hoi vien``, ``Chi hội trưởng``, ``can-bo-xa``)."""
    want = _key(text)
    for role in ROLE_LIST:
        names = (role.key, role.label, *role.names)
        if any(want == _key(n) for n in names):
            return role
    raise UnknownRole(f"Không rõ đối tượng «{text}». Hãy chọn một trong: {role_choices()}.")


def _spots(text: str) -> list[tuple[int, str]]:
    """(position, level) of every level word in ``text`` (accent-free form)."""
    key = _key(text)
    return sorted((m.start(), level) for level, words in LEVELS.items() for w in words
                  for m in re.finditer(rf"(?<!\w){re.escape(_key(w))}(?!\w)", key))


def named_levels(text: str) -> list[str]:
    """Levels that ``text`` names, in the order they first appear."""
    return list(dict.fromkeys(level for _, level in _spots(text)))


@dataclass(frozen=True)
class DutyLevels:
    """How a clause is addressed: levels with weights (3 named in the heading, 2 named as the
    actor, 1 only referred to), whether it is for every level (``shared``), about directing lower levels
    (``directing``), or mentions members (``member``)."""

    weights: dict[str, int]
    shared: bool
    directing: bool
    member: bool

    def own(self, level: str) -> bool:
        """True when the clause is addressed to ``level`` itself."""
        if self.weights.get(level, 0) >= 2:
            return True
        return (self.directing and level in UPPER_LEVELS and not self.weights
                and not self.shared)

    def related(self, level: str) -> bool:
        """True when the clause concerns ``level`` without being addressed to it alone."""
        if self.own(level):
            return False
        if level == "hoi_vien":
            return self.member or self.weights.get(level, 0) > 0
        return self.shared or self.weights.get(level, 0) > 0 or (
            self.directing and level in UPPER_LEVELS)

    def relevance(self, level: str) -> tuple[int, int]:
        """Sort key (higher first) among related clauses: how strongly ``level`` is named plus
        whether every level is meant, then, for chi hội and members, whether the clause is
        about members."""
        about_members = self.member or self.weights.get("hoi_vien", 0) > 0
        return (self.weights.get(level, 0) + int(self.shared),
                int(about_members and level in ("chi_hoi", "hoi_vien")))


def duty_levels(clause: str, heading: str | None, sentence: str | None = None) -> DutyLevels:
    """Score ``clause`` (part of ``sentence``, under ``heading``, the most specific heading
    of its passage). "Các cấp hội" anywhere in the sentence before or in the clause makes it
    a duty of every level.

    A level named in the heading weighs 3. In the sentence a level weighs 2, or 1 when it is
    only referred to (after ``của``, ``về``, ``cho`` …) or comes after "các cấp hội" (then the
    sentence is for every level); member acts (thu hoạch, tự nghiên cứu) always weigh 2, and
    so does everything under a heading that names the chi hội, where members meet.
    """
    weights: dict[str, int] = {level: 3 for level in named_levels(heading or "")}
    if "chi_hoi" in weights:  # what a chi hội does, its members do with it
        weights["hoi_vien"] = 2
    key = _key(clause)
    whole = _key(sentence or clause)
    lead = whole[:max(whole.find(key), 0)] if key in whole else ""
    shared_before = any(_has(lead, w) for w in SHARED)
    shared_at = -1 if shared_before else min((m.start() for w in SHARED
                     for m in re.finditer(rf"(?<!\w){re.escape(_key(w))}(?!\w)", key)),
                    default=len(key) + 1)
    for pos, level in _spots(clause):
        before = key[:pos].split()[-4:]
        referred = any(w in _REFERENCE for w in before) or pos > shared_at
        weight = 2 if level == "hoi_vien" or not referred else 1
        weights[level] = max(weights.get(level, 0), weight)
    return DutyLevels(weights, shared_at <= len(key),
                      any(_has(key, w) for w in DIRECTING), any(_has(key, w) for w in MEMBER))
