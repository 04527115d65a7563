"""Hostile variants of a real DOCX, built in memory: what a careless or malicious upload holds."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def rezip(
    data: bytes,
    *,
    replace: Mapping[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    add: Mapping[str, bytes] | None = None,
) -> bytes:
    """Return *data* with parts replaced, dropped or added (new parts go last)."""
    replace, add = dict(replace or {}), dict(add or {})
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            content = replace.pop(info.filename, None)
            dst.writestr(info.filename, src.read(info) if content is None else content,
                         compress_type=zipfile.ZIP_DEFLATED)
        for name, content in {**replace, **add}.items():
            dst.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    """Return the content of part *name*."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)


def edit_part(data: bytes, name: str, old: bytes, new: bytes) -> bytes:
    """Return *data* with *old* replaced by *new* in part *name* (which must hold *old*)."""
    content = part(data, name)
    assert old in content, f"{old!r} not in {name}"
    return rezip(data, replace={name: content.replace(old, new, 1)})


def with_relationship(data: bytes, kind: str, target: str, *, external: bool = True,
                      rels: str = "word/_rels/document.xml.rels") -> bytes:
    """Return *data* with one more relationship of *kind* (``image``, ``hyperlink``…) in *rels*."""
    mode = ' TargetMode="External"' if external else ""
    rel = (f'<Relationship Id="rIdTamper" Type="{RELS}/{kind}" Target="{target}"{mode}/>'
           ).encode()
    try:
        content = part(data, rels)
    except KeyError:
        content = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                   b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   b'</Relationships>')
    return rezip(data, replace={rels: content.replace(b"</Relationships>",
                                                      rel + b"</Relationships>")})


def zip_bomb(base: bytes, size: int, name: str = "word/media/image99.png") -> bytes:
    """Return *base* with one more part of *size* zero bytes, deflated while streamed.

    Zeros deflate about a thousand to one: 300 MB make a part of some 300 KB, and the bytes
    are never all in memory at once.
    """
    out = io.BytesIO(rezip(base))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open(name, "w") as f:
            block = bytes(1024 * 1024)
            for _ in range(size // len(block)):
                f.write(block)
            f.write(bytes(size % len(block)))
    return out.getvalue()
