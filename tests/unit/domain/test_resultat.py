"""The result in words and the elected of a nomination, derived from the counts."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain.payload import Election, Membre, Vote
from service.domain.resultat import (
    depouiller,
    majorite_absolue,
    resultat_du_vote,
    resultat_election,
)

PRESIDENT = Membre(id="p", civilite="M.", prenom="François", nom="REBSAMEN")
PRESIDENTE = Membre(id="p", civilite="Mme", prenom="Anne", nom="HIDALGO")


def vote(**fields) -> Vote:
    counts = {"pour": 0, "contre": 0, "abstention": 0, "ne_se_prononce_pas": 0}
    return Vote.model_validate(counts | fields)


@pytest.mark.parametrize(
    ("counts", "adoptee", "libelle"),
    [
        ({"pour": 76}, True, "Adoptée à l'unanimité"),
        ({"pour": 70, "abstention": 6}, True, "Adoptée à l'unanimité des suffrages exprimés"),
        ({"pour": 75, "ne_se_prononce_pas": 1}, True,
         "Adoptée à l'unanimité des suffrages exprimés"),
        ({"pour": 60, "contre": 10, "abstention": 6}, True, "Adoptée à la majorité"),
        ({"pour": 10, "contre": 60, "abstention": 6}, False, "Rejetée à la majorité"),
        ({"contre": 76}, False, "Rejetée à l'unanimité"),
        ({"contre": 70, "abstention": 6}, False, "Rejetée à l'unanimité des suffrages exprimés"),
        ({"abstention": 76}, False, "Rejetée, faute de suffrage exprimé"),
        ({"pour": 38, "contre": 38}, False, "Rejetée, faute de majorité (partage égal des voix)"),
    ],
)
def test_the_result_follows_the_votes_cast(counts, adoptee, libelle):
    r = resultat_du_vote(vote(**counts), PRESIDENT)
    assert (r.adoptee, r.libelle) == (adoptee, libelle)
    assert r.exprimes == counts.get("pour", 0) + counts.get("contre", 0)


def test_blank_and_spoilt_ballots_are_not_votes_cast():
    r = resultat_du_vote(vote(mode="secret", pour=70, blancs=4, nuls=2), PRESIDENT)
    assert (r.adoptee, r.libelle) == (True, "Adoptée à l'unanimité des suffrages exprimés")


def test_a_tie_settled_by_the_presidents_casting_vote_is_adopted():
    r = resultat_du_vote(vote(pour=38, contre=38, voix_preponderante="pour"), PRESIDENT)
    assert (r.adoptee, r.libelle) == (True, "Adoptée, la voix du Président étant prépondérante")
    assert r.voix_preponderante == "pour"


def test_a_casting_vote_against_rejects_and_is_worded_for_a_presidente():
    r = resultat_du_vote(vote(pour=38, contre=38, voix_preponderante="contre"), PRESIDENTE)
    assert not r.adoptee
    assert r.libelle == "Rejetée, la voix de la Présidente étant prépondérante"


def test_a_public_ballot_naming_the_president_settles_the_tie_by_itself():
    v = vote(mode="public", pour=2, contre=2, noms_pour=["p", "a"], noms_contre=["b", "c"])
    r = resultat_du_vote(v, PRESIDENT)
    assert r.adoptee and r.voix_preponderante == "pour"


def test_a_tie_in_a_secret_ballot_is_rejected_whatever_the_president_said():
    r = resultat_du_vote(vote(mode="secret", pour=38, contre=38, voix_preponderante="pour"))
    assert (r.adoptee, r.voix_preponderante) == (False, None)


@pytest.mark.parametrize(("exprimes", "majorite"), [(73, 37), (74, 38), (1, 1), (0, 1)])
def test_the_absolute_majority_is_more_than_half(exprimes, majorite):
    assert majorite_absolue(exprimes) == majorite


def election(postes: int, *tours) -> Election:
    return Election.model_validate({"postes": postes, "tours": list(tours)})


def tour(*candidats, blancs=0, nuls=0) -> dict:
    out = []
    for c in candidats:
        nom, voix, *naissance = c
        out.append({"nom": nom, "voix": voix}
                   | ({"date_naissance": naissance[0]} if naissance else {}))
    return {"candidats": out, "blancs": blancs, "nuls": nuls}


def test_an_absolute_majority_at_the_first_round_elects():
    d = depouiller(election(1, tour(("Mme A", 40), ("M. B", 33), blancs=3)))
    assert [(e.nom, e.voix, e.tour) for e in d.elus] == [("Mme A", 40, 1)]
    assert d.complete and d.tours[0].majorite_absolue == 37 and d.tours[0].exprimes == 73


def test_without_absolute_majority_a_second_round_is_needed():
    d = depouiller(election(1, tour(("Mme A", 36), ("M. B", 36), ("M. C", 4))))
    assert d.elus == () and not d.complete


def test_the_third_round_elects_by_relative_majority():
    d = depouiller(election(
        1,
        tour(("Mme A", 30), ("M. B", 30), ("M. C", 16)),
        tour(("Mme A", 34), ("M. B", 32), ("M. C", 10)),
        tour(("Mme A", 35), ("M. B", 31), ("M. C", 10)),
    ))
    assert [(e.nom, e.voix, e.tour, e.au_plus_age) for e in d.elus] == [("Mme A", 35, 3, False)]
    assert d.tours[2].majorite_absolue is None


def test_a_tie_at_the_third_round_goes_to_the_eldest():
    d = depouiller(election(
        1,
        tour(("Mme A", 38), ("M. B", 38)),
        tour(("Mme A", 38), ("M. B", 38)),
        tour(("Mme A", 38, "1961-05-02"), ("M. B", 38, "1958-11-30")),
    ))
    assert [(e.nom, e.tour, e.au_plus_age) for e in d.elus] == [("M. B", 3, True)]
    assert d.egalites == ()


def test_a_tie_without_birth_dates_is_left_undecided():
    d = depouiller(election(
        1, tour(("Mme A", 38), ("M. B", 38)), tour(("Mme A", 38), ("M. B", 38)),
        tour(("Mme A", 38), ("M. B", 38, "1958-11-30")),
    ))
    assert d.elus == () and d.egalites == ((2, (0, 1)),)


def test_several_seats_fill_round_after_round_and_later_rounds_are_superfluous():
    d = depouiller(election(
        2,
        tour(("Mme A", 40), ("M. B", 30), ("M. C", 6)),
        tour(("M. B", 50), ("M. C", 26)),
        tour(("M. C", 76)),
    ))
    assert [(e.nom, e.tour) for e in d.elus] == [("Mme A", 1), ("M. B", 2)]
    assert d.complete and d.superflus == (2,)


def test_the_list_names_the_elected_with_their_votes():
    r = resultat_election(election(1, tour(("Mme Claire DUPONT", 40), ("M. B", 36))))
    assert (r.adoptee, r.libelle) == (True, "Nomination : Mme Claire DUPONT (40 voix)")


def test_birth_dates_are_dates():
    e = election(1, tour(("Mme A", 1, "1961-05-02")))
    assert e.tours[0].candidats[0].date_naissance == dt.date(1961, 5, 2)
