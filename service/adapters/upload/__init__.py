"""Uploaded documents checked before anything is stored: the DOCX a clerk sends back."""

from service.adapters.upload.docx_inspector import DocxInspector, inspect_docx

__all__ = ["DocxInspector", "inspect_docx"]
