"""The template of the list of the deliberations examined: built by script, filled literally."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from docxtpl import DocxTemplate
from seance_support import sitting

from service.adapters.docx.liste import DocxtplListeRenderer, liste_context
from service.domain.liste import liste_deliberations
from service.domain.seance import SeancePayload

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_actes"
HOSTILE = "{{ 7*7 }} {% if true %}piège{% endif %} M. X & <co> <w:p>balise</w:p>"


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def test_the_committed_template_is_what_the_build_script_makes() -> None:
    result = subprocess.run([sys.executable, str(TEMPLATES / "build_liste.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_objects_print_as_typed_and_results_follow_the_votes(dijon) -> None:
    data, attendus = sitting(dijon, 9)
    data["deliberations"][2]["objet"] = HOSTILE

    text = _text(DocxtplListeRenderer([TEMPLATES]).render_liste(
        liste_deliberations(SeancePayload.model_validate(data))))

    assert "Liste des délibérations examinées en séance du 19 décembre 2019" in text
    assert f"N°\u00a0{attendus[2].numero}\u202f: {HOSTILE}" in text
    assert "49" not in text and "piège" in text
    # The result in words, as the extract says it, then the counts.
    assert text.count("Adoptée à ") == 8 and text.count("Rejetée à la majorité – ") == 1
    assert "Adoptée à l’unanimité – pour\u202f: 76, contre\u202f: 0" in text
    assert "9 délibérations examinées\u202f: 8 adoptées, 1 rejetée." in text
    # A sitting of 2019: the list of L2121-25 did not exist yet (compte rendu until 1 July 2022).
    assert "L. 2121-25" not in text


def test_the_list_cites_l2121_25_for_sittings_from_1_july_2022(dijon) -> None:
    data, _ = sitting(dijon, 2)
    data["seance"].update(date="2022-07-01", date_convocation="2022-06-24")

    text = _text(DocxtplListeRenderer([TEMPLATES]).render_liste(
        liste_deliberations(SeancePayload.model_validate(data))))

    assert "L. 2121-25" in text  # a métropole: an EPCI, CGCT L2121-25 through L5211-1


def test_an_authority_may_have_its_own_list_template(tmp_path: Path, dijon) -> None:
    own = docx.Document()
    own.add_paragraph("Registre de {{ collectivite }} : {{ nombre }} délibérations")
    (tmp_path / "242100410").mkdir()
    own.save(tmp_path / "242100410" / "liste_deliberations.docx")
    data, _ = sitting(dijon, 3)

    text = _text(DocxtplListeRenderer([tmp_path, TEMPLATES]).render_liste(
        liste_deliberations(SeancePayload.model_validate(data))))

    assert text == "Registre de Dijon Métropole : 3 délibérations"


def test_the_template_reads_only_variables_the_renderer_gives(dijon) -> None:
    data, _ = sitting(dijon, 2)
    context = liste_context(liste_deliberations(SeancePayload.model_validate(data)))
    tpl = DocxTemplate(TEMPLATES / "liste_deliberations.docx")

    used = tpl.get_undeclared_template_variables()

    assert used <= set(context) and {"titre", "lignes", "bilan"} <= used
    xml = (TEMPLATES / "liste_deliberations.docx").read_bytes()
    body = zipfile.ZipFile(io.BytesIO(xml)).read("word/document.xml").decode()
    read = set(re.findall(r"ligne\.(\w+)", body))
    assert read and read <= set(context["lignes"][0])
