"""Member ids: unique, every reference known, no member listed twice."""

from __future__ import annotations

import pytest
from checks_support import dijon, found, message, present_sans_role

INCONNU = "dupont-jean"


def test_a_member_id_used_twice_is_rejected():
    data = dijon()
    data["membres"].append(dict(data["membres"][5], prenom="Autre"))
    assert found(data) == [("membres[79].id", "membre-id-duplique")]
    assert "membres[5]" in message(data, "membre-id-duplique")


def _president(data):
    data["seance"]["president"] = INCONNU
    return "seance.president"


def _secretaire(data):
    data["seance"]["secretaires"] = [INCONNU]
    return "seance.secretaires[0]"


def _absent(data):
    data["presences"]["absents"].append(INCONNU)
    return "presences.absents[3]"


def _mandant(data):
    # bordat-benoit becomes present and votes himself: the total stays 76
    data["presences"]["pouvoirs"][0]["mandant"] = INCONNU
    return "presences.pouvoirs[0].mandant"


def _mandataire(data):
    data["presences"]["pouvoirs"][4]["mandataire"] = INCONNU
    data["deliberation"]["vote"]["pour"] = 75  # the proxy is carried by nobody
    return "presences.pouvoirs[4].mandataire"


def _ne_prend_pas_part(data):
    data["presences"]["ne_prennent_pas_part"] = [INCONNU]
    return "presences.ne_prennent_pas_part[0]"


def _rapporteur(data):
    data["deliberation"]["rapporteur"] = INCONNU
    return "deliberation.rapporteur"


def _noms(sens):
    def mutate(data):
        vote = data["deliberation"]["vote"]
        vote["pour"], vote[sens], vote[f"noms_{sens}"] = 75, 1, [INCONNU]
        return f"deliberation.vote.noms_{sens}[0]"

    return mutate


@pytest.mark.parametrize(
    "mutate",
    [
        _president,
        _secretaire,
        _absent,
        _mandant,
        _mandataire,
        _ne_prend_pas_part,
        _rapporteur,
        _noms("contre"),
        _noms("abstention"),
        _noms("ne_se_prononce_pas"),
    ],
)
def test_an_id_that_names_no_member_is_rejected(mutate):
    data = dijon()
    champ = mutate(data)
    assert found(data) == [(champ, "membre-inconnu")]
    assert INCONNU in message(data, "membre-inconnu")


def test_a_known_rapporteur_passes():
    data = dijon()
    data["deliberation"]["rapporteur"] = "pribetich-pierre"
    assert found(data) == []


def test_a_secretary_listed_twice_is_rejected():
    data = dijon()
    data["seance"]["secretaires"] *= 2
    assert found(data) == [("seance.secretaires[1]", "membre-repete")]


def test_two_different_secretaries_pass():
    data = dijon()
    data["seance"]["secretaires"].append(present_sans_role(data)[0])
    assert found(data) == []


def test_an_absent_listed_twice_is_rejected():
    data = dijon()
    data["presences"]["absents"].append("houpert-alain")
    assert found(data) == [("presences.absents[3]", "membre-repete")]
    assert "presences.absents[1]" in message(data, "membre-repete")


def test_a_member_leaving_the_vote_listed_twice_is_rejected():
    data = dijon()
    who = present_sans_role(data)[0]
    data["presences"]["ne_prennent_pas_part"] = [who, who]
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == [("presences.ne_prennent_pas_part[1]", "membre-repete")]
