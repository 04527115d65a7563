"""sign_acte and attach_signed_pdf against the fakes: who signs, over what, and what is kept
(the PAdES signatures themselves are tested with real keys in tests/integration)."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes import FakeSigner, FakeVerifier
from fakes.world import DIJON_ID, Ports, payload_of

from service.domain.dates_prefecture import PrefectureDates
from service.errors import Conflict, DocumentRejected, SigningNotConfigured
from service.services.amend import amend_acte
from service.services.generate import generate_acte
from service.services.signing import acte_signatures, attach_signed_pdf, sign_acte

PRESIDENT, SECRETAIRE = "François REBSAMEN", "Nuray AKPINAR-ISTIQUAM"
KEYS = FakeSigner({"242100410": {PRESIDENT, SECRETAIRE}})


@pytest.fixture
def acte(ports: Ports, data: dict) -> str:
    generate_acte(payload_of(data), auteur="api", **ports.generation())
    return DIJON_ID


def sign(ports: Ports, signer: FakeSigner = KEYS):
    return sign_acte(ports.repository, signer, ports.stamper, DIJON_ID, auteur="greffe")


def test_the_president_then_the_secretary_sign_the_pdf(ports: Ports, acte: str) -> None:
    record = sign(ports)
    pdf = ports.repository.read_file(DIJON_ID, 1, "pdf")
    signed = ports.repository.read_file(DIJON_ID, 1, "pdf_signe")
    assert signed == pdf + f"\n[signature] {PRESIDENT}\n[signature] {SECRETAIRE}".encode()
    assert "pdf_tamponne" not in record.current.files
    assert acte_signatures(ports.repository, FakeVerifier(), DIJON_ID).statut == "signee"


def test_a_version_is_signed_once(ports: Ports, acte: str) -> None:
    sign(ports)
    with pytest.raises(Conflict) as info:
        sign(ports)
    assert info.value.code == "acte-deja-signe"


def test_without_a_key_nothing_is_signed(ports: Ports, acte: str) -> None:
    with pytest.raises(SigningNotConfigured):
        sign(ports, FakeSigner())
    assert "pdf_signe" not in ports.repository.get(DIJON_ID).current.files


def test_a_stamped_act_is_signed_over_its_stamp(ports: Ports, acte: str) -> None:
    ports.repository.record_acknowledgement(
        DIJON_ID, dates=PrefectureDates(dt.date(2019, 12, 20), None, None),
        pdf_tamponne=b"%PDF-1.7\nstamped", auteur="prefecture")
    record = sign(ports)
    signed = ports.repository.read_file(DIJON_ID, 1, "pdf_signe")
    assert signed.startswith(b"%PDF-1.7\nstamped\n[signature]")
    # The signed PDF is the one published: the stamped file is it.
    assert ports.repository.read_file(DIJON_ID, 1, "pdf_tamponne") == signed
    assert set(record.current.files) == {"docx", "pdf", "pdf_signe", "pdf_tamponne"}


def test_an_amendment_loses_the_signatures(ports: Ports, acte: str) -> None:
    sign(ports)
    amend_acte(ports.repository, ports.converter, ports.stamper, ports.inspector, DIJON_ID,
               b"DOCX corrige", auteur="greffe")
    statut = acte_signatures(ports.repository, FakeVerifier(), DIJON_ID)
    assert (statut.statut, statut.version, statut.version_signee) == ("signatures-perdues", 2, 1)


def test_a_pdf_signed_elsewhere_is_kept_only_if_it_extends_the_act_s_own(ports: Ports,
                                                                        acte: str) -> None:
    own = ports.repository.read_file(DIJON_ID, 1, "pdf")

    def attach(pdf: bytes):
        return attach_signed_pdf(ports.repository, FakeVerifier(), ports.stamper, DIJON_ID, pdf,
                                 auteur="parapheur")

    with pytest.raises(DocumentRejected) as info:
        attach(b"%PDF-1.7\nun autre acte\n[signature] X")
    assert info.value.code == "pdf-signe-refuse"
    with pytest.raises(DocumentRejected, match="n'est pas une signature"):
        attach(own + b"\ntexte change")
    record = attach(own + b"\n[signature] Parapheur")
    assert ports.repository.read_file(DIJON_ID, 1, "pdf_signe") == own + b"\n[signature] Parapheur"
    assert "pdf_tamponne" not in record.current.files


def test_a_pdf_signed_from_an_earlier_version_is_refused(ports: Ports, acte: str) -> None:
    old = ports.repository.read_file(DIJON_ID, 1, "pdf")
    amend_acte(ports.repository, ports.converter, ports.stamper, ports.inspector, DIJON_ID,
               b"DOCX corrige", auteur="greffe")
    with pytest.raises(DocumentRejected) as info:
        attach_signed_pdf(ports.repository, FakeVerifier(), ports.stamper, DIJON_ID,
                          old + b"\n[signature] Parapheur", auteur="parapheur")
    assert info.value.code == "pdf-signe-version-anterieure"
