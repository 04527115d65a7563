"""Word rendering of the extract: docxtpl template, context, Markdown, French typography."""

from service.adapters.docx.renderer import DocxtplRenderer

__all__ = ["DocxtplRenderer"]
