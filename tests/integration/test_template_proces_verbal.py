"""The procès-verbal's template: built by script, overridable per authority, filled literally,
and its adoption line filled in any version (a secretary's included)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
from docxtpl import DocxTemplate
from pv_support import PERSONNE, seance_2024

from service.adapters.docx.occultation import DocxOcculteur
from service.adapters.docx.proces_verbal import DocxtplProcesVerbalRenderer
from service.domain.proces_verbal import proces_verbal
from service.domain.seance import SeancePayload, deliberation_payloads
from service.errors import DocumentRejected

TEMPLATES = Path(__file__).resolve().parents[2] / "templates_actes"
HOSTILE = "{{ 7*7 }} {% if true %}piège{% endif %} M. X & <co>"


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pv(dijon, **changes):
    data = seance_2024(dijon)
    data["deliberations"][1].update(changes)
    seance = SeancePayload.model_validate(data)
    return proces_verbal("021-242100410-20240314", seance, deliberation_payloads(seance))


def test_the_committed_template_is_what_the_build_script_makes() -> None:
    result = subprocess.run([sys.executable, str(TEMPLATES / "build_proces_verbal.py"), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_payload_text_prints_as_typed(dijon) -> None:
    text = _text(DocxtplProcesVerbalRenderer().render_proces_verbal(_pv(dijon, debats=HOSTILE)))
    assert HOSTILE in text


def test_an_authoritys_own_template_is_used(dijon, tmp_path: Path) -> None:
    own = tmp_path / "242100410"
    own.mkdir()
    tpl = DocxTemplate(str(TEMPLATES / "proces_verbal.docx"))
    document = tpl.get_docx()
    document.paragraphs[0].insert_paragraph_before("PROCÈS-VERBAL PROPRE À DIJON MÉTROPOLE")
    document.save(own / "proces_verbal.docx")
    text = _text(DocxtplProcesVerbalRenderer([tmp_path, TEMPLATES]).render_proces_verbal(
        _pv(dijon)))
    assert "PROCÈS-VERBAL PROPRE À DIJON MÉTROPOLE" in text
    other = tmp_path / "other"
    shutil.copytree(own, other / "999999999")
    assert "PROPRE" not in _text(DocxtplProcesVerbalRenderer([other, TEMPLATES])
                                 .render_proces_verbal(_pv(dijon)))


def test_the_adoption_line_is_filled_or_added(dijon) -> None:
    renderer = DocxtplProcesVerbalRenderer()
    generated = renderer.render_proces_verbal(_pv(dijon))
    assert "Procès-verbal arrêté en séance du : ……" in _text(generated).replace("\u202f", " ")
    adopted = _text(renderer.mark_adoption(generated, dt.date(2024, 4, 11)))
    assert "Procès-verbal arrêté en séance du 11 avril 2024." in adopted
    assert "……" not in adopted
    # A secretary's version without the line gets it at the end.
    bare = docx.Document()
    bare.add_paragraph("Procès-verbal rédigé à la main.")
    buf = io.BytesIO()
    bare.save(buf)
    lines = _text(renderer.mark_adoption(buf.getvalue(), dt.date(2024, 4, 11))).splitlines()
    assert lines[-1] == "Procès-verbal arrêté en séance du 11 avril 2024."


def test_personal_data_split_across_runs_is_removed_from_a_clerks_docx() -> None:
    document = docx.Document()
    p = document.add_paragraph("Vendu à ")
    p.add_run("Mme Josette ").bold = True
    p.add_run("VERDIER-LAMBERT, domiciliée à Dijon.")
    document.core_properties.title = f"Vente à {PERSONNE}"
    buf = io.BytesIO()
    document.save(buf)
    cleaned = DocxOcculteur().occulter(buf.getvalue(), [PERSONNE], "Publié le 18/03/2024")
    reread = docx.Document(io.BytesIO(cleaned))
    text = "\n".join(p.text for p in reread.paragraphs)
    assert text == "Vendu à [donnée occultée], domiciliée à Dijon.\nPublié le 18/03/2024"
    assert PERSONNE not in reread.core_properties.title
    with zipfile.ZipFile(io.BytesIO(cleaned)) as zf:
        assert not [n for n in zf.namelist() if b"VERDIER" in zf.read(n)]


def test_an_unreadable_docx_is_refused() -> None:
    try:
        DocxOcculteur().occulter(b"PK\x03\x04 broken", ["x"])
    except DocumentRejected as exc:
        assert exc.code == "docx-illisible"
    else:
        raise AssertionError("a broken DOCX must be refused")


def test_every_variable_of_the_template_is_given_and_documented(dijon) -> None:
    import re

    from service.adapters.docx.markdown import MarkdownWriter
    from service.adapters.docx.numbering import Numbering

    path = TEMPLATES / "proces_verbal.docx"
    variables = DocxTemplate(str(path)).get_undeclared_template_variables()
    renderer = DocxtplProcesVerbalRenderer()
    document = DocxTemplate(str(path)).get_docx()
    context = renderer._context(_pv(dijon), MarkdownWriter(document, Numbering(document)),
                                lambda text: text)
    assert variables <= set(context), variables - set(context)
    readme = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## `proces_verbal.docx`"):]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    assert set(context) <= documented, set(context) - documented
    point_keys = set(context["points"][0])
    assert point_keys <= documented, point_keys - documented
