"""Build ``templates_actes/deliberation.docx``, the default template of the extract.

The ``.docx`` is the contract (an authority copies it, opens it in Word and edits it); this
script is how it is made, so a change is reviewed as code and the file can be rebuilt
byte for byte::

    .venv/bin/python templates_actes/build_templates.py          # writes the file
    .venv/bin/python templates_actes/build_templates.py --check  # exit 1 if it is stale

The layout follows the extracts of Dijon Métropole's register (``shared/reference/``): the
header with the counts, the members in two columns, OBJET, the exposé, the formula, the
articles as dashes, the SCRUTIN block, the signatures, the recourse mention and a footer with
the numéro, the ordre and « page X/Y ». Since contract v1.1 it also says what the law and real
acts say (``shared/notes/legal.md`` §11): the quorum, remote members and suppléants, the
proxies under their own heading, the ballot, the result in words, a nomination's rounds, the
signatures of the sitting's regime, « Fait à …, le … », the certification and the executory
mentions; the recourse mention and the signature blocks are never split across pages. The
variables are listed in ``README.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm

HERE = Path(__file__).resolve().parent
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
from service.adapters.docx.typography import NNBSP  # noqa: E402

COL = NNBSP + ":"  # « : » after its narrow no-break space, French style
OUTPUT = HERE / "deliberation.docx"


# --- the template ---------------------------------------------------------------------------


def build() -> bytes:
    doc = Document()
    slim(doc)
    setup_styles(doc)
    Numbering(doc)  # the list definitions the Markdown of the exposé and articles uses

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    # 3.2 cm at the top leaves room for the prefecture stamp (box at the top right of page 1).
    section.top_margin = Cm(3.2)
    section.bottom_margin = Cm(2)
    section.left_margin = section.right_margin = Cm(2.2)
    section.footer_distance = Cm(1)

    center = WD_ALIGN_PARAGRAPH.CENTER
    para(doc, "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS", bold=True, size=14, font=SANS, align=center)
    para(doc, "{{ textes.assemblee }}", bold=True, size=12, font=SANS, align=center, after=12)
    para(doc, "{{ textes.seance }}", bold=True, align=center)
    tag(doc, "{%p if seance.lieu %}")
    para(doc, "{{ seance.lieu }}", align=center)
    tag(doc, "{%p endif %}")
    para(doc, "", after=6)

    para(doc, "{{ textes.president_libelle }}" + COL + " {{ textes.president }}")
    para(doc, "{{ textes.secretaires_libelle }}" + COL + " {{ textes.secretaires }}", after=6)
    para(doc, "Convocation envoyée le {{ textes.date_convocation }}", after=6)
    para(doc, "Nombre de membres {{ textes.du_conseil }}" + COL + " {{ assemblee.effectif_legal }}")
    para(doc, "Nombre de membres en exercice" + COL + " {{ decompte.en_exercice }}", after=6)
    para(doc, "Nombre de présents participant au vote" + COL + " {{ decompte.presents_votants }}")
    para(doc, "Nombre de procurations" + COL + " {{ decompte.procurations }}", after=6)
    para(doc, "{{ textes.quorum }}", after=6)

    para(doc, "Membres présents" + COL, bold=True, underline=True, after=3, keep=True)
    two_columns(doc, "for ligne in textes.presents", "{{ ligne[0] }}", "{{ ligne[1] }}")
    tag(doc, "{%p if textes.a_distance %}")
    para(doc, "Membres présents à distance" + COL, bold=True, underline=True, before=6, after=3,
         keep=True)
    two_columns(doc, "for ligne in textes.a_distance", "{{ ligne[0] }}", "{{ ligne[1] }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if textes.absents %}")
    para(doc, "Membres absents" + COL, bold=True, underline=True, before=6, after=3, keep=True)
    two_columns(doc, "for ligne in textes.absents", "{{ ligne[0] }}", "{{ ligne[1] }}")
    para(doc, "", size=6)
    tag(doc, "{%p endif %}")
    # The proxies under their own heading; one a line: « X pouvoir à Y » is too long for half
    # a page without wrapping.
    tag(doc, "{%p if textes.pouvoirs %}")
    para(doc, "Procurations" + COL, bold=True, underline=True, before=6, after=3, keep=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for pouvoir in textes.pouvoirs %}")
    para(doc, "{{ pouvoir }}", size=10.5, after=4)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if textes.ne_prennent_pas_part %}")
    para(doc, "{{ textes.ne_prennent_pas_part }}", before=6)
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if deliberation.rubrique %}")
    para(doc, "OBJET" + COL + " {{ deliberation.rubrique }}", bold=True, before=18, keep=True)
    para(doc, "{{ deliberation.objet }}", bold=True, after=12)
    tag(doc, "{%p else %}")
    para(doc, "OBJET" + COL + " {{ deliberation.objet }}", bold=True, before=18, after=12)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if textes.rapporteur %}")
    para(doc, "{{ textes.rapporteur_libelle }}" + COL + " {{ textes.rapporteur }}", after=12)
    tag(doc, "{%p endif %}")

    para(doc, "{{p blocs.expose }}")

    tag(doc, "{%p for visa in deliberation.visas %}")
    para(doc, "{{ visa }}", style="Body Text", after=3)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for considerant in deliberation.considerants %}")
    para(doc, "{{ considerant }}", style="Body Text", after=3)
    tag(doc, "{%p endfor %}")

    para(doc, "{{ textes.formule }}", bold=True, before=12, after=6, keep=True)
    para(doc, "{{ deliberation.dispositif.verbe }}" + COL, bold=True, after=6, keep=True)
    para(doc, "{{p blocs.articles }}")

    # A nomination: its rounds, candidates and elected (L2121-21); otherwise the vote.
    tag(doc, "{%p if deliberation.election %}")
    para(doc, "{{ textes.election_titre }}", bold=True, before=12, after=4, keep=True)
    tag(doc, "{%p for tour in textes.election_tours %}")
    para(doc, "{{ tour.titre }}", before=4, after=2, keep=True)
    tag(doc, "{%p for candidat in tour.candidats %}")
    p = para(doc, "{{ candidat }}", after=2, keep=True)
    p.paragraph_format.left_indent = Cm(1)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for elu in textes.elus %}")
    para(doc, "{{ elu }}", bold=True, before=6)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    tag(doc, "{%p if textes.mode_scrutin %}")
    para(doc, "{{ textes.mode_scrutin }}", bold=True, before=12, keep=True)
    tag(doc, "{%p endif %}")
    scrutin = [
        "SCRUTIN" + COL + "\tPOUR" + COL + " {{ deliberation.vote.pour }}"
        "\tABSTENTION" + COL + " {{ deliberation.vote.abstention }}",
        "\tCONTRE" + COL + " {{ deliberation.vote.contre }}"
        "\tNE SE PRONONCE PAS" + COL + " {{ deliberation.vote.ne_se_prononce_pas }}",
        "\tDONT {{ decompte.procurations }} PROCURATION(S)",
    ]
    for i, line in enumerate(scrutin):
        p = para(doc, line, bold=True, before=12 if i == 0 else None, after=4, keep=True)
        for pos in (Cm(3), Cm(8.5)):
            p.paragraph_format.tab_stops.add_tab_stop(pos, WD_TAB_ALIGNMENT.LEFT)
    tag(doc, "{%p if textes.bulletins %}")
    para(doc, "{{ textes.bulletins }}", after=4, keep=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for ligne in textes.votes_nominatifs %}")
    para(doc, "{{ ligne }}", before=3, keep=True, together=True)
    tag(doc, "{%p endfor %}")
    para(doc, "Votants" + COL + " {{ decompte.votants }}", bold=True, before=6, keep=True)
    para(doc, "{{ textes.resultat }}", bold=True, before=3)
    tag(doc, "{%p endif %}")

    # The signatures of the sitting's regime: from 1 July 2022 the président and the
    # secretary(ies) (L2121-23); before, every member present signed the register.
    tag(doc, "{%p if textes.signatures_de_seance %}")
    para(doc, "", before=12, keep=True)
    signature_blocks(doc, "textes.")
    tag(doc, "{%p else %}")
    para(doc, "{{ textes.mention_registre }}", before=12, together=True)
    tag(doc, "{%p endif %}")

    # The certification of the extract by the executive or his delegate, kept on one page.
    para(doc, "Pour extrait conforme,", before=18, keep=True, together=True)
    para(doc, "{{ textes.fait_a }}", after=6, keep=True, together=True)
    para(doc, "{{ textes.qualite_signataire }}", keep=True, together=True)
    for _ in range(3):
        para(doc, "", keep=True)
    para(doc, "{{ textes.nom_signataire }}", together=True)

    # Transmission, publication and executory force, once the prefecture's dates are known.
    tag(doc, "{%p for ligne in textes.execution %}")
    para(doc, "{{ ligne }}", size=9, before=6, together=True, keep=True)
    tag(doc, "{%p endfor %}")

    para(doc, "{{ textes.recours }}", size=9, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=24,
         together=True)

    page_footer(
        doc, section,
        "N°\u00a0délib {{ deliberation.numero }} – N°\u00a0ordre {{ deliberation.ordre }} – page ",
    )

    return finish(doc, "Extrait du registre des délibérations",
                  "Modèle par défaut ; variables : templates_actes/README.md")


def main(argv: list[str] | None = None) -> int:
    return build_main(build, OUTPUT, "build_templates.py", argv)


if __name__ == "__main__":
    raise SystemExit(main())
