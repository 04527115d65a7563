"""An act's PDF beyond the size or page limit is refused with a code of its own, also across
the pool server's socket (issue 13): never a « retry later » that cannot succeed."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from service.adapters.libreoffice import protocol
from service.adapters.libreoffice.limits import PdfLimits
from service.entrypoints.catalogue import status_of
from service.errors import PdfTooLarge, TooManyPages


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_within_the_limits_passes() -> None:
    PdfLimits(max_bytes=1 << 20, max_pages=3).check(blank_pdf(3))


def test_too_many_pages_is_a_422_acte_trop_long() -> None:
    with pytest.raises(TooManyPages) as caught:
        PdfLimits(max_pages=3).check(blank_pdf(4), "l'acte 13")
    assert caught.value.code == "acte-trop-long" and status_of(caught.value) == 422
    assert "4 pages" in caught.value.message and "3 pages" in caught.value.message


def test_too_large_is_a_413_pdf_trop_volumineux() -> None:
    pdf = blank_pdf(1)
    with pytest.raises(PdfTooLarge) as caught:
        PdfLimits(max_bytes=len(pdf) - 1).check(pdf)
    assert caught.value.code == "pdf-trop-volumineux" and status_of(caught.value) == 413


@pytest.mark.parametrize("exc", [PdfTooLarge("trop gros"), TooManyPages("trop long")])
def test_the_pool_server_sends_them_back_as_they_are(exc) -> None:
    back = protocol.error_from(protocol.error_header(exc))
    assert type(back) is type(exc) and back.code == exc.code and back.message == exc.message


def test_the_default_size_fits_in_the_pool_servers_messages() -> None:
    assert PdfLimits().max_bytes < protocol.MAX_BODY
