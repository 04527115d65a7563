"""The warm pool seen from HTTP: a hang is a 504 and the next POST succeeds, a full queue is a
503 with Retry-After, a killed LibreOffice is healed, /readyz and /metrics tell the truth."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from pdftext import pdf_text

from service.adapters.libreoffice.pool import LibreOfficePool
from service.bootstrap import bootstrap
from service.config import Settings
from service.entrypoints.http import create_app

HANG = "ZZBLOQUEZZ"
PAUSE = "ZZPAUSEZZ"

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def pooled(tmp_path: Path) -> Iterator[tuple[FlaskClient, LibreOfficePool]]:
    pool = LibreOfficePool(1, timeout=4, max_queue=1, queue_timeout=30,
                           work_dir=tmp_path / "lo", _test_hang_marker=HANG,
                           _test_pause_marker=PAUSE)
    pool.start()
    settings = Settings(data_dir=tmp_path / "data")
    app = create_app({"data_dir": tmp_path / "data"}, services=bootstrap(settings, converter=pool))
    yield app.test_client(), pool
    app.extensions["actes"].close()


def _payload(dijon: dict[str, Any], numero: str, objet: str | None = None) -> str:
    dijon = json.loads(json.dumps(dijon))
    dijon["deliberation"]["numero"] = numero
    if objet:
        dijon["deliberation"]["objet"] = objet
    return json.dumps(dijon)


def _post(client: FlaskClient, body: str):
    return client.post("/v1/deliberations", data=body, content_type="application/json")


def _in_background(fn, *args) -> dict[str, Any]:
    box: dict[str, Any] = {}

    def run() -> None:
        box["result"] = fn(*args)

    box["thread"] = threading.Thread(target=run, daemon=True)
    box["thread"].start()
    return box


def test_hanging_conversion_is_a_504_and_the_next_post_succeeds(pooled, dijon) -> None:
    client, _ = pooled
    started = time.monotonic()
    resp = _post(client, _payload(dijon, "HANG1", f"Piège {HANG}"))
    assert resp.status_code == 504 and resp.mimetype == "application/problem+json"
    assert time.monotonic() - started < 10
    assert client.get("/v1/actes/021-242100410-20191219-HANG1-DE").status_code == 404
    resp = _post(client, _payload(dijon, "APRES1"))
    assert resp.status_code == 201


def test_full_queue_is_a_503_with_retry_after(pooled, dijon) -> None:
    client, pool = pooled
    hanging = _in_background(_post, client, _payload(dijon, "HANG2", f"Bloquant {HANG}"))
    deadline = time.monotonic() + 10
    while pool.stats()["workers"][0]["state"] != "busy" and time.monotonic() < deadline:
        time.sleep(0.05)
    queued = _in_background(_post, client, _payload(dijon, "FILE2"))
    while pool.stats()["queue_depth"] != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    resp = _post(client, _payload(dijon, "TROP2"))
    assert resp.status_code == 503
    assert int(resp.headers["Retry-After"]) >= 1
    assert resp.get_json()["code"] == "service-indisponible"
    hanging["thread"].join(20)
    queued["thread"].join(40)
    assert hanging["result"].status_code == 504
    assert queued["result"].status_code == 201


def test_libreoffice_killed_mid_conversion_still_answers_201(pooled, dijon) -> None:
    client, pool = pooled
    first = pool.stats()["workers"][0]["soffice_pid"]
    job = _in_background(_post, client, _payload(dijon, "KILL3", f"Budget {PAUSE}"))
    deadline = time.monotonic() + 10
    while pool.stats()["workers"][0]["state"] != "busy" and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.8)
    os.kill(first, signal.SIGKILL)
    job["thread"].join(40)
    resp = job["result"]
    assert resp.status_code == 201, resp.get_data(as_text=True)
    pdf = client.get("/v1/actes/021-242100410-20191219-KILL3-DE/document.pdf").data
    assert "Budget" in pdf_text(pdf)
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'actes_libreoffice_restarts_total{reason="crash"} 1.0' in metrics
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_while_no_worker_is_alive(pooled) -> None:
    client, pool = pooled
    assert client.get("/readyz").status_code == 200
    pool.close()
    resp = client.get("/readyz")
    assert resp.status_code == 503 and resp.headers["Retry-After"]
    assert client.get("/healthz").status_code == 200
