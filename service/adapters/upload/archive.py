"""An untrusted ZIP archive read within limits: the container of a DOCX a clerk uploads.

:mod:`zipfile` reads the central directory; the members are inflated here, with :mod:`zlib`,
because ``ZipFile.open`` stops silently at the size the header announces: it cannot tell a
truthful header from a lying one, while LibreOffice's own reader may inflate the stream to its
end. Inflating in bounded steps and comparing what comes out with what the header announced
catches the lie before more than the announced size is ever held in memory.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from service.domain.errors import DocumentRejected

MIB = 1024 * 1024
CHUNK = 256 * 1024
RATIO_FLOOR = MIB
"""Below this many inflated bytes a member's ratio is not checked: a small, very repetitive
part (an empty table style, a list of zeros) legitimately compresses far more than 100 to 1, and
cannot hurt anyone at that size."""

_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_SIGNATURE = 0x04034B50
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_SIZE = 0xFFFFFFFF
_ENCRYPTED, _DATA_DESCRIPTOR, _UTF8 = 0x1, 0x8, 0x800


@dataclass(frozen=True)
class ZipLimits:
    """What an upload may weigh, inflate to and hold."""

    max_size: int = 20 * MIB
    max_uncompressed: int = 200 * MIB
    max_ratio: float = 100.0
    max_entries: int = 2000


def refuse(code: str, message: str) -> DocumentRejected:
    """Return the refusal of an uploaded DOCX with its *code* (``docx-…``)."""
    return DocumentRejected(message, code=code)


class SafeZip:
    """The members of *data*, checked from the central directory at once and inflated on demand.

    Every read counts towards one budget of inflated bytes, so reading each member once
    inflates at most ``max_uncompressed`` bytes in all.

    :raises DocumentRejected: ``docx-vide``, ``docx-trop-volumineux``, ``docx-pas-un-zip``,
        ``docx-corrompu``, ``docx-chemin-invalide`` or ``docx-bombe``.
    """

    def __init__(self, data: bytes, limits: ZipLimits | None = None) -> None:
        self.limits = limits or ZipLimits()
        self._data = data
        self._inflated = 0
        _check_container(data, self.limits)
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as directory:
                infos = directory.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
            raise refuse("docx-pas-un-zip", "Le document envoyé n'est pas un fichier DOCX : "
                         f"son archive ZIP est illisible ({exc}).") from exc
        _check_directory(infos, len(data), self.limits)
        self._infos = {info.orig_filename: info for info in infos}
        self._spans = _data_spans(data, infos)

    @property
    def names(self) -> list[str]:
        """Return the names of the members that are files (directories left out)."""
        return [name for name in self._infos if not name.endswith("/")]

    def read(self, name: str) -> bytes:
        """Return the inflated content of member *name*."""
        return b"".join(self._inflate(name))

    def verify(self, name: str) -> None:
        """Inflate member *name* and drop its content: sizes and CRC checked, nothing kept."""
        for _ in self._inflate(name):
            pass

    def _inflate(self, name: str) -> Iterator[bytes]:
        info = self._infos[name]
        start, end = self._spans[name]
        raw = memoryview(self._data)[start:end]
        produced, crc = 0, 0
        for chunk in _chunks(raw, info.compress_type, name):
            produced += len(chunk)
            self._inflated += len(chunk)
            if produced > info.file_size:
                raise refuse("docx-bombe", f"La partie « {name} » du document se décompresse "
                             f"au-delà des {info.file_size} octets annoncés : archive falsifiée.")
            if self._inflated > self.limits.max_uncompressed:
                raise refuse("docx-bombe", _too_big(self.limits))
            crc = zlib.crc32(chunk, crc)
            yield chunk
        if produced != info.file_size or crc != info.CRC:
            raise _corrupt(f"la partie « {name} » ne correspond pas à sa taille ou à son CRC")


def _chunks(raw: memoryview, method: int, name: str) -> Iterator[bytes]:
    if method == zipfile.ZIP_STORED:
        for pos in range(0, len(raw), CHUNK):
            yield bytes(raw[pos:pos + CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as ZIP stores it
    pos = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                pending = inflater.unconsumed_tail
            elif pos < len(raw):
                pending, pos = bytes(raw[pos:pos + CHUNK]), pos + CHUNK
            else:
                raise _corrupt(f"la partie « {name} » est tronquée")
            yield inflater.decompress(pending, CHUNK)  # at most CHUNK bytes out per step
    except zlib.error as exc:
        raise _corrupt(f"la partie « {name} » n'est pas un flux deflate valide ({exc})") from exc
    if inflater.unused_data or pos < len(raw):
        raise _corrupt(f"la partie « {name} » est suivie de données cachées")


def _check_container(data: bytes, limits: ZipLimits) -> None:
    if not data:
        raise refuse("docx-vide", "Le document envoyé est vide ; un fichier DOCX est attendu.")
    if len(data) > limits.max_size:
        raise refuse("docx-trop-volumineux", f"Le document pèse {len(data)} octets, au-delà de "
                     f"la limite de {limits.max_size} octets.")
    if not data.startswith(b"PK\x03\x04"):
        raise refuse("docx-pas-un-zip", "Le document envoyé n'est pas un fichier DOCX (une "
                     "archive ZIP Office Open XML, enregistrée par Word ou LibreOffice).")
    # The entry count of the end record, read before zipfile builds an object per entry.
    end = data.rfind(_END_SIGNATURE, max(0, len(data) - 22 - 0xFFFF))
    if end >= 0 and len(data) >= end + 12:
        (declared,) = struct.unpack_from("<H", data, end + 10)
        if declared != 0xFFFF and declared > limits.max_entries:
            raise refuse("docx-bombe", _too_many(declared, limits))


def _check_directory(infos: list[zipfile.ZipInfo], size: int, limits: ZipLimits) -> None:
    if len(infos) > limits.max_entries:
        raise refuse("docx-bombe", _too_many(len(infos), limits))
    seen: set[str] = set()
    for info in infos:
        name = info.orig_filename
        _check_name(name)
        if name.lower() in seen:  # OPC part names are case-insensitive
            raise refuse("docx-chemin-invalide", f"Le document contient deux fois la partie "
                         f"« {name} » : l'un ou l'autre contenu serait lu selon le logiciel.")
        seen.add(name.lower())
        if info.flag_bits & _ENCRYPTED:
            raise refuse("docx-invalide", f"La partie « {name} » du document est chiffrée ; "
                         "enregistrez le document sans mot de passe.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse("docx-invalide", f"La partie « {name} » est compressée par une méthode "
                         f"({info.compress_type}) que Word n'emploie pas.")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise refuse("docx-bombe", f"La partie « {name} » se décompresse {ratio:.0f} fois "
                         f"(limite : {limits.max_ratio:g}) : bombe de décompression refusée.")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed:
        raise refuse("docx-bombe", _too_big(limits))
    if total > RATIO_FLOOR and total / size > limits.max_ratio:
        raise refuse("docx-bombe", f"Le document se décompresse {total / size:.0f} fois "
                     f"(limite : {limits.max_ratio:g}) : bombe de décompression refusée.")


def _check_name(name: str) -> None:
    parts = name.split("/")
    if (not name or name.startswith("/") or "\\" in name or "\x00" in name
            or ":" in parts[0] or ".." in parts
            or posixpath.normpath(name).startswith("..")):
        shown = name.replace("\x00", "?")
        raise refuse("docx-chemin-invalide", f"Le document contient une partie au nom "
                     f"dangereux : « {shown} » (chemin absolu ou remontant hors de l'archive).")


def _data_spans(data: bytes, infos: list[zipfile.ZipInfo]) -> dict[str, tuple[int, int]]:
    """Return where each member's compressed bytes lie, after checking its local header."""
    spans: dict[str, tuple[int, int]] = {}
    previous_end = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        offset = info.header_offset
        if offset < previous_end:
            raise refuse("docx-bombe", f"La partie « {info.orig_filename} » chevauche une autre "
                         "partie de l'archive : bombe de décompression refusée.")
        if offset < 0 or offset + _LOCAL_HEADER.size > len(data):
            raise _corrupt(f"la partie « {info.orig_filename} » est hors de l'archive")
        (signature, _, flags, method, _, _, crc, csize, usize, name_len,
         extra_len) = _LOCAL_HEADER.unpack_from(data, offset)
        raw_name = data[offset + _LOCAL_HEADER.size:offset + _LOCAL_HEADER.size + name_len]
        local_name = raw_name.decode("utf-8" if flags & _UTF8 else "cp437", errors="replace")
        if signature != _LOCAL_SIGNATURE or local_name != info.orig_filename:
            raise _corrupt(f"l'en-tête local de « {info.orig_filename} » ne correspond pas "
                           "au répertoire central")
        # Two readers must see the same sizes: a mismatch is how parser confusion starts.
        if (method != info.compress_type or not flags & _DATA_DESCRIPTOR and _ZIP64_SIZE not in
                (csize, usize) and (crc, csize, usize) != (info.CRC, info.compress_size,
                                                           info.file_size)):
            raise _corrupt(f"l'en-tête local de « {info.orig_filename} » contredit le "
                           "répertoire central")
        start = offset + _LOCAL_HEADER.size + name_len + extra_len
        end = start + info.compress_size
        if end > len(data):
            raise _corrupt(f"la partie « {info.orig_filename} » dépasse la fin de l'archive")
        spans[info.orig_filename] = (start, end)
        previous_end = end
    return spans


def _corrupt(why: str) -> DocumentRejected:
    return refuse("docx-corrompu", f"L'archive ZIP du document est corrompue : {why}.")


def _too_big(limits: ZipLimits) -> str:
    return (f"Le document décompressé dépasse la limite de {limits.max_uncompressed} octets : "
            "bombe de décompression refusée.")


def _too_many(count: int, limits: ZipLimits) -> str:
    return (f"Le document compte {count} parties (limite : {limits.max_entries}) : "
            "archive refusée.")
