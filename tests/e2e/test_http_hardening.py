"""Hostile input over HTTP gets its own 4xx, never a 500 (issue 13, item 5)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from service.entrypoints.http import create_app
from service.errors import NotFound

PROBLEM = "application/problem+json"
SIREN = "242100410"
DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"


def _csrf(page: str) -> str:
    found = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def _sign_in(client: FlaskClient, token: str, suivant: str = ""):
    page = client.get("/greffe/connexion").get_data(as_text=True)
    return client.post("/greffe/connexion", data={
        "csrf_token": _csrf(page), "jeton": token, "suivant": suivant})


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice"})
    token = app.extensions["actes"].tokens.create("greffe", [SIREN])
    yield app, token
    app.extensions["actes"].close()


@pytest.mark.parametrize(("escaped", "why"), [
    ("\\ud800", "demi-paire"), ("\\u0000", "U+0000"), ("\\u001b", "U+001B"),
])
def test_a_lone_surrogate_or_control_character_is_a_422_naming_the_field(
        client: FlaskClient, dijon, escaped, why) -> None:
    # Written as JSON escapes: what a hostile client sends, and what Flask decodes.
    body = json.dumps(dijon, ensure_ascii=False).replace(
        '"Dijon Métropole"', f'"Dijon{escaped} Métropole"', 1)
    resp = client.post("/v1/deliberations", data=body.encode("utf-8"),
                       content_type="application/json")
    assert resp.status_code == 422 and resp.mimetype == PROBLEM
    violations = resp.get_json()["violations"]
    assert [(v["champ"], v["code"]) for v in violations] == [
        ("collectivite.nom", "caractere-interdit")]
    assert why in violations[0]["message"]


def test_a_text_field_beyond_its_bound_is_a_422(client: FlaskClient, dijon) -> None:
    dijon["deliberation"]["expose"] = "Un exposé très long. " * 100_000  # 2.1 MB
    resp = client.post("/v1/deliberations", json=dijon)
    assert resp.status_code == 422
    assert [(v["champ"], v["code"]) for v in resp.get_json()["violations"]] == [
        ("deliberation.expose", "texte-trop-long")]


@pytest.mark.parametrize("header", ['"' + "9" * 5000 + '"', "9" * 5000, '"1234567890"', '"-1"'])
def test_an_if_match_that_is_no_short_version_number_is_a_400(client: FlaskClient,
                                                              header) -> None:
    resp = client.put(f"/v1/actes/{DIJON_ID}/document.docx", data=b"PK\x03\x04",
                      headers={"If-Match": header}, content_type="application/octet-stream")
    assert resp.status_code == 400 and resp.mimetype == PROBLEM
    body = resp.get_json()
    assert body["code"] == "if-match-invalide"
    assert len(body["detail"]) < 200, "the header is not echoed whole"


@pytest.mark.parametrize("suivant", ["/greffe/\r\nSet-Cookie: x=y", "/greffe/\n", "/greffe/\x00",
                                     "/greffe/" + "a" * 3000])
def test_a_suivant_with_a_line_break_leads_home(secured, suivant) -> None:
    app, token = secured
    client = app.test_client()
    resp = _sign_in(client, token, suivant)
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/greffe/"
    assert "Set-Cookie: x" not in str(resp.headers)
    resp = client.get("/greffe/connexion", query_string={"suivant": suivant})
    assert resp.status_code in (200, 302)


def test_signing_out_ends_the_session_on_the_server(secured) -> None:
    app, token = secured
    client = app.test_client()
    assert _sign_in(client, token).status_code == 302
    copied = client.get_cookie("actes_greffe").value
    thief = app.test_client()
    thief.set_cookie("actes_greffe", copied)
    assert thief.get("/greffe/").status_code == 200, "the copied cookie works while signed in"
    page = client.get("/greffe/").get_data(as_text=True)
    assert client.post("/greffe/deconnexion", data={"csrf_token": _csrf(page)}).status_code == 302
    resp = thief.get("/greffe/")
    assert resp.status_code == 302 and "/greffe/connexion" in resp.headers["Location"]
    # A new sign-in opens a new session; the old cookie stays dead.
    assert _sign_in(client, token).status_code == 302
    assert client.get("/greffe/").status_code == 200
    assert thief.get("/greffe/").status_code == 302


def test_the_cookie_never_carries_the_token_or_its_digest(secured) -> None:
    import base64
    import hashlib
    import zlib

    app, token = secured
    client = app.test_client()
    _sign_in(client, token)
    value = client.get_cookie("actes_greffe").value
    payload = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    text = (zlib.decompress(raw) if value.startswith(".") else raw).decode()
    assert token not in text and hashlib.sha256(token.encode()).hexdigest() not in text


def test_an_act_of_another_authority_costs_what_an_unknown_one_does(secured, dijon) -> None:
    """The filter is in the query: one SELECT, no versions read, for either id."""
    app, _ = secured
    services = app.extensions["actes"]
    record, _ = services.actes.generate(dijon, auteur="test")
    assert record.identifiant == DIJON_ID
    lyon = services.tokens.create("lyon", ["200046977"])
    engine = services.repository._engine
    statements: list[str] = []
    listener = lambda *args: statements.append(" ".join(args[2].split()))  # noqa: E731
    answers = {}
    principal = services.tokens.find(lyon)
    for ident in (record.identifiant, DIJON_ID.replace("_013", "_099")):
        event.listen(engine, "before_cursor_execute", listener)
        try:
            with pytest.raises(NotFound):
                services.actes.get(ident, principal)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        selects = [s for s in statements if s.startswith("SELECT")]
        assert len(selects) == 1 and "FROM actes" in selects[0]
        assert "actes.siren IN" in selects[0]
        statements.clear()
        resp = app.test_client().get(f"/v1/actes/{ident}",
                                     headers={"Authorization": f"Bearer {lyon}"})
        answers[ident] = (resp.status_code, resp.get_json()["code"])
    assert set(answers.values()) == {(404, "introuvable")}


def test_an_act_beyond_the_page_limit_is_a_422_and_nothing_is_stored(tmp_path: Path,
                                                                    dijon) -> None:
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice", "max_pages": 1})
    try:
        client = app.test_client()
        resp = client.post("/v1/deliberations", json=dijon)
        assert resp.status_code == 422 and resp.mimetype == PROBLEM
        body = resp.get_json()
        assert body["code"] == "acte-trop-long" and "au-delà de la limite de 1 pages" in \
            body["detail"]
        assert client.get(f"/v1/actes/{DIJON_ID}").status_code == 404
    finally:
        app.extensions["actes"].close()


def test_each_smuggling_trick_uploaded_by_a_clerk_is_a_422(client: FlaskClient, dijon) -> None:
    from smuggling import tricks

    assert client.post("/v1/deliberations", json=dijon).status_code == 201
    plain = client.get(f"/v1/actes/{DIJON_ID}/document.docx").data
    for name, (data, code) in tricks(plain).items():
        resp = client.put(f"/v1/actes/{DIJON_ID}/document.docx", data=data,
                          content_type="application/octet-stream")
        assert resp.status_code == 422 and resp.mimetype == PROBLEM, name
        assert resp.get_json()["code"] == code, name
    # Nothing was stored: the act is still at its first version.
    assert len(client.get(f"/v1/actes/{DIJON_ID}/versions").get_json()["versions"]) == 1
