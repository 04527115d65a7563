"""The HTTP edge's one translator: every error becomes ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException, SecurityError

from service import errors
from service.entrypoints.http.schemas import Probleme

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

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


def status_of(exc: errors.ServiceError) -> int:
    """Return the HTTP status of *exc*."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def problem(status: int, title: str, detail: str, code: str, **extra: Any) -> Response:
    """Return a problem+json response (the ``Probleme`` schema of ``/openapi.json``)."""
    body = Probleme(type=f"urn:actes:probleme:{code}", title=title, status=status,
                    detail=detail, code=code, **extra).model_dump(mode="json", exclude_none=True)
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def register_error_handlers(app: Flask) -> None:
    """Install the translators of :class:`ServiceError` and of Werkzeug's HTTP errors."""

    @app.errorhandler(errors.ServiceError)
    def _service_error(exc: errors.ServiceError) -> Response:
        status = status_of(exc)
        extra: dict[str, Any] = {}
        if isinstance(exc, (errors.InvalidPayload, errors.Refused)):
            extra["violations"] = [v.as_dict() for v in exc.violations]
        if status >= 500:
            log.error("%s: %s", exc.code, exc.message)
        resp = problem(status, exc.title, exc.message, exc.code, **extra)
        if isinstance(exc, errors.Unauthorized):
            resp.headers["WWW-Authenticate"] = 'Bearer realm="actes"'
        if isinstance(exc, errors.Unavailable):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        title = HTTP_TITLES.get(status, exc.name)
        limit = app.config["MAX_CONTENT_LENGTH"]
        detail = title if status != 413 else (
            f"Le corps de la requête dépasse la limite de {limit} octets."
        )
        code = f"http-{status}"
        if isinstance(exc, SecurityError):
            # The Host header is not one of ACTES_ALLOWED_HOSTS (TRUSTED_HOSTS).
            code, detail = "hote-non-autorise", (
                "L'en-tête Host de la requête ne désigne pas ce service "
                "(voir ACTES_ALLOWED_HOSTS).")
        resp = problem(status, title, detail, code)
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            resp.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return resp
