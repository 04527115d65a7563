"""The lists of the clerk's pages, in SQL (SQLite and the machine's PostgreSQL): an authority's
acts, searched by numéro or object, and its sittings, the latest first."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fakes.world import dijon_data
from workers_support import migrated_engine

from service.adapters.storage import (
    FileBlobStore,
    SqlAlchemyActeRepository,
    SqlSeanceStore,
)
from service.domain.payload import DeliberationPayload

DIJON, AUTRE = "242100410", "210600235"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path: Path):
    with migrated_engine(request.param, tmp_path) as engine:
        yield engine


@pytest.fixture
def repository(engine, tmp_path: Path) -> SqlAlchemyActeRepository:
    return SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))


def _generate(repository, siren: str, date: str, numero: str, objet: str) -> str:
    ident = f"021-{siren}-{date}-{numero}-DE"
    data = dijon_data()
    data["deliberation"].update(numero=numero, objet=objet)
    repository.add_version(identifiant=ident, siren=siren, files={"docx": b"d", "pdf": b"p"},
                           auteur="test", origine="payload",
                           payload=DeliberationPayload.model_validate(data))
    return ident


def test_acts_come_latest_decision_first_with_their_object(repository) -> None:
    ancien = _generate(repository, DIJON, "20190110", "2019-001", "Budget primitif 2019")
    recent = _generate(repository, DIJON, "20191219", "2019-12-19_013",
                       "Création d’un poste de responsable de la gouvernance des données")
    meme_jour = _generate(repository, DIJON, "20191219", "2019-12-19_014", "Tarifs")
    _generate(repository, AUTRE, "20200101", "A1", "Acte d'une autre collectivité")
    # An amendment keeps the object of the payload the act was generated from.
    repository.add_version(identifiant=recent, siren=DIJON, files={"docx": b"d2"},
                           auteur="greffe", origine="amendement")

    found = repository.list_actes({DIJON})
    assert [a.identifiant for a in found] == [meme_jour, recent, ancien]
    second = found[1]
    assert (second.numero, second.date, second.version, second.statut) == (
        "2019-12-19_013", dt.date(2019, 12, 19), 2, "generee")
    assert second.objet == "Création d’un poste de responsable de la gouvernance des données"
    assert [a.identifiant for a in repository.list_actes({DIJON}, limit=1)] == [meme_jour]
    assert len(repository.list_actes(None)) == 4
    assert repository.list_actes(set()) == []
    assert [a.identifiant for a in repository.list_actes(None, identifiants=[ancien])] == [ancien]


@pytest.mark.parametrize(("query", "numeros"), [
    ("GOUVERNANCE des donnees", ["2019-12-19_013"]),   # case and accents aside
    ("2019-12-19", ["2019-12-19_014", "2019-12-19_013"]),
    ("budget", ["2019-001"]),
    ("autre collectivité", []),                          # another authority's act
    ("introuvable", []),
])
def test_search_by_numero_or_object(repository, query: str, numeros: list[str]) -> None:
    _generate(repository, DIJON, "20190110", "2019-001", "Budget primitif 2019")
    _generate(repository, DIJON, "20191219", "2019-12-19_013",
              "Création d’un poste de responsable de la gouvernance des données")
    _generate(repository, DIJON, "20191219", "2019-12-19_014", "Tarifs")
    _generate(repository, AUTRE, "20200101", "A1", "Acte d'une autre collectivité")
    assert [a.numero for a in repository.list_actes({DIJON}, query)] == numeros


def test_sittings_come_latest_first_with_their_job(engine) -> None:
    store = SqlSeanceStore(engine)
    for seance_id, siren, day, idents in [
        ("021-242100410-20191114", DIJON, dt.date(2019, 11, 14), ["S1-1"]),
        ("021-242100410-20191219", DIJON, dt.date(2019, 12, 19), ["S2-1", "S2-2", "S2-3"]),
        ("021-210600235-20200101", AUTRE, dt.date(2020, 1, 1), ["S3-1"]),
    ]:
        job = store.submit(seance_id=seance_id, siren=siren, date=day, payload_json="{}",
                           identifiants=idents, auteur="test")
    store.finish_act(job.id, 0)

    found = store.list_seances({DIJON})
    assert [(s.id, s.nombre_actes, s.statut_job) for s in found] == [
        ("021-242100410-20191219", 3, "en_attente"),
        ("021-242100410-20191114", 1, "en_attente"),
    ]
    assert [s.statut_job for s in store.list_seances({AUTRE})] == ["terminee"]
    assert len(store.list_seances(None, limit=2)) == 2
    assert store.list_seances(set()) == []
