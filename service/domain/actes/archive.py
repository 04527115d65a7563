"""The transmission archive: its file names and its flat ``.tar.gz``, built in memory.

Names follow S²LOW and the real archive ``SIC-EACT--210600730--20180115-1.tar.gz``
(``shared/notes/actes.md`` §5):

- archive ``{TRIGRAMME}-EACT--{SIREN}--{YYYYMMDD}-{serial}.tar.gz`` (sending day, in Paris;
  ``TACT`` instead of ``EACT`` for the ministry's test platform);
- envelope ``EACT--{SIREN}--{YYYYMMDD}-{serial}.xml``, first member; the serial counts the
  authority's sendings of the day, 1 to 9999, as the operator's counter does;
- message ``{IDActe}-{type}-{subtype}_0.xml``, e.g. ``…-DE-1-1_0.xml`` (decision date, as S²LOW);
- main document ``{type de pièce}-{IDActe}-1-1_1.pdf``, annexes ``_2``, ``_3``…

The archive is a POSIX ustar tar, flat, gzip-compressed, like S²LOW's ``tar cf - | gzip -9``;
owner, mode and dates are fixed so the same inputs give the same bytes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gzip
import hashlib
import io
import re
import tarfile
from collections.abc import Iterable
from dataclasses import dataclass

from service.domain.actes.identifier import ActesIdentifier

APPLICATION = "EACT"
"""The ministry application's quadrigram, second part of an archive name: production."""
PLATEFORMES = {"EACT": "production", "TACT": "test"}
"""The ministry's platforms by quadrigram: an authority may send to the test one (``TACT``)."""
SERIAL_MAX = 9999
"""The operator's daily counter of an authority's sendings stays below 10000 (S²LOW)."""
TRANSMISSION = (1, 1)
"""Message type and subtype of an act's transmission."""
ANNULATION = (6, 1)
"""Message type and subtype of a cancellation."""

_TRIGRAMME = re.compile(r"[A-Z0-9]{3}")


@dataclass(frozen=True)
class ArchiveMember:
    """One file of the archive: its name and its bytes."""

    name: str
    content: bytes


@dataclass(frozen=True)
class TransmissionArchive:
    """A ``.tar.gz`` ready for the prefecture: its name, its bytes and its members in order."""

    name: str
    content: bytes
    members: tuple[ArchiveMember, ...]
    warnings: tuple[str, ...] = ()
    """French warnings for the caller (a numéro a strict platform would refuse…)."""

    @property
    def names(self) -> tuple[str, ...]:
        """Return the member names, envelope first."""
        return tuple(m.name for m in self.members)

    def member(self, name: str) -> bytes:
        """Return the bytes of the member *name*.

        :raises KeyError: when the archive holds no such member.
        """
        for m in self.members:
            if m.name == name:
                return m.content
        raise KeyError(name)


def envelope_name(
    siren: str, sending_date: dt.date, serial: int, plateforme: str = APPLICATION
) -> str:
    """Return ``EACT--{SIREN}--{YYYYMMDD}-{serial}.xml``; *serial* counts the day's sendings.

    :raises ValueError: when *serial* is not 1 to 9999 or *plateforme* is neither ``EACT``
        nor ``TACT``.
    """
    if not 1 <= serial <= SERIAL_MAX:
        raise ValueError(f"numéro d'envoi du jour invalide : {serial} ; 1 à {SERIAL_MAX} attendu")
    if plateforme not in PLATEFORMES:
        raise ValueError(f"plateforme ACTES invalide : {plateforme!r} ; EACT ou TACT attendu")
    return f"{plateforme}--{siren}--{sending_date:%Y%m%d}-{serial}.xml"


def archive_name(
    trigramme: str, siren: str, sending_date: dt.date, serial: int, plateforme: str = APPLICATION
) -> str:
    """Return ``{TRIGRAMME}-EACT--{SIREN}--{YYYYMMDD}-{serial}.tar.gz`` (``TACT`` for the test
    platform).

    :raises ValueError: when *trigramme* is not 3 uppercase letters or digits.
    """
    if not _TRIGRAMME.fullmatch(trigramme):
        raise ValueError(f"trigramme d'opérateur invalide : {trigramme!r}")
    return f"{trigramme}-{envelope_name(siren, sending_date, serial, plateforme)[:-4]}.tar.gz"


def message_name(identifier: ActesIdentifier, kind: tuple[int, int] = TRANSMISSION) -> str:
    """Return the message file name: ``{IDActe}-1-1_0.xml`` for a transmission."""
    return f"{identifier}-{kind[0]}-{kind[1]}_0.xml"


def document_name(identifier: ActesIdentifier, type_piece: str, rank: int, extension: str) -> str:
    """Return ``{type de pièce}-{IDActe}-1-1_{rank}.{extension}``.

    *rank* is 1 for the act itself, 2 and up for its annexes.
    """
    if rank < 1:
        raise ValueError(f"rang de fichier invalide : {rank}")
    return f"{type_piece}-{identifier}-1-1_{rank}.{extension.lower().lstrip('.')}"


def pack(members: Iterable[ArchiveMember], when: dt.date) -> bytes:
    """Return a flat gzip-compressed ustar archive of *members*, in the given order.

    Every member is dated *when* at midnight UTC and owned by root with mode 0644; the gzip
    header carries no name and no date, as in the real archive.
    """
    mtime = calendar.timegm(when.timetuple())
    tar_bytes = io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for member in members:
            if "/" in member.name or member.name.startswith("."):
                raise ValueError(f"nom de fichier d'archive invalide : {member.name!r}")
            info = tarfile.TarInfo(member.name)
            info.size = len(member.content)
            info.mtime = mtime
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(member.content))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(tar_bytes.getvalue())
    return out.getvalue()


def make_archive(
    trigramme: str,
    siren: str,
    sending_date: dt.date,
    serial: int,
    members: Iterable[ArchiveMember],
    *,
    warnings: tuple[str, ...] = (),
    plateforme: str = APPLICATION,
) -> TransmissionArchive:
    """Return the archive named for *trigramme*, *siren*, the platform, the day and its serial."""
    members = tuple(members)
    name = archive_name(trigramme, siren, sending_date, serial, plateforme)
    return TransmissionArchive(name, pack(members, sending_date), members, warnings)


@dataclass(frozen=True)
class PreparedArchive:
    """An archive's content before it is named: the envelope's XML, the message and the files.

    Nothing in it depends on the day or the serial (only the envelope's file name, the
    archive's name and its members' dates do), so its :attr:`sha256` tells whether two
    requests would transmit the same thing.
    """

    trigramme: str
    siren: str
    plateforme: str
    envelope_xml: bytes
    members: tuple[ArchiveMember, ...]
    """The message first, then the documents, without the envelope."""
    warnings: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        """Return the SHA-256 of the platform, the envelope's XML and each member, name and
        bytes (each part prefixed with its length, so no two contents collide)."""
        digest = hashlib.sha256()
        for part in (self.plateforme.encode(), self.envelope_xml,
                     *(x for m in self.members for x in (m.name.encode(), m.content))):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def named(self, serial: int, sending_date: dt.date) -> TransmissionArchive:
        """Return the archive of the authority's *serial*-th sending of *sending_date*."""
        envelope = ArchiveMember(
            envelope_name(self.siren, sending_date, serial, self.plateforme), self.envelope_xml)
        return make_archive(self.trigramme, self.siren, sending_date, serial,
                            (envelope, *self.members), warnings=self.warnings,
                            plateforme=self.plateforme)
