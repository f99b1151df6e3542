"""/docs and /redoc in a real headless browser (Debian's Chromium via playwright) with every request
outside the service refused: both render the operations and the worked examples offline."""

from __future__ import annotations

import warnings
from pathlib import Path

from test_console_browser import LiveServer, browser  # noqa: F401 - the fixture fails clearly without Chromium

from service.app import create_app
from service.settings import Settings
from service.testing import write_test_packs

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from dlp.scanner import Scanner


def _offline_page(browser, base: str, outside: list[str], errors: list[str]):  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 900})

    def only_the_service(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(base + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_service)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, page


def test_docs_and_redoc_render_with_the_network_blocked(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    packs = write_test_packs(tmp_path / "packs")
    app = create_app(Settings(patterns_dir=str(packs), keys_file=str(tmp_path / "keys.json"),
                              audit_log=str(tmp_path / "audit.jsonl")), scanner=Scanner(patterns_dir=packs))
    outside: list[str] = []
    errors: list[str] = []
    with LiveServer(app) as live:
        context, page = _offline_page(browser, live.url, outside, errors)
        page.goto(live.url + "/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=60_000)
        paths = set(page.locator(".opblock-summary-path").all_inner_texts())
        assert {"/v1/scan", "/v1/scan/mime", "/v1/redact", "/v1/chat/check"} <= {p.replace("\u200b", "") for p in paths}
        assert page.locator(".errors-wrapper").count() == 0  # "Unable to render this definition" and the like
        page.locator(".opblock-summary-path", has_text="/v1/redact").first.click()
        page.wait_for_selector("option[value=mask_id_and_phone]", state="attached", timeout=30_000)  # a worked example
        page.wait_for_selector("text=/D10\\*{4}971/", timeout=30_000)  # its response, masked, is on the page
        page.screenshot(path=str(tmp_path / "docs.png"), full_page=False)

        page.goto(live.url + "/redoc")
        page.wait_for_selector("h2:has-text('Scan a raw RFC 822 mail')", timeout=60_000)  # an operation's heading
        assert "Check a chat message before it is posted" in page.content()
        context.close()
    assert not outside, f"the pages asked for something outside the service: {outside}"
    # The one thing the CSP refuses: ReDoc's "API docs by Redocly" logo on cdn.redoc.ly (hidden).
    assert all("cdn.redoc.ly/redoc/logo-mini.svg" in e for e in errors), errors
