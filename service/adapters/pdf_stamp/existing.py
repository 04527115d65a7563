"""What a PDF already says of its act: the identifier it was generated for, and its stamps.

``actes stamp`` works on files a clerk hands it, perhaps stamped already; an act is stamped
once. The service's PDFs carry their ACTES identifier as the document's subject (the DOCX's
core property, copied by LibreOffice), and each stamp is an appended incremental update whose
annotations are named ``actes-tampon-…`` (:mod:`.stamper`). Removing a stamp is therefore
taking the file back to the revision before it; no library offers that for a revision chosen by
its content, hence this small module.
"""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from service.adapters.pdf_stamp.stamper import ANNOTATION_NAME_PREFIX
from service.domain.actes.identifier import ActesIdentifier
from service.domain.errors import StampError

_EOF = re.compile(rb"%%EOF[ \t]*(\r\n|\r|\n)?")
_PAGES_SEARCHED = 64
"""Stamps sit on the first page, or on every page: enough pages to find one."""


def identifiant_of(pdf: bytes) -> str | None:
    """Return the ACTES identifier the PDF says it is the act of (its subject), or ``None``."""
    try:
        info = PdfReader(BytesIO(pdf), strict=False).metadata
        subject = None if info is None else info.subject
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None
    if not subject:
        return None
    try:
        return str(ActesIdentifier.parse(str(subject).strip()))
    except ValueError:
        return None


def has_stamp(pdf: bytes) -> bool:
    """Return ``True`` when a page of *pdf* carries one of the service's stamp annotations.

    :raises StampError: when *pdf* cannot be read.
    """
    try:
        reader = PdfReader(BytesIO(pdf), strict=False)
        for page in reader.pages[:_PAGES_SEARCHED]:
            for ref in page.get("/Annots") or ():
                name = ref.get_object().get("/NM")
                if name is not None and str(name).startswith(ANNOTATION_NAME_PREFIX):
                    return True
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise StampError("Le PDF est illisible : ses mentions ne peuvent pas être lues.") from exc
    return False


def without_stamp(pdf: bytes) -> bytes:
    """Return *pdf* as it was before the service's first stamp: the longest revision (a
    prefix ending at an ``%%EOF``) that carries none; *pdf* itself when it has none.

    :raises StampError: when a stamp is found but no earlier revision is free of it.
    """
    if not has_stamp(pdf):
        return pdf
    ends = [m.end() for m in _EOF.finditer(pdf)]
    for end in reversed(ends[:-1]):
        prefix = pdf[:end]
        try:
            if not has_stamp(prefix):
                return prefix
        except StampError:
            continue  # an "%%EOF" inside a stream, not the end of a revision
    raise StampError(
        "Le PDF porte une mention préfectorale qui n'a pas été ajoutée en fin de fichier : "
        "elle ne peut pas être remplacée. Tamponnez le PDF d'origine."
    )
