"""The use cases of a sitting: submit it, run its acts, read it back, its list, CSV, archive
and procès-verbal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from service.domain.access import Principal
from service.domain.jobs import JobRecord, SeanceRecord, SeanceResume
from service.domain.paris import aujourd_hui_a_paris
from service.domain.proces_verbal import proces_verbal_id
from service.domain.records import ActeRecord
from service.domain.seance import SeancePayload
from service.services import proces_verbal, publication, queries, seance_outputs, seances
from service.services.application.actes import ActesService, Authorities
from service.services.application.lazy import wired
from service.services.ports import (
    ActeRepository,
    DocumentRenderer,
    JobQueue,
    ListeRenderer,
    PdfConverter,
    PdfStamper,
    ProcesVerbalRenderer,
    SeanceStore,
)


class SeancesService:
    """The sittings' use cases bound to their ports.

    *store* and *queue* may be missing where nothing runs sittings (a use case needing them
    then fails loudly); *queue* is set after the service is built, since it runs
    :meth:`run_seance_act`. *actes* amends the procès-verbal as an act. *pv_renderer* is called
    for the port when first needed.
    """

    def __init__(
        self,
        *,
        actes: ActesService,
        renderer: DocumentRenderer,
        converter: PdfConverter,
        stamper: PdfStamper,
        repository: ActeRepository,
        liste_renderer: ListeRenderer,
        pv_renderer: Callable[[], ProcesVerbalRenderer],
        authorities: Authorities,
        store: SeanceStore | None = None,
        queue: JobQueue | None = None,
        today: Callable[[], dt.date] = aujourd_hui_a_paris,
    ) -> None:
        self.actes = actes
        self.renderer, self.converter, self.stamper = renderer, converter, stamper
        self.repository = repository
        self.liste_renderer, self.pv_renderer = liste_renderer, pv_renderer
        self.authorities = authorities
        self.store, self.queue = store, queue
        self.today = today

    @property
    def _store(self) -> SeanceStore:
        return wired(self.store, "SeancesService.store")

    def submit_seance(self, data: Any, *, auteur: str, principal: Principal | None = None,
                      remplacer: Mapping[str, int] | None = None) -> JobRecord:
        """Check a whole sitting and queue the generation of its acts; see
        :func:`seances.submit_seance`."""
        return seances.submit_seance(data, store=self._store,
                                     queue=wired(self.queue, "SeancesService.queue"),
                                     auteur=auteur, principal=principal,
                                     repository=self.repository, remplacer=remplacer,
                                     authorities=self.authorities)

    def run_seance_act(self, job_id: str, index: int) -> None:
        """Generate one act of a job (what a queue worker runs)."""
        seances.run_seance_act(job_id, index, store=self._store, renderer=self.renderer,
                               converter=self.converter, stamper=self.stamper,
                               repository=self.repository)

    def get_job(self, job_id: str, principal: Principal | None = None) -> JobRecord:
        return seances.get_job(self._store, job_id, principal)

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
        return seances.get_seance(self._store, seance_id, principal)

    def stored_proces_verbal(self, record: SeanceRecord) -> ActeRecord | None:
        """Return the procès-verbal of the sitting *record* (already read, so authorised) as
        stored, without generating it; ``None`` before it is first made."""
        return self.repository.get(proces_verbal_id(record.id))

    def list_seances(self, principal: Principal | None, limit: int = 50) -> list[SeanceResume]:
        """Return the sittings *principal* may see (all when ``None``), the latest first."""
        if self.store is None:
            return []
        return self.store.list_seances(None if principal is None else principal.sirens, limit)

    def seance_archive(self, seance_id: str, principal: Principal | None = None) -> bytes:
        """Return the sitting's ZIP: acts, published versions, list, CSV, procès-verbal."""
        record = seances.get_seance(self._store, seance_id, principal)
        # Each act read once, here: seance_outputs checks and zips these records.
        actes = {ident: self.repository.get(ident) for ident in record.identifiants}
        autres = {}
        if None not in actes.values():
            pv = self._proces_verbal(record, "archive")
            for extension in ("docx", "pdf"):
                autres[f"proces-verbal.{extension}"] = queries.record_file(
                    self.repository, pv, extension)[0]
            for kind, extension in (("docx_publie", "docx"), ("pdf_publie", "pdf")):
                if kind in pv.current.files:
                    autres[f"proces-verbal-publie.{extension}"] = self.repository.read_file(
                        pv.identifiant, pv.version, kind)
        return seance_outputs.seance_archive(record, repository=self.repository,
                                             renderer=self.liste_renderer,
                                             converter=self.converter,
                                             authority=self.authorities.get(record.siren),
                                             autres=autres, actes=actes)

    def seance_liste_pdf(self, seance_id: str, principal: Principal | None = None) -> bytes:
        record = seances.get_seance(self._store, seance_id, principal)
        return seance_outputs.stored_liste_pdf(record, self.repository, self.liste_renderer,
                                               self.converter)

    def seance_csv(self, seance_id: str, principal: Principal | None = None) -> bytes:
        record = seances.get_seance(self._store, seance_id, principal)
        return seance_outputs.stored_scdl_csv(record, self.repository,
                                              self.authorities.get(record.siren))

    def publish_liste(self, seance_id: str, body: Any, principal: Principal | None = None
                      ) -> SeanceRecord:
        """Record the date the sitting's list of deliberations was put online."""
        record = seances.get_seance(self._store, seance_id, principal)
        return publication.publish_liste(record, body, store=self._store, today=self.today())

    def _proces_verbal(self, record: SeanceRecord, auteur: str) -> ActeRecord:
        return proces_verbal.current_proces_verbal(
            record, repository=self.repository, renderer=self.pv_renderer(),
            converter=self.converter, auteur=auteur)

    def proces_verbal(self, seance_id: str, *, auteur: str, principal: Principal | None = None
                      ) -> ActeRecord:
        """Return the sitting's procès-verbal, generated first when missing or out of date; see
        :func:`proces_verbal.current_proces_verbal`."""
        record = seances.get_seance(self._store, seance_id, principal)
        return self._proces_verbal(record, auteur)

    def amend_proces_verbal(self, seance_id: str, docx: bytes, *, auteur: str,
                            expected_version: int | None = None,
                            principal: Principal | None = None) -> ActeRecord:
        """Store the secretary's amended procès-verbal (the checks of an act's DOCX)."""
        pv = self.proces_verbal(seance_id, auteur=auteur, principal=principal)
        return self.actes.amend(pv.identifiant, docx, auteur=auteur,
                                expected_version=expected_version, principal=principal)

    def adopt_proces_verbal(self, seance_id: str, body: Any, *, auteur: str,
                            principal: Principal | None = None) -> ActeRecord:
        """Record the sitting that adopted the procès-verbal; see
        :func:`proces_verbal.adopt_proces_verbal`."""
        record = seances.get_seance(self._store, seance_id, principal)
        return proces_verbal.adopt_proces_verbal(
            record, body, store=self._store, repository=self.repository,
            renderer=self.pv_renderer(), converter=self.converter, auteur=auteur,
            today=self.today())
