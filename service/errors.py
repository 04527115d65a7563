"""The error hierarchy, re-exported where the layers above the domain have always imported it.

It lives in ``service/domain/errors.py`` (the domain raises it and imports nothing outside
itself); this module only re-exports it, so that the edges, adapters and use cases keep one
import path and the import contract sees no cycle.
"""

from service.domain.errors import (
    BadRequest,
    Conflict,
    ConversionError,
    ConversionTimeout,
    DocumentRejected,
    Forbidden,
    InvalidPayload,
    InvalidSettings,
    MissingSetting,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    PdfTooLarge,
    Refused,
    ServiceError,
    SignatureError,
    SigningNotConfigured,
    StaleRead,
    StampError,
    TemplateError,
    TooManyPages,
    Unauthorized,
    Unavailable,
    UnsupportedMediaType,
)

__all__ = [
    "BadRequest",
    "Conflict",
    "ConversionError",
    "ConversionTimeout",
    "DocumentRejected",
    "Forbidden",
    "InvalidPayload",
    "InvalidSettings",
    "MissingSetting",
    "NotAcceptable",
    "NotFound",
    "PayloadTooLarge",
    "PdfTooLarge",
    "Refused",
    "ServiceError",
    "SignatureError",
    "SigningNotConfigured",
    "StaleRead",
    "StampError",
    "TemplateError",
    "TooManyPages",
    "Unauthorized",
    "Unavailable",
    "UnsupportedMediaType",
]
