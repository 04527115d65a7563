"""The vote: counts add up to the voters; named voters agree with the counts."""

from __future__ import annotations

from checks_support import dijon, found, message, present_sans_role


def _vote(data, **counts):
    data["deliberation"]["vote"].update(counts)
    return data


def test_a_split_vote_adding_up_to_the_voters_passes():
    assert found(_vote(dijon(), pour=70, contre=3, abstention=2, ne_se_prononce_pas=1)) == []


def test_a_total_other_than_present_voters_plus_proxies_is_rejected():
    data = _vote(dijon(), pour=66)  # proxies forgotten
    assert found(data) == [("deliberation.vote", "total-votes-incoherent")]
    msg = message(data, "total-votes-incoherent")
    assert "= 66" in msg and "attendu 76" in msg and "66 présent(s)" in msg
    assert "10 procuration(s)" in msg


def test_named_voters_present_or_represented_pass():
    data = dijon()
    voter = present_sans_role(data)[0]
    _vote(data, pour=73, contre=2, abstention=1, noms_contre=[voter, "bordat-benoit"])
    data["deliberation"]["vote"]["noms_abstention"] = ["charret-godard-oceane"]
    assert found(data) == []


def test_empty_name_lists_pass_when_nobody_voted_so():
    data = _vote(dijon(), noms_contre=[], noms_abstention=[], noms_ne_se_prononce_pas=[])
    assert found(data) == []


def test_fewer_names_than_votes_is_rejected():
    data = dijon()
    _vote(data, pour=74, contre=2, noms_contre=[present_sans_role(data)[0]])
    assert found(data) == [("deliberation.vote.noms_contre", "noms-vote-incoherents")]
    msg = message(data, "noms-vote-incoherents")
    assert "1 membre" in msg and "vaut 2" in msg


def test_names_given_for_a_sense_nobody_voted_are_rejected():
    data = dijon()
    _vote(data, noms_ne_se_prononce_pas=[present_sans_role(data)[0]])
    assert found(data) == [("deliberation.vote.noms_ne_se_prononce_pas", "noms-vote-incoherents")]


def test_a_member_named_in_two_senses_is_rejected():
    data = dijon()
    voter = present_sans_role(data)[0]
    _vote(data, pour=74, contre=1, abstention=1, noms_contre=[voter], noms_abstention=[voter])
    assert found(data) == [("deliberation.vote.noms_abstention[0]", "vote-nom-repete")]
    assert "deliberation.vote.noms_contre[0]" in message(data, "vote-nom-repete")


def test_a_member_named_twice_in_one_sense_is_rejected():
    data = dijon()
    voter = present_sans_role(data)[0]
    _vote(data, pour=74, contre=2, noms_contre=[voter, voter])
    assert found(data) == [("deliberation.vote.noms_contre[1]", "vote-nom-repete")]


def test_an_absent_member_without_proxy_cannot_be_named():
    data = _vote(dijon(), pour=75, contre=1, noms_contre=["martin-didier"])
    assert found(data) == [("deliberation.vote.noms_contre[0]", "vote-non-votant")]


def test_a_member_leaving_the_vote_cannot_be_named():
    data = dijon()
    who = present_sans_role(data)[0]
    data["presences"]["ne_prennent_pas_part"] = [who]
    _vote(data, pour=74, abstention=1, noms_abstention=[who])
    assert found(data) == [("deliberation.vote.noms_abstention[0]", "vote-non-votant")]


def test_a_mandant_whose_mandataire_leaves_the_vote_cannot_be_named():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["charret-godard-oceane"]
    _vote(data, pour=73, contre=1, noms_contre=["bordat-benoit"])
    assert found(data) == [
        ("presences.pouvoirs[0].mandataire", "mandataire-ne-prend-pas-part"),
        ("deliberation.vote.noms_contre[0]", "vote-non-votant"),
    ]
