"""(a) The service end to end: HTTP POST of a deliberation → 201 with its DOCX and PDF stored.

Starts ``actes serve`` (gunicorn + the machine's pool server) on a free loopback port with a
temporary data folder, posts the Dijon example ``n`` times (a new numéro each time, so every
POST renders, converts, stamps and stores), and times each request from the client. Then, in
this process, the parts of the overhead that are not LibreOffice: validation, docxtpl rendering,
PDF stamping and storage, so that the report can say what the remaining overhead is made of.
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
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("actes serve did not become ready")


def _post(base: str, payload: dict[str, Any]) -> None:
    req = urllib.request.Request(f"{base}/v1/deliberations", data=json.dumps(payload).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=120) as resp:
        assert resp.status == 201, resp.status
        resp.read()


def measure_http(measure: Any, dijon_json: Path, root: Path, n: int) -> None:
    """Add the rows "dijon: a HTTP end-to-end" and the in-process parts to the results."""
    payload = json.loads(dijon_json.read_text(encoding="utf-8"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="bench-http-") as data:
        env = {**os.environ, "ACTES_DATA_DIR": data, "ACTES_PORT": str(port)}
        server = subprocess.Popen([str(root / ".venv" / "bin" / "actes"), "serve"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            _wait_ready(base)
            counter = iter(range(1_000_000))

            def one() -> None:
                p = copy.deepcopy(payload)
                p["deliberation"]["numero"] = f"BENCH{next(counter)}"
                _post(base, p)

            measure("dijon: a HTTP end-to-end (POST → 201)", one, n)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, 9)
    _measure_parts(measure, payload, n)


def _measure_parts(measure: Any, payload: dict[str, Any], n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from service import bootstrap as root
    from service.adapters.libreoffice.soffice_cli import SofficeCliConverter
    from service.config import Settings
    from service.services.generate import identifier_of, mention_of
    from service.services.validation import validate_deliberation

    settings = Settings()
    model = validate_deliberation(payload)
    ident = identifier_of(model)
    renderer, stamper = root.make_renderer(settings), root.make_stamper(settings)
    docx = renderer.render_deliberation(model, ident)
    pdf = SofficeCliConverter().to_pdf(docx)
    measure("dijon: part: validation (pydantic + legal checks)",
            lambda: validate_deliberation(payload), n)
    measure("dijon: part: docxtpl rendering", lambda: renderer.render_deliberation(model, ident), n)
    measure("dijon: part: stamping (reportlab + pikepdf)",
            lambda: stamper.stamp(pdf, mention_of(model, ident)), n)
    with tempfile.TemporaryDirectory(prefix="bench-store-") as data:
        repo, _ = root.make_storage(Settings(data_dir=Path(data)))
        counter = iter(range(1_000_000))

        def store() -> None:
            repo.add_version(identifiant=f"021-242100410-20191219-S{next(counter)}-DE",
                             siren="242100410", files={"docx": docx, "pdf": pdf, "pdf_tamponne": pdf},
                             auteur="bench", origine="payload", payload_json="{}",
                             payload_sha256="0" * 64)

        measure("dijon: part: storage (SQLite + files)", store, n)
