"""Upstream systems retry: concurrent POSTs of one payload make one act with one version, and an
act already acknowledged is not silently replaced by a new payload."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from service.adapters.libreoffice.pool import LibreOfficePool
from service.bootstrap import bootstrap
from service.config import Settings
from service.entrypoints.http import create_app

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def pooled_app(tmp_path: Path) -> Iterator[Flask]:
    pool = LibreOfficePool(2, work_dir=tmp_path / "lo")
    pool.start()
    settings = Settings(data_dir=tmp_path / "data")
    app = create_app({"data_dir": tmp_path / "data"}, services=bootstrap(settings, converter=pool))
    yield app
    app.extensions["actes"].close()


def test_twenty_concurrent_posts_of_one_payload_make_one_act(pooled_app: Flask, dijon) -> None:
    body = json.dumps(dijon)

    def post(_: int) -> tuple[int, int]:
        resp = pooled_app.test_client().post("/v1/deliberations", data=body,
                                             content_type="application/json")
        return resp.status_code, resp.get_json()["version"]

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(post, range(20)))
    statuses = sorted(s for s, _ in answers)
    assert statuses.count(201) == 1 and statuses.count(200) == 19, statuses
    assert {v for _, v in answers} == {1}
    versions = pooled_app.test_client().get(f"/v1/actes/{DIJON_ID}/versions").get_json()
    assert [v["numero"] for v in versions["versions"]] == [1]


def test_a_new_payload_after_acknowledgement_is_a_409_that_says_how(
    pooled_app: Flask, dijon
) -> None:
    client = pooled_app.test_client()
    assert client.post("/v1/deliberations", json=dijon).status_code == 201
    ack = client.post(f"/v1/actes/{DIJON_ID}/accuse-reception",
                      json={"date_envoi": "2019-12-20", "date_reception": "2019-12-20"})
    assert ack.status_code == 200 and ack.get_json()["statut"] == "acquittee"

    dijon["deliberation"]["objet"] = "Objet corrigé après transmission"
    resp = client.post("/v1/deliberations", json=dijon)
    assert resp.status_code == 409 and resp.mimetype == "application/problem+json"
    detail = resp.get_json()["detail"]
    assert "transmis" in detail
    versions = client.get(f"/v1/actes/{DIJON_ID}/versions").get_json()["versions"]
    assert len(versions) == 1
