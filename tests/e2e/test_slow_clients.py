"""Slow clients cannot starve the service (issue 13, item 1).

A behaviour test, not a benchmark (``bench/bench_slow_clients.py`` measures): one gunicorn
worker with two threads, fewer than the four slow connections, so that a worker giving a thread
to each connection would stop answering.
"""

from __future__ import annotations

import http.client
import json
import socket
import time
from pathlib import Path

from tests.serve_support import serve_env, served

HOLD = 15.0


def _slow_head(port: int) -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port))
    return sock, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: " + b"a" * 200


def _slow_body(port: int) -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"POST /v1/deliberations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n")
    return sock, b"{" + b" " * 3998 + b"}"


def _probe(port: int) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        return resp.status, time.monotonic() - started
    finally:
        conn.close()


def test_two_slow_heads_and_two_slow_bodies_leave_healthz_answering(tmp_path: Path) -> None:
    env = serve_env(tmp_path, ACTES_WORKERS="1", ACTES_THREADS="2")
    with served(tmp_path, env=env) as (_, port):
        slow = [_slow_head(port), _slow_head(port), _slow_body(port), _slow_body(port)]
        probes: list[tuple[int, float]] = []
        started, i = time.monotonic(), 0
        try:
            while time.monotonic() - started < HOLD:
                for sock, message in slow:
                    sock.send(message[i:i + 1])  # one byte a second each
                i += 1
                probes.append(_probe(port))
                time.sleep(max(0.0, started + i - time.monotonic()))
            # Another client's whole request is served meanwhile, too.
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("POST", "/v1/deliberations", body=b"[]",
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            assert resp.status == 422 and json.loads(resp.read())["code"] == "donnees-invalides"
            conn.close()
            # The slow body, once complete, is answered like any other.
            sock, message = slow[2]
            sock.sendall(message[i:])
            sock.settimeout(10)
            assert sock.recv(100).startswith(b"HTTP/1.1 422")
        finally:
            for sock, _ in slow:
                sock.close()
    assert len(probes) >= 14
    assert all(status == 200 for status, _ in probes)
    assert max(seconds for _, seconds in probes) < 1.0, probes


def test_a_client_too_slow_is_answered_408_and_let_go(tmp_path: Path) -> None:
    env = serve_env(tmp_path, ACTES_WORKERS="1", ACTES_THREADS="2",
                    ACTES_REQUEST_HEAD_TIMEOUT="2", ACTES_REQUEST_BODY_TIMEOUT="2")
    with served(tmp_path, env=env) as (_, port):
        head, _ = _slow_head(port)
        body, _ = _slow_body(port)
        head.send(b"GET /healthz HTTP/1.1\r\n")
        for sock in (head, body):
            sock.settimeout(6)
            assert sock.recv(100).startswith(b"HTTP/1.1 408"), "closed after its deadline"
            sock.close()
        assert _probe(port)[0] == 200


def test_a_body_announced_with_expect_100_continue_is_read_too(tmp_path: Path) -> None:
    with served(tmp_path, env=serve_env(tmp_path, ACTES_WORKERS="1")) as (_, port):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.sendall(b"POST /v1/deliberations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                     b"Expect: 100-continue\r\n\r\n")
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"[]")
        answer = sock.recv(1000)
        assert answer.startswith(b"HTTP/1.1 422"), answer
        assert b"100 Continue" not in answer, "answered once"
        sock.close()
