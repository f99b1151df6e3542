"""The lean route for ``POST /v1/scan`` JSON (service.hot_route) answers exactly what the framework's
route answers: the same status, headers and body for decisions and for every kind of refusal,
side by side with an app whose lean route is taken out (real apps, real clients, real stores)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.hot_route import HotScanRoute
from service.settings import Settings

KEY = "hot-route-key-" + "x" * 24
ADMIN = "hot-route-admin-" + "y" * 24
SALT = "hot-route-salt-0123456789abcdef"
RANDOM = re.compile(r'"(request_id|incident_id)":\s*"[^"]*"')


def _app(tmp: Path, scanner: Any, lean: bool) -> Any:
    settings = Settings.from_env({"DLP_API_KEYS": f"t:scan:{KEY},a:admin:{ADMIN}", "DLP_KEYS_FILE": str(tmp / "keys.json"),
                                  "DLP_AUDIT_LOG": str(tmp / "audit.jsonl"), "DLP_AUDIT_SALT": SALT,
                                  "DLP_MAX_BODY_BYTES": "4000"})
    app = create_app(settings, scanner=scanner)
    if not lean:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not HotScanRoute]
    return app


def _answer(r: Any) -> tuple[int, dict[str, str], Any]:
    headers = {k: v for k, v in r.headers.items() if k not in ("x-request-id", "date", "content-length")}
    body = RANDOM.sub(r'"\1":"-"', r.text)
    return r.status_code, headers, json.loads(body) if body else None


REQUESTS: list[tuple[str, dict[str, Any]]] = [
    ("allow", {"json": {"channel": "chat", "sender": "officer01", "text": "明天開會",
                        "conversation": {"id": "g1", "members": 12, "registered": True}}}),
    ("findings", {"json": {"channel": "mail", "sender": "clerk@hl.gov.tw", "recipients": ["someone@gmail.com"],
                           "text": "承辦人王小明，身分證字號 D104553971，電話 0912-345-678"}}),
    ("marking", {"json": {"channel": "chat", "text": "機密\n\n作戰計畫", "conversation": {"id": "g2", "members": 3}}}),
    ("no key", {"json": {"text": "x"}, "auth": None}),
    ("bad key", {"json": {"text": "x"}, "auth": "dlp_wrong"}),
    ("admin key", {"json": {"text": "x"}, "auth": ADMIN}),
    ("empty body", {"content": b"", "ctype": "application/json"}),
    ("bad json", {"content": b'{"text": ', "ctype": "application/json"}),
    ("not an object", {"content": b"[1, 2]", "ctype": "application/json"}),
    ("too deep", {"content": b'{"a":' * 40 + b"1" + b"}" * 40, "ctype": "application/json"}),
    ("invalid field", {"json": {"channel": "fax", "text": "x"}}),
    ("no content type", {"content": json.dumps({"text": "明天開會"}).encode(), "ctype": None}),
    ("+json", {"content": json.dumps({"text": "明天開會"}).encode(), "ctype": "application/vnd.dlp+json"}),
    ("declared too large", {"content": b'{"text": "' + b"x" * 5000 + b'"}', "ctype": "application/json"}),
    ("streamed too large", {"stream": [b'{"text": "', b"x" * 3000, b"x" * 3000, b'"}'], "ctype": "application/json"}),
    ("unsupported type", {"content": b"text=x", "ctype": "text/plain"}),
]


def _scan_requests_counted() -> dict[str, float]:
    """dlp_requests_total for /v1/scan by status (the process's registry: both apps count into it)."""
    from prometheus_client import REGISTRY

    out: dict[str, float] = {}
    for metric in REGISTRY.collect():
        for sample in metric.samples:
            if sample.name == "dlp_requests_total" and sample.labels.get("endpoint") == "/v1/scan":
                out[sample.labels["status"]] = sample.value
    return out


def _send(client: TestClient, spec: dict[str, Any]) -> Any:
    auth = spec.get("auth", KEY)
    headers = {"Authorization": f"Bearer {auth}"} if auth else {}
    if "ctype" in spec and spec["ctype"] is not None:
        headers["Content-Type"] = spec["ctype"]
    if "json" in spec:
        return client.post("/v1/scan", json=spec["json"], headers=headers)
    if "stream" in spec:
        return client.post("/v1/scan", content=iter(spec["stream"]), headers=headers)
    return client.post("/v1/scan", content=spec["content"], headers=headers)


def test_the_lean_route_answers_as_the_framework_route_does(tmp_path: Path, scanner) -> None:  # type: ignore[no-untyped-def]
    answers: dict[bool, list[Any]] = {}
    for lean in (True, False):
        app = _app(tmp_path / ("lean" if lean else "framework"), scanner, lean)
        with TestClient(app) as client:
            before = _scan_requests_counted()
            answers[lean] = [(name, _answer(_send(client, spec))) for name, spec in REQUESTS]
            after = _scan_requests_counted()
            answers[lean].append(("metrics", {k: after[k] - before.get(k, 0) for k in after}))
            layer = app.middleware_stack
            while layer is not None and not isinstance(layer, HotScanRoute):
                layer = getattr(layer, "app", None)
            assert (layer is not None and layer.served == 14) is lean  # every JSON request but 415's
    for (name, lean), (_, framework) in zip(answers[True], answers[False]):
        assert lean == framework, name
    statuses = {name: answer[0] for name, answer in answers[True] if name != "metrics"}
    assert statuses["allow"] == statuses["findings"] == 200 and statuses["bad json"] == 400
    assert statuses["no key"] == statuses["bad key"] == 401 and statuses["invalid field"] == 422
    assert statuses["declared too large"] == statuses["streamed too large"] == 413 and statuses["unsupported type"] == 415


@pytest.mark.parametrize("lean", [True, False])
def test_a_decision_the_audit_log_refuses_is_503_either_way(tmp_path: Path, scanner, lean: bool) -> None:  # type: ignore[no-untyped-def]
    app = _app(tmp_path, scanner, lean)
    with TestClient(app) as client:
        assert _send(client, REQUESTS[0][1]).status_code == 200
        (tmp_path / "audit.jsonl").unlink()  # the log is not where the writer left it: tampering
        r = _send(client, REQUESTS[0][1])
        assert r.status_code == 503 and r.json()["error"]["code"] == "audit_unavailable"
