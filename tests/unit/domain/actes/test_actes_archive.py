"""The generated archive against the real one: names, members, order, tar layout."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import io
import re
import stat
import tarfile
from pathlib import Path

import pytest
from lxml import etree

from service.domain.actes.archive import (
    ArchiveMember,
    archive_name,
    document_name,
    envelope_name,
    pack,
)
from service.domain.actes.settings import ReglagesActes
from service.domain.actes.transmission import build_cancellation, build_transmission
from service.domain.actes.xml import ACTES_NS

REAL = "SIC-EACT--210600730--20180115-1.tar.gz"
NS = {"actes": ACTES_NS}

ARCHIVE = re.compile(
    r"(?P<tri>[A-Z0-9]{3})-(?P<env>EACT--(?P<siren>[0-9]{9})--(?P<day>[0-9]{8})-(?P<serial>[0-9]+))\.tar\.gz"
)
ID = r"(?P<id>[0-9]{2}[0-9AB]-(?P<siren>[0-9]{9})-(?P<day>[0-9]{8})-.{1,15}-[A-Z]{2})"
MESSAGE = re.compile(ID + r"-1-1_0\.xml")
TYPE_PIECE = r"[A-Z0-9_]{5}"  # 99_DE, CO_DE


def _open(content: bytes) -> tarfile.TarFile:
    return tarfile.open(fileobj=io.BytesIO(content), mode="r:gz")


def _check_names(name: str, members: list[str]) -> None:
    """Assert the naming rules every archive follows, the real one as ours."""
    archive = ARCHIVE.fullmatch(name)
    assert archive, name
    assert members[0] == archive["env"] + ".xml"
    message = MESSAGE.fullmatch(members[1])
    assert message and message["siren"] == archive["siren"], members[1]
    for rank, member in enumerate(members[2:], start=1):
        pattern = f"{TYPE_PIECE}-{re.escape(message['id'])}-1-1_{rank}\\.(?:pdf|jpg|png)"
        assert re.fullmatch(pattern, member), member


def _role(name: str) -> str:
    if name.startswith("EACT--"):
        return "enveloppe"
    if MESSAGE.fullmatch(name):
        return "metadonnees"
    return "acte" if re.search(r"-1-1_1\.[a-z]+$", name) else "annexe"


@pytest.fixture(scope="module")
def real(actes_dir: Path) -> tuple[str, bytes]:
    return REAL, (actes_dir / REAL).read_bytes()


@pytest.fixture
def ours(
    make_payload,
    identifier_of,
    reglages: ReglagesActes,
    pdf: bytes,
    png: bytes,
    sending_day: dt.date,
):
    annexes = [
        {"titre": t, "nom_fichier": t, "contenu_base64": base64.b64encode(c).decode()}
        for t, c in (("Plan.pdf", pdf), ("Photo.png", png))
    ]
    payload = make_payload(annexes=annexes)
    return build_transmission(payload, identifier_of(payload), pdf, reglages, 3, sending_day)


def test_the_real_archive_follows_the_naming_rules(real: tuple[str, bytes]) -> None:
    name, content = real
    with _open(content) as tar:
        _check_names(name, tar.getnames())


def test_our_archive_follows_the_same_rules_in_the_same_order(
    ours, real: tuple[str, bytes]
) -> None:
    with _open(ours.content) as tar:
        names = tar.getnames()
    assert names == list(ours.names)
    _check_names(ours.name, names)
    assert ours.name == "SIC-EACT--242100410--20191220-3.tar.gz"
    assert names == [
        "EACT--242100410--20191220-3.xml",
        "021-242100410-20191219-2019-12-19_013-DE-1-1_0.xml",
        "99_DE-021-242100410-20191219-2019-12-19_013-DE-1-1_1.pdf",
        "99_DE-021-242100410-20191219-2019-12-19_013-DE-1-1_2.pdf",
        "99_DE-021-242100410-20191219-2019-12-19_013-DE-1-1_3.png",
    ]
    with _open(real[1]) as tar:
        real_names = tar.getnames()
    # Same roles in the same order: envelope, metadata, act, then the annexes.
    assert [_role(n) for n in names] == [_role(n) for n in real_names] + ["annexe", "annexe"]


def test_the_tar_layout_is_the_real_one(ours, real: tuple[str, bytes]) -> None:
    def layout(content: bytes) -> list[tuple]:
        with _open(content) as tar:
            # The real archive's mode also carries the file-type bits (0100644).
            return [
                (m.type, stat.S_IMODE(m.mode), m.uid, m.gid, m.uname, m.gname, "/" in m.name)
                for m in tar
            ]

    assert (
        set(layout(ours.content))
        == set(layout(real[1]))
        == {(tarfile.REGTYPE, 0o644, 0, 0, "", "", False)}
    )
    assert (
        gzip.decompress(ours.content)[257:265]
        == gzip.decompress(real[1])[257:265]
        == b"ustar\x0000"
    )


def test_the_members_hold_what_the_messages_name(
    ours, real: tuple[str, bytes], pdf: bytes, png: bytes
) -> None:
    for content in (ours.content, real[1]):
        with _open(content) as tar:
            names = tar.getnames()
            envelope = etree.fromstring(tar.extractfile(names[0]).read())
            metadata = etree.fromstring(tar.extractfile(names[1]).read())
        assert (
            envelope.findtext(
                "actes:FormulairesEnvoyes/actes:Formulaire/actes:NomFichier", namespaces=NS
            )
            == names[1]
        )
        assert metadata.findtext("actes:Document/actes:NomFichier", namespaces=NS) == names[2]
    with _open(ours.content) as tar:
        assert tar.extractfile(ours.names[2]).read() == pdf
        assert tar.extractfile(ours.names[4]).read() == png


def test_the_real_archive_messages_validate_too(
    real: tuple[str, bytes], schema: etree.XMLSchema
) -> None:
    with _open(real[1]) as tar:
        for name in tar.getnames()[:2]:
            assert schema.validate(etree.fromstring(tar.extractfile(name).read())), schema.error_log


def test_the_same_inputs_give_the_same_bytes(
    make_payload, identifier_of, reglages, pdf, sending_day
) -> None:
    payload = make_payload()
    first = build_transmission(payload, identifier_of(payload), pdf, reglages, 1, sending_day)
    again = build_transmission(payload, identifier_of(payload), pdf, reglages, 1, sending_day)
    later = build_transmission(
        payload, identifier_of(payload), pdf, reglages, 1, sending_day + dt.timedelta(days=1)
    )
    assert first.content == again.content
    assert later.content != first.content
    with _open(first.content) as tar:
        assert {m.mtime for m in tar} == {int(dt.datetime(2019, 12, 20, tzinfo=dt.UTC).timestamp())}


def test_a_cancellation_archive_holds_its_envelope_and_message(
    dijon, identifier_of, reglages, sending_day
) -> None:
    archive = build_cancellation(identifier_of(dijon), reglages, 2, sending_day)
    assert archive.names == (
        "EACT--242100410--20191220-2.xml",
        "021-242100410-20191219-2019-12-19_013-DE-6-1_0.xml",
    )
    assert archive.warnings  # the v1.1 IDActe pattern refuses this numéro
    envelope = etree.fromstring(archive.member(archive.names[0]))
    assert envelope.findtext(".//actes:NomFichier", namespaces=NS) == archive.names[1]


@pytest.mark.parametrize("trigramme", ["SI", "sic", "SICT", "S-C"])
def test_an_archive_name_needs_a_three_character_trigram(trigramme: str) -> None:
    with pytest.raises(ValueError, match="trigramme"):
        archive_name(trigramme, "242100410", dt.date(2019, 12, 20), 1)


def test_serials_and_ranks_start_at_one(dijon, identifier_of) -> None:
    with pytest.raises(ValueError, match="numéro d'envoi"):
        archive_name("SIC", "242100410", dt.date(2019, 12, 20), 0)
    with pytest.raises(ValueError, match="rang"):
        document_name(identifier_of(dijon), "99_DE", 0, "pdf")


@pytest.mark.parametrize("name", ["../etc/passwd", "dir/file.xml", ".hidden"])
def test_members_stay_flat(name: str) -> None:
    with pytest.raises(ValueError, match="nom de fichier"):
        pack([ArchiveMember(name, b"x")], dt.date(2019, 12, 20))


def test_the_test_platform_names_the_envelope_and_the_archive_tact() -> None:
    day = dt.date(2019, 12, 20)
    tact = archive_name("SIC", "242100410", day, 4, "TACT")
    assert tact == "SIC-TACT--242100410--20191220-4.tar.gz"
    assert envelope_name("242100410", day, 4, "TACT") == "TACT--242100410--20191220-4.xml"
    assert envelope_name("242100410", day, 4) == "EACT--242100410--20191220-4.xml"
    with pytest.raises(ValueError, match="plateforme"):
        envelope_name("242100410", day, 4, "ACTE")


@pytest.mark.parametrize("serial", [0, 10000])
def test_a_serial_is_1_to_9999_as_the_operators_counter(serial: int) -> None:
    with pytest.raises(ValueError, match="9999"):
        envelope_name("242100410", dt.date(2019, 12, 20), serial)
