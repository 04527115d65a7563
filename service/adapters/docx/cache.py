"""What a render can reuse from the previous ones: the opened template, its compiled Jinja parts.

A template file changes seldom, a payload at every request; yet docxtpl, used as documented,
opens the Word file, cleans each XML part of Word's run splits (``patch_xml``) and compiles it
with Jinja on every render, which is most of the time an act takes. Here:

- the file is opened once per version, recognised by its ``stat`` signature (an authority may
  replace its override file at any time, and the next render must use it); each render gets
  its own deep copy of that pristine document, never the document itself;
- the cleaned XML and the compiled :class:`~jinja2.Template` are cached by their source text:
  the same template gives the same source, another template or a replaced file another key.

A compiled Template and the bytes of a file are immutable, the caches below are guarded by a
lock or by :func:`functools.lru_cache` (itself thread-safe), so gunicorn threads may share them.
"""

from __future__ import annotations

import copy
import io
import re
import threading
import zipfile
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.package import OpcPackage
from docx.opc.packuri import PackURI
from docx.opc.pkgwriter import PackageWriter
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, Template

from service.adapters.docx.escaping import has_braced_underscore

_PARTS = 256
"""Compiled XML parts kept: the body, headers, footers and properties of every template."""
_TEMPLATES = 32
"""Template files kept opened: the default one and the authorities' own."""


class CachingEnvironment(Environment):
    """A Jinja environment whose :meth:`from_string` compiles each source text once."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled = lru_cache(maxsize=_PARTS)(self._compile_once)

    def _compile_once(self, source: str, autoescape: Any) -> Template:
        # autoescape is in the key: a part compiled escaping must never serve one that is not.
        return super().from_string(source)

    def from_string(
        self, source: Any, globals: Any = None, template_class: Any = None
    ) -> Template:
        """Return the template of *source*, compiled on its first use only."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return self._compiled(source, self.autoescape)


ENVIRONMENT = CachingEnvironment(autoescape=True, undefined=StrictUndefined)
"""The environment of every extract.

autoescape: "&" and "<" in payload text are escaped for XML, and text is only ever a value,
never template source, so "{{ 7*7 }}" in an objet prints as typed. StrictUndefined: a
misspelt variable in an authority's template is an error, not an empty gap in an official act.
"""


@lru_cache(maxsize=_PARTS)
def _patched(src_xml: str) -> str:
    # docxtpl's patch_xml is a pure function of its text (it never reads self).
    return str(DocxTemplate.patch_xml(None, src_xml))


JINJA_TAG = re.compile(r"\{[{%#]")
"""The start of a Jinja tag (``{{``, ``{%``, ``{#``): a text without it renders as itself."""

LISTING_CHARS = ("\t", "\a", "\n", "\f")
"""The marks docxtpl's ``resolve_listing`` turns into tabs, paragraphs, line and page breaks."""


class CachedDocxTemplate(DocxTemplate):
    """A :class:`~docxtpl.DocxTemplate` reusing the cleaned parts of previous renders.

    Render it with :data:`ENVIRONMENT` so that the compiled parts are reused too.
    """

    def __init__(
        self,
        data: bytes,
        document: DocumentObject,
        styles: dict[str, tuple[bool, str | None]] | None = None,
    ) -> None:
        # template_file stays the file's bytes: docxtpl reopens it when asked to reload.
        super().__init__(io.BytesIO(data))
        self.docx = document
        self.styles = {} if styles is None else styles
        """Paragraph styles of the file, as :class:`~.markdown.MarkdownWriter` resolves them."""

    def patch_xml(self, src_xml: str) -> str:
        """Return *src_xml* made readable by Jinja, as docxtpl does, cleaned once per text."""
        return _patched(src_xml)

    def save(self, filename: Any, *args: Any, **kwargs: Any) -> None:
        """Write the rendered document to *filename* (a path or a binary file), as docxtpl
        does, the parts zipped by :func:`write_package`."""
        if not self.is_rendered or self.pics_to_replace:
            super().save(filename, *args, **kwargs)  # docxtpl reloads or edits the file first
            return
        package = self.docx.part.package
        write_package(filename, package)
        self.post_processing(filename)
        self.is_saved = True

    def resolve_listing(self, xml: str) -> str:
        """Return *xml* with docxtpl's tab, line and page marks made Word elements."""
        return resolve_listing(xml)


def resolve_listing(xml: str) -> str:
    """Return *xml* with docxtpl's tab, line and page marks made Word elements, as docxtpl's
    ``resolve_listing`` does.

    The marks are four control characters: a text holding none of them is returned as is
    without the three nested regular-expression passes over every paragraph.
    """
    if not any(c in xml for c in LISTING_CHARS):
        return xml
    # docxtpl's method never reads self.
    return str(DocxTemplate.resolve_listing(None, xml))


def finish_part(xml: str, listed: bool | None = None) -> str:
    """Return the text Jinja gave for a part as docxtpl's ``render_xml_part`` finishes it: the
    line breaks before each ``<w:p`` removed, its ``{_{``-style escapes of Jinja delimiters
    resolved, its tab, line and page marks made Word elements.

    Written out because docxtpl does it inside ``render_xml_part``, with the compilation; each
    step first looks for its characters (a scan of the text), as most parts hold none.
    *listed* says whether the text holds one of :data:`LISTING_CHARS`, when already known.
    """
    if listed is None:
        listed = any(c in xml for c in LISTING_CHARS)
    if listed and "\n" in xml:
        # docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", …), without a template expansion per
        # match.
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if has_braced_underscore(xml):
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
    # docxtpl's resolve_listing, after the check it does first (see resolve_listing).
    return str(DocxTemplate.resolve_listing(None, xml)) if listed else xml


_ALREADY_COMPRESSED = frozenset({"jpeg", "jpg", "png", "gif", "wmz", "emz"})
"""Media stored as they are: deflating a JPEG again gains nothing and costs CPU (EMF and WMF
are not compressed: they are deflated as the XML parts are)."""


class _ZipWriter:
    """python-docx's zip writer (``PhysPkgWriter``), deflating at level 1 rather than 6.

    Level 6 took 2.1 of the 3.5 ms that saving the Dijon act took, for a file 12 % smaller
    (21.7 against 24.7 KB); the parts written are the same bytes.
    """

    def __init__(self, pkg_file: str | IO[bytes], skip: frozenset[str] | set[str]) -> None:
        self._zipf = zipfile.ZipFile(pkg_file, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self._skip = skip

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        if pack_uri.membername in self._skip:
            return
        stored = pack_uri.ext.lower() in _ALREADY_COMPRESSED
        self._zipf.writestr(
            pack_uri.membername, blob, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        )

    def close(self) -> None:
        self._zipf.close()


def write_package(
    pkg_file: str | IO[bytes], package: OpcPackage, skip: frozenset[str] | set[str] = frozenset()
) -> None:
    """Write *package* to *pkg_file* as :meth:`OpcPackage.save` does, zipped by
    :class:`_ZipWriter`, without the parts whose member names are in *skip* (their content
    types and relationships are written)."""
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    writer: Any = _ZipWriter(pkg_file, skip)  # what PackageWriter calls of a PhysPkgWriter
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()


class _Opened:
    """One version of a template file, opened."""

    def __init__(self, signature: tuple[int, ...], data: bytes) -> None:
        self.signature = signature
        self.data = data
        # The pristine document: never handed out, only copied for each render.
        self.document = Document(io.BytesIO(data))
        # Copying only reads it, but neither lxml nor python-docx promise concurrent reads.
        self.lock = threading.Lock()
        # What the Markdown writer learns of the styles (name -> present, id): the same for
        # every copy, and python-docx scans every style of the file to learn it.
        self.styles: dict[str, tuple[bool, str | None]] = {}
        # The file made ready for the fast path (prepared.py), or why it cannot take it.
        self.prepared: Any = None


_opened: OrderedDict[Path, _Opened] = OrderedDict()
_opened_lock = threading.Lock()


def _signature(path: Path) -> tuple[int, ...]:
    st = path.stat()
    # A file rewritten in place changes size or mtime; one replaced by a rename changes inode.
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def open_template(path: Path) -> CachedDocxTemplate:
    """Return a fresh template of the Word file *path*, opening the file only when it changed.

    :raises OSError: when the file cannot be read.
    :raises ValueError, KeyError, zipfile.BadZipFile…: what python-docx raises for a file that
        is not a Word document (the renderer reports them as a ``TemplateError``).
    """
    entry = opened(path)
    with entry.lock:
        # deepcopy is three times faster than parsing the package again, and shares nothing.
        document = copy.deepcopy(entry.document)
    return CachedDocxTemplate(entry.data, document, entry.styles)


def opened(path: Path) -> _Opened:
    """Return the current version of the Word file *path*, opened (see :func:`open_template`).
    """
    key = path.resolve()
    signature = _signature(key)
    with _opened_lock:
        entry = _opened.get(key)
        if entry is not None:
            _opened.move_to_end(key)
    if entry is None or entry.signature != signature:
        entry = _Opened(signature, key.read_bytes())
        with _opened_lock:
            _opened[key] = entry
            while len(_opened) > _TEMPLATES:
                _opened.popitem(last=False)
    return entry


def clear() -> None:
    """Forget every opened file and compiled part (for tests and memory measurements)."""
    with _opened_lock:
        _opened.clear()
    _patched.cache_clear()
    ENVIRONMENT._compiled.cache_clear()
