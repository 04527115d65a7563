"""The ``actes`` command line as a clerk or a script uses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pdftext import pdf_text

from service.entrypoints.cli import main

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"


def _write(tmp_path: Path, payload: dict) -> Path:
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def test_check_accepts_the_dijon_example(tmp_path: Path, dijon) -> None:
    result = CliRunner().invoke(main, ["check", str(_write(tmp_path, dijon))])
    assert result.exit_code == 0, result.output
    assert "Délibération valide" in result.output


def test_check_lists_every_violation_and_exits_1(tmp_path: Path, dijon) -> None:
    dijon["deliberation"]["objet"] = "x" * 500
    dijon["seance"]["date_convocation"] = "2019-12-20"
    result = CliRunner().invoke(main, ["check", str(_write(tmp_path, dijon))])
    assert result.exit_code == 1
    assert "deliberation.objet" in result.stderr
    assert "seance.date_convocation" in result.stderr


def test_check_of_a_file_that_is_not_json_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("pas du json", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and "JSON" in result.stderr


@pytest.mark.libreoffice
def test_render_writes_docx_and_pdf_named_by_identifier(tmp_path: Path, dijon) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(_write(tmp_path, dijon)), "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.strip() == DIJON_ID
    assert (out / f"{DIJON_ID}.docx").read_bytes()[:2] == b"PK"
    pdf = (out / f"{DIJON_ID}.pdf").read_bytes()
    assert "DÉCIDE" in pdf_text(pdf)
