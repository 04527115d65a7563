"""Render the procès-verbal of a sitting from its Word template, and mark its adoption.

The template is ``proces_verbal.docx``, looked up like the extract's
(``<dir>/<siren>/proces_verbal.docx``, then ``<dir>/proces_verbal.docx``, the project's
``templates_actes/`` last); it is built by ``templates_actes/build_proces_verbal.py``.

Variables (every string typographed): ``collectivite``, ``assemblee`` (« du Conseil
Métropolitain de Dijon Métropole »), ``titre`` (« Séance du jeudi 19 décembre 2019 à 18 h 30 »),
``lieu``, ``date_convocation``, ``president_libelle``, ``president`` (« M. François
REBSAMEN »), ``presents``, ``a_distance``, ``absents`` (rows of two names, as in the extract),
``pouvoirs`` (« X pouvoir à Y »), ``secretaires_libelle``, ``secretaires``, ``quorum``,
``ordre_du_jour`` (« 1. objet »), ``points`` (one per deliberation: ``numero``, ``objet``,
``rapporteur_libelle``, ``rapporteur``, ``presences`` (voters at that vote), ``rapport`` (the
exposé, Word paragraphs, or empty), ``formule``, ``verbe``, ``articles`` (Word paragraphs),
``scrutin_demande``, ``election_titre``, ``election_tours``, ``elus``, ``resultat``, ``votes``,
``bulletins``, ``votes_nominatifs``, ``ne_prennent_pas_part``, ``debats`` (Word paragraphs, or
empty)), ``arrete`` (the adoption line), ``fait_a``, ``signature_president``,
``nom_president``, ``signature_secretaires``, ``noms_secretaires``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from docx import Document

from service.adapters.docx import libelles as L
from service.adapters.docx.cache import ENVIRONMENT
from service.adapters.docx.context import aujourd_hui_a_paris, template_context
from service.adapters.docx.markdown import ARTICLES, MarkdownWriter
from service.adapters.docx.numbering import Numbering
from service.adapters.docx.renderer import (
    DEFAULT_TEMPLATE_DIR,
    DocxtplRenderer,
    load_template,
    rendering_errors,
)
from service.adapters.docx.typography import fr
from service.domain.actes.identifier import identifier_for
from service.domain.errors import DocumentRejected
from service.domain.payload import DeliberationPayload
from service.domain.proces_verbal import ProcesVerbal

TEMPLATE_NAME = "proces_verbal.docx"
ADOPTION = "Procès-verbal arrêté en séance du"
"""The start of the adoption line: the line :meth:`mark_adoption` fills, in any version."""

_SCRUTINS = {
    "main_levee": "aucune (vote à main levée)",
    "public": "scrutin public (CGCT L. 2121-21)",
    "secret": "scrutin secret (CGCT L. 2121-21)",
}


def ligne_adoption(arrete_le: dt.date | None) -> str:
    """Return the adoption line: the date of the adopting sitting, or dots to fill."""
    if arrete_le is None:
        return fr(f"{ADOPTION} : …………………………")
    return fr(f"{ADOPTION} {L.date_longue(arrete_le)}.")


class DocxtplProcesVerbalRenderer:
    """Fill the procès-verbal template (the :class:`ProcesVerbalRenderer` port)."""

    def __init__(self, template_dirs: Sequence[Path] = (DEFAULT_TEMPLATE_DIR,), *,
                 today: Callable[[], dt.date] = aujourd_hui_a_paris) -> None:
        self._finder = DocxtplRenderer(template_dirs)
        self.today = today

    def render_proces_verbal(self, pv: ProcesVerbal) -> bytes:
        """Return the DOCX of *pv*.

        :raises TemplateError: when the template cannot be read or rendered.
        """
        path = self._finder.template_for(pv.seance.collectivite.siren, TEMPLATE_NAME)
        tpl = load_template(path)
        typographie = lru_cache(maxsize=None)(fr)
        with rendering_errors(path):
            document = tpl.get_docx()
            writer = MarkdownWriter(document, Numbering(document), getattr(tpl, "styles", None),
                                    typographie=typographie)
            context = self._context(pv, writer, typographie)
            tpl.render(context, jinja_env=ENVIRONMENT, autoescape=True)
            props = tpl.docx.core_properties
            props.title = f"Procès-verbal – {context['titre']}"[:255]
            props.author = pv.seance.collectivite.nom[:255]
            props.subject = pv.seance_id
            props.language = "fr-FR"
            out = io.BytesIO()
            tpl.save(out)
        return out.getvalue()

    def context_of(self, pv: ProcesVerbal) -> dict[str, Any]:
        """Return the variables a template of *pv* is filled with (``actes template check``
        checks a template against them); its blocks are made in a blank document."""
        document = Document()
        writer = MarkdownWriter(document, Numbering(document), None, typographie=fr)
        return self._context(pv, writer, fr)

    def _context(self, pv: ProcesVerbal, writer: MarkdownWriter,
                 typographie: Callable[[str], str]) -> dict[str, Any]:
        aujourd_hui = self.today()
        entete = template_context(pv.seance, _identifier(pv.seance), typographie=typographie,
                                  aujourd_hui=aujourd_hui)
        t = entete["textes"]
        seance = pv.seance.seance
        by_id = {m.id: m for m in pv.seance.membres}
        president = by_id.get(seance.president)
        points = [self._point(p, writer, typographie, aujourd_hui) for p in pv.deliberations]
        return {
            "collectivite": fr(pv.seance.collectivite.nom),
            "assemblee": t["assemblee"],
            "titre": t["seance"],
            "lieu": fr(seance.lieu or ""),
            "date_convocation": t["date_convocation"],
            "president_libelle": t["president_libelle"],
            "president": fr(L.nom_complet(president)) if president else "",
            "presents": t["presents"],
            "a_distance": t["a_distance"],
            "absents": t["absents"],
            "pouvoirs": t["pouvoirs"],
            "secretaires_libelle": t["secretaires_libelle"],
            "secretaires": fr(L.enumeration([L.nom_complet(by_id[i]) for i in seance.secretaires
                                             if i in by_id])),
            "quorum": t["quorum"],
            "ordre_du_jour": [fr(f"{p.deliberation.ordre}. {p.deliberation.objet}")
                              for p in pv.deliberations],
            "points": points,
            "arrete": ligne_adoption(pv.arrete_le),
            "fait_a": t["fait_a"],
            "signature_president": t["signature_president"],
            "nom_president": t["nom_president"],
            "signature_secretaires": t["signature_secretaires"],
            "noms_secretaires": t["noms_secretaires"],
        }

    def _point(self, payload: DeliberationPayload, writer: MarkdownWriter,
               typographie: Callable[[str], str], aujourd_hui: dt.date) -> dict[str, Any]:
        ctx = template_context(payload, _identifier(payload), typographie=typographie,
                               aujourd_hui=aujourd_hui)
        t, d = ctx["textes"], payload.deliberation
        decompte = ctx["decompte"]
        vote = d.vote
        votes = ""
        if vote is not None:
            votes = fr(f"Pour : {vote.pour}, contre : {vote.contre}, abstention : "
                       f"{vote.abstention}, ne se prononce pas : {vote.ne_se_prononce_pas}")
        demande = _SCRUTINS[vote.mode] if vote is not None else (
            "scrutin secret (nomination, CGCT L. 2121-21)")
        return {
            "numero": ctx["deliberation"]["numero"],
            "objet": ctx["deliberation"]["objet"],
            "rapporteur_libelle": t["rapporteur_libelle"],
            "rapporteur": t["rapporteur"],
            "presences": fr(
                f"Votants : {decompte['votants']} (présents participant au vote : "
                f"{decompte['presents_votants']}, procurations : {decompte['procurations']})"),
            "rapport": writer.subdoc([d.expose]) if d.expose else "",
            "formule": t["formule"],
            "verbe": ctx["deliberation"]["dispositif"]["verbe"],
            "articles": writer.subdoc(d.dispositif.articles, item=ARTICLES),
            "scrutin_demande": fr(demande),
            "election_titre": t["election_titre"],
            "election_tours": t["election_tours"],
            "elus": t["elus"],
            "resultat": t["resultat"],
            "votes": votes,
            "bulletins": t["bulletins"],
            "votes_nominatifs": t["votes_nominatifs"],
            "ne_prennent_pas_part": t["ne_prennent_pas_part"],
            "debats": writer.subdoc([d.debats]) if d.debats else "",
        }

    def mark_adoption(self, docx: bytes, arrete_le: dt.date) -> bytes:
        """Return *docx* with its adoption line saying *arrete_le*; the line is added at the
        end when a secretary's version lost it.

        :raises DocumentRejected: when *docx* cannot be read as a Word document.
        """
        document = _open(docx)
        texte = ligne_adoption(arrete_le)
        for paragraph in document.paragraphs:
            if paragraph.text.strip().startswith(ADOPTION):
                runs = paragraph.runs
                runs[0].text = texte
                for run in runs[1:]:
                    run.text = ""
                break
        else:
            document.add_paragraph(texte)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def _identifier(payload: DeliberationPayload):
    c, d = payload.collectivite, payload.deliberation
    return identifier_for(c.departement, c.siren, payload.seance.date, d.numero, d.nature)


def _open(docx: bytes):
    try:
        return Document(io.BytesIO(docx))
    except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, BadZipFile…
        raise DocumentRejected(f"Le document n'est pas un DOCX lisible ({type(exc).__name__}).",
                               code="docx-illisible") from exc
