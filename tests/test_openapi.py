"""The OpenAPI document: it validates, every operation has its schemas, every worked example is what
the service answers, and /docs and /redoc need nothing but the service itself."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from service.app import create_app
from service.openapi_docs import FILES_EXTENSION, comparable
from service.settings import Settings
from service.testing import documented_example_client, send_documented_example

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from dlp.scanner import Scanner

#: Operations and the request media types each must document with a worked example.
EXAMPLED = {("/v1/scan", "post"): {"application/json", "multipart/form-data"}, ("/v1/scan/mime", "post"): {"message/rfc822"},
            ("/v1/redact", "post"): {"application/json"}, ("/v1/chat/check", "post"): {"application/json"}}
PAGES = ("/docs", "/redoc")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with documented_example_client(tmp_path_factory.mktemp("openapi")) as c:  # the bundled packs
        yield c  # type: ignore[misc]


@pytest.fixture(scope="module")
def doc(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")  # no key: public on purpose (docs/service.md)
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield path, method, op


def _documented_examples(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every request example of the document, paired with the response example of the same name."""
    out = []
    for path, method, op in _operations(doc):
        for ctype, media in op.get("requestBody", {}).get("content", {}).items():
            for name, example in media.get("examples", {}).items():
                answers = {status: r["content"]["application/json"]["examples"][name]["value"]
                           for status, r in op["responses"].items()
                           if name in r.get("content", {}).get("application/json", {}).get("examples", {})}
                assert len(answers) == 1, f"{path} {name}: no response example of that name"
                [(status, answer)] = answers.items()
                out.append({"path": path, "method": method, "name": name, "content_type": ctype, "request": example["value"],
                            "files": example.get(FILES_EXTENSION), "status": int(status), "response": answer,
                            "request_id": answer["request_id"]})
    return out


def _schema_validator(doc: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": doc["components"]})


def test_the_document_validates_with_openapi_spec_validator(doc: dict[str, Any]) -> None:
    validate(doc)  # raises OpenAPIValidationError, with the path of the problem
    assert doc["openapi"].startswith("3.1")


def test_every_operation_documents_its_request_and_response_schemas(doc: dict[str, Any]) -> None:
    assert {"/v1/scan", "/v1/scan/mime", "/v1/redact", "/v1/chat/check", "/v1/patterns", "/v1/patterns/reload",
            "/healthz", "/readyz", "/metrics"} == set(doc["paths"])  # the console (HTML pages) is not in the API
    for path, method, op in _operations(doc):
        ok = op["responses"]["200"]["content"]
        assert ok and all("schema" in media for media in ok.values()), (path, ok)
        if method == "post" and path != "/v1/patterns/reload":
            assert all("schema" in media for media in op["requestBody"]["content"].values()), path
        if path not in ("/healthz", "/readyz"):
            assert op.get("security") == [{"HTTPBearer": []}], path
            assert {"401", "403"} <= set(op["responses"]), path
    assert set(doc["paths"]["/v1/scan"]["post"]["requestBody"]["content"]) == {"application/json", "multipart/form-data"}


def test_each_operation_that_takes_a_message_has_worked_examples(doc: dict[str, Any]) -> None:
    found: dict[tuple[str, str], set[str]] = {}
    for example in _documented_examples(doc):
        found.setdefault((example["path"], example["method"]), set()).add(example["content_type"])
    assert found == EXAMPLED


def test_the_examples_carry_a_checksum_valid_national_id(doc: dict[str, Any]) -> None:
    from dlp.validators import tw_national_id

    ids = {f["excerpt"] for e in _documented_examples(doc) for f in e["response"].get("findings", [])
           if f["type"] == "TW_NATIONAL_ID"}
    assert ids, "no example finds a national ID"
    assert tw_national_id("D104553971") and "D104553971" in str(_documented_examples(doc))


def test_every_documented_example_request_gets_the_documented_response(client: TestClient, doc: dict[str, Any]) -> None:
    """Sent as a gateway would, against the bundled packs: the answer is the document's example
    (incident ids and pack/policy hashes compared by form). After a deliberate change of packs or
    policy, run scripts/openapi-examples.py and read the diff."""
    examples = _documented_examples(doc)
    assert len(examples) >= 7
    for example in examples:
        answer = send_documented_example(client, example)
        assert answer.status_code == example["status"], (example["name"], answer.text)
        assert comparable(answer.json()) == comparable(example["response"]), example["name"]


def test_the_examples_validate_against_their_own_schemas(doc: dict[str, Any]) -> None:
    for example in _documented_examples(doc):
        op = doc["paths"][example["path"]][example["method"]]
        response_schema = op["responses"][str(example["status"])]["content"]["application/json"]["schema"]
        _schema_validator(doc, response_schema).validate(example["response"])
        if example["content_type"] == "application/json":
            request_schema = op["requestBody"]["content"]["application/json"]["schema"]
            _schema_validator(doc, request_schema).validate(example["request"])
    findings = [f for e in _documented_examples(doc) for f in e["response"].get("findings", [])]
    assert {"TW_NATIONAL_ID", "TW_PHONE", "PERSON"} <= {f["type"] for f in findings}
    assert {e["response"].get("action") for e in _documented_examples(doc)} >= {"allow", "quarantine", "redact"}


# -- /docs and /redoc ------------------------------------------------------------------------------


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def page_assets(html: str) -> list[str]:
    parser = _Assets()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", PAGES)
def test_the_docs_pages_load_every_asset_from_the_service_itself(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp and "img-src 'self' data:" in csp
    assert "http://" not in html and "https://" not in html and "//cdn" not in html, "an absolute (CDN) URL in the page"
    assets = page_assets(html)
    assert any(url.endswith(".js") for url in assets)
    for url in assets:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 1000, url
    assert "'/openapi.json'" in html or '"/openapi.json"' in html
    assert 'validatorUrl": null' in html or page == "/redoc"  # Swagger UI would post the document to swagger.io


def test_the_docs_are_public_on_purpose_and_everything_else_keeps_the_key_rule(client: TestClient) -> None:
    for public in ("/openapi.json", *PAGES, "/healthz"):
        assert client.get(public).status_code == 200, public
    for guarded in ("/v1/patterns", "/metrics"):
        assert client.get(guarded).status_code == 401, guarded
    assert client.post("/v1/scan", json={"text": "x"}).status_code == 401


def test_dlp_docs_off_removes_the_document_and_both_pages(tmp_path: Path) -> None:
    from service.testing import write_test_packs

    packs = write_test_packs(tmp_path / "packs")
    settings = Settings(patterns_dir=str(packs), keys_file=str(tmp_path / "k.json"), audit_log=str(tmp_path / "a.jsonl"),
                        docs=False)
    assert Settings.from_env({"DLP_DOCS": "0"}).docs is False
    with TestClient(create_app(settings, scanner=Scanner(patterns_dir=packs))) as c:
        for path in ("/openapi.json", *PAGES, "/docs-assets/swagger-ui-bundle.js"):
            assert c.get(path).status_code == 404, path
        assert c.get("/healthz").status_code == 200


def test_no_reference_dangles(doc: dict[str, Any]) -> None:
    refs: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in doc["components"]["schemas"], ref
