"""Stamping the prefecture's mention (« Accusé de réception en préfecture ») on a PDF."""

from service.adapters.pdf_stamp.stamper import IncrementalStamper, PikepdfStamper
from service.adapters.pdf_stamp.style import StampStyle

__all__ = ["IncrementalStamper", "PikepdfStamper", "StampStyle"]
