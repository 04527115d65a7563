"""Nominations (CGCT L2121-21): rounds that add up, absolute majority at rounds 1–2, relative at
round 3, the eldest on a tie, nothing after the seats are filled."""

from __future__ import annotations

from checks_support import dijon, found, message

# The Dijon act has 76 voters: 66 present voters and 10 proxies; each round adds up to them.


def _nomination(postes, *tours):
    data = dijon()
    del data["deliberation"]["vote"]
    data["deliberation"]["election"] = {"postes": postes, "tours": list(tours)}
    return data


def _tour(*candidats, blancs=0, nuls=0):
    out = []
    for nom, voix, *naissance in candidats:
        out.append({"nom": nom, "voix": voix} | ({"date_naissance": naissance[0]} if naissance
                                                  else {}))
    return {"candidats": out, "blancs": blancs, "nuls": nuls}


def test_a_nomination_won_at_the_first_round_passes():
    assert found(_nomination(1, _tour(("Mme A", 40), ("M. B", 33), blancs=2, nuls=1))) == []


def test_a_round_that_does_not_add_up_to_the_voters_is_rejected():
    data = _nomination(1, _tour(("Mme A", 40), ("M. B", 33), blancs=2))
    assert found(data) == [("deliberation.election.tours[0]", "election-total-incoherent")]
    assert "= 75, attendu 76" in message(data, "election-total-incoherent")


def test_three_rounds_won_by_the_eldest_pass():
    data = _nomination(
        1,
        _tour(("Mme A", 36), ("M. B", 36), ("M. C", 4)),
        _tour(("Mme A", 37), ("M. B", 37), blancs=2),
        _tour(("Mme A", 38, "1961-05-02"), ("M. B", 38, "1958-11-30")),
    )
    assert found(data) == []


def test_a_tie_at_the_third_round_needs_the_birth_dates():
    data = _nomination(
        1,
        _tour(("Mme A", 36), ("M. B", 36), ("M. C", 4)),
        _tour(("Mme A", 37), ("M. B", 37), blancs=2),
        _tour(("Mme A", 38, "1961-05-02"), ("M. B", 38)),
    )
    assert found(data) == [
        ("deliberation.election.tours[2].candidats[1].date_naissance", "date-naissance-manquante")
    ]
    assert "au plus âgé (CGCT L2121-21)" in message(data, "date-naissance-manquante")


def test_a_tie_between_candidates_born_the_same_day_is_reported():
    data = _nomination(
        1,
        _tour(("Mme A", 38), ("M. B", 38)),
        _tour(("Mme A", 38), ("M. B", 38)),
        _tour(("Mme A", 38, "1961-05-02"), ("M. B", 38, "1961-05-02")),
    )
    assert found(data) == [
        ("deliberation.election.tours[2].candidats[1].date_naissance", "egalite-d-age")
    ]


def test_a_round_after_the_seat_is_filled_is_rejected():
    data = _nomination(1, _tour(("Mme A", 40), ("M. B", 36)), _tour(("M. B", 76)))
    assert found(data) == [("deliberation.election.tours[1]", "tour-superflu")]


def test_a_fourth_round_is_rejected():
    tie = _tour(("Mme A", 38, "1961-05-02"), ("M. B", 38))
    data = _nomination(1, tie, tie, tie, tie)
    assert ("deliberation.election.tours[3]", "tour-superflu") in found(data)
    assert "au-delà du troisième tour" in message(data, "tour-superflu")


def test_seats_left_empty_after_two_rounds_call_for_another_round():
    data = _nomination(1, _tour(("Mme A", 38), ("M. B", 38)))
    assert found(data) == [("deliberation.election.tours", "election-inachevee")]
    assert "un 2e tour est nécessaire" in message(data, "election-inachevee")


def test_a_candidate_named_twice_in_a_round_is_rejected():
    data = _nomination(1, _tour(("Mme A", 40), ("Mme A", 36)))
    assert ("deliberation.election.tours[0].candidats[1].nom", "candidat-repete") in found(data)


def test_an_elected_candidate_is_no_longer_a_candidate():
    data = _nomination(2, _tour(("Mme A", 40), ("M. B", 36)), _tour(("Mme A", 40), ("M. B", 36)))
    assert ("deliberation.election.tours[1].candidats[0].nom", "candidat-deja-elu") in found(data)


def test_two_seats_filled_in_two_rounds_pass():
    data = _nomination(2, _tour(("Mme A", 40), ("M. B", 36)), _tour(("M. B", 46), ("M. C", 30)))
    assert found(data) == []
