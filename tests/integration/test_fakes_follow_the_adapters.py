"""The fakes of tests/fakes behave as the SQL adapters do, where a use case can tell.

The unit tests of the use cases run against the in-memory repository and seance store; the
same scenarios here run against them and against the real adapters on SQLite (PostgreSQL
behaves as SQLite does: tests/integration/test_storage.py and test_seance_store.py run both),
so a rule the fakes copy from the SQL adapters cannot drift from them unnoticed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes import InMemoryActeRepository, InMemorySeanceStore
from fakes.world import dijon_data
from workers_support import migrated_engine

from service.adapters.storage import FileBlobStore, SqlAlchemyActeRepository, SqlSeanceStore
from service.domain.dates_prefecture import PrefectureDates
from service.domain.payload import DeliberationPayload
from service.errors import Conflict, NotFound, StaleRead
from service.services.generate import canonical_json
from service.services.ports import ActeRepository, SeanceStore

IDENT = "021-242100410-20191219-2019-12-19_013-DE"
OTHER = "021-242100410-20191219-2019-12-19_014-DE"
SIREN = "242100410"
ENVOI, RECEPTION = dt.date(2019, 12, 20), dt.date(2019, 12, 23)


@pytest.fixture(params=["fake", "sqlite"])
def ports(request, tmp_path: Path) -> Iterator[tuple[ActeRepository, SeanceStore]]:
    if request.param == "fake":
        repository = InMemoryActeRepository()
        yield repository, InMemorySeanceStore(repository)
        return
    with migrated_engine("sqlite", tmp_path) as engine:
        yield (SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs")),
               SqlSeanceStore(engine))


@pytest.fixture
def repository(ports) -> ActeRepository:
    return ports[0]


@pytest.fixture
def store(ports) -> SeanceStore:
    return ports[1]


def version(n: int) -> DeliberationPayload:
    """Return the Dijon deliberation, its object numbered *n*."""
    data = dijon_data()
    data["deliberation"]["objet"] += f" ({n})"
    return DeliberationPayload.model_validate(data)


V1, V2 = version(1), version(2)


def add(repository: ActeRepository, payload: DeliberationPayload = V1, ident: str = IDENT,
        **kwargs):
    files = kwargs.pop("files", {"docx": b"docx " + canonical_json(payload).encode(),
                                 "pdf": b"%PDF- x"})
    if kwargs.get("origine") == "amendement":
        return repository.add_version(identifiant=ident, siren=kwargs.pop("siren", SIREN),
                                      files=files, auteur="greffe", **kwargs)
    return repository.add_version(
        identifiant=ident, siren=kwargs.pop("siren", SIREN), files=files, auteur="api",
        origine="payload", payload=payload, **kwargs)


def test_a_retry_of_the_same_payload_stores_nothing(repository) -> None:
    first, created = add(repository)
    again, created_again = add(repository)
    assert created and not created_again
    assert (again.version, again.current.payload_sha256) == (1, first.current.payload_sha256)
    assert add(repository, V2)[0].version == 2
    assert repository.payload(IDENT, 1) == V1
    assert repository.payload(IDENT) == V2


def test_the_status_follows_the_dates_and_a_transmitted_act_is_not_regenerated(
    repository,
) -> None:
    record, _ = add(repository, dates=PrefectureDates(ENVOI))
    assert (record.statut, record.date_envoi) == ("transmise", ENVOI)
    with pytest.raises(Conflict):
        add(repository, V2)
    amended, _ = add(repository, origine="amendement")  # a clerk may still correct it
    assert (amended.version, amended.statut, amended.current.payload_sha256) == (
        2, "transmise", None)
    assert repository.payload(IDENT, 2) is None


def test_optimistic_checks_refuse_stale_writers(repository) -> None:
    add(repository)
    with pytest.raises(Conflict):
        add(repository, origine="amendement", expected_version=2)
    with pytest.raises(StaleRead):
        add(repository, origine="amendement", expected_dates=PrefectureDates(ENVOI))
    with pytest.raises(NotFound):
        add(repository, origine="amendement", ident=OTHER)
    with pytest.raises(Conflict):
        add(repository, V2, siren="213502383")
    assert repository.get(IDENT).version == 1 and repository.get(OTHER) is None


def test_an_acknowledgement_keeps_known_dates_and_stamps_the_current_version(repository
                                                                            ) -> None:
    add(repository, dates=PrefectureDates(ENVOI))
    record = repository.record_acknowledgement(
        IDENT, dates=PrefectureDates(None, RECEPTION, None),
        pdf_tamponne=b"%PDF- tamponne", auteur="prefecture", version=1,
        expected_dates=PrefectureDates(ENVOI))
    assert record.statut == "acquittee"
    assert record.dates == (ENVOI, RECEPTION, None)
    assert repository.read_file(IDENT, 1, "pdf_tamponne") == b"%PDF- tamponne"
    assert "pdf_tamponne" in record.current.files
    with pytest.raises(StaleRead):
        repository.record_acknowledgement(
            IDENT, dates=PrefectureDates(None, RECEPTION, None),
            pdf_tamponne=None, auteur="prefecture", version=2)
    with pytest.raises(StaleRead):
        repository.record_acknowledgement(
            IDENT, dates=PrefectureDates(None, RECEPTION, None),
            pdf_tamponne=None, auteur="prefecture", expected_dates=PrefectureDates(ENVOI))
    with pytest.raises(NotFound):
        repository.record_acknowledgement(
            OTHER, dates=PrefectureDates(ENVOI, None, None),
            pdf_tamponne=None, auteur="prefecture")


def test_a_signature_replaces_the_signed_and_stamped_pdfs_of_the_version(repository) -> None:
    add(repository)
    repository.record_acknowledgement(
        IDENT, dates=PrefectureDates(ENVOI, None, None),
        pdf_tamponne=b"%PDF- tamponne", auteur="prefecture")
    record = repository.record_signature(
        IDENT, version=1, pdf_signe=b"%PDF- signe", pdf_tamponne=None, auteur="greffe",
        origine="externe")
    assert set(record.current.files) == {"docx", "pdf", "pdf_signe"}
    assert repository.read_file(IDENT, 1, "pdf_signe") == b"%PDF- signe"
    with pytest.raises(NotFound):
        repository.read_file(IDENT, 1, "pdf_tamponne")
    with pytest.raises(StaleRead):
        repository.record_signature(IDENT, version=2, pdf_signe=b"%PDF-", pdf_tamponne=None,
                                    auteur="greffe", origine="service")
    with pytest.raises(NotFound):
        repository.read_file(IDENT, 3, "pdf")


def test_the_listing_finds_an_act_by_numero_and_object(repository) -> None:
    add(repository, DeliberationPayload.model_validate(dijon_data()))
    [found] = repository.list_actes([SIREN], "gouvernance")
    assert (found.identifiant, found.numero, found.statut) == (IDENT, "2019-12-19_013", "generee")
    assert found.objet.startswith("Création d’un poste")
    assert repository.list_actes(["213502383"]) == []


def test_a_job_closes_once_no_act_waits_failed_when_one_did(store) -> None:
    job = store.submit(seance_id="s1", siren=SIREN, date=dt.date(2019, 12, 19),
                       payload_json="{}", identifiants=[IDENT, OTHER], auteur="api")
    assert job.statut == "en_attente" and [a.statut for a in job.actes] == ["en_attente"] * 2
    assert store.start_act(job.id, 0)
    assert store.get_job(job.id).statut == "en_cours"
    after_one = store.finish_act(job.id, 0)
    assert (after_one.finished, after_one.statut, after_one.done) == (False, "en_cours", 1)
    assert not store.start_act(job.id, 0)  # generated: a redelivery does nothing
    assert store.start_act(job.id, 1)
    progress = store.finish_act(job.id, 1, erreur=("conversion", "échec"))
    assert (progress.finished, progress.statut, progress.en_echec) == (True, "echouee", 1)
    done = store.get_job(job.id)
    assert done.finished and done.statut == "echouee"
    assert [(a.statut, a.tentatives, a.erreur_code) for a in done.actes] == [
        ("generee", 1, None), ("erreur", 1, "conversion")]
    assert store.job_payload(job.id) == "{}"
    with pytest.raises(NotFound):
        store.job_payload("inconnue")


def test_an_act_belongs_to_one_sitting_and_its_numero_is_found(store, repository) -> None:
    store.submit(seance_id="s1", siren=SIREN, date=dt.date(2019, 12, 19), payload_json="{}",
                 identifiants=[IDENT], auteur="api")
    with pytest.raises(Conflict):
        store.submit(seance_id="s2", siren=SIREN, date=dt.date(2019, 12, 19),
                     payload_json="{}", identifiants=[IDENT], auteur="api")
    again = store.submit(seance_id="s1", siren=SIREN, date=dt.date(2019, 12, 19),
                         payload_json="{}", identifiants=[IDENT], auteur="api")
    assert store.get_seance("s1").job_id == again.id
    add(repository, ident=OTHER)
    assert store.acts_with_numero(SIREN, ["2019-12-19_013", "2019-12-19_014"]) == [
        (IDENT, "s1"), (OTHER, None)]
    assert store.acts_with_numero("213502383", ["2019-12-19_013"]) == []


def test_a_transmission_keeps_its_serial_and_another_content_takes_the_next(repository
                                                                            ) -> None:
    add(repository)
    day = dt.date(2020, 1, 15)
    assert repository.transmission_envoi(IDENT, version=1, plateforme="EACT",
                                         contenu_sha256="a", jour=day) == (day, 1)
    later = dt.date(2020, 1, 16)
    assert repository.transmission_envoi(IDENT, version=1, plateforme="EACT",
                                         contenu_sha256="a", jour=later) == (day, 1)
    assert repository.transmission_envoi(IDENT, version=1, plateforme="EACT",
                                         contenu_sha256="b", jour=day) == (day, 2)
    assert repository.allocate_serial(SIREN, day) == 3
    assert repository.allocate_serial(SIREN, later) == 1
    with pytest.raises(StaleRead):
        repository.transmission_envoi(IDENT, version=2, plateforme="EACT",
                                      contenu_sha256="c", jour=day)


def test_reads_filtered_by_authority_see_nothing_of_another(repository, store) -> None:
    add(repository)
    job = store.submit(seance_id="s1", siren=SIREN, date=dt.date(2019, 12, 19),
                       payload_json="{}", identifiants=[OTHER], auteur="api")
    other = ["213502383"]
    assert repository.get(IDENT, sirens=other) is None
    assert repository.get(IDENT, sirens=[SIREN]).identifiant == IDENT
    assert store.get_seance("s1", sirens=other) is None
    assert store.get_job(job.id, sirens=other) is None
    assert store.get_job(job.id, sirens=[SIREN]).id == job.id


def test_a_replacement_is_recorded_and_a_refused_act_closes_its_job(repository, store) -> None:
    add(repository)
    add(repository, origine="amendement")
    record, created = add(repository, V2, remplace=2, motif="à la demande de l'api")
    assert created and (record.current.remplace, record.current.motif) == (
        2, "à la demande de l'api")
    job = store.submit(seance_id="s1", siren=SIREN, date=dt.date(2019, 12, 19),
                       payload_json="{}", identifiants=[IDENT, OTHER], auteur="api",
                       remplacements={IDENT: 2})
    assert store.get_job(job.id).remplacements == {IDENT: 2}
    store.start_act(job.id, 0)
    store.finish_act(job.id, 0, issue="conservee")
    store.start_act(job.id, 1)
    store.finish_act(job.id, 1, issue="refusee", erreur=("version-modifiee", "non"))
    done = store.get_job(job.id)
    assert (done.statut, done.done, [a.statut for a in done.actes]) == (
        "echouee", 1, ["conservee", "refusee"])
    assert not store.start_act(job.id, 0) and not store.start_act(job.id, 1)


def test_a_sitting_s_dates_are_recorded(store) -> None:
    store.submit(seance_id="s1", siren=SIREN, date=dt.date(2019, 12, 19), payload_json="{}",
                 identifiants=[IDENT], auteur="api")
    record = store.record_seance_date("s1", "liste_mise_en_ligne", dt.date(2019, 12, 23))
    assert (record.liste_mise_en_ligne, record.pv_arrete_le) == (dt.date(2019, 12, 23), None)
    assert store.get_seance("s1").liste_mise_en_ligne == dt.date(2019, 12, 23)
    with pytest.raises(NotFound):
        store.record_seance_date("inconnue", "pv_arrete_le", dt.date(2020, 1, 30))
    with pytest.raises(ValueError):
        store.record_seance_date("s1", "autre", dt.date(2020, 1, 30))


def test_what_runs_on_stored_decides_whether_the_version_is_kept(repository) -> None:
    def refuse(created: bool) -> None:
        raise RuntimeError(f"created={created}")

    with pytest.raises(RuntimeError, match="created=True"):
        add(repository, on_stored=refuse)
    assert repository.get(IDENT) is None
    seen: list[bool] = []
    add(repository, on_stored=seen.append)
    add(repository, on_stored=seen.append)  # a retry
    assert seen == [True, False] and repository.get(IDENT).version == 1
