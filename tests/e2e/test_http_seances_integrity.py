"""A sitting sent again: a clerk's amendment survives it, and what the sitting publishes (list,
CSV, pages) says what its acts say, even when a re-post is refused.

A re-post is all or nothing: one act it may not replace refuses the whole sitting (409
``seance-refusee``), and nothing changes; accepted, the job says what became of each act.
"""

from __future__ import annotations

import copy
import csv
import io
import re
import time
from typing import Any

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from pdftext import pdf_text
from seance_support import identifiant, sitting

from service.entrypoints.http.context import application

SEANCE_ID = "021-242100410-20191219"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AMENDE = "Texte amendé par le greffe"

pytestmark = pytest.mark.libreoffice


def wait_job(client: FlaskClient, location: str, timeout: float = 180) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(location).get_json()
        if job["termine_le"]:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {location} not finished after {timeout} s")


def post_sitting(client: FlaskClient, data: dict[str, Any], query: str = ""):
    return client.post(f"/v1/seances{query}", json=data)


def generated(client: FlaskClient, data: dict[str, Any], query: str = "") -> dict[str, Any]:
    resp = post_sitting(client, data, query)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    return wait_job(client, resp.headers["Location"])


def amend(client: FlaskClient, ident: str) -> None:
    document = docx.Document(io.BytesIO(client.get(f"/v1/actes/{ident}/document.docx").data))
    document.add_paragraph(AMENDE)
    out = io.BytesIO()
    document.save(out)
    resp = client.put(f"/v1/actes/{ident}/document.docx", data=out.getvalue(), content_type=DOCX)
    assert resp.status_code == 200, resp.get_data(as_text=True)


def published(client: FlaskClient) -> dict[str, Any]:
    """What the sitting shows the world: its record, list, CSV and page, and its acts."""
    seance = client.get(f"/v1/seances/{SEANCE_ID}").get_json()
    csv_rows = list(csv.DictReader(io.StringIO(
        client.get(f"/v1/seances/{SEANCE_ID}/deliberations.csv").get_data(as_text=True))))
    page = client.get(f"/greffe/seances/{SEANCE_ID}")
    assert page.status_code == 200
    return {
        "actes": [(a["identifiant"], a["version"], a["fichiers"]["pdf"]["sha256"])
                  for a in seance["actes"]],
        "job": seance["liens"]["job"],
        "objets_csv": [r["DELIB_OBJET"] for r in csv_rows],
        "liste": pdf_text(client.get(f"/v1/seances/{SEANCE_ID}/liste.pdf").data),
        # The forms' CSRF tokens carry the second they were made: not what the page shows.
        "page": re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "csrf_token",
                       page.get_data(as_text=True)),
    }


@pytest.fixture
def data(dijon) -> dict[str, Any]:
    data, _ = sitting(dijon, 3)
    for i, delib in enumerate(data["deliberations"]):
        delib["objet"] = f"Objet initial du point {i + 1}"
    return data


def changed(data: dict[str, Any], *positions: int) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for i in positions:
        out["deliberations"][i]["objet"] = f"Objet corrigé du point {i + 1}"
    return out


def test_the_amendment_survives_every_kind_of_re_post(client: FlaskClient, data) -> None:
    first = generated(client, data)
    assert [a["statut"] for a in first["actes"]] == ["generee"] * 3
    ident0 = identifiant(data["deliberations"][0]["numero"])
    amend(client, ident0)

    # The same sitting again: every act kept, the amendment current.
    again = generated(client, data)
    assert (again["statut"], [a["statut"] for a in again["actes"]]) == (
        "terminee", ["conservee"] * 3)
    assert again["progression"] == {"faits": 3, "erreurs": 0, "total": 3}

    # Another act corrected: that one regenerated, the amended one kept.
    fixed = generated(client, changed(data, 1))
    assert [a["statut"] for a in fixed["actes"]] == ["conservee", "regeneree", "conservee"]
    record = client.get(f"/v1/actes/{ident0}").get_json()
    assert record["version"] == 2
    assert AMENDE in pdf_text(client.get(f"/v1/actes/{ident0}/document.pdf").data)

    # The amended act changed: the whole sitting refused, naming the act, the version and
    # the option; nothing changed.
    before = published(client)
    refused = post_sitting(client, changed(data, 0, 1))
    assert refused.status_code == 409, refused.get_data(as_text=True)
    problem = refused.get_json()
    assert problem["code"] == "seance-refusee"
    (violation,) = problem["violations"]
    assert (violation["champ"], violation["code"]) == ("deliberations[0]", "version-modifiee")
    assert f"?remplacer={ident0}:2" in violation["message"]
    assert published(client) == before

    # Replaced on purpose: regenerated, recorded with its author.
    replaced = generated(client, changed(data, 0, 1), f"?remplacer={ident0}:2")
    assert [a["statut"] for a in replaced["actes"]] == ["regeneree", "conservee", "conservee"]
    last = client.get(f"/v1/actes/{ident0}/versions").get_json()["versions"][-1]
    assert (last["numero"], last["remplace"], last["auteur"]) == (3, 2, "api")
    assert "Objet corrigé du point 1" in published(client)["objets_csv"]


def test_a_refused_re_post_leaves_list_csv_and_pages_unchanged(client: FlaskClient,
                                                               data) -> None:
    generated(client, data)
    ident2 = identifiant(data["deliberations"][2]["numero"])
    resp = client.post(f"/v1/actes/{ident2}/accuse-reception",
                       json={"date_envoi": "2019-12-20", "date_reception": "2019-12-21"})
    assert resp.status_code == 200
    before = published(client)

    # Act 1 could change, act 2 was acknowledged: all or nothing.
    refused = post_sitting(client, changed(data, 1, 2))

    assert refused.status_code == 409
    violations = refused.get_json()["violations"]
    assert [(v["champ"], v["code"]) for v in violations] == [("deliberations[2]", "acte-transmis")]
    after = published(client)
    assert after == before
    assert after["objets_csv"] == [f"Objet initial du point {i}" for i in (1, 2, 3)]
    assert "Objet corrigé" not in after["liste"] and "Objet corrigé" not in after["page"]
    assert "Objet initial du point 3" in after["liste"] and "Objet initial du point 3" in (
        after["page"])


class HeldQueue:
    """A queue that runs nothing until told: an amendment lands in between."""

    def __init__(self) -> None:
        self.jobs: list[str] = []

    def enqueue_seance(self, job_id: str) -> None:
        self.jobs.append(job_id)


def test_an_amendment_landing_before_the_worker_is_kept_and_reported(app: Flask,
                                                                     client: FlaskClient,
                                                                     data) -> None:
    generated(client, data)
    ident0 = identifiant(data["deliberations"][0]["numero"])
    seances = application(app).seances
    seances.queue = queue = HeldQueue()
    resp = post_sitting(client, changed(data, 0, 1))
    assert resp.status_code == 202  # act 0 was a generated version then
    amend(client, ident0)

    (job_id,) = queue.jobs
    for position in range(3):
        seances.run_seance_act(job_id, position)

    job = client.get(f"/v1/jobs/{job_id}").get_json()
    assert job["statut"] == "echouee"
    assert [a["statut"] for a in job["actes"]] == ["refusee", "regeneree", "conservee"]
    (erreur,) = job["erreurs"]
    assert (erreur["position"], erreur["code"]) == (0, "version-modifiee")
    assert f"?remplacer={ident0}:2" in erreur["message"]
    assert AMENDE in pdf_text(client.get(f"/v1/actes/{ident0}/document.pdf").data)
    # The sitting publishes what its acts say: act 0 as stored, act 1 as regenerated.
    shown = published(client)
    assert shown["objets_csv"] == ["Objet initial du point 1", "Objet corrigé du point 2",
                                   "Objet initial du point 3"]
    assert "Objet corrigé du point 1" not in shown["liste"] + shown["page"]
    assert "Objet corrigé du point 2" in shown["liste"]
