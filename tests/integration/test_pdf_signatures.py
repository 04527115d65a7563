"""Signing an act with pyHanko, stamping it afterwards, and what the validator says.

The act is a real one (the Dijon extract moved to 2024, converted by LibreOffice); the
président signs with a PKCS#12 file, the secretary with a key generated inside a SoftHSM2
token. The stamp comes from a real ARActe of ../shared/actes.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from io import BytesIO
from pathlib import Path

import pytest
from pdftext import pdf_fonts, pdf_text, pdfa_declaration
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.diff_analysis import ModificationLevel
from signing_support import (
    PASSPHRASES,
    PRESIDENT,
    SECRETAIRE,
    TimestampAuthority,
    act_2024,
    pyhanko_statuses,
    write_pki,
)
from softhsm import PIN_ENV, TOKEN_LABEL, ensure_token, generate_signer, module_path
from template_support import dijon_data, render

from service.adapters.libreoffice.soffice_cli import SofficeCliConverter
from service.adapters.pdf_sign.placement import locate
from service.adapters.pdf_sign.signer import PadesSigner
from service.adapters.pdf_sign.validator import PadesVerifier
from service.adapters.pdf_stamp import IncrementalStamper
from service.domain.actes.acknowledgement import parse_ar_acte
from service.domain.mention import MentionPrefecture
from service.domain.paris import aujourd_hui_a_paris
from service.domain.payload import DeliberationPayload
from service.domain.signatures import signataires
from service.errors import Conflict, SignatureError, SigningNotConfigured

pytestmark = pytest.mark.libreoffice

# Unique in the token: a token kept from an earlier run may hold the labels it generated.
KEY_LABEL = f"secretaire-{uuid.uuid4().hex[:8]}"

SIREN = "242100410"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """The act's PDF, its signatories, the test PKI, a token key for the secretary."""
    folder = tmp_path_factory.mktemp("signatures")
    os.environ["SOFTHSM2_CONF"] = ensure_token(folder / "softhsm")
    files = write_pki(folder / "pki")
    secretary = generate_signer(files.pki, SECRETAIRE, KEY_LABEL)
    data = act_2024(dijon_data())
    pdf = SofficeCliConverter().to_pdf(render(data), label="signatures")
    return {
        "pdf": pdf, "files": files, "folder": folder,
        "signataires": signataires(DeliberationPayload.model_validate(data)),
        "identifiant": "021-242100410-20240315-2024-03-15_013-DE",
        "secretary": secretary,
    }


def _authorities(world, **extra) -> dict:
    files = world["files"]
    return {SIREN: {"signature": {
        "president": {"pkcs12": str(files.president_p12),
                      "passphrase_env": "ACTES_TEST_P12_PRESIDENT"},
        "secretaires": [{"pkcs11": {"module": module_path(), "token": TOKEN_LABEL,
                                    "key": KEY_LABEL, "pin_env": PIN_ENV}}],
        **extra,
    }}}


def _environ() -> dict[str, str]:
    return {**PASSPHRASES, PIN_ENV: os.environ.get(PIN_ENV, "4321-test")}


@pytest.fixture(scope="module")
def signed(world) -> bytes:
    return PadesSigner(_authorities(world), environ=_environ()).sign(
        world["pdf"], SIREN, world["signataires"])


@pytest.fixture(scope="module")
def stamped(world, signed, shared_dir) -> bytes:
    real = (shared_dir / "actes" / "006-210600235-20180522-684-AI-1-2_5279.xml").read_bytes()
    ar = parse_ar_acte(real.replace(b"006-210600235-20180522-684-AI",
                                    world["identifiant"].encode()))
    mention = MentionPrefecture(ar.id_acte, dt.date(2024, 3, 18), ar.date_reception)
    return IncrementalStamper().stamp(signed, mention)


def test_both_signatures_stay_intact_and_trusted_under_the_stamp(world, stamped) -> None:
    statuses = pyhanko_statuses(stamped, world["files"].root)

    assert [s.signing_cert.subject.native["common_name"] for s in statuses] == [
        PRESIDENT, SECRETAIRE]
    for status in statuses:
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.modification_level == ModificationLevel.ANNOTATIONS
        assert status.docmdp_ok and status.bottom_line


def test_the_stamp_shows_on_page_1_and_the_act_still_declares_pdfa_2b(world, stamped) -> None:
    assert "Accusé de réception en préfecture" in pdf_text(stamped, 1, 1)
    assert world["identifiant"] in pdf_text(stamped, 1, 1)
    assert pdfa_declaration(stamped) == ("2", "B")
    assert [f["name"] for f in pdf_fonts(stamped) if f["emb"] != "yes"] == []
    assert stamped.startswith(world["pdf"])  # the act's own bytes, untouched


def test_each_signature_is_visible_in_its_block_with_name_qualite_and_date(world, signed):
    places = locate(world["pdf"], [PRESIDENT, SECRETAIRE])
    assert all(p is not None for p in places)
    last = pdf_text(signed, places[0].page + 1, places[0].page + 1)
    today = aujourd_hui_a_paris().strftime("%d/%m/%Y")
    # Block heading, then the signature drawn in the blank, then the printed name.
    assert f"Le Président Signé électroniquement par {PRESIDENT} le {today}" in last
    assert f"La Secrétaire de séance Signé électroniquement par {SECRETAIRE} le {today}" in last
    assert pdfa_declaration(signed) == ("2", "B")
    assert [f["name"] for f in pdf_fonts(signed) if f["emb"] != "yes"] == []


def test_the_validator_reports_signer_time_chain_and_level(world, stamped) -> None:
    reports = PadesVerifier([world["files"].root]).verify(stamped)

    assert [(r.signataire, r.integre, r.confiance, r.modification, r.niveau, r.valide)
            for r in reports] == [
        (PRESIDENT, True, True, "annotations", "B-B", True),
        (SECRETAIRE, True, True, "annotations", "B-B", True)]
    assert reports[0].chaine == (PRESIDENT, "Racine de test des actes")
    assert abs(reports[0].date_signature - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)


def test_without_trust_anchor_the_signatures_are_intact_but_not_trusted(stamped) -> None:
    reports = PadesVerifier([]).verify(stamped)
    assert [(r.integre, r.confiance, r.valide) for r in reports] == [(True, False, False)] * 2
    assert "aucune autorité de confiance" in reports[0].problemes[0]


# --- what the stamp rule does not accept --------------------------------------------------


def _append(pdf: bytes, change) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    change(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotation(writer, resources=None, **entries) -> None:
    page_ref, _ = writer.find_page_for_modification(0)
    appearance = generic.StreamObject(
        {pdf_name("/Type"): pdf_name("/XObject"), pdf_name("/Subtype"): pdf_name("/Form"),
         pdf_name("/BBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 50, 20)))},
        stream_data=b"0 0 50 20 re S")
    if resources is not None:
        appearance[pdf_name("/Resources")] = resources
    annot = generic.DictionaryObject({
        pdf_name("/Type"): pdf_name("/Annot"), pdf_name("/Subtype"): pdf_name("/Stamp"),
        pdf_name("/Rect"): generic.ArrayObject(map(generic.NumberObject, (10, 10, 60, 30))),
        pdf_name("/F"): generic.NumberObject(4), pdf_name("/P"): page_ref,
        pdf_name("/AP"): generic.DictionaryObject(
            {pdf_name("/N"): writer.add_object(appearance)}),
    })
    for key, value in entries.items():
        if value is None:
            del annot[pdf_name(f"/{key}")]
        else:
            annot[pdf_name(f"/{key}")] = value
    writer.register_annotation(page_ref, writer.add_object(annot))


def _levels(pdf: bytes, root: Path) -> list[ModificationLevel]:
    return [s.modification_level for s in pyhanko_statuses(pdf, root)]


def test_a_bare_stamp_annotation_of_our_shape_is_accepted(world, signed) -> None:
    # The control for the refusals below: the same helper, nothing wrong with it.
    assert _levels(_append(signed, _annotation), world["files"].root) == [
        ModificationLevel.ANNOTATIONS] * 2


@pytest.mark.parametrize("entries, why", [
    ({"Subtype": pdf_name("/Link")}, "not a stamp"),
    ({"AP": None}, "no appearance"),
    ({"F": generic.NumberObject(4 | 2)}, "hidden"),
    ({"F": generic.NumberObject(0)}, "not printed"),
    ({"A": generic.DictionaryObject({pdf_name("/S"): pdf_name("/URI"),
                                     pdf_name("/URI"): generic.TextStringObject("http://x")})},
     "an action"),
])
def test_any_other_appended_annotation_breaks_the_signatures(world, signed, entries, why):
    levels = _levels(_append(signed, lambda w: _annotation(w, **entries)), world["files"].root)
    assert levels == [ModificationLevel.OTHER] * 2, why


def test_a_stamp_that_also_changes_the_page_content_is_refused(world, signed) -> None:
    def change(writer) -> None:
        _annotation(writer)
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        page[pdf_name("/Contents")] = writer.add_object(
            generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 100 Td (faux) Tj ET"))
        writer.update_container(page)

    assert _levels(_append(signed, change), world["files"].root) == [ModificationLevel.OTHER] * 2


def test_a_stamp_drawn_with_a_rewritten_older_object_is_refused(world, signed) -> None:
    def change(writer) -> None:
        # The appearance draws an object that existed before the signatures, and rewrites it.
        _page_ref, resources = writer.find_page_for_modification(0)
        fonts = resources.get_object()["/Font"]
        name = next(iter(fonts))
        font_ref = fonts.raw_get(name)
        font = font_ref.get_object()
        font[pdf_name("/BaseFont")] = pdf_name("/Courier")
        writer.update_container(font)
        _annotation(writer, resources=generic.DictionaryObject(
            {pdf_name("/Font"): generic.DictionaryObject({pdf_name(name): font_ref})}))

    assert _levels(_append(signed, change), world["files"].root) == [ModificationLevel.OTHER] * 2


def test_an_annotation_removed_from_the_page_is_refused(world, stamped) -> None:
    def change(writer) -> None:
        page_ref, _ = writer.find_page_for_modification(0)
        page = page_ref.get_object()
        page[pdf_name("/Annots")] = generic.ArrayObject()
        writer.update_container(page)

    assert _levels(_append(stamped, change), world["files"].root) == [ModificationLevel.OTHER] * 2


# --- keys ----------------------------------------------------------------------------------


def test_a_wrong_passphrase_is_a_clear_error_that_never_shows_it(world, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "phrase-fausse-42"
    signer = PadesSigner(_authorities(world), environ={**_environ(),
                                                       "ACTES_TEST_P12_PRESIDENT": secret})
    with pytest.raises(SignatureError) as info:
        signer.sign(world["pdf"], SIREN, world["signataires"])

    message = info.value.message
    assert "president.p12" in message and "ACTES_TEST_P12_PRESIDENT" in message
    assert secret not in message and secret not in repr(info.value.__cause__)
    assert secret not in caplog.text


def test_a_wrong_token_pin_is_a_clear_error_that_never_shows_it(world, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    authorities = _authorities(world)
    del authorities[SIREN]["signature"]["president"]
    signer = PadesSigner(authorities, environ={**_environ(), PIN_ENV: "0000-faux"})
    with pytest.raises(SignatureError) as info:
        signer.sign(world["pdf"], SIREN, world["signataires"])

    assert f"« {TOKEN_LABEL} »" in info.value.message and "PIN refusé" in info.value.message
    assert "0000-faux" not in info.value.message and "0000-faux" not in caplog.text


def test_a_missing_passphrase_variable_is_named(world) -> None:
    env = {k: v for k, v in _environ().items() if k != "ACTES_TEST_P12_PRESIDENT"}
    with pytest.raises(SignatureError, match="ACTES_TEST_P12_PRESIDENT.*absente"):
        PadesSigner(_authorities(world), environ=env).sign(world["pdf"], SIREN,
                                                           world["signataires"])


def test_a_presidents_key_in_another_name_is_refused(world) -> None:
    authorities = _authorities(world)
    authorities[SIREN]["signature"]["president"] = {
        "pkcs12": str(world["files"].stranger_p12), "passphrase_env": "ACTES_TEST_P12_AUTRE"}
    with pytest.raises(Conflict, match="au nom de Pierre PRIBETICH.*François REBSAMEN"):
        PadesSigner(authorities, environ=_environ()).sign(world["pdf"], SIREN,
                                                          world["signataires"])


def test_an_authority_without_keys_cannot_sign(world) -> None:
    with pytest.raises(SigningNotConfigured, match="242100410"):
        PadesSigner({}, environ=_environ()).sign(world["pdf"], SIREN, world["signataires"])


# --- PAdES B-T -----------------------------------------------------------------------------


def test_with_a_timestamp_authority_each_signature_is_pades_b_t(world) -> None:
    tsa = TimestampAuthority(world["files"].pki)
    try:
        signed = PadesSigner(_authorities(world, horodatage=tsa.url), environ=_environ()).sign(
            world["pdf"], SIREN, world["signataires"])
    finally:
        tsa.close()

    reports = PadesVerifier([world["files"].root]).verify(signed)
    assert tsa.requests >= 2  # pyHanko also asks once per signature to size the token
    assert [(r.niveau, r.integre, r.confiance) for r in reports] == [("B-T", True, True)] * 2
    assert all(r.horodatage is not None for r in reports)
