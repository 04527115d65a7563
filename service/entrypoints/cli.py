"""The ``actes`` command line: serve, render, check (and more as the service grows).

Its one translator: a :class:`ServiceError` becomes a French message on stderr and an exit code
(1: the payload, document or configuration is refused; 3: the service failed), never a
traceback. The settings are checked before any command runs.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from service.domain.errors import BadRequest, InvalidPayload, ServiceError
from service.entrypoints.catalogue import EXIT_REFUSED, exit_code_of

if TYPE_CHECKING:
    from service.services.application.actes import ActesService


@contextmanager
def translated_errors() -> Iterator[None]:
    """Turn service errors into a message on stderr and an exit code."""
    try:
        yield
    except InvalidPayload as exc:
        click.echo(f"Erreur : {exc.message}", err=True)
        for v in exc.violations:
            click.echo(f"  {v.champ} [{v.code}] : {v.message}", err=True)
        sys.exit(EXIT_REFUSED)
    except ServiceError as exc:
        click.echo(f"Erreur ({exc.code}) : {exc.message}", err=True)
        sys.exit(exit_code_of(exc))


def read_json(path: Path) -> Any:
    """Return the JSON document in *path*, or exit with a clear message."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        click.echo(f"Erreur : impossible de lire {path} comme JSON : {exc}", err=True)
        sys.exit(EXIT_REFUSED)


@click.group()
def main() -> None:
    """Service des actes : extraits des délibérations, PDF/A et télétransmission ACTES."""
    from service.config import Settings

    # Every command starts from the settings (ACTES_*, the authorities file): a bad one stops
    # it here, named, before anything is read, generated or served.
    with translated_errors():
        Settings()


@main.command()
@click.option("--host", default=None, help="Adresse d'écoute (défaut : ACTES_HOST ou 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (défaut : ACTES_PORT ou 8000).")
@click.option("--workers", type=int, default=None, help="Processus gunicorn.")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Servir l'API HTTP avec gunicorn."""
    from service.config import Settings

    settings = Settings()
    bind = f"{host or settings.host}:{port or settings.port}"
    args = [
        sys.executable, "-m", "gunicorn", "--bind", bind,
        "--workers", str(workers or settings.workers),
        # Requests are read whole by each worker's event loop, then run on its threads: slow
        # clients hold a socket, never a thread (entrypoints/gunicorn_worker.py).
        "--worker-class", "service.entrypoints.gunicorn_worker.BufferingThreadWorker",
        "--threads", str(settings.threads),
        "--timeout", str(int(settings.conversion_timeout * 2 + 30)),
        "--access-logfile", "-",
        # No control socket: gunicorn's default is one fixed path per user
        # ($XDG_RUNTIME_DIR/gunicorn.ctl), shared by every instance that user runs.
        "--no-control-socket",
        "--config", "python:service.entrypoints.gunicorn_conf",
        "service.entrypoints.http:create_app()",
    ]
    os.execv(sys.executable, args)


@main.command()
@click.argument("payload", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(payload: Path) -> None:
    """Valider une délibération (structure, règles légales, règle de numéro de l'opérateur de
    la collectivité) sans rien générer."""
    from service.config import Settings
    from service.services.validation import validate_deliberation

    with translated_errors():
        validate_deliberation(read_json(payload), Settings().authorities())
    click.echo("Délibération valide.")


@main.command()
@click.argument("payload", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True,
              help="Dossier où écrire <identifiant>.docx et .pdf.")
def render(payload: Path, out_dir: Path) -> None:
    """Générer le DOCX et le PDF d'une délibération ; affiche l'identifiant ACTES."""
    from service import bootstrap as root
    from service.config import Settings
    from service.entrypoints.downloads import nom_document
    from service.services.generate import produce_documents
    from service.services.validation import validate_deliberation

    with translated_errors():
        model = validate_deliberation(read_json(payload))
        settings = Settings()
        docs = produce_documents(model, root.make_renderer(settings), root.make_converter(settings),
                                 root.make_stamper(settings))
        out_dir.mkdir(parents=True, exist_ok=True)
        ident = str(docs.identifier)
        (out_dir / nom_document(ident, "docx")).write_bytes(docs.docx)
        (out_dir / nom_document(ident, "pdf")).write_bytes(docs.pdf_tamponne or docs.pdf)
    click.echo(ident)


@main.command()
@click.argument("payload", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True,
              help="Dossier où écrire les actes, proces-verbal.docx et .pdf, liste.pdf et "
                   "deliberations.csv.")
def seance(payload: Path, out_dir: Path) -> None:
    """Générer localement une séance entière : chaque acte (DOCX, PDF), le procès-verbal, la
    liste, le CSV SCDL. Les mêmes vérifications que POST /v1/seances : SIRET (séance ou
    configuration de la collectivité), réglages ACTES de la collectivité qui en a."""
    from service import bootstrap as root
    from service.config import Settings
    from service.domain.proces_verbal import proces_verbal
    from service.domain.seance import deliberation_payloads, seance_identifiant
    from service.entrypoints.downloads import PROCES_VERBAL, nom_document
    from service.services import seance_outputs
    from service.services.generate import produce_documents
    from service.services.seances import inputs_missing, validate_seance
    from service.services.transmit import check_reglages

    with translated_errors():
        model = validate_seance(read_json(payload))
        settings = Settings()
        authority = settings.authorities().get(model.collectivite.siren)
        if missing := inputs_missing(model, authority):
            raise InvalidPayload(missing)
        check_reglages(model, authority)
        converter = root.make_converter(settings)
        renderer, stamper = root.make_renderer(settings), root.make_stamper(settings)
        out_dir.mkdir(parents=True, exist_ok=True)
        identifiants, generated = [], []
        try:
            with click.progressbar(deliberation_payloads(model), label="Actes de la séance",
                                   file=sys.stderr, show_pos=True) as bar:
                for one in bar:
                    generated.append(one)
                    docs = produce_documents(one, renderer, converter, stamper)
                    ident = str(docs.identifier)
                    (out_dir / nom_document(ident, "docx")).write_bytes(docs.docx)
                    pdf = docs.pdf_tamponne or docs.pdf
                    (out_dir / nom_document(ident, "pdf")).write_bytes(pdf)
                    identifiants.append(ident)
            liste = seance_outputs.liste_pdf(model, root.make_liste_renderer(settings), converter)
            (out_dir / seance_outputs.LISTE_PDF).write_bytes(liste)
            # The procès-verbal (CGCT L2121-15) of the acts just generated.
            pv = proces_verbal(seance_identifiant(model), model, generated)
            pv_docx = root.make_pv_renderer(settings).render_proces_verbal(pv)
            (out_dir / PROCES_VERBAL.format(extension="docx")).write_bytes(pv_docx)
            (out_dir / PROCES_VERBAL.format(extension="pdf")).write_bytes(
                converter.to_pdf(pv_docx, label="procès-verbal"))
        finally:
            closer = getattr(converter, "close", None)
            if callable(closer):
                closer()
        csv_bytes = seance_outputs.scdl_csv(model, identifiants=identifiants,
                                            siret=seance_outputs.siret_of(model, authority))
        (out_dir / seance_outputs.SCDL_CSV).write_bytes(csv_bytes)
    for ident in identifiants:
        click.echo(ident)


@main.command()
@click.option("--concurrency", "-c", type=int, default=None,
              help="Processus de génération (défaut : un par cœur).")
@click.option("--pool", type=click.Choice(["prefork", "threads", "solo"]), default="prefork",
              show_default=True, help="Modèle d'exécution des tâches Celery.")
@click.option("--loglevel", default="INFO", show_default=True)
def worker(concurrency: int | None, pool: str, loglevel: str) -> None:
    """Démarrer un worker Celery qui génère les actes des séances (ACTES_BROKER_URL)."""
    from service.entrypoints.worker import make_worker_app

    argv = ["worker", f"--loglevel={loglevel}", f"--pool={pool}"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    make_worker_app().worker_main(argv)


@main.command()
def schema() -> None:
    """Afficher le JSON Schema de la délibération (celui de schemas/deliberation.json)."""
    from service.domain.schema import deliberation_schema

    click.echo(deliberation_schema(), nl=False)


@contextmanager
def stored_actes() -> Iterator[ActesService]:
    """Yield the acts' use cases on the stored acts (``ACTES_DATA_DIR``,
    ``ACTES_DATABASE_URL``), from the composition root: the same rules as the HTTP routes."""
    from service import bootstrap as root
    from service.config import Settings

    application = root.cli_services(Settings())
    try:
        yield application.actes
    finally:
        application.close()


@main.command()
@click.argument("source")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Dossier où écrire l'archive ACTES.")
def package(source: str, out_dir: Path) -> None:
    """Archive ACTES (.tar.gz) prête pour la télétransmission : SOURCE est le payload JSON d'une
    délibération (l'acte est généré et enregistré, comme par POST /v1/deliberations) ou
    l'identifiant d'un acte enregistré. Réglages et classification : ceux de la collectivité
    (ACTES_AUTHORITIES_FILE), complétés par le payload ; n° d'envoi : celui du service."""
    path = Path(source)
    with translated_errors(), stored_actes() as actes:
        if path.is_file():
            archive = actes.package(read_json(path), auteur="cli")
        else:
            archive = actes.transmission_archive(source)
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / archive.name).write_bytes(archive.content)
    for warning in archive.warnings:
        click.echo(f"Avertissement : {warning}", err=True)
    click.echo(str(out_dir / archive.name))


@main.command()
@click.argument("cible")
@click.option("--ar", "ar_path", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Accusé de réception ARActe (XML) de la préfecture.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Où écrire le PDF tamponné (obligatoire pour un fichier).")
@click.option("--date-envoi", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date de télétransmission (AAAA-MM-JJ), absente de l'ARActe.")
@click.option("--acte", "identifiant", default=None,
              help="Identifiant de l'acte du PDF, quand le PDF ne le dit pas.")
def stamp(cible: str, ar_path: Path, out_path: Path | None, date_envoi: Any,
          identifiant: str | None) -> None:
    """Apposer la mention préfectorale d'un ARActe. CIBLE est un PDF (écrit tamponné dans --out)
    ou l'identifiant d'un acte enregistré (accusé enregistré, PDF tamponné, comme par POST
    /v1/actes/{id}/accuse-reception). L'ARActe doit être celui de l'acte ; une mention déjà
    apposée est remplacée, jamais doublée."""
    from service import bootstrap as root
    from service.config import Settings
    from service.services.transmit import stamp_pdf

    envoi = date_envoi.date() if date_envoi else None
    path = Path(cible)
    with translated_errors():
        if path.is_file():
            if out_path is None:
                raise BadRequest("--out est obligatoire pour tamponner un fichier PDF.")
            stamped, ident = stamp_pdf(root.make_stamper(Settings()), path.read_bytes(),
                                       ar_path.read_bytes(), date_envoi=envoi,
                                       identifiant=identifiant)
            out_path.write_bytes(stamped)
        else:
            if cible.lower().endswith(".pdf"):
                raise BadRequest(f"Fichier introuvable : {cible}.", code="fichier-introuvable")
            if identifiant is not None and identifiant != cible:
                raise BadRequest(f"--acte {identifiant} ne désigne pas l'acte {cible}.")
            with stored_actes() as actes:
                if envoi is not None:
                    actes.acknowledge(cible, dates={"date_envoi": envoi.isoformat()},
                                      auteur="cli")
                record = actes.acknowledge(cible, ar_xml=ar_path.read_bytes(), auteur="cli")
                ident = record.identifiant
                if out_path is not None:
                    content, _ = actes.current_file(ident, "pdf")
                    out_path.write_bytes(content)
    click.echo(ident)


@main.command()
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ancre", "anchors", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Certificat racine de confiance (PEM ou DER), en plus de ACTES_TRUST_ANCHORS.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON, comme GET …/signatures.")
def verify(pdf: Path, anchors: tuple[Path, ...], as_json: bool) -> None:
    """Vérifier les signatures d'un PDF : signataire, date, intégrité, chaîne de confiance,
    modifications après signature. Code 0 si toutes sont valides, 1 sinon ou sans signature."""
    from service import bootstrap as root
    from service.config import Settings
    from service.services.signing import pdf_signatures

    settings = Settings()
    if anchors:
        settings = settings.model_copy(
            update={"trust_anchors": [*settings.trust_anchors, *anchors]})
    with translated_errors():
        reports = pdf_signatures(root.make_verifier(settings), pdf.read_bytes())
    if as_json:
        from service.entrypoints.http.serialise import signature_dict

        click.echo(json.dumps([signature_dict(r) for r in reports], ensure_ascii=False,
                              default=str, indent=2))
    elif not reports:
        click.echo("Aucune signature dans ce PDF.")
    for r in reports if not as_json else ():
        when = r.date_signature.isoformat() if r.date_signature else "date inconnue"
        click.echo(f"{r.champ} : {r.signataire}, {when}, {r.niveau} — "
                   f"{'VALIDE' if r.valide else 'NON VALIDE'}")
        click.echo(f"  intégrité : {'oui' if r.integre else 'non'} ; "
                   f"confiance : {' → '.join(r.chaine) if r.confiance else 'non'} ; "
                   f"modifications après signature : {r.modification}")
        for problem in r.problemes:
            click.echo(f"  ! {problem}")
    sys.exit(0 if reports and all(r.valide for r in reports) else EXIT_REFUSED)


@main.group()
def token() -> None:
    """Jetons d'accès à l'API (stockés hachés), chacun lié à un ou plusieurs SIREN."""


@token.command("create")
@click.argument("name")
@click.option("--siren", "sirens", multiple=True, required=True, help="SIREN autorisé (répétable).")
def token_create(name: str, sirens: tuple[str, ...]) -> None:
    """Créer un jeton ; il est affiché une seule fois."""
    from service import bootstrap as root
    from service.config import Settings

    with translated_errors():
        _, tokens = root.make_storage(Settings())
        click.echo(tokens.create(name, list(sirens)))


@token.command("revoke")
@click.argument("name")
def token_revoke(name: str) -> None:
    """Révoquer un jeton."""
    from service import bootstrap as root
    from service.config import Settings

    with translated_errors():
        _, tokens = root.make_storage(Settings())
        tokens.revoke(name)
    click.echo(f"Jeton « {name} » révoqué.")


@main.group()
def db() -> None:
    """Base de données."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Appliquer les migrations (elles s'appliquent aussi au démarrage du service)."""
    from service.adapters.storage import make_engine, upgrade
    from service.config import Settings

    with translated_errors():
        upgrade(make_engine(Settings().effective_database_url))
    click.echo("Base à jour.")


EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
"""The repository's example payloads: ``deliberation-*.json`` and ``seance-*.json``."""


@main.group()
def template() -> None:
    """Modèles Word d'une collectivité."""


@template.command("check")
@click.argument("docx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--genre", default=None,
              help="Genre du modèle : deliberation, liste… (défaut : d'après le nom du fichier, "
                   "sinon deliberation).")
@click.option("--exemple", "exemples", multiple=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Données (délibération ou séance, JSON) avec lesquelles le rendre, au lieu "
                   "des exemples du dépôt (répétable).")
def template_check(docx: Path, genre: str | None, exemples: tuple[Path, ...]) -> None:
    """Vérifier un modèle avant de le mettre en service : variables connues, rien d'interdit
    (macro, lien externe, accès hors des données), rendu avec chaque exemple. Code 1 et chaque
    problème sinon."""
    from service import bootstrap as root
    from service.config import Settings
    from service.services.templates import check_template

    # A failed render is reported below as a problem, not as the renderer's logged traceback.
    service_log = logging.getLogger("service")
    if not service_log.handlers:
        service_log.addHandler(logging.NullHandler())
    checker = root.make_template_checker()
    genre = genre or checker.genre_for(docx.name) or "deliberation"
    if genre not in checker.genres:
        click.echo(f"Erreur : genre « {genre} » inconnu ; genres : {', '.join(checker.genres)}.",
                   err=True)
        sys.exit(EXIT_REFUSED)
    with translated_errors():
        loaded = load_exemples(list(exemples) or default_exemples())
        problems = check_template(docx.read_bytes(), genre, loaded,
                                  inspector=root.make_inspector(Settings()), checker=checker)
    if problems:
        click.echo(f"Le modèle {docx.name} ({genre}) ne peut pas être mis en service : "
                   f"{len(problems)} problème(s).", err=True)
        for problem in problems:
            click.echo(f"  [{problem.code}] {problem.message}", err=True)
        sys.exit(EXIT_REFUSED)
    names = [nom for nom, _ in (*loaded.deliberations, *loaded.seances)]
    click.echo(f"Modèle {docx.name} ({genre}) valide ; exemples : {', '.join(names)}.")


def default_exemples() -> list[Path]:
    """Return the repository's example payloads: its JSON files holding a deliberation or a
    sitting (an authorities file beside them is not one)."""
    found = []
    for path in sorted(EXAMPLES_DIR.glob("*.json")):
        data = read_json(path)
        if isinstance(data, dict) and ("deliberation" in data or "deliberations" in data):
            found.append(path)
    return found


def load_exemples(paths: list[Path]) -> Any:
    """Return the payloads of *paths* (a sitting when it has ``deliberations``), validated.

    :raises InvalidPayload: when one breaks the contract or the law.
    """
    from service.services.seances import validate_seance
    from service.services.templates import Exemples
    from service.services.validation import validate_deliberation

    deliberations, seances = [], []
    for path in paths:
        data = read_json(path)
        if isinstance(data, dict) and "deliberations" in data:
            seances.append((path.name, validate_seance(data)))
        else:
            deliberations.append((path.name, validate_deliberation(data)))
    return Exemples(deliberations, seances)
