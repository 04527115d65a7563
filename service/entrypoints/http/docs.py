"""``/docs``: the API description rendered by Swagger UI, served from this machine alone.

Swagger UI's files come from the ``flask-swagger-ui`` package (only its files: the page and its
initialiser are ours), so the page works offline and sends nothing to another site. The page
has no inline script, so it runs under ``Content-Security-Policy: default-src 'self'``.
"""

from __future__ import annotations

from importlib.resources import files

from flask import Blueprint, Response, render_template, send_from_directory

bp = Blueprint("docs", __name__, url_prefix="/docs", static_folder="static/docs",
               static_url_path="/static")

SWAGGER_UI = files("flask_swagger_ui") / "dist"
# Swagger UI draws its icons as data: SVG images; everything else comes from this origin.
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'")
ENDPOINTS = {"docs.index", "docs.static", "docs.swagger_ui"}
"""Every endpoint of this blueprint: open to anyone, like the description they show."""


@bp.get("")
def index() -> str:
    """Return the page showing ``/openapi.json``."""
    return render_template("docs/index.html")


@bp.get("/swagger-ui/<path:filename>")
def swagger_ui(filename: str) -> Response:
    """Return a file of Swagger UI's distribution."""
    return send_from_directory(str(SWAGGER_UI), filename, max_age=3600)


@bp.after_request
def _policy(resp: Response) -> Response:
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp
