"""Bounds on what a conversion may produce: the PDF's size and its number of pages.

Checked where the PDF is made (the pool, the pool server, one cold ``soffice``), so that an act
too large to keep or transmit is refused with a code of its own — never a « retry later » that
cannot succeed (the pool server's socket carries 64 MiB at most: ``protocol.MAX_BODY``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader

from service.domain.errors import PdfTooLarge, TooManyPages

MIB = 1024 * 1024


@dataclass(frozen=True)
class PdfLimits:
    """The largest PDF an act may be, in bytes and in pages."""

    max_bytes: int = 48 * MIB
    max_pages: int = 1000

    def check(self, pdf: bytes, label: str = "le document", *, pages: int | None = None) -> None:
        """Do nothing when *pdf* is within the limits. *pages* is its number of pages when
        known (LibreOffice counts them as it lays the document out); otherwise it is read in
        the PDF.

        :raises PdfTooLarge: when it is larger than ``max_bytes``.
        :raises TooManyPages: when it has more than ``max_pages`` pages.
        """
        if len(pdf) > self.max_bytes:
            raise PdfTooLarge(
                f"Le PDF de {label} ferait {len(pdf) / MIB:.1f} Mio, au-delà de la limite de "
                f"{self.max_bytes / MIB:.0f} Mio : réduisez le document ou ses images.")
        if pages is None:
            # Only the page tree is read: pypdf does not parse the pages' content for len().
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if pages > self.max_pages:
            raise TooManyPages(
                f"{label[:1].upper()}{label[1:]} compterait {pages} pages, au-delà de la limite "
                f"de {self.max_pages} pages par acte (ACTES_MAX_PAGES).")
