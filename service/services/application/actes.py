"""The use cases of one act: generate, package, read, acknowledge, sign, amend, publish, list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from service.domain.access import Principal
from service.domain.actes.archive import TransmissionArchive
from service.domain.errors import Conflict, InvalidPayload, NotFound
from service.domain.paris import aujourd_hui_a_paris
from service.domain.payload import DeliberationPayload
from service.domain.proces_verbal import PREFIXE, est_proces_verbal
from service.domain.records import ActeRecord, ActeResume
from service.services import amend, generate, publication, queries, seances, signing, transmit
from service.services.application.lazy import wired
from service.services.keyed_lock import KeyedLocks
from service.services.ports import (
    ActeRepository,
    ActeSigner,
    DocumentOcculteur,
    DocumentRenderer,
    PdfConverter,
    PdfStamper,
    SeanceStore,
    SignatureVerifier,
    UploadInspector,
)
from service.services.validation import numero_operateur, validate_deliberation

Authorities = Mapping[str, Mapping[str, Any]]
"""The ACTES settings of each authority, by SIREN (the authorities file)."""


class ActesService:
    """The acts' use cases bound to their ports.

    *signer*, *verifier* and *occulteur* are called for the port when first needed (they read
    keys, trust anchors). *seance_store* finds the sitting of a procès-verbal; *today* is the
    Paris date (the day of an act's sending, the limit of its dates).
    """

    def __init__(
        self,
        *,
        renderer: DocumentRenderer,
        converter: PdfConverter,
        stamper: PdfStamper,
        repository: ActeRepository,
        inspector: UploadInspector,
        signer: Callable[[], ActeSigner],
        verifier: Callable[[], SignatureVerifier],
        occulteur: Callable[[], DocumentOcculteur],
        authorities: Authorities,
        read_settings_file: Callable[[str], bytes],
        seance_store: SeanceStore | None = None,
        today: Callable[[], dt.date] = aujourd_hui_a_paris,
    ) -> None:
        self.renderer, self.converter, self.stamper = renderer, converter, stamper
        self.repository, self.inspector = repository, inspector
        self.signer, self.verifier, self.occulteur = signer, verifier, occulteur
        self.authorities = authorities
        # The files an authority's settings name (its classification): the composition root
        # says how they are read, the use case only asks.
        self.read_settings_file = read_settings_file
        self.seance_store = seance_store
        self.today = today
        self._inflight = KeyedLocks()

    def generate(self, data: Any, *, auteur: str, principal: Principal | None = None,
                 remplacer: Mapping[str, int] | None = None) -> tuple[ActeRecord, bool]:
        """Validate *data* and generate its act; see :func:`generate.generate_acte`
        (*remplacer*: the clerk's amendments replaced on purpose, by identifier)."""
        payload = validate_deliberation(data, self.authorities)
        queries.authorise_siren(principal, payload.collectivite.siren)
        return self._generate(payload, auteur=auteur, remplacer=remplacer)

    def _generate(self, payload: DeliberationPayload, *, auteur: str,
                  remplacer: Mapping[str, int] | None = None) -> tuple[ActeRecord, bool]:
        transmit.check_reglages(payload, self.authorities.get(payload.collectivite.siren))
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
        transmit.check_reglages(payload, self.authorities.get(payload.collectivite.siren),
                                required=True)
        # Then the one rule the authority's settings add (its operator's numéro), on the payload
        # already validated: the act is not parsed and checked a second time.
        if operateur := numero_operateur(payload, self.authorities):
            raise InvalidPayload(operateur)
        record, _ = self._generate(payload, auteur=auteur)
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
            self.repository, identifiant, authorities=self.authorities,
            read_file=self.read_settings_file, today=self.today(),
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
        return signing.sign_acte(self.repository, self.signer(), self.stamper, identifiant,
                                 auteur=auteur, principal=principal)

    def attach_signed_pdf(self, identifiant: str, pdf: bytes, *, auteur: str,
                          principal: Principal | None = None) -> ActeRecord:
        """Keep a PDF signed elsewhere; see :func:`signing.attach_signed_pdf`."""
        return signing.attach_signed_pdf(self.repository, self.verifier(), self.stamper,
                                         identifiant, pdf, auteur=auteur, principal=principal)

    def signatures(self, identifiant: str, principal: Principal | None = None
                   ) -> signing.SignaturesActe:
        """Return the act's signature status and what each signature is worth."""
        return signing.acte_signatures(self.repository, self.verifier(), identifiant,
                                       principal=principal)

    def amend(self, identifiant: str, docx: bytes, *, auteur: str,
              expected_version: int | None = None, principal: Principal | None = None
              ) -> ActeRecord:
        """Store a clerk's amended DOCX as the act's next version; see
        :func:`amend.amend_acte`."""
        return amend.amend_acte(
            self.repository, self.converter, self.stamper, self.inspector, identifiant, docx,
            auteur=auteur, expected_version=expected_version, principal=principal,
        )

    def publish(self, identifiant: str, body: Any, *, auteur: str,
                principal: Principal | None = None) -> ActeRecord:
        """Record the date an act (or a procès-verbal) was put online and make its published
        version; see :func:`publication.publish_acte`."""
        return publication.publish_acte(
            self.repository, identifiant, body, renderer=self.renderer,
            occulteur=self.occulteur(), converter=self.converter, stamper=self.stamper,
            store=wired(self.seance_store, "ActesService.seance_store"), auteur=auteur,
            today=self.today(), principal=principal)

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
        if est_proces_verbal(identifiant):
            record = self.get(identifiant, principal)
            seance = seances.get_seance(wired(self.seance_store, "ActesService.seance_store"),
                                        identifiant.removeprefix(PREFIXE), principal)
            return ActeResume(identifiant=identifiant, siren=record.siren, numero="PV",
                              date=seance.date, objet="Procès-verbal de la séance",
                              statut=record.statut, version=record.version,
                              updated_at=record.updated_at, seance_id=seance.id)
        # One query, filtered as get() is (the principal's authorities): the act is not read
        # a second time for its SIREN.
        found = self.repository.list_actes(None if principal is None else principal.sirens,
                                           limit=1, identifiants=[identifiant])
        if not found:
            raise NotFound(f"Aucun acte n'a l'identifiant « {identifiant} ».")
        return found[0]
