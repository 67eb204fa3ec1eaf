"""The OpenAPI document and the interactive docs, which work under our strict CSP."""

import re

from django.contrib.staticfiles import finders
from django.test import Client

from backsoon.api.api import api


def test_openapi_json_is_served_and_documents_every_error(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Back Soon API"
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert {"401", "429"} <= codes, (method, path)
            if "{household_id}" in path:
                assert {"404", "422"} <= codes, (method, path)
            if method != "get":
                assert {"400", "403", "409", "422"} <= codes, (method, path)
            for code, response in operation["responses"].items():
                if code.startswith(("4", "5")):
                    content = response["content"]["application/json"]["schema"]
                    assert content == {"$ref": "#/components/schemas/Error"}
            assert operation["description"], (method, path)
            assert operation.get("security"), (method, path)
    assert len(schema["paths"]) == len(api.get_openapi_schema()["paths"])


def test_the_docs_page_uses_only_our_own_files_and_no_inline_script(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    for attributes, body in scripts:
        if 'type="application/json"' in attributes:
            continue  # data, not code: the CSP doesn't run it
        assert "src=" in attributes and not body.strip()
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from elsewhere
    for path in re.findall(r'(?:src|href)="/static/([^"]+)"', html):
        assert finders.find(path), path
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
