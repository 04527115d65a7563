"""Quorum: members physically present and voting, against the members in office."""

from __future__ import annotations

import copy

import pytest
from checks_support import dijon, found, message, move_to, present_ids, present_sans_role


def _keep_voters(data, n, *, how="absents"):
    """Leave *n* present voters: the others, outside any role, become absent or leave the vote."""
    p = data["presences"]
    out = present_sans_role(data)[: len(present_ids(data)) - n]
    if how == "absents":
        p["absents"].extend(out)
    else:
        p["ne_prennent_pas_part"] = out
    data["deliberation"]["vote"]["pour"] = n + len(p["pouvoirs"])
    return data


@pytest.mark.parametrize("how", ["absents", "ne_prennent_pas_part"])
def test_forty_present_voters_of_seventy_nine_reach_the_quorum(how):
    assert found(_keep_voters(dijon(), 40, how=how)) == []


@pytest.mark.parametrize("how", ["absents", "ne_prennent_pas_part"])
def test_thirty_nine_present_voters_of_seventy_nine_miss_the_quorum(how):
    data = _keep_voters(dijon(), 39, how=how)
    assert found(data) == [("presences", "quorum-non-atteint")]
    msg = message(data, "quorum-non-atteint")
    assert "39" in msg and "40" in msg and "plus de la moitié des 79" in msg
    assert "CGCT art. L2121-17, applicable par l'art. L5211-1" in msg


def test_proxies_do_not_count_for_the_quorum():
    data = _keep_voters(dijon(), 39)
    assert len(data["presences"]["pouvoirs"]) == 10  # 39 + 10 represented would be 49
    assert ("presences", "quorum-non-atteint") in found(data)


def test_a_second_convocation_needs_no_quorum():
    data = _keep_voters(dijon(), 12)
    data["seance"]["seconde_convocation"] = True
    assert found(data) == []


def test_one_third_present_is_enough_during_the_covid_windows():
    assert found(move_to(_keep_voters(dijon(), 27), "2021-03-04")) == []


def test_less_than_one_third_misses_the_quorum_during_the_covid_windows():
    data = move_to(_keep_voters(dijon(), 26), "2021-03-04")
    assert found(data) == [("presences", "quorum-non-atteint")]
    msg = message(data, "quorum-non-atteint")
    assert "le tiers des 79" in msg and "loi n° 2020-1379" in msg


@pytest.mark.parametrize(
    ("type_collectivite", "article"),
    [
        ("commune", "(CGCT art. L2121-17)"),
        ("departement", "(CGCT art. L3121-14)"),
        ("region", "(CGCT art. L4132-13)"),
        ("syndicat", "L5211-1"),
    ],
)
def test_the_quorum_message_cites_the_article_of_the_authority(type_collectivite, article):
    data = _keep_voters(dijon(), 39)
    data["collectivite"]["type"] = type_collectivite
    assert article in message(data, "quorum-non-atteint")


def test_the_members_in_office_set_the_quorum():
    data = _keep_voters(dijon(), 35)
    data["assemblee"]["en_exercice"] = 69  # quorum 35
    assert found(data) == []
    data["assemblee"]["en_exercice"] = 70  # quorum 36
    assert found(data) == [("presences", "quorum-non-atteint")]


def test_more_members_in_office_than_seats_is_rejected():
    data = dijon()
    data["assemblee"]["en_exercice"] = 80
    assert found(data) == [("assemblee.en_exercice", "en-exercice-superieur-effectif")]


def test_members_in_office_up_to_the_seats_pass():
    data = dijon()
    data["assemblee"]["en_exercice"] = 79
    assert found(data) == []


# --- quorum by body and the COVID-19 windows as corrected (shared/notes/legal.md §11) -------


def _departement(data, organe):
    data["collectivite"]["type"] = "departement"
    data["assemblee"]["organe"] = organe
    return data


def test_a_departements_commission_permanente_counts_members_represented():
    # 35 present + 10 represented = 45 ≥ 40 (CGCT L3121-14-1).
    assert found(_departement(_keep_voters(dijon(), 35), "commission_permanente")) == []


def test_a_departements_commission_permanente_needs_a_majority_present_or_represented():
    data = _departement(_keep_voters(dijon(), 29), "commission_permanente")  # 29 + 10 = 39
    assert found(data) == [("presences", "quorum-non-atteint")]
    msg = message(data, "quorum-non-atteint")
    assert "29 membre(s) présent(s) prenant part au vote et 10 représenté(s)" in msg
    assert "CGCT art. L3121-14-1" in msg


def test_a_departements_assembly_still_counts_members_present_only():
    data = _departement(_keep_voters(dijon(), 35), "deliberant")
    assert found(data) == [("presences", "quorum-non-atteint")]


@pytest.mark.parametrize(
    ("type_collectivite", "organe"),
    [("commune", "commission_permanente"), ("commune", "bureau"),
     ("departement", "bureau"), ("metropole", "commission_permanente")],
)
def test_a_body_the_authority_does_not_have_is_rejected(type_collectivite, organe):
    data = dijon()
    data["collectivite"]["type"] = type_collectivite
    data["assemblee"]["organe"] = organe
    assert found(data) == [("assemblee.organe", "organe-non-prevu")]


@pytest.mark.parametrize(
    ("type_collectivite", "organe"),
    [("region", "commission_permanente"), ("metropole", "bureau"), ("syndicat", "bureau"),
     ("commune", "deliberant")],
)
def test_a_body_the_authority_has_passes(type_collectivite, organe):
    data = dijon()
    data["collectivite"]["type"] = type_collectivite
    data["assemblee"]["organe"] = organe
    assert found(data) == []


def test_from_3_april_to_10_july_2020_one_third_present_or_represented_is_enough():
    # 17 present + 10 represented = 27 = ceil(79 / 3) (ordonnance n° 2020-391).
    assert found(move_to(_keep_voters(dijon(), 17), "2020-05-20")) == []


def test_before_3_april_2020_the_third_counts_members_present_only():
    data = move_to(_keep_voters(dijon(), 17), "2020-04-02")
    assert found(data) == [("presences", "quorum-non-atteint")]
    assert "loi n° 2020-290 du 23 mars 2020, art. 10)" in message(data, "quorum-non-atteint")


def test_after_10_july_2020_the_third_counts_members_present_only_again():
    data = move_to(_keep_voters(dijon(), 17), "2020-07-11")
    assert found(data) == [("presences", "quorum-non-atteint")]
    assert "loi n° 2020-760" in message(data, "quorum-non-atteint")


def _election_du_maire(data):
    data["collectivite"]["type"] = "commune"
    data["deliberation"]["matiere"] = "5.1"
    votants = len(present_ids(data)) - len(data["presences"].get("ne_prennent_pas_part", []))
    votants += len(data["presences"]["pouvoirs"])
    data["deliberation"]["election"] = {
        "postes": 1, "tours": [{"candidats": [{"nom": "M. François REBSAMEN", "voix": votants}]}]
    }
    del data["deliberation"]["vote"]
    return data


def test_the_election_of_the_maire_from_14_may_2020_counts_members_present_only():
    data = move_to(_election_du_maire(_keep_voters(dijon(), 17)), "2020-05-20")
    assert found(data) == [("presences", "quorum-non-atteint")]
    assert "ordonnance n° 2020-562" in message(data, "quorum-non-atteint")


def test_the_election_of_the_maire_before_14_may_2020_counts_members_represented():
    data = move_to(_election_du_maire(_keep_voters(dijon(), 17)), "2020-05-13")
    assert found(data) == []


@pytest.mark.parametrize(("departement", "quorum_du_tiers"), [("973", True), ("976", True),
                                                                ("021", False)])
def test_guyane_and_mayotte_kept_the_third_until_17_september_2020(departement, quorum_du_tiers):
    data = move_to(_keep_voters(dijon(), 27), "2020-09-17")
    data["collectivite"]["departement"] = departement
    expected = [] if quorum_du_tiers else [("presences", "quorum-non-atteint")]
    assert found(data) == expected


def test_a_commission_permanente_had_the_third_only_from_11_july_2020():
    data = _departement(_keep_voters(dijon(), 27), "commission_permanente")  # 27 + 10 = 37
    assert found(move_to(copy.deepcopy(data), "2020-07-11")) == []
    assert found(move_to(data, "2020-07-10")) == [("presences", "quorum-non-atteint")]


def test_suppleants_do_not_count_in_the_members_in_office():
    data = _keep_voters(dijon(), 40)
    data["membres"].append({"id": "s", "civilite": "M.", "prenom": "Paul", "nom": "SUPPLÉANT",
                            "suppleant_de": "martin-didier"})
    data["presences"]["absents"].append("s")  # does not sit: his titulaire is absent, but so is he
    assert found(data) == []  # 40 of 79, not of 80
