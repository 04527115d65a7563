"""Fakes of the document ports: renderer, converter, stamper, inspector, signer, verifier.

The bytes they make are readable on purpose: a test asserts what the act says, so the fake
DOCX carries the identifier and the object, the fake PDF the DOCX it was made from, the stamp
the mention's lines as :func:`~service.domain.mention.lignes_mention` words them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from service.domain.actes.identifier import ActesIdentifier
from service.domain.liste import ListeDeliberations
from service.domain.mention import MentionPrefecture, lignes_mention
from service.domain.payload import DeliberationPayload
from service.domain.proces_verbal import ProcesVerbal
from service.domain.signatures import Signataire, SignatureReport
from service.errors import (
    DocumentRejected,
    ServiceError,
    SigningNotConfigured,
    StampError,
)

PDF_HEADER = b"%PDF-1.7\n"


class FakeRenderer:
    """The :class:`DocumentRenderer` port: a "DOCX" naming the act and its object."""

    def __init__(self, *, fail: ServiceError | None = None) -> None:
        self.rendered: list[str] = []
        """The identifiers rendered, in order."""
        self.fail = fail

    def render_deliberation(self, payload: DeliberationPayload, identifier: ActesIdentifier
                            ) -> bytes:
        self.rendered.append(str(identifier))
        if self.fail is not None:
            raise self.fail
        return f"DOCX {identifier} : {payload.deliberation.objet}".encode()


class FakeListeRenderer:
    """The :class:`ListeRenderer` port: a "DOCX" listing the numéros of the sitting."""

    def render_liste(self, liste: ListeDeliberations) -> bytes:
        return ("DOCX liste " + " ".join(ligne.numero for ligne in liste.lignes)).encode()


class FakeProcesVerbalRenderer:
    """The :class:`ProcesVerbalRenderer` port: a "DOCX" listing the sitting's numéros."""

    def render_proces_verbal(self, pv: ProcesVerbal) -> bytes:
        numeros = " ".join(p.deliberation.numero for p in pv.deliberations)
        return f"DOCX PV-{pv.seance_id} : {numeros}".encode()

    def mark_adoption(self, docx: bytes, arrete_le: dt.date) -> bytes:
        if not docx.startswith(b"DOCX"):
            raise DocumentRejected("Le document n'est pas un DOCX.", code="docx-invalide")
        return docx + f" | arrêté le {arrete_le:%d/%m/%Y}".encode()


class FakeOcculteur:
    """The :class:`DocumentOcculteur` port on the fake "DOCX" text."""

    def occulter(self, docx: bytes, donnees: Sequence[str], ajout: str = "") -> bytes:
        text = docx.decode()
        for donnee in donnees:
            text = text.replace(donnee, "[…]")
        return (text + (f" | {ajout}" if ajout else "")).encode()


class FakeConverter:
    """The :class:`PdfConverter` port: a "PDF" holding the DOCX it converts.

    *fail* is raised by the next conversions (a :class:`ConversionError`, an
    :class:`Unavailable`), *fail_times* times (every time when ``None``).
    """

    def __init__(self, *, fail: ServiceError | None = None, fail_times: int | None = None
                 ) -> None:
        self.converted: list[bytes] = []
        self.tenants: list[str] = []
        """The authority of each conversion, in order."""
        self.fail, self.fail_times = fail, fail_times
        self.ready = True
        """What :meth:`is_ready` answers (a test sets it to see the service not ready)."""
        self._lock = threading.Lock()

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        with self._lock:
            if self.fail is not None and (self.fail_times is None or self.fail_times > 0):
                if self.fail_times is not None:
                    self.fail_times -= 1
                raise self.fail
            self.converted.append(docx)
            self.tenants.append(tenant)
        return PDF_HEADER + docx

    def to_pdf_many(self, docxs: Sequence[bytes], *, labels: Sequence[str] = ()) -> list[bytes]:
        return [self.to_pdf(d) for d in docxs]

    def is_ready(self) -> bool:
        return self.ready

    def metrics(self) -> bytes:
        return f"fake_conversions_total {len(self.converted)}\n".encode()


class FakeStamper:
    """The :class:`PdfStamper` port: appends the mention's lines to the PDF, as an incremental
    update does (the input is a prefix of the result)."""

    def __init__(self, *, style: str = "accuse-reception") -> None:
        self.style = style
        self.stamps: list[MentionPrefecture] = []

    def prepare(self, mention: MentionPrefecture) -> object:
        if not mention.is_known:
            raise StampError("Aucune date à apposer.")
        return lignes_mention(mention, self.style)  # type: ignore[arg-type]

    def stamp(self, pdf: bytes, mention: MentionPrefecture, prepared: object = None) -> bytes:
        lines = prepared if prepared is not None else self.prepare(mention)
        self.stamps.append(mention)
        return pdf + _TAMPON + " | ".join(lines).encode()  # type: ignore[arg-type]

    def identifiant_of(self, pdf: bytes) -> str | None:
        """The identifier the fake "DOCX" inside the fake PDF names, as the real one reads the
        PDF's subject."""
        head = pdf.removeprefix(PDF_HEADER)
        if not head.startswith(b"DOCX "):
            return None
        return head[5:].split(b" ", 1)[0].decode()

    def unstamped(self, pdf: bytes) -> bytes:
        """*pdf* before its stamp: what precedes the first one (signatures after it are lost,
        as the real stamper's incremental update is undone with them)."""
        return pdf.split(_TAMPON, 1)[0]


_TAMPON = b"\n[tampon] "


class FakeInspector:
    """The :class:`UploadInspector` port: refuses what is not a "DOCX" or holds a macro."""

    def __init__(self) -> None:
        self.inspected = 0

    def inspect_docx(self, data: bytes) -> None:
        self.inspected += 1
        if not data.startswith(b"DOCX"):
            raise DocumentRejected("Le document n'est pas un DOCX.", code="docx-invalide")
        if b"vbaProject" in data:
            raise DocumentRejected("Le document contient des macros.", code="docx-macro")


class FakeSigner:
    """The :class:`ActeSigner` port: appends one signature line per signatory with a key."""

    def __init__(self, keys: dict[str, set[str]] | None = None) -> None:
        self.keys = keys or {}
        """The names each SIREN has a key for."""

    def sign(self, pdf: bytes, siren: str, signataires: Sequence[Signataire]) -> bytes:
        names = [s.nom for s in signataires if s.nom in self.keys.get(siren, set())]
        if not names:
            raise SigningNotConfigured(f"Aucune clé de signature pour {siren}.")
        return pdf + b"".join(f"\n[signature] {n}".encode() for n in names)


class FakeVerifier:
    """The :class:`SignatureVerifier` port for the fake signer's lines."""

    def verify(self, pdf: bytes) -> list[SignatureReport]:
        if not pdf.startswith(b"%PDF-"):
            raise DocumentRejected("Le fichier n'est pas un PDF.")
        return []

    def check_signed_copy(self, pdf: bytes, base_length: int) -> list[str]:
        added = pdf[base_length:]
        if not added.startswith(b"\n[signature] "):
            return ["la révision ajoutée n'est pas une signature"]
        return []

