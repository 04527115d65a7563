"""Checks of the dates and time of the sitting and of the act's transmission."""

from __future__ import annotations

import datetime as dt
import re

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
    seance = payload.seance.date
    found: list[Violation] = []
    if t.date_envoi is not None and t.date_envoi < seance:
        found.append(
            Violation(
                "transmission.date_envoi",
                "envoi-avant-seance",
                f"transmission.date_envoi ({_jj_mm_aaaa(t.date_envoi)}) précède la séance "
                f"({_jj_mm_aaaa(seance)}) : l'acte est transmis après avoir été adopté.",
            )
        )
    if t.date_reception is not None:
        debut, quoi = (t.date_envoi, "l'envoi") if t.date_envoi else (seance, "la séance")
        if t.date_reception < debut:
            found.append(
                Violation(
                    "transmission.date_reception",
                    "reception-avant-envoi",
                    f"transmission.date_reception ({_jj_mm_aaaa(t.date_reception)}) précède "
                    f"{quoi} ({_jj_mm_aaaa(debut)}) : la préfecture reçoit l'acte après son envoi.",
                )
            )
    if t.date_publication is not None and t.date_publication < seance:
        found.append(
            Violation(
                "transmission.date_publication",
                "publication-avant-seance",
                f"transmission.date_publication ({_jj_mm_aaaa(t.date_publication)}) précède la "
                f"séance ({_jj_mm_aaaa(seance)}) : l'acte est publié après avoir été adopté.",
            )
        )
    return found
