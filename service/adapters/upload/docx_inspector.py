"""The :class:`~service.services.ports.UploadInspector` port for a DOCX a clerk sends back.

The amended DOCX goes to LibreOffice, which runs no macro but reads everything and follows
links; so before anything is stored or converted a DOCX is refused, each time with its code,
when:

- its ZIP container is empty, too big, not a ZIP, corrupt, a decompression bomb or names a
  part outside itself (see :mod:`.archive`);
- it is not a Word document: no ``[Content_Types].xml``, ``_rels/.rels`` or
  ``word/document.xml``, or a main part of another type (``docx-invalide``);
- it carries macros, ActiveX controls or OLE binaries (``docx-macro``): a ``.docm`` renamed,
  a ``vbaProject.bin``, any ``*.bin`` part but Word's printer settings;
- a relationship points outside the package (``docx-relation-externe``): a linked image or
  template (``attachedTemplate``), a subdocument, an OLE link, a frame… LibreOffice would fetch
  them while converting, a request from our server to wherever the clerk's file says.
  Hyperlinks are the exception: they are never fetched, only written as links in the PDF, so
  ``http``, ``https`` and ``mailto`` links are accepted and every other scheme (``file:``,
  ``javascript:``, a relative path that would open a local file) is refused;
- a field loads content from elsewhere (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDE``…;
  ``docx-champ-externe``): the same fetch, without a relationship;
- an XML part declares a DTD or entities (``docx-xml-entites``): the door to external entities
  (XXE) and to the "billion laughs". Parts are parsed with no DTD, no entity, no network;
- a picture has more than 50 million pixels (``docx-image-trop-grande``);
- its body holds more table rows or explicit page breaks than an act may
  (``docx-trop-long``): LibreOffice would lay it out for minutes, past its memory cap;
- it imports content LibreOffice would read with another filter (``docx-imbrique``): an
  ``altChunk`` (a DOCX, HTML, RTF or text imported whole, whose own links, fields and size this
  inspection would not see), or an embedded package nested in an embedded package.

Every part is parsed as XML when its name, its content type, a relationship reaching it or its
first bytes say it is XML, whatever its extension: LibreOffice follows the relationship, not the
name. An embedded Office package (a chart's workbook…) is inspected the same way, recursively.
Field instructions are read as LibreOffice reads them: the field's name may be quoted
(``"INCLUDETEXT"``) or preceded by spaces, and deleted instructions of tracked changes count.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree
from PIL import Image

from service.adapters.upload.archive import SafeZip, ZipLimits, refuse
from service.domain.errors import DocumentRejected

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
PRINTER_SETTINGS = "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"
CONTENT_TYPES = "[Content_Types].xml"
MAIN_PART = "word/document.xml"
REQUIRED = (CONTENT_TYPES, "_rels/.rels", MAIN_PART)

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W = ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "http://purl.oclc.org/ooxml/wordprocessingml/main")  # transitional and strict OOXML
_FIELD_TAGS = [f"{{{ns}}}{tag}" for ns in _W
               for tag in ("fldSimple", "fldChar", "instrText", "delInstrText")]
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_MACRO_TYPE = re.compile(r"macroEnabled|vbaProject|vbaData|activeX|oleObject", re.IGNORECASE)
_MACRO_EXTENSIONS = {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm",
                     "ppam", "sldm"}
_XML_EXTENSIONS = {"xml", "rels", "vml", "svg"}
_DTD_MARKERS = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_LOADING_FIELDS = {"INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "LINK", "DDE", "DDEAUTO", "IMPORT",
                   "DATABASE"}
# The field's name as LibreOffice's writerfilter finds it: after spaces and quotes.
_FIELD_NAME = re.compile(r"""[\s"'\u201c\u201d\u00ab\u00bb\u2018\u2019\\]*([A-Za-z]+)""")
# Relationship kinds whose target is binary: never parsed as XML (checked by size and CRC).
_BINARY_KINDS = {"image", "package", "font", "printerSettings", "thumbnail", "audio", "video",
                 "media", "oleObject", "control", "obfuscatedFont"}
_NESTED_KINDS = {"aFChunk"}
_SVG = "{http://www.w3.org/2000/svg}svg"
_LAYOUT_TAGS = [f"{{{ns}}}{tag}" for ns in _W for tag in ("tr", "br", "pageBreakBefore",
                                                            "sectPr")]
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf|\xff\xfe|\xfe\xff)?\s*<")
_ZIP_START = b"PK\x03\x04"
MAX_PIXELS = 50_000_000
"""A picture of a deliberation is a logo, a map, a scan: 50 Mpx is an A3 page at 600 dpi."""
_LINK_SCHEMES = {"http", "https", "mailto"}


class DocxInspector:
    """Refuse a DOCX that is not a plain Word document within the limits given."""

    def __init__(self, *, max_size: int = ZipLimits.max_size,
                 max_uncompressed: int = ZipLimits.max_uncompressed,
                 max_ratio: float = ZipLimits.max_ratio,
                 max_entries: int = ZipLimits.max_entries,
                 layout: LayoutLimits | None = None) -> None:
        self.limits = ZipLimits(max_size, max_uncompressed, max_ratio, max_entries)
        self.layout = layout or LayoutLimits()

    def inspect_docx(self, data: bytes) -> None:
        """Return ``None`` when *data* may be converted and stored.

        :raises DocumentRejected: with a ``docx-…`` code and a French message naming the part.
        """
        _inspect(data, self.limits, self.layout)


def inspect_docx(data: bytes, *, max_size: int = ZipLimits.max_size,
                 max_uncompressed: int = ZipLimits.max_uncompressed,
                 max_ratio: float = ZipLimits.max_ratio,
                 max_entries: int = ZipLimits.max_entries) -> None:
    """Return ``None`` when *data* is a plain DOCX within the limits; see :class:`DocxInspector`.

    :raises DocumentRejected: with a ``docx-…`` code and a French message naming the part.
    """
    _inspect(data, ZipLimits(max_size, max_uncompressed, max_ratio, max_entries), LayoutLimits())


@dataclass(frozen=True)
class LayoutLimits:
    """What the body of an act may hold, counted before LibreOffice lays it out."""

    max_table_rows: int = 5_000
    """A budget annex runs to a few thousand rows; 20,000 took LibreOffice a minute and 1 GB."""
    max_page_breaks: int = 1_000
    """Explicit page and section breaks: as many as the pages an act may have."""

    def check(self, name: str, root: etree._Element) -> None:
        rows = breaks = 0
        for element in root.iter(*_LAYOUT_TAGS):
            tag = etree.QName(element).localname
            ns = etree.QName(element).namespace
            if tag == "tr":
                rows += 1
            elif tag == "br":
                breaks += element.get(f"{{{ns}}}type") == "page"
            else:  # pageBreakBefore, sectPr
                breaks += element.get(f"{{{ns}}}val") not in ("0", "false", "off")
        if rows > self.max_table_rows:
            raise refuse("docx-trop-long", f"Le document compte {rows} lignes de tableau (dans "
                         f"« {name} »), au-delà de {self.max_table_rows} : scindez-le ou mettez "
                         "le tableau en annexe.")
        if breaks > self.max_page_breaks:
            raise refuse("docx-trop-long", f"Le document compte {breaks} sauts de page ou de "
                         f"section (dans « {name} »), au-delà de {self.max_page_breaks}.")


def _inspect(data: bytes, limits: ZipLimits, layout: LayoutLimits | None = None) -> None:
    archive = SafeZip(data, limits)
    names = archive.names
    for required in REQUIRED:
        if required not in names:
            raise refuse("docx-invalide", f"Le document n'est pas un DOCX : la partie "
                         f"« {required} » manque. Enregistrez-le au format Document Word (.docx).")
    types = _ContentTypes(_parse_xml(CONTENT_TYPES, archive.read(CONTENT_TYPES)))
    main = types.of(MAIN_PART)
    if main == DOCM_MAIN:
        raise _macro(MAIN_PART, "document Word prenant en charge les macros (.docm)")
    if main != DOCX_MAIN:
        raise refuse("docx-invalide", f"La partie « {MAIN_PART} » est de type « {main} », et non "
                     "un document Word (.docx).")
    _inspect_parts(archive, types, limits, nested=False, layout=layout or LayoutLimits())


def _inspect_parts(archive: SafeZip, types: _ContentTypes, limits: ZipLimits, *,
                   nested: bool, layout: LayoutLimits | None = None) -> None:
    """Check every part of *archive*: active content, XML parts, nested packages."""
    names = archive.names
    for name in names:
        _check_not_active(name, types.of(name))
    reached = _relationship_targets(archive)
    for name in names:
        content_type = types.of(name) or ""
        if name == CONTENT_TYPES:
            continue
        kinds = reached.get(name.lower(), set())
        by_name = (name.rsplit(".", 1)[-1].lower() in _XML_EXTENSIONS
                   or content_type.endswith("xml"))
        by_relationship = bool(kinds - _BINARY_KINDS)
        content = archive.read(name)
        if by_name or by_relationship or _XML_START.match(content[:64]):
            root = _parse_xml(name, content)
            if name.endswith(".rels"):
                _check_relationships(name, root)
            elif root.tag == _SVG or name.lower().endswith(".svg") \
                    or content_type == "image/svg+xml":
                _check_svg(name, root)
            else:
                _check_fields(name, root)
                if layout is not None and name == MAIN_PART:
                    layout.check(name, root)
        elif content_type.startswith("image/") or "image" in kinds or "/media/" in f"/{name}":
            _check_picture(name, content)
        elif content.startswith(_ZIP_START):
            if nested:
                raise refuse("docx-imbrique", f"Le document incorpore un document « {name} » "
                             "qui en incorpore lui-même un autre : refusé. Collez son contenu "
                             "dans le document, puis déposez-le à nouveau.")
            _inspect_embedded(name, content, limits)


def _check_picture(name: str, content: bytes) -> None:
    """Refuse a picture of more than ``MAX_PIXELS``: LibreOffice decodes it whole (4 bytes a
    pixel, several times over while laying out and exporting), past its memory cap."""
    try:
        with Image.open(io.BytesIO(content)) as picture:  # reads the header only
            width, height = picture.size
    except Image.DecompressionBombError:
        width = height = MAX_PIXELS  # beyond Pillow's own bound: too large whatever its size
        width += 1
    except (OSError, ValueError, SyntaxError):
        return  # not a format Pillow reads (EMF, WMF…): size and CRC were checked
    if width * height > MAX_PIXELS:
        raise refuse("docx-image-trop-grande", f"L'image « {name} » du document compte "
                     f"{width * height / 1e6:.0f} millions de pixels, au-delà de "
                     f"{MAX_PIXELS // 1_000_000} millions : réduisez-la (300 dpi suffisent à "
                     "l'impression), puis déposez le document à nouveau.")


def _inspect_embedded(name: str, content: bytes, limits: ZipLimits) -> None:
    """Inspect an embedded Office package (a chart's workbook…) as the document itself."""
    inner = SafeZip(content, limits)
    if CONTENT_TYPES not in inner.names:
        raise refuse("docx-imbrique", f"La partie « {name} » du document est une archive qui "
                     "n'est pas un document Office : refusée.")
    types = _ContentTypes(_parse_xml(f"{name}/{CONTENT_TYPES}", inner.read(CONTENT_TYPES)))
    try:
        _inspect_parts(inner, types, limits, nested=True)
    except DocumentRejected as exc:
        exc.message = f"{exc.message} (dans le document incorporé « {name} »)"
        exc.args = (exc.message,)
        raise


def _relationship_targets(archive: SafeZip) -> dict[str, set[str]]:
    """Return the kinds of the internal relationships reaching each part, by lower-case name."""
    found: dict[str, set[str]] = {}
    for name in archive.names:
        if not name.endswith(".rels"):
            continue
        root = _parse_xml(name, archive.read(name))
        base = posixpath.dirname(posixpath.dirname(name))
        for rel in root.iter(_REL):
            if (rel.get("TargetMode") or "Internal").lower() == "external":
                continue
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            if kind in _NESTED_KINDS:
                raise refuse("docx-imbrique", f"Le document importe un autre document par un "
                             f"« altChunk » (« {rel.get('Target')} », dans « {name} ») : son "
                             "contenu échapperait à l'inspection. Collez ce contenu dans le "
                             "document, puis déposez-le à nouveau.")
            target = unquote((rel.get("Target") or "").strip())
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
            found.setdefault(posixpath.normpath(path or ".").lower(), set()).add(kind)
    return found


class _ContentTypes:
    """The ``[Content_Types].xml`` of a package: a type by part name or else by extension."""

    def __init__(self, root: etree._Element) -> None:
        self.defaults = {d.get("Extension", "").lower(): d.get("ContentType", "")
                         for d in root.iter(f"{_CT}Default")}
        self.overrides = {o.get("PartName", "").lstrip("/").lower(): o.get("ContentType", "")
                          for o in root.iter(f"{_CT}Override")}

    def of(self, name: str) -> str | None:
        """Return the content type of part *name*, or ``None`` when the package gives none."""
        found = self.overrides.get(name.lower())
        return found if found is not None else self.defaults.get(name.rsplit(".", 1)[-1].lower())


def _check_not_active(name: str, content_type: str | None) -> None:
    lowered = name.lower()
    extension = lowered.rsplit(".", 1)[-1]
    if content_type and _MACRO_TYPE.search(content_type):
        raise _macro(name, f"contenu de type « {content_type} »")
    if extension == "bin" and not (content_type == PRINTER_SETTINGS
                                   and lowered.startswith("word/printersettings/")):
        raise _macro(name, "partie binaire (projet VBA, contrôle ActiveX ou objet OLE)")
    if extension in _MACRO_EXTENSIONS or "/activex/" in f"/{lowered}":
        raise _macro(name, "document incorporé avec macros ou contrôle ActiveX")


def _macro(name: str, what: str) -> Exception:
    return refuse("docx-macro", f"Le document contient des macros ou du contenu actif : {what}, "
                  f"« {name} ». Enregistrez-le au format Document Word (.docx) sans macros ni "
                  "contrôles.")


def _parse_xml(name: str, content: bytes) -> etree._Element:
    """Return the root of XML part *name*, parsed with no DTD, no entity and no network."""
    if _DTD_MARKERS.search(content):
        raise _entities(name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False)
    try:
        root = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise refuse("docx-invalide", f"La partie « {name} » du document n'est pas un XML bien "
                     f"formé : {exc.msg}.") from exc
    except ValueError as exc:  # an encoding lxml cannot decode
        raise refuse("docx-invalide", f"La partie « {name} » du document n'est pas un XML "
                     f"lisible : {exc}.") from exc
    docinfo = root.getroottree().docinfo
    # Seen again on the tree for the encodings (UTF-16…) where the bytes show no ASCII markup.
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise _entities(name)
    return root


def _entities(name: str) -> Exception:
    return refuse("docx-xml-entites", f"La partie « {name} » du document déclare une DTD ou des "
                  "entités (<!DOCTYPE>, <!ENTITY>), que Word n'écrit jamais : refusé par "
                  "protection contre les entités externes (XXE) et l'expansion d'entités.")


def _check_relationships(name: str, root: etree._Element) -> None:
    # word/_rels/document.xml.rels speaks for word/document.xml: targets are relative to word/.
    base = posixpath.dirname(posixpath.dirname(name))
    for rel in root.iter(_REL):
        target = (rel.get("Target") or "").strip()
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        scheme = urlsplit(target).scheme.lower()
        if (rel.get("TargetMode") or "Internal").lower() == "external":
            if kind == "hyperlink" and scheme in _LINK_SCHEMES:
                continue
            what = ("lien hypertexte vers une adresse qui n'est pas web (http, https ou mailto)"
                    if kind == "hyperlink" else f"relation « {kind} »")
            raise _external(name, target, what)
        if scheme:
            raise _external(name, target, f"relation « {kind} » déclarée interne")
        path = unquote(target)
        path = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
        if posixpath.normpath(path or ".").split("/")[0] == "..":
            raise refuse("docx-chemin-invalide", f"La relation « {kind} » de « {name} » désigne "
                         f"« {target} », hors du document.")
        main = name == "_rels/.rels" and kind == "officeDocument"
        if main and posixpath.normpath(path) != MAIN_PART:
            raise refuse("docx-invalide", f"Le document principal est « {target} », et non "
                         f"« {MAIN_PART} » comme Word l'écrit.")


def _external(name: str, target: str, what: str) -> Exception:
    return refuse("docx-relation-externe", f"Le document fait appel à une ressource externe : "
                  f"« {target} » ({what}, dans « {name} »). Incorporez l'image ou le contenu dans "
                  "le document, ou retirez le lien, puis déposez-le à nouveau.")


def _check_svg(name: str, root: etree._Element) -> None:
    for element in root.iter():
        for attribute in (_XLINK_HREF, "href"):
            href = (element.get(attribute) or "").strip()
            if href and not href.startswith(("#", "data:")):
                raise _external(name, href, "image SVG liée à un fichier extérieur")


def _check_fields(name: str, root: etree._Element) -> None:
    for instruction in _field_instructions(root):
        found = _FIELD_NAME.match(instruction)
        field = found.group(1).upper() if found else ""
        if field in _LOADING_FIELDS:
            raise refuse("docx-champ-externe", f"Le document contient un champ {field} "
                         f"(dans « {name} ») qui charge un contenu extérieur au document. "
                         "Incorporez ce contenu, puis déposez le document à nouveau.")


def _field_instructions(root: etree._Element) -> Iterator[str]:
    """Yield the instruction of each field of *root*, its runs joined (Word splits them)."""
    open_fields: list[list[str] | None] = []  # None: instruction already given (after separate)
    for element in root.iter(*_FIELD_TAGS):
        tag = etree.QName(element).localname
        ns = etree.QName(element).namespace
        if tag == "fldSimple":
            yield element.get(f"{{{ns}}}instr") or ""
        elif tag in ("instrText", "delInstrText"):
            if open_fields and open_fields[-1] is not None:
                open_fields[-1].append(element.text or "")
            else:
                yield element.text or ""
        else:
            kind = element.get(f"{{{ns}}}fldCharType")
            if kind == "begin":
                open_fields.append([])
            elif kind in ("separate", "end") and open_fields:
                parts = open_fields.pop() if kind == "end" else open_fields[-1]
                if kind == "separate":
                    open_fields[-1] = None
                if parts is not None:
                    yield "".join(parts)
