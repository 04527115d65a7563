"""The clerk's pages in a real browser: Debian's Chromium driven by Playwright.

A clerk signs in with Dijon's token, opens the act, downloads its DOCX, sends back an amended
one, records the prefecture's acknowledgement and downloads the stamped PDF; a DOCM is refused
in French. Every page is checked with axe-core (no serious or critical violation) and
photographed under ``tests/artifacts/greffe/``. Another authority's clerk sees none of it.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
import pytest
from axe_playwright_python.sync_playwright import Axe
from docx_tamper import DOCM_MAIN, DOCX_MAIN, edit_part
from flask import Flask
from pdftext import pdf_text
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from seance_support import identifiant, sitting
from werkzeug.serving import make_server

from service.entrypoints.http import create_app

pytestmark = pytest.mark.libreoffice

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
ARTIFACTS = REPO / "tests" / "artifacts" / "greffe"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DIJON_ID = "021-242100410-20191219-2019-12-19_013-DE"
SEANCE_ID = "021-242100410-20191219"
NOUVEAU_TEXTE = "Paragraphe ajouté par le greffe après relecture"
AR_MODELE = SHARED / "actes" / "006-210600235-20180522-684-AI-1-2_5279.xml"


@dataclass
class Service:
    """The app served on a free port of 127.0.0.1, and the tokens of two authorities."""

    app: Flask
    url: str
    dijon: str
    autre: str
    deliberation: dict = field(default_factory=dict)
    """The Dijon payload, without prefecture dates, the sittings are built from."""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    data = tmp_path_factory.mktemp("greffe") / "data"
    app = create_app({"data_dir": data, "converter": "soffice"})
    tokens = app.extensions["actes"].tokens
    dijon = tokens.create("greffe-dijon", ["242100410"])
    autre = tokens.create("autre", ["210600235"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Service(app, f"http://127.0.0.1:{server.server_port}", dijon, autre)
    finally:
        server.shutdown()
        thread.join(10)
        app.extensions["actes"].close()


@pytest.fixture(scope="module")
def actes_dijon(service: Service, _dijon_data) -> Service:
    """The Dijon act (no prefecture dates yet) and a sitting of two more, posted through the API."""
    client = service.app.test_client()
    auth = {"Authorization": f"Bearer {service.dijon}"}
    payload = json.loads(json.dumps(_dijon_data))
    del payload["transmission"]
    resp = client.post("/v1/deliberations", json=payload, headers=auth)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    service.deliberation = payload
    job = post_sitting(service, 2)
    deadline = time.monotonic() + 180
    while not client.get(f"/v1/jobs/{job}", headers=auth).get_json()["termine_le"]:
        assert time.monotonic() < deadline, "the sitting's job did not finish"
        time.sleep(0.5)
    return service


def post_sitting(service: Service, n: int) -> str:
    """Send the Dijon sitting with *n* deliberations (again: the same sitting, more acts);
    return its job's identifier."""
    seance, _ = sitting(service.deliberation, n=n)
    resp = service.app.test_client().post(
        "/v1/seances", json=seance, headers={"Authorization": f"Bearer {service.dijon}"})
    assert resp.status_code == 202, resp.get_data(as_text=True)
    return resp.get_json()["id"]


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


def check_page(page: Page, name: str) -> None:
    """Check *page* with axe-core and keep its screenshot as ``<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = Axe().run(page)
    grave = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not grave, f"{name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}" for v in grave)
    assert page.locator("html").get_attribute("lang") == "fr"


def sign_in(page: Page, service: Service, token: str, start: str = "/greffe/") -> None:
    page.goto(service.url + start)
    expect(page).to_have_url(f"{service.url}/greffe/connexion?suivant={start}")
    page.get_by_label("Jeton d'accès").fill(token)
    page.get_by_role("button", name="Se connecter").click()


def download(page: Page, link_name: str, within: str = "main") -> bytes:
    """Return the file behind the link *link_name* of the *within* part of the page."""
    with page.expect_download() as info:
        page.locator(within).get_by_role("link", name=link_name).click()
    return Path(info.value.path()).read_bytes()


def ar_acte_for(id_acte: str, reception: str) -> bytes:
    """Return the real ARActe of the shared folder, made to acknowledge *id_acte*."""
    real = AR_MODELE.read_bytes()
    return (real.replace(b"006-210600235-20180522-684-AI", id_acte.encode())
                .replace(b'DateReception="2018-05-28"', f'DateReception="{reception}"'.encode()))


def test_clerk_amends_and_acknowledges_the_dijon_act(actes_dijon: Service, context,
                                                     tmp_path: Path) -> None:
    service, page = actes_dijon, context.new_page()
    # What the Content-Security-Policy blocks, and any script error, is reported here.
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))

    page.goto(service.url + "/greffe/connexion")
    page.get_by_label("Jeton d'accès").fill("pas-un-jeton")
    page.get_by_role("button", name="Se connecter").click()
    erreur = page.locator("#jeton-erreur")
    expect(erreur).to_contain_text("inconnu ou a été révoqué")
    assert "jeton-erreur" in page.get_by_label("Jeton d'accès").get_attribute("aria-describedby")
    check_page(page, "01-connexion-refusee")

    sign_in(page, service, service.dijon, start=f"/greffe/actes/{DIJON_ID}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acte n° 2019-12-19_013")
    cookie = next(c for c in context.cookies() if c["name"] == "actes_greffe")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
    assert service.dijon not in cookie["value"]

    page.goto(service.url + "/greffe/")
    expect(page.get_by_role("link", name="2019-12-19_013")).to_be_visible()
    expect(page.get_by_role("link", name=SEANCE_ID)).to_be_visible()
    check_page(page, "02-accueil")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.get_by_label("Numéro ou objet").fill("gouvernance des donnees")
    page.get_by_role("button", name="Rechercher").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Création d’un poste de responsable de la gouvernance")
    check_page(page, "03-recherche")

    # The sitting sent again with four more acts: its page follows the job by itself (the
    # script polls, then reloads the page) and shows the new acts once generated.
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/progression") else None)
    post_sitting(service, 6)
    page.goto(f"{service.url}/greffe/seances/{SEANCE_ID}")
    expect(page.locator("[data-progression]")).to_be_attached()
    expect(page.locator("[data-progression-texte]")).to_contain_text(
        "Terminée : 6 acte(s) généré(s) sur 6", timeout=180_000)
    expect(page.get_by_role("link", name="2019-12-19_105")).to_be_visible()
    assert polls, "the page did not poll the job's progress"
    check_page(page, "04-seance")
    liste = download(page, "Liste des délibérations examinées (PDF)")
    assert "2019-12-19_100" in pdf_text(liste)

    page.goto(f"{service.url}/greffe/actes/{DIJON_ID}")
    expect(page.locator(".fiche")).to_contain_text("Générée")
    check_page(page, "05-acte")

    # No ACTES setting for Dijon in this service: the archive is refused with the missing ones.
    page.get_by_role("link", name="Télécharger l'archive de télétransmission ACTES").click()
    expect(page.locator("#refus-archive")).to_contain_text("trigramme")
    check_page(page, "06-acte-reglages-manquants")

    original = download(page, "Télécharger le document Word (DOCX) de la version 1")
    document = docx.Document(io.BytesIO(original))
    document.add_paragraph(NOUVEAU_TEXTE)
    amended = tmp_path / "acte-modifie.docx"
    document.save(str(amended))
    page.get_by_label("Document Word modifié (.docx)").set_input_files(str(amended))
    page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    expect(page.get_by_role("status")).to_contain_text("Version 2 enregistrée")
    versions = page.locator("#versions tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.first.locator("th")).to_contain_text("Version 2")
    expect(versions.first).to_contain_text("greffe-dijon")
    check_page(page, "07-acte-version-2")
    pdf_v2 = download(page, "PDF de la version 2", within="#versions")
    assert NOUVEAU_TEXTE in pdf_text(pdf_v2)
    assert NOUVEAU_TEXTE not in pdf_text(download(page, "PDF de la version 1", within="#versions"))

    # A DOCM (macros) is refused next to the form, and nothing changes.
    docm = tmp_path / "acte-avec-macros.docx"
    docm.write_bytes(edit_part(amended.read_bytes(), "[Content_Types].xml",
                               DOCX_MAIN.encode(), DOCM_MAIN.encode()))
    page.get_by_label("Document Word modifié (.docx)").set_input_files(str(docm))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Enregistrer la nouvelle version").click()
    assert posted.value.status == 422
    refus = page.locator("#docx-erreur")
    expect(refus).to_contain_text("macros")
    expect(refus).to_contain_text("l'acte est inchangé")
    champ = page.get_by_label("Document Word modifié (.docx)")
    assert champ.get_attribute("aria-invalid") == "true"
    assert page.title().startswith("Erreur : ")
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    check_page(page, "08-acte-docm-refuse")

    ar = tmp_path / "ARActe.xml"
    ar.write_bytes(ar_acte_for(DIJON_ID, "2019-12-21"))
    page.get_by_label("Fichier ARActe (.xml)").set_input_files(str(ar))
    page.get_by_role("button", name="Enregistrer l'accusé de réception").click()
    expect(page.get_by_role("status")).to_contain_text("Accusé de réception enregistré")
    expect(page.locator(".fiche")).to_contain_text("Acquittée")
    expect(page.locator(".fiche")).to_contain_text("21 décembre 2019")
    check_page(page, "09-acte-acquitte")
    stamped = download(page, "Télécharger le PDF tamponné de la version 2")
    assert "Accusé de réception en préfecture" in pdf_text(stamped, 1, 1)
    assert NOUVEAU_TEXTE in pdf_text(stamped)

    # An acknowledgement of another act is refused; the act keeps its date.
    ar.write_bytes(ar_acte_for("021-242100410-20191219-2019-12-19_100-DE", "2020-01-05"))
    page.get_by_label("Fichier ARActe (.xml)").set_input_files(str(ar))
    page.get_by_role("button", name="Enregistrer l'accusé de réception").click()
    expect(page.locator("#fichier-erreur")).to_contain_text("2019-12-19_100")
    expect(page.locator(".fiche")).to_contain_text("21 décembre 2019")

    assert not console_errors, console_errors

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté")
    page.goto(f"{service.url}/greffe/actes/{DIJON_ID}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion au greffe")


def test_another_authority_sees_none_of_these_acts(actes_dijon: Service, context) -> None:
    service, page = actes_dijon, context.new_page()
    sign_in(page, service, service.autre)
    expect(page.get_by_role("heading", level=1)).to_have_text("Séances et actes")
    expect(page.locator("main table")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Aucune séance n'a encore été envoyée")
    expect(page.locator("main")).to_contain_text("Aucun acte n'a encore été généré.")
    page.get_by_label("Numéro ou objet").fill("2019-12-19_013")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("main")).to_contain_text("Aucun acte dont le numéro ou l'objet contient")
    paths = [f"/greffe/actes/{DIJON_ID}", f"/greffe/actes/{DIJON_ID}/document.pdf",
             f"/greffe/actes/{DIJON_ID}/versions/1/document.docx",
             f"/greffe/actes/{DIJON_ID}/transmission.tar.gz",
             f"/greffe/seances/{SEANCE_ID}", f"/greffe/seances/{SEANCE_ID}/archive.zip",
             f"/greffe/seances/{SEANCE_ID}/progression",
             f"/greffe/seances/{SEANCE_ID}/proces-verbal.pdf",
             f"/greffe/actes/PV-{SEANCE_ID}",
             f"/greffe/actes/{identifiant('2019-12-19_100')}"]
    for path in paths:
        assert context.request.get(service.url + path).status == 404, path
    resp = page.goto(service.url + paths[0])
    assert resp is not None and resp.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressource introuvable")
    check_page(page, "10-introuvable")


def test_core_actions_work_without_javascript(actes_dijon: Service, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    try:
        page = context.new_page()
        sign_in(page, actes_dijon, actes_dijon.dijon)
        # Without JavaScript the sitting's page refreshes itself until the acts are generated.
        post_sitting(actes_dijon, 8)
        page.goto(f"{actes_dijon.url}/greffe/seances/{SEANCE_ID}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Séance du 19 décembre 2019")
        expect(page.locator("[data-progression]")).to_be_attached()
        expect(page.locator("[data-progression-texte]")).to_contain_text(
            "Terminée : 8 acte(s) généré(s) sur 8", timeout=180_000)
        page.get_by_role("link", name="2019-12-19_107").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Acte n° 2019-12-19_107")
        page.get_by_label("Date de réception en préfecture").fill("2019-12-23")
        page.get_by_role("button", name="Enregistrer l'accusé de réception").click()
        expect(page.get_by_role("status")).to_contain_text("Accusé de réception enregistré")
        expect(page.locator(".fiche")).to_contain_text("23 décembre 2019")
        page.get_by_role("button", name="Enregistrer la nouvelle version").click()
        expect(page.locator("#docx-erreur")).to_contain_text("Choisissez le fichier DOCX modifié")
    finally:
        context.close()
