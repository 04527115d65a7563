"""Suppléants: only in EPCI and syndicats; a suppléant sits in place of a titulaire absent
without proxy, is counted present then, and is never counted among the members in office."""

from __future__ import annotations

import pytest
from checks_support import dijon, found, message, payload

from service.domain.decompte import decompter


def _avec_suppleant(data, titulaire="martin-didier", *, type_collectivite="epci", id_="s1"):
    data["collectivite"]["type"] = type_collectivite
    data["membres"].append({"id": id_, "civilite": "M.", "prenom": "Paul", "nom": "REMPLAÇANT",
                            "suppleant_de": titulaire})
    return data


def test_a_suppleant_sits_for_his_absent_titulaire_and_votes():
    data = _avec_suppleant(dijon())
    data["deliberation"]["vote"]["pour"] = 77
    assert found(data) == []
    d = decompter(payload(data))
    assert d.presents_votants == 67 and d.en_exercice == 79
    assert [(s.id, t.id) for s, t in d.suppleances] == [("s1", "martin-didier")]
    assert "martin-didier" not in [m.id for m in d.absents]  # replaced, not printed absent


def test_a_suppleant_whose_titulaire_attends_does_not_sit():
    data = _avec_suppleant(dijon(), "pribetich-pierre")  # present
    assert found(data) == []  # 76 votes: he is neither present nor absent
    d = decompter(payload(data))
    assert d.presents_votants == 66 and "s1" not in [m.id for m in d.presents + d.absents]


def test_a_suppleant_who_does_not_sit_cannot_vote():
    data = _avec_suppleant(dijon(), "pribetich-pierre")
    data["deliberation"]["vote"].update(pour=75, contre=1, noms_contre=["s1"])
    assert found(data) == [("deliberation.vote.noms_contre[0]", "vote-non-votant")]


def test_a_suppleant_whose_titulaire_gave_a_proxy_does_not_sit():
    data = _avec_suppleant(dijon(), "bordat-benoit")  # gave a proxy
    assert found(data) == []
    data["seance"]["secretaires"].append("s1")
    assert found(data) == [("seance.secretaires[1]", "secretaire-absent")]
    assert "membres[79].suppleant_de" in message(data, "secretaire-absent")


@pytest.mark.parametrize("type_collectivite", ["epci", "metropole", "syndicat"])
def test_epci_and_syndicats_have_suppleants(type_collectivite):
    data = _avec_suppleant(dijon(), type_collectivite=type_collectivite)
    data["deliberation"]["vote"]["pour"] = 77
    assert found(data) == []


@pytest.mark.parametrize("type_collectivite", ["commune", "departement", "region"])
def test_communes_departements_and_regions_have_no_suppleants(type_collectivite):
    data = _avec_suppleant(dijon(), type_collectivite=type_collectivite)
    data["deliberation"]["vote"]["pour"] = 77
    assert ("membres[79].suppleant_de", "suppleant-non-prevu") in found(data)
    assert "CGCT L5211-6, L5212-7" in message(data, "suppleant-non-prevu")


def test_a_suppleant_of_an_unknown_member_is_rejected():
    data = _avec_suppleant(dijon(), "personne")
    assert found(data) == [("membres[79].suppleant_de", "membre-inconnu")]


def test_a_suppleant_of_himself_is_rejected():
    data = _avec_suppleant(dijon(), "s1")
    assert found(data) == [("membres[79].suppleant_de", "suppleant-de-lui-meme")]


def test_a_suppleant_of_a_suppleant_is_rejected():
    data = _avec_suppleant(_avec_suppleant(dijon(), "pribetich-pierre"), "s1", id_="s2")
    assert found(data) == [("membres[80].suppleant_de", "suppleant-de-suppleant")]


def test_a_communaute_titulaire_has_one_suppleant():
    data = _avec_suppleant(_avec_suppleant(dijon(), "pribetich-pierre"), "pribetich-pierre",
                           id_="s2")
    assert found(data) == [("membres[80].suppleant_de", "suppleant-multiple")]
    assert "membres[79]" in message(data, "suppleant-multiple")


def test_a_syndicat_delegate_may_have_several_suppleants_and_one_sits():
    data = _avec_suppleant(dijon(), type_collectivite="syndicat")
    _avec_suppleant(data, type_collectivite="syndicat", id_="s2")
    data["deliberation"]["vote"]["pour"] = 77
    assert found(data) == []
    assert [s.id for s, _ in decompter(payload(data)).suppleances] == ["s1"]


def test_two_suppleants_do_not_replace_one_titulaire_in_the_vote():
    data = _avec_suppleant(dijon(), type_collectivite="syndicat")
    _avec_suppleant(data, type_collectivite="syndicat", id_="s2")
    data["deliberation"]["vote"].update(pour=76, contre=1, noms_contre=["s2"])
    assert found(data) == [("deliberation.vote.noms_contre[0]", "vote-non-votant")]


def test_a_sitting_suppleant_may_carry_a_proxy():
    data = _avec_suppleant(dijon())
    data["presences"]["pouvoirs"][0]["mandataire"] = "s1"
    data["deliberation"]["vote"]["pour"] = 77
    assert found(data) == []


def test_a_suppleant_who_does_not_sit_cannot_carry_a_proxy():
    data = _avec_suppleant(dijon(), "pribetich-pierre")
    data["presences"]["pouvoirs"][0]["mandataire"] = "s1"
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == [("presences.pouvoirs[0].mandataire", "mandataire-absent")]
    assert "ne siège pas" in message(data, "mandataire-absent")


def test_a_suppleant_who_does_not_sit_cannot_leave_the_vote():
    data = _avec_suppleant(dijon(), "pribetich-pierre")
    data["presences"]["ne_prennent_pas_part"] = ["s1"]
    assert found(data) == [("presences.ne_prennent_pas_part[0]", "present-et-absent")]
