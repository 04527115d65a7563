"""``GET /openapi.json``: the OpenAPI 3.1 description, built from the app itself.

Paths and methods are read from Flask's URL map, schemas from the pydantic models that validate
the requests (:mod:`service.domain.payload`) and build the answers
(:mod:`service.entrypoints.http.schemas`), the rest from the table of
:mod:`service.entrypoints.http.operations`: nothing is kept twice, so the description cannot
drift from the code. The pages for people (``/docs``, ``/greffe/…``) and static files are not
part of the API and are left out.
"""

from __future__ import annotations

import inspect
import itertools
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, current_app
from pydantic import BaseModel
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from service.domain.actes.identifier import identifier_for
from service.domain.payload import DeliberationPayload
from service.domain.seance import SeancePayload, seance_identifiant
from service.entrypoints.http.access import OPEN_ENDPOINTS
from service.entrypoints.http.components import Mode, build_components
from service.entrypoints.http.operations import (
    ERROR_HEADERS,
    ERRORS,
    HEADERS,
    JSON,
    OPERATIONS,
    PARAMETERS,
    PATH_PARAMETERS,
    PROBLEM,
    Operation,
    Schema,
)
from service.entrypoints.http.schemas import Probleme

bp = Blueprint("openapi", __name__)

UNDOCUMENTED_PREFIXES = ("/static/", "/docs", "/greffe/")
"""Paths of pages and files for people, not for programs: not described."""
SECURITY_SCHEME = "jeton"
EXAMPLES = Path(__file__).resolve().parent / "examples"
_VARIABLE = re.compile(r"<(?:[a-zA-Z_][a-zA-Z0-9_]*(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")
_SKIPPED_METHODS = {"HEAD", "OPTIONS"}


@bp.get("/openapi.json")
def openapi_json() -> Response:
    """Return this description: every route of the API, its schemas, answers and errors."""
    document = current_app.extensions.get("openapi")
    if document is None:
        document = current_app.extensions["openapi"] = json.dumps(
            openapi_document(current_app), ensure_ascii=False, indent=1
        )
    return Response(document, mimetype=JSON)


def api_rules(app: Flask) -> list[Rule]:
    """Return the rules of the API: every rule but the pages and files for people."""
    return [r for r in app.url_map.iter_rules()
            if r.endpoint != "static" and not r.rule.startswith(UNDOCUMENTED_PREFIXES)]


def concrete_paths(rule: Rule) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield each OpenAPI path of *rule* with the values chosen for its ``any(…)`` segments.

    ``<any(docx,pdf):extension>`` becomes one path per value, so that each path has one media
    type; other variables become ``{name}`` parameters.
    """
    names = _VARIABLE.findall(rule.rule)
    choices = [sorted(c.items) if isinstance(c := rule._converters[n], AnyConverter) else [None]
               for n in names]
    for values in itertools.product(*choices):
        fixed = {n: v for n, v in zip(names, values, strict=True) if v is not None}
        yield _VARIABLE.sub(_filler(fixed), rule.rule), fixed


def _filler(fixed: dict[str, Any]) -> Callable[[re.Match[str]], str]:
    """Return the replacement of a ``{name}`` of a path: its fixed value, or itself."""
    return lambda m: str(fixed.get(m[1], f"{{{m[1]}}}"))


def openapi_document(app: Flask) -> dict[str, Any]:
    """Return the OpenAPI 3.1 description of *app*'s API.

    :raises LookupError: when a route has no entry in
        :data:`~service.entrypoints.http.operations.OPERATIONS`: every route is described.
    """
    models: dict[tuple[type[BaseModel], Mode], None] = {(Probleme, "serialization"): None}
    operations: list[tuple[str, str, Rule, dict[str, str], Operation]] = []
    for rule in api_rules(app):
        for method in sorted((rule.methods or set()) - _SKIPPED_METHODS):
            spec = OPERATIONS.get((rule.endpoint, method))
            if spec is None:
                raise LookupError(f"{method} {rule.rule} ({rule.endpoint}) n'est pas décrit dans "
                                  "service/entrypoints/http/operations.py")
            for path, fixed in concrete_paths(rule):
                op = spec(**fixed) if callable(spec) else spec
                operations.append((path, method, rule, fixed, op))
                # Bodies are read (validation schema), answers written (serialization schema).
                models.update(dict.fromkeys(
                    (s, "validation") for s in (op.body or {}).values() if isinstance(s, type)))
                models.update(dict.fromkeys(
                    (s, "serialization") for a in op.answers.values()
                    for s in a.content.values() if isinstance(s, type)))
    refs, schemas = build_components(models)

    def schema_of(s: Schema, mode: Mode) -> dict[str, Any]:
        return refs[(s, mode)] if isinstance(s, type) else s

    paths: dict[str, dict[str, Any]] = {}
    for path, method, rule, fixed, op in operations:
        paths.setdefault(path, {})[method.lower()] = _operation(app, method, rule, fixed, op,
                                                               schema_of)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service des actes",
            "version": version("actes-service"),
            "description": (
                "Délibérations des collectivités : payload JSON → DOCX et PDF/A → "
                "télétransmission ACTES. Les erreurs sont en `application/problem+json` "
                "(RFC 9457, schéma `Probleme`), messages en français. Page lisible : `/docs`."
            ),
        },
        "tags": [
            {"name": "actes", "description": "Une délibération, son acte, ses versions, sa "
                                             "télétransmission."},
            {"name": "seances", "description": "Une séance entière, générée par une tâche."},
            {"name": "service", "description": "Santé, métriques, schémas."},
        ],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                name: _problem_response(status, text, refs[(Probleme, "serialization")])
                for status, (name, text) in ERRORS.items()
            },
            "headers": HEADERS,
            "parameters": PARAMETERS,
            "securitySchemes": {SECURITY_SCHEME: {
                "type": "http", "scheme": "bearer",
                "description": "Jeton créé par `actes token create NOM --siren SIREN`, lié aux "
                               "collectivités qu'il peut voir. Sans aucun jeton créé, l'API est "
                               "ouverte.",
            }},
        },
        "security": [{SECURITY_SCHEME: []}],
    }


def _operation(app: Flask, method: str, rule: Rule, fixed: dict[str, str], op: Operation,
               schema_of: Callable[[Schema, Mode], dict[str, Any]]) -> dict[str, Any]:
    secured = rule.endpoint not in OPEN_ENDPOINTS
    suffix = "_".join(re.sub(r"\W+", "_", v) for v in fixed.values())
    doc = inspect.getdoc(app.view_functions[rule.endpoint]) or ""
    result: dict[str, Any] = {
        "operationId": rule.endpoint.split(".")[-1] + (f"_{suffix}" if suffix else ""),
        "summary": op.summary,
        "description": doc,
        "tags": [op.tag],
        "parameters": [
            *(_path_parameter(rule, name) for name in _VARIABLE.findall(rule.rule)
              if name not in fixed),
            *({"$ref": f"#/components/parameters/{h}"} for h in op.headers),
        ],
        "responses": {
            str(status): {
                "description": answer.description,
                "content": {mt: {"schema": schema_of(s, "serialization")}
                            for mt, s in answer.content.items()},
                **({"headers": {h: {"$ref": f"#/components/headers/{h}"} for h in answer.headers}}
                   if answer.headers else {}),
            }
            for status, answer in op.answers.items()
        },
    }
    for status in sorted({*op.errors, *((401,) if secured else ())}):
        result["responses"][str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    if op.body:
        examples = _examples().get((rule.endpoint, method), {})
        result["requestBody"] = {"required": True, "content": {
            mt: {"schema": schema_of(s, "validation"),
                 **({"example": examples[mt]} if mt in examples else {})}
            for mt, s in op.body.items()
        }}
    if not result["parameters"]:
        del result["parameters"]
    if not secured:
        result["security"] = []
    return result


def _path_parameter(rule: Rule, name: str) -> dict[str, Any]:
    converter = rule._converters[name]
    schema: dict[str, Any]
    if isinstance(converter, IntegerConverter):
        schema = {"type": "integer", "minimum": 0 if converter.min is None else converter.min}
        if converter.max is not None:
            schema["maximum"] = converter.max
    else:
        # A variable is one path segment: it never holds a slash.
        schema = {"type": "string", "pattern": r"^[^/]+$"}
    example = _path_examples().get(name)
    return {"name": name, "in": "path", "required": True,
            "description": PATH_PARAMETERS.get(name, ""), "schema": schema,
            **({"example": example} if example is not None else {})}


def _problem_response(status: int, text: str, probleme: dict[str, Any]) -> dict[str, Any]:
    headers = ERROR_HEADERS.get(status, ())
    return {
        "description": text,
        "content": {PROBLEM: {"schema": probleme}},
        **({"headers": {h: {"$ref": f"#/components/headers/{h}"} for h in headers}}
           if headers else {}),
    }


@cache
def deliberation_example() -> dict[str, Any]:
    """Return the example of ``POST /v1/deliberations``: Dijon Métropole's act 2019-12-19_013,
    its long exposé cut to its first paragraphs."""
    return json.loads((EXAMPLES / "deliberation-dijon.json").read_text(encoding="utf-8"))


def seance_example() -> dict[str, Any]:
    """Return the example of ``POST /v1/seances``: the sitting of :func:`deliberation_example`
    with that one deliberation, and the authority's SIRET its open-data file needs (Dijon
    Métropole's SIREN and a NIC of valid key)."""
    data = {k: v for k, v in deliberation_example().items() if k != "deliberation"}
    data["collectivite"] = {**data["collectivite"], "siret": "24210041000016"}
    return {**data, "deliberations": [deliberation_example()["deliberation"]]}


def _examples() -> dict[tuple[str, str], dict[str, Any]]:
    return {("deliberations.post_deliberation", "POST"): {JSON: deliberation_example()},
            ("deliberations.post_deliberation_document", "POST"): {JSON: deliberation_example()},
            ("seances.post_seance", "POST"): {JSON: seance_example()}}


@cache
def _path_examples() -> dict[str, Any]:
    payload = DeliberationPayload.model_validate(deliberation_example())
    c, d = payload.collectivite, payload.deliberation
    return {
        "identifiant": str(identifier_for(c.departement, c.siren, payload.seance.date, d.numero,
                                          d.nature)),
        "seance_id": seance_identifiant(SeancePayload.model_validate(seance_example())),
        "numero": 1,
    }
