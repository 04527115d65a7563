"""Convert a DOCX to PDF and stamp it, drawing the stamp while LibreOffice converts.

A conversion keeps the calling thread waiting on LibreOffice for tens of milliseconds; the
stamp's box needs only the mention, not the PDF, so it is drawn meanwhile on a helper thread.
That takes it off the time an upstream system waits for its act (issue 4: the service should
answer at LibreOffice's own speed).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from service.domain.mention import MentionPrefecture
from service.services.ports import PdfConverter, PdfStamper


def convert_and_stamp(
    docx: bytes,
    mention: MentionPrefecture,
    *,
    converter: PdfConverter,
    stamper: PdfStamper,
    label: str,
) -> tuple[bytes, bytes | None]:
    """Return the PDF of *docx* and, when *mention* has a date, that PDF stamped with it.

    :raises ConversionError, Unavailable: as :meth:`PdfConverter.to_pdf` does.
    :raises StampError: when the PDF cannot be stamped.
    """
    if not mention.is_known:
        return converter.to_pdf(docx, label=label), None
    # The conversion stays on the calling thread (the converter's timeouts and logs expect it);
    # the box is drawn on the helper. A drawing that fails is reported once the conversion is
    # over, so that no LibreOffice work is left running behind the caller's back.
    with ThreadPoolExecutor(1, thread_name_prefix="tampon") as helper:
        drawing = helper.submit(stamper.prepare, mention)
        pdf = converter.to_pdf(docx, label=label)
        prepared = drawing.result()
    return pdf, stamper.stamp(pdf, mention, prepared)
