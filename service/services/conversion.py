"""Convert a DOCX to PDF and stamp it, drawing the stamp while LibreOffice converts.

A conversion keeps the calling thread waiting on LibreOffice for tens of milliseconds; the
stamp's box needs only the mention, not the PDF, so it is drawn meanwhile on a helper thread.
That takes it off the time an upstream system waits for its act (issue 4: the service should
answer at LibreOffice's own speed).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from service.domain.mention import MentionPrefecture
from service.services.ports import PdfConverter, PdfStamper

HAND_OVER_SECONDS = 0.002
"""How long the drawing waits for the caller to hand its document to the converter.

Drawing is Python and holds the GIL; a caller that wants it back to send its document waits up
to the interpreter's switch interval (5 ms) each time. Sending takes well under 2 ms, a
conversion tens of milliseconds: started 2 ms late, the drawing is still over long before the
PDF comes back (measured through the pool server: 85.4 ms without the wait, 83.0 with it,
78.5 for the conversion alone).
"""


def convert_and_stamp(
    docx: bytes,
    mention: MentionPrefecture,
    *,
    converter: PdfConverter,
    stamper: PdfStamper,
    label: str,
    tenant: str = "",
) -> tuple[bytes, bytes | None]:
    """Return the PDF of *docx* and, when *mention* has a date, that PDF stamped with it.

    :raises ConversionError, Unavailable: as :meth:`PdfConverter.to_pdf` does.
    :raises StampError: when the PDF cannot be stamped.
    """
    if not mention.is_known:
        return converter.to_pdf(docx, label=label, tenant=tenant), None
    # The conversion stays on the calling thread (the converter's timeouts and logs expect it);
    # the box is drawn on the helper. A drawing that fails is reported once the conversion is
    # over, so that no LibreOffice work is left running behind the caller's back.
    def draw() -> object:
        time.sleep(HAND_OVER_SECONDS)
        return stamper.prepare(mention)

    with ThreadPoolExecutor(1, thread_name_prefix="tampon") as helper:
        drawing = helper.submit(draw)
        pdf = converter.to_pdf(docx, label=label, tenant=tenant)
        prepared = drawing.result()
    return pdf, stamper.stamp(pdf, mention, prepared)
