"""Checks of who certifies the extract, and when (``signature``, contract v1.1)."""

from __future__ import annotations

from service.domain.checks.registre import Registre
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def check_signature(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of ``signature``: certified before the sitting, or by a member
    other than the président without the qualité under which he signs.

    Source: CGCT L2131-1 (« Le maire peut, sous sa responsabilité, certifier le caractère
    exécutoire d'un acte »; EPCI through L5211-3), L2122-18 and L5211-9 (he may delegate his
    signature to an adjoint or a vice-président, who then signs « par délégation »); R2131-1
    (the published act shows « le prénom, le nom et la qualité de leur auteur »).
    """
    s = payload.signature
    if s is None:
        return []
    found = []
    if s.date is not None and s.date < payload.seance.date:
        found.append(
            Violation(
                "signature.date",
                "signature-avant-seance",
                f"signature.date ({s.date:%d/%m/%Y}) précède la séance "
                f"({payload.seance.date:%d/%m/%Y}) : l'extrait certifie une délibération déjà "
                "adoptée.",
            )
        )
    registre = Registre.of(payload)
    if (
        s.signataire is not None
        and s.signataire != payload.seance.president
        and registre.connu(s.signataire)
        and not (s.qualite or "").strip()
    ):
        found.append(
            Violation(
                "signature.qualite",
                "qualite-signataire-manquante",
                f"signature.qualite : {registre.nomme(s.signataire)} n'est pas le président de "
                "séance ; préciser la qualité sous laquelle il certifie, par exemple « Pour le "
                "Président et par délégation, le Vice-Président » (CGCT R2131-1 : prénom, nom et "
                "qualité de l'auteur).",
            )
        )
    return found
