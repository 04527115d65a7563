"""(a) The service end to end: HTTP POST of a deliberation → 201 with its DOCX and PDF stored.

:func:`running_service` starts ``actes serve`` (gunicorn and the machine's pool server, as in
production) on a free loopback port with a temporary data folder, and yields a function that
POSTs a payload under a new numéro each time, so that every request validates, renders,
converts, stamps and stores. :func:`measure_parts` then times, in this process, the parts of
the overhead that are not LibreOffice, so that the report can say what the overhead is made of.
"""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, server: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("actes serve did not become ready")


@contextmanager
def running_service() -> Iterator[Callable[[dict[str, Any]], None]]:
    """Yield ``post(payload)``: one POST of *payload* under a new numéro, asserting 201.

    ``post.base`` is the service's address, for other requests (a sitting's POST and its job);
    ``post.pid`` the process id of ``actes serve``, the root of its processes.
    """
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    counter = iter(range(1_000_000))
    with tempfile.TemporaryDirectory(prefix="bench-http-") as data:
        env = {**os.environ, "ACTES_DATA_DIR": data, "ACTES_PORT": str(port)}
        server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "actes"), "serve"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            _wait_ready(base, server)

            def post(payload: dict[str, Any]) -> None:
                # The body is made outside the timed call: the client's JSON is not the service's.
                p = copy.deepcopy(payload)
                p["deliberation"]["numero"] = f"BENCH{next(counter)}"
                body = json.dumps(p).encode()
                req = urllib.request.Request(f"{base}/v1/deliberations", data=body,
                                             headers={"Content-Type": "application/json"},
                                             method="POST")
                started = time.perf_counter()
                with urllib.request.urlopen(req, timeout=300) as resp:
                    resp.read()
                    assert resp.status == 201, resp.status
                post.last = time.perf_counter() - started  # type: ignore[attr-defined]

            post.base = base  # type: ignore[attr-defined]
            post.pid = server.pid  # type: ignore[attr-defined]
            yield post
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)


def measure_parts(measure: Any, name: str, payload: dict[str, Any], n: int) -> None:
    """Add the rows "<name>: part: …": what the service does around LibreOffice."""
    sys.path.insert(0, str(ROOT))
    from service import bootstrap as root
    from service.adapters.libreoffice.soffice_cli import SofficeCliConverter
    from service.config import Settings
    from service.services.generate import identifier_of, mention_of
    from service.services.validation import validate_deliberation

    settings = Settings()
    model = validate_deliberation(payload)
    ident = identifier_of(model)
    mention = mention_of(model, ident)
    renderer, stamper = root.make_renderer(settings), root.make_stamper(settings)
    docx = renderer.render_deliberation(model, ident)
    pdf = SofficeCliConverter().to_pdf(docx)
    prepared = stamper.prepare(mention)
    measure(f"{name}: part: validation (pydantic + legal checks)",
            lambda: validate_deliberation(payload), n)
    measure(f"{name}: part: docxtpl rendering", lambda: renderer.render_deliberation(model, ident),
            n)
    measure(f"{name}: part: stamp box, drawn during conversion",
            lambda: stamper.prepare(mention), n)
    measure(f"{name}: part: stamping the PDF (incremental annotation)",
            lambda: stamper.stamp(pdf, mention, prepared), n)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as data:
        repo, _ = root.make_storage(Settings(data_dir=Path(data)))
        counter = iter(range(1_000_000))

        def store() -> None:
            # New bytes each time, as each act has its own: a known blob is not written again.
            i = next(counter)
            salt = i.to_bytes(4, "big")
            repo.add_version(identifiant=f"021-242100410-20191219-S{i}-DE", siren="242100410",
                             files={"docx": docx + salt, "pdf": pdf + salt,
                                    "pdf_tamponne": pdf + b"t" + salt},
                             auteur="bench", origine="payload", payload_sha256=f"{i:064x}")

        measure(f"{name}: part: storage (SQLite + 3 files)", store, n)
