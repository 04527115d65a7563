"""The core properties part (``docProps/core.xml``) of a prepared template, filled per render.

docxtpl fills the properties holding Jinja tags (``render_properties``); the renderer then sets
the title, author, subject and language through python-docx. Parsing the part, setting four
elements and serialising it again took some 60 µs a render. When no property holds a tag, the
part python-docx writes is the same text each time but for the four values: it is written once
with a placeholder for each, and a render puts the values in, escaped as lxml escapes text. A
value lxml would write otherwise (empty, a control character, a line end) or refuse takes the
parsed path, which writes or raises as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml

from service.adapters.docx.cache import ENVIRONMENT, JINJA_TAG

JINJA_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl's ``render_properties`` fills with Jinja, in its order."""
SET = ("title", "author", "subject", "language")
"""The properties the renderer sets on every act."""
_MARK = "\ue000"  # a private-use character: no template's properties hold one
_PLAIN = re.compile("[^\x00-\x1f\ud800-\udfff\ufffe\uffff]*")
"""Text lxml writes as it is but for ``&``, ``<`` and ``>``."""


class PreparedProperties:
    """The core properties part of one template file."""

    def __init__(self, blob: bytes) -> None:
        """Fill the properties holding no Jinja tag as docxtpl's ``render_properties`` fills
        them, once; keep the names of the others, rendered at each render. (Those with tags
        have their element already: the ones python-docx adds come in the same order.)"""
        element = parse_xml(blob)
        props = CoreProperties(element)
        self.jinja: list[str] = []
        for name in JINJA_PROPERTIES:
            value = getattr(props, name)
            if JINJA_TAG.search(value):
                self.jinja.append(name)
            else:
                setattr(props, name, ENVIRONMENT.from_string(value).render({}))
        self._core = serialize_part_xml(element)
        self._pieces: list[bytes] = []
        if not self.jinja:
            # From the part parsed again, as each render parses it (an element emptied above
            # is written <x/> once parsed, <x></x> before).
            props = CoreProperties(parse_xml(self._core))
            for name in SET:
                setattr(props, name, f"{_MARK}{name}{_MARK}")
            self._pieces = serialize_part_xml(props._element).split(_MARK.encode())

    def render(self, context: dict[str, Any], values: Mapping[str, str]) -> bytes:
        """Return the part with the Jinja properties rendered with *context*, then the
        properties of :data:`SET` set to *values* (as python-docx sets them).

        :raises ValueError: as python-docx does, for a value over 255 characters or holding a
            character XML refuses.
        """
        if self._pieces and all(
            0 < len(v) <= 255 and _PLAIN.fullmatch(v) for v in values.values()
        ):
            out = [self._pieces[0]]
            for key, text in zip(self._pieces[1::2], self._pieces[2::2], strict=True):
                value = values[key.decode()]
                escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                out += [escaped.encode(), text]
            return b"".join(out)
        element = parse_xml(self._core)
        props = CoreProperties(element)
        for name in self.jinja:  # as docxtpl's render_properties
            setattr(props, name, ENVIRONMENT.from_string(getattr(props, name)).render(context))
        for name in SET:
            setattr(props, name, values[name])
        return serialize_part_xml(element)
