"""Build ``templates_actes/liste_deliberations.docx``, the list of the deliberations examined.

CGCT L2121-25: within a week of the sitting, the list of the deliberations examined is posted
and put online; it gives the date of the sitting and the object of every deliberation, adopted
or rejected (``shared/notes/legal.md`` §4.4). The template is rendered by
``service/adapters/docx/liste.py``; its variables are listed there and in ``README.md``::

    .venv/bin/python templates_actes/build_liste.py          # writes the file
    .venv/bin/python templates_actes/build_liste.py --check  # exit 1 if it is stale

Each deliberation is a short block of paragraphs rather than a table row: text extractors and
screen readers then read a deliberation's number, object and vote together.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docx_building import (  # noqa: E402
    SANS,
    build_main,
    finish,
    page_footer,
    para,
    setup_styles,
    tag,
)

COL = "\u202f:"  # « : » after its narrow no-break space, French style
OUTPUT = HERE / "liste_deliberations.docx"


def build() -> bytes:
    doc = Document()
    setup_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2.2)
    section.footer_distance = Cm(1)

    center = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "{{ collectivite }}", bold=True, size=14, font=SANS, align=center)
    para(doc, "{{ assemblee }}", bold=True, size=12, font=SANS, align=center, after=12)
    para(doc, "{{ titre }}", bold=True, size=13, font=SANS, align=center, after=6)
    tag(doc, "{%p if precisions %}")
    para(doc, "{{ precisions }}", align=center)
    tag(doc, "{%p endif %}")
    para(doc, "{{ bilan }}", align=center, before=6, after=6)
    # R2131-1 / L2121-25: the date the list was put online, once recorded.
    tag(doc, "{%p if mise_en_ligne %}")
    para(doc, "{{ mise_en_ligne }}", bold=True, align=center, after=6)
    tag(doc, "{%p endif %}")
    para(doc, "", after=6)

    tag(doc, "{%p for ligne in lignes %}")
    para(doc, "N°\u00a0{{ ligne.numero }}" + COL + " {{ ligne.objet }}", bold=True, before=8,
         after=2, keep=True)
    # The result in words (the extract's), then the counts: a nomination has none.
    para(doc, "{{ ligne.resultat }}{% if ligne.votes %} – {{ ligne.votes }}{% endif %}",
         size=10, after=2)
    tag(doc, "{%p endfor %}")

    para(doc, "{{ mention }}", size=9, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=24)

    page_footer(doc, section, "{{ titre }} – page ")

    return finish(doc, "Liste des délibérations examinées",
                  "Modèle par défaut ; variables : service/adapters/docx/liste.py")


def main(argv: list[str] | None = None) -> int:
    return build_main(build, OUTPUT, "build_liste.py", argv)


if __name__ == "__main__":
    raise SystemExit(main())
