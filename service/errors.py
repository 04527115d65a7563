"""The error hierarchy under its former import path, for the tests and any outside code.

It lives in ``service/domain/errors.py`` (the domain raises it and imports nothing outside
itself), and every module of the service imports it from there; this module only re-exports
it, so that the import contract sees no cycle.
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
