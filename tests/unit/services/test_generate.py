"""generate_acte: one deliberation becomes an act, once; a retry changes nothing."""

from __future__ import annotations

import pytest
from fakes.world import DIJON_ID, Ports, payload_of

from service.errors import Conflict, ConversionError, Refused
from service.services.amend import amend_acte
from service.services.generate import generate_acte


def generate(ports: Ports, data: dict, auteur: str = "api"):
    return generate_acte(payload_of(data), auteur=auteur, **ports.generation())


def test_an_act_is_stored_with_its_docx_and_pdf(ports: Ports, data: dict) -> None:
    record, created = generate(ports, data)

    assert created and (record.identifiant, record.version, record.statut) == (
        DIJON_ID, 1, "generee")
    assert record.siren == "242100410" and record.current.origine == "payload"
    assert set(record.current.files) == {"docx", "pdf"}
    docx = ports.repository.read_file(DIJON_ID, 1, "docx")
    assert docx.decode() == (f"DOCX {DIJON_ID} : Création d’un poste de responsable de la "
                             "gouvernance des données")
    assert ports.repository.read_file(DIJON_ID, 1, "pdf") == b"%PDF-1.7\n" + docx
    assert ports.stamper.stamps == []  # no prefecture date: nothing to stamp
    # The conversion is queued as the authority's, for fairness between authorities.
    assert ports.converter.tenants == ["242100410"]


def test_a_retry_of_the_same_payload_renders_and_stores_nothing(ports: Ports, data: dict
                                                                ) -> None:
    first, _ = generate(ports, data)
    again, created = generate(ports, data, auteur="autre")

    assert not created and again == first
    assert ports.renderer.rendered == [DIJON_ID] and len(ports.converter.converted) == 1
    assert ports.repository.audit == [(DIJON_ID, "creation", "api")]


def test_a_changed_payload_is_a_new_version(ports: Ports, data: dict) -> None:
    generate(ports, data)
    data["deliberation"]["objet"] = "Objet corrigé"
    record, created = generate(ports, data)

    assert created and record.version == 2
    assert ports.repository.read_file(DIJON_ID, 2, "docx").endswith("Objet corrigé".encode())
    assert ports.repository.read_file(DIJON_ID, 1, "docx").endswith("données".encode())


def test_transmission_dates_stamp_the_pdf_and_set_the_status(ports: Ports, data: dict) -> None:
    data["transmission"] = {"date_envoi": "2019-12-20"}
    sent, _ = generate(ports, data)
    assert sent.statut == "transmise" and set(sent.current.files) == {"docx", "pdf",
                                                                        "pdf_tamponne"}
    stamped = ports.repository.read_file(DIJON_ID, 1, "pdf_tamponne")
    assert stamped.startswith(ports.repository.read_file(DIJON_ID, 1, "pdf"))
    assert stamped.endswith(f"[tampon] Accusé de réception en préfecture | {DIJON_ID} | "
                            "Date de télétransmission : 20/12/2019".encode())


def test_payload_dates_of_reception_make_the_act_acknowledged(ports: Ports, data: dict
                                                              ) -> None:
    data["transmission"] = {"date_envoi": "2019-12-20", "date_reception": "2019-12-20"}
    record, _ = generate(ports, data)
    assert record.statut == "acquittee"
    assert (record.date_envoi, record.date_reception) == (
        payload_of(data).transmission.date_envoi, payload_of(data).transmission.date_reception)


def test_an_act_transmitted_is_not_regenerated_from_a_new_payload(ports: Ports, data: dict
                                                                  ) -> None:
    data["transmission"] = {"date_envoi": "2019-12-20"}
    generate(ports, data)
    data["deliberation"]["objet"] = "Autre objet"

    with pytest.raises(Conflict, match="déjà été transmis"):
        generate(ports, data)
    record = ports.repository.get(DIJON_ID)
    assert record.version == 1 and record.statut == "transmise"


def test_a_failed_conversion_stores_nothing(ports: Ports, data: dict) -> None:
    ports.converter.fail = ConversionError("LibreOffice ne peut pas lire ce document.")
    with pytest.raises(ConversionError):
        generate(ports, data)
    assert ports.repository.get(DIJON_ID) is None


def test_a_new_payload_never_replaces_a_clerk_s_amendment_unless_named(ports: Ports, data: dict
                                                                       ) -> None:
    generate(ports, data)
    amend_acte(ports.repository, ports.converter, ports.stamper, ports.inspector, DIJON_ID,
               b"DOCX du greffe", auteur="greffe")
    data["deliberation"]["objet"] = "Objet corrigé en amont"

    with pytest.raises(Refused) as info:
        generate(ports, data)
    assert info.value.code == "version-modifiee" and "version 2" in info.value.message
    assert ports.repository.get(DIJON_ID).version == 2

    record, created = generate_acte(payload_of(data), auteur="api", remplacer={DIJON_ID: 2},
                                    **ports.generation())
    assert created and record.version == 3
    assert (record.current.remplace, record.current.origine) == (2, "payload")
    assert "remplace la version 2" in record.current.motif


def test_the_same_payload_over_an_amendment_keeps_the_amendment(ports: Ports, data: dict
                                                               ) -> None:
    generate(ports, data)
    amend_acte(ports.repository, ports.converter, ports.stamper, ports.inspector, DIJON_ID,
               b"DOCX du greffe", auteur="greffe")
    record, created = generate(ports, data)
    assert not created and record.version == 2 and record.current.origine == "amendement"
