"""Validate an untrusted payload: structure first, then the law."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from service.domain.checks import check_deliberation
from service.domain.parsing import parse_model
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation
from service.errors import InvalidPayload

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: Any, checks: Callable[[M], list[Violation]]) -> M:
    """Return *data* as a *model* when its structure and then *checks* find nothing.

    :raises InvalidPayload: with every structural violation, or else every legal one.
    """
    parsed, violations = parse_model(model, data)
    if parsed is None:
        raise InvalidPayload(violations)
    legal = checks(parsed)
    if legal:
        raise InvalidPayload(legal)
    return parsed


def validate_deliberation(data: Any) -> DeliberationPayload:
    """Return the payload model of *data* when it satisfies the contract and every legal rule.

    :raises InvalidPayload: with every violation, structural or legal, at once.
    """
    return validated(DeliberationPayload, data, check_deliberation)
