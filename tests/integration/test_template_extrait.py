"""The Dijon example, rendered and converted, reads like the real extract of the register."""

from __future__ import annotations

import io
import re

import pytest
from pdftext import pdf_fonts, pdf_text
from pypdf import PdfReader
from template_support import (
    REFERENCE,
    W,
    dijon_data,
    find_in_order,
    paragraph_text,
    part,
    render,
    tokens,
)

from service.adapters.docx.context import aujourd_hui_a_paris
from service.adapters.docx.libelles import date_longue
from service.adapters.libreoffice.soffice_cli import SofficeCliConverter

pytestmark = pytest.mark.libreoffice

FOOTER = re.compile(r"N° délib 2019-12-19_013 – N° ordre 13 – page (\d+)/(\d+)")


def reference_lines() -> list[str]:
    """Return the lines of the reference extract, header to SCRUTIN, without the artefacts
    that shared/reference/README.md lists."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = text.replace("Ē", "É")  # DĒLIBĒRATIONS: macrons of the extraction
    text = re.sub(r"pu-\s*\n\s*blics", "publics", text)  # hyphenation at a line end
    text = text.replace("LE CONSEIL ,", "LE CONSEIL,")  # extraction space
    text = text.replace("\uf0b7", "")  # bullet glyphs lost by the extraction
    stamp = (
        "Accusé de réception en préfecture",
        "021-242100410-20191219-2019-12-19_013-DE",
        "Date de télétransmission",
        "Date de réception préfecture",
    )
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("-N° délib") or line.startswith(stamp):
            continue
        lines.append(line)
        if line.startswith("DONT 10 PROCURATION(S)"):
            break
    return lines


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return SofficeCliConverter(timeout=120).to_pdf(render(dijon_data()), label="dijon")


@pytest.fixture(scope="module")
def text(pdf: bytes) -> str:
    return pdf_text(pdf)


def test_reference_has_the_expected_span() -> None:
    lines = reference_lines()
    assert lines[0] == "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS"
    assert lines[-1] == "DONT 10 PROCURATION(S)"
    assert "M. Gilbert MENUT pouvoir à M. Adrien GUENE." in lines
    assert not any("Accusé de réception" in line or "N° délib" in line for line in lines)


def test_every_line_of_the_reference_extract_is_printed_in_order(text: str) -> None:
    body = FOOTER.sub(" ", text)  # the footer falls anywhere in the flow of the text
    missing = find_in_order(tokens(body), reference_lines())
    assert missing is None, missing


def test_members_are_read_row_by_row_in_two_columns(text: str) -> None:
    assert (
        "M. François REBSAMEN M. Pierre PRIBETICH M. Thierry FALCONNET M. Patrick CHAPUIS" in text
    )
    assert "M. Adrien GUENE M. Cyril GAUCHER. Membres absents" in text


def test_the_extract_ends_with_result_certification_mentions_and_recourse(text: str) -> None:
    tail = text[text.index("DONT 10 PROCURATION(S)") :]
    missing = find_in_order(
        tokens(FOOTER.sub(" ", tail)),
        [
            "Votants : 76",
            "Adoptée à l’unanimité",
            # A sitting of 2019: before 1 July 2022 every member present signed the register.
            "Fait et délibéré en séance les jour, mois et an susdits ; au registre ont signé les "
            "membres présents.",
            "Pour extrait conforme,",
            f"Fait à Dijon Métropole, le {date_longue(aujourd_hui_a_paris())}",
            "Le Président,",
            "François REBSAMEN",
            "Transmis au représentant de l’État le 20/12/2019",
            "Reçu par le représentant de l’État le 20/12/2019",
            "recours gracieux auprès de Monsieur le Président",
            "recours contentieux devant le tribunal administratif",
            "dans un délai de deux mois à compter de sa publication et de sa transmission "
            "au représentant de l’État",
            "« Télérecours citoyens »",
            "www.telerecours.fr",
        ],
    )
    assert missing is None, missing
    assert "Secrétaire de séance," not in tail  # the signatures of L2121-23 start in 2022
    assert "Certifié exécutoire" not in tail  # not published yet


def test_the_quorum_is_said_after_the_counts(text: str) -> None:
    assert (
        "Nombre de procurations : 10 Le quorum étant atteint (40 membres présents requis), "
        "l’assemblée peut valablement délibérer. Membres présents :" in text
    )


def test_every_page_has_its_footer_and_the_extract_is_about_four_pages(
    pdf: bytes, text: str
) -> None:
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert 3 <= pages <= 5
    assert [m.groups() for m in FOOTER.finditer(text)] == [
        (str(n), str(pages)) for n in range(1, pages + 1)
    ]


def test_fonts_are_liberation_and_embedded(pdf: bytes) -> None:
    fonts = pdf_fonts(pdf)
    assert fonts
    assert all(f["emb"] == "yes" for f in fonts), fonts
    assert all("Liberation" in f["name"] for f in fonts), fonts


def test_labels_and_payload_text_carry_narrow_no_break_spaces() -> None:
    # pdftotext gives U+202F back as a plain space: the DOCX shows what was written.
    root = part(render(dijon_data()))
    texts = [paragraph_text(p) for p in root.iter(W + "p")]
    assert "Président\u202f: M. REBSAMEN" in texts
    assert "DÉCIDE\u202f:" in texts
    assert "Nombre de procurations\u202f: 10" in texts
    assert any("«\u202fville intelligente\u202f»" in t for t in texts)
    assert any("nouveau défi\u202f: celui" in t for t in texts)
