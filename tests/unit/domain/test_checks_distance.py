"""Remote attendance: where and when the law allowed it, by present members, public ballots only."""

from __future__ import annotations

import pytest
from checks_support import dijon, found, message, move_to, payload, present_sans_role

from service.domain.decompte import decompter


def _a_distance(data, *, type_collectivite="metropole", day="2024-03-14", n=2):
    data["collectivite"]["type"] = type_collectivite
    move_to(data, day)
    data["presences"]["a_distance"] = present_sans_role(data)[:n]
    _public(data)
    return data


def _public(data):
    """Make the vote a public ballot naming every voter (mandants under their own name)."""
    p = data["presences"]
    out = set(p["absents"]) | set(p.get("ne_prennent_pas_part", []))
    voters = [m["id"] for m in data["membres"] if m["id"] not in out]
    data["deliberation"]["vote"].update(
        mode="public", pour=len(voters), contre=0, abstention=0, ne_se_prononce_pas=0,
        noms_pour=voters,
    )
    return data


def test_an_epci_council_may_meet_by_teleconference_since_29_december_2019():
    data = _a_distance(dijon(), day="2019-12-29")
    assert found(data) == []
    assert [m.id for m in decompter(payload(data)).a_distance] == data["presences"]["a_distance"]
    assert decompter(payload(data)).presents_votants == 66  # remote members are present


def test_an_epci_council_could_not_before_the_law_of_27_december_2019():
    data = _a_distance(dijon(), day="2019-12-19")
    assert found(data) == [("presences.a_distance", "a-distance-non-permis")]
    assert "CGCT L5211-11-1" in message(data, "a-distance-non-permis")


@pytest.mark.parametrize("type_collectivite", ["commune", "departement", "region", "syndicat"])
def test_other_authorities_attend_in_person_outside_the_covid_windows(type_collectivite):
    data = _a_distance(dijon(), type_collectivite=type_collectivite)
    assert found(data) == [("presences.a_distance", "a-distance-non-permis")]


@pytest.mark.parametrize("day", ["2020-04-03", "2021-03-04", "2022-07-31"])
def test_a_commune_could_meet_by_teleconference_in_the_covid_windows(day):
    assert found(_a_distance(dijon(), type_collectivite="commune", day=day)) == []


@pytest.mark.parametrize("day", ["2020-04-02", "2020-07-11", "2021-10-01", "2022-08-01"])
def test_a_commune_could_not_outside_them(day):
    data = _a_distance(dijon(), type_collectivite="commune", day=day)
    assert found(data) == [("presences.a_distance", "a-distance-non-permis")]


def test_a_bureau_may_not_meet_by_teleconference_under_l5211_11_1():
    data = _a_distance(dijon())
    data["assemblee"]["organe"] = "bureau"
    assert found(data) == [("presences.a_distance", "a-distance-non-permis")]


def test_remote_members_vote_only_by_public_ballot():
    data = _a_distance(dijon())
    data["deliberation"]["vote"]["mode"] = "main_levee"
    assert found(data) == [("deliberation.vote.mode", "a-distance-scrutin-non-public")]


def test_no_nomination_with_remote_members():
    data = _a_distance(dijon())
    votants = data["deliberation"].pop("vote")["pour"]
    data["deliberation"]["election"] = {
        "postes": 1, "tours": [{"candidats": [{"nom": "Mme A", "voix": votants}]}]
    }
    assert found(data) == [("deliberation.election", "a-distance-nomination")]


@pytest.mark.parametrize(
    ("liste", "membre", "code"),
    [
        ("absents", "martin-didier", "a-distance-absent"),
        ("mandant", "bordat-benoit", "a-distance-absent"),
        ("ne_prennent_pas_part", None, "a-distance-ne-prend-pas-part"),
    ],
)
def test_a_remote_member_is_in_no_other_list(liste, membre, code):
    data = _a_distance(dijon())
    if liste == "ne_prennent_pas_part":
        membre = present_sans_role(data)[5]
        data["presences"]["ne_prennent_pas_part"] = [membre]
        _public(data)
    data["presences"]["a_distance"].append(membre)
    assert found(data) == [("presences.a_distance[2]", code)]


def test_a_remote_member_listed_twice_is_rejected():
    data = _a_distance(dijon())
    data["presences"]["a_distance"].append(data["presences"]["a_distance"][0])
    assert found(data) == [("presences.a_distance[2]", "membre-repete")]


def test_an_unknown_remote_member_is_rejected():
    data = _a_distance(dijon())
    data["presences"]["a_distance"].append("personne")
    assert found(data) == [("presences.a_distance[2]", "membre-inconnu")]
