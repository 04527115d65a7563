"""The composition root: settings → adapters → application services. Called by the app factory,
the CLI and the queue workers; it builds and wires, the use cases are in
``service/services/application/``.

Nothing here runs at import time; tests pass their own adapters to :func:`bootstrap`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.config import DEFAULT_TEMPLATES, Settings
from service.services.application.access import AccessService
from service.services.application.actes import ActesService
from service.services.application.health import HealthService
from service.services.application.lazy import Lazy
from service.services.application.seances import SeancesService
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
    TokenStore,
    UploadInspector,
)
from service.services.templates import TemplateChecker


@dataclass
class Application:
    """The application services wired to their adapters: what the edges call."""

    settings: Settings
    actes: ActesService
    seances: SeancesService
    access: AccessService
    health: HealthService
    repository: ActeRepository
    """The acts' storage (tests read it back; the edges go through the services)."""
    tokens: TokenStore | None = None
    """The token store (``SqlTokenStore``, which also creates and revokes them); ``None``
    leaves every route open."""
    _closers: list[Callable[[], object]] = field(default_factory=list)

    @property
    def today(self) -> Callable[[], dt.date]:
        """Today's date in Paris, for every use case: the day of an act's sending, the limit
        of its dates (tests set another day)."""
        return self.actes.today

    @today.setter
    def today(self, today: Callable[[], dt.date]) -> None:
        self.actes.today = self.seances.today = today

    def close(self) -> None:
        """Release what the adapters hold (queue threads, LibreOffice processes, connections),
        the last opened first."""
        while self._closers:
            self._closers.pop()()

    def _close_with(self, adapter: object) -> None:
        closer = getattr(adapter, "close", None)
        if callable(closer):
            self._closers.append(closer)


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


def make_queue(settings: Settings, store: SeanceStore, run_act: Callable[[str, int], None]
               ) -> JobQueue:
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


def wire(
    settings: Settings,
    *,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    stamper: PdfStamper,
    repository: ActeRepository,
    tokens: TokenStore | None = None,
    seance_store: SeanceStore | None = None,
) -> Application:
    """Return the application services on the adapters given, the others made of *settings*
    (the signer, the verifier and the procès-verbal's and publication's adapters on first use).
    No queue: :func:`bootstrap` adds one."""
    authorities = settings.authorities()
    actes = ActesService(
        renderer=renderer, converter=converter, stamper=stamper, repository=repository,
        inspector=make_inspector(settings),
        signer=Lazy(lambda: make_signer(settings, authorities)),
        verifier=Lazy(lambda: make_verifier(settings)),
        occulteur=Lazy(lambda: make_occulteur(settings)),
        authorities=authorities, read_settings_file=lambda name: Path(name).read_bytes(),
        seance_store=seance_store,
    )
    seances = SeancesService(
        actes=actes, renderer=renderer, converter=converter, stamper=stamper,
        repository=repository, liste_renderer=make_liste_renderer(settings),
        pv_renderer=Lazy(lambda: make_pv_renderer(settings)), authorities=authorities,
        store=seance_store,
    )
    return Application(settings=settings, actes=actes, seances=seances,
                       access=AccessService(tokens), health=HealthService(converter),
                       repository=repository, tokens=tokens)


def cli_services(settings: Settings) -> Application:
    """Return the application for one command of the CLI, on the stored acts: the same rules as
    the HTTP routes. No queue: a command runs nothing in the background."""
    repository, tokens, seance_store, engine = make_stores(settings)
    application = wire(settings, renderer=make_renderer(settings),
                       converter=make_converter(settings), stamper=make_stamper(settings),
                       repository=repository, tokens=tokens, seance_store=seance_store)
    application._closers.append(engine.dispose)
    application._close_with(application.health.converter)
    return application


def bootstrap(
    settings: Settings | None = None,
    *,
    renderer: DocumentRenderer | None = None,
    converter: PdfConverter | None = None,
    stamper: PdfStamper | None = None,
    repository: ActeRepository | None = None,
    seance_store: SeanceStore | None = None,
    queue: JobQueue | None = None,
) -> Application:
    """Return the application wired to the adapters *settings* call for (or those given)."""
    settings = settings or Settings()
    tokens = engine = None
    if repository is None:
        repository, tokens, stored_seances, engine = make_stores(settings)
        seance_store = seance_store or stored_seances
    converter = converter or make_converter(settings)
    application = wire(settings, renderer=renderer or make_renderer(settings),
                       converter=converter, stamper=stamper or make_stamper(settings),
                       repository=repository, tokens=tokens, seance_store=seance_store)
    if engine is not None:
        application._closers.append(engine.dispose)
    application._close_with(converter)
    if seance_store is not None:
        sittings = application.seances
        sittings.queue = queue or make_queue(settings, seance_store, sittings.run_seance_act)
        # Closed before the converter (closers run last first): running acts still convert.
        application._close_with(sittings.queue)
    return application
