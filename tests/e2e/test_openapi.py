"""``/openapi.json`` describes exactly the routes the app serves, with the Dijon act as example.

Routes are compared through Werkzeug's own URL building and matching, not through the code that
writes the description, so a route added without a description (or the reverse) fails here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args

import schemathesis
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from pydantic import BaseModel
from werkzeug.routing.converters import IntegerConverter

from service.domain.payload import DeliberationPayload, NatureActe, TypeCollectivite
from service.entrypoints.cli import main
from service.entrypoints.http import create_app
from service.entrypoints.http.components import build_components
from service.entrypoints.http.openapi import api_rules, concrete_paths
from service.entrypoints.http.operations import OPERATIONS
from service.entrypoints.http.schemas import Acte
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
    # The same shape on every status: `violations` is there, empty but for an invalid payload.
    assert set(document["components"]["schemas"]["Probleme"]["required"]) == {
        "type", "title", "status", "detail", "code", "violations"}


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


def _published_models(app: Flask) -> set[tuple[type[BaseModel], str]]:
    """Every model a request body or an answer of the API is read or written with, nested
    models included, each with its side: ``validation`` (read) or ``serialization`` (written)."""
    found: set[tuple[type[BaseModel], str]] = set()
    for rule in api_rules(app):
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            spec = OPERATIONS[(rule.endpoint, method)]
            for _, fixed in concrete_paths(rule):
                op = spec(**fixed) if callable(spec) else spec
                found |= {(m, "validation") for m in (op.body or {}).values()
                          if isinstance(m, type)}
                found |= {(m, "serialization") for a in op.answers.values()
                          for m in a.content.values() if isinstance(m, type)}
    todo = list(found)
    while todo:
        model, mode = todo.pop()
        for field in model.model_fields.values():
            for nested in _models_in(field.annotation):
                if (nested, mode) not in found:
                    found.add((nested, mode))
                    todo.append((nested, mode))
    return found


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


def test_every_field_of_every_model_is_in_its_schema_requests_and_answers_apart(
        app: Flask, client: FlaskClient) -> None:
    schemas = _document(client)["components"]["schemas"]
    published = _published_models(app)
    assert (DeliberationPayload, "validation") in published
    assert (Acte, "serialization") in published and len(published) > 30
    for model, mode in published:
        name = model.__name__
        if mode == "serialization" and f"{name}Reponse" in schemas:
            name += "Reponse"
        schema = schemas[name]
        fields = {f.alias or n: f for n, f in model.model_fields.items()}
        assert set(schema["properties"]) == set(fields), name
        if mode == "validation":
            # A field with a default is optional, its default said in words, not as `default`
            # (openapi-typescript would make the field required).
            assert set(schema.get("required", ())) == {
                n for n, f in fields.items() if f.is_required()}, name
        else:
            assert set(schema["required"]) == set(fields), f"{name}: an answer is complete"
        assert not any("default" in p for p in schema["properties"].values()), name


def test_a_field_with_a_default_says_it_in_its_description(client: FlaskClient) -> None:
    schemas = _document(client)["components"]["schemas"]
    verbe = schemas["Dispositif"]["properties"]["verbe"]
    assert verbe["description"].endswith("Par défaut : `\"DÉCIDE\"`.")
    assert "verbe" not in schemas["Dispositif"]["required"]
    # One model on both sides: optional dates in a request, every date in an answer.
    assert "required" not in schemas["Transmission"]
    assert schemas["Acte"]["properties"]["transmission"] == {
        "$ref": "#/components/schemas/TransmissionReponse"}
    assert set(schemas["TransmissionReponse"]["required"]) == {
        "date_envoi", "date_reception", "date_publication"}


def _enums(node: Any, where: str) -> Iterator[str]:
    if isinstance(node, list):
        for n in node:
            yield from _enums(n, where)
    elif isinstance(node, dict):
        if "enum" in node:
            yield where
        for k, v in node.items():
            if k not in ("example", "examples", "default", "const", "enum"):
                yield from _enums(v, f"{where}/{k}")


def test_every_enumeration_is_one_named_component(client: FlaskClient) -> None:
    document = _document(client)
    schemas = document["components"]["schemas"]
    enums = {name: s for name, s in schemas.items() if "enum" in s}
    inline = [w for name, s in schemas.items() if name not in enums for w in _enums(s, name)]
    inline += list(_enums(document["paths"], "paths"))
    assert inline == [], "inline enumerations: one type per field in a generated client"
    values = [frozenset(s["enum"]) for s in enums.values()]
    assert len(values) == len(set(values)), "the same values under two names"
    # Named after the domain's aliases, used by the sitting and the deliberation alike.
    assert enums["TypeCollectivite"]["enum"] == list(get_args(TypeCollectivite))
    assert enums["NatureActe"]["enum"] == list(get_args(NatureActe))
    for model in ("Collectivite", "CollectiviteDeSeance"):
        assert schemas[model]["properties"]["type"]["$ref"] == \
            "#/components/schemas/TypeCollectivite"


def test_components_of_models_added_later_follow_the_same_rules() -> None:
    class Bloc(BaseModel):
        mode: Literal["rapide", "lent", "pause"] = "rapide"
        organe: Literal["deliberant", "bureau"]
        nature: NatureActe = "DE"

    class Demande(BaseModel):
        bloc: Bloc
        autre: Bloc | None = None

    refs, schemas = build_components([(Demande, "validation"), (Bloc, "serialization")])
    assert refs[(Demande, "validation")] == {"$ref": "#/components/schemas/Demande"}
    assert refs[(Bloc, "serialization")] == {"$ref": "#/components/schemas/BlocReponse"}
    assert schemas["Bloc"]["required"] == ["organe"]
    assert schemas["BlocReponse"]["required"] == ["mode", "organe", "nature"]
    assert schemas["Bloc"]["properties"]["mode"] == {
        "$ref": "#/components/schemas/BlocMode",
        "description": 'Par défaut : `"rapide"`.'}
    assert schemas["BlocReponse"]["properties"]["mode"] == {
        "$ref": "#/components/schemas/BlocMode"}
    assert schemas["BlocOrgane"]["enum"] == ["deliberant", "bureau"]
    assert schemas["Bloc"]["properties"]["nature"]["$ref"] == "#/components/schemas/NatureActe"
