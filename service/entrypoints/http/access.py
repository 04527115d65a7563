"""Bearer tokens at the HTTP edge: every route but the health checks needs one once any exists."""

from __future__ import annotations

import logging

from flask import Flask, g, request

from service.entrypoints.http import docs
from service.entrypoints.http.context import application

log = logging.getLogger(__name__)

OPEN_ENDPOINTS = {"health.healthz", "health.readyz", "health.metrics", "health.deliberation_schema",
                  # The API description and its page: an integrator reads them before any token.
                  "openapi.openapi_json", *docs.ENDPOINTS}
# Blueprints with their own sign-in (the clerk's pages: a session cookie, not a bearer token).
SESSION_BLUEPRINTS = {"greffe"}


def bearer_token() -> str | None:
    """Return the token of the ``Authorization: Bearer`` header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def install_access_control(app: Flask) -> None:
    """Authenticate each request; the principal (or ``None`` when open) goes in ``g.principal``."""

    @app.before_request
    def _authenticate() -> None:
        g.principal = None
        if request.endpoint in OPEN_ENDPOINTS or request.blueprint in SESSION_BLUEPRINTS:
            return
        if request.routing_exception is not None:
            # An unknown path or method answers 404, or 405 with Allow, before any token is
            # asked for: the routes are public in /openapi.json anyway.
            return
        g.principal = application().access.authenticate(bearer_token())

    wired = application(app)
    if wired.tokens is not None and wired.access.is_open():
        log.warning("Aucun jeton d'accès configuré : l'API est ouverte à quiconque atteint %s:%s "
                    "(créez-en un avec « actes token create »).",
                    wired.settings.host, wired.settings.port)


def auteur() -> str:
    """Return who acts, for the record and the audit trail: the token's name, or ``api``."""
    principal = g.get("principal")
    return principal.name if principal is not None else "api"
