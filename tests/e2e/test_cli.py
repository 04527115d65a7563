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


@pytest.mark.libreoffice
def test_package_writes_the_actes_archive_numbered_by_the_services_counter(
        tmp_path: Path, dijon, monkeypatch) -> None:
    import tarfile

    from service.domain.paris import aujourd_hui_a_paris

    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path / "data"))  # the act is stored
    monkeypatch.setenv("ACTES_CONVERTER", "soffice")
    dijon["collectivite"]["teletransmission"] = {
        "trigramme": "SIC", "arrondissement": "1", "nature": "31",
        "adresses_retour": ["actes@metropole-dijon.fr"],
        "classification_date_version": "2019-01-01",
    }
    out = tmp_path / "out"
    payload = str(_write(tmp_path, dijon))
    result = CliRunner().invoke(main, ["package", payload, "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    name = f"SIC-EACT--242100410--{aujourd_hui_a_paris():%Y%m%d}-1.tar.gz"
    assert result.stdout.strip() == str(out / name)
    with tarfile.open(out / name) as tar:
        assert f"99_DE-{DIJON_ID}-1-1_1.pdf" in tar.getnames()

    # The same act asked again is the same transmission, as over HTTP: the same name.
    again = CliRunner().invoke(main, ["package", payload, "--out", str(out)])
    assert again.exit_code == 0, again.output + again.stderr
    assert again.stdout.strip() == str(out / name)
    # The same database's counter: the day's second sending (another act) is number 2.
    dijon["deliberation"]["numero"] = "2019-12-19_014"
    other = CliRunner().invoke(main, ["package", str(_write(tmp_path, dijon)), "--out", str(out)])
    assert other.exit_code == 0, other.output + other.stderr
    assert other.stdout.strip() == str(out / name.replace("-1.tar.gz", "-2.tar.gz"))


def test_package_without_settings_names_the_missing_one(tmp_path: Path, dijon,
                                                        monkeypatch) -> None:
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(main, ["package", str(_write(tmp_path, dijon)), "--out",
                                       str(tmp_path)])
    assert result.exit_code == 1
    assert "collectivite.teletransmission.trigramme" in result.stderr


@pytest.mark.libreoffice
def test_stamp_applies_an_ararte_to_a_pdf(tmp_path: Path, dijon, shared_dir: Path) -> None:
    del dijon["transmission"]
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["render", str(_write(tmp_path, dijon)), "--out",
                                     str(out)]).exit_code == 0
    real = (shared_dir / "actes" / "006-210600235-20180522-684-AI-1-2_5279.xml").read_bytes()
    ar = tmp_path / "ar.xml"
    ar.write_bytes(real.replace(b"006-210600235-20180522-684-AI", DIJON_ID.encode()))
    stamped = tmp_path / "stamped.pdf"
    result = CliRunner().invoke(main, ["stamp", str(out / f"{DIJON_ID}.pdf"), "--ar", str(ar),
                                       "--out", str(stamped), "--date-envoi", "2018-05-27"])
    assert result.exit_code == 0, result.output + result.stderr
    text = pdf_text(stamped.read_bytes(), 1, 1)
    assert f"Accusé de réception en préfecture {DIJON_ID}" in text
    assert "Date de télétransmission : 27/05/2018" in text
    assert "Date de réception préfecture : 28/05/2018" in text


def test_stamp_refuses_a_hostile_acknowledgement(tmp_path: Path) -> None:
    ar = tmp_path / "ar.xml"
    ar.write_bytes(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                   b"<x>&e;</x>")
    pdf = tmp_path / "in.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = CliRunner().invoke(main, ["stamp", str(pdf), "--ar", str(ar), "--out",
                                       str(tmp_path / "o.pdf")])
    assert result.exit_code == 1 and "Erreur" in result.stderr
    assert not (tmp_path / "o.pdf").exists()


@pytest.mark.parametrize("command", [["serve"], ["worker"], ["check", "payload.json"]])
def test_a_bad_setting_stops_every_command_at_start_with_exit_1(
        tmp_path: Path, dijon, monkeypatch, command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, dijon)
    monkeypatch.setenv("ACTES_POOL_SIZE", "beaucoup")
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1, result.output
    assert "configuration-invalide" in result.stderr and "ACTES_POOL_SIZE" in result.stderr
    assert "beaucoup" in result.stderr and "Traceback" not in result.output


def test_serve_refuses_a_broken_authorities_file_before_starting(
        tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "authorities.json"
    path.write_text(json.dumps({"242100410": {"trigrame": "SIC"}}), encoding="utf-8")
    monkeypatch.setenv("ACTES_AUTHORITIES_FILE", str(path))
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 1, result.output
    assert "ACTES_AUTHORITIES_FILE" in result.stderr and "trigrame" in result.stderr
