"""The numéro interne of an act, as each operator profile accepts it.

The v1.1 schema only bounds ``NumeroInterne`` to 15 characters, but its ``IDActe`` pattern
allows ``[a-zA-Z0-9_]{1,15}``. The ministry's later rule admits ``-`` and a space inside the
numéro, and acts acknowledged by prefectures carry hyphens
(``021-242100410-20191219-2019-12-19_013-DE``): that rule is the default profile ``actes``.
Operators may be stricter; ``s2low`` is S²LOW's rule. Sources: ``shared/notes/actes.md`` §1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Profil = Literal["actes", "s2low"]

LONGUEUR_MAX = 15
"""``NumeroInterne``: « Numero interne collectivité, 15 caractères maximum » (XSD v1.1)."""


@dataclass(frozen=True)
class ProfilNumero:
    """A rule for numéros: its name, its pattern and what it allows, in French."""

    nom: str
    pattern: re.Pattern[str]
    regle: str
    """What the rule allows, for messages: « lettres, chiffres, … »."""


PROFILS: dict[str, ProfilNumero] = {
    # The ministry's rule quoted in S²LOW's ActesTransaction:
    # '/^([a-zA-Z0-9][a-zA-Z0-9\-_ ]{0,13})?[a-zA-Z0-9]$/'
    "actes": ProfilNumero(
        "actes",
        re.compile(r"([a-zA-Z0-9][a-zA-Z0-9\-_ ]{0,13})?[a-zA-Z0-9]"),
        "1 à 15 caractères : lettres non accentuées, chiffres, « _ », et « - » ou espace "
        "à l'intérieur ; commence et finit par une lettre ou un chiffre",
    ),
    # S²LOW's ActesTransaction::NUMBER_REGEXP '/^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$/'
    "s2low": ProfilNumero(
        "s2low",
        re.compile(r"([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]"),
        "1 à 15 caractères : lettres majuscules non accentuées, chiffres et « _ », "
        "ni au début ni à la fin",
    ),
}

DEFAULT_PROFIL: Profil = "actes"

OPERATEURS: dict[str, ProfilNumero] = {
    # S²LOW ActesTransaction::NUMBER_REGEXP '/^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$/'
    "s2low": ProfilNumero("S²LOW", PROFILS["s2low"].pattern, PROFILS["s2low"].regle),
    # Pastell module/actes-generique/definition.yml: preg_match "#^[0-9A-Z_]{2,15}$#"; Pastell
    # transmits through S²LOW, whose rule (no "_" first or last) applies as well.
    "pastell": ProfilNumero(
        "Pastell",
        re.compile(r"[A-Z0-9][A-Z0-9_]{0,13}[A-Z0-9]"),
        "2 à 15 caractères : lettres majuscules non accentuées, chiffres et « _ », "
        "ni au début ni à la fin",
    ),
}
"""The numéro rule of each operator (tiers de télétransmission) that enforces its own, by the
name of the authority setting ``operateur``. Sources: ``shared/notes/actes.md`` §1."""

# The v1.1 XSD's IDActe numéro part: what a strictly v1.1 platform accepts.
_IDACTE_V1_1 = re.compile(r"[a-zA-Z0-9_]{1,15}")


def profil_numero(nom: str | None) -> ProfilNumero:
    """Return the profile named *nom*; ``None`` gives the default profile ``actes``.

    :raises ValueError: when no profile has that name.
    """
    found = PROFILS.get(nom or DEFAULT_PROFIL)
    if found is None:
        raise ValueError(f"profil de numéro inconnu : {nom!r} ; attendu : {', '.join(PROFILS)}")
    return found


def check_numero(numero: str, profil: str | None = DEFAULT_PROFIL) -> str | None:
    """Return why *numero* breaks the rule of *profil*, in French, or ``None`` when it fits.

    :raises ValueError: when *profil* is unknown.
    """
    rule = profil_numero(profil)
    if not numero:
        return "le numéro de l'acte est vide"
    if len(numero) > LONGUEUR_MAX:
        return f"le numéro « {numero} » a {len(numero)} caractères ; {LONGUEUR_MAX} au plus"
    if rule.pattern.fullmatch(numero):
        return None
    return f"le numéro « {numero} » ne respecte pas le profil « {rule.nom} » : {rule.regle}"


def numero_warning(numero: str, profil: str | None = DEFAULT_PROFIL) -> str | None:
    """Return a French warning when *numero* fits *profil* but not the v1.1 ``IDActe`` pattern.

    Such a numéro (``2019-12-19_013``) is valid in the act's metadata, whose ``NumeroInterne``
    only has a length limit, yet a platform applying the v1.1 schema to identifiers, and S²LOW
    or Pastell, would refuse it.
    """
    if check_numero(numero, profil) is not None or _IDACTE_V1_1.fullmatch(numero):
        return None
    return (
        f"le numéro « {numero} » contient un tiret ou une espace : admis par la règle actuelle "
        "du ministère, mais refusé par le schéma ACTES v1.1 dans l'identifiant de l'acte "
        "et par les opérateurs S²LOW et Pastell"
    )


def check_numero_operateur(numero: str, operateur: str | None) -> str | None:
    """Return why the operator *operateur* would refuse *numero*, in French, or ``None`` when
    it would accept it (or the authority's operator has no rule of its own, ``None``).

    :raises ValueError: when *operateur* is not one of :data:`OPERATEURS`.
    """
    if operateur is None:
        return None
    rule = OPERATEURS.get(operateur)
    if rule is None:
        raise ValueError(f"opérateur inconnu : {operateur!r} ; attendu : {', '.join(OPERATEURS)}")
    if rule.pattern.fullmatch(numero):
        return None
    return (
        f"le numéro « {numero} » serait refusé par {rule.nom}, l'opérateur de télétransmission "
        f"de la collectivité : {rule.regle}"
    )
