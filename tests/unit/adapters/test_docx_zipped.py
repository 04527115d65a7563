"""The zip of a rendered DOCX, written by zipped.py, is read back by zipfile as written."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from service.adapters.docx.zipped import Archive, Packed, Piece


def _shared() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>" * 40)
        z.writestr("docProps/thumbnail.jpeg", bytes(range(256)) * 8, zipfile.ZIP_STORED)
    return out.getvalue()


def _text(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    words = ["<w:p>", "<w:r><w:t>", "délibération", "conseil", "</w:t></w:r>", "</w:p>", " "]
    text = "".join(rng.choice(words) for _ in range(size // 6)).encode()
    return text + bytes(rng.randrange(256) for _ in range(size // 10))  # and some noise


def _raw(piece: Piece) -> bytes:
    return piece.raw if isinstance(piece, Packed) else piece


PIECES: dict[str, list[Piece]] = {
    "bytes": [_text(1, 5000)],
    "packed then bytes": [Packed.of(_text(2, 9000)), _text(3, 3000)],
    "bytes then packed": [_text(4, 200), Packed.of(_text(5, 70000))],
    "packed only": [Packed.of(_text(6, 1000))],
    "several of each": [Packed.of(b"<a>"), b"x", b"", Packed.of(_text(7, 400)), b"y", b"z"],
    "empty": [],
    "empty bytes": [b""],
}


def test_members_read_back_as_their_pieces_put_end_to_end() -> None:
    members = [(f"word/{name.replace(' ', '-')}.xml", pieces) for name, pieces in PIECES.items()]
    docx = Archive(_shared()).zip(members)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert z.testzip() is None  # every CRC checks
        assert z.namelist() == [
            "[Content_Types].xml", "docProps/thumbnail.jpeg", *(name for name, _ in members)
        ]
        assert z.read("[Content_Types].xml") == b"<Types/>" * 40
        assert z.read("docProps/thumbnail.jpeg") == bytes(range(256)) * 8
        for name, pieces in members:
            assert z.read(name) == b"".join(_raw(p) for p in pieces), name
            assert z.getinfo(name).compress_type == zipfile.ZIP_DEFLATED


def test_the_same_members_give_the_same_bytes() -> None:
    archive = Archive(_shared())
    members: list[tuple[str, list[Piece]]] = [("word/document.xml", [_text(8, 3000)])]
    assert archive.zip(members) == archive.zip(members)


def test_a_zip_with_a_comment_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("a.xml", "<a/>")
        z.comment = b"not written by write_package"
    with pytest.raises(ValueError):
        Archive(out.getvalue())
