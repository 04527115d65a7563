"""The web edge's one translator: a :class:`ServiceError` becomes a French message for a form.

A page's view never catches an error itself: it runs the use case through :func:`tenter`,
which returns either the result or a :class:`Refus` to show next to the form. Nothing was
changed when a use case refuses (each one checks before it stores).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from wtforms import Field, Form

from service.domain import errors
from service.entrypoints.catalogue import entree

T = TypeVar("T")

# What the clerk can do about it, after the service's own message.
_CONSEILS: dict[type[errors.ServiceError], str] = {
    errors.MissingSetting: (
        "Ces réglages se déclarent dans le fichier des collectivités du service "
        "(ACTES_AUTHORITIES_FILE) ou dans les données de la délibération ; "
        "demandez-les à l'administrateur."
    ),
    errors.DocumentRejected: "Le fichier n'a pas été enregistré ; l'acte est inchangé.",
    errors.Conflict: "Rien n'a été enregistré ; l'acte est inchangé.",
    errors.ConversionError: (
        "Rien n'a été enregistré ; réessayez, ou vérifiez le document dans Word."),
    errors.Unavailable: "Rien n'a été enregistré ; réessayez dans quelques instants.",
}


@dataclass(frozen=True)
class Refus:
    """Why the service refused: a title, French messages, and those bound to a form field."""

    titre: str
    messages: tuple[str, ...]
    status: int
    par_champ: dict[str, list[str]] = field(default_factory=dict)
    """Messages of violations whose ``champ`` names a field (``date_reception``…)."""


def refus_de(exc: errors.ServiceError) -> Refus:
    """Return the French refusal a clerk reads for *exc*."""
    par_champ: dict[str, list[str]] = {}
    if isinstance(exc, errors.Unauthorized):
        messages = ["Ce jeton d'accès est inconnu ou a été révoqué."]
    elif isinstance(exc, errors.InvalidPayload) and exc.violations:
        messages = []
        for v in exc.violations:
            par_champ.setdefault(v.champ, []).append(v.message)
            messages.append(f"{v.champ} : {v.message}")
    else:
        messages = [exc.message]
    conseil = next((text for cls in type(exc).__mro__ if (text := _CONSEILS.get(cls))), None)
    if conseil:
        messages.append(conseil)
    shown = entree(exc)
    return Refus(shown.titre, tuple(messages), shown.status, par_champ)


def tenter(action: Callable[[], T]) -> tuple[T | None, Refus | None]:
    """Return ``(result, None)`` of *action*, or ``(None, refusal)`` when the service refuses.

    Only :class:`ServiceError` is caught: anything else is a bug and goes to the error page.
    """
    try:
        return action(), None
    except errors.ServiceError as exc:
        return None, refus_de(exc)


def joindre(form: Form, refus: Refus, defaut: Field) -> None:
    """Put the messages of *refus* next to the fields they concern, the rest next to *defaut*."""
    places = {name: f for name, f in form._fields.items() if name in refus.par_champ}
    for name, f in places.items():
        _errors(f).extend(refus.par_champ[name])
    if places:
        # Field messages are shown at their field; the advice, if any, stays with the form.
        extra = [m for m in refus.messages if not any(m.startswith(f"{n} :") for n in places)]
    else:
        extra = list(refus.messages)
    _errors(defaut).extend(extra)


def _errors(f: Field) -> list[str]:
    # A field that was never validated holds an empty tuple.
    if not isinstance(f.errors, list):
        f.errors = list(f.errors)
    return f.errors
