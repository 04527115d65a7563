"""Proxies: absent mandants, present mandataires who vote, one proxy each (two under COVID-19)."""

from __future__ import annotations

import pytest
from checks_support import dijon, found, message, move_to, present_sans_role


def test_a_mandant_leaving_the_vote_is_rejected():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["bordat-benoit"]
    assert found(data) == [("presences.pouvoirs[0].mandant", "mandant-present")]


def test_a_mandant_giving_two_proxies_is_rejected():
    data = dijon()
    data["presences"]["pouvoirs"].append(
        {"mandant": "bordat-benoit", "mandataire": present_sans_role(data)[0]}
    )
    data["deliberation"]["vote"]["pour"] = 77
    assert found(data) == [("presences.pouvoirs[10].mandant", "mandant-multiple")]
    assert "presences.pouvoirs[0]" in message(data, "mandant-multiple")


def test_an_absent_mandataire_is_rejected():
    data = dijon()
    data["presences"]["pouvoirs"][0]["mandataire"] = "martin-didier"
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == [("presences.pouvoirs[0].mandataire", "mandataire-absent")]
    assert "presences.absents[0]" in message(data, "mandataire-absent")


def test_a_mandataire_who_gave_a_proxy_himself_is_rejected():
    data = dijon()
    data["presences"]["pouvoirs"][0]["mandataire"] = "pian-jean-yves"
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == [("presences.pouvoirs[0].mandataire", "mandataire-absent")]
    assert "presences.pouvoirs[1].mandant" in message(data, "mandataire-absent")


def test_a_proxy_to_oneself_is_rejected():
    data = dijon()
    data["presences"]["pouvoirs"][0]["mandataire"] = "bordat-benoit"
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == [("presences.pouvoirs[0].mandataire", "mandataire-absent")]
    assert "lui-même" in message(data, "mandataire-absent")


def test_an_interested_member_cannot_carry_a_proxy():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["charret-godard-oceane"]
    data["deliberation"]["vote"]["pour"] = 74  # neither her vote nor bordat-benoit's
    assert found(data) == [("presences.pouvoirs[0].mandataire", "mandataire-ne-prend-pas-part")]


def _two_proxies_for_one(data):
    # tenenbaum-francoise gives her proxy back: charret-godard-oceane carries two
    data["presences"]["pouvoirs"][1]["mandataire"] = "charret-godard-oceane"
    return data


def test_a_mandataire_carries_one_proxy_outside_the_covid_windows():
    data = _two_proxies_for_one(dijon())
    assert found(data) == [("presences.pouvoirs[1].mandataire", "mandataire-pouvoirs-multiples")]
    msg = message(data, "mandataire-pouvoirs-multiples")
    assert "presences.pouvoirs[0]" in msg
    assert "CGCT art. L2121-20, applicable par l'art. L5211-1" in msg


@pytest.mark.parametrize(
    ("type_collectivite", "article"),
    [("commune", "CGCT art. L2121-20)"), ("departement", "L3121-16"), ("region", "L4132-15")],
)
def test_the_proxy_limit_cites_the_article_of_the_authority(type_collectivite, article):
    data = _two_proxies_for_one(dijon())
    data["collectivite"]["type"] = type_collectivite
    assert article in message(data, "mandataire-pouvoirs-multiples")


@pytest.mark.parametrize("day", ["2020-03-24", "2021-03-04", "2022-07-31"])
def test_a_mandataire_may_carry_two_proxies_during_the_covid_windows(day):
    data = move_to(_two_proxies_for_one(dijon()), day)
    assert found(data) == []


@pytest.mark.parametrize("day", ["2020-03-23", "2021-10-15", "2022-08-01"])
def test_two_proxies_are_rejected_just_outside_the_covid_windows(day):
    data = move_to(_two_proxies_for_one(dijon()), day)
    assert found(data) == [("presences.pouvoirs[1].mandataire", "mandataire-pouvoirs-multiples")]


def test_a_third_proxy_is_rejected_during_the_covid_windows():
    data = move_to(_two_proxies_for_one(dijon()), "2021-03-04")
    data["presences"]["pouvoirs"][2]["mandataire"] = "charret-godard-oceane"
    assert found(data) == [("presences.pouvoirs[2].mandataire", "mandataire-pouvoirs-multiples")]
    msg = message(data, "mandataire-pouvoirs-multiples")
    assert "2 pouvoirs au plus" in msg
    assert "loi n° 2020-1379" in msg


def test_an_interested_mandant_is_told_his_proxy_vote_is_void():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["bordat-benoit"]
    msg = message(data, "mandant-present")
    assert msg.startswith("presences.pouvoirs[0].mandant : M. Benoît BORDAT")
    assert "presences.ne_prennent_pas_part[0]" in msg
    assert "serait nul (CGCT L2131-11)" in msg and "presences.absents" in msg


def test_an_interested_mandant_listed_absent_without_his_proxy_passes():
    data = dijon()
    data["presences"]["pouvoirs"].pop(0)
    data["presences"]["absents"].append("bordat-benoit")
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == []


def _suppleant(data, titulaire="martin-didier", **extra):
    data["collectivite"]["type"] = "epci"
    data["membres"].append({"id": "suppleant", "civilite": "Mme", "prenom": "Léa",
                            "nom": "SUPPLÉANTE", "suppleant_de": titulaire, **extra})
    return data


def test_a_suppleant_cannot_give_a_proxy():
    data = _suppleant(dijon())
    data["presences"]["pouvoirs"].append(
        {"mandant": "suppleant", "mandataire": present_sans_role(data)[0]}
    )
    data["deliberation"]["vote"]["pour"] = 77
    assert found(data) == [("presences.pouvoirs[10].mandant", "suppleant-mandant")]
    assert "CGCT L5211-6" in message(data, "suppleant-mandant")


def test_a_titulaire_may_give_a_proxy_instead_of_sending_his_suppleant():
    data = _suppleant(dijon())
    data["presences"]["absents"].remove("martin-didier")
    data["presences"]["pouvoirs"].append(
        {"mandant": "martin-didier", "mandataire": present_sans_role(data)[0]}
    )
    data["deliberation"]["vote"]["pour"] = 77
    assert found(data) == []  # the suppléant does not sit: 66 present + 11 proxies
