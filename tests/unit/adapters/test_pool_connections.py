"""The pool server's clients keep one connection per thread (issue 25): what a caller sees when
that connection is reused, closed by the server or the server is gone. The pool is a fake: only
the socket, the protocol and the server's threads are real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.adapters.libreoffice import protocol
from service.adapters.libreoffice.client import PoolClient
from service.adapters.libreoffice.server import PoolServer
from service.domain.errors import ConversionError, Unavailable


class FakePool:
    """Answers a DOCX with ``PDF:`` + its bytes; ``b"bad"`` is refused as unreadable."""

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        if docx == b"bad":
            raise ConversionError(f"{label} illisible")
        return b"PDF:" + docx

    def is_ready(self) -> bool:
        return True


class Served:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.connections = 0
        self.server: PoolServer | None = None

    def start(self) -> None:
        served = self

        class Counting(PoolServer):
            def process_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
                served.connections += 1
                super().process_request(request, client_address)

        self.server = Counting(self.path, FakePool())  # type: ignore[arg-type]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()

    def stop(self) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def served() -> Iterator[Served]:
    folder = Path(tempfile.mkdtemp(prefix="actes-conn-"))  # short: Unix socket paths ≤ 108 B
    served = Served(folder / "pool.sock")
    served.start()
    try:
        yield served
    finally:
        served.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_thread_s_requests_share_one_connection_and_each_gets_its_own_answer(served) -> None:
    client = PoolClient(served.path)

    answers = [client.to_pdf(f"acte {n}".encode(), label=str(n)) for n in range(5)]

    assert answers == [f"PDF:acte {n}".encode() for n in range(5)]
    assert served.connections == 1
    client.close()


def test_an_error_answer_leaves_the_connection_usable(served) -> None:
    client = PoolClient(served.path)

    with pytest.raises(ConversionError, match="2019-1 illisible"):
        client.to_pdf(b"bad", label="2019-1")
    assert client.to_pdf(b"ok") == b"PDF:ok"
    assert served.connections == 1
    client.close()


def test_each_thread_has_its_own_connection(served) -> None:
    client = PoolClient(served.path)
    answers: dict[int, bytes] = {}

    def convert(n: int) -> None:
        answers[n] = client.to_pdf(str(n).encode())

    threads = [threading.Thread(target=convert, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)

    assert answers == {n: f"PDF:{n}".encode() for n in range(3)}
    assert served.connections == 3


def test_a_kept_connection_the_server_closed_is_replaced_without_the_caller_noticing(
        served) -> None:
    client = PoolClient(served.path)
    assert client.to_pdf(b"avant") == b"PDF:avant"

    served.stop()  # closes the kept connection, as an idle timeout or a restart does
    served.start()

    assert client.to_pdf(b"apres") == b"PDF:apres"
    assert served.connections == 2
    client.close()


def test_a_stopped_server_is_unavailable_at_once_even_on_a_kept_connection(served) -> None:
    client = PoolClient(served.path)
    assert client.is_ready()

    served.stop()

    with pytest.raises(Unavailable) as refused:
        client.to_pdf(b"trop tard")
    assert refused.value.retry_after > 0
    assert not client.is_ready()
    served.start()  # for the fixture's stop


def test_a_message_whose_body_comes_in_pieces_is_read_whole() -> None:
    import socket

    left, right = socket.socketpair()
    body = bytes(range(256)) * 4096  # 1 MiB: more than a socket buffer holds at once
    sender = threading.Thread(target=protocol.send, args=(left, {"ok": True}, body))
    sender.start()
    header, received = protocol.receive(right)
    sender.join(5)
    left.close()

    assert header == {"ok": True, "size": len(body)}
    assert received == body
    with pytest.raises(protocol.Closed):
        protocol.receive(right)
    right.close()


def test_a_killed_pool_s_folder_in_memory_is_removed_by_the_next_pool(tmp_path) -> None:
    """A pool server killed with SIGKILL cannot remove its folder of documents in flight from
    /dev/shm; the next pool started on the machine removes it, and no running pool's."""
    from service.adapters.libreoffice.worker import memory_jobs_dir

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    left = tmp_path / f"actes-lo-jobs-{gone}-abc123"
    left.mkdir()
    (left / "job-1.docx").write_bytes(b"PK" * 1000)
    running = tmp_path / f"actes-lo-jobs-{os.getpid()}-def456"
    running.mkdir()
    other = tmp_path / "actes-lo-jobs-notapid"
    other.mkdir()

    made = memory_jobs_dir(1, base=str(tmp_path))

    assert not left.exists()
    assert running.is_dir() and other.is_dir()
    if made is not None:  # None when tmp_path's file system has less room than a pool needs
        assert made.name.startswith(f"actes-lo-jobs-{os.getpid()}-")
