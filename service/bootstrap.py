"""The composition root: settings → adapters → use cases. Called by the app factory and the CLI.

Nothing here runs at import time; tests pass their own adapters to :func:`bootstrap`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.config import DEFAULT_TEMPLATES, Settings
from service.domain.actes.archive import TransmissionArchive
from service.domain.access import Principal
from service.domain.records import ActeRecord
from service.errors import Unauthorized
from service.services import generate, queries, transmit
from service.services.ports import ActeRepository, DocumentRenderer, PdfConverter, PdfStamper
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
    _closers: list[Any] = field(default_factory=list)

    def generate(self, data: Any, *, auteur: str, principal: Principal | None = None
                 ) -> tuple[ActeRecord, bool]:
        """Validate *data* and generate its act; see :func:`generate.generate_acte`."""
        payload = validate_deliberation(data)
        queries.authorise_siren(principal, payload.collectivite.siren)
        return generate.generate_acte(
            payload, renderer=self.renderer, converter=self.converter, stamper=self.stamper,
            repository=self.repository, auteur=auteur,
        )

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
        queries.get_acte(self.repository, identifiant, principal)
        return transmit.transmission_archive(
            self.repository, identifiant, authorities=self.settings.authorities(),
            read_file=lambda name: Path(name).read_bytes(), today=dt.date.today(),
        )

    def acknowledge(self, identifiant: str, *, ar_xml: bytes | None = None, dates: Any = None,
                    auteur: str, principal: Principal | None = None) -> ActeRecord:
        """Record the prefecture's acknowledgement and stamp the PDF."""
        queries.get_acte(self.repository, identifiant, principal)
        return transmit.acknowledge(self.repository, self.stamper, identifiant, ar_xml=ar_xml,
                                    dates=dates, auteur=auteur)

    def authenticate(self, token: str | None) -> Principal | None:
        """Return who holds *token*; ``None`` when no token is configured (open service).

        :raises Unauthorized: when tokens are configured and *token* is missing or not active.
        """
        if self.tokens is None or not self.tokens.any_configured():
            return None
        principal = self.tokens.find(token) if token else None
        if principal is None:
            raise Unauthorized("Jeton d'accès absent, inconnu ou révoqué (en-tête Authorization: Bearer).")
        return principal

    def is_ready(self) -> bool:
        """`True` when the converter can take a document now."""
        ready = getattr(self.converter, "is_ready", None)
        return bool(ready()) if callable(ready) else True

    def close(self) -> None:
        """Release what the adapters hold (LibreOffice processes, connections)."""
        while self._closers:
            self._closers.pop()()


def make_renderer(settings: Settings) -> DocumentRenderer:
    from service.adapters.docx.renderer import DocxtplRenderer

    return DocxtplRenderer(template_dirs=[*settings.template_dirs, DEFAULT_TEMPLATES])


def make_stamper(settings: Settings) -> PdfStamper:
    from service.adapters.pdf_stamp.stamper import PypdfStamper
    from service.adapters.pdf_stamp.style import StampStyle

    return PypdfStamper(StampStyle.from_config(settings.stamp))


def make_converter(settings: Settings) -> PdfConverter:
    from service.adapters.libreoffice.soffice_cli import SofficeCliConverter

    return SofficeCliConverter(timeout=settings.conversion_timeout)


def make_storage(settings: Settings) -> tuple[ActeRepository, Any]:
    """Return the SQL repository and token store, the database migrated to the latest schema."""
    from service.adapters.storage import (
        DatabaseBlobStore,
        FileBlobStore,
        SqlAlchemyActeRepository,
        make_engine,
        upgrade,
    )

    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    blobs = (DatabaseBlobStore(engine) if settings.blob_store == "database"
             else FileBlobStore(settings.data_dir / "blobs"))
    from service.adapters.storage.tokens import SqlTokenStore

    return SqlAlchemyActeRepository(engine, blobs), SqlTokenStore(engine)


def bootstrap(
    settings: Settings | None = None,
    *,
    renderer: DocumentRenderer | None = None,
    converter: PdfConverter | None = None,
    stamper: PdfStamper | None = None,
    repository: ActeRepository | None = None,
) -> Services:
    """Return the use cases wired to the adapters *settings* call for (or those given)."""
    settings = settings or Settings()
    tokens = None
    if repository is None:
        repository, tokens = make_storage(settings)
    services = Services(
        settings=settings,
        renderer=renderer or make_renderer(settings),
        converter=converter or make_converter(settings),
        stamper=stamper or make_stamper(settings),
        repository=repository,
        tokens=tokens,
    )
    closer = getattr(services.converter, "close", None)
    if callable(closer):
        services._closers.append(closer)
    return services
