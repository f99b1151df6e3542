"""Schemathesis against the app's own OpenAPI document: no 5xx, responses match their schemas."""

from __future__ import annotations

import warnings
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.settings import Settings
from service.testing import write_test_packs

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from dlp.scanner import Scanner

KEY = "schema-admin-key-0123456789"
_TMP = Path(__import__("tempfile").mkdtemp(prefix="dlp-schema-"))
_PACKS = write_test_packs(_TMP / "packs")
APP = create_app(
    Settings(patterns_dir=str(_PACKS), env_keys=f"fuzz:admin:{KEY}", keys_file=str(_TMP / "keys.json"),
             audit_log=str(_TMP / "audit.jsonl"), max_body_bytes=256 * 1024),
    scanner=Scanner(patterns_dir=_PACKS),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schemathesis.serializer("message/rfc822")
def _rfc822(ctx, value):  # noqa: ANN001 - schemathesis' serializer protocol
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_responses_match_the_schema(case) -> None:  # noqa: ANN001
    case.call_and_validate(
        headers={"Authorization": f"Bearer {KEY}"},
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance],
    )
