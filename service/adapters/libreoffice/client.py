"""Convert through the machine's pool server: the ``PdfConverter`` of each HTTP worker.

Each thread of each process keeps one connection to the server and sends its requests on it one
after the other (protocol.py): no connect, accept or server thread per act. A connection is
opened by the thread that uses it, after any fork, so a client is safe to create before
gunicorn forks and to share between threads.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Sequence

from service.adapters.libreoffice import protocol
from service.adapters.libreoffice.batch import convert_all
from service.domain.errors import ConversionTimeout, ServiceError, Unavailable


class PoolClient:
    """Talk to ``python -m service.adapters.libreoffice.server`` on *socket_path*.

    *timeout* bounds one call, queue wait included; keep it above the server's conversion
    timeout plus its queue timeout (the server answers those itself, more precisely).
    """

    def __init__(self, socket_path: str | os.PathLike[str], *, timeout: float = 180.0,
                 parallel: int | None = None) -> None:
        self.socket_path = str(socket_path)
        self.timeout = timeout
        self.parallel = parallel
        self._local = threading.local()

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        """Return the PDF of *docx*, converted by the pool server.

        :raises ConversionError: when the document cannot be converted.
        :raises ConversionTimeout: when the conversion (or the server) takes too long.
        :raises Unavailable: when the pool is saturated or the server does not answer.
        """
        _, pdf = self._call({"op": "to_pdf", "label": label, "tenant": tenant}, docx)
        return pdf

    def to_pdf_many(self, docxs: Sequence[bytes], *, labels: Sequence[str] = ()) -> list[bytes]:
        """Return the PDFs of *docxs* in order, as many at once as the pool has workers."""
        if not docxs:
            return []
        width = self.parallel or int(self.stats().get("size", 1))
        return convert_all(self.to_pdf, docxs, labels, width=width)

    def is_ready(self) -> bool:
        """Return True when the server answers and one of its workers can convert."""
        try:
            header, _ = self._call({"op": "ready"}, timeout=5.0)
        except ServiceError:
            return False
        return bool(header.get("ready"))

    def stats(self) -> dict:
        """Return the pool's :meth:`~LibreOfficePool.stats`."""
        header, _ = self._call({"op": "stats"}, timeout=5.0)
        return header["stats"]

    def metrics(self) -> bytes:
        """Return the pool's Prometheus metrics in the text exposition format."""
        _, body = self._call({"op": "metrics"}, timeout=5.0)
        return body

    def _call(self, header: dict, body: bytes = b"", *,
              timeout: float | None = None) -> tuple[dict, bytes]:
        deadline = time.monotonic() + (timeout or self.timeout)
        sock, reused = self._connection(deadline)
        try:
            try:
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                protocol.send(sock, header, body)
                answer, payload = protocol.receive(sock)
            except (protocol.Closed, BrokenPipeError, ConnectionResetError):
                if not reused:
                    raise
                # A kept connection the server has since closed (idle, restarted, or gone
                # while converting): the request goes again, once, on a new connection; a
                # document converted twice gives the same PDF.
                self._drop()
                sock, _ = self._connection(deadline)
                sock.settimeout(max(0.001, deadline - time.monotonic()))
                protocol.send(sock, header, body)
                answer, payload = protocol.receive(sock)
        except TimeoutError as exc:
            self._drop()
            raise ConversionTimeout(
                "Le service de conversion PDF n'a pas répondu à temps.") from exc
        except (OSError, protocol.ProtocolError) as exc:
            self._drop()
            raise Unavailable(
                "Le service de conversion PDF a interrompu la connexion.",
                retry_after=5) from exc
        except BaseException:
            self._drop()  # interrupted mid-message: the connection's state is unknown
            raise
        if not answer.get("ok"):
            raise protocol.error_from(answer)
        return answer, payload

    def _connection(self, deadline: float) -> tuple[socket.socket, bool]:
        """Return this thread's connection and whether it served a request before.

        :raises Unavailable: when the server does not accept a connection.
        """
        kept = getattr(self._local, "kept", None)
        if kept is not None and kept.pid == os.getpid():
            return kept.sock, True
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            sock.connect(self.socket_path)
        except OSError as exc:
            sock.close()
            raise Unavailable(
                "Le service de conversion PDF ne répond pas.", retry_after=5) from exc
        self._local.kept = _Kept(sock)
        return sock, False

    def _drop(self) -> None:
        kept, self._local.kept = getattr(self._local, "kept", None), None
        if kept is not None:
            kept.close()

    def close(self) -> None:
        """Close the calling thread's connection (others close when their thread ends)."""
        self._drop()


class _Kept:
    """A thread's connection, closed when the thread (its ``threading.local``) or the client
    goes away. One inherited through ``fork`` belongs to the parent: never used here."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.pid = sock, os.getpid()

    def close(self) -> None:
        self.sock.close()  # closes this process's descriptor only, never the parent's

    def __del__(self) -> None:
        self.close()
