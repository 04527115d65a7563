"""The law of a sitting's date and body: COVID-19 windows, teleconference, signatures."""

from __future__ import annotations

import datetime as dt

import pytest

from service.domain.execution import Execution
from service.domain.regimes import (
    derogation_covid,
    regle_pouvoirs,
    regle_quorum,
    signatures_de_seance,
    source_teleconference,
    suppleants_prevus,
)

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "texte", "representes"),
    [
        ("2020-03-24", "loi n° 2020-290 du 23 mars 2020, art. 10", False),
        ("2020-04-02", "loi n° 2020-290 du 23 mars 2020, art. 10", False),
        ("2020-04-03", "ordonnance n° 2020-391", True),
        ("2020-07-10", "ordonnance n° 2020-391", True),
        ("2020-07-11", "loi n° 2020-760", False),
        ("2020-08-30", "loi n° 2020-760", False),
        ("2020-11-16", "loi n° 2020-1379", False),
        ("2021-09-30", "loi n° 2020-1379", False),
        ("2021-11-12", "loi n° 2021-1465", False),
        ("2022-07-31", "loi n° 2021-1465", False),
    ],
)
def test_each_covid_window_cites_its_text_and_how_the_third_is_counted(day, texte, representes):
    derogation = derogation_covid(D(day))
    assert derogation is not None and texte in derogation.texte
    assert derogation.representes is representes
    regle = regle_quorum(79, D(day))
    assert (regle.requis, regle.tiers, regle.representes) == (27, True, representes)
    assert regle_pouvoirs(D(day)) == (2, derogation.texte)


@pytest.mark.parametrize("day", ["2020-03-23", "2020-08-31", "2020-10-20", "2020-11-15",
                                 "2021-10-01", "2021-11-11", "2022-08-01"])
def test_outside_the_windows_the_droit_commun_applies(day):
    assert derogation_covid(D(day)) is None
    assert regle_quorum(79, D(day)).requis == 40
    assert regle_pouvoirs(D(day)) == (1, "CGCT art. L2121-20")


def test_guyane_and_mayotte_stayed_in_the_window_until_17_september_2020():
    assert derogation_covid(D("2020-09-17"), departement="973") is not None
    assert derogation_covid(D("2020-09-17"), departement="976") is not None
    assert derogation_covid(D("2020-09-18"), departement="973") is None
    assert derogation_covid(D("2020-09-17"), departement="021") is None


def test_commissions_permanentes_and_bureaux_entered_the_windows_on_11_july_2020():
    assert derogation_covid(D("2020-05-20"), "commission_permanente") is None
    assert derogation_covid(D("2020-07-11"), "bureau") is not None


@pytest.mark.parametrize(
    ("type_collectivite", "day", "allowed"),
    [
        ("metropole", "2019-12-29", True),
        ("epci", "2024-03-14", True),
        ("epci", "2019-12-28", False),
        ("syndicat", "2024-03-14", False),
        ("commune", "2024-03-14", False),
        ("commune", "2020-04-03", True),
        ("commune", "2020-08-01", False),
        ("region", "2021-01-15", True),
    ],
)
def test_teleconference_by_authority_and_date(type_collectivite, day, allowed):
    assert (source_teleconference(type_collectivite, D(day)) is not None) is allowed


def test_suppleants_exist_in_epci_and_syndicats_only():
    assert suppleants_prevus("metropole") == "CGCT art. L5211-6"
    assert suppleants_prevus("syndicat") == "CGCT art. L5212-7"
    assert suppleants_prevus("commune") is None


def test_the_signatures_of_l2121_23_apply_from_1_july_2022():
    assert not signatures_de_seance(D("2022-06-30"))
    assert signatures_de_seance(D("2022-07-01"))


def test_an_act_is_executory_on_the_later_of_receipt_and_publication():
    e = Execution(D("2024-03-15"), D("2024-03-15"), D("2024-03-18"))
    assert e.executoire_le == D("2024-03-18")
    assert e.lignes() == [
        "Transmis au représentant de l’État le 15/03/2024",
        "Reçu par le représentant de l’État le 15/03/2024",
        "Publié le 18/03/2024",
        "Certifié exécutoire, compte tenu de sa réception par le représentant de l’État le "
        "15/03/2024 et de sa publication le 18/03/2024",
    ]


@pytest.mark.parametrize(
    "dates",
    [(D("2024-03-15"), None, D("2024-03-18")), (D("2024-03-15"), D("2024-03-15"), None)],
)
def test_an_act_sent_but_not_received_or_not_published_is_not_certified(dates):
    e = Execution(*dates)
    assert e.executoire_le is None
    assert not any("exécutoire" in line for line in e.lignes())
