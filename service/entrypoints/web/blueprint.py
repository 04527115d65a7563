"""The ``greffe`` blueprint: who is signed in, CSRF, security headers, French error pages."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse
from wtforms import Field

from service.domain import errors
from service.entrypoints.catalogue import FORMULAIRE_EXPIRE, entree_http
from service.entrypoints.http.context import application
from service.entrypoints.web.refus import refus_de

bp = Blueprint("greffe", __name__, url_prefix="/greffe", template_folder="templates",
               static_folder="static")

SESSION_KEY = "session"
"""Session entry holding the id of the clerk's session on the server (never the token)."""
PUBLIC = {"greffe.connexion", "greffe.static"}
PARIS = ZoneInfo("Europe/Paris")
CSP = ("default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
       "object-src 'none'")

STATUTS = {"generee": "Générée", "transmise": "Transmise", "acquittee": "Acquittée"}
STATUTS_JOB = {"en_attente": "En attente", "en_cours": "En cours", "terminee": "Terminée",
               "echouee": "Terminée avec des erreurs"}
STATUTS_ACTE_DE_JOB = {"en_attente": "En attente", "generee": "Générée",
                       "regeneree": "Régénérée", "conservee": "Conservée", "refusee": "Refusée",
                       "erreur": "Erreur"}


def auteur() -> str:
    """Return who acts, for the versions and the audit trail: the token's name, or ``greffe``."""
    return g.principal.name if g.principal is not None else "greffe"


def page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """Return *template* rendered, with *status*."""
    return render_template(f"greffe/{template}", **context), status


def safe_next(target: str | None) -> str:
    """Return *target* when it is a page of this blueprint, else the home page (no open
    redirect)."""
    home = url_for("greffe.accueil")
    # A CR/LF would split the Location header (Werkzeug refuses it: a 500 once); any control
    # character or an endless path is no page of ours either.
    if not target or len(target) > 2000 or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(home) or "\\" in target:
        return home
    return target


@bp.before_request
def _sign_in_and_csrf() -> None:
    g.principal = None
    g.ouvert = application().access.is_open()
    if request.endpoint not in PUBLIC:
        # Unauthorized goes to the handler below: back to the sign-in page.
        g.principal = application().access.authenticate_session(session.get(SESSION_KEY))
    if request.method == "POST":
        # After the sign-in check, so that an expired session leads to the sign-in page.
        current_app.extensions["csrf"].protect()


@bp.after_request
def _headers(resp: Response) -> Response:
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    if request.endpoint != "greffe.static":
        # Pages and files of an authority's acts stay out of shared caches and history.
        resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.errorhandler(errors.Unauthorized)
def _sign_in_first(exc: errors.Unauthorized) -> WerkzeugResponse:
    session.pop(SESSION_KEY, None)
    suivant = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("greffe.connexion", suivant=safe_next(suivant)))


@bp.errorhandler(errors.ServiceError)
def _service_error(exc: errors.ServiceError) -> tuple[str, int]:
    # An error of a page that has no form to show it next to (an unknown act: 404).
    refus = refus_de(exc)
    return page("erreur.html", refus.status, titre=refus.titre, messages=refus.messages)


@bp.errorhandler(CSRFError)
def _csrf_error(exc: CSRFError) -> tuple[str, int]:
    return page("erreur.html", FORMULAIRE_EXPIRE.status, titre=FORMULAIRE_EXPIRE.titre, messages=[
        "Ce formulaire a expiré ou ne vient pas de ces pages : rien n'a été enregistré. "
        "Rechargez la page, puis recommencez."])


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[str, int]:
    shown = entree_http(exc)
    message = shown.titre
    if shown.status == 413:
        limit = taille(current_app.config["MAX_CONTENT_LENGTH"])
        message = f"Le fichier envoyé dépasse la limite de {limit} : rien n'a été enregistré."
    return page("erreur.html", shown.status, titre=shown.titre, messages=[message])


@bp.app_template_filter("date_fr")
def _date_fr(value: dt.date | None) -> str:
    return format_date(value, format="long", locale="fr_FR") if value else "—"


@bp.app_template_filter("datetime_fr")
def _datetime_fr(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    return format_datetime(value, "d MMMM y 'à' HH:mm", tzinfo=PARIS, locale="fr_FR")


@bp.app_template_filter("taille")
def taille(size: int) -> str:
    """Return *size* bytes as a French reader reads it: « 166 ko », « 20,0 Mo »."""
    if size < 1024:
        return f"{size} octets"
    if size < 1024 * 1024:
        return f"{format_decimal(size / 1024, '#,##0', locale='fr_FR')} ko"
    return f"{format_decimal(size / 1024 / 1024, '#,##0.0', locale='fr_FR')} Mo"


@bp.app_template_global("attributs")
def _attributs(field: Field, aide: bool = False) -> dict[str, str]:
    """Return the ARIA attributes of *field*: its help and error messages described by id."""
    ids = ([f"{field.id}-aide"] if aide else []) + ([f"{field.id}-erreur"] if field.errors else [])
    attrs = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


@bp.context_processor
def _context() -> dict[str, Any]:
    return {"principal": g.get("principal"), "ouvert": g.get("ouvert", False),
            "STATUTS": STATUTS, "STATUTS_JOB": STATUTS_JOB,
            "STATUTS_ACTE_DE_JOB": STATUTS_ACTE_DE_JOB}
