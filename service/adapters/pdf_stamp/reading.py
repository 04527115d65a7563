"""Reading the act to stamp: pyHanko's reader, with a quicker pass over classic xref tables.

pyHanko reads a classic cross-reference table one 20-byte entry at a time (a generator that
makes a dataclass per entry, then a loop that files each one): 1.5 ms of CPU for the 591
objects of LibreOffice's PDF of the Dijon act, more than half of stamping it, while the stamp
then reads four objects (catalogue, page tree, its resources, page 1). :class:`_QuickXRefBuilder`
checks a table is exactly well-formed (one regular expression per subsection) and gives
pyHanko a :class:`_TableData`, pyHanko's own ``XRefSectionData`` that answers a lookup from
the object's 20-byte row and files every entry, exactly as pyHanko does, only when something
asks for them all. Everything else (xref streams, hybrid files, malformed tables, strict
reading) is pyHanko's own reading, unchanged. No library offers a faster table reader that
pyHanko's writer could use; this one keeps pyHanko's object model, so everything after reading
the xref is pyHanko's.

The reader is built as pyHanko 0.38's ``PdfFileReader.__init__`` builds it, with this builder
in place of its own (pyHanko has no hook for it): the stamp tests read LibreOffice's files
and broken ones through it, so a pyHanko upgrade that moves these internals fails there.
"""

from __future__ import annotations

import os
import re
from io import BytesIO
from itertools import compress
from operator import itemgetter

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.decode_limits import DecodeContext, DecodeLimits
from pyhanko.pdf_utils.reader import PdfFileReader, _read_header_version, process_data_at_eof
from pyhanko.pdf_utils.xref import (
    ObjStreamRef,
    XRefBuilder,
    XRefCache,
    XRefSection,
    XRefSectionData,
    XRefSectionMetaInfo,
    XRefSectionType,
)

_SUBSECTION = re.compile(rb"[\x00\t\n\x0c\r ]*(\d+) (\d+)[ \t]*(?:\r\n|\r|\n)")
"""A subsection's header: its first object number and its number of entries."""
_ENTRIES = re.compile(rb"(?:\d{10} \d{5} [nf](?: \r| \n|\r\n))*")
"""Entries exactly as ISO 32000-1 (7.5.4) writes them: 20 bytes each."""
_OFFSET_AND_GENERATION = re.compile(rb"(\d{10}) (\d{5})")
_TRAILER = re.compile(rb"[\x00\t\n\x0c\r ]*trailer[\x00\t\n\x0c\r ]*")
_IN_USE = bytes.maketrans(b"nf", b"\x01\x00")
_FREE = bytes.maketrans(b"nf", b"\x00\x01")
"""Map each entry's kind (``n`` in use, ``f`` free) to a selector for ``compress``."""
_BEYOND_MAX_GENERATION = re.compile(
    rb" (?:6553[6-9]|655[4-9]\d|65[6-9]\d\d|6[6-9]\d{3}|[7-9]\d{4}) [nf]")
"""A generation above 65535 (ISO 32000-1 7.5.4), which pyHanko drops."""


class ActReader(PdfFileReader):
    """pyHanko's reader over the bytes *pdf*, reading classic xref tables quickly (lenient,
    as ``PdfFileReader(stream, strict=False)``)."""

    def __init__(self, pdf: bytes) -> None:
        # pyHanko 0.38's PdfFileReader.__init__ (strict=False, default decode limits), with
        # _QuickXRefBuilder in place of XRefBuilder.
        stream = BytesIO(pdf)
        self._security_handler = None
        self.strict = False
        self._decode_context = DecodeContext(DecodeLimits(), input_size=len(pdf))
        self.resolved_objects: dict[tuple[int, int], generic.PdfObject] = {}
        self._header_version = None
        self._input_version = None
        self._historical_resolver_cache = {}
        self.stream = stream
        self._header_version = _read_header_version(stream)
        stream.seek(-1, os.SEEK_END)
        builder = _QuickXRefBuilder(
            pdf, handler=self, stream=stream, strict=False,
            last_startxref=process_data_at_eof(stream),
        )
        self.xrefs = XRefCache(self, builder.read_xrefs())
        self.last_startxref = builder.last_startxref
        self.trailer = builder.trailer
        self.has_xref_stream = builder.has_xref_stream
        self._embedded_signatures = None


class _QuickXRefBuilder(XRefBuilder):
    """pyHanko's xref builder, with :class:`_TableData` for well-formed classic tables."""

    def __init__(self, pdf: bytes, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._pdf = pdf

    def _read_xref_table(self, declared_startxref: int) -> int | None:
        start = self.stream.tell()
        quick = None if self.strict else _file_table(self._pdf, start)
        if quick is None:
            return super()._read_xref_table(declared_startxref)
        data, end = quick
        self.stream.seek(end)
        trailer = generic.DictionaryObject.read_from_stream(
            self.stream, generic.TrailerReference(self.handler)
        )
        if not isinstance(trailer, generic.DictionaryObject) or "/XRefStm" in trailer:
            # A hybrid file: pyHanko reads its xref stream along with the table.
            self.stream.seek(start)
            return super()._read_xref_table(declared_startxref)
        meta = XRefSectionMetaInfo(
            xref_section_type=XRefSectionType.STANDARD,
            size=int(trailer.raw_get("/Size")),
            declared_startxref=declared_startxref,
            start_location=start,
            end_location=end,
            stream_ref=None,
        )
        self.sections.append(XRefSection(meta, data))
        self.trailer.add_trailer_revision(trailer)
        prev = trailer.get("/Prev")
        if prev is not None and not isinstance(prev, generic.NumberObject):
            raise misc.PdfReadError(f"Expected /Prev to be a number, not {prev!r}")
        return prev


def _file_table(pdf: bytes, pos: int) -> tuple[_TableData, int] | None:
    """Return the entries of the classic xref table at *pos* (just after ``xref``), and where
    its trailer dictionary starts; ``None`` when the table is not exactly well-formed."""
    rows: list[tuple[int, bytes]] = []
    while True:
        header = _SUBSECTION.match(pdf, pos)
        if header is None:
            break
        first, count = int(header[1]), int(header[2])
        pos = header.end()
        chunk = pdf[pos : pos + 20 * count]
        if len(chunk) != 20 * count or _ENTRIES.fullmatch(chunk) is None:
            return None
        if _BEYOND_MAX_GENERATION.search(chunk):
            return None  # pyHanko drops such entries; leave that case to it
        pos += 20 * count
        if first == 0:  # pyHanko ignores object 0, the head of the free list
            first, chunk = 1, chunk[20:]
        rows.append((first, chunk))
    trailer = _TRAILER.match(pdf, pos)
    if trailer is None:
        return None
    return _TableData(rows), trailer.end()


_Filed = tuple[dict[int, tuple[int, int]], dict[int, int], set[tuple[int, int]]]
"""``standard_xrefs``, ``freed`` and ``explicit_refs_in_revision`` of an xref section."""


class _TableData(XRefSectionData):
    """The entries of a well-formed classic table, as ``process_entries`` files them.

    They are filed in bulk only when something asks for them all (signature analysis, strict
    checks); resolving one object, all the stamp does, reads its row directly (rows are 20
    bytes, ISO 32000-1 7.5.4): reading the act then costs the same for 50 objects or 5000.
    """

    def __init__(self, rows: list[tuple[int, bytes]]) -> None:
        self._rows = rows
        self._filed: _Filed | None = None
        super().__init__()

    def _all(self) -> _Filed:
        if self._filed is None:
            standard: dict[int, tuple[int, int]] = {}
            freed: dict[int, int] = {}
            explicit: set[tuple[int, int]] = set()
            for first, chunk in self._rows:
                _file_entries(standard, freed, explicit, first, chunk)
            self._filed = (standard, freed, explicit)
        return self._filed

    # XRefSectionData.__init__ sets these three to empty containers: that is not news here.
    @property
    def standard_xrefs(self) -> dict[int, tuple[int, int]]:
        return self._all()[0]

    @standard_xrefs.setter
    def standard_xrefs(self, value: dict[int, tuple[int, int]]) -> None:
        assert not value

    @property
    def freed(self) -> dict[int, int]:
        return self._all()[1]

    @freed.setter
    def freed(self, value: dict[int, int]) -> None:
        assert not value

    @property
    def explicit_refs_in_revision(self) -> set[tuple[int, int]]:
        return self._all()[2]

    @explicit_refs_in_revision.setter
    def explicit_refs_in_revision(self, value: set[tuple[int, int]]) -> None:
        assert not value

    def try_resolve(
        self, ref: generic.Reference | generic.IndirectObject
    ) -> int | ObjStreamRef | None:
        """What ``XRefSectionData.try_resolve`` answers, from *ref*'s rows alone."""
        if self._filed is not None:
            return super().try_resolve(ref)
        in_use = free = None
        # A later subsection overrides an earlier one, as process_entries files them.
        for first, chunk in reversed(self._rows):
            index = ref.idnum - first
            if 0 <= index < len(chunk) // 20:
                row = chunk[20 * index : 20 * index + 20]
                if row[17:18] == b"n":
                    in_use = in_use or (int(row[11:16]), int(row[:10]))
                elif free is None:
                    free = int(row[11:16])
        if in_use is not None:
            if in_use[0] == ref.generation:
                return in_use[1]
            raise KeyError(ref)
        if free is not None and ref.generation == free - 1:
            return None
        raise KeyError(ref)  # no hybrid section: that case is pyHanko's own reading


def _file_entries(
    standard: dict[int, tuple[int, int]], freed: dict[int, int],
    explicit: set[tuple[int, int]], first: int, chunk: bytes,
) -> None:
    """File the well-formed entries *chunk* of objects *first*, *first* + 1… as
    ``XRefSectionData.process_entries`` files them, in C-level loops."""
    fields = _OFFSET_AND_GENERATION.findall(chunk)
    generations = list(map(int, map(itemgetter(1), fields)))
    ids = range(first, first + len(fields))
    in_use, free = chunk[17::20].translate(_IN_USE), chunk[17::20].translate(_FREE)
    used_ids = list(compress(ids, in_use))
    used_generations = list(compress(generations, in_use))
    offsets = map(int, compress(map(itemgetter(0), fields), in_use))
    positions = zip(used_generations, offsets, strict=True)
    standard.update(zip(used_ids, positions, strict=True))
    explicit.update(zip(used_ids, used_generations, strict=True))
    freed_ids = list(compress(ids, free))
    freed_generations = list(compress(generations, free))
    freed.update(zip(freed_ids, freed_generations, strict=True))
    # A free entry names the generation a reuse would take: the freed one is one less.
    explicit.update(
        zip(freed_ids, (g - 1 for g in freed_generations), strict=True))
