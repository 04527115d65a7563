"""The machine's one LibreOffice pool, served to every HTTP worker over a Unix socket.

Gunicorn runs several worker processes; a pool in each would start ``size`` LibreOffices per
worker and overload the cores. Instead ONE process per machine owns the pool::

    python -m service.adapters.libreoffice.server --socket /run/actes/lo.sock --size 2

and the HTTP workers convert through :class:`~service.adapters.libreoffice.client.PoolClient`.
:class:`PoolServerProcess` starts and stops that process from Python (gunicorn's
``on_starting``/``on_exit`` hooks, tests, the benchmark).
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from service.adapters.libreoffice import protocol
from service.adapters.libreoffice.client import PoolClient
from service.adapters.libreoffice.limits import MIB, PdfLimits
from service.adapters.libreoffice.pool import LibreOfficePool
from service.domain.errors import ConversionError, ServiceError, Unavailable

log = logging.getLogger(__name__)


class _Handler(socketserver.BaseRequestHandler):
    """One client connection: its requests, one after the other, until it closes or idles."""

    server: PoolServer

    def handle(self) -> None:
        sock = self.request
        sock.settimeout(protocol.IDLE_TIMEOUT)
        with self.server.track(sock):
            while True:
                try:
                    header, body = protocol.receive(sock)
                except protocol.Closed:
                    return
                except TimeoutError:
                    return  # idle: the client opens a new connection when it needs one
                except (protocol.ProtocolError, OSError) as exc:
                    log.warning("unreadable request: %s", exc)
                    return
                if not self._answer(*self._serve(header, body)):
                    return

    def _serve(self, header: dict, body: bytes) -> tuple[dict, bytes]:
        pool = self.server.pool
        op = header.get("op")
        try:
            if op == "to_pdf":
                return {"ok": True}, pool.to_pdf(body, label=str(header.get("label", "")),
                                                 tenant=str(header.get("tenant", "")))
            if op == "ready":
                return {"ok": True, "ready": pool.is_ready()}, b""
            if op == "stats":
                return {"ok": True, "stats": pool.stats()}, b""
            if op == "metrics":
                return {"ok": True}, pool.metrics()
            raise ConversionError(f"Opération inconnue : {op!r}.")
        except ServiceError as exc:
            return protocol.error_header(exc), b""
        except Exception:
            log.exception("pool server: %s failed", op)
            return protocol.error_header(ConversionError("La conversion PDF a échoué.")), b""

    def _answer(self, header: dict, body: bytes = b"") -> bool:
        try:
            protocol.send(self.request, header, body)
        except OSError as exc:  # the client left (its own timeout, a killed HTTP worker…)
            log.info("client gone before the answer: %s", exc)
            return False
        return True


class PoolServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """A threaded Unix-socket server answering with *pool*: a thread per client connection,
    which clients keep (one per client thread) and reuse for every request."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, socket_path: str | os.PathLike[str], pool: LibreOfficePool) -> None:
        self.pool = pool
        self.socket_path = Path(socket_path)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        _remove_stale_socket(self.socket_path)
        super().__init__(str(self.socket_path), _Handler)
        # HTTP workers run as the same user or its group; nobody else may convert.
        os.chmod(self.socket_path, 0o660)

    @contextlib.contextmanager
    def track(self, sock: socket.socket) -> Iterator[None]:
        """Hold *sock* among the open connections while its handler runs."""
        with self._connections_lock:
            self._connections.add(sock)
        try:
            yield
        finally:
            with self._connections_lock:
                self._connections.discard(sock)

    def server_close(self) -> None:
        super().server_close()
        with contextlib.suppress(FileNotFoundError):
            self.socket_path.unlink()
        # Kept connections end with the server: their clients see it at once, not at a timeout.
        with self._connections_lock:
            connections = list(self._connections)
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _remove_stale_socket(path: Path) -> None:
    if not path.exists():
        return
    probe = socket.socket(socket.AF_UNIX)
    try:
        probe.connect(str(path))
    except OSError:
        path.unlink()  # left by a server that died
    else:
        raise Unavailable(f"Un serveur de conversion écoute déjà sur {path}.", retry_after=5)
    finally:
        probe.close()


def serve(socket_path: str, pool: LibreOfficePool) -> None:
    """Serve *pool* on *socket_path* until SIGTERM or SIGINT, then stop LibreOffice."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    pool.start(wait=False)
    server = PoolServer(socket_path, pool)
    thread = threading.Thread(target=server.serve_forever, name="pool-server", daemon=True)
    thread.start()
    log.info("LibreOffice pool (%d workers) serving on %s", pool.size, socket_path)
    try:
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        pool.close()
        log.info("LibreOffice pool stopped")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve a warm LibreOffice pool on a socket.")
    parser.add_argument("--socket", required=True, help="path of the Unix socket")
    parser.add_argument("--size", type=int, default=None, help="workers (default: CPU count)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per conversion")
    parser.add_argument("--max-queue", type=int, default=None)
    parser.add_argument("--queue-timeout", type=float, default=None)
    parser.add_argument("--recycle-after", type=int, default=1000)
    parser.add_argument("--rss-ceiling-mb", type=float, default=400.0)
    parser.add_argument("--max-pdf-mb", type=int, default=48, help="largest PDF of an act")
    parser.add_argument("--memory-mb", type=int, default=1024,
                        help="RLIMIT_DATA of each soffice.bin in MiB (0: none)")
    parser.add_argument("--max-pages", type=int, default=1000, help="most pages of an act")
    parser.add_argument("--no-pdfa", action="store_true", help="plain PDF instead of PDF/A-2b")
    parser.add_argument("--no-pin-cpus", action="store_true",
                        help="let the scheduler place the workers instead of one per CPU")
    parser.add_argument("--work-dir", default=None)
    parser.add_argument("--log-level", default="INFO")
    parser.add_argument("--test-hang-marker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    pool = LibreOfficePool(
        args.size, timeout=args.timeout, max_queue=args.max_queue,
        queue_timeout=args.queue_timeout, recycle_after=args.recycle_after,
        rss_ceiling_mb=args.rss_ceiling_mb, pdfa=not args.no_pdfa, work_dir=args.work_dir,
        limits=PdfLimits(args.max_pdf_mb * MIB, args.max_pages), memory_mb=args.memory_mb,
        pin_cpus=not args.no_pin_cpus, _test_hang_marker=args.test_hang_marker,
    )
    serve(args.socket, pool)
    return 0


class PoolServerProcess:
    """The pool server as a child process: ``start()`` returns a client once it is ready."""

    def __init__(self, socket_path: str | os.PathLike[str], *, args: Sequence[str] = (),
                 python: str = sys.executable, ready_timeout: float = 120.0) -> None:
        self.socket_path = str(socket_path)
        self.args = list(args)
        self.python = python
        self.ready_timeout = ready_timeout
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> PoolClient:
        """Start the server and return a client once a worker can convert.

        :raises Unavailable: when the server exits or is not ready in time.
        """
        self.proc = subprocess.Popen(
            [self.python, "-m", "service.adapters.libreoffice.server",
             "--socket", self.socket_path, *self.args],
        )
        client = PoolClient(self.socket_path)
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise Unavailable(
                    f"Le serveur de conversion s'est arrêté (code {self.proc.returncode}).",
                    retry_after=30)
            if client.is_ready():
                return client
            time.sleep(0.1)
        self.stop()
        raise Unavailable("Le serveur de conversion n'a pas démarré à temps.", retry_after=30)

    def stop(self, grace: float = 15.0) -> None:
        """Ask the server to stop (SIGTERM), killing it after *grace* seconds."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    sys.exit(main())
