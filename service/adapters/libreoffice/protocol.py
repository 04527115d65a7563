"""The wire format between the pool server and its clients, on a Unix socket.

A message is a 4-byte big-endian length, a JSON header of that length, then ``header["size"]``
bytes of body (a DOCX in a request, a PDF in an answer)::

    → {"op": "to_pdf", "label": "2019-013", "size": 40211} + DOCX
    ← {"ok": true, "size": 155020} + PDF
    ← {"ok": false, "error": "Unavailable", "message": "…", "retry_after": 3, "size": 0}

Other operations: ``ready`` (``{"ok": true, "ready": bool}``), ``stats`` and ``metrics``
(Prometheus text exposition as the body).

A connection carries any number of requests, one after the other, each answered before the
next is sent: a client keeps one connection per thread, so that an act costs neither a
connect/accept nor a server thread started for it (about 0.3 ms of CPU a conversion, both
sides; ``bench/bench_hops.py``). The server closes a connection idle for ``IDLE_TIMEOUT``
seconds; a client whose kept connection turns out closed before any answer came opens a new one
and sends its request again (converting twice is harmless; the first never ran).
"""

from __future__ import annotations

import json
import socket
import struct

from service.domain.errors import (
    ConversionError,
    ConversionTimeout,
    PdfTooLarge,
    ServiceError,
    TooManyPages,
    Unavailable,
)

HEADER = struct.Struct(">I")
MAX_HEADER = 1 << 20
MAX_BODY = 64 << 20  # a deliberation's DOCX or PDF is far below this
IDLE_TIMEOUT = 300.0  # seconds a server keeps a connection that sends nothing

# The errors a server may send back, by name; anything else becomes a ConversionError.
ERRORS: dict[str, type[ServiceError]] = {
    cls.__name__: cls
    for cls in (ConversionError, ConversionTimeout, Unavailable, PdfTooLarge, TooManyPages)
}


class ProtocolError(Exception):
    """The peer sent something that is not a message of this protocol."""


class Closed(ProtocolError):
    """The peer closed the connection before the first byte of a message."""


def send(sock: socket.socket, header: dict, body: bytes = b"") -> None:
    """Send one message: *header* (its ``size`` is set here) then *body*."""
    raw = json.dumps({**header, "size": len(body)}).encode()
    # One system call for the three parts, none of them copied into a joined buffer.
    parts = (HEADER.pack(len(raw)), raw, body)
    sent = sock.sendmsg(parts)
    for part in parts:  # what the socket's buffer could not take at once, the usual way
        if sent >= len(part):
            sent -= len(part)
            continue
        sock.sendall(memoryview(part)[sent:])
        sent = 0


def receive(sock: socket.socket) -> tuple[dict, bytes]:
    """Return the next (header, body) from *sock*.

    :raises Closed: when the peer closed the connection between two messages.
    :raises ProtocolError: when the peer closes early or sends an oversized or garbled message.
    """
    first = sock.recv(HEADER.size)
    if not first:
        raise Closed("connection closed")
    if len(first) < HEADER.size:
        first += _exactly(sock, HEADER.size - len(first))
    (length,) = HEADER.unpack(first)
    if length > MAX_HEADER:
        raise ProtocolError(f"header of {length} bytes")
    try:
        header = json.loads(_exactly(sock, length))
    except ValueError as exc:
        raise ProtocolError("header is not JSON") from exc
    size = int(header.get("size", 0))
    if not 0 <= size <= MAX_BODY:
        raise ProtocolError(f"body of {size} bytes")
    return header, _exactly(sock, size)


def error_header(exc: ServiceError) -> dict:
    """Return the answer header carrying *exc*."""
    header = {"ok": False, "error": type(exc).__name__, "message": exc.message, "code": exc.code}
    if isinstance(exc, Unavailable):
        header["retry_after"] = exc.retry_after
    return header


def error_from(header: dict) -> ServiceError:
    """Return the service error an answer header describes."""
    cls = ERRORS.get(header.get("error", ""), ConversionError)
    message = header.get("message") or "La conversion PDF a échoué."
    if cls is Unavailable:
        return Unavailable(message, retry_after=int(header.get("retry_after", 5)))
    return cls(message)


def _exactly(sock: socket.socket, n: int) -> bytes:
    if not n:
        return b""
    chunk = sock.recv(n)  # most often all of it at once: no buffer of our own, no copy
    if len(chunk) == n:
        return chunk
    if not chunk:
        raise ProtocolError("connection closed mid-message")
    buffer = bytearray(n)
    view = memoryview(buffer)
    view[: len(chunk)] = chunk
    got = len(chunk)
    while got < n:
        read = sock.recv_into(view[got:])
        if not read:
            raise ProtocolError("connection closed mid-message")
        got += read
    return bytes(buffer)
