"""The messages the authority sends: the act's metadata, the envelope, the cancellation.

Each is a frozen dataclass holding the values, with ``element()`` building the tree from the
low-level builders of :mod:`service.domain.actes.elements` and ``to_xml()`` the ISO-8859-1
bytes that go into the archive. The ``build_*`` functions are the short way for callers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from service.domain.actes import elements as E
from service.domain.actes.identifier import ActesIdentifier
from service.domain.actes.nature import NatureActe, nature_for
from service.domain.actes.xml import serialize

OBJET_MAX = 500
"""``Objet``: « texte max 500 caractères » (XSD v1.1); operators stop at 499."""

# The XSD's ``Email`` type; an address outside it makes the envelope invalid.
EMAIL = re.compile(
    r"[_a-zA-Z0-9\-]+(\.[_a-zA-Z0-9\-]+)*@[a-zA-Z0-9\-]+(\.[a-zA-Z0-9\-]+)*\.[a-zA-Z]{2,6}"
)


def one_line(text: str) -> str:
    """Return *text* on one line: every run of whitespace (line breaks…) becomes one space."""
    return " ".join(text.split())


@dataclass(frozen=True)
class ActesMetadata:
    """The metadata of one act (``actes:Acte``, message 1-1) and the names of its files."""

    identifier: ActesIdentifier
    matiere: tuple[int, ...]
    """Classification codes, 2 to 5 levels: ``(4, 1)`` for « 4.1 »."""
    objet: str
    classification_date_version: dt.date
    document: str
    """File name of the main document in the archive."""
    annexes: tuple[str, ...] = ()
    precedent: ActesIdentifier | None = None
    """The act this one replaces, already transmitted."""
    document_papier: bool = False

    def __post_init__(self) -> None:
        if not 2 <= len(self.matiere) <= 5 or any(c < 1 for c in self.matiere):
            raise ValueError(f"matière invalide : {self.matiere!r} ; 2 à 5 niveaux attendus")
        if not self.objet or len(self.objet) > OBJET_MAX or self.objet != one_line(self.objet):
            raise ValueError(f"objet invalide : une ligne de 1 à {OBJET_MAX} caractères attendue")

    @property
    def nature(self) -> NatureActe:
        """Return the nature named by the identifier."""
        return nature_for(self.identifier.nature)

    def element(self) -> E.Element:
        """Return the ``actes:Acte`` element, children in the schema's order."""
        children = [E.CodeMatiere(i, code) for i, code in enumerate(self.matiere, start=1)]
        children.append(E.Objet(self.objet))
        if self.precedent is not None:
            children.append(E.PrecedentIdentifiantActe(str(self.precedent)))
        children += [
            E.ClassificationDateVersion(self.classification_date_version),
            E.Document(self.document),
            E.Annexes(self.annexes),
            E.DocumentPapier("O" if self.document_papier else "N"),
        ]
        return E.Acte(self.identifier.date, self.identifier.numero, self.nature.code, children)

    def to_xml(self) -> bytes:
        """Return the message as ISO-8859-1 XML bytes."""
        return serialize(self.element())


@dataclass(frozen=True)
class ReferentActes:
    """Who the prefecture may call about the transmission; every field optional."""

    nom: str | None = None
    telephone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ActesEnvelope:
    """The envelope ``actes:EnveloppeCLMISILL``: who sends, where to answer, which messages."""

    siren: str
    departement: str
    arrondissement: str
    nature_collectivite: str
    """« Code nature de la collectivité », two digits (``02``, ``31``)."""
    adresses_retour: tuple[str, ...]
    formulaires: tuple[str, ...]
    """Names of the message files in the archive (``…-1-1_0.xml``)."""
    referent: ReferentActes | None = None

    def __post_init__(self) -> None:
        if not self.adresses_retour or not self.formulaires:
            raise ValueError("l'enveloppe exige au moins une adresse de retour et un formulaire")
        for email in self.adresses_retour:
            if not EMAIL.fullmatch(email):
                raise ValueError(f"adresse de retour invalide : {email!r}")

    def element(self) -> E.Element:
        """Return the ``actes:EnveloppeCLMISILL`` element."""
        referent = None
        r = self.referent
        if r is not None and (r.nom or r.telephone or r.email):
            referent = E.Referent(r.nom, r.telephone, r.email)
        return E.EnveloppeCLMISILL(
            E.Emetteur(
                E.IDCL(self.siren, self.departement, self.arrondissement, self.nature_collectivite),
                referent,
            ),
            E.AdressesRetour(self.adresses_retour),
            E.FormulairesEnvoyes(self.formulaires),
        )

    def to_xml(self) -> bytes:
        """Return the envelope as ISO-8859-1 XML bytes."""
        return serialize(self.element())


def build_acte_metadata(
    identifier: ActesIdentifier,
    *,
    matiere: Sequence[int],
    objet: str,
    classification_date_version: dt.date,
    document: str,
    annexes: Sequence[str] = (),
    document_papier: bool = False,
) -> bytes:
    """Return the ``actes:Acte`` message of an act; *objet* is put on one line.

    :raises ValueError: when the matière or the objet cannot go into the schema.
    """
    return ActesMetadata(
        identifier,
        tuple(matiere),
        one_line(objet),
        classification_date_version,
        document,
        tuple(annexes),
        document_papier=document_papier,
    ).to_xml()


def build_annulation(identifier: ActesIdentifier | str) -> bytes:
    """Return the ``actes:Annulation`` message (6-1) of a transmitted act.

    The v1.1 schema applies its ``IDActe`` pattern here: a numéro with ``-`` or a space is
    written as is (the ministry's later rule admits it) but is outside that pattern.
    """
    return serialize(E.Annulation(str(identifier)))
