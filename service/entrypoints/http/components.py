"""``components/schemas`` of ``/openapi.json``: the pydantic models, shaped for client generators.

Generated clients are only as good as these schemas, and each generator reads them its own way
(``docs/integrators.md`` names those the suite runs). So:

- Requests and answers are described apart. A request field that has a default is optional,
  its default said in its description rather than as ``default``: openapi-typescript makes a
  property with a ``default`` required, and a request built from the contract's own example
  would not compile. An answer always carries every field, so every field of an answer is
  required (``null`` when it has no value).
- A model used on both sides whose two schemas differ (``Transmission``: optional dates in, every
  date out) is published twice: ``X`` for requests, the name integrators already use, and
  ``XReponse`` for answers.
- Every enumeration is a named component, the same one wherever it is used: named after the
  ``Literal`` alias that declares it (``NatureActe``), else after the first field that uses it
  (``AssembleeOrgane``). Otherwise each generator makes one type per field, and the same
  values under several names (``CollectiviteType``, ``CollectiviteDeSeanceType``) cannot be
  assigned to one another.

Nothing here names a field or a model: a field added to a model is published with it.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterable
from typing import Any, Literal, cast, get_args, get_origin

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

Mode = Literal["validation", "serialization"]
"""Read from a request (``validation``) or written in an answer (``serialization``)."""
REF = "#/components/schemas/"
ANSWER_SUFFIX = "Reponse"
_DATA_KEYWORDS = {"default", "example", "examples", "const", "enum"}
"""Keywords whose value is data, not a schema: never searched for enumerations."""


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with every field of an answer required."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        # The serialisers dump every field (``null`` when empty): an answer is complete.
        return self.mode == "serialization" or super().field_is_required(field, total)


def build_components(
    models: Iterable[tuple[type[BaseModel], Mode]],
) -> tuple[dict[tuple[type[BaseModel], Mode], dict[str, Any]], dict[str, dict[str, Any]]]:
    """Return the reference of each ``(model, mode)`` and the schemas they need, by name."""
    keys = list(dict.fromkeys(models))
    found_refs, defs = models_json_schema(keys, ref_template=REF + "{model}",
                                          schema_generator=_Generator)
    # Keyed by what was passed: models only (pydantic's annotation also allows dataclasses).
    refs = cast(dict[tuple[type[BaseModel], Mode], dict[str, Any]], found_refs)
    found = defs.get("$defs", {})
    names = {name: _plain_name(name) for name in found}
    if len(set(names.values())) != len(names):
        raise ValueError(f"two models would share a component name: {sorted(names)}")
    schemas = {names[n]: _renamed(s, names) for n, s in found.items()}
    refs = {key: _renamed(r, names) for key, r in refs.items()}
    requests = _reachable(schemas, [refs[k] for k in keys if k[1] == "validation"])
    for name, schema in schemas.items():
        _move_defaults(schema, describe=name in requests)
    schemas = _named_enums(schemas, literal_aliases(m.__module__ for m, _ in keys))
    return refs, {name: _component(name, schemas[name]) for name in sorted(schemas)}


def _plain_name(name: str) -> str:
    # Pydantic suffixes a model whose schemas differ on the two sides.
    if name.endswith("-Input"):
        return name.removesuffix("-Input")
    if name.endswith("-Output"):
        return name.removesuffix("-Output") + ANSWER_SUFFIX
    return name


def _renamed(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_renamed(n, names) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _renamed(v, names) for k, v in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF):
        out["$ref"] = REF + names.get(ref.removeprefix(REF), ref.removeprefix(REF))
    return out


def _references(node: Any) -> Iterable[str]:
    if isinstance(node, list):
        for n in node:
            yield from _references(n)
    elif isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            yield ref.removeprefix(REF)
        for k, v in node.items():
            if k not in _DATA_KEYWORDS:
                yield from _references(v)


def _reachable(schemas: dict[str, Any], roots: list[Any]) -> set[str]:
    """Return the names of the components *roots* use, directly or not."""
    seen: set[str] = set()
    todo = [name for root in roots for name in _references(root)]
    while todo:
        name = todo.pop()
        if name not in seen and name in schemas:
            seen.add(name)
            todo.extend(_references(schemas[name]))
    return seen


def _move_defaults(schema: dict[str, Any], *, describe: bool) -> None:
    """Drop each property's ``default``; in a request, say it in the property's description."""
    for prop in schema.get("properties", {}).values():
        if "default" not in prop:
            continue
        default = prop.pop("default")
        if describe and default not in (None, [], {}):
            text = f"Par défaut : `{json.dumps(default, ensure_ascii=False)}`."
            prop["description"] = f"{prop['description']} {text}" if "description" in prop \
                else text


def _enum_key(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(sorted(json.dumps(v, sort_keys=True) for v in values))


def literal_aliases(preferred: Iterable[str] = ()) -> dict[tuple[str, ...], str]:
    """Return the name of each ``Literal`` alias of the service's modules, by its values.

    When two aliases have the same values, one of the *preferred* modules (those of the
    published models) wins, then one of :mod:`service.domain`.
    """
    first = set(preferred)
    found: dict[tuple[str, ...], str] = {}
    modules = sorted((name not in first, not name.startswith("service.domain."), name, module)
                     for name, module in list(sys.modules.items())
                     if name.startswith("service.") and module is not None)
    for *_, module in modules:
        for attr, value in sorted(vars(module).items()):
            if not attr.startswith("_") and get_origin(value) is Literal \
                    and len(get_args(value)) > 1:
                found.setdefault(_enum_key(get_args(value)), attr)
    return found


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _named_enums(schemas: dict[str, dict[str, Any]],
                 aliases: dict[tuple[str, ...], str]) -> dict[str, dict[str, Any]]:
    """Return *schemas* with each inline enumeration replaced by a reference to a component,
    named from *aliases* when its values are one's."""
    by_values: dict[tuple[str, ...], str] = {}
    enums: dict[str, dict[str, Any]] = {}
    for name, schema in schemas.items():
        if "enum" in schema:  # already a component of its own (an Enum class)
            by_values.setdefault(_enum_key(schema["enum"]), name)

    def component_for(node: dict[str, Any], hint: str) -> str:
        key = _enum_key(node["enum"])
        if key not in by_values:
            name = base = aliases.get(key, hint)
            if name in schemas or name in enums:
                name = base = hint
            for n in itertools.count(2):
                if name not in schemas and name not in enums:
                    break
                name = f"{base}{n}"
            by_values[key] = name
            enums[name] = {k: node[k] for k in ("type", "enum") if k in node}
        return by_values[key]

    def visit(node: Any, hint: str) -> Any:
        if isinstance(node, list):
            return [visit(n, hint) for n in node]
        if not isinstance(node, dict):
            return node
        if "enum" in node:
            rest = {k: v for k, v in node.items() if k not in ("enum", "type", "title")}
            return {"$ref": REF + component_for(node, hint), **rest}
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k == "properties":
                out[k] = {p: visit(s, hint + _camel(p)) for p, s in v.items()}
            elif k in _DATA_KEYWORDS:
                out[k] = v
            else:
                out[k] = visit(v, hint)
        return out

    result = {name: schema if "enum" in schema else visit(schema, name)
              for name, schema in sorted(schemas.items())}
    return {**result, **enums}


def _component(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    # A "$id" inside components would change the base URI of the "$ref"s below it. Client
    # generators name classes after titles: "Deliberation", the payload's published title, is
    # also the name of its `deliberation` part, so each component is titled by its own name.
    return {**{k: v for k, v in schema.items() if k != "$id"}, "title": name}
