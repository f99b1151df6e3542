"""Login sessions, CSRF and roles for the console's routes."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from fastapi import Request

from dlp.store.accounts import Session

SESSION_COOKIE = "dlp_console"
LOGIN_CSRF_COOKIE = "dlp_console_login"


class NotLoggedIn(Exception):
    pass


class Forbidden(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadCsrf(Exception):
    pass


def current_session(request: Request) -> Session:
    session = request.app.state.accounts.session(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise NotLoggedIn()
    request.state.session = session
    request.state.key_id = f"console:{session.user.username}"  # who, in the access log (service.logs)
    return session


def require_role(session: Session, role: str) -> None:
    from dlp.store.accounts import ROLE_LABELS

    if not session.user.may(role):
        raise Forbidden(f"此操作需要「{ROLE_LABELS[role]}」以上的權限")


def check_csrf(expected: str, form: Any, request: Request) -> None:
    """Every form posts ``csrf_token`` (htmx requests may send ``X-CSRF-Token`` instead)."""
    given = str(form.get("csrf_token") or request.headers.get("x-csrf-token") or "")
    if not given or not hmac.compare_digest(given, expected):
        raise BadCsrf()


def new_login_csrf() -> str:
    return secrets.token_urlsafe(32)
