"""XML plumbing shared by the ACTES messages: namespaces, a hardened parser, the serializer.

Messages from the prefecture arrive through the API from callers we do not control, so they
are parsed as hostile input: no DTD, no entity expansion, no network, no huge trees. A
``<!DOCTYPE`` is refused outright; no ACTES message carries one, and it is the door to the
"billion laughs" and external-entity (XXE) attacks.
"""

from __future__ import annotations

import re

from lxml import etree

from service.domain.errors import DocumentRejected

ACTES_NS = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
"""Namespace of the ministry's ACTES v1.1 schema (``actesv1_1.xsd``)."""
INSEE_NS = "http://xml.insee.fr/schema"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"actes": ACTES_NS, "insee": INSEE_NS, "xsi": XSI_NS}
SCHEMA_LOCATION = f"{ACTES_NS} actesv1_1.xsd"
ENCODING = "ISO-8859-1"
"""The cahier des charges, annex 3: « Le jeu de caractère utilisé est ISO-8859-1. »"""

# The byte patterns are checked before lxml sees the document; the same check is repeated on
# the parsed tree for encodings (UTF-16…) where the bytes do not show ASCII markup.
_DTD_MARKERS = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def qn(tag: str) -> str:
    """Return the Clark name of a prefixed *tag*: ``actes:Acte`` → ``{http://…}Acte``."""
    prefix, _, local = tag.partition(":")
    return f"{{{NSMAP[prefix]}}}{local}"


def local_name(element: etree._Element) -> str:
    """Return the tag of *element* without its namespace: ``ARActe``."""
    return str(etree.QName(element).localname)


def safe_parser() -> etree.XMLParser:
    """Return a new parser that loads no DTD, expands no entity and never reads the network.

    A new one per document: an lxml parser must not be shared between threads.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(data: bytes, *, what: str = "Le message ACTES") -> etree._Element:
    """Return the root element of *data*, an untrusted XML document.

    :raises DocumentRejected: when *data* is empty, not well-formed, or declares a DTD or an
        entity; the French message names the problem and *what* was being read.
    """
    if isinstance(data, str):
        # A str has lost its declared encoding; the ministry's messages are bytes.
        data = data.encode("utf-8")
    if not data or not data.strip():
        raise DocumentRejected(f"{what} est vide.")
    if _DTD_MARKERS.search(data):
        raise DocumentRejected(_dtd_message(what))
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise DocumentRejected(
            f"{what} n'est pas un XML bien formé : {_syntax_detail(exc)}."
        ) from exc
    except ValueError as exc:  # e.g. an encoding lxml cannot decode
        raise DocumentRejected(f"{what} n'est pas un XML lisible : {exc}.") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise DocumentRejected(_dtd_message(what))
    return root


def serialize(root: etree._Element) -> bytes:
    """Return *root* as an ISO-8859-1 XML document with its declaration.

    Characters outside ISO-8859-1 (the typographic apostrophe ``’``…) are written as character
    references (``&#8217;``), which every XML parser reads back unchanged.
    """
    # Written by hand for the double quotes S²LOW and the ministry's own messages use.
    declaration = f'<?xml version="1.0" encoding="{ENCODING}"?>\n'.encode("ascii")
    body: bytes = etree.tostring(root, xml_declaration=False, encoding=ENCODING,
                                 pretty_print=True)
    return declaration + body


def _dtd_message(what: str) -> str:
    return (
        f"{what} est refusé : il déclare une DTD ou des entités (<!DOCTYPE>, <!ENTITY>), "
        "interdites dans un message ACTES (protection contre l'expansion d'entités "
        "« billion laughs » et les entités externes XXE)."
    )


def _syntax_detail(exc: etree.XMLSyntaxError) -> str:
    line = getattr(exc, "lineno", None)
    msg = str(exc.msg if getattr(exc, "msg", None) else exc).strip()
    return f"{msg} (ligne {line})" if line else msg
