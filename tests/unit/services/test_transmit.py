"""transmission_archive and acknowledge: the act sent to the prefecture, its receipt recorded
and stamped (the real ARActe and the XSD are exercised by the integration and e2e tests)."""

from __future__ import annotations

import datetime as dt
import tarfile
from io import BytesIO

import pytest
from fakes.world import DIJON_ID, Ports, payload_of

from service.domain.access import Principal
from service.errors import Conflict, DocumentRejected, InvalidPayload, MissingSetting, NotFound
from service.services.amend import amend_acte
from service.services.generate import generate_acte
from service.services.transmit import acknowledge, transmission_archive

TODAY = dt.date(2020, 1, 15)
SETTINGS = {"242100410": {
    "trigramme": "SIC", "arrondissement": "1", "nature": "31",
    "adresses_retour": ["actes@metropole-dijon.fr"], "classification_date_version": "2019-01-01",
}}


def ar_acte(id_acte: str = DIJON_ID, reception: str = "2019-12-23") -> bytes:
    """An ``ARActe`` as the prefecture sends it (the shape of shared/actes' real one)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<actes:ARActe xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
    actes:DateReception="{reception}" actes:IDActe="{id_acte}">
  <actes:ActeRecu actes:CodeNatureActe="1" actes:Date="2019-12-19"
      actes:NumeroInterne="2019-12-19_013">
    <actes:CodeMatiere1 actes:CodeMatiere="4"/>
    <actes:CodeMatiere2 actes:CodeMatiere="1"/>
    <actes:Objet>Création d’un poste</actes:Objet>
    <actes:ClassificationDateVersion>2019-01-01</actes:ClassificationDateVersion>
    <actes:Document><actes:NomFichier>99_DE-{id_acte}-1-1_1.pdf</actes:NomFichier></actes:Document>
    <actes:Annexes actes:Nombre="0"/>
    <actes:DocumentPapier>0</actes:DocumentPapier>
  </actes:ActeRecu>
  <actes:ClassificationDateVersionEnCours>2019-01-01</actes:ClassificationDateVersionEnCours>
</actes:ARActe>""".encode()


@pytest.fixture
def acte(ports: Ports, data: dict) -> str:
    data["transmission"] = {"date_envoi": "2019-12-20"}
    generate_acte(payload_of(data), auteur="api", **ports.generation())
    return DIJON_ID


def ack(ports: Ports, **kwargs):
    return acknowledge(ports.repository, ports.stamper, DIJON_ID, auteur="greffe", today=TODAY,
                       **kwargs)


def archive(ports: Ports, authorities=SETTINGS, **kwargs):
    return transmission_archive(ports.repository, DIJON_ID, authorities=authorities,
                                read_file=lambda name: b"", today=TODAY, **kwargs)


# -- the archive -----------------------------------------------------------------------------

def test_the_archive_carries_the_unstamped_pdf_named_as_the_operator_expects(
    ports: Ports, acte: str
) -> None:
    made = archive(ports)

    assert made.name == "SIC-EACT--242100410--20200115-1.tar.gz"
    assert made.names == ("EACT--242100410--20200115-1.xml", f"{DIJON_ID}-1-1_0.xml",
                          f"99_DE-{DIJON_ID}-1-1_1.pdf")
    with tarfile.open(fileobj=BytesIO(made.content)) as tar:
        pdf = tar.extractfile(made.names[2]).read()
    # The prefecture stamps what it receives: never the PDF already stamped.
    assert pdf == ports.repository.read_file(DIJON_ID, 1, "pdf") and b"[tampon]" not in pdf


def test_the_same_archive_keeps_its_name_and_an_amended_act_takes_the_day_s_next_serial(
    ports: Ports, acte: str
) -> None:
    first = archive(ports)
    assert archive(ports).name == first.name  # asked again: the same sending
    amend_acte(ports.repository, ports.converter, ports.stamper, ports.inspector, DIJON_ID,
               b"DOCX corrige", auteur="greffe")
    made = archive(ports)
    assert made.name == "SIC-EACT--242100410--20200115-2.tar.gz"
    assert made.member(f"99_DE-{DIJON_ID}-1-1_1.pdf") == b"%PDF-1.7\nDOCX corrige"
    assert ports.repository.allocate_serial("242100410", TODAY) == 3


def test_missing_settings_are_each_named(ports: Ports, acte: str) -> None:
    with pytest.raises(MissingSetting) as info:
        archive(ports, authorities={})
    fields = {v.champ for v in info.value.violations}
    assert "collectivite.teletransmission.trigramme" in fields


def test_another_authority_gets_no_archive(ports: Ports, acte: str) -> None:
    with pytest.raises(NotFound):
        archive(ports, principal=Principal("autre", frozenset({"213502383"})))


# -- the acknowledgement ---------------------------------------------------------------------

def test_an_aracte_records_the_receipt_and_stamps_both_dates(ports: Ports, acte: str) -> None:
    record = ack(ports, ar_xml=ar_acte())

    assert record.statut == "acquittee"
    assert (record.date_envoi, record.date_reception) == (dt.date(2019, 12, 20),
                                                          dt.date(2019, 12, 23))
    stamped = ports.repository.read_file(DIJON_ID, 1, "pdf_tamponne")
    # Stamped from the unstamped PDF: one mention, not one over the other.
    assert stamped.startswith(ports.repository.read_file(DIJON_ID, 1, "pdf"))
    assert stamped.count(b"[tampon]") == 1
    assert stamped.endswith("Date de télétransmission : 20/12/2019 | "
                            "Date de réception préfecture : 23/12/2019".encode())


def test_json_dates_are_merged_with_those_known(ports: Ports, acte: str) -> None:
    ack(ports, dates={"date_reception": "2019-12-23"})
    record = ack(ports, dates={"date_reception": "2019-12-23", "date_publication": "2019-12-27"})

    assert record.dates == (dt.date(2019, 12, 20), dt.date(2019, 12, 23),
                                       dt.date(2019, 12, 27))
    stamped = ports.repository.read_file(DIJON_ID, 1, "pdf_tamponne")
    assert stamped.count(b"[tampon]") == 1
    assert b"| Date de publication : 27/12/2019 |" in stamped


def test_an_aracte_of_another_act_is_a_conflict(ports: Ports, acte: str) -> None:
    with pytest.raises(Conflict) as info:
        ack(ports, ar_xml=ar_acte("021-242100410-20191219-2019-12-19_014-DE"))
    assert info.value.code == "accuse-autre-acte"
    assert ports.repository.get(DIJON_ID).statut == "transmise"


def test_an_anomaly_or_hostile_xml_is_refused(ports: Ports, acte: str) -> None:
    with pytest.raises(DocumentRejected):
        ack(ports, ar_xml=b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'e'>]><x>&e;</x>")


@pytest.mark.parametrize(("dates", "champ"), [
    ({"date_reception": "2019-12-18"}, "date_reception"),  # before the decision
    # After today (a day of margin is left for the prefecture's time zone).
    ({"date_reception": "2020-01-17"}, "date_reception"),
    ({"date_envoi": "2019-12-24", "date_reception": "2019-12-23"}, "date_reception"),
    ({}, "date_reception"),
    ({"date_reception": "pas une date"}, "date_reception"),
])
def test_impossible_dates_are_each_reported_and_nothing_changes(
    ports: Ports, acte: str, dates: dict, champ: str
) -> None:
    with pytest.raises(InvalidPayload) as info:
        ack(ports, dates=dates)
    assert champ in {v.champ for v in info.value.violations}
    record = ports.repository.get(DIJON_ID)
    assert record.date_reception is None and "pdf_tamponne" in record.current.files
    assert ports.repository.audit[-1][1] == "creation"


def test_an_amendment_landing_while_stamping_is_the_version_stamped(ports: Ports, acte: str
                                                                    ) -> None:
    def amended_meanwhile(_: str) -> None:
        amend_acte(ports.repository, ports.converter, ports.stamper, ports.inspector, DIJON_ID,
                   b"DOCX corrige", auteur="greffe")

    ports.repository.before_write = amended_meanwhile
    record = ack(ports, ar_xml=ar_acte())

    assert record.version == 2 and record.statut == "acquittee"
    stamped = ports.repository.read_file(DIJON_ID, 2, "pdf_tamponne")
    assert stamped.startswith(b"%PDF-1.7\nDOCX corrige\n[tampon]")
    assert stamped.endswith("réception préfecture : 23/12/2019".encode())
