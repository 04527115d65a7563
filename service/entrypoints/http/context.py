"""The one way the Flask edges (API routes and the clerk's pages) reach the application."""

from __future__ import annotations

from typing import cast

from flask import Flask, current_app

from service.bootstrap import Application


def install(app: Flask, application: Application) -> None:
    """Make *application* the one :func:`application` returns for *app*."""
    app.extensions["actes"] = application


def application(app: Flask | None = None) -> Application:
    """Return the application services of *app* (the current app by default)."""
    return cast(Application, (app or current_app).extensions["actes"])
