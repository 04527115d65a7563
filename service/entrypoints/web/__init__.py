"""The clerk's pages (*greffe*): server-rendered French pages under ``/greffe/``.

Clerks sign in with their access token and get a session cookie (secure, HttpOnly,
SameSite=Lax); every form carries a CSRF token; pages send a Content-Security-Policy with no
inline script, and work without JavaScript (a small script only refreshes a job's progress).
"""

from __future__ import annotations

import datetime as dt

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from service.entrypoints.http.context import application
from service.entrypoints.web.secret import session_secret

SESSION_LIFETIME = dt.timedelta(hours=8)


def init_app(app: Flask) -> None:
    """Install the pages on *app*: session key and cookie, CSRF protection, the blueprint."""
    from service.entrypoints.web import actes, pages, seances  # noqa: F401  (their routes)
    from service.entrypoints.web.blueprint import bp

    settings = application(app).settings
    app.secret_key = session_secret(settings)
    app.config.update(
        SESSION_COOKIE_NAME="actes_greffe",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
        # The blueprint checks the token of its own forms; the JSON API takes no cookie and
        # needs none.
        WTF_CSRF_CHECK_DEFAULT=False,
        # A token lives as long as the session: a form left open over lunch still works.
        WTF_CSRF_TIME_LIMIT=None,
        # No Flask-Babel here: WTForms' own French messages (see forms.py).
        WTF_I18N_ENABLED=False,
    )
    CSRFProtect(app)
    app.register_blueprint(bp)
