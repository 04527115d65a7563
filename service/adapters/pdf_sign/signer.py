"""The :class:`~service.services.ports.ActeSigner` port: PAdES signatures made with pyHanko.

Each signatory signs in turn, président first, with an approval signature of his own: a
visible field in his block of the act (:mod:`.placement`) showing his qualité, name and the
date (:mod:`.appearance`), written as an incremental update, so that every earlier signature
stays valid. PAdES baseline B-B; B-T when the authority names a timestamp authority.

The keys come from the authority's ``signature`` settings (:mod:`.keys`). A key signs for a
signatory only if its certificate is in his name: the président's key is refused when another
member presides, and each secretary of the sitting gets the configured key whose certificate
bears his name (the secretary changes from one sitting to the next).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

import pkcs11
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError

from service.adapters.pdf_sign import appearance, placement
from service.adapters.pdf_sign.keys import KeySpec, SigningSettings, open_signer
from service.domain.errors import Conflict, SignatureError, SigningNotConfigured
from service.domain.signatures import Signataire

log = logging.getLogger(__name__)

REASON = "Signature de la délibération (CGCT L2121-23)"
TSA_TIMEOUT = 20


class PadesSigner:
    """Sign acts with the keys *authorities* configure, per SIREN."""

    def __init__(
        self,
        authorities: Mapping[str, Mapping[str, Any]] | Callable[[], Mapping[str, Any]],
        *,
        font_file: Path | None = None,
        environ: Mapping[str, str] = os.environ,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._authorities = authorities
        self.font_file = font_file
        self.environ = environ
        self.clock = clock

    def settings_for(self, siren: str) -> SigningSettings | None:
        """Return the signing settings of *siren*, ``None`` when it has none.

        :raises SignatureError: when its ``signature`` entry is malformed.
        """
        authorities = self._authorities() if callable(self._authorities) else self._authorities
        config = (authorities.get(siren) or {}).get("signature")
        if not config:
            return None
        try:
            return SigningSettings.from_config(config)
        except ValueError as exc:
            raise SignatureError(
                f"Réglages de signature de la collectivité {siren} invalides : {exc}."
            ) from exc

    def sign(self, pdf: bytes, siren: str, signataires: Sequence[Signataire]) -> bytes:
        """Return *pdf* signed by each of *signataires* that has a key, président first.

        :raises SigningNotConfigured: when *siren* has no key, or none for these signatories.
        :raises Conflict: when the président's key is in another person's name.
        :raises SignatureError: when a key cannot sign (file, passphrase, token, PIN, TSA).
        """
        settings = self.settings_for(siren)
        if settings is None or (settings.president is None and not settings.secretaires):
            raise SigningNotConfigured(
                f"Aucune clé de signature n'est configurée pour la collectivité {siren} "
                "(« signature » dans ACTES_AUTHORITIES_FILE)."
            )
        places = placement.locate(pdf, [s.nom for s in signataires])
        secretary_keys = list(settings.secretaires)
        signed = 0
        for index, (signataire, place) in enumerate(zip(signataires, places, strict=True)):
            if signataire.role == "president":
                if settings.president is None:
                    continue
                keys = [settings.president]
            else:
                keys = secretary_keys
            pdf, used = self._sign_one(pdf, signataire, keys, place, settings.horodatage,
                                       field=f"Signature{index + 1}-{signataire.role}")
            if used is not None:
                signed += 1
                if signataire.role == "secretaire":
                    secretary_keys.remove(used)
        if not signed:
            raise SigningNotConfigured(
                "Aucune des clés configurées n'est au nom du président ou d'un secrétaire de "
                f"cette séance ({', '.join(s.nom for s in signataires)})."
            )
        return pdf

    def _sign_one(
        self, pdf: bytes, signataire: Signataire, keys: Sequence[KeySpec],
        place: placement.Placement | None, tsa_url: str | None, *, field: str,
    ) -> tuple[bytes, KeySpec | None]:
        """Sign *pdf* for *signataire* with the one of *keys* in his name; return the PDF and
        the key used (``None``, PDF unchanged, when no key is his)."""
        for spec in keys:
            with open_signer(spec, self.environ) as signer:
                holder = _common_name(signer, spec)
                if not same_person(holder, signataire.nom):
                    if signataire.role == "president":
                        raise Conflict(
                            f"La clé du président ({spec.describe()}) est au nom de {holder}, "
                            f"mais la séance est présidée par {signataire.nom} : signature "
                            "refusée.",
                            code="signataire-different",
                        )
                    continue
                return self._write(pdf, signer, signataire, place, tsa_url, field, spec), spec
        log.info("no key in the name of %s (%s)", signataire.nom, signataire.role)
        return pdf, None

    def _write(self, pdf: bytes, signer: signers.Signer, signataire: Signataire,
               place: placement.Placement | None, tsa_url: str | None, field: str,
               spec: KeySpec) -> bytes:
        meta = signers.PdfSignatureMetadata(
            field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
            name=signataire.nom, reason=REASON,
        )
        timestamper = None
        if tsa_url:
            from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

            timestamper = HTTPTimeStamper(tsa_url, timeout=TSA_TIMEOUT)
        out = BytesIO()
        try:
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
            if place is None:
                spec_field = fields.SigFieldSpec(field)
                style_file = None
            else:
                x0, y0, x1, y1 = place.box
                drawn = appearance.draw(
                    appearance.SignatureAppearance(signataire.qualite, signataire.nom,
                                                   self.clock()),
                    x1 - x0, y1 - y0, self.font_file)
                # pyhanko writes the box as the field's /Rect, any number; its annotation
                # says int, the placement is in fractional points.
                spec_field = fields.SigFieldSpec(field, on_page=place.page,
                                                 box=(x0, y0, x1, y1))  # type: ignore[arg-type]
                style_file = appearance.StampStyleFile(drawn)
            try:
                signers.PdfSigner(
                    meta, signer, timestamper=timestamper,
                    stamp_style=style_file.style if style_file else None,
                    new_field_spec=spec_field,
                ).sign_pdf(writer, output=out)
            finally:
                if style_file is not None:
                    style_file.__exit__()
        except pkcs11.PKCS11Error as exc:
            # python-pkcs11's errors come from the token's answers (key missing, session
            # lost); only their class is shown, and the PIN never is.
            raise SignatureError(
                f"La signature de {signataire.nom} ({spec.describe()}) a échoué : le jeton a "
                f"répondu {type(exc).__name__}."
            ) from None
        except (SigningError, misc.PdfError, OSError, ValueError) as exc:
            log.warning("signing for %s with %s failed: %s", signataire.role, spec.describe(),
                        type(exc).__name__)
            reason = "autorité d'horodatage injoignable ou en erreur" if _is_tsa(exc) else (
                "le PDF ou la clé n'a pas permis de signer")
            raise SignatureError(
                f"La signature de {signataire.nom} ({spec.describe()}) a échoué : {reason}."
            ) from None
        return out.getvalue()


def _is_tsa(exc: BaseException) -> bool:
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    return isinstance(exc, TimestampRequestError) or isinstance(
        exc.__cause__ or exc.__context__, TimestampRequestError)


def _common_name(signer: signers.Signer, spec: KeySpec) -> str:
    try:
        cert = signer.signing_cert
    except (pkcs11.PKCS11Error, SigningError) as exc:
        raise SignatureError(
            f"Le certificat de la {spec.describe()} est introuvable ({type(exc).__name__})."
        ) from None
    if cert is None:
        raise SignatureError(f"La {spec.describe()} n'a pas de certificat.")
    return str(cert.subject.native.get("common_name", ""))


def same_person(common_name: str, nom: str) -> bool:
    """Whether a certificate's common name and a printed name name the same person: the same
    words, in any order, case and accents aside (« REBSAMEN François » is « François
    REBSAMEN »)."""
    return _words(common_name) == _words(nom) != frozenset()


def _words(text: str) -> frozenset[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return frozenset(plain.replace("-", " ").split())
