"""The act repository on SQLite and on the machine's real PostgreSQL.

PostgreSQL is expected on 127.0.0.1:5432 (trust authentication, user ``postgres``, database
``test``; ``ACTES_TEST_POSTGRES_URL`` overrides it). It is not optional: when it cannot be
reached the PostgreSQL tests fail. Each test gets a fresh schema in a database created for the
session and dropped after it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from workers_support import fresh_postgres_database

from service.adapters.storage import (
    DatabaseBlobStore,
    FileBlobStore,
    SqlAlchemyActeRepository,
    make_engine,
    sqlite_url,
    upgrade,
)
from service.adapters.storage import blobs as blobs_module
from service.adapters.storage.engine import alembic_config, current_revision
from service.adapters.storage.tables import metadata
from service.domain.canonical import canonical_json
from service.domain.dates_prefecture import PrefectureDates
from service.domain.payload import DeliberationPayload
from service.errors import Conflict, NotFound, ServiceError, StaleRead

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
EXAMPLE = SHARED / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json"
IDENTIFIANT = "021-242100410-20191219-013-DE"
SIREN = "242100410"


@pytest.fixture(scope="session")
def postgres_database():
    """Yield the URL of a database created for this session, dropped afterwards."""
    with fresh_postgres_database() as url:
        yield sa.make_url(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """Return the URL of an empty database on each backend."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "data")
    url = request.getfixturevalue("postgres_database")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = make_engine(url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def repo(engine, tmp_path) -> SqlAlchemyActeRepository:
    return SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))


@pytest.fixture(scope="session")
def payload() -> DeliberationPayload:
    return DeliberationPayload.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))


def changed(payload: DeliberationPayload) -> DeliberationPayload:
    """Return *payload* with the authority's name written otherwise."""
    return DeliberationPayload.model_validate_json(
        canonical_json(payload).replace("Dijon", "DIJON"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def documents(tag: str) -> dict[str, bytes]:
    """Return distinct DOCX and PDF stand-ins; the repository stores bytes, whatever they are."""
    return {
        "docx": b"PK\x03\x04 word/document.xml " + tag.encode() * 200,
        "pdf": b"%PDF-1.7\n" + tag.encode() * 300 + b"\n%%EOF\n",
    }


def add_payload(repo, payload: DeliberationPayload, files: dict[str, bytes], **kwargs):
    return repo.add_version(
        identifiant=IDENTIFIANT,
        siren=SIREN,
        files=files,
        auteur="mairie-dijon",
        origine="payload",
        payload=payload,
        **kwargs,
    )


def add_amendment(repo, docx: bytes, **kwargs):
    return repo.add_version(
        identifiant=IDENTIFIANT,
        siren=SIREN,
        files={"docx": docx},
        auteur="greffe",
        origine="amendement",
        **kwargs,
    )


def test_a_version_and_its_files_read_back_as_written(repo, payload):
    files = documents("v1")
    record, created = add_payload(repo, payload, files)

    assert created
    assert (record.identifiant, record.siren, record.version, record.statut) == (
        IDENTIFIANT,
        SIREN,
        1,
        "generee",
    )
    assert record.created_at.tzinfo is not None
    v1 = record.current
    assert (v1.numero, v1.auteur, v1.origine) == (1, "mairie-dijon", "payload")
    # The hash of the payload's canonical text: a retry sent otherwise spaced is recognised.
    assert v1.payload_sha256 == sha(canonical_json(payload).encode())
    assert {k: (f.sha256, f.size) for k, f in v1.files.items()} == {
        k: (sha(data), len(data)) for k, data in files.items()
    }
    assert v1.files["pdf"].media_type == "application/pdf"
    assert v1.files["docx"].media_type.endswith("wordprocessingml.document")
    for kind, data in files.items():
        assert repo.read_file(IDENTIFIANT, 1, kind) == data
    assert repo.payload(IDENTIFIANT) == payload
    assert repo.get(IDENTIFIANT) == record
    assert repo.get("021-242100410-20191219-999-DE") is None


def test_the_same_payload_again_is_no_new_version(repo, payload):
    first, _ = add_payload(repo, payload, documents("v1"))
    # An upstream retry: the rendering may differ by a byte, the payload is the same.
    again, created = add_payload(repo, payload, documents("v1 rendered again"))

    assert not created
    assert again == first
    other = changed(payload)
    second, created = add_payload(repo, other, documents("v2"))
    assert created
    assert [v.numero for v in second.versions] == [1, 2]
    assert repo.payload(IDENTIFIANT, 1) == payload
    assert repo.payload(IDENTIFIANT) == other
    assert repo.read_file(IDENTIFIANT, 1, "pdf") == documents("v1")["pdf"]


def test_after_the_acknowledgement_only_an_amendment_changes_the_act(repo, payload):
    add_payload(repo, payload, documents("v1"))
    stamped = b"%PDF-1.7\n stamped " * 50
    acked = repo.record_acknowledgement(
        IDENTIFIANT,
        dates=PrefectureDates(dt.date(2019, 12, 20), dt.date(2019, 12, 23), None),
        pdf_tamponne=stamped,
        auteur="prefecture",
    )
    assert acked.statut == "acquittee"
    assert (acked.date_envoi, acked.date_reception) == (
        dt.date(2019, 12, 20),
        dt.date(2019, 12, 23),
    )
    assert acked.current.files["pdf_tamponne"].sha256 == sha(stamped)
    assert repo.read_file(IDENTIFIANT, 1, "pdf_tamponne") == stamped

    with pytest.raises(Conflict) as err:
        add_payload(repo, changed(payload), documents("v2"))
    assert "transmis" in err.value.message
    assert f"PUT /v1/actes/{IDENTIFIANT}/document.docx" in err.value.message
    assert "annulez" in err.value.message
    assert repo.get(IDENTIFIANT).version == 1
    _, created = add_payload(repo, payload, documents("v1"))  # a retry is still answered
    assert not created

    amended, created = add_amendment(repo, b"PK amended docx", expected_version=1)
    assert created and amended.version == 2 and amended.current.origine == "amendement"
    assert amended.current.payload_sha256 is None
    assert repo.payload(IDENTIFIANT) is None
    # A later publication date keeps the dates already known.
    published = repo.record_acknowledgement(
        IDENTIFIANT,
        dates=PrefectureDates(date_publication=dt.date(2019, 12, 24)),
        pdf_tamponne=None,
        auteur="prefecture",
    )
    assert (published.date_reception, published.date_publication) == (
        dt.date(2019, 12, 23),
        dt.date(2019, 12, 24),
    )
    actions = [(e.action, e.auteur) for e in repo.audit_log(IDENTIFIANT)]
    assert actions == [
        ("creation", "mairie-dijon"),
        ("accuse-reception", "prefecture"),
        ("amendement", "greffe"),
        ("accuse-reception", "prefecture"),
    ]


def test_an_amendment_of_a_stale_version_conflicts(repo, payload):
    add_payload(repo, payload, documents("v1"))
    add_amendment(repo, b"PK first clerk", expected_version=1)

    with pytest.raises(Conflict) as err:
        add_amendment(repo, b"PK second clerk", expected_version=1)
    assert "version 2" in err.value.message
    record = repo.get(IDENTIFIANT)
    assert record.version == 2
    assert repo.read_file(IDENTIFIANT, 2, "docx") == b"PK first clerk"


def test_a_stamp_of_a_version_no_longer_current_is_refused_and_nothing_changes(
    repo, payload
):
    add_payload(repo, payload, documents("v1"))
    add_amendment(repo, b"PK amended while version 1 was stamped")

    with pytest.raises(StaleRead) as err:
        repo.record_acknowledgement(
            IDENTIFIANT, dates=PrefectureDates(dt.date(2019, 12, 20), dt.date(2019, 12, 23)),
            pdf_tamponne=b"%PDF- stamp of version 1", auteur="prefecture",
            version=1,
        )
    assert "version 2" in err.value.message
    record = repo.get(IDENTIFIANT)
    assert (record.statut, record.dates) == ("generee", (None, None, None))
    assert "pdf_tamponne" not in record.current.files
    assert [e.action for e in repo.audit_log(IDENTIFIANT)] == ["creation", "amendement"]


def test_an_amendment_stamped_before_an_acknowledgement_is_refused_and_nothing_changes(
    repo, payload
):
    add_payload(repo, payload, documents("v1"))
    repo.record_acknowledgement(
        IDENTIFIANT, dates=PrefectureDates(dt.date(2019, 12, 20), dt.date(2019, 12, 23)),
        pdf_tamponne=None, auteur="prefecture",
    )

    with pytest.raises(StaleRead):
        add_amendment(repo, b"PK stamped without the reception date",
                      expected_dates=(dt.date(2019, 12, 20), None, None))
    assert repo.get(IDENTIFIANT).version == 1

    amended, created = add_amendment(
        repo, b"PK stamped with it", expected_dates=(dt.date(2019, 12, 20),
                                                     dt.date(2019, 12, 23), None))
    assert created and amended.version == 2


def test_unknown_acts_versions_and_files_are_not_found(repo, payload):
    with pytest.raises(NotFound):
        add_amendment(repo, b"PK orphan")
    with pytest.raises(NotFound, match="introuvable"):
        repo.read_file(IDENTIFIANT, 1, "pdf")
    add_payload(repo, payload, {"docx": b"PK only a docx"})
    with pytest.raises(NotFound, match="pas de version 2"):
        repo.read_file(IDENTIFIANT, 2, "docx")
    with pytest.raises(NotFound, match="« pdf »"):
        repo.read_file(IDENTIFIANT, 1, "pdf")
    with pytest.raises(NotFound):
        repo.payload(IDENTIFIANT, 5)


def run_together(n: int, work):
    """Return the results of *work(i)* for i < n, started in n threads at the same instant."""
    barrier = threading.Barrier(n)

    def start(i):
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(start, range(n)))


def test_twenty_identical_first_posts_make_one_act_with_one_version(repo, engine, payload):
    results = run_together(20, lambda i: add_payload(repo, payload, documents("v1")))

    assert sorted(created for _, created in results) == [False] * 19 + [True]
    assert {record.version for record, _ in results} == {1}
    with engine.connect() as conn:
        counts = [
            conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("actes", "versions", "files", "audit")
        ]
    assert counts == [1, 1, 2, 1]


def test_ten_concurrent_amendments_are_numbered_without_gap_or_loss(repo, payload):
    add_payload(repo, payload, documents("v1"))
    docxs = [f"PK amendment by clerk {i}".encode() * 20 for i in range(10)]

    run_together(10, lambda i: add_amendment(repo, docxs[i]))

    record = repo.get(IDENTIFIANT)
    assert [v.numero for v in record.versions] == list(range(1, 12))
    stored = [repo.read_file(IDENTIFIANT, n, "docx") for n in range(2, 12)]
    assert sorted(stored) == sorted(docxs)


def test_migrations_create_the_schema_and_can_run_again(database_url, tmp_path, payload):
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        upgrade(database_url)
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert current_revision(engine) == head
        tables = set(sa.inspect(engine).get_table_names())
        assert {"actes", "versions", "files", "audit", "tokens", "blobs"} <= tables
        with engine.connect() as conn:
            # The revisions build exactly what the models describe.
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        repo = SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))
        record, _ = add_payload(repo, payload, documents("v1"))

        upgrade(engine)

        assert current_revision(engine) == head
        assert repo.get(IDENTIFIANT) == record
    finally:
        engine.dispose()


@pytest.mark.parametrize("store", ["disk", "database"])
def test_blobs_written_together_come_back_in_order_each_once(store, tmp_path, engine):
    blobs = FileBlobStore(tmp_path / "blobs") if store == "disk" else DatabaseBlobStore(engine)
    datas = [b"%PDF- a" * 100, b"PK b" * 100, b"%PDF- a" * 100, b"%PDF- c" * 100]

    refs = blobs.put_many(datas)

    assert refs == [sha(d) for d in datas]
    assert [blobs.get(ref) for ref in refs] == datas
    if store == "disk":
        assert sorted(p.name for p in (tmp_path / "blobs").rglob("*") if p.is_file()) == sorted(
            {sha(d) for d in datas})


@pytest.mark.parametrize("way", ["nameless file", "temporary name", "nameless file not linked"])
def test_a_blob_on_disk_is_written_once_and_never_replaced(tmp_path, monkeypatch, way):
    if way == "temporary name":  # where O_TMPFILE is missing
        monkeypatch.setattr(blobs_module, "_TMPFILE", 0)
    if way == "nameless file not linked":  # a file system refusing the /proc link (EPERM…)
        link = os.link

        def refusing(src, *args, **kwargs):
            if str(src).startswith("/proc/self/fd/"):
                raise PermissionError(1, "Operation not permitted")
            return link(src, *args, **kwargs)

        monkeypatch.setattr(os, "link", refusing)
    store = FileBlobStore(tmp_path / "blobs")
    data = os.urandom(100_000)

    ref = store.put(data)
    path = store.path(ref)
    before = path.stat()
    assert ref == sha(data) and path.parent.name == ref[:2]
    assert before.st_mode & 0o222 == 0  # read-only: a stored act is not edited in place
    assert store.put(data) == ref
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert store.get(ref) == data
    assert path.read_bytes() == data

    many = os.urandom(50_000)
    refs = run_together(8, lambda i: store.put(many))
    assert set(refs) == {sha(many)} and store.get(sha(many)) == many
    assert not [p for p in (tmp_path / "blobs").rglob("*") if p.name.startswith(".tmp")]


def test_a_blob_altered_on_disk_is_refused(tmp_path):
    store = FileBlobStore(tmp_path / "blobs")
    ref = store.put(b"%PDF original")
    path = store.path(ref)
    path.chmod(0o644)
    path.write_bytes(b"%PDF altered!")

    with pytest.raises(ServiceError, match="altéré"):
        store.get(ref)
    with pytest.raises(NotFound):
        store.get(sha(b"never stored"))


def test_the_database_blob_store_serves_the_repository(engine, payload):
    store = DatabaseBlobStore(engine)
    data = os.urandom(200_000)
    assert store.put(data) == store.put(data) == sha(data)
    assert store.get(sha(data)) == data
    with pytest.raises(NotFound):
        store.get(sha(b"never stored"))

    repo = SqlAlchemyActeRepository(engine, store)
    files = documents("in the database")
    add_payload(repo, payload, files)
    run_together(4, lambda i: add_amendment(repo, f"PK clerk {i}".encode()))

    assert repo.read_file(IDENTIFIANT, 1, "pdf") == files["pdf"]
    assert repo.get(IDENTIFIANT).version == 5
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM blobs")).scalar() == 7


def test_times_written_by_prepared_statements_read_as_those_written_through_sqlalchemy(
        repo, engine, payload):
    # The act's row goes through Connection.execute, its version, files and audit line straight
    # to sqlite3 (prepared.py): on SQLite the stored texts must be the same, or comparisons of
    # times in SQL would go wrong.
    add_payload(repo, payload, documents("v1"))
    with engine.connect() as conn:
        same = conn.execute(sa.text(
            "SELECT count(*) FROM actes JOIN versions ON versions.acte_id = actes.id "
            "JOIN files ON files.version_id = versions.id JOIN audit ON audit.acte_id = actes.id "
            "WHERE versions.created_at = actes.updated_at AND files.created_at = actes.updated_at "
            "AND audit.at = actes.updated_at")).scalar()
    assert same == 2  # two files
