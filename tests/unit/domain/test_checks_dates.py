"""Convocation, time of the sitting and prefecture dates."""

from __future__ import annotations

import pytest
from checks_support import dijon, found, message


@pytest.mark.parametrize("day", ["2019-12-13", "2019-12-18", "2019-12-19"])
def test_a_convocation_up_to_the_sitting_day_passes(day):
    data = dijon()
    data["seance"]["date_convocation"] = day
    assert found(data) == []


def test_a_convocation_after_the_sitting_is_rejected():
    data = dijon()
    data["seance"]["date_convocation"] = "2019-12-20"
    assert found(data) == [("seance.date_convocation", "convocation-apres-seance")]
    assert "20/12/2019" in message(data, "convocation-apres-seance")


@pytest.mark.parametrize("heure", ["18:30", "09:05", "00:00", "23:59"])
def test_a_time_hh_mm_passes(heure):
    data = dijon()
    data["seance"]["heure"] = heure
    assert found(data) == []


@pytest.mark.parametrize("heure", ["18h30", "9:30", "24:00", "18:60", "", "18:30:00"])
def test_a_time_not_hh_mm_is_rejected(heure):
    data = dijon()
    data["seance"]["heure"] = heure
    assert found(data) == [("seance.heure", "heure-invalide")]


def test_prefecture_dates_after_the_sitting_pass():
    data = dijon()
    data["transmission"] = {
        "date_envoi": "2019-12-19",
        "date_reception": "2019-12-20",
        "date_publication": "2019-12-23",
    }
    assert found(data) == []


def test_no_prefecture_dates_pass():
    data = dijon()
    del data["transmission"]
    assert found(data) == []


def test_an_act_sent_before_its_sitting_is_rejected():
    data = dijon()
    data["transmission"] = {"date_envoi": "2019-12-18"}
    assert found(data) == [("transmission.date_envoi", "envoi-avant-seance")]


def test_a_reception_before_the_sending_is_rejected():
    data = dijon()
    data["transmission"] = {"date_envoi": "2019-12-23", "date_reception": "2019-12-20"}
    assert found(data) == [("transmission.date_reception", "reception-avant-envoi")]


def test_a_reception_before_the_sitting_is_rejected_when_the_sending_is_unknown():
    data = dijon()
    data["transmission"] = {"date_reception": "2019-12-18"}
    assert found(data) == [("transmission.date_reception", "reception-avant-envoi")]


def test_a_publication_before_the_sitting_is_rejected():
    data = dijon()
    data["transmission"] = {"date_publication": "2019-12-01"}
    assert found(data) == [("transmission.date_publication", "publication-avant-seance")]
