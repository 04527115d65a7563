"""Render the extract of a deliberation from a Word template with docxtpl.

The template is looked up in each of ``template_dirs`` in turn, first as
``<dir>/<siren>/deliberation.docx`` (one authority's own template), then as
``<dir>/deliberation.docx``; the first file found wins. The service passes the operator's
override folder first and the project's ``templates_actes/`` last.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from docxtpl import DocxTemplate
from jinja2 import TemplateError as JinjaTemplateError

from service.adapters.docx.cache import ENVIRONMENT, open_template
from service.adapters.docx.context import aujourd_hui_a_paris, template_context
from service.adapters.docx.markdown import ARTICLES, MarkdownWriter
from service.adapters.docx.numbering import Numbering
from service.adapters.docx.prepared import prepared_template
from service.adapters.docx.typography import fr
from service.domain.actes.identifier import ActesIdentifier
from service.domain.errors import TemplateError
from service.domain.payload import DeliberationPayload

log = logging.getLogger(__name__)

TEMPLATE_NAME = "deliberation.docx"
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[3] / "templates_actes"
"""The project's ``templates_actes/`` folder."""

_SIREN = re.compile(r"[0-9]{9}")
_T = TypeVar("_T")


class DocxtplRenderer:
    """Fill the deliberation template with a payload (the :class:`DocumentRenderer` port)."""

    def __init__(
        self,
        template_dirs: Sequence[Path] = (DEFAULT_TEMPLATE_DIR,),
        *,
        today: Callable[[], dt.date] = aujourd_hui_a_paris,
        fast: bool = True,
    ) -> None:
        self.template_dirs = tuple(Path(d) for d in template_dirs)
        self.today = today
        """The date an act is made on, when its payload gives no ``signature.date``."""
        self.fast = fast
        """Whether templates are filled through prepared.py when they allow it (False: always
        through docxtpl's own render, as the tests comparing both paths need)."""

    def template_for(self, siren: str, name: str = TEMPLATE_NAME) -> Path:
        """Return the template file used for the authority *siren*.

        :raises TemplateError: when no directory holds the template.
        """
        # The SIREN names a folder: only nine digits may, so no payload can reach "../x".
        authority = [siren] if _SIREN.fullmatch(siren or "") else []
        for directory in self.template_dirs:
            own = [directory / authority[0] / name] if authority else []
            for candidate in (*own, directory / name):
                if candidate.is_file():
                    return candidate
        searched = ", ".join(str(d) for d in self.template_dirs) or "(aucun dossier)"
        raise TemplateError(f"Aucun modèle « {name} » trouvé dans : {searched}.")

    def render_deliberation(
        self, payload: DeliberationPayload, identifier: ActesIdentifier
    ) -> bytes:
        """Return the DOCX of the extract of *payload*.

        :raises TemplateError: when the template cannot be read or rendered.
        """
        path = self.template_for(payload.collectivite.siren)
        prepared = _load(prepared_template, path) if self.fast else None
        # The exposé and the articles are typographed for the context and again as Markdown:
        # a memo for this render does it once (never across renders: texts are the payload's).
        typographie = lru_cache(maxsize=None)(fr)
        context = template_context(
            payload, identifier, typographie=typographie, aujourd_hui=self.today()
        )

        properties = _properties(payload, context)
        if prepared is not None:
            with rendering_errors(path):
                numbering = prepared.numbering.render()
                writer = MarkdownWriter(
                    None, numbering, prepared.styles, typographie=typographie,
                    memo=prepared.markdown,
                )
                context["blocs"] = _blocs(writer, payload)
                return prepared.render(context, numbering, properties)
        tpl = _load(open_template, path)
        with rendering_errors(path):
            document = tpl.get_docx()
            writer = MarkdownWriter(
                document, Numbering(document), tpl.styles, typographie=typographie
            )
            context["blocs"] = _blocs(writer, payload)
            # The environment escapes values and rejects undefined names (see cache.py).
            tpl.render(context, jinja_env=ENVIRONMENT, autoescape=True)
            # tpl.docx, not tpl.get_docx(): after render() the latter reloads the blank template.
            props = tpl.docx.core_properties
            for name, value in properties.items():
                setattr(props, name, value)
            out = io.BytesIO()
            tpl.save(out)
        return out.getvalue()


@contextmanager
def rendering_errors(path: Path) -> Iterator[None]:
    """Turn what filling the template *path* raises into a :class:`TemplateError` naming it."""
    try:
        yield
    except JinjaTemplateError as exc:
        raise TemplateError(f"Le modèle {_label(path)} ne peut pas être rempli : {exc}.") from exc
    except TemplateError:
        raise
    except Exception as exc:  # docxtpl/lxml raise bare ValueError, KeyError, XMLSyntaxError…
        log.exception("rendering %s failed", path)
        raise TemplateError(
            f"Le modèle {_label(path)} ne peut pas être rempli ({type(exc).__name__} : {exc})."
        ) from exc


def _label(path: Path) -> str:
    return f"« {path.parent.name}/{path.name} »"


def _load(opener: Callable[[Path], _T], path: Path) -> _T:
    try:
        return opener(path)
    except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, BadZipFile…
        raise TemplateError(
            f"Le modèle {_label(path)} n'est pas un document Word lisible ({type(exc).__name__})."
        ) from exc


def load_template(path: Path) -> DocxTemplate:
    return _load(open_template, path)


def _blocs(writer: MarkdownWriter, payload: DeliberationPayload) -> dict[str, Any]:
    delib = payload.deliberation
    return {
        "expose": writer.subdoc([delib.expose] if delib.expose else []),
        "articles": writer.subdoc(delib.dispositif.articles, item=ARTICLES),
    }


def _properties(payload: DeliberationPayload, context: dict[str, Any]) -> dict[str, str]:
    """Return the core properties of the act (:data:`.core_properties.SET`)."""
    # LibreOffice copies them into the PDF's Title/Author (and the PDF/A XMP).
    return {
        "title": (
            f"Délibération n° {payload.deliberation.numero} – {fr(payload.deliberation.objet)}"
        )[:255],
        "author": payload.collectivite.nom[:255],
        "subject": context["identifiant"],
        "language": "fr-FR",
    }
