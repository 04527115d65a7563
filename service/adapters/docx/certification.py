"""The wording of the end of the extract: the signatures of the sitting's regime, « Fait à …,
le … », the certification « Pour extrait conforme », and the mentions of transmission,
publication and executory force.

Sources (``shared/notes/legal.md`` §4.2, §4.5, §4.7 and §11): from 1 July 2022 the
deliberation is signed by the président and the secretary(ies) of the sitting (CGCT
L2121-23), before by every member present (« ou mention est faite de la cause qui les a
empêchés de signer »); the extract is certified « pour extrait conforme » by the executive or
his delegate (L2122-18, L5211-9); L2131-1 and R2131-1 for the mentions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from service.adapters.docx import libelles as L
from service.domain.execution import Execution
from service.domain.payload import DeliberationPayload, Membre
from service.domain.regimes import signatures_de_seance

MENTION_REGISTRE = (
    "Fait et délibéré en séance les jour, mois et an susdits ; au registre ont signé les "
    "membres présents."
)
"""Before 1 July 2022 the register carried the signatures of every member present (former
L2121-23): the extract says so."""


def _qualite_par_defaut(payload: DeliberationPayload, signataire: Membre | None) -> str:
    titre = ("Maire", "Maire") if payload.collectivite.type == "commune" else (
        "Président", "Présidente"
    )
    if signataire is None:
        return f"Le {titre[0]},"
    return L.accord(signataire, f"Le {titre[0]},", f"La {titre[1]},")


def _avec_virgule(qualite: str) -> str:
    qualite = qualite.strip()
    return qualite if qualite.endswith((",", ".", ":")) else qualite + ","


def textes_de_certification(
    payload: DeliberationPayload, by_id: dict[str, Membre], aujourd_hui: dt.date
) -> dict[str, Any]:
    """Return the ``textes`` keys of the signatures, the certification and the mentions."""
    s = payload.signature
    seance = payload.seance
    signataire_id = (s.signataire if s else None) or seance.president
    signataire = by_id.get(signataire_id)
    lieu = (s.lieu if s else None) or seance.lieu or payload.collectivite.nom
    date = (s.date if s else None) or aujourd_hui
    qualite = (
        _avec_virgule(s.qualite)
        if s and s.qualite
        else _qualite_par_defaut(payload, signataire)
    )
    t = payload.transmission
    execution = (
        Execution(t.date_envoi, t.date_reception, t.date_publication) if t else Execution()
    )
    de_seance = signatures_de_seance(seance.date)
    return {
        "signatures_de_seance": de_seance,
        "mention_registre": "" if de_seance else MENTION_REGISTRE,
        "fait_a": f"Fait à {lieu}, le {L.date_longue(date)}",
        "qualite_signataire": qualite,
        "nom_signataire": f"{signataire.prenom} {signataire.nom}" if signataire else "",
        "execution": execution.lignes(),
    }
