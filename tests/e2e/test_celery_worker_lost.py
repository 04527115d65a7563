"""A Celery worker killed in the middle of a sitting: another one finishes the job, once each.

Real processes: a ``celery worker`` on the machine's Redis is SIGKILLed (with its pool) while it
generates acts; a second worker started afterwards takes the lost tasks back once Redis's
visibility timeout has passed, and the job ends with every act generated exactly once.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from seance_support import identifiant, sitting
from workers_support import (
    Worker,
    forget_queue,
    fresh_postgres_database,
    require_redis,
    wait_for,
    worker_env,
)

from service.entrypoints.http import create_app

VISIBILITY = 8
"""Seconds before Redis hands the tasks of a lost worker to another (300 by default)."""

pytestmark = pytest.mark.libreoffice


def test_a_job_survives_a_worker_killed_mid_way(tmp_path: Path, dijon) -> None:
    require_redis()
    queue_name = f"actes-test-{uuid.uuid4().hex[:8]}"
    data, attendus = sitting(dijon, 40)
    with fresh_postgres_database() as url:
        env = worker_env(url, tmp_path / "data", queue_name,
                         ACTES_QUEUE_VISIBILITY_TIMEOUT=str(VISIBILITY))
        app = create_app({"data_dir": tmp_path / "data", "database_url": url,
                          "blob_store": "database", "converter": "soffice", "queue": "celery",
                          "queue_name": queue_name, "queue_visibility_timeout": VISIBILITY})
        client = app.test_client()
        first = Worker("first", env, tmp_path / "first.log")
        second = None
        try:
            resp = client.post("/v1/seances", json=data)
            assert resp.status_code == 202, resp.get_data(as_text=True)
            location = resp.headers["Location"]

            def progressed():
                job = client.get(location).get_json()
                return job if job["progression"]["faits"] >= 5 else None

            wait_for(progressed, 180, "five acts from the first worker")
            first.kill()
            lost = client.get(location).get_json()
            assert lost["termine_le"] is None, "the job finished before the worker was killed"
            second = Worker("second", env, tmp_path / "second.log")

            job = wait_for(lambda: (j := client.get(location).get_json())["termine_le"] and j,
                           300, "the second worker to finish the job")
        finally:
            first.stop()
            if second is not None:
                second.stop()
        try:
            assert job["statut"] == "terminee", job["erreurs"]
            assert job["progression"] == {"faits": 40, "erreurs": 0, "total": 40}
            # The acts the first worker was generating when it died were started again.
            assert any(a["tentatives"] > 1 for a in job["actes"]), second.output()[-3000:]
            for a in attendus:
                record = client.get(f"/v1/actes/{identifiant(a.numero)}").get_json()
                # Generated once: a task run twice found its act and stored no second version.
                assert record["version"] == 1, record
                versions = client.get(record["liens"]["versions"]).get_json()["versions"]
                assert len(versions) == 1
        finally:
            app.extensions["actes"].close()
            forget_queue(queue_name)
