"""Low-level builders of the ACTES v1.1 XML elements, one function per schema element.

Each function is named after the element it makes (``Acte`` makes ``<actes:Acte>``) and takes
its attributes and children in the schema's ``xsd:sequence`` order, already as strings or
elements: no defaults, no business rule. :mod:`service.domain.actes.messages` holds the
objects callers use; it decides the values. The schema qualifies attributes
(``attributeFormDefault="qualified"``), hence ``actes:Date`` and not ``Date``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeAlias

from lxml import etree

from service.domain.actes.xml import NSMAP, SCHEMA_LOCATION, qn

Element: TypeAlias = etree._Element


def _root(tag: str, attrib: dict[str, str] | None = None) -> Element:
    # Only message roots declare the namespaces (and the schema location, as S²LOW writes it);
    # children appended to them reuse the root's prefixes.
    root = etree.Element(qn(tag), nsmap=NSMAP)
    root.set(qn("xsi:schemaLocation"), SCHEMA_LOCATION)
    for name, value in (attrib or {}).items():
        root.set(qn(name), value)
    return root


def _el(tag: str, attrib: dict[str, str] | None = None, text: str | None = None) -> Element:
    el = etree.Element(qn(tag))
    for name, value in (attrib or {}).items():
        el.set(qn(name), value)
    if text is not None:
        el.text = text
    return el


def _with(parent: Element, children: Iterable[Element]) -> Element:
    parent.extend(children)
    return parent


# -- DonneesActe: the act's metadata (message 1-1) -------------------------------------------


def Acte(
    date: dt.date, numero_interne: str, code_nature: int, children: Iterable[Element]
) -> Element:
    """Return ``<actes:Acte actes:Date actes:NumeroInterne actes:CodeNatureActe>`` (1-1)."""
    root = _root(
        "actes:Acte",
        {
            "actes:Date": date.isoformat(),
            "actes:NumeroInterne": numero_interne,
            "actes:CodeNatureActe": str(code_nature),
        },
    )
    return _with(root, children)


def CodeMatiere(niveau: int, code: int) -> Element:
    """Return ``<actes:CodeMatiereN actes:CodeMatiere="…"/>`` for *niveau* 1 to 5."""
    if not 1 <= niveau <= 5:
        raise ValueError(f"niveau de matière hors de 1 à 5 : {niveau}")
    return _el(f"actes:CodeMatiere{niveau}", {"actes:CodeMatiere": str(code)})


def Objet(text: str) -> Element:
    """Return ``<actes:Objet>`` (500 characters at most in the schema)."""
    return _el("actes:Objet", text=text)


def PrecedentIdentifiantActe(id_acte: str) -> Element:
    """Return ``<actes:PrecedentIdentifiantActe actes:IDActe="…"/>`` (an act it replaces)."""
    return _el("actes:PrecedentIdentifiantActe", {"actes:IDActe": id_acte})


def ClassificationDateVersion(date: dt.date) -> Element:
    """Return ``<actes:ClassificationDateVersion>``: the nomenclature's version date."""
    return _el("actes:ClassificationDateVersion", text=date.isoformat())


def NomFichier(nom: str) -> Element:
    """Return ``<actes:NomFichier>``."""
    return _el("actes:NomFichier", text=nom)


def Document(nom_fichier: str) -> Element:
    """Return ``<actes:Document><actes:NomFichier>…`` (type ``FichierSigne``, unsigned)."""
    return _with(_el("actes:Document"), [NomFichier(nom_fichier)])


def Annexe(nom_fichier: str) -> Element:
    """Return ``<actes:Annexe><actes:NomFichier>…``."""
    return _with(_el("actes:Annexe"), [NomFichier(nom_fichier)])


def Annexes(noms_fichiers: Iterable[str]) -> Element:
    """Return ``<actes:Annexes actes:Nombre="n">`` holding one ``Annexe`` per file name."""
    annexes = [Annexe(nom) for nom in noms_fichiers]
    return _with(_el("actes:Annexes", {"actes:Nombre": str(len(annexes))}), annexes)


def DocumentPapier(value: str) -> Element:
    """Return ``<actes:DocumentPapier>``: whether a paper copy follows (S²LOW writes O/N)."""
    return _el("actes:DocumentPapier", text=value)


# -- EnveloppeCLMISILL: the envelope from the authority to the ministry --------------------


def EnveloppeCLMISILL(emetteur: Element, adresses_retour: Element, formulaires: Element) -> Element:
    """Return ``<actes:EnveloppeCLMISILL>`` with ``Emetteur``, ``AdressesRetour``, forms."""
    return _with(_root("actes:EnveloppeCLMISILL"), [emetteur, adresses_retour, formulaires])


def Emetteur(idcl: Element, referent: Element | None = None) -> Element:
    """Return ``<actes:Emetteur>``: the authority's ``IDCL`` and an optional ``Referent``."""
    return _with(_el("actes:Emetteur"), [idcl] + ([referent] if referent is not None else []))


def IDCL(siren: str, departement: str, arrondissement: str, nature: str) -> Element:
    """Return ``<actes:IDCL insee:SIREN actes:Departement actes:Arrondissement actes:Nature>``."""
    return _el(
        "actes:IDCL",
        {
            "insee:SIREN": siren,
            "actes:Departement": departement,
            "actes:Arrondissement": arrondissement,
            "actes:Nature": nature,
        },
    )


def Referent(nom: str | None, telephone: str | None, email: str | None) -> Element:
    """Return ``<actes:Referent>`` with those of ``Nom``, ``Telephone``, ``Email`` given."""
    parts = (("actes:Nom", nom), ("actes:Telephone", telephone), ("actes:Email", email))
    return _with(_el("actes:Referent"), [_el(tag, text=v) for tag, v in parts if v])


def AdressesRetour(emails: Iterable[str]) -> Element:
    """Return ``<actes:AdressesRetour>``: where the prefecture sends its answers."""
    return _with(_el("actes:AdressesRetour"), [_el("actes:Email", text=e) for e in emails])


def FormulairesEnvoyes(noms_fichiers: Iterable[str]) -> Element:
    """Return ``<actes:FormulairesEnvoyes>``: the message files the archive carries."""
    formulaires = [_with(_el("actes:Formulaire"), [NomFichier(n)]) for n in noms_fichiers]
    return _with(_el("actes:FormulairesEnvoyes"), formulaires)


# -- Annulation (message 6-1) ----------------------------------------------------------------


def Annulation(id_acte: str) -> Element:
    """Return ``<actes:Annulation actes:IDActe="…"/>``: the cancellation of a transmission."""
    return _root("actes:Annulation", {"actes:IDActe": id_acte})
