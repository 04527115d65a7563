"""The small interfaces the use cases are written against; adapters implement them.

Each port is a :class:`typing.Protocol`, so an adapter needs no base class and the tests can
pass a fake with the same methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Protocol

from service.domain.access import Principal
from service.domain.actes.identifier import ActesIdentifier
from service.domain.jobs import ActeDemarre, Avancement, JobRecord, SeanceRecord, SeanceResume
from service.domain.liste import ListeDeliberations
from service.domain.mention import MentionPrefecture
from service.domain.payload import DeliberationPayload
from service.domain.proces_verbal import ProcesVerbal
from service.domain.records import ActeRecord, ActeResume, PrefectureDates
from service.domain.signatures import Signataire, SignatureReport


class DocumentRenderer(Protocol):
    """Fills a Word template with a deliberation."""

    def render_deliberation(
        self, payload: DeliberationPayload, identifier: ActesIdentifier
    ) -> bytes:
        """Return the DOCX of the extract of *payload*.

        :raises TemplateError: when the template (or an authority's override) cannot be used.
        """
        ...


class PdfConverter(Protocol):
    """Turns DOCX documents into PDF/A."""

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        """Return the PDF of *docx*; *label* names the act in logs; *tenant* (the authority's
        SIREN) shares the converters fairly between authorities.

        :raises ConversionError: when the document cannot be converted.
        :raises Unavailable: when no converter can take the work now.
        """
        ...

    def to_pdf_many(self, docxs: Sequence[bytes], *, labels: Sequence[str] = ()) -> list[bytes]:
        """Return the PDFs of *docxs* in order, using every converter available."""
        ...

    def is_ready(self) -> bool:
        """Return ``True`` when a document can be converted now (a cheap check, no
        conversion): what ``/readyz`` answers."""
        ...

    def metrics(self) -> bytes:
        """Return the converter's Prometheus metrics in the text exposition format (empty
        when it keeps none): what ``/metrics`` answers."""
        ...


class PdfStamper(Protocol):
    """Adds the prefecture's mention to a PDF."""

    def prepare(self, mention: MentionPrefecture) -> object:
        """Return what :meth:`stamp` needs of *mention* and nothing of the PDF (the drawn box),
        so that it can be made while the PDF is being converted.

        :raises StampError: when the mention cannot be drawn (no date, no font).
        """
        ...

    def stamp(self, pdf: bytes, mention: MentionPrefecture, prepared: object = None) -> bytes:
        """Return *pdf* with *mention* drawn on it (the input is left untouched); *prepared*
        is what :meth:`prepare` returned for *mention*, or ``None``.

        :raises StampError: when the PDF cannot be stamped.
        """
        ...

    def identifiant_of(self, pdf: bytes) -> str | None:
        """Return the ACTES identifier *pdf* says it is the act of (``None``: it does not)."""
        ...

    def unstamped(self, pdf: bytes) -> bytes:
        """Return *pdf* as it was before this stamper's mention (itself when unstamped), so
        that a new mention replaces the old one instead of being drawn over it.

        :raises StampError: when the mention cannot be taken off.
        """
        ...


class ActeSigner(Protocol):
    """Signs an act's PDF with the keys configured for its authority (PAdES)."""

    def sign(self, pdf: bytes, siren: str, signataires: Sequence[Signataire]) -> bytes:
        """Return *pdf* signed by each of *signataires* that has a key, in order; the input's
        bytes are a prefix of the result (incremental updates).

        :raises SigningNotConfigured: when *siren* has no key for these signatories.
        :raises Conflict: when a key is in another person's name than the one who must sign.
        :raises SignatureError: when a configured key cannot sign.
        """
        ...


class SignatureVerifier(Protocol):
    """Validates the signatures of a PDF."""

    def verify(self, pdf: bytes) -> list[SignatureReport]:
        """Return a report of each signature of *pdf*, in the order they were made.

        :raises DocumentRejected: when *pdf* cannot be read.
        """
        ...

    def check_signed_copy(self, pdf: bytes, base_length: int) -> list[str]:
        """Return why *pdf* is not its first *base_length* bytes signed by appended
        revisions (French reasons); empty when it is."""
        ...


class UploadInspector(Protocol):
    """Checks a document uploaded by a clerk before anything is converted or stored."""

    def inspect_docx(self, data: bytes) -> None:
        """Return ``None`` when *data* is a plain DOCX that may be converted.

        :raises DocumentRejected: with a ``docx-…`` code naming the refusal (macro, external
            relationship, decompression bomb, DTD…).
        """
        ...


class ActeRepository(Protocol):
    """Where acts, their versions and files are kept (SQLite by default, PostgreSQL to scale)."""

    def get(self, identifiant: str, *, sirens: Collection[str] | None = None
            ) -> ActeRecord | None:
        """Return the act with its versions, or ``None``; with *sirens*, ``None`` too when the
        act belongs to another authority (filtered in the query, so both cost the same)."""
        ...

    def add_version(
        self,
        *,
        identifiant: str,
        siren: str,
        files: Mapping[str, bytes],
        auteur: str,
        origine: str,
        payload: DeliberationPayload | None = None,
        payload_sha256: str | None = None,
        expected_version: int | None = None,
        expected_dates: PrefectureDates | None = None,
        dates: PrefectureDates | None = None,
        remplace: int | None = None,
        motif: str | None = None,
        on_stored: Callable[[bool], None] | None = None,
    ) -> tuple[ActeRecord, bool]:
        """Store a new version and return ``(record, created)``.

        *remplace* and *motif*: the clerk's amended version this one replaces on purpose, and
        why (kept in the version's history).

        *on_stored* is called with ``created`` once the version is written (or recognised as
        a retry), in the same transaction: when it raises, no version is stored. A sitting's
        act finishes in its job this way, at once with its version.

        *payload* is the deliberation the version is generated from (kept as its canonical
        JSON, :func:`~service.domain.canonical.canonical_json`); *payload_sha256* defaults to
        the hash of that text, and is given alone for a version generated from another source
        (a procès-verbal, from its sitting's acts). When it equals the current version's,
        nothing is stored and ``created`` is ``False`` (an upstream retry). When
        *expected_version* is given and is not the current version, raise
        :class:`~service.domain.errors.Conflict` (optimistic check for amendments).
        *expected_dates* are the act's prefecture dates (envoi, réception, publication) the
        files were stamped after; when the act records others by now, no version is stored
        (its bytes may be: they are written first, and are harmless unreferenced).
        *dates* are the prefecture dates a payload gives, its files stamped with them: they
        replace the act's, and its status follows them
        (:func:`~service.domain.dates_prefecture.regenerated`).

        The rules are the domain's, applied under the act's lock: a retry is
        :func:`~service.domain.regeneration.is_retry`, and
        :func:`~service.domain.regeneration.check_new_version` refuses a payload over an act
        transmitted to the prefecture.

        :raises Conflict: when the act was transmitted and *origine* is ``payload``.
        :raises StaleRead: when the act's dates are no longer *expected_dates*.
        """
        ...

    def read_file(self, identifiant: str, version: int, kind: str) -> bytes:
        """Return the bytes of one file.

        :raises NotFound: when there is no such act, version or file.
        """
        ...

    def record_acknowledgement(
        self,
        identifiant: str,
        *,
        dates: PrefectureDates,
        pdf_tamponne: bytes | None,
        auteur: str,
        version: int | None = None,
        expected_dates: PrefectureDates | None = None,
        extra_files: Mapping[str, bytes] | None = None,
        action: str = "accuse-reception",
    ) -> ActeRecord:
        """Store the prefecture's *dates* and the stamped PDF of the current version, with
        *extra_files* (the published version) kept on it; *action* names it in the audit trail.
        The act's dates and status become those :func:`~service.domain.dates_prefecture.
        acknowledged` gives (a date of *dates* that is ``None`` keeps the one known).

        :raises StaleRead: when *version*, the version whose PDF was stamped, is no longer the
            current one (an amendment landed meanwhile), or the act's dates are no longer
            *expected_dates* (another acknowledgement did); no row is changed.
        """
        ...

    def record_signature(
        self,
        identifiant: str,
        *,
        version: int,
        pdf_signe: bytes,
        pdf_tamponne: bytes | None,
        auteur: str,
        origine: str,
        expected_dates: PrefectureDates | None = None,
    ) -> ActeRecord:
        """Keep *pdf_signe* as the signed PDF of *version* and *pdf_tamponne* (``None``:
        none) as its stamped PDF, replacing earlier ones; *origine* is ``service`` or
        ``externe``.

        :raises StaleRead: when *version* is no longer current, or the act's dates are no
            longer *expected_dates*; nothing is changed.
        """
        ...

    def payload(self, identifiant: str, version: int | None = None
                ) -> DeliberationPayload | None:
        """Return the deliberation a version (the current one by default) was generated from,
        parsed by the current model (``None``: an amendment, or another source).

        :raises NotFound: when there is no such act or version.
        """
        ...

    def allocate_serial(self, siren: str, jour: dt.date) -> int:
        """Return the next serial of *siren*'s ACTES sendings on *jour* (1 for the first),
        unique across every instance and worker.

        :raises Conflict: when the day's 9999 serials are used up.
        """
        ...

    def transmission_envoi(
        self, identifiant: str, *, version: int, plateforme: str, contenu_sha256: str,
        jour: dt.date,
    ) -> tuple[dt.date, int]:
        """Return ``(jour, serial)`` of the transmission of *version*'s archive with content
        *contenu_sha256*: the one recorded for that content, else a new serial of *jour*.

        :raises StaleRead: when *version* is no longer the act's current one.
        :raises Conflict: when the day's 9999 serials are used up.
        """
        ...

    def list_actes(
        self, sirens: Collection[str] | None, query: str = "", limit: int = 50,
        *, identifiants: Collection[str] | None = None,
    ) -> list[ActeResume]:
        """Return up to *limit* acts of the authorities *sirens* (every one's when ``None``),
        the latest decision first; with a *query*, only those whose numéro, identifier or
        object contains it, case and accents aside; with *identifiants*, only those."""
        ...


class JobQueue(Protocol):
    """Where sitting jobs wait for a worker: threads of this process, or Celery workers."""

    def enqueue_seance(self, job_id: str) -> None:
        """Have every act of job *job_id* (already stored) generated by a worker.

        :raises Unavailable: when the queue cannot take the job now (broker unreachable).
        """
        ...


class ListeRenderer(Protocol):
    """Fills the Word template of the list of the deliberations examined in a sitting."""

    def render_liste(self, liste: ListeDeliberations) -> bytes:
        """Return the DOCX of *liste*.

        :raises TemplateError: when the template cannot be used.
        """
        ...


class SeanceStore(Protocol):
    """Where sittings and their jobs are kept, shared by every process and worker."""

    def submit(
        self, *, seance_id: str, siren: str, date: dt.date, payload_json: str,
        identifiants: Sequence[str], auteur: str, remplacements: Mapping[str, int] | None = None,
    ) -> JobRecord:
        """Store the sitting (replacing an earlier one with its identifier) and a new job
        with one waiting act per identifier, at once; return the job. *remplacements*: the
        clerk's amendments the job may replace, ``{identifiant: version}``.

        :raises Conflict: when one of *identifiants* belongs to another sitting.
        """
        ...

    def get_seance(self, seance_id: str, *, sirens: Collection[str] | None = None
                   ) -> SeanceRecord | None:
        """Return the sitting, or ``None`` (also when it belongs to none of *sirens*)."""
        ...

    def get_job(self, job_id: str, *, sirens: Collection[str] | None = None
                ) -> JobRecord | None:
        """Return the job with the state of each of its acts, or ``None`` (also when it
        belongs to none of *sirens*)."""
        ...

    def job_payload(self, job_id: str) -> str:
        """Return the sitting payload (canonical JSON) the job generates.

        :raises NotFound: when there is no such job.
        """
        ...

    def start_act(self, job_id: str, position: int) -> ActeDemarre | None:
        """Record that a worker starts act *position* and return what it needs to generate it
        (the job's author, its replacements, whether the sitting has a newer job); ``None``
        when the act is already dealt with (generated, regenerated, kept or refused).

        :raises NotFound: when there is no such job, or no such act in it.
        """
        ...

    def finish_act(
        self, job_id: str, position: int, *, erreur: tuple[str, str] | None = None,
        issue: str | None = None,
    ) -> Avancement:
        """Record what became of the act (*issue*: ``generee``, ``regeneree``, ``conservee``,
        or ``refusee`` with its *erreur*), or its error ``(code, message)``; the job is
        finished when no act waits any more. Return the job's progress.

        :raises NotFound: when there is no such job, or no such act in it.
        """
        ...

    def stale_jobs(self, older_than: dt.timedelta) -> list[str]:
        """Return the unfinished jobs nobody worked on for *older_than*, claiming them."""
        ...

    def acts_with_numero(
        self, siren: str, numeros: Collection[str]
    ) -> list[tuple[str, str | None]]:
        """Return ``(identifiant, seance_id or None)`` of each act of *siren* whose numéro is
        one of *numeros*."""
        ...

    def list_seances(self, sirens: Collection[str] | None, limit: int = 50) -> list[SeanceResume]:
        """Return up to *limit* sittings of *sirens* (every one's when ``None``), the latest
        first, with their number of acts and the status of their latest job."""
        ...

    def record_seance_date(self, seance_id: str, name: str, date: dt.date) -> SeanceRecord:
        """Record *date* as the sitting's ``pv_arrete_le`` or ``liste_mise_en_ligne``; return
        the sitting.

        :raises NotFound: when there is no such sitting.
        """
        ...


class ProcesVerbalRenderer(Protocol):
    """Fills the Word template of a sitting's procès-verbal, and marks its adoption."""

    def render_proces_verbal(self, pv: ProcesVerbal) -> bytes:
        """Return the DOCX of *pv*.

        :raises TemplateError: when the template cannot be used.
        """
        ...

    def mark_adoption(self, docx: bytes, arrete_le: dt.date) -> bytes:
        """Return *docx* (any version, a secretary's included) saying it was adopted at the
        sitting of *arrete_le*.

        :raises DocumentRejected: when *docx* cannot be read.
        """
        ...


class DocumentOcculteur(Protocol):
    """Removes personal data from the text of a DOCX (a clerk's version, not re-rendered)."""

    def occulter(self, docx: bytes, donnees: Sequence[str], ajout: str = "") -> bytes:
        """Return *docx* with each of *donnees* replaced in its text, and *ajout* (a line such
        as the date put online) added at the end when given.

        :raises DocumentRejected: when *docx* cannot be read, or some datum would remain (split
            across paragraphs).
        """
        ...


class TokenStore(Protocol):
    """The access tokens and the clerk's sessions opened with them (only digests are kept)."""

    def find(self, token: str) -> Principal | None:
        """Return who holds the active token *token*, or ``None``."""
        ...

    def any_configured(self) -> bool:
        """Return ``True`` once any token was ever created (revoked ones count): from then on
        every route needs one."""
        ...

    def open_session(self, token: str) -> str | None:
        """Open a session of the clerk's pages for *token*; return its id (``None``: the token
        is not active)."""
        ...

    def find_session(self, session_id: str) -> Principal | None:
        """Return who signed in to the open session *session_id*, or ``None``."""
        ...

    def end_session(self, session_id: str) -> None:
        """End the session *session_id* on the server."""
        ...
