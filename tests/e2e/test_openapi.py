"""``/openapi.json`` describes exactly the routes the app serves, with the Dijon act as example.

Routes are compared through Werkzeug's own URL building and matching, not through the code that
writes the description, so a route added without a description (or the reverse) fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import schemathesis
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing.converters import IntegerConverter

from service.entrypoints.cli import main
from service.entrypoints.http import create_app
from service.services.validation import validate_deliberation

PEOPLE_PAGES = ("/docs", "/greffe/", "/static/")
"""Pages and files for people: served, but not part of the API description."""
SAMPLE = {"int": 1, "string": "x"}


def _document(client: FlaskClient) -> dict[str, Any]:
    resp = client.get("/openapi.json")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    return resp.get_json()


def _routed(app: Flask) -> set[tuple[str, str]]:
    """Every (method, URL) the app serves, with sample values for the variables."""
    adapter = app.url_map.bind("localhost")
    routed = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PEOPLE_PAGES):
            continue
        variants: list[dict[str, Any]] = [{}]
        for name, converter in rule._converters.items():
            values = sorted(getattr(converter, "items", ())) or [
                SAMPLE["int"] if isinstance(converter, IntegerConverter) else SAMPLE["string"]]
            variants = [{**v, name: value} for v in variants for value in values]
        for values in variants:
            url = adapter.build(rule.endpoint, values)
            routed |= {(m, url) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    return routed


def _described(app: Flask, document: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (method, URL) of the description, each checked to reach a view of the app."""
    adapter = app.url_map.bind("localhost")
    described = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            url = path
            for p in operation.get("parameters", []):
                if p.get("in") == "path":
                    kind = "int" if p["schema"]["type"] == "integer" else "string"
                    url = url.replace(f"{{{p['name']}}}", str(SAMPLE[kind]))
            assert "{" not in url, f"{method} {path}: a path variable is not declared"
            adapter.match(url, method.upper())  # raises when no view serves it
            described.add((method.upper(), url))
    return described


def test_every_api_route_is_described_and_every_description_is_routed(app: Flask,
                                                                      client: FlaskClient) -> None:
    document = _document(client)
    assert document["openapi"].startswith("3.1.")
    assert _described(app, document) == _routed(app)
    assert not any(p.startswith(PEOPLE_PAGES) for p in document["paths"])


def test_the_description_is_valid_openapi_3_1(client: FlaskClient) -> None:
    schemathesis.openapi.from_dict(_document(client)).validate()


def test_each_schema_has_its_own_name_for_client_generators(client: FlaskClient) -> None:
    schemas = _document(client)["components"]["schemas"]
    assert {name: s["title"] for name, s in schemas.items()} == {name: name for name in schemas}
    assert {"DeliberationPayload", "Deliberation", "SeancePayload", "Seance", "Acte", "Job",
            "SeanceEnregistree", "Probleme", "Violation"} <= set(schemas)


def test_the_example_of_post_deliberations_is_the_dijon_act(client: FlaskClient, dijon) -> None:
    body = _document(client)["paths"]["/v1/deliberations"]["post"]["requestBody"]
    example = body["content"]["application/json"]["example"]

    validate_deliberation(example)  # lawful, not only well-formed
    # The very payload of Dijon Métropole's act 2019-12-19_013, its long exposé cut short.
    expose = example["deliberation"].pop("expose")
    assert dijon["deliberation"].pop("expose").startswith(expose) and len(expose) > 200
    assert example == dijon


def test_every_error_answer_is_a_probleme(client: FlaskClient) -> None:
    document = _document(client)
    responses = document["components"]["responses"]
    probleme = {"$ref": "#/components/schemas/Probleme"}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if int(status) < 400:
                    continue
                answer = responses[answer["$ref"].rsplit("/", 1)[1]]
                assert answer["content"] == {"application/problem+json": {"schema": probleme}}, \
                    f"{method} {path} {status}"
                if status == "503":
                    assert "Retry-After" in answer["headers"]
            secured = operation.get("security") != []
            assert ("401" in operation["responses"]) == secured, f"{method} {path}"
    assert set(document["components"]["schemas"]["Probleme"]["required"]) == {
        "type", "title", "status", "detail", "code"}


def test_a_secured_service_still_shows_its_description_and_docs(tmp_path: Path,
                                                                monkeypatch) -> None:
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path / "data"))
    created = CliRunner().invoke(main, ["token", "create", "dijon", "--siren", "242100410"])
    assert created.exit_code == 0, created.output
    app = create_app({"converter": "soffice"})
    try:
        client = app.test_client()
        assert client.get("/v1/actes/x").status_code == 401
        document = _document(client)
        assert document["security"] == [{"jeton": []}]
        assert document["components"]["securitySchemes"]["jeton"]["scheme"] == "bearer"
        page = client.get("/docs")
        assert page.status_code == 200 and b"/openapi.json" in page.data
        script = client.get("/docs/swagger-ui/swagger-ui-bundle.js")
        script.close()
        assert script.status_code == 200 and script.mimetype == "text/javascript"
    finally:
        app.extensions["actes"].close()
