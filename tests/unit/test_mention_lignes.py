"""The wording of the prefecture's mention, line by line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from service.domain.mention import MentionPrefecture, lignes_mention

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
EXTRAIT_DIJON = SHARED / "reference" / "extrait-dijon-metropole-2019-12-19-013.txt"
ID_DIJON = "021-242100410-20191219-2019-12-19_013-DE"


def _bloc_dijon() -> list[str]:
    """Return the four lines of the stamp printed on Dijon Métropole's extract."""
    lines = [line.strip() for line in EXTRAIT_DIJON.read_text(encoding="utf-8").splitlines()]
    start = lines.index("Accusé de réception en préfecture")
    return lines[start : start + 4]


def test_accuse_reception_reproduces_the_block_of_the_dijon_extract():
    bloc = _bloc_dijon()
    envoi = dt.datetime.strptime(bloc[2].rsplit(" ", 1)[1], "%d/%m/%Y").date()
    reception = dt.datetime.strptime(bloc[3].rsplit(" ", 1)[1], "%d/%m/%Y").date()
    mention = MentionPrefecture(bloc[1], date_envoi=envoi, date_reception=reception)

    assert lignes_mention(mention, "accuse-reception") == bloc


def test_accuse_reception_writes_days_and_months_on_two_digits():
    mention = MentionPrefecture(ID_DIJON, dt.date(2020, 1, 2), dt.date(2020, 3, 4))

    assert lignes_mention(mention, "accuse-reception") == [
        "Accusé de réception en préfecture",
        ID_DIJON,
        "Date de télétransmission : 02/01/2020",
        "Date de réception préfecture : 04/03/2020",
    ]


def test_accuse_reception_shows_the_publication_date_once_known():
    mention = MentionPrefecture(
        ID_DIJON, dt.date(2019, 12, 20), dt.date(2019, 12, 20), dt.date(2019, 12, 23)
    )

    assert lignes_mention(mention, "accuse-reception") == [
        "Accusé de réception en préfecture",
        ID_DIJON,
        "Date de télétransmission : 20/12/2019",
        "Date de réception préfecture : 20/12/2019",
        "Date de publication : 23/12/2019",
        "Certifié exécutoire le 23/12/2019",
    ]


def test_s2low_uses_the_production_row_titles():
    mention = MentionPrefecture(
        ID_DIJON, dt.date(2019, 12, 20), dt.date(2019, 12, 21), dt.date(2019, 12, 23)
    )

    assert lignes_mention(mention, "s2low") == [
        "Envoyé en préfecture le 20/12/2019",
        "Reçu en préfecture le 21/12/2019",
        "Publié le 23/12/2019",
        "Certifié exécutoire le 23/12/2019",
        f"ID : {ID_DIJON}",
    ]


def test_s2low_leaves_out_the_publication_when_unknown():
    mention = MentionPrefecture(ID_DIJON, dt.date(2019, 12, 20), dt.date(2019, 12, 20))

    assert lignes_mention(mention, "s2low") == [
        "Envoyé en préfecture le 20/12/2019",
        "Reçu en préfecture le 20/12/2019",
        f"ID : {ID_DIJON}",
    ]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("accuse-reception", ["Accusé de réception en préfecture", ID_DIJON,
                              "Date de réception préfecture : 20/12/2019"]),
        ("s2low", ["Reçu en préfecture le 20/12/2019", f"ID : {ID_DIJON}"]),
    ],
)
def test_an_unknown_sending_date_leaves_its_line_out(kind, expected):
    mention = MentionPrefecture(ID_DIJON, date_reception=dt.date(2019, 12, 20))

    assert lignes_mention(mention, kind) == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("accuse-reception", ["Accusé de réception en préfecture", ID_DIJON,
                              "Date de télétransmission : 20/12/2019"]),
        ("s2low", ["Envoyé en préfecture le 20/12/2019", f"ID : {ID_DIJON}"]),
    ],
)
def test_an_unknown_receipt_date_leaves_its_line_out(kind, expected):
    mention = MentionPrefecture(ID_DIJON, date_envoi=dt.date(2019, 12, 20))

    assert lignes_mention(mention, kind) == expected


def test_an_unknown_style_is_refused():
    mention = MentionPrefecture(ID_DIJON, dt.date(2019, 12, 20))

    with pytest.raises(ValueError, match="style de mention inconnu"):
        lignes_mention(mention, "stela")  # type: ignore[arg-type]


def test_the_certification_waits_for_both_receipt_and_publication():
    published_only = MentionPrefecture(ID_DIJON, dt.date(2019, 12, 20), None,
                                       dt.date(2019, 12, 23))
    assert not any("exécutoire" in line for line in lignes_mention(published_only, "s2low"))
    # Published before its receipt: executory on the later date, the receipt's.
    mention = MentionPrefecture(ID_DIJON, dt.date(2019, 12, 20), dt.date(2019, 12, 27),
                                dt.date(2019, 12, 23))
    assert "Certifié exécutoire le 27/12/2019" in lignes_mention(mention, "accuse-reception")
