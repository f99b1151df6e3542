"""Console users (hashed passwords, roles) and login sessions that expire.

Roles, each allowed what the one before may do and more: ``viewer`` (queue, incidents,
statistics, export), ``triager`` (verdicts, suppressions, dropping held mail), ``approver``
(releasing held mail; a release of anything marked 機密 or higher needs two approvers).
Passwords are hashed with Argon2id (argon2-cffi). A session is a random token kept in the
browser's cookie and, in the store, only as its SHA-256, with its own CSRF token, an absolute
expiry and an idle timeout.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from dlp.store.store import IncidentStore, utcnow

ROLES: tuple[str, ...] = ("viewer", "triager", "approver")
ROLE_LABELS = {"viewer": "檢視者", "triager": "分析人員", "approver": "核可者"}
MIN_PASSWORD_CHARS = 12
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
_hasher = PasswordHasher()
#: Compared against when the user does not exist, so that a wrong name takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about users that cannot be carried out; the message is for people (Chinese)."""


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str
    disabled: bool = False

    def may(self, role: str) -> bool:
        return not self.disabled and ROLES.index(self.role) >= ROLES.index(role)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: datetime


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"密碼至少要 {MIN_PASSWORD_CHARS} 個字元")


def new_password() -> str:
    """A random first password (about 120 bits), easy to type: no 0/O or 1/l."""
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


class Accounts:
    def __init__(self, store: IncidentStore, session_hours: float = 8.0, idle_minutes: float = 30.0):
        self.store = store
        self.users_t = store.meta.tables["users"]
        self.sessions_t = store.meta.tables["sessions"]
        self.session_lifetime = timedelta(hours=session_hours)
        self.idle_timeout = timedelta(minutes=idle_minutes)

    # -- users ----------------------------------------------------------------------------
    def add_user(self, username: str, password: str, role: str) -> User:
        if not _USERNAME.match(username):
            raise AccountError("帳號只能用英數字與 . _ -（2 到 64 個字元）")
        if role not in ROLES:
            raise AccountError(f"角色必須是 {'、'.join(ROLES)} 之一")
        check_password(password)
        row = {"username": username, "password_hash": _hasher.hash(password), "role": role,
               "created_at": utcnow(), "disabled": False}
        try:
            with self.store.engine.begin() as conn:
                conn.execute(insert(self.users_t), [row])
        except IntegrityError:
            raise AccountError(f"帳號 {username} 已經存在") from None
        user = self.get(username)
        assert user is not None
        return user

    def get(self, username: str) -> User | None:
        u = self.users_t.c
        with self.store.engine.connect() as conn:
            row = conn.execute(select(u.id, u.username, u.role, u.disabled).where(u.username == username)).first()
        return User(int(row[0]), row[1], row[2], bool(row[3])) if row else None

    def list(self) -> list[dict[str, Any]]:
        u = self.users_t.c
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(u.username, u.role, u.disabled, u.created_at, u.last_login_at).order_by(u.username))
            return [dict(r._mapping) for r in rows]

    def count(self) -> int:
        return len(self.list())

    def set_password(self, username: str, password: str) -> None:
        check_password(password)
        self._update(username, password_hash=_hasher.hash(password))
        self.end_sessions(username)

    def set_role(self, username: str, role: str) -> None:
        if role not in ROLES:
            raise AccountError(f"角色必須是 {'、'.join(ROLES)} 之一")
        self._update(username, role=role)

    def set_disabled(self, username: str, disabled: bool) -> None:
        self._update(username, disabled=disabled)
        if disabled:
            self.end_sessions(username)

    def _update(self, username: str, **values: Any) -> None:
        u = self.users_t.c
        with self.store.engine.begin() as conn:
            if conn.execute(update(self.users_t).where(u.username == username).values(**values)).rowcount != 1:
                raise AccountError(f"沒有帳號 {username}")

    def authenticate(self, username: str, password: str) -> User | None:
        u = self.users_t.c
        with self.store.engine.connect() as conn:
            row = conn.execute(select(u.id, u.username, u.role, u.disabled, u.password_hash).where(u.username == username)).first()
        stored = row[4] if row else _DUMMY_HASH
        try:
            _hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or row[3]:
            return None
        if _hasher.check_needs_rehash(stored):
            self._update(username, password_hash=_hasher.hash(password))
        self._update(username, last_login_at=utcnow())
        return User(int(row[0]), row[1], row[2], False)

    # -- sessions -------------------------------------------------------------------------
    def start_session(self, user: User) -> tuple[str, Session]:
        """A new session; returns the token for the cookie (shown nowhere else) and the session."""
        token = secrets.token_urlsafe(32)
        now = utcnow()
        csrf = secrets.token_urlsafe(32)
        expires = now + self.session_lifetime
        with self.store.engine.begin() as conn:
            conn.execute(delete(self.sessions_t).where(self.sessions_t.c.expires_at < now))
            conn.execute(insert(self.sessions_t), [{"token_sha256": _token_hash(token), "user_id": user.id, "csrf_token": csrf,
                                                    "created_at": now, "expires_at": expires, "last_seen_at": now}])
        return token, Session(user, csrf, expires)

    def session(self, token: str | None) -> Session | None:
        """The live session of ``token`` (and it is touched), or None if unknown, expired or idle."""
        if not token:
            return None
        s, u = self.sessions_t.c, self.users_t.c
        now = utcnow()
        with self.store.engine.begin() as conn:
            row = conn.execute(select(s.token_sha256, s.csrf_token, s.expires_at, s.last_seen_at, u.id, u.username, u.role, u.disabled)
                               .join(self.users_t, u.id == s.user_id).where(s.token_sha256 == _token_hash(token))).first()
            if row is None:
                return None
            if row.expires_at <= now or row.last_seen_at + self.idle_timeout <= now or row.disabled:
                conn.execute(delete(self.sessions_t).where(s.token_sha256 == row.token_sha256))
                return None
            conn.execute(update(self.sessions_t).where(s.token_sha256 == row.token_sha256).values(last_seen_at=now))
        return Session(User(int(row.id), row.username, row.role, False), row.csrf_token, row.expires_at)

    def end_session(self, token: str | None) -> None:
        if token:
            with self.store.engine.begin() as conn:
                conn.execute(delete(self.sessions_t).where(self.sessions_t.c.token_sha256 == _token_hash(token)))

    def end_sessions(self, username: str) -> None:
        user = self.get(username)
        if user is not None:
            with self.store.engine.begin() as conn:
                conn.execute(delete(self.sessions_t).where(self.sessions_t.c.user_id == user.id))
