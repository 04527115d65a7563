"""Render the list of the deliberations examined in a sitting from its Word template.

The template is ``liste_deliberations.docx``, looked up like the extract's
(``<dir>/<siren>/liste_deliberations.docx``, then ``<dir>/liste_deliberations.docx``, the
project's ``templates_actes/`` last); it is built by ``templates_actes/build_liste.py``.

Variables: ``collectivite``, ``assemblee``, ``titre`` (« Liste des délibérations examinées en
séance du 19 décembre 2019 »), ``precisions`` (place and hour, or empty), ``bilan`` (« 40
délibérations examinées : 38 adoptées, 2 rejetées. »), ``mention`` (the article of law, or
empty; from 1 July 2022 only), ``mise_en_ligne`` (« Mise en ligne le 3 mars 2024 », or empty),
``nombre``, ``adoptees``, ``rejetees`` and ``lignes``, each
with ``ordre``, ``numero``, ``identifiant``, ``objet``, ``resultat`` (the result in words, as
the extract prints it: « Adoptée à l'unanimité », « Rejetée à la majorité », « Nomination :
… »), ``votes`` (« pour : 76, contre : 0, … », empty for a nomination), ``pour``, ``contre``,
``abstention`` and ``ne_se_prononce_pas`` (empty for a nomination).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from service.adapters.docx.cache import ENVIRONMENT
from service.adapters.docx.libelles import date_longue, heure
from service.adapters.docx.renderer import (
    DEFAULT_TEMPLATE_DIR,
    DocxtplRenderer,
    load_template,
    rendering_errors,
)
from service.adapters.docx.typography import fr
from service.domain.liste import LigneDeListe, ListeDeliberations
from service.domain.regimes import REFORME_2022

TEMPLATE_NAME = "liste_deliberations.docx"

# CGCT L2121-25 for communes, applied to EPCI and syndicats by L5211-1, in force from 1 July
# 2022 (ordonnance n° 2021-1310; before, a compte rendu); the articles for départements and
# régions were not verified (shared/notes/legal.md §4.4), so none is cited.
_MENTION = (
    "Liste des délibérations examinées établie en application de l'article L. 2121-25 du code "
    "général des collectivités territoriales ; elle est affichée et mise en ligne dans un délai "
    "d'une semaine."
)
_WITH_MENTION = frozenset({"commune", "epci", "metropole", "syndicat"})


class DocxtplListeRenderer:
    """Fill the list template with a sitting's deliberations."""

    def __init__(self, template_dirs: Sequence[Path] = (DEFAULT_TEMPLATE_DIR,)) -> None:
        self._finder = DocxtplRenderer(template_dirs)

    def render_liste(self, liste: ListeDeliberations) -> bytes:
        """Return the DOCX of the list.

        :raises TemplateError: when the template cannot be read or rendered.
        """
        path = self._finder.template_for(liste.siren, TEMPLATE_NAME)
        tpl = load_template(path)
        with rendering_errors(path):
            context = liste_context(liste)
            # The shared environment: objects print as typed, never read as Jinja or XML, and
            # the template's parts are compiled once (see cache.py).
            tpl.render(context, jinja_env=ENVIRONMENT, autoescape=True)
            props = tpl.docx.core_properties
            props.title = context["titre"][:255]
            props.author = liste.collectivite[:255]
            props.language = "fr-FR"
            out = io.BytesIO()
            tpl.save(out)
        return out.getvalue()


def liste_context(liste: ListeDeliberations) -> dict[str, Any]:
    """Return the template variables of *liste*, French typography applied."""
    n, adoptees = len(liste.lignes), liste.adoptees
    rejetees = n - adoptees
    precisions = [fr(liste.lieu) if liste.lieu else "",
                  f"à {heure(liste.heure)}" if liste.heure else ""]
    return {
        "collectivite": fr(liste.collectivite),
        "assemblee": fr(liste.assemblee),
        "titre": f"Liste des délibérations examinées en séance du {date_longue(liste.date)}",
        "precisions": ", ".join(p for p in precisions if p),
        "bilan": fr(
            f"{_n(n, 'délibération examinée', 'délibérations examinées')} : "
            f"{_n(adoptees, 'adoptée', 'adoptées')}, {_n(rejetees, 'rejetée', 'rejetées')}."
        ),
        "mention": fr(_MENTION)
        if liste.type_collectivite in _WITH_MENTION and liste.date >= REFORME_2022
        else "",
        "mise_en_ligne": f"Mise en ligne le {date_longue(liste.mise_en_ligne)}"
        if liste.mise_en_ligne else "",
        "nombre": n,
        "adoptees": adoptees,
        "rejetees": rejetees,
        "lignes": [
            {
                "ordre": ligne.ordre,
                "numero": fr(ligne.numero),
                "identifiant": ligne.identifiant,
                "objet": fr(ligne.objet),
                "resultat": fr(ligne.resultat),
                "votes": fr(_votes(ligne)),
                "pour": _nombre(ligne.pour),
                "contre": _nombre(ligne.contre),
                "abstention": _nombre(ligne.abstention),
                "ne_se_prononce_pas": _nombre(ligne.ne_se_prononce_pas),
            }
            for ligne in liste.lignes
        ],
    }


def _n(count: int, one: str, many: str) -> str:
    # French puts 0 and 1 in the singular.
    return f"{count} {one if count <= 1 else many}"


def _nombre(count: int | None) -> int | str:
    # A nomination has no for and against: an empty cell, never « None ».
    return "" if count is None else count


def _votes(ligne: LigneDeListe) -> str:
    """Return « pour : 76, contre : 0, abstention : 0, ne se prononce pas : 0 », or nothing for
    a nomination (its result names the elected)."""
    if ligne.pour is None:
        return ""
    return (
        f"pour : {ligne.pour}, contre : {ligne.contre}, abstention : {ligne.abstention}, "
        f"ne se prononce pas : {ligne.ne_se_prononce_pas}"
    )
