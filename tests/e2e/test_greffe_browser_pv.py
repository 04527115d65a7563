"""After the sitting, in a real browser (Debian's Chromium driven by Playwright): the clerk
downloads the procès-verbal, sends back the secretary's version, records its adoption, puts the
list of deliberations online and publishes an act without its personal data. Every page is
checked with axe-core and photographed under ``tests/artifacts/greffe/``.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from flask import Flask
from pdftext import pdf_text
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright
from pv_support import ADRESSE, PERSONNE, SEANCE_ID, identifiant, seance_2024
from test_greffe_browser import CHROMIUM, CHROMIUM_ARGS, check_page, download
from werkzeug.serving import make_server

from service.entrypoints.http import create_app

pytestmark = pytest.mark.libreoffice

AJOUT = "Intervention de M. ROZOY ajoutée par le secrétaire"


@dataclass
class Service:
    app: Flask
    url: str
    dijon: str


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory, _dijon_data) -> Iterator[Service]:
    data = tmp_path_factory.mktemp("greffe-pv") / "data"
    app = create_app({"data_dir": data, "converter": "soffice"})
    token = app.extensions["actes"].tokens.create("secretariat-dijon", ["242100410"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    resp = client.post("/v1/seances", json=seance_2024(_dijon_data), headers=auth)
    assert resp.status_code == 202, resp.get_data(as_text=True)
    deadline = time.monotonic() + 300
    while not client.get(resp.headers["Location"], headers=auth).get_json()["termine_le"]:
        assert time.monotonic() < deadline, "the sitting's job did not finish"
        time.sleep(0.5)
    try:
        yield Service(app, f"http://127.0.0.1:{server.server_port}", token)
    finally:
        server.shutdown()
        thread.join(10)
        app.extensions["actes"].close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(accept_downloads=True, locale="fr-FR")
    yield ctx
    ctx.close()


def test_clerk_drives_the_proces_verbal_the_list_and_a_publication(service: Service, context,
                                                                  tmp_path: Path) -> None:
    page = context.new_page()
    seance_url = f"{service.url}/greffe/seances/{SEANCE_ID}"
    page.goto(seance_url)
    page.get_by_label("Jeton d'accès").fill(service.dijon)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Séance du 14 mars 2024")

    # The procès-verbal, made from the stored acts; the secretary's version sent back.
    pv_docx = download(page, "Procès-verbal à corriger (DOCX)")
    document = docx.Document(io.BytesIO(pv_docx))
    document.add_paragraph(AJOUT)
    amended = tmp_path / "proces-verbal-corrige.docx"
    document.save(str(amended))
    page.reload()
    check_page(page, "20-seance-proces-verbal")
    page.get_by_role("link", name="Versions du procès-verbal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Procès-verbal de la séance du 14 mars 2024")
    expect(page.get_by_role("link", name="Télécharger l'archive de télétransmission ACTES")) \
        .to_have_count(0)
    page.get_by_label("Document Word modifié (.docx)").set_input_files(str(amended))
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 2 enregistrée")
    check_page(page, "21-proces-verbal-version-2")

    # Its adoption at the next sitting: refused before the sitting, then recorded and printed.
    page.goto(seance_url)
    page.get_by_label("Date de la séance qui l'a arrêté").fill("2024-03-01")
    page.get_by_role("button", name="Enregistrer l'adoption du procès-verbal").click()
    expect(page.locator("#arrete_le-erreur")).to_contain_text("séance suivante")
    check_page(page, "22-seance-adoption-refusee")
    page.get_by_label("Date de la séance qui l'a arrêté").fill("2024-04-11")
    page.get_by_role("button", name="Enregistrer l'adoption du procès-verbal").click()
    expect(page.get_by_role("status")).to_contain_text("Adoption du procès-verbal enregistrée")
    expect(page.locator("#proces-verbal")).to_contain_text("Arrêté en séance du 11 avril 2024")
    pv = pdf_text(download(page, "Procès-verbal (PDF)"))
    assert "Procès-verbal arrêté en séance du 11 avril 2024." in pv and AJOUT in pv

    # The list put online: its date printed on the list.
    page.get_by_label("Date de mise en ligne").fill("2024-03-18")
    page.get_by_role("button", name="Enregistrer la mise en ligne de la liste").click()
    expect(page.get_by_role("status")).to_contain_text("Mise en ligne de la liste")
    check_page(page, "23-seance-liste-en-ligne")
    liste = pdf_text(download(page, "Liste des délibérations examinées (PDF)"))
    assert "Mise en ligne le 18 mars 2024" in liste

    # An act published: its published version has no personal data, the original keeps them.
    page.goto(f"{service.url}/greffe/actes/{identifiant('2024_001')}")
    page.get_by_label("Date de mise en ligne").fill("2024-03-18")
    page.get_by_role("button", name="Enregistrer la publication").click()
    expect(page.get_by_role("status")).to_contain_text("Publication du 18/03/2024 enregistrée")
    check_page(page, "24-acte-publie")
    publie = pdf_text(download(page, "Télécharger la version publiée en ligne"))
    assert PERSONNE not in publie and ADRESSE not in publie and "Publié le 18/03/2024" in publie
    original = pdf_text(download(page, "Télécharger le PDF de la version 1"))
    assert PERSONNE in original

    # The procès-verbal published once adopted, from its page.
    page.goto(seance_url)
    page.get_by_role("link", name="Versions du procès-verbal").click()
    page.get_by_label("Date de mise en ligne").fill("2024-04-12")
    page.get_by_role("button", name="Enregistrer la publication").click()
    expect(page.get_by_role("status")).to_contain_text("Publication du 12/04/2024 enregistrée")
    pv_publie = pdf_text(download(page, "Télécharger la version publiée en ligne"))
    assert PERSONNE not in pv_publie and AJOUT in pv_publie
