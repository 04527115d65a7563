"""The one error hierarchy of the service, in the domain so that the domain raises it without
importing anything outside (``service/errors.py`` re-exports it for the other layers).

Every failure a caller can meet is a :class:`ServiceError` with a stable ``code`` and a French
``message``. The edges translate it once: HTTP into ``application/problem+json`` (see
``service/entrypoints/http/problems.py``), the CLI into an exit code and a message on stderr.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from service.domain.violations import Violation


class ServiceError(Exception):
    """Base of every error the service reports to its callers."""

    code = "erreur-service"
    title = "Erreur du service"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class InvalidPayload(ServiceError):
    """The payload breaks the contract or the law: carries every violation at once."""

    code = "donnees-invalides"
    title = "Données invalides"

    def __init__(self, violations: Iterable[Violation], message: str | None = None) -> None:
        self.violations: Sequence[Violation] = tuple(violations)
        n = len(self.violations)
        super().__init__(message or f"{n} règle(s) non respectée(s) ; voir « violations ».")


class BadRequest(ServiceError):
    """The request itself is unusable (not JSON, wrong media type, empty body…)."""

    code = "requete-invalide"
    title = "Requête invalide"


class UnsupportedMediaType(BadRequest):
    code = "type-de-media-non-pris-en-charge"
    title = "Type de média non pris en charge"


class PayloadTooLarge(BadRequest):
    code = "contenu-trop-volumineux"
    title = "Contenu trop volumineux"


class NotAcceptable(BadRequest):
    code = "format-non-disponible"
    title = "Format de réponse non disponible"


class NotFound(ServiceError):
    code = "introuvable"
    title = "Ressource introuvable"


class Conflict(ServiceError):
    code = "conflit"
    title = "Conflit"


class Refused(Conflict):
    """A payload would replace what must not be replaced implicitly (a clerk's amendment, an
    act transmitted to the prefecture): nothing is changed. A sitting refused as a whole
    carries one violation per refused act (``deliberations[i]``)."""

    code = "version-modifiee"
    title = "Remplacement refusé"

    def __init__(self, message: str, *, code: str | None = None,
                 violations: Iterable[Violation] = ()) -> None:
        super().__init__(message, code=code)
        self.violations: Sequence[Violation] = tuple(violations)


class StaleRead(Conflict):
    """The act changed between the moment a use case read it and the moment it wrote: an
    acknowledgement landed while an amendment was converted, or the reverse. The use case
    reads the act again and retries; this reaches the caller only if it keeps happening."""

    code = "acte-modifie-entre-temps"
    title = "Acte modifié entre-temps"


class MissingSetting(InvalidPayload):
    """An ACTES setting is neither in the configuration nor in the payload."""

    code = "parametre-manquant"
    title = "Paramètre de télétransmission manquant"


class TemplateError(ServiceError):
    """A template cannot be found or rendered (an authority's override is broken…)."""

    code = "modele-invalide"
    title = "Modèle de document invalide"


class DocumentRejected(BadRequest):
    """An uploaded document or XML message is refused before anything is stored."""

    code = "document-refuse"
    title = "Document refusé"


class ConversionError(ServiceError):
    """LibreOffice could not turn the document into PDF."""

    code = "conversion-echouee"
    title = "Échec de la conversion PDF"


class ConversionTimeout(ConversionError):
    code = "conversion-trop-longue"
    title = "Conversion PDF trop longue"


class Unavailable(ServiceError):
    """The service cannot take the work now; ``retry_after`` seconds is a sensible wait."""

    code = "service-indisponible"
    title = "Service momentanément indisponible"

    def __init__(self, message: str, *, retry_after: int = 5, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class StampError(ServiceError):
    code = "tampon-echoue"
    title = "Échec de l'apposition de la mention préfectorale"


class SigningNotConfigured(Conflict):
    """No signing key is configured for the act's authority."""

    code = "signature-non-configuree"
    title = "Aucune clé de signature configurée"


class SignatureError(ServiceError):
    """A configured key cannot sign (file, passphrase, token, PIN) or the signature fails.

    Its message names the setting at fault, never a secret."""

    code = "signature-echouee"
    title = "Échec de la signature"


class Unauthorized(ServiceError):
    """No valid bearer token where one is required."""

    code = "authentification-requise"
    title = "Authentification requise"


class Forbidden(ServiceError):
    """The token is valid but not for this authority."""

    code = "acces-refuse"
    title = "Accès refusé"


class PdfTooLarge(ServiceError):
    """The PDF made of an act exceeds the size the service keeps and transmits (the ACTES
    platforms refuse far smaller files anyway): waiting will not help, unlike Unavailable."""

    code = "pdf-trop-volumineux"
    title = "PDF trop volumineux"


class TooManyPages(ServiceError):
    """The act lays out on more pages than an act may have (``ACTES_MAX_PAGES``)."""

    code = "acte-trop-long"
    title = "Acte trop long"


class InvalidSettings(ServiceError):
    """A setting (``ACTES_*`` or the authorities file) is unusable: found when the service, the
    CLI or a worker starts, never on first use. Its message names the variable at fault."""

    code = "configuration-invalide"
    title = "Configuration invalide"
