"""Check an authority's own Word template before it goes live (``actes template check``).

The service renders an override the moment it is dropped in a template folder, so a template
is checked as it will be used:

- what it reads is known: every variable is a field of the payload or a derived key of the
  context, and every ``a.b.c`` it reads exists (``deliberation.objt`` is caught even inside an
  ``{% if %}`` branch the examples never take, which rendering alone would miss);
- nothing in it reaches beyond its context: no ``_private`` or ``__dunder__`` attribute (the
  way out of a Jinja template into Python), no ``include``/``import``/``extends``;
- it renders with every example payload, exactly as the renderer does (same environment,
  strict variables, autoescape).

The package itself (macros, external links, zip bombs…) is checked before, by the clerk's
upload inspector (see :func:`service.services.templates.check_template`).

The Jinja source is what docxtpl renders: the body, headers, footers and footnotes once Word's
run splits are cleaned (``patch_xml``), and the core properties it renders too.
"""

from __future__ import annotations

import io
import tempfile
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError, meta, nodes
from pydantic import BaseModel

from service.adapters.docx import liste as liste_module
from service.adapters.docx.cache import ENVIRONMENT
from service.adapters.docx.context import DERIVED_KEYS, PAYLOAD_KEYS, template_context
from service.adapters.docx.proces_verbal import TEMPLATE_NAME as PV_TEMPLATE_NAME
from service.adapters.docx.proces_verbal import DocxtplProcesVerbalRenderer
from service.adapters.docx.renderer import TEMPLATE_NAME, DocxtplRenderer
from service.domain.actes.identifier import identifier_for
from service.domain.errors import TemplateError
from service.domain.liste import liste_deliberations
from service.domain.payload import DeliberationPayload
from service.domain.proces_verbal import ProcesVerbal, proces_verbal
from service.domain.seance import deliberation_payloads, seance_identifiant
from service.services.templates import Exemples, TemplateProblem

_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# The core properties docxtpl renders as templates (DocxTemplate.render_properties).
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_BLOCS = ("expose", "articles")
"""The subdocuments the renderer adds under ``blocs``."""


def jinja_source(docx: bytes) -> str:
    """Return the Jinja source docxtpl renders from the Word document *docx*."""
    tpl = DocxTemplate(io.BytesIO(docx))
    document = Document(io.BytesIO(docx))
    parts = [tpl.patch_xml(tpl.xml_to_string(document.element.body))]
    for rel in document.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external:
            parts.append(tpl.patch_xml(tpl.get_part_xml(rel.target_part)))
    for part in document.part.package.parts:
        if part.content_type == _FOOTNOTES:
            parts.append(tpl.patch_xml(part.blob.decode("utf-8")))
    props = document.core_properties
    parts.extend(getattr(props, name) or "" for name in _PROPERTIES)
    return "\n".join(parts)


def attribute_paths(ast: nodes.Template, roots: set[str]) -> set[str]:
    """Return every ``a.b.c`` the template *ast* reads from the variables *roots*."""
    # In x.a.upper(), upper is a method of the value, not a key of the context: x.a is read.
    methods = {id(call.node) for call in ast.find_all(nodes.Call)
               if isinstance(call.node, nodes.Getattr)}
    paths = set()
    for node in ast.find_all(nodes.Getattr):
        attrs = []
        inner: nodes.Node = node.node if id(node) in methods else node
        while isinstance(inner, nodes.Getattr):
            attrs.append(inner.attr)
            inner = inner.node
        if isinstance(inner, nodes.Name) and inner.name in roots:
            paths.add(".".join([inner.name, *reversed(attrs)]))
    # x.a.b also yields x.a: keep the longest paths only.
    return {p for p in paths if not any(q.startswith(p + ".") for q in paths)}


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def model_has(model: type[BaseModel], path: str) -> bool:
    """``True`` when *path* (``deliberation.vote.pour``) is a field of *model*."""
    current: type[BaseModel] | None = model
    for name in path.split("."):
        if current is None or name not in current.model_fields:
            return False
        found = _models_in(current.model_fields[name].annotation)
        current = found[0] if found else None
    return True


def context_has(context: dict[str, Any], path: str) -> bool:
    """``True`` when *path* names nested keys of *context*."""
    value: Any = context
    for name in path.split("."):
        if not isinstance(value, dict) or name not in value:
            return False
        value = value[name]
    return True


def forbidden(ast: nodes.Template) -> Iterator[str]:
    """Yield why *ast* reaches beyond its context, in French, once per construct."""
    for access in ast.find_all((nodes.Getattr, nodes.Getitem)):
        name = (access.attr if isinstance(access, nodes.Getattr)
                else getattr(getattr(access, "arg", None), "value", None))
        if isinstance(name, str) and name.startswith("_"):
            yield (f"l'attribut « {name} » est interdit : un nom commençant par « _ » "
                   "donne accès aux objets Python du service")
    for tag in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        keyword = type(tag).__name__.lower().replace("fromimport", "from … import")
        yield f"la balise « {keyword} » est interdite : un modèle ne lit aucun autre fichier"


@dataclass(frozen=True)
class Genre:
    """A kind of template: its file name, what it may read, how it renders an example."""

    name: str
    file_name: str
    description: str
    roots: Callable[[Sequence[dict[str, Any]]], frozenset[str]]
    """The variables a template may read, given sample contexts."""
    known: Callable[[str, Sequence[dict[str, Any]]], bool]
    """Whether a dotted path read from a root exists, given sample contexts."""
    contexts: Callable[[Exemples], list[tuple[str, dict[str, Any]]]]
    render: Callable[[Path, Exemples], Iterator[tuple[str, Callable[[], bytes]]]]


def _deliberations(exemples: Exemples) -> list[tuple[str, DeliberationPayload]]:
    found = list(exemples.deliberations)
    for nom, seance in exemples.seances:
        found += [(f"{nom}, n° {p.deliberation.numero}", p) for p in deliberation_payloads(seance)]
    return found


def _identifier(payload: DeliberationPayload) -> Any:
    return identifier_for(payload.collectivite.departement, payload.collectivite.siren,
                          payload.seance.date, payload.deliberation.numero,
                          payload.deliberation.nature)


def _deliberation_contexts(exemples: Exemples) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for nom, payload in _deliberations(exemples):
        context = template_context(payload, _identifier(payload))
        context["blocs"] = {name: object() for name in _BLOCS}
        out.append((nom, context))
    return out


def _deliberation_known(path: str, contexts: Sequence[dict[str, Any]]) -> bool:
    root = path.split(".", 1)[0]
    if root in DERIVED_KEYS:
        return any(context_has(c, path) for c in contexts)
    return model_has(DeliberationPayload, path)


def _render_deliberations(folder: Path, exemples: Exemples
                          ) -> Iterator[tuple[str, Callable[[], bytes]]]:
    renderer = DocxtplRenderer([folder])
    for nom, payload in _deliberations(exemples):
        yield nom, partial(renderer.render_deliberation, payload, _identifier(payload))


def _liste_contexts(exemples: Exemples) -> list[tuple[str, dict[str, Any]]]:
    return [(nom, liste_module.liste_context(liste_deliberations(s)))
            for nom, s in exemples.seances]


def _proces_verbaux(exemples: Exemples) -> list[tuple[str, ProcesVerbal]]:
    return [(nom, proces_verbal(seance_identifiant(s), s, deliberation_payloads(s)))
            for nom, s in exemples.seances]


def _pv_contexts(exemples: Exemples) -> list[tuple[str, dict[str, Any]]]:
    renderer = DocxtplProcesVerbalRenderer()
    return [(nom, renderer.context_of(pv)) for nom, pv in _proces_verbaux(exemples)]


def _render_pvs(folder: Path, exemples: Exemples) -> Iterator[tuple[str, Callable[[], bytes]]]:
    renderer = DocxtplProcesVerbalRenderer([folder])
    for nom, pv in _proces_verbaux(exemples):
        yield nom, partial(renderer.render_proces_verbal, pv)


def _render_listes(folder: Path, exemples: Exemples) -> Iterator[tuple[str, Callable[[], bytes]]]:
    renderer = liste_module.DocxtplListeRenderer([folder])
    for nom, seance in exemples.seances:
        yield nom, partial(renderer.render_liste, liste_deliberations(seance))


GENRES: dict[str, Genre] = {
    "deliberation": Genre(
        "deliberation", TEMPLATE_NAME, "extrait du registre des délibérations",
        lambda contexts: frozenset(PAYLOAD_KEYS) | frozenset(DERIVED_KEYS), _deliberation_known,
        _deliberation_contexts, _render_deliberations,
    ),
    "liste": Genre(
        "liste", liste_module.TEMPLATE_NAME, "liste des délibérations examinées en séance",
        # Its variables are the keys liste_context gives, whatever the sitting.
        lambda contexts: frozenset(k for c in contexts for k in c),
        lambda path, contexts: any(context_has(c, path) for c in contexts),
        _liste_contexts, _render_listes,
    ),
    "proces-verbal": Genre(
        "proces-verbal", PV_TEMPLATE_NAME, "procès-verbal de la séance",
        lambda contexts: frozenset(k for c in contexts for k in c),
        lambda path, contexts: any(context_has(c, path) for c in contexts),
        _pv_contexts, _render_pvs,
    ),
}
"""Every kind of template the service fills, by the name ``--genre`` takes."""


class DocxtplTemplateChecker:
    """Check a template as :class:`DocxtplRenderer` will fill it (the ``TemplateChecker`` port)."""

    genres = tuple(GENRES)

    def genre_for(self, file_name: str) -> str | None:
        """Return the genre whose template is named *file_name*, or ``None``."""
        return next((g.name for g in GENRES.values() if g.file_name == file_name), None)

    def problems(self, docx: bytes, genre: str, exemples: Exemples) -> list[TemplateProblem]:
        """Return every problem of the template *docx* of *genre*; empty when it may go live."""
        kind = GENRES[genre]
        if not kind.contexts(exemples):
            # A template checked against nothing would pass whatever it holds.
            besoin = ("une délibération ou une séance" if kind.name == "deliberation"
                      else "une séance")
            return [TemplateProblem(
                "modele-sans-exemple",
                f"Aucune donnée d'exemple pour rendre un modèle « {kind.name} » ({besoin} au "
                "moins).")]
        try:
            source = jinja_source(docx)
        except Exception as exc:  # python-docx raises KeyError, ValueError, BadZipFile…
            return [TemplateProblem("modele-illisible",
                                    f"Le fichier n'est pas un document Word lisible "
                                    f"({type(exc).__name__} : {exc}).")]
        try:
            ast = ENVIRONMENT.parse(source)
            # Compiles it too: an unknown filter or test is caught here (TemplateAssertionError).
            variables = meta.find_undeclared_variables(ast)
        except TemplateSyntaxError as exc:
            # The line is the line of Word's XML, meaningless to the author: the message only.
            message = (exc.message or str(exc)).rstrip(".")
            return [TemplateProblem("modele-syntaxe", f"Erreur de syntaxe Jinja : {message}.")]
        found = [TemplateProblem("modele-contenu-interdit", f"Contenu interdit : {why}.")
                 for why in dict.fromkeys(forbidden(ast))]
        found += self._unknown(ast, variables, kind, exemples)
        if found:
            return found  # rendering would only repeat them, less precisely
        return self._render(docx, kind, exemples)

    def _unknown(self, ast: nodes.Template, variables: set[str], kind: Genre,
                 exemples: Exemples) -> list[TemplateProblem]:
        contexts = [c for _, c in kind.contexts(exemples)]
        roots = kind.roots(contexts)
        found = [
            TemplateProblem("modele-variable-inconnue",
                            f"Variable inconnue « {name} » : ni une donnée ni une valeur calculée "
                            f"d'un modèle « {kind.name} » (voir templates_actes/README.md).")
            for name in sorted(variables - roots)
        ]
        for path in sorted(attribute_paths(ast, variables & roots)):
            if "._" in path:
                continue  # reported as forbidden
            if not kind.known(path, contexts):
                found.append(TemplateProblem(
                    "modele-variable-inconnue",
                    f"Variable inconnue « {path} » (voir templates_actes/README.md)."))
        return found

    def _render(self, docx: bytes, kind: Genre, exemples: Exemples) -> list[TemplateProblem]:
        failed: dict[str, list[str]] = {}  # the error, and the examples that met it
        # A folder of its own: the renderer caches templates by path, and finds this one as
        # an override would be found.
        with tempfile.TemporaryDirectory(prefix="actes-modele-") as folder:
            (Path(folder) / kind.file_name).write_bytes(docx)
            for nom, render in kind.render(Path(folder), exemples):
                try:
                    render()
                except TemplateError as exc:
                    cause = exc.__cause__
                    detail = f"{type(cause).__name__} : {cause}" if cause else exc.message
                    failed.setdefault(detail.rstrip("."), []).append(nom)
        return [
            TemplateProblem("modele-rendu", f"Le rendu échoue avec "
                            f"{'les exemples' if len(noms) > 1 else 'l’exemple'} "
                            f"{', '.join(f'« {n} »' for n in noms)} : {detail}.")
            for detail, noms in failed.items()
        ]
