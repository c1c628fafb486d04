"""Who may write what: per-unit access codes (stored as scrypt hashes) and the organiser.

A unit's code lets its reporter write that unit's reports only (not its subtree: a district
does not file for its communes); the organiser (``HOCTAP_ADMIN_PASSWORD``) reads and writes all.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from app.tracking.db import Database
from app.tracking.errors import AccessDenied, NotFound
from app.tracking.models import Unit
from ingest.settings import Settings

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read over the phone
_N, _R, _P = 2**12, 8, 1  # ~25 ms a code: codes are random (40 bits), not passwords


@dataclass(frozen=True)
class Actor:
    """Who acts: the organiser, or the reporter of one unit (``unit_id``)."""

    kind: str  # "organiser" | "unit"
    label: str
    unit_id: int | None = None
    unit_code: str | None = None

    @property
    def is_organiser(self) -> bool:
        """Whether this actor may read and write every unit."""
        return self.kind == "organiser"


def hash_code(code: str, salt: bytes | None = None) -> str:
    """``scrypt$<salt hex>$<hash hex>`` of an access code (normalised: upper case, no spaces)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(_norm(code).encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_code(code: str, stored: str | None) -> bool:
    """Whether ``code`` matches the stored hash (constant-time comparison)."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt, _digest = stored.split("$")
    return hmac.compare_digest(hash_code(code, bytes.fromhex(salt)), stored)


def _norm(code: str) -> str:
    return "".join(code.split()).upper()


def new_code(length: int = 8) -> str:
    """A fresh random access code."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def issue_codes(db: Database, codes: list[str] | None = None,
                only_missing: bool = False) -> dict[str, str]:
    """New access codes for the given units (all when None): unit code → plain access code.
    Only the hash is stored; the plain codes are shown once, to hand out."""
    out: dict[str, str] = {}
    with db.session() as s:
        q = select(Unit).order_by(Unit.path)
        if codes is not None:
            q = q.where(Unit.code.in_(codes))
        units = list(s.scalars(q))
        if codes is not None and len(units) != len(set(codes)):
            missing = sorted(set(codes) - {u.code for u in units})
            raise NotFound(f"Không có đơn vị mã {', '.join(missing)}.")
        for u in units:
            if only_missing and u.access_hash:
                continue
            out[u.code] = new_code()
            u.access_hash = hash_code(out[u.code])
    return out


def login_unit(db: Database, unit_code: str, access_code: str) -> Actor:
    """The reporter of ``unit_code`` when ``access_code`` is right, else ``AccessDenied``."""
    with db.session() as s:
        u = s.scalar(select(Unit).where(Unit.code == unit_code.strip()))
        if u is None or not check_code(access_code, u.access_hash):
            raise AccessDenied("Mã đơn vị hoặc mã truy cập không đúng.")
        return Actor("unit", f"{u.code} ({u.name})", u.id, u.code)


def login_organiser(settings: Settings, password: str) -> Actor:
    """The organiser when ``password`` equals ``HOCTAP_ADMIN_PASSWORD`` (which must be set)."""
    expected = settings.admin_password
    if not expected:
        raise AccessDenied("Chưa đặt mật khẩu quản trị (HOCTAP_ADMIN_PASSWORD): "
                           "không đăng nhập được với vai trò ban tổ chức.")
    if not hmac.compare_digest(password.encode(), expected.encode()):
        raise AccessDenied("Mật khẩu ban tổ chức không đúng.")
    return Actor("organiser", "Ban tổ chức")


def organiser_cli() -> Actor:
    """The organiser acting from the command line (whoever runs ``hoctap`` on the machine)."""
    return Actor("organiser", "Ban tổ chức (dòng lệnh)")
