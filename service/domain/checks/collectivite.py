"""Checks of the authority's identity: SIREN and département code."""

from __future__ import annotations

import re

from stdnum import luhn

from service.domain.actes.identifier import normalise_departement
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation


def check_siren(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``collectivite.siren`` is not 9 digits with a valid Luhn key.

    Source: INSEE SIRENE: the SIREN is 9 digits, the last one a Luhn check digit (the SCDL
    ``french-siret-value`` check); ACTES XSD ``actesv1_1.xsd``, ``IDActe`` ``[0-9]{9}`` and
    INSEE ``siret.xsd`` ``SIRENType`` (length 9, digits).
    """
    siren = payload.collectivite.siren
    if not re.fullmatch(r"[0-9]{9}", siren):
        return [
            Violation(
                "collectivite.siren",
                "siren-invalide",
                f"collectivite.siren « {siren} » : 9 chiffres attendus, sans espace "
                "(numéro SIREN de l'INSEE).",
            )
        ]
    if not luhn.is_valid(siren):
        return [
            Violation(
                "collectivite.siren",
                "siren-invalide",
                f"collectivite.siren « {siren} » : la clé de contrôle (9e chiffre, algorithme "
                "de Luhn) est fausse ; vérifier le numéro SIREN dans le répertoire SIRENE.",
            )
        ]
    return []


def check_departement(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``collectivite.departement`` is no ACTES département code.

    Source: ACTES XSD ``actesv1_1.xsd``, ``IDActe``: « Departement (3 chiffres ou 2 chiffres +
    A ou B) »; INSEE code officiel géographique: 01–95 (without 20), 2A, 2B, 971–976.
    """
    code = payload.collectivite.departement
    try:
        normalise_departement(code)
    except ValueError:
        return [
            Violation(
                "collectivite.departement",
                "departement-invalide",
                f"collectivite.departement « {code} » : code de département attendu, "
                "« 001 » à « 095 », « 02A », « 02B » ou « 971 » à « 976 » "
                "(« 21 » et « 2A » sont acceptés).",
            )
        ]
    return []
