"""Checks of the act's own ACTES data: numéro interne, matière (classification), objet."""

from __future__ import annotations

from service.domain.actes.classification import parse_matiere
from service.domain.actes.nomenclature import NOMENCLATURE
from service.domain.actes.numero import OPERATEURS, check_numero_operateur
from service.domain.actes.numero import check_numero as regle_numero
from service.domain.payload import DeliberationPayload
from service.domain.violations import Violation

OBJET_MAX = 499
"""ACTES XSD ``Objet`` maxLength 500; S²LOW and Pastell accept 499 (``#^.{1,499}$#us``)."""


def check_numero(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``deliberation.numero`` breaks the authority's numbering profile.

    Source: ACTES XSD ``actesv1_1.xsd``, ``NumeroInterne`` « 15 caractères maximum »; profile
    ``actes`` (default): the ministry's rule ``^([a-zA-Z0-9][a-zA-Z0-9\\-_ ]{0,13})?[a-zA-Z0-9]$``
    quoted in S²LOW ``ActesTransaction``; profile ``s2low``: S²LOW ``NUMBER_REGEXP``
    ``^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$`` (``shared/notes/actes.md`` §1). The rules
    themselves live in :mod:`service.domain.actes.numero`, shared with the transmission.
    """
    tele = payload.collectivite.teletransmission
    profil = tele.profil_numero if tele is not None else None
    pourquoi = regle_numero(payload.deliberation.numero, profil)
    if pourquoi is None:
        return []
    return [
        Violation("deliberation.numero", "numero-invalide", f"deliberation.numero : {pourquoi}.")
    ]


def check_numero_pour_operateur(
    numero: str, operateur: str | None, champ: str = "deliberation.numero"
) -> list[Violation]:
    """Return a violation when the authority's operator would refuse *numero*.

    An authority whose tiers de télétransmission is S²LOW or Pastell (its ``operateur``
    setting) gets that operator's rule when the act is posted, not when it is packaged:
    S²LOW ``ActesTransaction::NUMBER_REGEXP`` ``^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$``;
    Pastell ``actes-generique/definition.yml`` ``#^[0-9A-Z_]{2,15}$#``, then S²LOW's
    (``shared/notes/actes.md`` §1). Without an operator, nothing is added to the numéro's
    profile. An unknown operator is a setting to fix, named as such.
    """
    if operateur is not None and operateur not in OPERATEURS:
        return [Violation(
            "collectivite.teletransmission.operateur", "parametre-invalide",
            f"opérateur « {operateur} » inconnu dans la configuration de la collectivité : "
            f"attendu {' ou '.join(OPERATEURS)}",
        )]
    pourquoi = check_numero_operateur(numero, operateur)
    if pourquoi is None:
        return []
    return [Violation(champ, "numero-invalide", f"{champ} : {pourquoi}.")]


def check_matiere(payload: DeliberationPayload) -> list[Violation]:
    """Return a violation when ``deliberation.matiere`` is no code of the ACTES classification.

    Source: ACTES XSD ``actesv1_1.xsd``, ``DonneesActe``: ``CodeMatiere1`` and ``CodeMatiere2``
    required, ``CodeMatiere3..5`` optional, integers; S²LOW « Les deux premiers niveaux de
    classification sont obligatoires »; national levels 1–2 (``shared/notes/actes.md`` §3).
    """
    matiere = payload.deliberation.matiere
    try:
        parse_matiere(matiere)
    except ValueError as exc:
        return [
            Violation("deliberation.matiere", "matiere-invalide", f"deliberation.matiere : {exc}.")
        ]
    niveau1, niveau2 = matiere.split(".")[0], ".".join(matiere.split(".")[:2])
    if niveau1 not in NOMENCLATURE:
        return [
            Violation(
                "deliberation.matiere",
                "matiere-invalide",
                f"deliberation.matiere « {matiere} » : le premier niveau de la classification "
                "ACTES va de 1 à 9.",
            )
        ]
    if niveau2 not in NOMENCLATURE:
        attendu = ", ".join(k for k in NOMENCLATURE if k.startswith(niveau1 + "."))
        return [
            Violation(
                "deliberation.matiere",
                "matiere-inconnue",
                f"deliberation.matiere « {matiere} » : « {niveau2} » n'existe pas dans la "
                f"nomenclature nationale ACTES ; la matière {niveau1} ({NOMENCLATURE[niveau1]}) "
                f"a pour sous-matières {attendu}.",
            )
        ]
    return []


def check_objet(payload: DeliberationPayload) -> list[Violation]:
    """Return the violations of ``deliberation.objet``: blank, several lines, too long.

    Source: ACTES XSD ``actesv1_1.xsd``, ``Objet`` « texte max 500 caractères »; S²LOW 499 and
    Pastell ``#^.{1,499}$#us`` (``shared/notes/actes.md`` §4); the objet is one line of the
    metadata and of the liste des délibérations (CGCT L2121-25).
    """
    objet = payload.deliberation.objet
    found: list[Violation] = []
    if not objet.strip():
        found.append(
            Violation(
                "deliberation.objet",
                "objet-vide",
                "deliberation.objet est vide : l'objet de la délibération est obligatoire.",
            )
        )
    # splitlines() also knows U+2028, U+0085, form feed…: any of them breaks the one line.
    if objet.splitlines() != [objet] and objet.strip():
        found.append(
            Violation(
                "deliberation.objet",
                "objet-multiligne",
                "deliberation.objet contient un saut de ligne : l'objet tient sur une seule ligne.",
            )
        )
    if len(objet) > OBJET_MAX:
        found.append(
            Violation(
                "deliberation.objet",
                "objet-trop-long",
                f"deliberation.objet compte {len(objet)} caractères : {OBJET_MAX} au plus "
                "(limite de l'objet dans ACTES).",
            )
        )
    return found
