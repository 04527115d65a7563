"""The zip of a rendered DOCX: the members every render shares zipped once, the render's own
appended, parts of them deflated once too.

Python's :mod:`zipfile` takes only uncompressed data, and appends to an archive only after
reading its whole central directory again: for the Dijon act that was half a millisecond of
CPU, more than the Jinja render. The archive is written here instead, in the plain layout
zipfile writes (no data descriptors, no zip64: a DOCX is far below 4 GiB):

- the shared members' local entries and their central directory records are kept as bytes
  (:class:`Archive`, made from a zip that :func:`.cache.write_package` wrote);
- a render's member is a list of pieces, each either bytes to deflate or a :class:`Packed`
  piece deflated once (the numbering part's long text before its lists, the same at every
  render). A piece deflated on its own ends on a byte boundary without a final block
  (``Z_SYNC_FLUSH``), the next piece is deflated by a fresh compressor, and a final block ends
  the member: RFC 1951 streams put end to end so form one stream, which any reader inflates.

tests/unit/adapters/test_docx_zipped.py reads what this writes back with zipfile
(``testzip`` checks every CRC).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

LEVEL = 1
"""Deflate level of every member written (see :class:`.cache._ZipWriter` for why 1)."""

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION = 20  # what zipfile writes for a deflated member
_MADE_BY = (3 << 8) | _VERSION  # Unix
_ATTRIBUTES = 0o600 << 16  # what zipfile's writestr gives a member named by a string
_TIME, _DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00: the same bytes for the same act
_END_BLOCK = b"\x03\x00"  # an empty final block, fixed Huffman codes


def _deflate(data: bytes, final: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_SYNC_FLUSH
    )


@dataclass(frozen=True)
class Packed:
    """A piece of a member deflated once: its text, and its deflated bytes with no final
    block."""

    raw: bytes
    deflated: bytes

    @classmethod
    def of(cls, raw: bytes) -> Packed:
        return cls(raw, _deflate(raw, final=False))


Piece = bytes | Packed


class Archive:
    """The members every render of one template shares, zipped."""

    def __init__(self, shared: bytes) -> None:
        """*shared*: a zip of those members, as zipfile writes one (no comment, no zip64)."""
        end = len(shared) - _END.size
        signature, _, _, _, count, size, start, comment = _END.unpack_from(shared, end)
        if signature != 0x06054B50 or comment or start + size != end:
            raise ValueError("not a zip as zipfile writes one")
        self._entries = shared[:start]
        self._directory = shared[start:end]
        self._count = count

    def zip(self, members: Sequence[tuple[str, Sequence[Piece]]]) -> bytes:
        """Return the archive: the shared members, then *members* (name, pieces), deflated."""
        out = [self._entries]
        offset = len(self._entries)
        directory = [self._directory]
        for name, pieces in members:
            data, crc, size = _member(pieces)
            encoded = name.encode("ascii")  # a part name is ASCII (OPC, ECMA-376 part 2)
            fields = (_VERSION, 0, zipfile.ZIP_DEFLATED, _TIME, _DATE, crc, len(data), size,
                      len(encoded))
            out += [_LOCAL.pack(0x04034B50, *fields, 0), encoded, data]
            directory += [
                _CENTRAL.pack(0x02014B50, _MADE_BY, *fields, 0, 0, 0, 0, _ATTRIBUTES, offset),
                encoded,
            ]
            offset += _LOCAL.size + len(encoded) + len(data)
        central = b"".join(directory)
        count = self._count + len(members)
        out += [central, _END.pack(0x06054B50, 0, 0, count, count, len(central), offset, 0)]
        return b"".join(out)


def _member(pieces: Sequence[Piece]) -> tuple[bytes, int, int]:
    """Return the deflated data of *pieces* put end to end, their CRC-32 and their size."""
    out: list[bytes] = []
    crc = size = 0
    pending: list[bytes] = []  # bytes to deflate together
    for i, piece in enumerate(pieces):
        last = i == len(pieces) - 1
        if isinstance(piece, Packed):
            if pending:
                out.append(_deflate(b"".join(pending), final=False))
                pending.clear()
            out.append(piece.deflated)
            raw = piece.raw
            if last:
                out.append(_END_BLOCK)
        else:
            pending.append(piece)
            raw = piece
            if last:
                out.append(_deflate(b"".join(pending), final=True))
        crc = zlib.crc32(raw, crc)
        size += len(raw)
    if not pieces:
        out.append(_deflate(b"", final=True))
    return b"".join(out), crc, size

