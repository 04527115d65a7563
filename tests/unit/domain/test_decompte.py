"""The derived counts of decompte.py against the official Dijon extract and the law's dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from checks_support import DIJON_EXTRAIT, dijon, payload, present_sans_role

from service.domain.decompte import decompter, max_pouvoirs_per_mandataire, quorum_required


def _extrait(label: str) -> int:
    text = DIJON_EXTRAIT.read_text(encoding="utf-8")
    return int(re.search(re.escape(label) + r"\s*:\s*(\d+)", text).group(1))


def test_dijon_counts_are_those_printed_on_the_official_extract():
    d = decompter(payload(dijon()))
    assert d.en_exercice == _extrait("Nombre de membres en exercice")
    assert d.presents_votants == _extrait("Nombre de présents participant au vote")
    assert d.procurations == _extrait("Nombre de procurations")
    assert d.votants == _extrait("POUR")
    assert d.quorum == 40


def test_dijon_absents_are_those_of_the_extract_in_order():
    d = decompter(payload(dijon()))
    text = DIJON_EXTRAIT.read_text(encoding="utf-8")
    bloc = text[text.index("Membres absents") : text.index("pouvoir à")]
    printed = [line.strip() for line in bloc.splitlines()[1:] if line.strip()][:-1]
    assert [f"{m.civilite} {m.prenom} {m.nom}" for m in d.absents] == printed
    assert len(d.presents) == 66 and len(d.pouvoirs) == 10


@pytest.mark.parametrize(
    ("en_exercice", "quorum"), [(79, 40), (80, 41), (53, 27), (15, 8), (12, 7), (1, 1)]
)
def test_the_quorum_is_more_than_half_of_the_members_in_office(en_exercice, quorum):
    assert quorum_required(en_exercice, dt.date(2019, 12, 19), False) == quorum


@pytest.mark.parametrize(("en_exercice", "quorum"), [(79, 27), (80, 27), (81, 27), (82, 28)])
def test_the_quorum_is_one_third_inside_a_covid_window(en_exercice, quorum):
    assert quorum_required(en_exercice, dt.date(2021, 3, 4), False) == quorum


@pytest.mark.parametrize(
    ("day", "covid"),
    [
        ("2020-03-23", False),
        ("2020-03-24", True),
        ("2020-08-30", True),
        ("2020-08-31", False),
        ("2020-11-15", False),
        ("2020-11-16", True),
        ("2021-09-30", True),
        ("2021-10-01", False),
        ("2021-11-09", False),
        ("2021-11-11", False),  # loi 2021-1465: JORF of 11 November, in force the next day
        ("2021-11-12", True),
        ("2022-07-31", True),
        ("2022-08-01", False),
    ],
)
def test_the_covid_windows_open_and_close_on_the_dates_of_the_laws(day, covid):
    day = dt.date.fromisoformat(day)
    assert quorum_required(79, day, False) == (27 if covid else 40)
    assert max_pouvoirs_per_mandataire(day) == (2 if covid else 1)


@pytest.mark.parametrize("day", [dt.date(2019, 12, 19), dt.date(2021, 3, 4)])
def test_a_second_convocation_needs_no_quorum(day):
    assert quorum_required(79, day, True) == 0


def test_a_second_convocation_payload_has_a_zero_quorum():
    data = dijon()
    data["seance"]["seconde_convocation"] = True
    assert decompter(payload(data)).quorum == 0


def test_a_member_leaving_the_vote_is_present_but_not_a_voter():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = [present_sans_role(data)[0]]
    d = decompter(payload(data))
    assert (len(d.presents), d.presents_votants, d.procurations) == (66, 65, 10)
    assert [m.id for m in d.ne_prennent_pas_part] == data["presences"]["ne_prennent_pas_part"]


def test_a_mandataire_leaving_the_vote_carries_no_proxy():
    data = dijon()
    data["presences"]["ne_prennent_pas_part"] = ["charret-godard-oceane"]
    d = decompter(payload(data))
    assert (d.presents_votants, d.procurations, d.votants) == (65, 9, 74)


def test_a_mandant_also_listed_absent_is_counted_once():
    data = dijon()
    data["presences"]["absents"].append("bordat-benoit")
    d = decompter(payload(data))
    assert (d.presents_votants, d.procurations) == (66, 10)
    assert "bordat-benoit" not in [m.id for m in d.absents]


def test_the_members_in_office_may_be_given():
    data = dijon()
    data["assemblee"]["en_exercice"] = 60
    d = decompter(payload(data))
    assert (d.en_exercice, d.quorum) == (60, 31)


def test_unknown_ids_are_left_out_of_the_counts():
    data = dijon()
    data["presences"]["absents"].append("dupont-jean")
    data["presences"]["pouvoirs"].append(
        {"mandant": "dupont-jean", "mandataire": "pribetich-pierre"}
    )
    d = decompter(payload(data))
    assert (d.presents_votants, d.procurations, len(d.absents)) == (66, 10, 3)
