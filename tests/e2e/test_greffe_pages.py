"""The clerk's pages without a browser: session key, sign-in, CSRF, headers, open service."""

from __future__ import annotations

import html
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.entrypoints.http import create_app

CSP = re.compile(r"default-src 'self'")


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice"})
    token = app.extensions["actes"].tokens.create("greffe", ["242100410"])
    yield app, token
    app.extensions["actes"].close()


def _csrf(page: str) -> str:
    found = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _sign_in(client: FlaskClient, token: str, suivant: str = ""):
    page = client.get("/greffe/connexion").get_data(as_text=True)
    resp = client.post("/greffe/connexion", data={
        "csrf_token": _csrf(page), "jeton": token, "suivant": suivant})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return resp


def test_session_key_is_made_once_private_and_shared(tmp_path: Path) -> None:
    config = {"data_dir": tmp_path / "data", "converter": "soffice"}
    first, second = create_app(config), create_app(config)
    try:
        key = tmp_path / "data" / "secret_key"
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
        assert first.secret_key == second.secret_key == key.read_text().strip()
        assert len(first.secret_key) >= 32
        assert not list(key.parent.glob(".secret_key.*")), "draft left behind"
    finally:
        first.extensions["actes"].close()
        second.extensions["actes"].close()
    configured = create_app({**config, "secret_key": "k" * 40})
    try:
        assert configured.secret_key == "k" * 40
    finally:
        configured.extensions["actes"].close()


def test_pages_need_a_session_and_say_where_to_go_back(secured) -> None:
    app, token = secured
    client = app.test_client()
    resp = client.get("/greffe/seances/inconnue?x=1")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/greffe/connexion?suivant=/greffe/seances/inconnue?x%3D1"
    # A bearer token is not a session: the API's header does not open the pages.
    resp = client.get("/greffe/", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 302

    resp = _sign_in(client, token, suivant="https://ailleurs.example/greffe/")
    assert resp.headers["Location"] == "/greffe/", "no redirect off the site"
    cookie = client.get_cookie("actes_greffe")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    assert token not in cookie.value

    page = client.get("/greffe/")
    assert page.status_code == 200
    assert "Connecté : <strong>greffe</strong>" in page.get_data(as_text=True)
    for header, value in (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
                          ("X-Frame-Options", "DENY"), ("Cache-Control", "no-store")):
        assert re.search(value, page.headers[header]) if isinstance(value, re.Pattern) \
            else page.headers[header] == value, header
    assert "<script>" not in page.get_data(as_text=True)

    # Revoking the token ends the sessions opened with it.
    app.extensions["actes"].tokens.revoke("greffe")
    assert client.get("/greffe/").status_code == 302


def test_a_form_without_its_csrf_token_is_refused_in_french(secured) -> None:
    app, token = secured
    client = app.test_client()
    _sign_in(client, token)
    resp = client.post("/greffe/deconnexion")
    assert resp.status_code == 400
    assert "Formulaire expiré" in resp.get_data(as_text=True)
    assert client.get("/greffe/").status_code == 200, "still signed in: nothing changed"
    resp = client.post("/greffe/deconnexion", data={"csrf_token": _csrf(
        client.get("/greffe/").get_data(as_text=True))})
    assert resp.status_code == 302
    assert client.get("/greffe/").status_code == 302


def test_a_wrong_token_is_refused_next_to_its_field(secured) -> None:
    app, _ = secured
    client = app.test_client()
    page = client.get("/greffe/connexion").get_data(as_text=True)
    resp = client.post("/greffe/connexion", data={"csrf_token": _csrf(page), "jeton": "faux"})
    assert resp.status_code == 401
    text = html.unescape(resp.get_data(as_text=True))
    assert 'id="jeton-erreur"' in text and "inconnu ou a été révoqué" in text
    assert 'aria-describedby="jeton-aide jeton-erreur"' in text and 'aria-invalid="true"' in text
    assert "<title>Erreur : Connexion" in text
    assert client.get("/greffe/").status_code == 302


def test_an_open_service_opens_its_pages_with_a_notice(tmp_path: Path) -> None:
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice"})
    try:
        client = app.test_client()
        page = client.get("/greffe/")
        assert page.status_code == 200
        assert "aucun jeton d'accès n'est configuré" in html.unescape(page.get_data(as_text=True))
        assert client.get("/greffe/connexion").headers["Location"] == "/greffe/"
        missing = client.get("/greffe/actes/021-242100410-20191219-X-DE")
        assert missing.status_code == 404 and missing.mimetype == "text/html"
        assert "Aucun acte n'a l'identifiant" in html.unescape(missing.get_data(as_text=True))
    finally:
        app.extensions["actes"].close()


def test_a_body_too_large_is_refused_in_french(tmp_path: Path) -> None:
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice",
                      "max_content_length": 2048})
    try:
        app.extensions["actes"].tokens.create("greffe", ["242100410"])
        resp = app.test_client().post("/greffe/connexion", data={"jeton": "x" * 4096})
        assert resp.status_code == 413 and resp.mimetype == "text/html"
        assert "dépasse la limite de 2 ko" in html.unescape(resp.get_data(as_text=True))
    finally:
        app.extensions["actes"].close()
