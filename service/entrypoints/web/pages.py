"""Sign-in, sign-out and the home page: the sittings and acts of the clerk's authorities."""

from __future__ import annotations

from flask import flash, g, redirect, request, session, url_for
from werkzeug import Response

from service.entrypoints.http.context import application
from service.entrypoints.web.blueprint import SESSION_KEY, bp, page, safe_next
from service.entrypoints.web.forms import ConnexionForm, RechercheForm
from service.entrypoints.web.refus import joindre, tenter

LIMITE_ACTES = 50
LIMITE_SEANCES = 20


@bp.route("/connexion", methods=["GET", "POST"])
def connexion() -> Response | tuple[str, int]:
    """Sign in with an access token; an open service (no token configured) needs none."""
    if g.ouvert:
        return redirect(url_for("greffe.accueil"))
    form = ConnexionForm(suivant=request.args.get("suivant", ""))
    status = 200
    if form.validate_on_submit():
        token = form.jeton.data.strip()
        opened, refus = tenter(lambda: application().access.open_session(token))
        if refus is None and opened is not None:
            principal, session_id = opened
            # A fresh session (and CSRF token) at each sign-in: no fixation. The cookie holds
            # the id of a session kept on the server, which signing out ends.
            session.clear()
            session[SESSION_KEY] = session_id
            session.permanent = True
            flash(f"Vous êtes connecté en tant que « {principal.name} ».")
            return redirect(safe_next(form.suivant.data))
        if refus is not None:
            joindre(form, refus, form.jeton)
            status = refus.status
    elif form.errors:
        status = 422
    # Only a notice: a proxy's header is trusted to say the browser's side is HTTPS.
    https = request.is_secure or request.headers.get("X-Forwarded-Proto", "") == "https"
    insecure = not https and request.host.rsplit(":", 1)[0] not in (
        "127.0.0.1", "localhost", "[::1]")
    return page("connexion.html", status, form=form, insecure=insecure,
                titre_erreur=bool(form.errors))


@bp.post("/deconnexion")
def deconnexion() -> Response:
    """Sign out: the session ends on the server and the cookie is emptied (a POST with its
    CSRF token, checked before)."""
    application().access.end_session(session.get(SESSION_KEY))
    session.clear()
    flash("Vous êtes déconnecté.")
    return redirect(url_for("greffe.connexion"))


@bp.get("/")
def accueil() -> tuple[str, int]:
    """The sittings (latest first) and the acts, searched by numéro or object."""
    form = RechercheForm(request.args)
    query = (form.q.data or "").strip() if form.validate() else ""
    actes = application().actes.list_actes(g.principal, query, LIMITE_ACTES)
    seances = [] if query else application().seances.list_seances(g.principal, LIMITE_SEANCES)
    return page("accueil.html", form=form, query=query, actes=actes, seances=seances,
                limite=LIMITE_ACTES)
