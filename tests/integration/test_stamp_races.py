"""An acknowledgement and an amendment of the same act at the same time: whichever lands
second, the current version ends up stamped with the prefecture's dates, on its own PDF.

The races are forced, not hoped for: the fake converter records the acknowledgement in the
middle of the amendment's conversion, the fake stamper stores an amendment in the middle of
the acknowledgement's stamping. The repository is the real one, on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from service.adapters.storage import (
    FileBlobStore,
    SqlAlchemyActeRepository,
    make_engine,
    sqlite_url,
    upgrade,
)
from service.domain.mention import MentionPrefecture
from service.domain.payload import DeliberationPayload
from service.services.amend import amend_acte
from service.services.transmit import acknowledge

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
EXAMPLE = SHARED / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json"
IDENTIFIANT = "021-242100410-20191219-013-DE"
SIREN = "242100410"
RECEPTION = dt.date(2019, 12, 23)
TODAY = dt.date(2026, 11, 28)


class Stamper:
    """Writes the mention's dates after the PDF's bytes, so a test can read what was stamped."""

    def __init__(self) -> None:
        self.during_stamp = None

    def prepare(self, mention: MentionPrefecture) -> None:
        return None

    def stamp(self, pdf: bytes, mention: MentionPrefecture, prepared: object = None) -> bytes:
        if self.during_stamp is not None:
            hook, self.during_stamp = self.during_stamp, None
            hook()
        dates = f"envoi={mention.date_envoi} reception={mention.date_reception}"
        return pdf + f" |tampon {dates}".encode()


class Converter:
    def __init__(self) -> None:
        self.during_conversion = None

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        if self.during_conversion is not None:
            hook, self.during_conversion = self.during_conversion, None
            hook()
        return b"%PDF- converted from " + docx

    def to_pdf_many(self, docxs, *, labels=()):  # pragma: no cover - not used here
        return [self.to_pdf(d) for d in docxs]


class Inspector:
    def inspect_docx(self, data: bytes) -> None:
        return None


@pytest.fixture
def repo(tmp_path) -> SqlAlchemyActeRepository:
    engine = make_engine(sqlite_url(tmp_path / "data"))
    upgrade(engine)
    repo = SqlAlchemyActeRepository(engine, FileBlobStore(tmp_path / "blobs"))
    payload = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    payload.pop("transmission", None)  # not yet sent: the first PDF has no stamp
    repo.add_version(identifiant=IDENTIFIANT, siren=SIREN,
                     files={"docx": b"PK version 1", "pdf": b"%PDF- version 1"},
                     auteur="mairie", origine="payload",
                     payload=DeliberationPayload.model_validate(payload))
    yield repo
    engine.dispose()


def test_an_acknowledgement_during_an_amendments_conversion_stamps_the_amendment(repo):
    stamper, converter = Stamper(), Converter()
    converter.during_conversion = lambda: acknowledge(
        repo, stamper, IDENTIFIANT,
        dates={"date_envoi": "2019-12-20", "date_reception": "2019-12-23"},
        auteur="prefecture", today=TODAY)

    amended = amend_acte(repo, converter, stamper, Inspector(), IDENTIFIANT, b"PK corrected",
                         auteur="greffe")

    assert amended.version == 2 and amended.date_reception == RECEPTION
    assert repo.read_file(IDENTIFIANT, 2, "pdf_tamponne") == (
        b"%PDF- converted from PK corrected |tampon envoi=2019-12-20 reception=2019-12-23")


def test_an_amendment_during_an_acknowledgements_stamping_gets_the_stamp(repo):
    stamper = Stamper()
    stamper.during_stamp = lambda: repo.add_version(
        identifiant=IDENTIFIANT, siren=SIREN,
        files={"docx": b"PK version 2", "pdf": b"%PDF- version 2"},
        auteur="greffe", origine="amendement")

    acked = acknowledge(repo, stamper, IDENTIFIANT,
                        dates={"date_envoi": "2019-12-20", "date_reception": "2019-12-23"},
                        auteur="prefecture", today=TODAY)

    assert (acked.version, acked.statut, acked.date_reception) == (2, "acquittee", RECEPTION)
    # The stamp is on version 2's own PDF; version 1's stamped copy was never stored.
    assert repo.read_file(IDENTIFIANT, 2, "pdf_tamponne") == (
        b"%PDF- version 2 |tampon envoi=2019-12-20 reception=2019-12-23")
    assert "pdf_tamponne" not in repo.get(IDENTIFIANT).versions[0].files


def test_two_acknowledgements_at_once_leave_a_stamp_with_both_dates(repo):
    stamper = Stamper()
    stamper.during_stamp = lambda: acknowledge(
        repo, stamper, IDENTIFIANT, dates={"date_envoi": "2019-12-20"}, auteur="tdt",
        today=TODAY)

    acked = acknowledge(repo, stamper, IDENTIFIANT, dates={"date_reception": "2019-12-23"},
                        auteur="prefecture", today=TODAY)

    assert acked.dates == (dt.date(2019, 12, 20), RECEPTION, None)
    assert repo.read_file(IDENTIFIANT, 1, "pdf_tamponne") == (
        b"%PDF- version 1 |tampon envoi=2019-12-20 reception=2019-12-23")
