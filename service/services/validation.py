"""Validate an untrusted payload: structure first, then the law."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from service.domain.checks import check_deliberation
from service.domain.checks.acte import check_numero_pour_operateur
from service.domain.errors import InvalidPayload
from service.domain.parsing import parse_model
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation

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


def validate_deliberation(
    data: Any, authorities: Mapping[str, Mapping[str, Any]] | None = None
) -> DeliberationPayload:
    """Return the payload model of *data* when it satisfies the contract and every legal rule,
    and the numéro rule of its authority's operator in *authorities* (the configuration).

    :raises InvalidPayload: with every violation, structural or legal, at once.
    """
    def checks(payload: DeliberationPayload) -> list[Violation]:
        found = check_deliberation(payload)
        return [*found, *_new_fields(found, numero_operateur(payload, authorities))]

    return validated(DeliberationPayload, data, checks)


def operateur_of(authorities: Mapping[str, Mapping[str, Any]] | None, siren: str) -> str | None:
    """Return the ``operateur`` configured for the authority *siren*, if any."""
    return ((authorities or {}).get(siren) or {}).get("operateur") or None


def numero_operateur(
    payload: DeliberationPayload, authorities: Mapping[str, Mapping[str, Any]] | None
) -> list[Violation]:
    """Return a violation when the authority's operator (S²LOW, Pastell) would refuse the
    act's numéro: refused when the act is posted rather than when it is packaged."""
    return check_numero_pour_operateur(
        payload.deliberation.numero, operateur_of(authorities, payload.collectivite.siren))


def _new_fields(found: list[Violation], more: list[Violation]) -> list[Violation]:
    """Return those of *more* about a field *found* does not already name."""
    named = {v.champ for v in found}
    return [v for v in more if v.champ not in named]
