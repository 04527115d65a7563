"""A sitting: split into the payloads of its acts, checked at once, listed and published."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from seance_support import SIRET, sitting

from service.domain.checks.seance import check_seance
from service.domain.decompte import decompter
from service.domain.liste import liste_deliberations
from service.domain.opendata import SCDL_FIELDS, lignes_scdl, matiere_scdl
from service.domain.parsing import parse_model
from service.domain.payload import DeliberationPayload
from service.domain.seance import (
    SeancePayload,
    deliberation_payload,
    deliberation_payloads,
    seance_identifiant,
)


@pytest.fixture
def data(dijon) -> dict[str, Any]:
    return sitting(dijon, 6)[0]


def model(data: dict[str, Any]) -> SeancePayload:
    return SeancePayload.model_validate(data)


def found(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(v.champ, v.code) for v in check_seance(model(data))]


def test_one_deliberation_of_a_sitting_is_the_payload_posted_alone(dijon) -> None:
    alone = copy.deepcopy(dijon)
    seance = copy.deepcopy(dijon)
    seance["deliberations"] = [seance.pop("deliberation")]
    seance["collectivite"]["siret"] = SIRET

    split = deliberation_payloads(model(seance))

    # Same model, hence the same canonical JSON and hash: the two routes give one act.
    assert split == [DeliberationPayload.model_validate(alone)]


def test_each_deliberation_votes_with_its_own_attendance_or_the_sittings(data) -> None:
    seance = model(data)
    own = data["deliberations"][4]["presences"]

    assert deliberation_payload(seance, 4).presences.absents == own["absents"]
    assert deliberation_payload(seance, 3).presences == seance.presences
    counts = [decompter(p).presents_votants for p in deliberation_payloads(seance)]
    # Deliberation i loses i % 5 members when i % 3 is not 0 (see seance_support).
    assert counts == [66, 65, 64, 66, 62, 66]


def test_a_lawful_sitting_has_no_violation(data) -> None:
    assert found(data) == []


def test_a_deliberations_violation_names_its_index(data) -> None:
    data["deliberations"][3]["vote"]["pour"] += 1

    violations = check_seance(model(data))

    assert [(v.champ, v.code) for v in violations] == [
        ("deliberations[3].vote", "total-votes-incoherent")]
    assert violations[0].message.startswith("deliberations[3].vote : ")


def test_own_attendance_violations_name_the_act_and_the_sittings_are_reported_once(data) -> None:
    data["deliberations"][2]["presences"]["absents"].append("nobody")
    data["presences"]["absents"].append("ghost")  # inherited by deliberations 0 and 3
    data["deliberations"][4]["presences"]["absents"].append(data["seance"]["president"])
    data["deliberations"][4]["vote"]["pour"] -= 1  # one voter fewer

    assert found(data) == [
        ("presences.absents[3]", "membre-inconnu"),
        ("deliberations[2].presences.absents[5]", "membre-inconnu"),
        ("deliberations[4].presences", "president-absent"),
    ]


def test_sitting_fields_are_reported_once_not_per_deliberation(data) -> None:
    data["collectivite"]["siren"] = "242100411"
    data["collectivite"]["siret"] = "24210041000015"

    assert found(data) == [
        ("collectivite.siret", "siret-invalide"),
        ("collectivite.siren", "siren-invalide"),
    ]


def test_numeros_are_unique_within_the_sitting(data) -> None:
    data["deliberations"][5]["numero"] = data["deliberations"][1]["numero"]

    assert found(data) == [("deliberations[5].numero", "numero-en-double")]


def test_structure_errors_carry_the_index(data) -> None:
    del data["deliberations"][2]["objet"]
    data["deliberations"][4]["presences"]["absent"] = []

    _, violations = parse_model(SeancePayload, data)

    assert [(v.champ, v.code) for v in violations] == [
        ("deliberations[2].objet", "champ-obligatoire"),
        ("deliberations[4].presences.absent", "champ-inconnu"),
    ]


def test_the_sitting_identifier_is_stable_and_tells_sittings_of_one_day_apart(data) -> None:
    assert seance_identifiant(model(data)) == "021-242100410-20191219"
    data["seance"]["heure"] = "18:30"
    assert seance_identifiant(model(data)) == "021-242100410-20191219-1830"


def test_the_list_gives_each_deliberation_adopted_or_rejected_in_agenda_order(dijon) -> None:
    data, attendus = sitting(dijon, 9)
    data["deliberations"].reverse()

    liste = liste_deliberations(model(data))

    assert [ligne.numero for ligne in liste.lignes] == [a.numero for a in attendus]
    assert [ligne.adoptee for ligne in liste.lignes] == [True] * 7 + [False, True]
    # Deliberation i has i % 4 votes against and i % 3 abstentions (seance_support.sitting).
    assert [ligne.resultat for ligne in liste.lignes] == [
        "Adoptée à l'unanimité",
        "Adoptée à la majorité",
        "Adoptée à la majorité",
        "Adoptée à la majorité",
        "Adoptée à l'unanimité des suffrages exprimés",
        "Adoptée à la majorité",
        "Adoptée à la majorité",
        "Rejetée à la majorité",
        "Adoptée à l'unanimité des suffrages exprimés",
    ]
    assert liste.adoptees == 8


def test_a_tie_is_rejected(data) -> None:
    vote = data["deliberations"][0]["vote"]
    total = vote["pour"] + vote["contre"]
    vote["pour"] = vote["contre"] = total // 2
    vote["abstention"] += total % 2

    ligne = liste_deliberations(model(data)).lignes[0]
    assert not ligne.adoptee
    assert ligne.resultat == "Rejetée, faute de majorité (partage égal des voix)"


def test_a_tie_settled_by_the_casting_vote_is_adopted_in_the_list(data) -> None:
    vote = data["deliberations"][0]["vote"]
    total = vote["pour"] + vote["contre"]
    vote["pour"] = vote["contre"] = total // 2
    vote["abstention"] += total % 2
    vote["voix_preponderante"] = "pour"

    ligne = liste_deliberations(model(data)).lignes[0]

    assert ligne.adoptee
    assert ligne.resultat == "Adoptée, la voix du Président étant prépondérante"


@pytest.mark.parametrize(("matiere", "code", "nom"), [
    ("4.1", "4.1", "fonction publique/personnel titulaires et stagiaires de la f.p.t."),
    ("7.10.2", "7.10", "finances locales/divers"),
    ("7.9", "7.9", "finances locales/prise de participation sem etc."),
    ("1.5", "1.5", "commande publique/transactions - protocole d'accord transactionnel"),
    ("5.1", "5.1", "institutions et vie politique/élection exécutif"),
])
def test_scdl_matiere_is_the_national_nomenclature_in_lower_case(matiere, code, nom) -> None:
    assert matiere_scdl(matiere) == (code, nom)


def test_scdl_rows_follow_the_votes_and_fill_prefecture_fields_once_acknowledged(data) -> None:
    import datetime as dt

    seance = model(data)
    ident = "021-242100410-20191219-2019-12-19_101-DE"
    idents = [f"021-242100410-20191219-{d['numero']}-DE" for d in data["deliberations"]]

    rows = lignes_scdl(seance, siret=SIRET, identifiants=idents,
                       receptions={ident: dt.date(2019, 12, 20)})

    assert all(tuple(row) == SCDL_FIELDS for row in rows)
    vote = data["deliberations"][1]["vote"]
    assert rows[1]["VOTE_REEL"] == str(vote["pour"] + vote["contre"] + vote["abstention"])
    assert (rows[1]["PREF_ID"], rows[1]["PREF_DATE"]) == ("PREF021", "2019-12-20")
    assert (rows[0]["PREF_ID"], rows[0]["PREF_DATE"]) == ("", "")
    assert rows[2]["COLL_SIRET"] == SIRET and rows[2]["VOTE_EFFECTIF"] == "79"
    assert json.dumps(rows, ensure_ascii=False).count("Dijon Métropole") == 6


def test_a_sittings_nomination_is_checked_under_its_own_path(data) -> None:
    delib = data["deliberations"][1]
    votants = sum(delib["vote"][k] for k in ("pour", "contre", "abstention", "ne_se_prononce_pas"))
    del delib["vote"]
    delib["election"] = {"postes": 1, "tours": [
        {"candidats": [{"nom": "Mme A", "voix": votants - 1}, {"nom": "M. B", "voix": 0}]}
    ]}
    data["signature"] = {"date": "2019-12-18"}

    found = [(v.champ, v.code) for v in check_seance(model(data))]

    assert found == [
        ("signature.date", "signature-avant-seance"),
        ("deliberations[1].election.tours[0]", "election-total-incoherent"),
    ]
    assert liste_deliberations(model(data)).lignes[1].pour is None
    row = lignes_scdl(model(data), siret=SIRET)[1]  # a nomination has no for and against
    assert (row["VOTE_REEL"], row["VOTE_POUR"], row["VOTE_CONTRE"]) == ("", "", "")


def test_a_sittings_signature_reaches_each_act(data) -> None:
    data["signature"] = {"lieu": "Dijon", "date": "2019-12-20"}

    assert all(p.signature is not None and p.signature.lieu == "Dijon"
               for p in deliberation_payloads(model(data)))
