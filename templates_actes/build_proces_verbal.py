"""Build ``templates_actes/proces_verbal.docx``, the procès-verbal of a sitting (CGCT L2121-15).

L2121-15 (from 1 July 2022) sets its content, printed here in the article's order: the date and
hour of the sitting, the président, the members present or represented, the secretary(ies), the
quorum, the agenda, the deliberations and the reports they were adopted on, the requests for a
particular ballot, the result of each ballot (for a public ballot the voters' names and the
direction of their vote), the gist of the discussion; then the adoption at the next sitting and
the signatures of the président and the secretary(ies) (``shared/notes/legal.md`` §4.3). The
template is rendered by ``service/adapters/docx/proces_verbal.py``; its variables are listed
there and in ``README.md``::

    .venv/bin/python templates_actes/build_proces_verbal.py          # writes the file
    .venv/bin/python templates_actes/build_proces_verbal.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from docx_building import (  # noqa: E402
    SANS,
    build_main,
    finish,
    page_footer,
    para,
    setup_styles,
    signature_blocks,
    slim,
    tag,
    two_columns,
)

from service.adapters.docx.numbering import Numbering  # noqa: E402

COL = "\u202f:"  # « : » after its narrow no-break space, French style
OUTPUT = HERE / "proces_verbal.docx"


def build() -> bytes:
    doc = Document()
    slim(doc)
    setup_styles(doc)
    Numbering(doc)  # the list definitions the Markdown of the reports and debates uses
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = Cm(2.5)
    section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2.2)
    section.footer_distance = Cm(1)

    center = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ collectivite }}", bold=True, size=13, font=SANS, align=center)
    para(doc, "PROCÈS-VERBAL DE LA SÉANCE", bold=True, size=14, font=SANS, align=center)
    para(doc, "{{ assemblee }}", bold=True, size=12, font=SANS, align=center, after=6)
    para(doc, "{{ titre }}", bold=True, align=center)
    tag(doc, "{%p if lieu %}")
    para(doc, "{{ lieu }}", align=center)
    tag(doc, "{%p endif %}")
    para(doc, "Date de la convocation" + COL + " {{ date_convocation }}", align=center, after=12)

    para(doc, "{{ president_libelle }} de séance" + COL + " {{ president }}", before=6)
    para(doc, "Membres présents" + COL, bold=True, before=6, keep=True)
    two_columns(doc, "for ligne in presents", "{{ ligne[0] }}", "{{ ligne[1] }}")
    tag(doc, "{%p if a_distance %}")
    para(doc, "Membres présents à distance" + COL, bold=True, before=6, keep=True)
    two_columns(doc, "for ligne in a_distance", "{{ ligne[0] }}", "{{ ligne[1] }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if pouvoirs %}")
    para(doc, "Membres représentés" + COL, bold=True, before=6, keep=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for pouvoir in pouvoirs %}")
    para(doc, "{{ pouvoir }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if absents %}")
    para(doc, "Membres absents" + COL, bold=True, before=6, keep=True)
    two_columns(doc, "for ligne in absents", "{{ ligne[0] }}", "{{ ligne[1] }}")
    tag(doc, "{%p endif %}")
    para(doc, "{{ secretaires_libelle }}" + COL + " {{ secretaires }}", before=6)
    para(doc, "Quorum" + COL + " {{ quorum }}", before=6)

    para(doc, "ORDRE DU JOUR", bold=True, font=SANS, before=12, after=4, keep=True)
    tag(doc, "{%p for point in ordre_du_jour %}")
    para(doc, "{{ point }}", after=2)
    tag(doc, "{%p endfor %}")

    para(doc, "DÉLIBÉRATIONS", bold=True, font=SANS, before=12, after=4, keep=True)
    tag(doc, "{%p for point in points %}")
    para(doc, "N°\u00a0{{ point.numero }} – {{ point.objet }}", bold=True, before=12, keep=True)
    tag(doc, "{%p if point.rapporteur %}")
    para(doc, "{{ point.rapporteur_libelle }}" + COL + " {{ point.rapporteur }}", keep=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if point.presences %}")
    para(doc, "{{ point.presences }}", size=10)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if point.rapport %}")
    para(doc, "Rapport" + COL, underline=True, before=4, keep=True)
    para(doc, "{{p point.rapport }}")
    tag(doc, "{%p endif %}")
    para(doc, "Décision" + COL + " {{ point.formule }} {{ point.verbe }}" + COL, underline=True,
         before=4, keep=True)
    para(doc, "{{p point.articles }}")
    para(doc, "Demande de scrutin particulier" + COL + " {{ point.scrutin_demande }}", before=4)
    tag(doc, "{%p if point.election_titre %}")
    para(doc, "{{ point.election_titre }}", keep=True)
    tag(doc, "{%p for tour in point.election_tours %}")
    para(doc, "{{ tour.titre }}", keep=True)
    tag(doc, "{%p for candidat in tour.candidats %}")
    para(doc, "{{ candidat }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    para(doc, "Résultat du scrutin" + COL + " {{ point.resultat }}", bold=True, before=4)
    tag(doc, "{%p if point.votes %}")
    para(doc, "{{ point.votes }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if point.bulletins %}")
    para(doc, "{{ point.bulletins }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for ligne in point.votes_nominatifs %}")
    para(doc, "{{ ligne }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for elu in point.elus %}")
    para(doc, "{{ elu }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if point.ne_prennent_pas_part %}")
    para(doc, "{{ point.ne_prennent_pas_part }}")
    tag(doc, "{%p endif %}")
    para(doc, "Teneur des discussions" + COL, underline=True, before=4, keep=True)
    tag(doc, "{%p if point.debats %}")
    para(doc, "{{p point.debats }}")
    tag(doc, "{%p else %}")
    para(doc, "Aucune observation.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    # The adoption at the next sitting (L2121-15 « arrêté au commencement de la séance
    # suivante »): a line the service fills when the date is recorded, even in an amended DOCX.
    para(doc, "{{ arrete }}", bold=True, before=18, keep=True)
    para(doc, "{{ fait_a }}", before=6, keep=True)
    signature_blocks(doc)

    page_footer(doc, section, "Procès-verbal – {{ titre }} – page ")
    return finish(doc, "Procès-verbal de séance",
                  "Modèle par défaut ; variables : service/adapters/docx/proces_verbal.py")


def main(argv: list[str] | None = None) -> int:
    return build_main(build, OUTPUT, "build_proces_verbal.py", argv)


if __name__ == "__main__":
    raise SystemExit(main())
