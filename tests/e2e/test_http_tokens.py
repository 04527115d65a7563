"""Bearer tokens: each authority sees only its own acts; health checks stay open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from service.entrypoints.cli import main
from service.entrypoints.http import create_app

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"


@pytest.fixture
def secured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    dijon_token = runner.invoke(main, ["token", "create", "dijon", "--siren", "242100410"])
    other_token = runner.invoke(main, ["token", "create", "autre", "--siren", "210600235"])
    assert dijon_token.exit_code == 0 and other_token.exit_code == 0, dijon_token.output
    app = create_app({"converter": "soffice"})
    yield app.test_client(), dijon_token.stdout.strip(), other_token.stdout.strip(), runner
    app.extensions["actes"].close()


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.libreoffice
def test_tokens_scope_every_route(secured, dijon) -> None:
    client, dijon_token, other_token, runner = secured
    body = json.dumps(dijon)
    assert client.get("/healthz").status_code == 200

    resp = client.post("/v1/deliberations", data=body, content_type="application/json")
    assert resp.status_code == 401 and resp.mimetype == "application/problem+json"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")

    resp = client.post("/v1/deliberations", data=body, content_type="application/json",
                       headers=_auth(other_token))
    assert resp.status_code == 403

    resp = client.post("/v1/deliberations", data=body, content_type="application/json",
                       headers=_auth(dijon_token))
    assert resp.status_code == 201
    assert resp.get_json()["identifiant"] == DIJON_ID
    versions = client.get(f"/v1/actes/{DIJON_ID}/versions", headers=_auth(dijon_token))
    assert versions.get_json()["versions"][0]["auteur"] == "dijon"

    for path in ("", "/document.pdf", "/versions", "/transmission.tar.gz"):
        answer = client.get(f"/v1/actes/{DIJON_ID}{path}", headers=_auth(other_token))
        assert answer.status_code == 404
        assert client.get(f"/v1/actes/{DIJON_ID}{path}").status_code == 401
    assert client.get(f"/v1/actes/{DIJON_ID}", headers=_auth("faux")).status_code == 401

    assert runner.invoke(main, ["token", "revoke", "dijon"]).exit_code == 0
    assert client.get(f"/v1/actes/{DIJON_ID}", headers=_auth(dijon_token)).status_code == 401


def test_revoking_an_unknown_token_exits_1(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["token", "revoke", "personne"])
    assert result.exit_code == 1 and "personne" in result.stderr
