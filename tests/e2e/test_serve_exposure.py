"""No anonymous service on a public address, a checked Host header, /metrics behind a token,
no shared control socket (issue 13, items 4 and 6)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from flask import Flask

from service.entrypoints.exposure import ExposureRefused, check_exposure, is_loopback
from service.entrypoints.http import create_app
from tests.serve_support import ACTES, free_port, get, serve_env, served


@pytest.mark.parametrize(("bind", "local"), [
    ("127.0.0.1:8000", True), ("127.0.0.2:80", True), ("localhost:8000", True),
    ("[::1]:8000", True), ("unix:/run/actes.sock", True), ("0.0.0.0:8000", False),
    ("[::]:8000", False), ("192.168.1.10:8000", False), ("actes.example.fr:8000", False),
])
def test_loopback_binds_are_told_apart(bind, local) -> None:
    assert is_loopback(bind) is local


def test_an_open_service_on_a_public_address_is_refused_unless_said_unsafe() -> None:
    with pytest.raises(ExposureRefused, match="ACTES_UNSAFE_ALLOW_ANONYMOUS=1"):
        check_exposure(["0.0.0.0:8000"], tokens_configured=False, allow_anonymous=False)
    check_exposure(["0.0.0.0:8000"], tokens_configured=True, allow_anonymous=False)
    check_exposure(["0.0.0.0:8000"], tokens_configured=False, allow_anonymous=True)
    check_exposure(["127.0.0.1:8000"], tokens_configured=False, allow_anonymous=False)


def test_actes_serve_refuses_to_start_anonymous_on_0_0_0_0(tmp_path: Path) -> None:
    proc = subprocess.run([str(ACTES), "serve", "--host", "0.0.0.0", "--port", str(free_port())],
                          env=serve_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "aucun jeton d'accès n'est configuré" in proc.stdout + proc.stderr


def test_actes_serve_starts_on_0_0_0_0_once_a_token_exists_and_checks_the_host(
        tmp_path: Path) -> None:
    env = serve_env(tmp_path)
    made = subprocess.run([str(ACTES), "token", "create", "dijon", "--siren", "242100410"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    with served(tmp_path, "--host", "0.0.0.0", env=env) as (_, port):
        assert get(port, "/healthz")[0] == 200
        status, body = get(port, "/healthz", host="rebinding.attacker.example")
        assert status == 400 and b"hote-non-autorise" in body
        # No fixed control socket a second instance of this user would share.
        assert not (tmp_path / "gunicorn.ctl").exists()
        assert not (tmp_path / ".gunicorn").exists()


def test_allowed_hosts_name_the_public_name(tmp_path: Path) -> None:
    app = create_app({"data_dir": tmp_path / "data", "converter": "soffice",
                      "allowed_hosts": "actes.example.fr, .dijon.example"})
    try:
        client = app.test_client()
        for host, status in [("actes.example.fr", 200), ("actes.example.fr:8443", 200),
                             ("greffe.dijon.example", 200), ("localhost", 400),
                             ("evil.example", 400)]:
            assert client.get("/healthz", headers={"Host": host}).status_code == status, host
    finally:
        app.extensions["actes"].close()


@pytest.fixture
def metrics_app(tmp_path: Path):
    app: Flask = create_app({"data_dir": tmp_path / "data", "converter": "soffice",
                             "metrics_token": "s3cret-metrics"})
    yield app
    app.extensions["actes"].close()


def test_metrics_need_their_token_when_one_is_set(metrics_app: Flask) -> None:
    client = metrics_app.test_client()
    resp = client.get("/metrics")
    assert resp.status_code == 401 and resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    resp = client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"})
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    assert client.get("/healthz").status_code == 200, "health checks stay open"


def test_metrics_stay_open_without_a_metrics_token(client) -> None:
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize("command", [
    ["gunicorn", "-c", "service/entrypoints/gunicorn_conf.py", "-b", "127.0.0.1:{port}",
     "service.entrypoints.http:create_app()"],
    ["celery", "-A", "service.entrypoints.worker", "worker", "--pool", "solo"],
])
def test_gunicorn_or_celery_started_directly_name_a_bad_setting_in_one_line(
        tmp_path: Path, command: list[str]) -> None:
    # Started without ``actes serve`` / ``actes worker`` (a supervisor's unit file): the same
    # one-line message, no traceback.
    program = ACTES.with_name(command[0])
    args = [arg.format(port=free_port()) for arg in command[1:]]
    proc = subprocess.run([str(program), *args], env=serve_env(tmp_path, ACTES_CONVERTER="word"),
                          cwd=Path(__file__).resolve().parents[2], capture_output=True,
                          text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "Erreur (configuration-invalide)" in output and "ACTES_CONVERTER" in output
    assert "Traceback" not in output
