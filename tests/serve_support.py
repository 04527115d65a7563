"""``actes serve`` in a subprocess on a free port, for tests of the real HTTP server."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ACTES = Path(sys.executable).with_name("actes")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a service with its own data folder and cold conversions."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACTES_")}
    env.update({"ACTES_DATA_DIR": str(tmp / "data"), "ACTES_CONVERTER": "soffice",
                "XDG_RUNTIME_DIR": str(tmp), "HOME": str(tmp), **extra})
    return env


def get(port: int, path: str, host: str = "127.0.0.1", timeout: float = 5.0,
        headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": host, **(headers or {})})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@contextlib.contextmanager
def served(tmp: Path, *args: str, env: dict[str, str] | None = None,
           port: int | None = None) -> Iterator[tuple[subprocess.Popen, int]]:
    """Run ``actes serve --port <free> *args`` until ``/healthz`` answers; stop it after."""
    port = port or free_port()
    proc = subprocess.Popen([str(ACTES), "serve", "--port", str(port), *args],
                            env=env or serve_env(tmp), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read().decode(errors="replace"))
            with contextlib.suppress(OSError):
                if get(port, "/healthz", timeout=1)[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise AssertionError("actes serve did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield proc, port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        proc.stdout.close()
