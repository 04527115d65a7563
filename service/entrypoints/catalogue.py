"""The one catalogue of what every edge shows of an error: its stable code, its French title,
its HTTP status and the CLI's exit code.

The service's own errors carry their code and title (``service/domain/errors.py``); this module
adds what only the edges need, so that the HTTP API (problem+json), the clerk's pages and the
``actes`` command line tell a caller the same thing for the same failure. Werkzeug's own errors
(unknown route, wrong method…) get their French title here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.domain import errors

if TYPE_CHECKING:  # the CLI imports this module: no web framework at its start
    from werkzeug.exceptions import HTTPException

EXIT_REFUSED = 1
"""Exit code of a command whose payload, document or configuration is refused."""
EXIT_FAILED = 3
"""Exit code of a command the service failed to carry out (conversion, template, storage…)."""


@dataclass(frozen=True)
class Entree:
    """What the edges show of one error."""

    code: str
    titre: str
    status: int


# Status of each error class; the most specific class wins (looked up along the MRO).
STATUS: dict[type[errors.ServiceError], int] = {
    errors.InvalidPayload: 422,
    errors.BadRequest: 400,
    errors.UnsupportedMediaType: 415,
    errors.PayloadTooLarge: 413,
    errors.NotAcceptable: 406,
    errors.DocumentRejected: 422,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TemplateError: 500,
    errors.ConversionError: 502,
    errors.ConversionTimeout: 504,
    errors.Unavailable: 503,
    errors.StampError: 500,
    errors.Unauthorized: 401,
    errors.Forbidden: 403,
    errors.PdfTooLarge: 413,
    errors.TooManyPages: 422,
    # The service's own configuration: never the caller's fault over HTTP, refused by the CLI.
    errors.InvalidSettings: 500,
}

# French titles for the HTTP errors Flask raises by itself (unknown route, wrong method…).
HTTP_TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    406: "Format de réponse non disponible",
    413: "Contenu trop volumineux",
    415: "Type de média non pris en charge",
}

HOTE_NON_AUTORISE = "hote-non-autorise"
"""Code of a request whose ``Host`` header is not one of ``ACTES_ALLOWED_HOSTS``."""
FORMULAIRE_EXPIRE = Entree("formulaire-expire", "Formulaire expiré", 400)
"""A clerk's form whose CSRF token is missing or stale."""


def status_of(exc: errors.ServiceError) -> int:
    """Return the HTTP status of *exc*."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def entree(exc: errors.ServiceError) -> Entree:
    """Return the code, title and status of *exc* (its code may be one of its instance)."""
    return Entree(exc.code, exc.title, status_of(exc))


def entree_http(exc: HTTPException) -> Entree:
    """Return the code, French title and status of an error Werkzeug raised."""
    from werkzeug.exceptions import SecurityError

    status = exc.code or 500
    code = HOTE_NON_AUTORISE if isinstance(exc, SecurityError) else f"http-{status}"
    return Entree(code, HTTP_TITLES.get(status, exc.name), status)


def exit_code_of(exc: errors.ServiceError) -> int:
    """Return the CLI's exit code for *exc*: refused (the caller can fix it) or failed."""
    if isinstance(exc, errors.InvalidSettings) or 400 <= status_of(exc) < 500:
        return EXIT_REFUSED
    return EXIT_FAILED


def catalogue() -> list[Entree]:
    """Return every error class of the service with its code, title and status, base classes
    first (documentation and the test that keeps codes unique and titles French)."""
    found: list[type[errors.ServiceError]] = []
    pending: list[type[errors.ServiceError]] = [errors.ServiceError]
    while pending:
        cls = pending.pop(0)
        found.append(cls)
        # The hierarchy's own classes, not a subclass a test or a plugin may have made.
        pending.extend(c for c in cls.__subclasses__() if c.__module__ == cls.__module__)
    return [Entree(cls.code, cls.title, _status_of_class(cls)) for cls in found]


def _status_of_class(cls: type[errors.ServiceError]) -> int:
    return next((STATUS[c] for c in cls.__mro__ if c in STATUS), 500)
