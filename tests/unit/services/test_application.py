"""The application services as the edges get them from the composition root: wired to fakes
of every port (no LibreOffice, no SQL), they answer what the routes and the CLI ask."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from fakes import InMemoryTokenStore
from fakes.world import DIJON_ID, EXAMPLES, Ports

from service.bootstrap import Application, wire
from service.config import Settings
from service.domain.proces_verbal import proces_verbal_id
from service.errors import Conflict, NotFound, Unauthorized
from service.services.application.lazy import Lazy

SEANCE_ID = "021-242100410-20191219"


def application(ports: Ports, tmp_path: Path, tokens: InMemoryTokenStore | None = None
                ) -> Application:
    wired = wire(Settings(data_dir=tmp_path), renderer=ports.renderer, converter=ports.converter,
                 stamper=ports.stamper, repository=ports.repository, seance_store=ports.store,
                 tokens=tokens)
    wired.seances.queue = ports.queue
    return wired


def test_an_act_is_generated_read_and_acknowledged(ports: Ports, data: dict[str, Any],
                                                   tmp_path: Path) -> None:
    actes = application(ports, tmp_path).actes

    record, created = actes.generate(data, auteur="api")
    again, created_again = actes.generate(data, auteur="api")
    acknowledged = actes.acknowledge(DIJON_ID, dates={"date_envoi": "2019-12-20"},
                                     auteur="greffe")

    assert (record.identifiant, created, created_again) == (DIJON_ID, True, False)
    assert again == record and actes.get(DIJON_ID).version == 1
    assert acknowledged.statut == "transmise"
    assert actes.current_file(DIJON_ID, "pdf")[1] == "pdf_tamponne"
    assert [r.identifiant for r in actes.list_actes(None)] == [DIJON_ID]


def test_a_sitting_is_queued_then_run_act_by_act(ports: Ports, tmp_path: Path) -> None:
    seances = application(ports, tmp_path).seances
    data = json.loads((EXAMPLES / "seance.json").read_text(encoding="utf-8"))

    job = seances.submit_seance(data, auteur="api")
    assert ports.queue.enqueued == [job.id]
    for position in range(len(data["deliberations"])):
        seances.run_seance_act(job.id, position)

    record, actes = seances.get_seance(SEANCE_ID)
    assert seances.get_job(job.id).statut == "terminee"
    assert all(acte is not None and acte.version == 1 for acte in actes)
    assert [d.numero for d in seances.stored_seance(record, actes).deliberations] == [
        d["numero"] for d in data["deliberations"]]
    assert seances.stored_proces_verbal(record) is None  # made only when asked for
    assert seances.proces_verbal(SEANCE_ID, auteur="greffe").identifiant == proces_verbal_id(
        SEANCE_ID)


def test_a_proces_verbal_has_no_acknowledgement(ports: Ports, tmp_path: Path) -> None:
    actes = application(ports, tmp_path).actes
    with pytest.raises(NotFound):
        actes.acknowledge(proces_verbal_id(SEANCE_ID), dates={"date_envoi": "2019-12-20"},
                          auteur="greffe")


def test_one_day_for_every_use_case(ports: Ports, tmp_path: Path) -> None:
    wired = application(ports, tmp_path)
    wired.today = lambda: dt.date(2026, 3, 2)
    assert wired.actes.today() == wired.seances.today() == dt.date(2026, 3, 2)


def test_the_service_is_open_until_a_token_exists(ports: Ports, tmp_path: Path) -> None:
    tokens = InMemoryTokenStore()
    access = application(ports, tmp_path, tokens).access
    assert access.is_open() and access.authenticate(None) is None

    token = tokens.create("greffe", ["242100410"])

    assert not access.is_open()
    assert access.authenticate(token).name == "greffe"
    for refused in (None, "inconnu"):
        with pytest.raises(Unauthorized):
            access.authenticate(refused)


def test_a_session_ends_on_sign_out_and_with_its_token(ports: Ports, tmp_path: Path) -> None:
    tokens = InMemoryTokenStore()
    access = application(ports, tmp_path, tokens).access
    token = tokens.create("greffe", ["242100410"])

    principal, session = access.open_session(token)
    assert access.authenticate_session(session) == principal
    access.end_session(session)
    with pytest.raises(Unauthorized, match="Connectez-vous"):
        access.authenticate_session(session)

    _, other = access.open_session(token)
    tokens.revoke("greffe")
    with pytest.raises(Unauthorized):
        access.authenticate_session(other)
    with pytest.raises(Unauthorized):
        access.open_session(token)


def test_readiness_and_metrics_are_the_converters(ports: Ports, tmp_path: Path,
                                                  data: dict[str, Any]) -> None:
    wired = application(ports, tmp_path)
    wired.actes.generate(data, auteur="api")
    assert wired.health.is_ready()
    assert wired.health.metrics_text() == b"fake_conversions_total 1\n"

    ports.converter.ready = False

    assert not wired.health.is_ready()


def test_a_lazy_port_is_built_once_on_first_use() -> None:
    built: list[int] = []
    lazy = Lazy(lambda: built.append(1) or len(built))
    assert built == []
    assert (lazy(), lazy()) == (1, 1) and built == [1]


def test_closing_releases_the_adapters_last_opened_first(ports: Ports, tmp_path: Path) -> None:
    wired = application(ports, tmp_path)
    closed: list[str] = []
    wired._closers += [lambda: closed.append("converter"), lambda: closed.append("queue")]
    wired.close()
    wired.close()
    assert closed == ["queue", "converter"]


def test_acknowledging_a_stored_proces_verbal_is_a_conflict(ports: Ports, tmp_path: Path
                                                           ) -> None:
    wired = application(ports, tmp_path)
    data = json.loads((EXAMPLES / "seance.json").read_text(encoding="utf-8"))
    job = wired.seances.submit_seance(data, auteur="api")
    for position in range(len(data["deliberations"])):
        wired.seances.run_seance_act(job.id, position)
    pv = wired.seances.proces_verbal(SEANCE_ID, auteur="greffe")

    with pytest.raises(Conflict) as refused:
        wired.actes.acknowledge(pv.identifiant, dates={"date_envoi": "2019-12-20"},
                                auteur="greffe")
    assert refused.value.code == "proces-verbal-non-transmis"


def test_an_acts_resume_is_its_authoritys_only(ports: Ports, data: dict[str, Any],
                                               tmp_path: Path) -> None:
    from service.domain.access import Principal

    actes = application(ports, tmp_path).actes
    actes.generate(data, auteur="api")

    resume = actes.acte_resume(DIJON_ID, Principal("dijon", frozenset({"242100410"})))

    assert (resume.identifiant, resume.objet) == (
        DIJON_ID, "Création d’un poste de responsable de la gouvernance des données")
    for unknown, principal in ((DIJON_ID, Principal("lyon", frozenset({"200046977"}))),
                               (DIJON_ID.replace("_013", "_099"), None)):
        with pytest.raises(NotFound):
            actes.acte_resume(unknown, principal)
