"""Check an authority's own template before it goes live (``actes template check``).

An override is used by the next render once its file is in a template folder: a misspelt
variable or a macro would only show on an official act, or as a refused one. The check runs
what the service will run on it: the clerk's upload checks on the package (no macro, no
external link, no zip bomb), then the template checks of the renderer (variables known,
nothing reaching beyond the context, a render with each example payload).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from service.domain.errors import DocumentRejected
from service.domain.payload import DeliberationPayload
from service.domain.seance import SeancePayload
from service.services.ports import UploadInspector


@dataclass(frozen=True)
class TemplateProblem:
    """One reason a template cannot go live: a stable code and a French message."""

    code: str
    message: str


@dataclass(frozen=True)
class Exemples:
    """The payloads a template is rendered with, each with the name it is reported by."""

    deliberations: Sequence[tuple[str, DeliberationPayload]] = field(default_factory=tuple)
    seances: Sequence[tuple[str, SeancePayload]] = field(default_factory=tuple)


class TemplateChecker(Protocol):
    """Checks a template as the renderer will fill it."""

    @property
    def genres(self) -> Sequence[str]:
        """The kinds of template it knows (``deliberation``, ``liste``…)."""
        ...

    def genre_for(self, file_name: str) -> str | None:
        """Return the genre of the template named *file_name* in a template folder, or ``None``."""
        ...

    def problems(self, docx: bytes, genre: str, exemples: Exemples) -> list[TemplateProblem]:
        """Return every problem of the template *docx* of *genre*; empty when it may go live."""
        ...


def check_template(
    docx: bytes, genre: str, exemples: Exemples, *,
    inspector: UploadInspector, checker: TemplateChecker,
) -> list[TemplateProblem]:
    """Return every reason the template *docx* of *genre* cannot go live (empty: it can).

    The package is inspected first: a template carrying a macro or an external link is not
    opened any further.
    """
    try:
        inspector.inspect_docx(docx)
    except DocumentRejected as exc:
        return [TemplateProblem(exc.code, exc.message)]
    return checker.problems(docx, genre, exemples)
