"""One place for the files the edges hand out: their names and their download response
(``service/entrypoints/downloads.py``)."""

from __future__ import annotations

from service.domain.records import MEDIA_TYPES
from service.entrypoints.downloads import (
    FICHIERS_SEANCE,
    FICHIERS_VERSION,
    NOMS_VERSION,
    PROCES_VERBAL,
    choix,
    download,
    download_kind,
    nom_document,
    nom_proces_verbal,
    nom_publie,
    nom_seance,
    nom_version,
)

IDENT = "021-242100410-20191219-2019-12-19_013-DE"


def test_every_stored_kind_of_file_has_one_name_in_the_urls() -> None:
    assert set(FICHIERS_VERSION.values()) == set(MEDIA_TYPES)
    assert {NOMS_VERSION[kind]: kind for kind in MEDIA_TYPES} == FICHIERS_VERSION
    assert NOMS_VERSION["pdf_tamponne"] == "document-tamponne.pdf"


def test_the_names_a_clerk_and_a_script_get() -> None:
    assert nom_document(IDENT, "pdf") == f"{IDENT}.pdf"
    assert nom_publie(IDENT, "docx") == f"{IDENT}-publie.docx"
    assert nom_version(IDENT, 2, "document-tamponne.pdf") == f"{IDENT}-v2-document-tamponne.pdf"
    assert nom_proces_verbal("2019-12-19", "pdf") == "proces-verbal-2019-12-19.pdf"
    assert PROCES_VERBAL.format(extension="docx") == "proces-verbal.docx"
    assert nom_seance("archive.zip", "s1") == "seance-s1.zip"
    assert nom_seance("liste.pdf", "s1") == "liste-s1.pdf"
    assert nom_seance("deliberations.csv", "s1") == "deliberations-s1.csv"
    assert FICHIERS_SEANCE["deliberations.csv"][0] == "text/csv; charset=utf-8"
    assert choix(["a.pdf", "b.docx"]) == "any('a.pdf','b.docx')"


def test_a_download_is_an_attachment_with_its_name_type_and_length() -> None:
    resp = download_kind(b"%PDF-1.7", "pdf_tamponne", nom_document(IDENT, "pdf"))
    assert resp.headers["Content-Disposition"] == f'attachment; filename="{IDENT}.pdf"'
    assert resp.headers["Content-Type"] == "application/pdf"
    assert resp.headers["Content-Length"] == "8"
    csv = download(b"a;b\n", FICHIERS_SEANCE["deliberations.csv"][0], "deliberations-s1.csv")
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.get_data() == b"a;b\n"
