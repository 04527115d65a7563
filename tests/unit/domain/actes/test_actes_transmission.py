"""build_transmission: every problem the archive cannot carry is reported, none is guessed."""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from service.domain.actes.classification import parse_classification
from service.domain.actes.settings import resolve_reglages
from service.domain.actes.transmission import build_transmission
from service.domain.parsing import parse_model
from service.domain.payload import DeliberationPayload
from service.errors import DocumentRejected, InvalidPayload, MissingSetting


def _champs(caught: pytest.ExceptionInfo[InvalidPayload]) -> dict[str, str]:
    return {v.champ: v.message for v in caught.value.violations}


def test_the_s2low_profile_refuses_the_dijon_numero(
    dijon, identifier_of, reglages, pdf, sending_day
) -> None:
    strict = dataclasses.replace(reglages, profil_numero="s2low")
    with pytest.raises(InvalidPayload) as caught:
        build_transmission(dijon, identifier_of(dijon), pdf, strict, 1, sending_day)
    assert "profil « s2low »" in _champs(caught)["deliberation.numero"]


def test_a_matiere_the_prefecture_does_not_list_is_refused(
    make_payload, identifier_of, reglages, pdf, sending_day, actes_dir: Path
) -> None:
    classification = parse_classification((actes_dir / "exemple_codes_matieres.xml").read_bytes())
    payload = make_payload(matiere="4.1.99")
    with pytest.raises(InvalidPayload) as caught:
        build_transmission(
            payload,
            identifier_of(payload),
            pdf,
            reglages,
            1,
            sending_day,
            classification=classification,
        )
    assert _champs(caught) == {
        "deliberation.matiere": (
            "la matière « 4.1.99 » n'existe pas dans la classification du 08/12/2017"
        )
    }


def test_the_prefecture_classification_gives_the_version_date(
    make_payload, identifier_of, config, pdf, sending_day, actes_dir: Path
) -> None:
    del config["classification_date_version"]
    config["classification_file"] = "242100410.xml"
    classification = parse_classification((actes_dir / "exemple_codes_matieres.xml").read_bytes())
    payload = make_payload(matiere="4.1.2")
    archive = build_transmission(
        payload,
        identifier_of(payload),
        pdf,
        resolve_reglages(config, None),
        1,
        sending_day,
        classification=classification,
    )
    assert (
        b"<actes:ClassificationDateVersion>2017-12-08</actes:ClassificationDateVersion>"
        in archive.members[1].content
    )
    assert b'<actes:CodeMatiere3 actes:CodeMatiere="2"/>' in archive.members[1].content


def test_without_any_version_date_the_setting_is_missing(
    dijon, identifier_of, config, pdf, sending_day
) -> None:
    del config["classification_date_version"]
    config["classification_file"] = "242100410.xml"  # but the service could not read it
    with pytest.raises(MissingSetting) as caught:
        build_transmission(
            dijon, identifier_of(dijon), pdf, resolve_reglages(config, None), 1, sending_day
        )
    assert list(_champs(caught)) == ["collectivite.teletransmission.classification_date_version"]


def test_every_unusable_field_is_reported_at_once(
    make_payload, identifier_of, reglages, pdf, sending_day
) -> None:
    annexes = [
        {
            "titre": "Texte",
            "nom_fichier": "notes.txt",
            "contenu_base64": base64.b64encode(b"notes").decode(),
        },
        {"titre": "Plan", "nom_fichier": "plan.pdf", "contenu_base64": "pas du base64 !"},
    ]
    payload = make_payload(matiere="4.9", objet="x" * 500, annexes=annexes)
    with pytest.raises(InvalidPayload) as caught:
        build_transmission(payload, identifier_of(payload), pdf, reglages, 1, sending_day)
    champs = _champs(caught)
    assert set(champs) == {
        "deliberation.matiere",
        "deliberation.objet",
        "deliberation.annexes[0].contenu_base64",
        "deliberation.annexes[1].contenu_base64",
    }
    assert "notes.txt" in champs["deliberation.annexes[0].contenu_base64"]
    assert "499" in champs["deliberation.objet"]


def test_annex_piece_types_can_be_given(
    make_payload, identifier_of, reglages, pdf, sending_day
) -> None:
    annexe = {
        "titre": "Avis",
        "nom_fichier": "avis.pdf",
        "contenu_base64": base64.b64encode(pdf).decode(),
    }
    payload = make_payload(annexes=[annexe])
    archive = build_transmission(
        payload, identifier_of(payload), pdf, reglages, 1, sending_day, types_annexes=["41_RA"]
    )
    assert archive.names[3].startswith("41_RA-021-242100410-20191219-2019-12-19_013-DE-1-1_2")
    with pytest.raises(InvalidPayload) as caught:
        build_transmission(
            payload, identifier_of(payload), pdf, reglages, 1, sending_day, types_annexes=["RA"]
        )
    assert list(_champs(caught)) == ["deliberation.annexes[0].type"]


def test_the_act_itself_must_be_a_pdf(dijon, identifier_of, reglages, sending_day) -> None:
    with pytest.raises(DocumentRejected, match="n'est pas un PDF"):
        build_transmission(
            dijon, identifier_of(dijon), b"PK\x03\x04 docx", reglages, 1, sending_day
        )


def test_a_numero_fitting_v1_1_gives_no_warning(
    make_payload, identifier_of, reglages, pdf, sending_day
) -> None:
    payload = make_payload(numero="2019_12_19_013")
    archive = build_transmission(payload, identifier_of(payload), pdf, reglages, 1, sending_day)
    assert archive.warnings == ()


def test_a_control_character_in_the_objet_is_refused_with_the_payload(dijon_data) -> None:
    # The payload model refuses it first (service/domain/textes.py): no envelope is ever built.
    data = copy.deepcopy(dijon_data)
    data["deliberation"]["objet"] = "Création\x02 d'un poste"
    model, violations = parse_model(DeliberationPayload, data)
    assert model is None
    assert [(v.champ, v.code) for v in violations] == [
        ("deliberation.objet", "caractere-interdit")
    ]
    assert "U+0002" in violations[0].message


def test_a_test_platform_authority_gets_tact_names(
    dijon, identifier_of, reglages, pdf, sending_day
) -> None:
    test = dataclasses.replace(reglages, plateforme="TACT")
    archive = build_transmission(dijon, identifier_of(dijon), pdf, test, 3, sending_day)
    day = f"{sending_day:%Y%m%d}"
    assert archive.name == f"{reglages.trigramme}-TACT--{dijon.collectivite.siren}--{day}-3.tar.gz"
    assert archive.names[0] == f"TACT--{dijon.collectivite.siren}--{day}-3.xml"


def test_the_content_hash_ignores_the_name_but_not_the_platform_or_the_pdf(
    dijon, identifier_of, reglages, pdf, sending_day
) -> None:
    from service.domain.actes.transmission import prepare_transmission

    ident = identifier_of(dijon)
    prepared = prepare_transmission(dijon, ident, pdf, reglages)
    assert prepared.named(1, sending_day).content != prepared.named(2, sending_day).content
    assert prepare_transmission(dijon, ident, pdf, reglages).sha256 == prepared.sha256
    test = dataclasses.replace(reglages, plateforme="TACT")
    assert prepare_transmission(dijon, ident, pdf, test).sha256 != prepared.sha256
    signed = pdf + b"\n% signed\n"
    assert prepare_transmission(dijon, ident, signed, reglages).sha256 != prepared.sha256


def test_a_decision_dated_after_today_is_refused_with_the_others(
    make_payload, identifier_of, reglages, pdf
) -> None:
    from service.domain.actes.transmission import prepare_transmission

    payload = make_payload(objet="")
    decided = identifier_of(payload).date
    with pytest.raises(InvalidPayload) as caught:
        prepare_transmission(payload, identifier_of(payload), pdf, reglages,
                             today=decided - dt.timedelta(days=1))
    violations = {v.champ: (v.code, v.message) for v in caught.value.violations}
    code, message = violations["seance.date"]
    assert code == "decision-future"
    assert f"datée du {decided:%d/%m/%Y}, après aujourd'hui" in message
    assert "deliberation.objet" in violations  # every problem at once

    same_day = make_payload()
    assert prepare_transmission(same_day, identifier_of(same_day), pdf, reglages,
                                today=decided).sha256


def test_an_authority_sending_through_s2low_cannot_package_a_hyphenated_numero(
    dijon, identifier_of, reglages, pdf, sending_day
) -> None:
    # The default profile only warns (the numéro is the ministry's current rule)…
    archive = build_transmission(dijon, identifier_of(dijon), pdf, reglages, 1, sending_day)
    assert "S²LOW et Pastell" in archive.warnings[0]
    # …an authority whose operator is S²LOW is refused.
    through_s2low = dataclasses.replace(reglages, operateur="s2low")
    with pytest.raises(InvalidPayload) as caught:
        build_transmission(dijon, identifier_of(dijon), pdf, through_s2low, 1, sending_day)
    assert "serait refusé par S²LOW" in _champs(caught)["deliberation.numero"]
