"""Checks of the dates and time of the sitting and of the act's transmission."""

from __future__ import annotations

import datetime as dt
import re

from service.domain.dates_prefecture import PrefectureDates
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def _jj_mm_aaaa(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def check_convocation(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``seance.date_convocation`` is after ``seance.date``.

    Source: CGCT L2121-10 to L2121-12 (communes; EPCI through L5211-1, ``shared/notes/legal.md``
    §1.1): the members are convened before the sitting, at least one clear day before even in
    an emergency (L2121-12). Départements and régions also convene before the sitting.
    """
    s = payload.seance
    if s.date_convocation > s.date:
        return [
            Violation(
                "seance.date_convocation",
                "convocation-apres-seance",
                f"seance.date_convocation ({_jj_mm_aaaa(s.date_convocation)}) est postérieure à "
                f"la séance ({_jj_mm_aaaa(s.date)}) : la convocation précède la séance.",
            )
        ]
    return []


def check_heure(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``seance.heure`` is not a time ``HH:MM``.

    Source: contract v1 (« times `HH:MM` »); CGCT L2121-15 requires the hour of the sitting in
    the procès-verbal.
    """
    heure = payload.seance.heure
    if heure is None or re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", heure):
        return []
    return [
        Violation(
            "seance.heure",
            "heure-invalide",
            f"seance.heure « {heure} » : heure attendue au format HH:MM, par exemple « 18:30 ».",
        )
    ]


def check_transmission(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of the prefecture dates: sent before the sitting, received before
    being sent, published before the sitting.

    Source: CGCT L2131-1 and L2131-2: the act transmitted to the préfet and published is the act
    adopted at the sitting; SCDL « Délibérations » ``PREF_DATE`` ≥ ``DELIB_DATE``.
    """
    t = payload.transmission
    if t is None:
        return []
    return check_dates_prefecture(payload.seance.date, t.dates)


def check_dates_prefecture(
    decision: dt.date,
    dates: PrefectureDates,
    *,
    prefix: str = "transmission.",
    today: dt.date | None = None,
) -> list[Violation]:
    """Return the violations of an act's prefecture *dates* against its *decision* date; with
    *today*, also those of dates that have not happened yet (an acknowledgement records facts).

    *prefix* is put before each field name (``transmission.`` in a payload, nothing in the
    body of an acknowledgement).

    Source: CGCT L2131-1 and L2131-2: the act transmitted to the préfet and published is the act
    adopted at the sitting; SCDL « Délibérations » ``PREF_DATE`` ≥ ``DELIB_DATE``. The
    acknowledgement (``ARActe``, ``shared/notes/actes.md``) is the prefecture's receipt of
    what it has received: its date cannot be in the future. A day of margin is left, since
    an overseas prefecture's date is ahead of the server's.
    """
    envoi, reception, publication = dates
    found: list[Violation] = []
    if envoi is not None and envoi < decision:
        found.append(
            Violation(
                f"{prefix}date_envoi",
                "envoi-avant-seance",
                f"{prefix}date_envoi ({_jj_mm_aaaa(envoi)}) précède la séance "
                f"({_jj_mm_aaaa(decision)}) : l'acte est transmis après avoir été adopté.",
            )
        )
    if reception is not None:
        debut, quoi = (envoi, "l'envoi") if envoi else (decision, "la séance")
        if reception < debut:
            found.append(
                Violation(
                    f"{prefix}date_reception",
                    "reception-avant-envoi",
                    f"{prefix}date_reception ({_jj_mm_aaaa(reception)}) précède "
                    f"{quoi} ({_jj_mm_aaaa(debut)}) : la préfecture reçoit l'acte après son envoi.",
                )
            )
    if publication is not None and publication < decision:
        found.append(
            Violation(
                f"{prefix}date_publication",
                "publication-avant-seance",
                f"{prefix}date_publication ({_jj_mm_aaaa(publication)}) précède la "
                f"séance ({_jj_mm_aaaa(decision)}) : l'acte est publié après avoir été adopté.",
            )
        )
    if today is not None:
        latest = today + dt.timedelta(days=1)
        for name, day in (("date_envoi", envoi), ("date_reception", reception),
                          ("date_publication", publication)):
            if day is not None and day > latest:
                found.append(
                    Violation(
                        f"{prefix}{name}",
                        "date-future",
                        f"{prefix}{name} ({_jj_mm_aaaa(day)}) est postérieure à aujourd'hui "
                        f"({_jj_mm_aaaa(today)}) : un accusé de réception date ce qui a eu lieu.",
                    )
                )
    return found
