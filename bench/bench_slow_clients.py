"""Slow clients against three gunicorn worker models, side by side in one run (issue 13).

For each model, one gunicorn worker of the service (``--workers 1``; ``--threads 2`` where
threads exist) on a free loopback port, cold ``soffice`` conversions (none is asked for), then
``--slow`` connections (half trickling their headers, half their body, one byte a second) for
``--hold`` seconds, while a probe asks ``/healthz`` every second. Printed per model: probes
answered, the median and worst probe time, and the ratio of each worst to the buffering
worker's.

- ``sync``: gunicorn's default, one request at a time per process;
- ``gthread``: gunicorn's threads, a thread per connection from its first byte;
- ``buffering``: ``service.entrypoints.gunicorn_worker.BufferingThreadWorker`` (what
  ``actes serve`` runs): requests read whole by the event loop, threads only run the app.

    .venv/bin/python bench/bench_slow_clients.py [--slow 4] [--hold 15]
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODELS = {
    "sync": ["--worker-class", "sync"],
    "gthread": ["--worker-class", "gthread", "--threads", "2"],
    "buffering": ["--worker-class", "service.entrypoints.gunicorn_worker.BufferingThreadWorker",
                  "--threads", "2"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def probe(port: int, timeout: float) -> float | None:
    """Return the seconds /healthz took, or None when it did not answer within *timeout*."""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        conn.close()
    except OSError:
        return None
    return time.monotonic() - started


def slow_connections(port: int, n: int) -> list[tuple[socket.socket, bytes]]:
    out = []
    for i in range(n):
        sock = socket.create_connection(("127.0.0.1", port))
        if i % 2 == 0:
            out.append((sock, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: " + b"a" * 500))
        else:
            sock.sendall(b"POST /v1/deliberations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n")
            out.append((sock, b" " * 4000))
    return out


def run_model(name: str, args: list[str], slow: int, hold: float) -> list[float | None]:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-slow-{name}-"))
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ACTES_")},
           "ACTES_DATA_DIR": str(tmp), "ACTES_CONVERTER": "soffice", "XDG_RUNTIME_DIR": str(tmp)}
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
           "--no-control-socket", *args, "--config", "python:service.entrypoints.gunicorn_conf",
           "service.entrypoints.http:create_app()"]
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while probe(port, 1.0) is None:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"{name}: gunicorn did not start")
            time.sleep(0.2)
        conns = slow_connections(port, slow)
        times: list[float | None] = []
        started, i = time.monotonic(), 0
        while time.monotonic() - started < hold:
            for sock, message in conns:
                try:
                    sock.send(message[i:i + 1])
                except OSError:
                    pass
            i += 1
            times.append(probe(port, timeout=5.0))
            time.sleep(max(0.0, started + i - time.monotonic()))
        for sock, _ in conns:
            sock.close()
        return times
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slow", type=int, default=4,
                        help="slow connections (half head, half body)")
    parser.add_argument("--hold", type=float, default=15.0, help="seconds they last")
    args = parser.parse_args()
    results = {name: run_model(name, margs, args.slow, args.hold) for name, margs in MODELS.items()}
    ref = max(t for t in results["buffering"] if t is not None)
    print(f"{args.slow} slow connections for {args.hold:g} s, /healthz probed every second "
          f"(timeout 5 s); one gunicorn worker, 2 threads where threads exist\n")
    print(f"{'model':<10} {'answered':>9} {'median ms':>10} {'worst ms':>9} "
          f"{'worst / buffering':>18}")
    for name, times in results.items():
        ok = [t for t in times if t is not None]
        median = statistics.median(ok) * 1000 if ok else float("nan")
        worst = max(ok) * 1000 if len(ok) == len(times) else float("inf")
        ratio = worst / (ref * 1000)
        print(f"{name:<10} {len(ok):>4}/{len(times):<4} {median:>10.1f} {worst:>9.1f} "
              f"{ratio:>18.1f}")
    print("\nworst = inf: some probe got no answer within 5 s.")


if __name__ == "__main__":
    main()
