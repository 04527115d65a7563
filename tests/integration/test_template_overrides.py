"""An authority's own template wins over the default one; a broken one is reported in French."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from template_support import TEMPLATES, W, dijon_data, paragraph_text, part, render

from service.adapters.docx import DocxtplRenderer
from service.errors import TemplateError

SIREN = "242100410"


def write_template(path: Path, *lines: str) -> Path:
    """Write a one-paragraph-per-line Word template at *path*."""
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def texts(docx: bytes) -> list[str]:
    return [paragraph_text(p) for p in part(docx).iter(W + "p")]


def test_authority_folder_wins_over_the_generic_override_and_the_default(tmp_path: Path) -> None:
    write_template(tmp_path / SIREN / "deliberation.docx", "MODÈLE DIJON {{ deliberation.objet }}")
    write_template(tmp_path / "deliberation.docx", "MODÈLE COMMUN")
    out = texts(render(dijon_data(), [tmp_path, TEMPLATES]))
    assert out == ["MODÈLE DIJON Création d’un poste de responsable de la gouvernance des données"]


def test_other_authorities_get_the_generic_override(tmp_path: Path) -> None:
    write_template(tmp_path / SIREN / "deliberation.docx", "MODÈLE DIJON")
    write_template(tmp_path / "deliberation.docx", "MODÈLE COMMUN {{ collectivite.nom }}")
    data = dijon_data()
    data["collectivite"]["siren"] = "213502383"
    assert texts(render(data, [tmp_path, TEMPLATES])) == ["MODÈLE COMMUN Dijon Métropole"]


def test_an_authority_folder_in_a_later_directory_loses_to_an_earlier_generic_one(
    tmp_path: Path,
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_template(first / "deliberation.docx", "PREMIER DOSSIER")
    write_template(second / SIREN / "deliberation.docx", "SECOND DOSSIER")
    assert texts(render(dijon_data(), [first, second])) == ["PREMIER DOSSIER"]


def test_without_override_the_default_template_is_used(tmp_path: Path) -> None:
    out = texts(render(dijon_data(), [tmp_path, TEMPLATES]))
    assert out[0] == "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS"


def test_a_copy_of_the_default_template_renders_like_it(tmp_path: Path) -> None:
    shutil.copy(TEMPLATES / "deliberation.docx", tmp_path / "deliberation.docx")
    assert texts(render(dijon_data(), [tmp_path])) == texts(render(dijon_data()))


def test_a_siren_that_is_not_nine_digits_never_names_a_folder(tmp_path: Path) -> None:
    write_template(tmp_path / "x" / "deliberation.docx", "PIÈGE")
    write_template(tmp_path / "x" / "y" / "deliberation.docx", "PIÈGE")
    renderer = DocxtplRenderer([tmp_path / "x" / "y", TEMPLATES])
    assert renderer.template_for("../../x") == tmp_path / "x" / "y" / "deliberation.docx"
    assert DocxtplRenderer([TEMPLATES]).template_for("..") == TEMPLATES / "deliberation.docx"


def test_missing_template_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"Aucun modèle « deliberation\.docx » trouvé"):
        render(dijon_data(), [tmp_path])


def test_a_file_that_is_not_a_word_document_is_a_template_error(tmp_path: Path) -> None:
    (tmp_path / "deliberation.docx").write_bytes(b"PK\x03\x04 pas un document")
    with pytest.raises(TemplateError, match="n'est pas un document Word lisible"):
        render(dijon_data(), [tmp_path, TEMPLATES])


@pytest.mark.parametrize(
    "line",
    [
        "{{ deliberation.objt }}",  # misspelt field
        "{{ inconnu }}",  # no such variable
        "{% if deliberation.objet %}jamais fermé",  # syntax error
    ],
)
def test_a_template_that_cannot_be_filled_is_a_template_error(tmp_path: Path, line: str) -> None:
    write_template(tmp_path / "deliberation.docx", line)
    with pytest.raises(TemplateError, match="ne peut pas être rempli") as info:
        render(dijon_data(), [tmp_path, TEMPLATES])
    assert info.value.code == "modele-invalide"


def test_the_error_does_not_leak_a_half_rendered_document(tmp_path: Path) -> None:
    # The default template is left as it was: a later render still works.
    write_template(tmp_path / SIREN / "deliberation.docx", "{{ inconnu }}")
    with pytest.raises(TemplateError):
        render(dijon_data(), [tmp_path, TEMPLATES])
    data = dijon_data()
    data["collectivite"]["siren"] = "213502383"
    assert texts(render(data, [tmp_path, TEMPLATES]))[0] == "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS"


def test_an_override_without_list_definitions_still_gets_real_lists(tmp_path: Path) -> None:
    # A template made in Word has neither our numberings nor maybe the list styles.
    doc = Document()
    doc.add_paragraph("{{p blocs.expose }}")
    buf = io.BytesIO()
    doc.save(buf)
    (tmp_path / "deliberation.docx").write_bytes(buf.getvalue())
    data = dijon_data()
    data["deliberation"]["expose"] = "- a\n- b"
    docx = render(data, [tmp_path])
    items = [p for p in part(docx).iter(W + "p") if paragraph_text(p) in ("a", "b")]
    assert len(items) == 2
    assert all(p.find(f"{W}pPr/{W}numPr") is not None for p in items)
    names = part(docx, "word/numbering.xml").xpath(
        "//w:abstractNum/w:name/@w:val", namespaces={"w": W[1:-1]}
    )
    assert {"extrait-puces", "extrait-numeros", "extrait-articles"} <= set(names)
