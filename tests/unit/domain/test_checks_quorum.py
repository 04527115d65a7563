"""Quorum: members physically present and voting, against the members in office."""

from __future__ import annotations

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
