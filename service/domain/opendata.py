"""The deliberations of a sitting as open data: rows of the SCDL « Délibérations » schema.

Schema 2.1.5 of OpenDataFrance (``shared/opendata/scdl-deliberations-schema.json``, notes in
``shared/notes/legal.md`` §7): seventeen columns, in this order. The rows are plain data here;
writing them as CSV is the caller's business.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from service.domain.actes.identifier import normalise_departement
from service.domain.actes.nomenclature import NOMENCLATURE
from service.domain.decompte import decompter
from service.domain.payload import DeliberationPayload
from service.domain.seance import SeancePayload, deliberation_payload

SCDL_FIELDS: tuple[str, ...] = (
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
)
"""The columns of the SCDL « Délibérations » schema 2.1.5, in the schema's order."""

_NOT_IN_NAMES = re.compile(r"[,()]")


def matiere_scdl(matiere: str) -> tuple[str, str]:
    """Return ``(DELIB_MATIERE_CODE, DELIB_MATIERE_NOM)`` for an ACTES classification code.

    The code is the level-2 code (``"4.1"`` for ``"4.1.3"``); the name is the level-1 title, a
    slash and the level-2 title of the national nomenclature, « en minuscules accentuées, sans
    virgule ni parenthèse » (schema, ``DELIB_MATIERE_NOM``): ``fonction publique/personnel
    titulaires et stagiaires de la f.p.t.``. A slash inside a title (1.5 « Transactions /
    protocole… ») becomes a hyphen, since the slash separates the two levels.

    :raises KeyError: when the code is not in the national nomenclature (the checks refuse it).
    """
    parts = matiere.split(".")
    code = ".".join(parts[:2])
    return code, f"{_nom(NOMENCLATURE[parts[0]])}/{_nom(NOMENCLATURE[code])}"


def _nom(titre: str) -> str:
    text = _NOT_IN_NAMES.sub(" ", titre).replace("/", "-").lower()
    return " ".join(text.split())


def pref_id(departement: str) -> str:
    """Return the SCDL ``PREF_ID`` of the prefecture of *departement*: ``PREF021``, ``PREF02A``."""
    return f"PREF{normalise_departement(departement)}"


def ligne_scdl(
    payload: DeliberationPayload,
    *,
    siret: str,
    date_reception: dt.date | None = None,
    url: str | None = None,
) -> dict[str, str]:
    """Return the SCDL row of one deliberation, every value as text (empty when unknown).

    ``PREF_ID`` and ``PREF_DATE`` are filled once the prefecture acknowledged the act
    (*date_reception*, the date it was registered for the contrôle de légalité).
    ``VOTE_EFFECTIF`` is the number of members in office, ``VOTE_REEL`` those who voted for,
    against or abstained (``VOTE_POUR + VOTE_CONTRE + VOTE_ABSTENTION``, the schema's
    ``sum-columns-value`` check): members who did not take part, blank and spoilt ballots are
    not counted.
    """
    d, c = payload.deliberation, payload.collectivite
    code, nom = matiere_scdl(d.matiere)
    vote = d.vote
    # A nomination has rounds and candidates, not for and against: its vote columns stay empty
    # (they are optional in the schema).
    votes = (
        {"VOTE_REEL": "", "VOTE_POUR": "", "VOTE_CONTRE": "", "VOTE_ABSTENTION": ""}
        if vote is None
        else {
            "VOTE_REEL": str(vote.pour + vote.contre + vote.abstention),
            "VOTE_POUR": str(vote.pour),
            "VOTE_CONTRE": str(vote.contre),
            "VOTE_ABSTENTION": str(vote.abstention),
        }
    )
    return {
        "COLL_NOM": c.nom,
        "COLL_SIRET": siret,
        "DELIB_ID": d.numero,
        "DELIB_DATE": payload.seance.date.isoformat(),
        "DELIB_MATIERE_CODE": code,
        "DELIB_MATIERE_NOM": nom,
        "DELIB_OBJET": d.objet,
        "BUDGET_ANNEE": "",
        "BUDGET_NOM": "",
        "PREF_ID": pref_id(c.departement) if date_reception else "",
        "PREF_DATE": date_reception.isoformat() if date_reception else "",
        "VOTE_EFFECTIF": str(decompter(payload).en_exercice),
        **votes,
        "DELIB_URL": url or "",
    }


def lignes_scdl(
    seance: SeancePayload,
    *,
    siret: str,
    receptions: Mapping[str, dt.date | None] | None = None,
    identifiants: list[str] | None = None,
) -> list[dict[str, str]]:
    """Return the SCDL rows of every deliberation of *seance*, in the sitting's order.

    *receptions* gives the prefecture's acknowledgement date by act identifier, for the
    *identifiants* of the acts (in the sitting's order).
    """
    receptions = receptions or {}
    rows = []
    for i in range(len(seance.deliberations)):
        ident = identifiants[i] if identifiants else None
        rows.append(
            ligne_scdl(
                deliberation_payload(seance, i),
                siret=siret,
                date_reception=receptions.get(ident) if ident else None,
            )
        )
    return rows
