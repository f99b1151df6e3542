"""The console in a real headless browser: Debian's Chromium driven by playwright, against the real
service on loopback (uvicorn). Log in, filter the queue, open an incident, mark a false positive
and see the suppression written, release a held 機密 mail with a second approver, and check that
no raw value appears in any rendered page. Leaves a screenshot in docs/ for the README."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from console_support import PASSWORD, RAW_VALUES, SCAN, SECRET_MAIL, make_world
from test_console import _classified_quarantine

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): run sudo bash scripts/ci-system-deps.sh", pytrace=False)
    if not Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists():
        pytest.fail("The CJK font is missing (fonts-noto-cjk): run sudo bash scripts/ci-system-deps.sh", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


class LiveServer:
    def __init__(self, app: object):
        import uvicorn

        from service.testing import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _login(page, base: str, user: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/console/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("#queue")


def test_the_console_in_a_real_browser(tmp_path, browser):
    from playwright.sync_api import expect

    world = make_world(tmp_path, policy_edit=_classified_quarantine)
    pages_seen: list[str] = []
    with LiveServer(world.app) as live, httpx.Client(base_url=live.url, headers=SCAN, timeout=30) as api:
        roster_text = (Path(__file__).resolve().parents[1] / "samples" / "03-roster.txt").read_text(encoding="utf-8")
        roster = api.post("/v1/scan", json={"sender": "clerk@hl.gov.tw", "recipients": ["partner@example.com"],
                                            "subject": "補助名冊", "text": roster_text}).json()
        secret = api.post("/v1/scan/mime", content=SECRET_MAIL, headers={"Content-Type": "message/rfc822"}).json()
        held = api.post("/v1/scan", json={"sender": "clerk@hl.gov.tw", "recipients": ["partner@example.com"],
                                          "text": "機密（本件至112年12月31日解密）\n會議紀錄"}).json()
        assert (roster["action"], secret["action"], held["action"]) == ("quarantine", "block", "quarantine")
        world.config.store.set_quarantine(held["incident_id"], "held", "milter", "queued", {}, queue_id="4F2A1B3C9D")

        amy = browser.new_context(locale="zh-TW", viewport={"width": 1360, "height": 900})
        page = amy.new_page()
        _login(page, live.url, "amy")
        assert page.locator("#total").inner_text() == "共 3 件"
        pages_seen.append(page.content())

        # filter the queue (htmx swaps the table and pushes the URL)
        page.select_option("select[name=action]", "block")
        expect(page.locator("#total")).to_have_text("共 1 件")  # (the page's CSP forbids eval: no wait_for_function)
        assert "action=block" in page.url
        assert secret["incident_id"] in page.locator("#queue").inner_text()
        assert roster["incident_id"] not in page.locator("#queue").inner_text()
        pages_seen.append(page.content())
        page.select_option("select[name=action]", "")
        expect(page.locator("#total")).to_have_text("共 3 件")
        page.screenshot(path=str(tmp_path / "console-queue.png"), full_page=True)

        # open the roster and mark its first national-ID hit as a false positive, scoped to the value
        page.click(f"text={roster['incident_id']}")
        page.wait_for_selector("#triage")
        pages_seen.append(page.content())
        page.locator("input[aria-label='選取 TW_NATIONAL_ID']").first.check()
        page.check("input[name=verdict][value=false_positive]")
        page.check("input[name=scope][value=value]")
        page.fill("#triage textarea[name=reason]", "名冊是訓練用的假資料")
        page.click("#triage button[type=submit]")
        page.wait_for_selector(".notice")
        assert "抑制清單新增一筆" in page.locator(".notice").inner_text()
        assert page.locator("#status").inner_text() == "誤判"
        pages_seen.append(page.content())
        page.screenshot(path=str(tmp_path / "console-incident.png"), full_page=True)
        entries = yaml.safe_load(world.suppressions.read_text(encoding="utf-8"))["suppressions"]
        assert entries[-1]["incident"] == roster["incident_id"] and entries[-1]["scope"] == "value" and entries[-1]["expires"]
        amy.close()

        # a held 機密 mail: bob asks, carol approves
        for user, expect in (("bob", "另一位核可者"), ("carol", "已放行")):
            ctx = browser.new_context(locale="zh-TW")
            p = ctx.new_page()
            _login(p, live.url, user)
            p.goto(f"{live.url}/console/incidents/{held['incident_id']}")
            p.fill("#quarantine textarea[name=reason]", f"{user} 確認收件單位已簽保密切結")
            p.click("#release")
            p.wait_for_selector(".notice")
            assert expect in p.locator(".notice").inner_text()
            pages_seen.append(p.content())
            ctx.close()
        assert world.config.quarantine.calls == [("release", held["incident_id"], "4F2A1B3C9D")]

        viewer = browser.new_context(locale="zh-TW")
        v = viewer.new_page()
        _login(v, live.url, "vic")
        for path in ("/console/stats", "/console/overrides", f"/console/incidents/{secret['incident_id']}"):
            v.goto(live.url + path)
            pages_seen.append(v.content())
        viewer.close()

    for html in pages_seen:
        for raw in RAW_VALUES:
            assert raw not in html, raw
    for shot in ("console-queue.png", "console-incident.png"):  # for the README and docs/console.md
        assert (tmp_path / shot).read_bytes().startswith(b"\x89PNG")
        if os.environ.get("DLP_UPDATE_SCREENSHOTS") or not (DOCS / shot).exists():
            shutil.copy(tmp_path / shot, DOCS / shot)
