"""The security team's console: an incident queue, incident pages, triage, releases, statistics.

Server-rendered (Jinja2) with htmx for the queue's filters, no build step, no CDN. Mounted by
the service at ``/console`` (``dlp serve --console``) or run alone (``dlp console``).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from dlp.gateways.mail.quarantine import QuarantineError
from dlp.store.accounts import ROLE_LABELS, Accounts
from dlp.store.filters import IncidentFilter
from dlp.store.ids import is_incident_id
from service.console import actions
from service.console.audit_adapter import AuditFailed
from service.console.config import ConsoleConfig
from service.console.feedback import SCOPES, FeedbackError
from service.console.labels import labels
from service.console.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    BadCsrf,
    Forbidden,
    NotLoggedIn,
    check_csrf,
    current_session,
    new_login_csrf,
    require_role,
)

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 50
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


def create_console_app(config: ConsoleConfig) -> FastAPI:
    app = FastAPI(title="DLP 資安主控台", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.config = config
    app.state.accounts = Accounts(config.store, config.session_hours, config.idle_minutes)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    prefix = config.prefix.rstrip("/")

    def url(path: str) -> str:
        return prefix + path

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        session = getattr(request.state, "session", None)
        response = templates.TemplateResponse(request, name, {
            "url": url, "session": session, "labels": labels(config.scanner()), "role_labels": ROLE_LABELS,
            "csrf": session.csrf_token if session else "", **context}, status_code=status)
        return _secure(response)

    def redirect(path: str) -> RedirectResponse:
        return RedirectResponse(url(path), status_code=303)

    @app.exception_handler(NotLoggedIn)
    async def not_logged_in(request: Request, _: NotLoggedIn) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": url("/login")})
        return redirect("/login")

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return render(request, "message.html", 403, title="權限不足", message=exc.message)

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, _: BadCsrf) -> Response:
        return render(request, "message.html", 403, title="表單已失效",
                      message="表單的安全驗證碼不符（可能已逾時或被偽造），請重新整理頁面後再試一次。")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _: RequestValidationError) -> Response:
        return render(request, "message.html", 422, title="網址參數有誤", message="網址中的參數格式不正確（例如頁碼或天數不是數字）。")

    @app.exception_handler(AuditFailed)
    async def audit_failed(request: Request, _: AuditFailed) -> Response:
        return render(request, "message.html", 503, title="稽核紀錄無法寫入",
                      message="稽核紀錄無法寫入，為確保每次檢視與操作都有紀錄，本次操作未執行。請通知系統管理員。")

    # -- login ----------------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    async def login_form(request: Request) -> Response:
        token = new_login_csrf()
        response = render(request, "login.html", login_csrf=token, error=None)
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=config.secure_cookies, path=url("/"))
        return response

    @app.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        expected = request.cookies.get(LOGIN_CSRF_COOKIE) or ""
        if not expected:
            raise BadCsrf()
        check_csrf(expected, form, request)
        username, password = str(form.get("username") or "").strip(), str(form.get("password") or "")
        accounts: Accounts = app.state.accounts
        user = accounts.authenticate(username, password) if username and password else None
        if user is None:
            config.audit.event("console_login_failed", username[:64] or None)
            response = render(request, "login.html", 401, login_csrf=expected, error="帳號或密碼錯誤，或帳號已停用。")
            return response
        token, _ = accounts.start_session(user)
        config.audit.event("console_login", user.username, role=user.role)
        response = redirect("/")
        response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=config.secure_cookies,
                            path=url("/"), max_age=int(config.session_hours * 3600))
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=url("/"))
        return response

    @app.post("/logout")
    async def logout(request: Request) -> Response:
        session = current_session(request)
        check_csrf(session.csrf_token, await request.form(), request)
        app.state.accounts.end_session(request.cookies.get(SESSION_COOKIE))
        config.audit.event("console_logout", session.user.username)
        response = redirect("/login")
        response.delete_cookie(SESSION_COOKIE, path=url("/"))
        return response

    # -- the queue ------------------------------------------------------------------------
    def _filter(request: Request) -> tuple[IncidentFilter, str | None]:
        try:
            return IncidentFilter.from_params(dict(request.query_params)), None
        except ValueError as exc:
            return IncidentFilter(), str(exc)

    @app.get("/", response_class=HTMLResponse)
    async def queue(request: Request, page: int = 1) -> Response:
        current_session(request)
        flt, error = _filter(request)
        page = max(1, page)
        store = config.store
        total = store.count(flt)
        rows = store.query(flt, PAGE_SIZE, (page - 1) * PAGE_SIZE)
        context = {"rows": rows, "total": total, "facets": store.facets(flt), "filter": flt, "params": flt.to_params(),
                   "page": page, "pages": max(1, -(-total // PAGE_SIZE)), "error": error}
        name = "_queue.html" if request.headers.get("hx-request") and not request.headers.get("hx-boosted") else "queue.html"
        return render(request, name, 422 if error and name == "queue.html" else 200, **context)

    @app.get("/export.csv")
    async def export(request: Request) -> Response:
        session = current_session(request)
        flt, error = _filter(request)
        if error:
            return render(request, "message.html", 422, title="篩選條件有誤", message=error)
        rows = config.store.query(flt, limit=100_000)
        config.audit.event("console_export", session.user.username, filter=flt.to_params(), rows=len(rows))
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["incident_id", "time_utc", "channel", "sender", "recipients", "destination", "action", "secrecy_level",
                         "types", "rules", "status", "quarantine_state", "overridden", "queue_id", "audit_seq"])
        for r in rows:
            writer.writerow([r["id"], r["created_at"].isoformat(timespec="seconds"), r["channel"], r["sender_masked"] or "",
                             " ".join(p.get("masked", "") for p in r["recipients"]), r["destination"], r["action"],
                             r["secrecy_level"], _counts(r["types"]), _counts(r["rules"]), r["status"],
                             r["quarantine_state"] or "", "yes" if r["overridden"] else "", r["queue_id"] or "",
                             r["audit_seq"] if r["audit_seq"] is not None else ""])
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        return _secure(Response("\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8",
                                headers={"Content-Disposition": f'attachment; filename="incidents-{stamp}.csv"'}))

    # -- one incident ---------------------------------------------------------------------
    def _incident_or_404(request: Request, incident_id: str) -> dict[str, Any] | Response:
        incident = config.store.get(incident_id.upper()) if is_incident_id(incident_id) else None
        if incident is None:
            return render(request, "message.html", 404, title="找不到事件", message=f"沒有事件 {incident_id[:40]}。")
        return incident

    @app.get("/incidents/{incident_id}", response_class=HTMLResponse)
    async def incident_page(request: Request, incident_id: str, notice: str | None = None) -> Response:
        session = current_session(request)
        incident = _incident_or_404(request, incident_id)
        if isinstance(incident, Response):
            return incident
        config.audit.event("console_incident_view", session.user.username, incident_id=incident["id"])
        return _incident_view(request, incident, notice=notice)

    def _incident_view(request: Request, incident: dict[str, Any], status: int = 200, **extra: Any) -> Response:
        store = config.store
        scanner = config.scanner()
        review = actions.review_policy(scanner)
        return render(request, "incident.html", status, incident=incident, findings=store.findings(incident["id"]),
                      events=store.events(incident["id"]), overrides=store.overrides(incident["id"]), scopes=SCOPES,
                      two_approvers=review.needs_two_approvers(incident["secrecy_level"]),
                      default_expiry=actions.default_expiry().isoformat(), notice=actions.NOTICES.get(extra.pop("notice", None) or ""),
                      error=extra.pop("error", None), **extra)

    async def _post(request: Request, incident_id: str, role: str) -> tuple[Any, Any, dict[str, Any] | Response]:
        session = current_session(request)
        form = await request.form()
        check_csrf(session.csrf_token, form, request)
        require_role(session, role)
        return session, form, _incident_or_404(request, incident_id)

    @app.post("/incidents/{incident_id}/triage")
    async def triage(request: Request, incident_id: str) -> Response:
        session, form, incident = await _post(request, incident_id, "triager")
        if isinstance(incident, Response):
            return incident
        try:
            notice = actions.triage(config, session.user.username, incident, form)
        except (FeedbackError, ValueError) as exc:
            return _incident_view(request, incident, 422, error=str(exc))
        return redirect(f"/incidents/{incident['id']}?notice={notice}")

    @app.post("/incidents/{incident_id}/release")
    async def release(request: Request, incident_id: str) -> Response:
        session, form, incident = await _post(request, incident_id, "approver")
        return _quarantine_action(request, incident, lambda: actions.release(config, session.user.username, incident, form))

    @app.post("/incidents/{incident_id}/drop")
    async def drop(request: Request, incident_id: str) -> Response:
        session, form, incident = await _post(request, incident_id, "triager")
        return _quarantine_action(request, incident, lambda: actions.drop(config, session.user.username, incident, form))

    def _quarantine_action(request: Request, incident: dict[str, Any] | Response, act: Any) -> Response:
        if isinstance(incident, Response):
            return incident
        try:
            notice = act()
        except (actions.ActionError, QuarantineError) as exc:
            return _incident_view(request, config.store.get(incident["id"]) or incident, 409, error=str(exc))
        return redirect(f"/incidents/{incident['id']}?notice={notice}")

    # -- statistics and overrides -----------------------------------------------------------
    @app.get("/stats", response_class=HTMLResponse)
    async def stats(request: Request, days: int = 30) -> Response:
        current_session(request)
        return render(request, "stats.html", **actions.stats_context(config, days))

    @app.get("/overrides", response_class=HTMLResponse)
    async def overrides(request: Request) -> Response:
        current_session(request)
        return render(request, "overrides.html", rows=config.store.overrides())

    return app


def _counts(counts: dict[str, int] | None) -> str:
    return " ".join(f"{k}:{v}" for k, v in sorted((counts or {}).items()))


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response
