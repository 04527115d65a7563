"""The composition root: settings → adapters → use cases. Called by the app factory and the CLI.

Nothing here runs at import time; tests pass their own adapters to :func:`bootstrap`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from service.config import DEFAULT_TEMPLATES, Settings
from service.domain.access import Principal
from service.domain.actes.archive import TransmissionArchive
from service.domain.jobs import JobRecord, SeanceRecord, SeanceResume
from service.domain.paris import aujourd_hui_a_paris
from service.domain.proces_verbal import PREFIXE, est_proces_verbal
from service.domain.records import ActeRecord, ActeResume
from service.domain.seance import SeancePayload
from service.errors import Conflict, NotFound, Unauthorized
from service.services import (
    amend,
    generate,
    proces_verbal,
    publication,
    queries,
    seance_outputs,
    seances,
    signing,
    transmit,
)
from service.services.keyed_lock import KeyedLocks
from service.services.ports import (
    ActeRepository,
    ActeSigner,
    DocumentOcculteur,
    DocumentRenderer,
    JobQueue,
    ListeRenderer,
    PdfConverter,
    PdfStamper,
    ProcesVerbalRenderer,
    SeanceStore,
    SignatureVerifier,
    UploadInspector,
)
from service.services.templates import TemplateChecker
from service.services.validation import validate_deliberation


@dataclass
class Services:
    """The use cases, bound to their adapters: what the edges call."""

    settings: Settings
    renderer: DocumentRenderer
    converter: PdfConverter
    stamper: PdfStamper
    repository: ActeRepository
    tokens: Any = None
    """The token store (``SqlTokenStore``); ``None`` leaves every route open."""
    seances: SeanceStore | None = None
    """Sittings and their jobs; ``None`` when the caller wired no storage for them."""
    queue: JobQueue | None = None
    liste_renderer: ListeRenderer | None = None
    inspector: UploadInspector | None = None
    """Checks the DOCX clerks upload; ``None``: :func:`make_inspector` of the settings."""
    signer: ActeSigner | None = None
    """Signs acts with the authorities' keys; ``None``: :func:`make_signer` of the settings."""
    verifier: SignatureVerifier | None = None
    """Validates signatures; ``None``: :func:`make_verifier` of the settings."""
    today: Callable[[], dt.date] = aujourd_hui_a_paris
    """Today's date in Paris: the day of an act's sending, the limit of its dates."""
    pv_renderer: ProcesVerbalRenderer | None = None
    """Fills the procès-verbal template; ``None``: :func:`make_pv_renderer` of the settings."""
    occulteur: DocumentOcculteur | None = None
    """Removes personal data from a clerk's DOCX; ``None``: :func:`make_occulteur`."""
    _closers: list[Any] = field(default_factory=list)
    _inflight: KeyedLocks = field(default_factory=KeyedLocks)

    @property
    def _seance_store(self) -> SeanceStore:
        return _wired(self.seances, "seances")

    @property
    def _job_queue(self) -> JobQueue:
        return _wired(self.queue, "queue")

    @property
    def _liste_renderer(self) -> ListeRenderer:
        return _wired(self.liste_renderer, "liste_renderer")

    def generate(self, data: Any, *, auteur: str, principal: Principal | None = None,
                 remplacer: Mapping[str, int] | None = None) -> tuple[ActeRecord, bool]:
        """Validate *data* and generate its act; see :func:`generate.generate_acte`
        (*remplacer*: the clerk's amendments replaced on purpose, by identifier)."""
        payload = validate_deliberation(data, self._authorities)
        queries.authorise_siren(principal, payload.collectivite.siren)
        transmit.check_reglages(payload, self._authorities.get(payload.collectivite.siren))
        with self._inflight.hold(str(generate.identifier_of(payload))):
            return generate.generate_acte(
                payload, renderer=self.renderer, converter=self.converter, stamper=self.stamper,
                repository=self.repository, auteur=auteur, remplacer=remplacer,
            )

    def package(self, data: Any, *, auteur: str) -> TransmissionArchive:
        """Generate (or keep) the act of *data* as ``POST /v1/deliberations`` does, and return
        its ACTES archive. The settings are checked first: nothing is generated for an act
        that cannot be transmitted."""
        payload = validate_deliberation(data)
        transmit.check_reglages(payload, self._authorities.get(payload.collectivite.siren),
                                required=True)
        record, _ = self.generate(data, auteur=auteur)
        return self.transmission_archive(record.identifiant)

    def get(self, identifiant: str, principal: Principal | None = None) -> ActeRecord:
        return queries.get_acte(self.repository, identifiant, principal)

    def current_file(self, identifiant: str, extension: str, principal: Principal | None = None
                     ) -> tuple[bytes, str]:
        return queries.current_file(self.repository, identifiant, extension, principal)

    def version_file(self, identifiant: str, numero: int, kind: str,
                     principal: Principal | None = None) -> bytes:
        return queries.version_file(self.repository, identifiant, numero, kind, principal)

    def transmission_archive(self, identifiant: str, principal: Principal | None = None
                             ) -> TransmissionArchive:
        """Return the ACTES archive of the act's current version."""
        return transmit.transmission_archive(
            self.repository, identifiant, authorities=self._authorities,
            read_file=lambda name: Path(name).read_bytes(), today=self.today(),
            principal=principal,
        )

    def acknowledge(self, identifiant: str, *, ar_xml: bytes | None = None, dates: Any = None,
                    auteur: str, principal: Principal | None = None) -> ActeRecord:
        """Record the prefecture's acknowledgement and stamp the PDF; an act already published
        has its published version made again, so that it shows the receipt and, with it, the
        executory certification.

        :raises Conflict: for a procès-verbal, which is published, never transmitted.
        """
        if est_proces_verbal(identifiant):
            self.get(identifiant, principal)  # an unknown one: 404
            raise Conflict("Un procès-verbal de séance n'est pas transmis à la préfecture : il n'a "
                           "pas d'accusé de réception. Enregistrez sa publication "
                           f"(POST /v1/actes/{identifiant}/publication).",
                           code="proces-verbal-non-transmis")
        record = transmit.acknowledge(self.repository, self.stamper, identifiant, ar_xml=ar_xml,
                                      dates=dates, auteur=auteur, today=self.today(),
                                      principal=principal)
        if "pdf_publie" in record.current.files and record.date_publication is not None:
            record = self.publish(identifiant,
                                  {"date_mise_en_ligne": record.date_publication.isoformat()},
                                  auteur=auteur, principal=principal)
        return record

    def sign(self, identifiant: str, *, auteur: str, principal: Principal | None = None
             ) -> ActeRecord:
        """Sign the act for its président and secretary(ies); see :func:`signing.sign_acte`."""
        self.signer = self.signer or make_signer(self.settings, lambda: self._authorities)
        return signing.sign_acte(self.repository, self.signer, self.stamper, identifiant,
                                 auteur=auteur, principal=principal)

    def attach_signed_pdf(self, identifiant: str, pdf: bytes, *, auteur: str,
                          principal: Principal | None = None) -> ActeRecord:
        """Keep a PDF signed elsewhere; see :func:`signing.attach_signed_pdf`."""
        return signing.attach_signed_pdf(self.repository, self._verifier(), self.stamper,
                                         identifiant, pdf, auteur=auteur, principal=principal)

    def signatures(self, identifiant: str, principal: Principal | None = None
                   ) -> signing.SignaturesActe:
        """Return the act's signature status and what each signature is worth."""
        return signing.acte_signatures(self.repository, self._verifier(), identifiant,
                                       principal=principal)

    def _verifier(self) -> SignatureVerifier:
        self.verifier = self.verifier or make_verifier(self.settings)
        return self.verifier

    @cached_property
    def _authorities(self) -> dict[str, dict[str, Any]]:
        # Read once: the file is configuration, like the rest of the settings.
        return self.settings.authorities()

    def amend(self, identifiant: str, docx: bytes, *, auteur: str,
              expected_version: int | None = None, principal: Principal | None = None
              ) -> ActeRecord:
        """Store a clerk's amended DOCX as the act's next version; see
        :func:`amend.amend_acte`."""
        return amend.amend_acte(
            self.repository, self.converter, self.stamper,
            self.inspector or make_inspector(self.settings), identifiant, docx,
            auteur=auteur, expected_version=expected_version, principal=principal,
        )

    def submit_seance(self, data: Any, *, auteur: str, principal: Principal | None = None,
                      remplacer: Mapping[str, int] | None = None) -> JobRecord:
        """Check a whole sitting and queue the generation of its acts; see
        :func:`seances.submit_seance`."""
        return seances.submit_seance(data, store=self._seance_store, queue=self._job_queue,
                                     auteur=auteur,
                                     principal=principal, repository=self.repository,
                                     remplacer=remplacer, authorities=self._authorities)

    def run_seance_act(self, job_id: str, index: int) -> None:
        """Generate one act of a job (what a queue worker runs)."""
        seances.run_seance_act(job_id, index, store=self._seance_store, renderer=self.renderer,
                               converter=self.converter, stamper=self.stamper,
                               repository=self.repository)

    def get_job(self, job_id: str, principal: Principal | None = None) -> JobRecord:
        return seances.get_job(self._seance_store, job_id, principal)

    def get_seance(self, seance_id: str, principal: Principal | None = None
                   ) -> tuple[SeanceRecord, list[ActeRecord | None]]:
        """Return the sitting and its acts in order (``None`` for an act not generated yet)."""
        record = self.seance_record(seance_id, principal)
        return record, [self.repository.get(ident) for ident in record.identifiants]

    def stored_seance(self, record: SeanceRecord, actes: list[ActeRecord | None]
                      ) -> SeancePayload:
        """Return the sitting as its acts *actes* (in order) are stored; see
        :func:`seance_outputs.stored_seance`."""
        return seance_outputs.stored_seance(record, self.repository,
                                            dict(zip(record.identifiants, actes, strict=True)))

    def seance_record(self, seance_id: str, principal: Principal | None = None) -> SeanceRecord:
        """Return the sitting alone, without reading its acts."""
        return seances.get_seance(self._seance_store, seance_id, principal)

    def seance_archive(self, seance_id: str, principal: Principal | None = None) -> bytes:
        """Return the sitting's ZIP: acts, published versions, list, CSV, procès-verbal."""
        record = seances.get_seance(self._seance_store, seance_id, principal)
        autres = {}
        if all(self.repository.get(ident) is not None for ident in record.identifiants):
            pv = self._proces_verbal(record, "archive")
            for extension in ("docx", "pdf"):
                autres[f"proces-verbal.{extension}"] = queries.record_file(
                    self.repository, pv, extension)[0]
            for kind, extension in (("docx_publie", "docx"), ("pdf_publie", "pdf")):
                if kind in pv.current.files:
                    autres[f"proces-verbal-publie.{extension}"] = self.repository.read_file(
                        pv.identifiant, pv.version, kind)
        return seance_outputs.seance_archive(record, repository=self.repository,
                                             renderer=self._liste_renderer,
                                             converter=self.converter,
                                             authority=self._authorities.get(record.siren),
                                             autres=autres)

    def seance_liste_pdf(self, seance_id: str, principal: Principal | None = None) -> bytes:
        record = seances.get_seance(self._seance_store, seance_id, principal)
        return seance_outputs.stored_liste_pdf(record, self.repository, self._liste_renderer,
                                               self.converter)

    def _proces_verbal(self, record: SeanceRecord, auteur: str) -> ActeRecord:
        self.pv_renderer = self.pv_renderer or make_pv_renderer(self.settings)
        return proces_verbal.current_proces_verbal(
            record, repository=self.repository, renderer=self.pv_renderer,
            converter=self.converter, auteur=auteur)

    def proces_verbal(self, seance_id: str, *, auteur: str, principal: Principal | None = None
                      ) -> ActeRecord:
        """Return the sitting's procès-verbal, generated first when missing or out of date; see
        :func:`proces_verbal.current_proces_verbal`."""
        record = seances.get_seance(self._seance_store, seance_id, principal)
        return self._proces_verbal(record, auteur)

    def amend_proces_verbal(self, seance_id: str, docx: bytes, *, auteur: str,
                            expected_version: int | None = None,
                            principal: Principal | None = None) -> ActeRecord:
        """Store the secretary's amended procès-verbal (the checks of an act's DOCX)."""
        pv = self.proces_verbal(seance_id, auteur=auteur, principal=principal)
        return self.amend(pv.identifiant, docx, auteur=auteur, expected_version=expected_version,
                          principal=principal)

    def adopt_proces_verbal(self, seance_id: str, body: Any, *, auteur: str,
                            principal: Principal | None = None) -> ActeRecord:
        """Record the sitting that adopted the procès-verbal; see
        :func:`proces_verbal.adopt_proces_verbal`."""
        record = seances.get_seance(self._seance_store, seance_id, principal)
        self.pv_renderer = self.pv_renderer or make_pv_renderer(self.settings)
        return proces_verbal.adopt_proces_verbal(
            record, body, store=self._seance_store, repository=self.repository,
            renderer=self.pv_renderer, converter=self.converter, auteur=auteur,
            today=self.today())

    def publish(self, identifiant: str, body: Any, *, auteur: str,
                principal: Principal | None = None) -> ActeRecord:
        """Record the date an act (or a procès-verbal) was put online and make its published
        version; see :func:`publication.publish_acte`."""
        self.occulteur = self.occulteur or make_occulteur(self.settings)
        return publication.publish_acte(
            self.repository, identifiant, body, renderer=self.renderer,
            occulteur=self.occulteur, converter=self.converter,
            stamper=self.stamper, store=self._seance_store, auteur=auteur, today=self.today(),
            principal=principal)

    def publish_liste(self, seance_id: str, body: Any, principal: Principal | None = None
                      ) -> SeanceRecord:
        """Record the date the sitting's list of deliberations was put online."""
        record = seances.get_seance(self._seance_store, seance_id, principal)
        return publication.publish_liste(record, body, store=self._seance_store, today=self.today())

    def seance_csv(self, seance_id: str, principal: Principal | None = None) -> bytes:
        record = seances.get_seance(self._seance_store, seance_id, principal)
        return seance_outputs.stored_scdl_csv(record, self.repository,
                                              self._authorities.get(record.siren))

    def authenticate(self, token: str | None) -> Principal | None:
        """Return who holds *token*; ``None`` when no token is configured (open service).

        :raises Unauthorized: when tokens are configured and *token* is missing or not active.
        """
        if self.is_open():
            return None
        principal = self.tokens.find(token) if token else None
        if principal is None:
            raise Unauthorized(
                "Jeton d'accès absent, inconnu ou révoqué (en-tête Authorization: Bearer)."
            )
        return principal

    def is_open(self) -> bool:
        """`True` when no access token is configured: every route, every page is open."""
        return self.tokens is None or not self.tokens.any_configured()

    def authenticate_session(self, session_id: str | None) -> Principal | None:
        """Return who signed in to the clerk's pages in the session *session_id*; ``None``
        when no token is configured (open service).

        :raises Unauthorized: when tokens are configured and *session_id* names no session
            open on the server (never signed in, signed out, or the token was revoked since).
        """
        if self.is_open():
            return None
        principal = self.tokens.find_session(session_id) if session_id else None
        if principal is None:
            raise Unauthorized("Connectez-vous avec votre jeton d'accès.",
                               code="connexion-requise")
        return principal

    def open_session(self, token: str) -> tuple[Principal, str]:
        """Sign in to the clerk's pages with *token*: its principal and a new session id.

        :raises Unauthorized: when the token is missing, unknown or revoked.
        """
        principal = self.authenticate(token)
        session_id = self.tokens.open_session(token) if principal is not None else None
        if principal is None or session_id is None:
            raise Unauthorized("Jeton d'accès absent, inconnu ou révoqué.")
        return principal, session_id

    def end_session(self, session_id: str | None) -> None:
        """Sign out: the session ends on the server, whatever becomes of its cookie."""
        if session_id and self.tokens is not None:
            self.tokens.end_session(session_id)

    def list_actes(self, principal: Principal | None, query: str = "", limit: int = 50
                   ) -> list[ActeResume]:
        """Return the acts *principal* may see (all when ``None``), the latest decision first;
        with a *query*, those whose numéro or object contains it."""
        sirens = None if principal is None else principal.sirens
        return self.repository.list_actes(sirens, query, limit)

    def acte_resume(self, identifiant: str, principal: Principal | None = None) -> ActeResume:
        """Return the act as lists show it (its object, its sitting).

        :raises NotFound: as :meth:`get`.
        """
        record = self.get(identifiant, principal)
        if est_proces_verbal(identifiant):
            seance = seances.get_seance(self._seance_store, identifiant.removeprefix(PREFIXE),
                                        principal)
            return ActeResume(identifiant=identifiant, siren=record.siren, numero="PV",
                              date=seance.date, objet="Procès-verbal de la séance",
                              statut=record.statut, version=record.version,
                              updated_at=record.updated_at, seance_id=seance.id)
        found = self.repository.list_actes({record.siren}, limit=1, identifiants=[identifiant])
        if not found:
            raise NotFound(f"Aucun acte n'a l'identifiant « {identifiant} ».")
        return found[0]

    def list_seances(self, principal: Principal | None, limit: int = 50) -> list[SeanceResume]:
        """Return the sittings *principal* may see (all when ``None``), the latest first."""
        if self.seances is None:
            return []
        return self.seances.list_seances(None if principal is None else principal.sirens, limit)

    def metrics_text(self) -> bytes:
        """Return the Prometheus exposition of the converter's metrics."""
        own = getattr(self.converter, "metrics", None)
        if callable(own):
            return bytes(own())
        registry = getattr(self.converter, "registry", None)
        if registry is None:
            return b""
        from prometheus_client import generate_latest

        return bytes(generate_latest(registry))

    def is_ready(self) -> bool:
        """`True` when the converter can take a document now."""
        ready = getattr(self.converter, "is_ready", None)
        return bool(ready()) if callable(ready) else True

    def close(self) -> None:
        """Release what the adapters hold (LibreOffice processes, connections)."""
        while self._closers:
            self._closers.pop()()


T = TypeVar("T")


def _wired(port: T | None, name: str) -> T:
    """Return *port*, which the composition root must have wired for this use."""
    if port is None:
        raise RuntimeError(f"Services.{name} is not wired: build Services with it")
    return port


def make_renderer(settings: Settings) -> DocumentRenderer:
    from service.adapters.docx.renderer import DocxtplRenderer

    return DocxtplRenderer(template_dirs=[*settings.template_dirs, DEFAULT_TEMPLATES])


def make_stamper(settings: Settings) -> PdfStamper:
    from service.adapters.pdf_stamp.stamper import IncrementalStamper
    from service.adapters.pdf_stamp.style import StampStyle

    return IncrementalStamper(StampStyle.from_config(settings.stamp))


def make_signer(settings: Settings, authorities: Any) -> ActeSigner:
    """Return the PAdES signer reading the keys of *authorities* (a mapping, or a callable
    returning it)."""
    from service.adapters.pdf_sign.signer import PadesSigner

    return PadesSigner(authorities)


def make_verifier(settings: Settings) -> SignatureVerifier:
    """Return the validator of signatures against the configured trust anchors."""
    from service.adapters.pdf_sign.validator import PadesVerifier

    return PadesVerifier(settings.trust_anchors)


def make_converter(settings: Settings) -> PdfConverter:
    """Return the converter *settings* choose: the machine's pool server, an in-process warm
    pool (started in the background), or one cold ``soffice`` per document."""
    if settings.converter == "soffice":
        from service.adapters.libreoffice.soffice_cli import SofficeCliConverter

        return SofficeCliConverter(timeout=settings.conversion_timeout,
                                   limits=pdf_limits(settings),
                                   memory_mb=settings.pool_memory_mb)
    if settings.pool_socket:
        from service.adapters.libreoffice.client import PoolClient

        return PoolClient(settings.pool_socket, timeout=settings.conversion_timeout * 2 + 30)
    from service.adapters.libreoffice.pool import LibreOfficePool

    pool = LibreOfficePool(
        settings.pool_size, timeout=settings.conversion_timeout, max_queue=settings.pool_queue,
        recycle_after=settings.pool_recycle_after, rss_ceiling_mb=settings.pool_rss_ceiling_mb,
        limits=pdf_limits(settings), memory_mb=settings.pool_memory_mb,
    )
    pool.start(wait=False)
    return pool


def pdf_limits(settings: Settings) -> Any:
    """Return the bounds of an act's PDF (size, pages) *settings* set."""
    from service.adapters.libreoffice.limits import MIB, PdfLimits

    return PdfLimits(settings.max_pdf_mb * MIB, settings.max_pages)


def pool_server_args(settings: Settings) -> list[str]:
    """Return the ``server`` command-line options matching *settings*."""
    return ["--size", str(settings.pool_size), "--timeout", str(settings.conversion_timeout),
            "--max-queue", str(settings.pool_queue),
            "--recycle-after", str(settings.pool_recycle_after),
            "--rss-ceiling-mb", str(settings.pool_rss_ceiling_mb),
            "--max-pdf-mb", str(settings.max_pdf_mb), "--max-pages", str(settings.max_pages),
            "--memory-mb", str(settings.pool_memory_mb),
            *([] if settings.pool_pin_cpus else ["--no-pin-cpus"])]


def make_inspector(settings: Settings) -> UploadInspector:
    """Return the inspector of uploaded DOCX (20 MB, 200 MB inflated, ratio 100, 2000 parts)."""
    from service.adapters.upload.docx_inspector import DocxInspector, LayoutLimits

    return DocxInspector(layout=LayoutLimits(max_page_breaks=settings.max_pages))


def make_pv_renderer(settings: Settings) -> ProcesVerbalRenderer:
    from service.adapters.docx.proces_verbal import DocxtplProcesVerbalRenderer

    return DocxtplProcesVerbalRenderer(template_dirs=[*settings.template_dirs, DEFAULT_TEMPLATES])


def make_occulteur(settings: Settings) -> DocumentOcculteur:
    from service.adapters.docx.occultation import DocxOcculteur

    return DocxOcculteur()


def make_liste_renderer(settings: Settings) -> ListeRenderer:
    from service.adapters.docx.liste import DocxtplListeRenderer

    return DocxtplListeRenderer(template_dirs=[*settings.template_dirs, DEFAULT_TEMPLATES])


def make_template_checker() -> TemplateChecker:
    """Return the checker of an authority's own templates (``actes template check``)."""
    from service.adapters.docx.template_check import DocxtplTemplateChecker

    return DocxtplTemplateChecker()


# An embedded job untouched this long was left by a process that stopped: resume it.
STALE_JOB = dt.timedelta(minutes=10)


def make_queue(settings: Settings, store: SeanceStore, run_act: Any) -> JobQueue:
    """Return the queue *settings* call for: embedded threads running *run_act*, or Celery."""
    if settings.queue == "celery":
        from service.adapters.queue.celery_app import CeleryQueue, make_celery

        app = make_celery(settings.broker_url, visibility_timeout=settings.queue_visibility_timeout,
                          queue_name=settings.queue_name)
        return CeleryQueue(app, store)
    from service.adapters.queue.embedded import EmbeddedQueue

    queue = EmbeddedQueue(store, run_act, workers=settings.queue_workers)
    queue.resume_stale(STALE_JOB)
    return queue


def make_storage(settings: Settings) -> tuple[ActeRepository, Any]:
    """Return the SQL repository and token store, the database migrated to the latest schema."""
    repository, tokens, _, _ = make_stores(settings)
    return repository, tokens


def make_stores(settings: Settings) -> tuple[ActeRepository, Any, SeanceStore, Any]:
    """Return the SQL repository, token store and sitting store, on one migrated database,
    and the engine (``dispose()`` closes its connections)."""
    from service.adapters.storage import (
        DatabaseBlobStore,
        FileBlobStore,
        SqlAlchemyActeRepository,
        SqlSeanceStore,
        make_engine,
        upgrade,
    )

    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    blobs = (DatabaseBlobStore(engine) if settings.blob_store == "database"
             else FileBlobStore(settings.data_dir / "blobs"))
    from service.adapters.storage.tokens import SqlTokenStore

    return (SqlAlchemyActeRepository(engine, blobs), SqlTokenStore(engine), SqlSeanceStore(engine),
            engine)


def cli_services(settings: Settings) -> Services:
    """Return the use cases for one command of the CLI, on the stored acts: the same rules as
    the HTTP routes. No queue: a command runs nothing in the background."""
    repository, tokens, seance_store, engine = make_stores(settings)
    services = Services(settings=settings, renderer=make_renderer(settings),
                        converter=make_converter(settings), stamper=make_stamper(settings),
                        repository=repository, tokens=tokens, seances=seance_store,
                        liste_renderer=make_liste_renderer(settings),
                        inspector=make_inspector(settings))
    services._closers.append(engine.dispose)
    closer = getattr(services.converter, "close", None)
    if callable(closer):
        services._closers.append(closer)
    return services


def bootstrap(
    settings: Settings | None = None,
    *,
    renderer: DocumentRenderer | None = None,
    converter: PdfConverter | None = None,
    stamper: PdfStamper | None = None,
    repository: ActeRepository | None = None,
    seance_store: SeanceStore | None = None,
    queue: JobQueue | None = None,
) -> Services:
    """Return the use cases wired to the adapters *settings* call for (or those given)."""
    settings = settings or Settings()
    tokens = engine = None
    if repository is None:
        repository, tokens, stored_seances, engine = make_stores(settings)
        seance_store = seance_store or stored_seances
    services = Services(
        settings=settings,
        renderer=renderer or make_renderer(settings),
        converter=converter or make_converter(settings),
        stamper=stamper or make_stamper(settings),
        repository=repository,
        tokens=tokens,
        seances=seance_store,
        liste_renderer=make_liste_renderer(settings),
        inspector=make_inspector(settings),
    )
    if engine is not None:
        services._closers.append(engine.dispose)
    closer = getattr(services.converter, "close", None)
    if callable(closer):
        services._closers.append(closer)
    if seance_store is not None:
        services.queue = queue or make_queue(settings, seance_store, services.run_seance_act)
        # Closed before the converter (closers run last first): running acts still convert.
        closer = getattr(services.queue, "close", None)
        if callable(closer):
            services._closers.append(closer)
    return services
