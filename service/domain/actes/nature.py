"""The natures of acts in ACTES: numeric code, two-letter abbreviation, label, piece type.

The numeric code (1–6) goes into the metadata (``actes:CodeNatureActe``), the abbreviation
(``DE``…) into the identifier and the file names. Labels are those of the ministry's
``RetourClassification`` (``shared/notes/actes.md`` §2).

Since "actes V2" every transmitted file carries a piece type (``TypePJNatureActe``,
``CodeTypePJ``, five characters ``NN_XX``) chosen among those the prefecture lists for the
nature; ``99_XX`` is the generic type of each nature ("Délibération", "Acte individuel"…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NatureActe:
    """One nature of act: ``code`` 1–6, ``abrege`` (``DE``), ``libelle``, generic piece type."""

    code: int
    abrege: str
    libelle: str
    type_piece: str
    """Generic piece type of the main document, listed for this nature by the prefecture."""
    libelle_type_piece: str


NATURES: tuple[NatureActe, ...] = (
    NatureActe(1, "DE", "Délibérations", "99_DE", "Délibération"),
    NatureActe(2, "AR", "Actes réglementaires", "99_AR", "Acte réglementaire"),
    NatureActe(3, "AI", "Actes individuels", "99_AI", "Acte individuel"),
    # No 99_CO in the ministry's list for contracts: its generic type is "Document contractuel".
    NatureActe(4, "CC", "Contrats, conventions et avenants", "99_DC", "Document contractuel"),
    NatureActe(5, "BF", "Documents budgétaires et financiers", "99_BU", "Document budgétaire"),
    NatureActe(6, "AU", "Autres", "99_AU", "Autre document"),
)

_BY_ABREGE = {n.abrege: n for n in NATURES}
_BY_CODE = {n.code: n for n in NATURES}
# The rule S²LOW applies: ``preg_match("#^[A-Z0-9_]{5}$#", $code_pj)``.
_TYPE_PIECE = re.compile(r"[A-Z0-9_]{5}")


def nature_for(value: str | int) -> NatureActe:
    """Return the nature named by its abbreviation (``"DE"``) or its code (``1`` or ``"1"``).

    :raises ValueError: when *value* names no ACTES nature.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        found = _BY_CODE.get(value)
    else:
        text = str(value).strip().upper()
        found = _BY_ABREGE.get(text) or (_BY_CODE.get(int(text)) if text.isdigit() else None)
    if found is None:
        attendu = ", ".join(f"{n.abrege} ({n.code})" for n in NATURES)
        raise ValueError(f"nature d'acte inconnue : {value!r} ; attendu : {attendu}")
    return found


def check_type_piece(code: str) -> str | None:
    """Return why *code* is no piece type (``99_DE``), or ``None`` when it is well formed.

    The form is the one S²LOW checks (« Le code de la PJ doit faire 5 caractères »); whether the
    prefecture lists the code for the nature is the classification's business.
    """
    if _TYPE_PIECE.fullmatch(code):
        return None
    return (
        f"type de pièce « {code} » invalide : 5 caractères attendus, lettres majuscules, "
        "chiffres ou « _ » (ex. 99_DE)"
    )
