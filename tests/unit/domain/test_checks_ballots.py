"""Ballots (CGCT L2121-21) and the casting vote (L2121-20): a vote or a nomination; a public
ballot names every voter once; a secret ballot names nobody and has blank and spoilt ballots."""

from __future__ import annotations

import pytest
from checks_support import dijon, found, message, present_ids, present_sans_role


def _public(data):
    """A public ballot of the Dijon act: every present voter and every mandant named for."""
    voters = present_ids(data) + [pv["mandant"] for pv in data["presences"]["pouvoirs"]]
    data["deliberation"]["vote"].update(mode="public", noms_pour=voters)
    return data


def _contre(data, *ids):
    """Move *ids* from the public ballot's « pour » to « contre »."""
    v = data["deliberation"]["vote"]
    v["noms_pour"] = [i for i in v["noms_pour"] if i not in ids]
    v["noms_contre"] = list(ids)
    v["pour"], v["contre"] = len(v["noms_pour"]), len(ids)
    return data


def test_a_public_ballot_naming_every_voter_once_passes():
    data = _contre(_public(dijon()), "bordat-benoit", present_sans_role(dijon())[0])
    assert found(data) == []


def test_a_public_ballot_without_the_names_is_rejected():
    data = dijon()
    data["deliberation"]["vote"].update(mode="public", pour=74, contre=2,
                                        noms_contre=present_sans_role(data)[:2])
    assert found(data) == [("deliberation.vote.noms_pour", "scrutin-public-sans-noms")]
    assert "CGCT L2121-21" in message(data, "scrutin-public-sans-noms")


def test_a_public_ballot_naming_a_voter_twice_is_rejected():
    data = _public(dijon())
    data["deliberation"]["vote"]["noms_pour"][3] = data["deliberation"]["vote"]["noms_pour"][2]
    assert found(data) == [("deliberation.vote.noms_pour[3]", "vote-nom-repete")]


def test_a_mandataire_named_for_his_mandant_is_rejected():
    # The mandant is named under his own name (contract v1.1), not as his mandataire again.
    data = _public(dijon())
    noms = data["deliberation"]["vote"]["noms_pour"]
    assert noms.index("bordat-benoit") == 66  # after the 66 present voters
    noms[66] = "charret-godard-oceane"
    assert found(data) == [("deliberation.vote.noms_pour[66]", "vote-nom-repete")]


def test_an_absent_member_named_in_a_public_ballot_is_rejected():
    data = _public(dijon())
    data["deliberation"]["vote"]["noms_pour"][75] = "martin-didier"
    assert found(data) == [("deliberation.vote.noms_pour[75]", "vote-non-votant")]


def test_a_secret_ballot_with_blank_and_spoilt_ballots_passes():
    data = dijon()
    data["deliberation"]["vote"].update(mode="secret", pour=60, contre=10, blancs=4, nuls=2)
    assert found(data) == []


def test_blank_ballots_count_in_the_total():
    data = dijon()
    data["deliberation"]["vote"].update(mode="secret", pour=60, contre=10, blancs=4, nuls=1)
    assert found(data) == [("deliberation.vote", "total-votes-incoherent")]
    assert "+ blancs + nuls = 75, attendu 76" in message(data, "total-votes-incoherent")


def test_a_secret_ballot_names_nobody():
    data = dijon()
    data["deliberation"]["vote"].update(mode="secret", pour=75, contre=1,
                                        noms_contre=present_sans_role(data)[:1])
    assert found(data) == [("deliberation.vote.noms_contre", "scrutin-secret-nominatif")]


@pytest.mark.parametrize("mode", ["main_levee", "public"])
@pytest.mark.parametrize("name", ["blancs", "nuls"])
def test_blank_or_spoilt_ballots_exist_only_in_a_secret_ballot(mode, name):
    data = dijon() if mode == "main_levee" else _public(dijon())
    data["deliberation"]["vote"].update({"mode": mode, "pour": 75, name: 1})
    if mode == "public":
        data["deliberation"]["vote"]["noms_pour"].pop()
    assert found(data) == [(f"deliberation.vote.{name}", "bulletins-hors-scrutin-secret")]


def _tie(data, **fields):
    data["deliberation"]["vote"].update(pour=38, contre=38, **fields)
    return data


@pytest.mark.parametrize("sens", ["pour", "contre"])
def test_a_casting_vote_on_a_tie_passes(sens):
    assert found(_tie(dijon(), voix_preponderante=sens)) == []


def test_a_casting_vote_without_a_tie_is_rejected():
    data = dijon()
    data["deliberation"]["vote"].update(pour=40, contre=36, voix_preponderante="pour")
    assert found(data) == [("deliberation.vote.voix_preponderante",
                            "voix-preponderante-sans-partage")]


def test_a_casting_vote_in_a_secret_ballot_is_rejected():
    data = _tie(dijon(), mode="secret", voix_preponderante="pour")
    assert found(data) == [("deliberation.vote.voix_preponderante",
                            "voix-preponderante-scrutin-secret")]


def test_a_president_leaving_the_vote_has_no_casting_vote():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["rebsamen-francois"]
    data["deliberation"]["vote"].update(pour=38, contre=37, voix_preponderante="pour")
    data["deliberation"]["vote"]["pour"] = 37
    data["deliberation"]["vote"]["abstention"] = 1
    assert found(data) == [("deliberation.vote.voix_preponderante",
                            "voix-preponderante-president-non-votant")]


def test_a_casting_vote_against_the_presidents_named_vote_is_rejected():
    data = _tie(dijon(), voix_preponderante="pour", noms_contre=["rebsamen-francois"] +
                present_sans_role(dijon())[:37])
    assert found(data) == [("deliberation.vote.voix_preponderante",
                            "voix-preponderante-contraire")]
    assert "noms_contre[0]" in message(data, "voix-preponderante-contraire")


def test_a_deliberation_without_vote_or_nomination_is_rejected():
    data = dijon()
    del data["deliberation"]["vote"]
    assert found(data) == [("deliberation.vote", "vote-manquant")]


def test_a_deliberation_with_both_a_vote_and_a_nomination_is_rejected():
    data = dijon()
    data["deliberation"]["election"] = {
        "postes": 1, "tours": [{"candidats": [{"nom": "Mme A", "voix": 76}]}]
    }
    assert found(data) == [("deliberation.election", "vote-et-election")]
