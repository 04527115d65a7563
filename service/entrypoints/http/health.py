"""Liveness, readiness and the published JSON Schema."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, jsonify, request

from service.entrypoints.http.context import application
from service.entrypoints.http.problems import problem
from service.entrypoints.http.schemas import EtatService, dump

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """200 while the process answers."""
    return jsonify(dump(EtatService, {"statut": "ok"}))


@bp.get("/readyz")
def readyz() -> Response:
    """200 only when a PDF conversion can be done now."""
    if application().health.is_ready():
        return jsonify(dump(EtatService, {"statut": "pret"}))
    resp = problem(503, "Service non prêt", "Aucun convertisseur LibreOffice disponible.",
                   "non-pret")
    resp.headers["Retry-After"] = "5"
    return resp


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics: conversions, failures, restarts, queue depth, conversion times.

    With ``ACTES_METRICS_TOKEN`` set, only a scraper presenting it gets them.
    """
    expected = application().settings.metrics_token
    if expected:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        # Compared in constant time: the answer's delay tells nothing of the token.
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(),
                                                                  expected.encode()):
            resp = problem(401, "Authentification requise",
                           "Jeton des métriques absent ou inconnu (ACTES_METRICS_TOKEN).",
                           "authentification-requise")
            resp.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return resp
    return Response(application().health.metrics_text(),
                    mimetype="text/plain", content_type="text/plain; version=0.0.4; charset=utf-8")


@bp.get("/v1/schemas/deliberation.json")
def deliberation_schema() -> Response:
    """Return the JSON Schema of the deliberation payload (generated from the model)."""
    from service.domain.schema import deliberation_schema as schema

    return Response(schema(), mimetype="application/schema+json")
