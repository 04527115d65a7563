"""convert_and_stamp: the stamp's box is drawn while the PDF converts, errors still surface."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from service.domain.mention import MentionPrefecture
from service.errors import ConversionError, StampError
from service.services.conversion import convert_and_stamp

KNOWN = MentionPrefecture("021-242100410-20191219-13-DE", date_envoi=dt.date(2019, 12, 20))
UNKNOWN = MentionPrefecture("021-242100410-20191219-13-DE")


class _Converter:
    """Converts only once the box has been drawn: proof that both happen at the same time."""

    def __init__(self, drawn: threading.Event, *, fail: bool = False) -> None:
        self.drawn, self.fail, self.done = drawn, fail, False

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        if not self.drawn.wait(timeout=10):
            raise AssertionError("the box was not drawn during the conversion")
        self.done = True
        if self.fail:
            raise ConversionError("LibreOffice ne peut pas lire ce document.")
        return b"%PDF-" + docx

    def to_pdf_many(self, docxs, *, labels=()):  # pragma: no cover - not used here
        raise NotImplementedError


class _Stamper:
    def __init__(self, *, fail: bool = False) -> None:
        self.drawn = threading.Event()
        self.fail = fail
        self.prepared_on: str | None = None
        self.stamped_with: object = None

    def prepare(self, mention: MentionPrefecture) -> str:
        self.prepared_on = threading.current_thread().name
        self.drawn.set()
        if self.fail:
            raise StampError("Police introuvable.")
        return f"box of {mention.identifiant}"

    def stamp(self, pdf: bytes, mention: MentionPrefecture, prepared: object = None) -> bytes:
        self.stamped_with = prepared
        return pdf + b" [tampon]"


def test_the_box_is_drawn_on_another_thread_while_the_pdf_converts():
    stamper = _Stamper()
    converter = _Converter(stamper.drawn)

    pdf, stamped = convert_and_stamp(b"docx", KNOWN, converter=converter, stamper=stamper,
                                     label="acte")

    assert (pdf, stamped) == (b"%PDF-docx", b"%PDF-docx [tampon]")
    assert stamper.prepared_on != threading.current_thread().name
    assert stamper.stamped_with == "box of 021-242100410-20191219-13-DE"


def test_without_prefecture_dates_nothing_is_drawn_or_stamped():
    stamper = _Stamper()
    stamper.drawn.set()  # the converter must not wait for a box that will never come

    pdf, stamped = convert_and_stamp(b"docx", UNKNOWN, converter=_Converter(stamper.drawn),
                                     stamper=stamper, label="acte")

    assert (pdf, stamped) == (b"%PDF-docx", None)
    assert stamper.prepared_on is None


def test_a_box_that_cannot_be_drawn_fails_after_the_conversion_ended():
    stamper = _Stamper(fail=True)
    converter = _Converter(stamper.drawn)

    with pytest.raises(StampError, match="Police introuvable"):
        convert_and_stamp(b"docx", KNOWN, converter=converter, stamper=stamper, label="acte")
    assert converter.done


def test_a_conversion_error_is_the_one_reported():
    stamper = _Stamper()

    with pytest.raises(ConversionError):
        convert_and_stamp(b"docx", KNOWN, converter=_Converter(stamper.drawn, fail=True),
                          stamper=stamper, label="acte")
