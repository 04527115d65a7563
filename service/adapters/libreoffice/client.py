"""Convert through the machine's pool server: the ``PdfConverter`` of each HTTP worker.

A client holds no connection between calls (one per request, Unix sockets are cheap), so it is
safe to create before gunicorn forks and to share between threads.
"""

from __future__ import annotations

import os
import socket
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
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout or self.timeout)
        try:
            try:
                sock.connect(self.socket_path)
            except OSError as exc:
                raise Unavailable(
                    "Le service de conversion PDF ne répond pas.", retry_after=5) from exc
            try:
                protocol.send(sock, header, body)
                answer, payload = protocol.receive(sock)
            except TimeoutError as exc:
                raise ConversionTimeout(
                    "Le service de conversion PDF n'a pas répondu à temps.") from exc
            except (OSError, protocol.ProtocolError) as exc:
                raise Unavailable(
                    "Le service de conversion PDF a interrompu la connexion.",
                    retry_after=5) from exc
        finally:
            sock.close()
        if not answer.get("ok"):
            raise protocol.error_from(answer)
        return answer, payload
