"""The Markdown subset becomes real Word headings, lists and runs, never literal marks."""

from __future__ import annotations

import subprocess
import tempfile

import pytest
from lxml import etree
from pdftext import normalise
from template_support import W, dijon_data, paragraph_text, paragraph_with, part, render

from service.adapters.libreoffice.soffice_cli import SofficeCliConverter

EXPOSE = """Premier paragraphe avec du **gras** et de l'*italique*.

## Titre de section

1. un
2. deux
   - sous-puce

Un paragraphe entre deux listes.

1. encore un
2. encore deux

- puce A
- puce B

### Sous-titre

Fin_de_mot et 2 * 3 = 6."""

ARTICLES = ["d’approuver **la création** d’un poste", "de dire que :\n\n- premier\n- second"]


@pytest.fixture(scope="module")
def docx() -> bytes:
    data = dijon_data()
    data["deliberation"]["expose"] = EXPOSE
    data["deliberation"]["dispositif"]["articles"] = ARTICLES
    return render(data)


@pytest.fixture(scope="module")
def body(docx: bytes) -> etree._Element:
    return part(docx)


@pytest.fixture(scope="module")
def numbering(docx: bytes) -> etree._Element:
    return part(docx, "word/numbering.xml")


def num_pr(p: etree._Element) -> tuple[int, int] | None:
    """Return (numId, ilvl) of a list paragraph, None for another paragraph."""
    pr = p.find(f"{W}pPr/{W}numPr")
    if pr is None:
        return None
    return int(pr.find(W + "numId").get(W + "val")), int(pr.find(W + "ilvl").get(W + "val"))


def abstract_name(numbering: etree._Element, num_id: int) -> str:
    num = numbering.xpath(f"w:num[@w:numId='{num_id}']", namespaces={"w": W[1:-1]})[0]
    abstract_id = num.find(W + "abstractNumId").get(W + "val")
    abstract = numbering.xpath(
        f"w:abstractNum[@w:abstractNumId='{abstract_id}']", namespaces={"w": W[1:-1]}
    )[0]
    return abstract.find(W + "name").get(W + "val")


def style(p: etree._Element) -> str | None:
    s = p.find(f"{W}pPr/{W}pStyle")
    return None if s is None else s.get(W + "val")


def test_headings_are_word_headings(body: etree._Element) -> None:
    assert style(paragraph_with(body, "Titre de section")) == "Heading2"
    assert style(paragraph_with(body, "Sous-titre")) == "Heading3"


def test_numbered_lists_are_real_lists_that_restart(
    body: etree._Element, numbering: etree._Element
) -> None:
    un, deux = num_pr(paragraph_with(body, "un")), num_pr(paragraph_with(body, "deux"))
    encore = num_pr(paragraph_with(body, "encore un"))
    assert un is not None and encore is not None
    assert un == deux and un[1] == 0
    assert abstract_name(numbering, un[0]) == "extrait-numeros"
    # A second list is a new numbering instance starting again at 1.
    assert encore[0] != un[0]
    override = numbering.xpath(
        f"w:num[@w:numId='{encore[0]}']/w:lvlOverride/w:startOverride/@w:val",
        namespaces={"w": W[1:-1]},
    )
    assert override == ["1"]


def test_bullets_are_real_lists_and_nest(body: etree._Element, numbering: etree._Element) -> None:
    a = num_pr(paragraph_with(body, "puce A"))
    sous = num_pr(paragraph_with(body, "sous-puce"))
    assert a is not None and sous is not None
    assert abstract_name(numbering, a[0]) == "extrait-puces" and a[1] == 0
    assert abstract_name(numbering, sous[0]) == "extrait-puces" and sous[1] == 1
    assert num_pr(paragraph_with(body, "Un paragraphe entre deux listes.")) is None


def test_articles_are_dash_items_with_markdown_inside(
    body: etree._Element, numbering: etree._Element
) -> None:
    first = paragraph_with(body, "d’approuver la création d’un poste")
    second = paragraph_with(body, "de dire que\u202f:")
    assert num_pr(first) is not None and num_pr(first) == num_pr(second)
    assert abstract_name(numbering, num_pr(first)[0]) == "extrait-articles"
    text = numbering.xpath(
        "w:abstractNum[w:name/@w:val='extrait-articles']/w:lvl[@w:ilvl='0']/w:lvlText/@w:val",
        namespaces={"w": W[1:-1]},
    )
    assert text == ["-"]
    nested = num_pr(paragraph_with(body, "premier"))
    assert nested is not None and nested[1] == 1
    assert abstract_name(numbering, nested[0]) == "extrait-puces"


def test_bold_and_italic_are_runs_not_marks(body: etree._Element) -> None:
    runs = {"".join(r.itertext(W + "t")): r for r in body.iter(W + "r")}
    assert runs["gras"].find(f"{W}rPr/{W}b") is not None
    assert runs["italique"].find(f"{W}rPr/{W}i") is not None
    assert runs["la création"].find(f"{W}rPr/{W}b") is not None
    text = " ".join(paragraph_text(p) for p in body.iter(W + "p"))
    assert "**" not in text and "##" not in text
    assert "Premier paragraphe avec du gras et de l’italique." in text
    # Underscores and lone stars are not the subset's emphasis: they print as typed.
    assert "Fin_de_mot et 2 * 3 = 6." in text


@pytest.mark.libreoffice
def test_libreoffice_prints_the_numbers_and_glyphs(docx: bytes) -> None:
    pdf = SofficeCliConverter().to_pdf(docx)
    # -layout keeps each list label on the line of its text (plain pdftotext reads the
    # column of labels apart from the column of texts).
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        out = subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, check=True)
    lines = [normalise(line) for line in out.stdout.decode().splitlines()]
    start = lines.index("Premier paragraphe avec du gras et de l’italique.")
    expected = [
        "1. un",
        "2. deux",
        "– sous-puce",
        "1. encore un",
        "2. encore deux",
        "• puce A",
        "• puce B",
        "- d’approuver la création d’un poste",
        "- de dire que :",
        "– premier",
        "– second",
    ]
    body = [line for line in lines[start:] if line]
    assert [line for line in body if line in expected] == expected
    assert "**" not in " ".join(body)
