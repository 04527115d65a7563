"""A gthread worker that reads each request whole in its event loop before a thread runs it.

gunicorn's ``gthread`` worker hands a connection to a thread as soon as its first byte arrives;
the thread then reads the request line, headers and body with blocking calls. A client that
trickles its headers or body one byte a second holds a thread for as long as it likes: a
handful of them (as many as ``--threads``) and nothing else is answered, ``/healthz`` included.

Here the worker's event loop reads (non-blocking) until the request's head and its body
(``Content-Length`` bytes, or the chunked body to its last chunk) are all there, with deadlines
for each; only then does a thread parse and run it, from memory. A slow client costs a socket
and its buffered bytes, never a thread. A reverse proxy that buffers requests (nginx does by
default) does the same in production; the service holds without one.

Written by hand: gunicorn has no such mode, and its async workers (gevent, eventlet) would patch
the threads and sockets LibreOffice's bridge and the database drivers rely on.
"""

from __future__ import annotations

import errno
import selectors
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

MAX_HEAD = 64 * 1024
"""Request line and headers: gunicorn's own limits (8190 per line, 100 fields) fit within."""


class RequestTooSlow(Exception):
    """The client did not send its request in time."""


class PendingRequest:
    """The bytes of one request received so far, and whether it is complete."""

    def __init__(self, now: float, head_timeout: float, body_timeout: float,
                 max_body: int) -> None:
        self.buf = bytearray()
        self.head_end = -1
        self.head_deadline = now + head_timeout
        self.body_deadline = float("inf")
        self.body_timeout = body_timeout
        self.max_body = max_body
        self.length: int | None = None
        self.chunked = False
        self.expect_continue = False

    @property
    def deadline(self) -> float:
        return self.head_deadline if self.head_end < 0 else self.body_deadline

    def feed(self, data: bytes, now: float) -> bool:
        """Take *data*; return True once the request can be handed over (complete, or
        something gunicorn will refuse by itself: a head too large, a body over the limit, a
        malformed framing).
        """
        self.buf += data
        if self.head_end < 0:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                # gunicorn answers 431/400 to an oversized head from the buffer alone.
                return len(self.buf) > MAX_HEAD
            self.head_end = end + 4
            self.body_deadline = now + self.body_timeout
            self._read_head(bytes(self.buf[:end]))
            if self.expect_continue:
                return True  # the client waits for "100 Continue": see _take
        return self._body_complete()

    def _read_head(self, head: bytes) -> None:
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == b"content-length" and value.isdigit():
                self.length = int(value)
            elif name == b"transfer-encoding" and value.endswith(b"chunked"):
                self.chunked = True
            elif name == b"expect" and value == b"100-continue":
                self.expect_continue = True

    def _body_complete(self) -> bool:
        body = memoryview(self.buf)[self.head_end:]
        if self.chunked:
            return len(body) > self.max_body or _chunked_complete(bytes(body))
        if self.length is None:
            return True  # no body
        # Over the limit: the app answers 413 without reading it.
        return self.length > self.max_body or len(body) >= self.length


def _chunked_complete(body: bytes) -> bool:
    """Return True when *body* holds a whole chunked body (or framing gunicorn will refuse)."""
    pos = 0
    while True:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            return len(body) - pos > 1024  # an endless chunk-size line: let gunicorn refuse it
        try:
            size = int(body[pos:eol].split(b";", 1)[0].strip(), 16)
        except ValueError:
            return True
        pos = eol + 2
        if size == 0:
            return body.find(b"\r\n\r\n", pos - 2) >= 0 or body[pos:pos + 2] == b"\r\n"
        pos += size + 2
        if pos > len(body):
            return False


class BufferingThreadWorker(ThreadWorker):
    """``gthread`` with requests read whole by the event loop (see the module's docstring).

    Timeouts come from ``ACTES_REQUEST_HEAD_TIMEOUT`` and ``ACTES_REQUEST_BODY_TIMEOUT``
    (seconds; 30 and 120 by default); a request late on either is answered 408 and closed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from service.config import Settings

        settings = Settings()
        self.reading: dict[TConn, PendingRequest] = {}
        self.head_timeout = settings.request_head_timeout
        self.body_timeout = settings.request_body_timeout
        self.max_body = settings.max_content_length

    # -- new connections and kept-alive ones go to the reader, not to a thread --------------

    def accept(self, listener: Any) -> None:
        try:
            client_sock, client_addr = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())
        self._read(conn)

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._read(conn)

    def _read(self, conn: TConn) -> None:
        if self.cfg.is_ssl:
            # TLS is read by the thread (the handshake blocks); terminate TLS at a proxy.
            self.enqueue_req(conn)
            return
        conn.sock.setblocking(False)
        self.reading[conn] = PendingRequest(time.monotonic(), self.head_timeout,
                                            self.body_timeout, self.max_body)
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_bytes, conn))

    def _on_bytes(self, conn: TConn, sock: Any) -> None:
        pending = self.reading[conn]
        try:
            data = sock.recv(256 * 1024)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._drop(conn)
            return
        if pending.feed(data, time.monotonic()):
            self._take(conn, pending)

    def _take(self, conn: TConn, pending: PendingRequest) -> None:
        if pending.expect_continue:
            # Answer the expectation here, once, and let the body come to the event loop too;
            # the header is removed so that gunicorn does not answer it a second time.
            pending.expect_continue = False
            head = bytes(pending.buf[:pending.head_end])
            lines = [ln for ln in head.split(b"\r\n")
                     if ln.split(b":", 1)[0].strip().lower() != b"expect"]
            rest = bytes(pending.buf[pending.head_end:])
            pending.buf = bytearray(b"\r\n".join(lines))
            pending.head_end = len(pending.buf)
            pending.buf += rest
            try:
                conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")
            except OSError:
                self._drop(conn)
                return
            if not pending.feed(b"", time.monotonic()):
                return
        self.poller.unregister(conn.sock)
        del self.reading[conn]
        conn.actes_buffered = bytes(pending.buf)
        conn.data_ready = True
        self.enqueue_req(conn)

    def _drop(self, conn: TConn, answer: bytes = b"") -> None:
        self.reading.pop(conn, None)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        if answer:
            try:
                conn.sock.send(answer)
            except OSError:
                pass
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for conn, pending in list(self.reading.items()):
            if pending.deadline <= now:
                self._drop(conn, b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                                 b"Content-Length: 0\r\n\r\n")

    # -- the thread parses from memory -----------------------------------------------------

    def handle(self, conn: TConn) -> Any:
        buffered = getattr(conn, "actes_buffered", None)
        if buffered is not None:
            conn.actes_buffered = None
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(buffered)
        return super().handle(conn)
