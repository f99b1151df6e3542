"""The OpenAPI document's worked examples, and the app with /docs and /redoc that need no network.

``openapi_examples.json`` holds one entry per example: the operation, the request (JSON, the
fields of a multipart form, or a raw mail), and the response the service gave for it with the
bundled packs. ``install_examples`` puts them in the document as named ``examples`` of the
request body and of the 200 response (the same name on both). ``tests/test_openapi.py`` sends
every request and checks that the answer is the documented one, so the examples cannot drift
from what the service does; ``scripts/openapi-examples.py`` rewrites the responses after a
deliberate change of packs or policy.

The pages: Swagger UI 5 and ReDoc 2 from the files that ``fastapi_offline`` ships inside its
package, so the HTML names no CDN (an agency network is often air-gapped), under a
Content-Security-Policy that keeps the browser from fetching anything elsewhere.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

EXAMPLES_FILE = Path(__file__).with_name("openapi_examples.json")
#: Where fastapi_offline's Swagger UI and ReDoc files are served.
DOCS_ASSETS = "/docs-assets"
#: Extension of an Example Object: the file names of the multipart file parts.
FILES_EXTENSION = "x-dlp-files"


@lru_cache(maxsize=1)
def load_examples() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(EXAMPLES_FILE.read_text(encoding="utf-8")))


def create_documented_app(docs: bool, **kwargs: Any) -> FastAPI:
    """The FastAPI app: with /openapi.json, /docs and /redoc served locally, or with none of them."""
    if not docs:
        return FastAPI(docs_url=None, redoc_url=None, openapi_url=None, **kwargs)
    app = FastAPI(docs_url=None, redoc_url=None, **kwargs)
    add_doc_pages(app)
    return app


def add_doc_pages(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc on fastapi_offline's files, with a CSP that lets the browser
    fetch nothing from elsewhere (ReDoc's side menu names a logo on cdn.redoc.ly: refused, hidden)."""
    from importlib.resources import files

    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    assets = files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")
    openapi_url = str(app.openapi_url)

    def page(html: HTMLResponse) -> HTMLResponse:
        return HTMLResponse(html.body.decode("utf-8").replace("</head>", f"<style>{_HIDE_BRANDING}</style></head>", 1),
                            headers={"Content-Security-Policy": DOCS_CSP})

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        # validatorUrl None: Swagger UI would otherwise send the document to validator.swagger.io.
        return page(get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} - Swagger UI", swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css", swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None}))

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return page(get_redoc_html(openapi_url=openapi_url, title=f"{app.title} - ReDoc",
                                   redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
                                   redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png", with_google_fonts=False))


#: Only the service itself (the pages' own inline bootstrap script and styles; ReDoc's blob worker).
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
_HIDE_BRANDING = 'a[href*="redocly.com"]{display:none}'


def complete_openapi(app: FastAPI, request_models: tuple[type[BaseModel], ...]) -> None:
    """Finish the app's OpenAPI document (built once, on first request): the schemas of the request
    models that hot routes parse themselves (FastAPI only lists the models a route declares, so
    their ``$ref`` would dangle), then the worked examples."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            for model in request_models:
                schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                schemas.update(schema.pop("$defs", {}))
                schemas[model.__name__] = schema
            for example in load_examples():
                _add(doc, example)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add(doc: dict[str, Any], example: dict[str, Any]) -> None:
    operation = doc["paths"][example["path"]][example["method"]]
    request: dict[str, Any] = {"summary": example["summary"], "value": example["request"]}
    if example.get("files"):
        request[FILES_EXTENSION] = example["files"]
    media = operation["requestBody"]["content"][example["content_type"]]
    media.setdefault("examples", {})[example["name"]] = request
    response = operation["responses"][str(example["status"])]["content"]["application/json"]
    response.setdefault("examples", {})[example["name"]] = {"summary": example["summary"], "value": example["response"]}


# -- comparing a live answer with a documented one ---------------------------------------------------

_INCIDENT = re.compile(r"\bDLP-\d{8}-[0-9A-Za-z]{10}\b")
_VERSION = re.compile(r"^[0-9a-f]{16}$")
#: Change with every edit of a pack or of the policy: compared by form, not by value.
VERSION_FIELDS = ("patterns_version", "policy_version", "previous_version", "version")


def comparable(node: Any, key: str | None = None) -> Any:
    """``node`` with what differs from one run to the next replaced by its form: incident ids
    (random) and the pack and policy hashes (any edit of the packs changes them)."""
    if isinstance(node, dict):
        return {k: comparable(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [comparable(v) for v in node]
    if isinstance(node, str):
        if key in VERSION_FIELDS and _VERSION.match(node):
            return "<16 hex digits>"
        return _INCIDENT.sub("DLP-<date>-<id>", node)
    return node
