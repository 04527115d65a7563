"""The published JSON Schema of the payloads, generated from the model (never hand-kept)."""

from __future__ import annotations

import json

from service.domain.payload import DeliberationPayload


def deliberation_schema() -> str:
    """Return the JSON Schema of :class:`DeliberationPayload`, as committed in ``schemas/``."""
    schema = DeliberationPayload.model_json_schema(mode="validation")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
