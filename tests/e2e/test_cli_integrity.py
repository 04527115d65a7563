"""The CLI applies the rules of the HTTP routes: ``actes stamp`` stamps an act with its own
acknowledgement only, once; ``actes package`` uses the authority's classification and the
service's envelope, and never replaces a clerk's amendment."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pdftext import pdf_text

from service.config import Settings
from service.domain.paris import aujourd_hui_a_paris
from service.entrypoints.cli import main

DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"
OTHER_ID = "021-242100410-20191219-2019-12-19_014-DE"
MENTION = f"Accusé de réception en préfecture {DIJON_ID}"

pytestmark = pytest.mark.libreoffice


@pytest.fixture
def env(tmp_path: Path, monkeypatch, shared_dir: Path) -> Path:
    """A data folder and Dijon Métropole's settings, with the prefecture's classification."""
    authorities = tmp_path / "authorities.json"
    authorities.write_text(json.dumps({"242100410": {
        "trigramme": "SIC", "arrondissement": "1", "nature": "31",
        "adresses_retour": ["actes@metropole-dijon.fr"],
        "classification_file": str(shared_dir / "actes" / "exemple_codes_matieres.xml"),
    }}), encoding="utf-8")
    monkeypatch.setenv("ACTES_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ACTES_CONVERTER", "soffice")
    monkeypatch.setenv("ACTES_AUTHORITIES_FILE", str(authorities))
    return tmp_path


def ar_for(tmp_path: Path, shared_dir: Path, ident: str, received: str) -> Path:
    real = (shared_dir / "actes" / "006-210600235-20180522-684-AI-1-2_5279.xml").read_bytes()
    path = tmp_path / f"ar-{ident}-{received}.xml"
    path.write_bytes(real.replace(b"006-210600235-20180522-684-AI", ident.encode())
                     .replace(b"2018-05-28", received.encode()))
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def payload_file(tmp_path: Path, dijon: dict, name: str = "payload.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(dijon), encoding="utf-8")
    return path


@pytest.mark.parametrize("configured", [False, True])
def test_seance_needs_a_siret_as_post_does(env: Path, dijon, configured: bool,
                                           monkeypatch) -> None:
    from seance_support import sitting

    data, _ = sitting(dijon, 1, siret=None)
    if configured:  # the authority's SIRET in its settings is enough
        authorities = json.loads((env / "authorities.json").read_text(encoding="utf-8"))
        authorities["242100410"]["siret"] = "24210041000016"
        (env / "authorities.json").write_text(json.dumps(authorities), encoding="utf-8")
    out = env / "seance"

    result = run("seance", str(payload_file(env, data, "seance.json")), "--out", str(out))

    if configured:
        assert result.exit_code == 0, result.stderr
        assert "24210041000016" in (out / "deliberations.csv").read_text(encoding="utf-8")
    else:
        assert result.exit_code == 1 and "collectivite.siret" in result.stderr
        assert not out.exists()


def test_stamp_of_a_file_refuses_another_acts_acknowledgement_and_replaces_its_stamp(
        env: Path, dijon, shared_dir: Path) -> None:
    del dijon["transmission"]
    out = env / "out"
    assert run("render", str(payload_file(env, dijon)), "--out", str(out)).exit_code == 0
    pdf = out / f"{DIJON_ID}.pdf"
    stamped = env / "stamped.pdf"

    other = run("stamp", str(pdf), "--ar", str(ar_for(env, shared_dir, OTHER_ID, "2019-12-21")),
                "--out", str(stamped))
    assert other.exit_code == 1 and "accuse-autre-acte" in other.stderr
    assert OTHER_ID in other.stderr and not stamped.exists()

    first = run("stamp", str(pdf), "--ar", str(ar_for(env, shared_dir, DIJON_ID, "2019-12-21")),
                "--out", str(stamped))
    assert first.exit_code == 0, first.stderr
    again = env / "again.pdf"
    second = run("stamp", str(stamped), "--ar",
                 str(ar_for(env, shared_dir, DIJON_ID, "2019-12-23")), "--out", str(again))
    assert second.exit_code == 0, second.stderr

    text = pdf_text(again.read_bytes())
    assert text.count(MENTION) == 1
    assert "23/12/2019" in text and "21/12/2019" not in text
    # The new stamp is appended to the act as generated, not to the stamped copy.
    assert again.read_bytes().startswith(pdf.read_bytes())


def test_package_and_stamp_work_on_the_stored_act_with_the_http_rules(env: Path, dijon,
                                                                       shared_dir: Path) -> None:
    del dijon["transmission"]
    source = payload_file(env, dijon)
    out = env / "out"

    packaged = run("package", str(source), "--out", str(out))

    assert packaged.exit_code == 0, packaged.stderr
    archive = Path(packaged.stdout.strip())
    # The sending day is Paris's, not the machine's (after 23:00 UTC in winter, tomorrow).
    assert archive.name == f"SIC-EACT--242100410--{aujourd_hui_a_paris():%Y%m%d}-1.tar.gz"
    with tarfile.open(archive) as tar:
        metadata = next(tar.extractfile(m).read() for m in tar.getmembers()
                        if m.name.endswith(".xml") and DIJON_ID in m.name)
    # The prefecture's classification (version of 2017-12-08), from the authority's settings.
    assert b"<actes:ClassificationDateVersion>2017-12-08</actes:ClassificationDateVersion>" in (
        metadata)

    # A clerk amends the stored act; the changed payload no longer replaces it.
    from service.bootstrap import cli_services

    services = cli_services(Settings())
    try:
        document = docx.Document(io.BytesIO(services.actes.current_file(DIJON_ID, "docx")[0]))
        document.add_paragraph("Amendement du greffe")
        saved = io.BytesIO()
        document.save(saved)
        assert services.actes.amend(DIJON_ID, saved.getvalue(), auteur="greffe").version == 2
    finally:
        services.close()
    dijon["deliberation"]["objet"] = "Autre objet"
    refused = run("package", str(payload_file(env, dijon, "changed.json")), "--out", str(out))
    assert refused.exit_code == 1 and "version-modifiee" in refused.stderr
    assert f"?remplacer={DIJON_ID}:2" in refused.stderr

    # The stored act: another act's acknowledgement refused, its own recorded, stamped once.
    other = run("stamp", DIJON_ID, "--ar", str(ar_for(env, shared_dir, OTHER_ID, "2019-12-21")))
    assert other.exit_code == 1 and "accuse-autre-acte" in other.stderr
    for received in ("2019-12-21", "2019-12-23"):
        result = run("stamp", DIJON_ID, "--ar", str(ar_for(env, shared_dir, DIJON_ID, received)),
                     "--out", str(env / "acte.pdf"), "--date-envoi", "2019-12-20")
        assert result.exit_code == 0, result.stderr
    text = pdf_text((env / "acte.pdf").read_bytes())
    assert text.count(MENTION) == 1 and "23/12/2019" in text and "Amendement du greffe" in text
