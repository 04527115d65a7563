"""The Flask app factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from service.bootstrap import Application, bootstrap
from service.config import Settings


def create_app(
    config: Mapping[str, Any] | None = None, *, services: Application | None = None
) -> Flask:
    """Return the WSGI app.

    Settings come from the environment (``ACTES_*``) overridden by *config*; *services*, the
    application :func:`~service.bootstrap.bootstrap` returns, lets the tests wire their own
    adapters. Nothing is read or opened before this is called.
    """
    settings = Settings(**dict(config or {}))
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_content_length
    # Checked by Flask for every request (a 400 otherwise): a page of a rebinding attacker's
    # domain that resolves to this service cannot read it.
    app.config["TRUSTED_HOSTS"] = None if "*" in settings.allowed_hosts else list(
        settings.allowed_hosts)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    from service.entrypoints.http.context import install

    install(app, services or bootstrap(settings))

    from service.entrypoints.http import actes, deliberations, docs, health, jobs, openapi, seances
    from service.entrypoints.http.access import install_access_control
    from service.entrypoints.http.problems import register_error_handlers

    for module in (health, deliberations, actes, seances, jobs, openapi, docs):
        app.register_blueprint(module.bp)
    register_error_handlers(app)
    install_access_control(app)

    from service.entrypoints.web import init_app as install_clerk_pages

    install_clerk_pages(app)
    return app
