"""A payload's canonical text: how it is stored, and the hash that recognises it again.

Equal payloads give equal text and hash, whatever the order or spacing of the JSON they were
sent as: an upstream retry is recognised by the hash of its canonical text
(:func:`~service.domain.regeneration.is_retry`).
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel


def canonical_json(payload: BaseModel) -> str:
    """Return a payload (a deliberation, a sitting) as canonical JSON: its fields, defaults
    included, keys sorted, text not escaped."""
    return json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)


def payload_sha256(text: str) -> str:
    """Return the hash a version keeps of the canonical *text* it was generated from."""
    return hashlib.sha256(text.encode()).hexdigest()
