"""amend_acte: a clerk's DOCX becomes the next version, checked first, stamped when due."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes.world import DIJON_ID, Ports, payload_of

from service.domain.access import Principal
from service.domain.dates_prefecture import PrefectureDates
from service.errors import Conflict, DocumentRejected, NotFound, StaleRead
from service.services.amend import amend_acte
from service.services.generate import generate_acte

AMENDED = b"DOCX modifie par le greffe"


def generated(ports: Ports, data: dict) -> None:
    generate_acte(payload_of(data), auteur="api", **ports.generation())


def amend(ports: Ports, docx: bytes = AMENDED, **kwargs):
    return amend_acte(ports.repository, ports.converter, ports.stamper, ports.inspector,
                      DIJON_ID, docx, auteur=kwargs.pop("auteur", "greffe"), **kwargs)


def test_the_amended_docx_is_the_next_version_with_its_pdf(ports: Ports, data: dict) -> None:
    generated(ports, data)
    record = amend(ports)

    assert record.version == 2 and record.current.origine == "amendement"
    assert record.current.auteur == "greffe" and record.current.payload_sha256 is None
    assert ports.repository.read_file(DIJON_ID, 2, "docx") == AMENDED
    assert ports.repository.read_file(DIJON_ID, 2, "pdf") == b"%PDF-1.7\n" + AMENDED
    assert ports.repository.read_file(DIJON_ID, 1, "docx").startswith(b"DOCX " + DIJON_ID.encode())
    assert ports.converter.tenants == ["242100410", "242100410"]


def test_a_refused_document_leaves_no_trace_and_is_never_converted(ports: Ports, data: dict
                                                                  ) -> None:
    generated(ports, data)
    converted = len(ports.converter.converted)

    with pytest.raises(DocumentRejected) as info:
        amend(ports, b"DOCX avec vbaProject.bin")

    assert info.value.code == "docx-macro"
    assert len(ports.converter.converted) == converted
    assert ports.repository.get(DIJON_ID).version == 1


def test_an_outdated_expected_version_is_a_conflict_before_any_conversion(
    ports: Ports, data: dict
) -> None:
    generated(ports, data)
    amend(ports)
    converted = len(ports.converter.converted)

    with pytest.raises(Conflict, match="est à la version 2, et non 1"):
        amend(ports, b"DOCX autre", expected_version=1)
    assert len(ports.converter.converted) == converted
    assert amend(ports, b"DOCX autre", expected_version=2).version == 3


def test_the_same_docx_sent_again_is_no_new_version(ports: Ports, data: dict) -> None:
    generated(ports, data)
    first = amend(ports)
    converted = len(ports.converter.converted)
    again = amend(ports, auteur="autre")
    assert again.version == first.version == 2 and again.current.auteur == "greffe"
    assert len(ports.converter.converted) == converted


def test_an_unknown_act_or_another_authority_s_is_not_found(ports: Ports, data: dict) -> None:
    with pytest.raises(NotFound):
        amend(ports)
    generated(ports, data)
    other = Principal("autre", frozenset({"213502383"}))
    with pytest.raises(NotFound):
        amend(ports, principal=other)
    assert ports.inspector.inspected == 0  # nothing of the document was read for them
    assert amend(ports, principal=Principal("dijon", frozenset({"242100410"}))).version == 2


def test_an_acknowledged_act_keeps_its_stamp_after_an_amendment(ports: Ports, data: dict
                                                               ) -> None:
    # The sending date comes from the payload, the reception from the acknowledgement.
    data["transmission"] = {"date_envoi": "2019-12-20"}
    generated(ports, data)
    ports.repository.record_acknowledgement(
        DIJON_ID, dates=PrefectureDates(None, dt.date(2019, 12, 23), None),
        pdf_tamponne=None, auteur="prefecture")

    record = amend(ports)

    stamped = ports.repository.read_file(DIJON_ID, 2, "pdf_tamponne")
    assert record.statut == "acquittee" and stamped.startswith(b"%PDF-1.7\n" + AMENDED)
    assert stamped.endswith(b"Date de t\xc3\xa9l\xc3\xa9transmission : 20/12/2019 | "
                            b"Date de r\xc3\xa9ception pr\xc3\xa9fecture : 23/12/2019")


def test_an_acknowledgement_landing_during_the_conversion_is_on_the_new_version(
    ports: Ports, data: dict
) -> None:
    generated(ports, data)

    def acknowledged_meanwhile(_: str) -> None:
        ports.repository.record_acknowledgement(
            DIJON_ID, dates=PrefectureDates(dt.date(2019, 12, 20), dt.date(2019, 12, 21)),
            pdf_tamponne=None, auteur="prefecture")

    ports.repository.before_write = acknowledged_meanwhile
    record = amend(ports)

    assert record.version == 2 and record.statut == "acquittee"
    assert ports.repository.read_file(DIJON_ID, 2, "pdf_tamponne").endswith(
        b"pr\xc3\xa9fecture : 21/12/2019")
    assert len(ports.converter.converted) == 2  # restamped, not converted again


def test_acknowledgements_that_never_stop_landing_end_in_stale_read(ports: Ports, data: dict
                                                                   ) -> None:
    generated(ports, data)
    day = iter(range(1, 10))

    def again(_: str) -> None:
        ports.repository.record_acknowledgement(
            DIJON_ID,
            dates=PrefectureDates(dt.date(2019, 12, 20), dt.date(2019, 12, 20 + next(day))),
            pdf_tamponne=None, auteur="prefecture")
        ports.repository.before_write = again  # and again at the next write

    ports.repository.before_write = again
    with pytest.raises(StaleRead):
        amend(ports)
    assert ports.repository.get(DIJON_ID).version == 1
