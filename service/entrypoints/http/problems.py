"""The HTTP edge's one translator: every error becomes ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json
from werkzeug.exceptions import HTTPException, SecurityError

from service.domain import errors
from service.entrypoints.catalogue import entree, entree_http
from service.entrypoints.http.schemas import Probleme

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

def problem(status: int, title: str, detail: str, code: str, **extra: Any) -> Response:
    """Return a problem+json response (the ``Probleme`` schema of ``/openapi.json``)."""
    body = Probleme(type=f"urn:actes:probleme:{code}", title=title, status=status,
                    detail=detail, code=code, **extra).model_dump(mode="json", exclude_none=True)
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def register_error_handlers(app: Flask) -> None:
    """Install the translators of :class:`ServiceError` and of Werkzeug's HTTP errors."""

    @app.errorhandler(errors.ServiceError)
    def _service_error(exc: errors.ServiceError) -> Response:
        shown = entree(exc)
        extra: dict[str, Any] = {}
        if isinstance(exc, (errors.InvalidPayload, errors.Refused)):
            extra["violations"] = [v.as_dict() for v in exc.violations]
        if shown.status >= 500:
            log.error("%s: %s", exc.code, exc.message)
        resp = problem(shown.status, shown.titre, exc.message, shown.code, **extra)
        if isinstance(exc, errors.Unauthorized):
            resp.headers["WWW-Authenticate"] = 'Bearer realm="actes"'
        if isinstance(exc, errors.Unavailable):
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        shown = entree_http(exc)
        status = shown.status
        limit = app.config["MAX_CONTENT_LENGTH"]
        detail = shown.titre if status != 413 else (
            f"Le corps de la requête dépasse la limite de {limit} octets."
        )
        if isinstance(exc, SecurityError):
            # The Host header is not one of ACTES_ALLOWED_HOSTS (TRUSTED_HOSTS).
            detail = ("L'en-tête Host de la requête ne désigne pas ce service "
                      "(voir ACTES_ALLOWED_HOSTS).")
        resp = problem(status, shown.titre, detail, shown.code)
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            resp.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return resp
