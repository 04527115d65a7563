"""Validate an untrusted deliberation payload: structure first, then the law."""

from __future__ import annotations

from typing import Any

from service.domain.checks import check_deliberation
from service.domain.parsing import parse_model
from service.domain.payload import DeliberationPayload
from service.errors import InvalidPayload


def validate_deliberation(data: Any) -> DeliberationPayload:
    """Return the payload model of *data* when it satisfies the contract and every legal rule.

    :raises InvalidPayload: with every violation, structural or legal, at once.
    """
    payload, violations = parse_model(DeliberationPayload, data)
    if payload is None:
        raise InvalidPayload(violations)
    legal = check_deliberation(payload)
    if legal:
        raise InvalidPayload(legal)
    return payload
