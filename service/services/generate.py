"""Use case: generate the extract of one deliberation (DOCX, PDF/A, stamped PDF) and keep it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from service.domain.actes.identifier import ActesIdentifier, identifier_for

# Re-exported: the sitting's job and the tests store and compare payloads as it writes them.
from service.domain.canonical import canonical_json as canonical_json
from service.domain.errors import Refused
from service.domain.mention import MentionPrefecture
from service.domain.payload import DeliberationPayload
from service.domain.records import ActeRecord, PrefectureDates
from service.domain.regeneration import OPTION, Decision, Issue, Stored, decide
from service.services.conversion import convert_and_stamp
from service.services.ports import ActeRepository, DocumentRenderer, PdfConverter, PdfStamper
from service.services.queries import latest_payload


@dataclass(frozen=True)
class Documents:
    """The files of one act, before they are stored."""

    identifier: ActesIdentifier
    docx: bytes
    pdf: bytes
    pdf_tamponne: bytes | None

    def files(self) -> dict[str, bytes]:
        """Return the files by kind, as the repository stores them."""
        out = {"docx": self.docx, "pdf": self.pdf}
        if self.pdf_tamponne is not None:
            out["pdf_tamponne"] = self.pdf_tamponne
        return out


def identifier_of(payload: DeliberationPayload) -> ActesIdentifier:
    """Return the ACTES identifier of a validated payload."""
    c, d = payload.collectivite, payload.deliberation
    return identifier_for(c.departement, c.siren, payload.seance.date, d.numero, d.nature)


def mention_of(payload: DeliberationPayload, identifier: ActesIdentifier) -> MentionPrefecture:
    """Return the prefecture mention the payload's ``transmission`` dates call for."""
    return MentionPrefecture(str(identifier), *prefecture_dates(payload))


def prefecture_dates(payload: DeliberationPayload) -> PrefectureDates:
    """Return the ``transmission`` dates of *payload* (``None`` for each one it lacks)."""
    t = payload.transmission
    return PrefectureDates() if t is None else t.dates


def produce_documents(
    payload: DeliberationPayload,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    stamper: PdfStamper,
) -> Documents:
    """Return the DOCX, the PDF/A and, when prefecture dates are known, the stamped PDF."""
    identifier = identifier_of(payload)
    docx = renderer.render_deliberation(payload, identifier)
    pdf, stamped = convert_and_stamp(
        docx, mention_of(payload, identifier), converter=converter, stamper=stamper,
        label=str(identifier), tenant=payload.collectivite.siren,
    )
    return Documents(identifier, docx, pdf, stamped)


def stored_state(repository: ActeRepository, record: ActeRecord) -> Stored:
    """Return what :func:`decide` needs of a stored act."""
    generated = latest_payload(repository, record)
    return Stored(
        identifiant=record.identifiant, version=record.version, origine=record.current.origine,
        statut=record.statut,
        generated=None if generated is None else generated.model_dump(mode="json"),
    )


def decision_for(
    repository: ActeRepository, payload: DeliberationPayload,
    remplacer: Mapping[str, int] | None = None,
) -> tuple[ActeRecord | None, Decision]:
    """Return the stored act of *payload* (``None``: none yet) and what *payload* does to it;
    *remplacer* maps an identifier to the amended version its caller replaces on purpose."""
    identifiant = str(identifier_of(payload))
    existing = repository.get(identifiant)
    wanted = (remplacer or {}).get(identifiant)
    if existing is None:
        # Nothing stored to compare the payload with: not dumped for nothing (it is once more,
        # as canonical JSON, when the act is stored).
        return None, decide(None, {}, wanted)
    return existing, decide(stored_state(repository, existing),
                            payload.model_dump(mode="json"), wanted)


def apply_payload(
    payload: DeliberationPayload,
    *,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    stamper: PdfStamper,
    repository: ActeRepository,
    auteur: str,
    remplacer: Mapping[str, int] | None = None,
    on_stored: Callable[[Issue], None] | None = None,
) -> tuple[ActeRecord, Issue]:
    """Generate, regenerate or keep the act of *payload* as :func:`decide` says; return the
    record and what was done (``generee``, ``regeneree``, ``conservee``).

    Nothing is rendered for a kept act (an upstream retry, or the payload of an act a clerk
    amended since). When a version is written, *on_stored* is called with what was done in
    the transaction that writes it (see :meth:`ActeRepository.add_version`); it is not called
    for an act kept without rendering.

    :raises Refused: when the payload would replace a clerk's amendment without the caller
        naming it in *remplacer*, or an act already transmitted; nothing is changed.
    """
    existing, decision = decision_for(repository, payload, remplacer)
    if decision.issue == "refusee":
        raise Refused(decision.message or "", code=decision.code)
    if existing is not None and decision.issue == "conservee":
        return existing, "conservee"
    docs = produce_documents(payload, renderer, converter, stamper)
    motif = None
    if decision.remplace is not None:
        motif = (f"remplace la version {decision.remplace}, modifiée par le greffe, à la "
                 f"demande de {auteur} (option {OPTION})")
    record, created = repository.add_version(
        identifiant=str(docs.identifier),
        siren=payload.collectivite.siren,
        files=docs.files(),
        auteur=auteur,
        origine="payload",
        payload=payload,
        # Checked again under the act's lock: an amendment landing during the rendering is
        # not replaced by this version.
        expected_version=None if existing is None else existing.version,
        # The record says what the files say: the dates the PDF is stamped with, and the
        # status they mean.
        dates=prefecture_dates(payload),
        remplace=decision.remplace,
        motif=motif,
        on_stored=None if on_stored is None else (
            lambda created: on_stored(decision.issue if created else "conservee")),
    )
    return record, decision.issue if created else "conservee"


def generate_acte(
    payload: DeliberationPayload,
    *,
    renderer: DocumentRenderer,
    converter: PdfConverter,
    stamper: PdfStamper,
    repository: ActeRepository,
    auteur: str,
    remplacer: Mapping[str, int] | None = None,
) -> tuple[ActeRecord, bool]:
    """Generate and store the act of *payload*; return ``(record, created)``.

    A retry of the same payload returns the stored act untouched (``created`` is ``False``)
    without rendering anything again; see :func:`apply_payload` for the other rules.

    :raises Refused: over a clerk's amendment not named in *remplacer*, or a transmitted act.
    """
    record, issue = apply_payload(payload, renderer=renderer, converter=converter,
                                  stamper=stamper, repository=repository, auteur=auteur,
                                  remplacer=remplacer)
    return record, issue != "conservee"
