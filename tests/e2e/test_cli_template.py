"""``actes template check``: an authority's own template is checked before it goes live.

Each test writes the template an authority could hand in (one paragraph per line, made with
python-docx as Word would save it) and reads what the command says about it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from docx_tamper import with_relationship

from service.entrypoints.cli import EXAMPLES_DIR, main

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "templates_actes"
DIJON = EXAMPLES_DIR / "deliberation.json"
SEANCE = EXAMPLES_DIR / "seance.json"


def template(path: Path, *lines: str) -> Path:
    """Write a Word template at *path*, one paragraph per line."""
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def check(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["template", "check", *map(str, args)])


@pytest.mark.parametrize("name", ["deliberation.docx", "liste_deliberations.docx",
                                  "proces_verbal.docx"])
def test_the_default_templates_pass(name: str) -> None:
    result = check(TEMPLATES / name)
    assert result.exit_code == 0, result.stderr
    assert f"Modèle {name} (" in result.stdout and "valide" in result.stdout
    assert result.stderr == ""


def test_a_good_authority_template_passes_and_names_the_examples_it_rendered(
    tmp_path: Path,
) -> None:
    path = template(tmp_path / "mon-modele.docx",
                    "{{ collectivite.nom }} – {{ textes.seance }}",
                    "{{ deliberation.objet }} ({{ identifiant }})",
                    "{%p if deliberation.rapporteur %}",
                    "{{ textes.rapporteur_libelle }} : {{ textes.rapporteur }}",
                    "{%p endif %}",
                    "{{p blocs.expose }}",
                    "Pour : {{ deliberation.vote.pour }}, votants : {{ decompte.votants }}")
    result = check(path)
    assert result.exit_code == 0, result.stderr
    # A file of any name is checked as the extract unless --genre says otherwise.
    assert result.stdout.strip() == (
        "Modèle mon-modele.docx (deliberation) valide ; exemples : "
        "deliberation.json, seance.json.")


def test_unknown_variables_are_each_reported_even_in_a_branch_no_example_takes(
    tmp_path: Path,
) -> None:
    path = template(tmp_path / "deliberation.docx",
                    "{{ deliberation.objt }}",
                    "{% if deliberation.rapporteur %}{{ textes.rapportuer }}{% endif %}",
                    "{{ inconnu }}")
    result = check(path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Le modèle deliberation.docx (deliberation) ne peut pas être mis en service : "
        "3 problème(s).",
        "  [modele-variable-inconnue] Variable inconnue « inconnu » : ni une donnée ni une "
        "valeur calculée d'un modèle « deliberation » (voir templates_actes/README.md).",
        "  [modele-variable-inconnue] Variable inconnue « deliberation.objt » "
        "(voir templates_actes/README.md).",
        "  [modele-variable-inconnue] Variable inconnue « textes.rapportuer » "
        "(voir templates_actes/README.md).",
    ]


@pytest.mark.parametrize(("line", "reason"), [
    ("{% if deliberation.objet %}jamais fermé",
     "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' "
     "or 'endif'. The innermost block that needs to be closed is 'if'"),
    ("{{ deliberation.objet }", "unexpected '}'"),
    ("{{ deliberation.objet | majuscules }}", "No filter named 'majuscules'"),
])
def test_broken_jinja_syntax_is_reported_without_the_xml_line(
    tmp_path: Path, line: str, reason: str
) -> None:
    result = check(template(tmp_path / "deliberation.docx", "Titre", line))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        f"  [modele-syntaxe] Erreur de syntaxe Jinja : {reason}."]


def test_reaching_python_objects_or_other_files_is_forbidden(tmp_path: Path) -> None:
    path = template(tmp_path / "deliberation.docx",
                    "{{ deliberation.objet.__class__.__mro__ }}",
                    "{{ collectivite['_secret'] }}",
                    "{% include 'autre.docx' %}")
    result = check(path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()[1:]
    assert [line.split("]")[0] for line in lines] == ["  [modele-contenu-interdit"] * 4
    for name in ("__class__", "__mro__", "_secret"):
        assert any(f"l'attribut « {name} » est interdit" in line for line in lines), name
    assert any("la balise « include » est interdite" in line for line in lines)


def test_a_template_with_an_external_link_is_refused_like_a_clerks_upload(
    tmp_path: Path,
) -> None:
    good = (TEMPLATES / "deliberation.docx").read_bytes()
    path = tmp_path / "deliberation.docx"
    path.write_bytes(with_relationship(good, "image", "http://exemple.invalid/logo.png"))
    result = check(path)
    assert result.exit_code == 1
    assert "[docx-relation-externe]" in result.stderr
    assert "http://exemple.invalid/logo.png" in result.stderr


def test_a_file_that_is_not_a_word_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deliberation.docx"
    path.write_bytes(b"PK\x03\x04 pas un document")
    result = check(path)
    assert result.exit_code == 1
    assert "[docx-" in result.stderr and "Traceback" not in result.output + result.stderr


def test_a_template_failing_with_the_examples_names_each_of_them(tmp_path: Path) -> None:
    path = template(tmp_path / "deliberation.docx", "{{ deliberation.vote.pour // 0 }}")
    result = check(path)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[1].startswith("  [modele-rendu] Le rendu échoue avec les "
                                                   "exemples « deliberation.json », ")
    for numero in ("020", "021", "022"):
        assert f"« seance.json, n° 2019-12-19_{numero} »" in lines[1]
    assert lines[1].endswith(": ZeroDivisionError : integer division or modulo by zero.")
    assert "Traceback" not in result.output + result.stderr


def test_an_authority_checks_its_template_with_its_own_payloads(tmp_path: Path) -> None:
    # The authority's payloads instead of the repository's: one gives a place, one does not.
    data = json.loads(DIJON.read_text(encoding="utf-8"))
    data["seance"]["lieu"] = "Salle du conseil"
    with_place = tmp_path / "avec-lieu.json"
    with_place.write_text(json.dumps(data), encoding="utf-8")
    del data["seance"]["lieu"]
    without_place = tmp_path / "sans-lieu.json"
    without_place.write_text(json.dumps(data), encoding="utf-8")
    path = template(tmp_path / "deliberation.docx", "Lieu : {{ seance.lieu.upper() }}")

    assert check(path, "--exemple", with_place).exit_code == 0
    result = check(path, "--exemple", with_place, "--exemple", without_place)

    assert result.exit_code == 1
    assert "l’exemple « sans-lieu.json »" in result.stderr
    assert "avec-lieu.json" not in result.stderr


def test_an_example_that_breaks_the_contract_is_reported_with_its_violations(
    tmp_path: Path,
) -> None:
    data = json.loads(DIJON.read_text(encoding="utf-8"))
    data["deliberation"]["vote"]["pour"] = 1
    bad = tmp_path / "faux.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = check(TEMPLATES / "deliberation.docx", "--exemple", bad)
    assert result.exit_code == 1
    assert "deliberation.vote" in result.stderr


def test_the_genre_follows_the_file_name_and_the_list_has_its_own_variables(
    tmp_path: Path,
) -> None:
    liste = template(tmp_path / "242100410" / "liste_deliberations.docx",
                     "{{ titre }}",
                     "{% for l in lignes %}{{ l.numero }} : {{ l.objet }}{% endfor %}",
                     "{{ deliberation.objet }}")
    result = check(liste)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(
        "Le modèle liste_deliberations.docx (liste) ne peut pas")
    assert ("Variable inconnue « deliberation » : ni une donnée ni une valeur calculée d'un "
            "modèle « liste »") in result.stderr
    # The same file checked as an extract: « titre » and « lignes » are unknown there.
    shutil.copy(liste, tmp_path / "autre.docx")
    result = check(tmp_path / "autre.docx", "--genre", "deliberation")
    assert "« lignes »" in result.stderr and "« titre »" in result.stderr
    assert "Variable inconnue « deliberation »" not in result.stderr


def test_an_unknown_genre_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    result = check(TEMPLATES / "deliberation.docx", "--genre", "arrete")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Erreur : genre « arrete » inconnu ; genres : deliberation, liste, proces-verbal.")


def test_a_list_cannot_be_checked_without_a_sitting_to_render(tmp_path: Path) -> None:
    result = check(TEMPLATES / "liste_deliberations.docx", "--exemple", DIJON)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        "  [modele-sans-exemple] Aucune donnée d'exemple pour rendre un modèle « liste » "
        "(une séance au moins).")
    assert check(TEMPLATES / "liste_deliberations.docx", "--exemple", SEANCE).exit_code == 0


def test_a_proces_verbal_template_reads_the_sitting_s_points(tmp_path: Path) -> None:
    path = template(tmp_path / "proces_verbal.docx",
                    "{{ titre }}",
                    "{% for p in points %}{{ p.numero }} : {{ p.objet }}{% endfor %}",
                    "{{ arrete }} {{ deliberation.objet }}")
    result = check(path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [
        "  [modele-variable-inconnue] Variable inconnue « deliberation » : ni une donnée ni une "
        "valeur calculée d'un modèle « proces-verbal » (voir templates_actes/README.md)."]
