"""Attendance: nobody both present and absent; president and secretaries present."""

from __future__ import annotations

from checks_support import dijon, found, message, present_sans_role


def test_an_absent_member_cannot_leave_the_vote():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["houpert-alain"]
    assert found(data) == [("presences.ne_prennent_pas_part[0]", "present-et-absent")]
    assert "presences.absents[1]" in message(data, "present-et-absent")


def test_a_present_member_may_leave_the_vote():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = [present_sans_role(data)[0]]
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == []


def test_an_absent_president_is_rejected():
    data = dijon()
    data["presences"]["absents"].append("rebsamen-francois")
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == [("seance.president", "president-absent")]
    assert "REBSAMEN" in message(data, "president-absent")


def test_a_president_who_gave_a_proxy_is_rejected():
    data = dijon()
    data["presences"]["pouvoirs"].append(
        {"mandant": "rebsamen-francois", "mandataire": present_sans_role(data)[1]}
    )
    assert found(data) == [("seance.president", "president-absent")]
    assert "presences.pouvoirs[10]" in message(data, "president-absent")


def test_a_president_leaving_the_vote_stays_present():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["rebsamen-francois"]
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == []


def test_an_absent_secretary_is_rejected():
    data = dijon()
    data["presences"]["absents"].append("akpinar-istiquam-nuray")
    data["deliberation"]["vote"]["pour"] = 75
    assert found(data) == [("seance.secretaires[0]", "secretaire-absent")]


def test_a_second_secretary_who_gave_a_proxy_is_rejected():
    data = dijon()
    autre, mandataire = present_sans_role(data)[:2]
    data["seance"]["secretaires"].append(autre)
    data["presences"]["pouvoirs"].append({"mandant": autre, "mandataire": mandataire})
    assert found(data) == [("seance.secretaires[1]", "secretaire-absent")]


def test_a_mandant_also_listed_absent_is_rejected():
    # The lists of presences are disjoint: a represented member is only a mandant.
    data = dijon()
    data["presences"]["absents"].append("bordat-benoit")
    assert found(data) == [("presences.absents[3]", "absent-et-mandant")]
    msg = message(data, "absent-et-mandant")
    assert "M. Benoît BORDAT" in msg and "presences.pouvoirs[0].mandant" in msg


def test_absent_members_without_proxy_pass():
    assert found(dijon()) == []
