"""``actes seance`` (a sitting generated locally) and ``actes worker`` (a queue worker)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdftext import pdf_text
from seance_support import identifiant, sitting
from workers_support import (
    forget_queue,
    fresh_postgres_database,
    require_redis,
    wait_for,
    worker_env,
)

from service.entrypoints.cli import main
from service.entrypoints.http import create_app

REPO = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, payload: dict) -> Path:
    path = tmp_path / "seance.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


@pytest.mark.libreoffice
def test_seance_writes_every_act_the_list_and_the_csv(tmp_path: Path, dijon) -> None:
    data, attendus = sitting(dijon, 3)
    out = tmp_path / "out"

    result = CliRunner().invoke(main, ["seance", str(_write(tmp_path, data)), "--out", str(out)])

    assert result.exit_code == 0, result.output + result.stderr
    idents = [identifiant(a.numero) for a in attendus]
    assert result.stdout.split() == idents
    assert "Actes de la séance" in result.stderr  # the progress bar's label
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{i}.{ext}" for i in idents for ext in ("docx", "pdf")]
        + ["deliberations.csv", "liste.pdf", "proces-verbal.docx", "proces-verbal.pdf"])
    text = pdf_text((out / f"{idents[1]}.pdf").read_bytes())
    assert f"Nombre de présents participant au vote : {attendus[1].presents_votants} " in text
    liste = pdf_text((out / "liste.pdf").read_bytes())
    assert all(f"N° {a.numero} : {a.objet}" in liste for a in attendus)
    pv = pdf_text((out / "proces-verbal.pdf").read_bytes())
    assert "PROCÈS-VERBAL DE LA SÉANCE" in pv
    assert all(f"N° {a.numero} – {a.objet}" in pv for a in attendus)
    rows = (out / "deliberations.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 4 and rows[2].startswith("Dijon Métropole,24210041000016,2019-12-19_101,")


def test_seance_refuses_an_unlawful_sitting_and_writes_nothing(tmp_path: Path, dijon) -> None:
    data, _ = sitting(dijon, 3)
    data["deliberations"][1]["vote"]["contre"] += 1
    out = tmp_path / "out"

    result = CliRunner().invoke(main, ["seance", str(_write(tmp_path, data)), "--out", str(out)])

    assert result.exit_code == 1
    assert "deliberations[1].vote [total-votes-incoherent]" in result.stderr
    assert not out.exists()


@pytest.mark.libreoffice
def test_worker_command_generates_the_acts_of_a_sitting(tmp_path: Path, dijon) -> None:
    require_redis()
    queue_name = f"actes-test-{uuid.uuid4().hex[:8]}"
    data, attendus = sitting(dijon, 2)
    with fresh_postgres_database() as url:
        env = {**os.environ, **worker_env(url, tmp_path / "data", queue_name)}
        log = (tmp_path / "worker.log").open("wb")
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("actes")), "worker", "--pool", "solo"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        app = create_app({"data_dir": tmp_path / "data", "database_url": url,
                          "blob_store": "database", "converter": "soffice", "queue": "celery",
                          "queue_name": queue_name})
        try:
            client = app.test_client()
            location = client.post("/v1/seances", json=data).headers["Location"]
            job = wait_for(lambda: (j := client.get(location).get_json())["termine_le"] and j,
                           120, "the worker to finish")
            assert job["statut"] == "terminee", job["erreurs"]
            expected = [identifiant(a.numero) for a in attendus]
            assert [a["identifiant"] for a in job["actes"]] == expected
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
            log.close()
            app.extensions["actes"].close()
            forget_queue(queue_name)
        # A warm shutdown closes the services the worker opened (the database connections).
        assert proc.returncode == 0, (tmp_path / "worker.log").read_text()[-3000:]
