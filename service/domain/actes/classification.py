"""The classification of acts ("matières"): the prefecture's nomenclature and its checks.

Levels 1 and 2 are national (:data:`~service.domain.actes.nomenclature.NOMENCLATURE`); level 3
and below are set by each prefecture, which sends its whole nomenclature with its version date
in a ``RetourClassification`` message (``shared/actes/exemple_codes_matieres.xml``). The
metadata must carry that date (``ClassificationDateVersion``): a stale one comes back as an
anomaly (``ODT-VERIF-01``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree

from service.domain.actes.nomenclature import NOMENCLATURE
from service.domain.actes.xml import ACTES_NS, local_name, parse, qn
from service.domain.errors import DocumentRejected

PROFONDEUR_MAX = 5
"""``CodeMatiere1`` to ``CodeMatiere5`` (XSD v1.1)."""

_MATIERE = re.compile(r"[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2}){1,4}")


@dataclass(frozen=True)
class TypePiece:
    """A piece type the prefecture accepts for a nature: ``99_DE`` « Délibération »."""

    code: str
    libelle: str


@dataclass(frozen=True)
class NatureClassee:
    """A nature of act as the prefecture lists it, with its accepted piece types."""

    code: int
    abrege: str
    libelle: str
    types_piece: tuple[TypePiece, ...]


@dataclass(frozen=True, eq=False)
class Classification:
    """A nomenclature of matières: dotted code → label, with its version date."""

    date_version: dt.date | None
    """``DateClassification`` of the prefecture's message; ``None`` for the national base."""
    matieres: dict[str, str] = field(repr=False)
    natures: tuple[NatureClassee, ...] = ()
    profondeur_connue: int = PROFONDEUR_MAX
    """Levels this nomenclature defines; deeper codes cannot be checked against it."""

    def libelle(self, matiere: str) -> str | None:
        """Return the label of *matiere* (``"4.1"``), or ``None`` when it is not listed."""
        return self.matieres.get(matiere)

    def check_matiere(self, matiere: str) -> str | None:
        """Return why *matiere* is not a code of this nomenclature, in French, or ``None``.

        The code needs 2 to 5 levels and each of its prefixes must be listed, down to the
        depth this nomenclature knows.
        """
        try:
            codes = parse_matiere(matiere)
        except ValueError as exc:
            return str(exc)
        for depth in range(1, min(len(codes), self.profondeur_connue) + 1):
            prefix = ".".join(str(c) for c in codes[:depth])
            if prefix not in self.matieres:
                source = (
                    f"la classification du {self.date_version:%d/%m/%Y}"
                    if self.date_version
                    else "la nomenclature nationale"
                )
                return f"la matière « {prefix} » n'existe pas dans {source}"
        return None

    def types_piece(self, abrege: str) -> tuple[TypePiece, ...]:
        """Return the piece types listed for the nature *abrege* (``DE``); empty if unknown."""
        for nature in self.natures:
            if nature.abrege == abrege:
                return nature.types_piece
        return ()


def parse_matiere(matiere: str) -> tuple[int, ...]:
    """Return the codes of a dotted matière: ``"4.1.2"`` → ``(4, 1, 2)``.

    :raises ValueError: when *matiere* is not 2 to 5 positive integers joined by dots.
    """
    if not isinstance(matiere, str) or not _MATIERE.fullmatch(matiere):
        raise ValueError(
            f"matière « {matiere} » invalide : 2 à {PROFONDEUR_MAX} niveaux numériques séparés "
            "par des points attendus (ex. 4.1) ; les deux premiers sont obligatoires"
        )
    return tuple(int(part) for part in matiere.split("."))


def classification_nationale() -> Classification:
    """Return the national base: levels 1 and 2, no version date, no piece types."""
    return Classification(None, dict(NOMENCLATURE), profondeur_connue=2)


def parse_classification(data: bytes) -> Classification:
    """Return the nomenclature sent by a prefecture in a ``RetourClassification`` message.

    :raises DocumentRejected: when *data* is hostile or malformed XML, or not a
        ``RetourClassification``; the French message names the problem.
    """
    what = "Le fichier de classification"
    root = parse(data, what=what)
    if etree.QName(root).namespace != ACTES_NS or local_name(root) != "RetourClassification":
        raise DocumentRejected(
            f"{what} n'est pas un message ACTES RetourClassification "
            f"(élément racine : « {local_name(root)} »)."
        )
    date_el = root.find(qn("actes:DateClassification"))
    try:
        version = (
            dt.date.fromisoformat((date_el.text or "").strip()) if date_el is not None else None
        )
    except ValueError:
        version = None
    if version is None:
        raise DocumentRejected(f"{what} n'a pas de DateClassification valide (AAAA-MM-JJ).")

    matieres: dict[str, str] = {}
    for matiere1 in root.iterfind(f"{qn('actes:Matieres')}/{qn('actes:Matiere1')}"):
        _collect(matiere1, "", 1, matieres, what)
    if not matieres:
        raise DocumentRejected(f"{what} ne contient aucune matière.")

    natures = []
    for el in root.iterfind(f"{qn('actes:NaturesActes')}/{qn('actes:NatureActe')}"):
        types = tuple(
            TypePiece(t.get(qn("actes:CodeTypePJ"), ""), t.get(qn("actes:Libelle"), ""))
            for t in el.iterfind(qn("actes:TypePJNatureActe"))
        )
        code = el.get(qn("actes:CodeNatureActe"), "")
        natures.append(
            NatureClassee(
                int(code) if code.isdigit() else 0,
                el.get(qn("actes:TypeAbrege"), ""),
                el.get(qn("actes:Libelle"), ""),
                types,
            )
        )
    return Classification(version, matieres, tuple(natures))


def _collect(el: etree._Element, prefix: str, level: int, out: dict[str, str], what: str) -> None:
    code = (el.get(qn("actes:CodeMatiere")) or "").strip()
    if not code.isdigit() or int(code) < 1:
        raise DocumentRejected(f"{what} contient une matière de niveau {level} sans code valide.")
    key = f"{prefix}.{int(code)}" if prefix else str(int(code))
    out[key] = el.get(qn("actes:Libelle"), "")
    if level < PROFONDEUR_MAX:
        for child in el.iterfind(qn(f"actes:Matiere{level + 1}")):
            _collect(child, key, level + 1, out, what)
