"""When the event loop hands a request to a thread: only once it is whole (issue 13)."""

from __future__ import annotations

import pytest

from service.entrypoints.gunicorn_worker import MAX_HEAD, PendingRequest


def pending(max_body: int = 1000) -> PendingRequest:
    return PendingRequest(0.0, head_timeout=30, body_timeout=120, max_body=max_body)


def feed_bytewise(request: bytes, p: PendingRequest) -> int:
    """Feed *request* a byte at a time; return how many bytes made it complete (0: never)."""
    for i in range(len(request)):
        if p.feed(request[i:i + 1], 1.0):
            return i + 1
    return 0


@pytest.mark.parametrize("request_bytes", [
    b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    b"POST /v1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    b"5\r\nhello\r\n3;x=y\r\nabc\r\n0\r\n\r\n",
    b"POST /v1 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\nX-T: 1\r\n\r\n",
])
def test_a_request_is_handed_over_at_its_last_byte_not_before(request_bytes) -> None:
    assert feed_bytewise(request_bytes, pending()) == len(request_bytes)


def test_the_deadline_moves_from_the_head_to_the_body() -> None:
    p = pending()
    assert p.deadline == 30
    p.feed(b"POST / HTTP/1.1\r\nContent-Length: 9\r\n\r\nab", 10.0)
    assert p.deadline == 130


def test_a_body_over_the_limit_is_handed_over_at_once_for_a_413() -> None:
    p = pending(max_body=10)
    assert p.feed(b"POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", 1.0)


def test_an_endless_head_is_handed_over_for_gunicorn_to_refuse() -> None:
    p = pending()
    assert not p.feed(b"GET / HTTP/1.1\r\nX: " + b"a" * (MAX_HEAD - 100), 1.0)
    assert p.feed(b"a" * 200, 1.0)


def test_a_malformed_chunk_size_is_handed_over() -> None:
    assert pending().feed(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 1.0)


def test_expect_100_continue_is_noticed_with_the_head() -> None:
    p = pending()
    assert p.feed(b"POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n", 1.0)
    assert p.expect_continue
