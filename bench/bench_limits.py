"""The heavy but valid documents of issue 13 against the service's limits, side by side.

Three documents that held every LibreOffice for a minute and pushed it past 1 GB:

- a payload whose exposé weighs 2 MB: refused by the payload's field bounds (422
  ``texte-trop-long``) before anything is rendered;
- a clerk's DOCX holding a 20,000-row table, and one holding 10,000 page breaks: refused by the
  upload inspection (422 ``docx-trop-long``) before LibreOffice sees them.

For the two DOCX, what LibreOffice alone would have done is measured too, in one warm worker
with the memory cap (``RLIMIT_DATA`` 1024 MiB, the default) and, unless ``--quick``, without it:
outcome, seconds, and the peak resident memory of soffice.bin (``VmHWM``). The page limit
(``ACTES_MAX_PAGES``, 1000) is applied to whatever PDF comes out. ``--caps 400`` shows a cap
below what a document needs: LibreOffice fails its allocations and the act is refused.

    .venv/bin/python bench/bench_limits.py [--quick] [--caps 1024,0]
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from heavy_documents import with_page_breaks, with_table  # noqa: E402

from service.adapters.libreoffice.pool import LibreOfficePool  # noqa: E402
from service.adapters.upload.docx_inspector import DocxInspector  # noqa: E402
from service.errors import ServiceError  # noqa: E402
from service.services.validation import validate_deliberation  # noqa: E402

DIJON = ROOT.parent / "shared" / "contract" / "examples" / "deliberation-dijon-2019-12-19-013.json"


def plain_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Le conseil adopte la délibération.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def refusal(action) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        action()
        outcome = "accepted"
    except ServiceError as exc:
        outcome = f"{type(exc).__name__} {exc.code}"
        violations = getattr(exc, "violations", ())
        if violations:
            outcome += " " + ", ".join(f"{v.champ}: {v.code}" for v in violations)
    return outcome, time.perf_counter() - started


def peak_rss_mb(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def convert_alone(document: bytes, memory_mb: int, timeout: float) -> tuple[str, float, float]:
    """Convert *document* in a fresh one-worker pool; return outcome, seconds, peak RSS MiB."""
    with tempfile.TemporaryDirectory() as tmp, \
            LibreOfficePool(1, work_dir=tmp, timeout=timeout, memory_mb=memory_mb) as pool:
        pool.to_pdf(plain_docx())  # warm
        worker = pool.workers[0]
        peak = [0.0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.2):
                peak[0] = max(peak[0], peak_rss_mb(worker.soffice_pid) or 0.0)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        try:
            pdf = pool.to_pdf(document, label="le document lourd")
            outcome = f"PDF of {len(pdf) // 1024} kB"
        except ServiceError as exc:
            outcome = f"{type(exc).__name__} {exc.code}"
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        return outcome, elapsed, peak[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="capped conversions only, no uncapped comparison")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--caps", default="1024,0",
                        help="memory caps to compare, MiB, comma-separated (0: none)")
    args = parser.parse_args()

    payload = json.loads(DIJON.read_text(encoding="utf-8"))
    heavy_payload = copy.deepcopy(payload)
    heavy_payload["deliberation"]["expose"] = "Un exposé très long du rapporteur. " * 60_000
    outcome, seconds = refusal(lambda: validate_deliberation(heavy_payload))
    size = len(heavy_payload["deliberation"]["expose"].encode()) / 1e6
    print("1. Field bounds")
    print(f"   exposé of {size:.1f} MB: {outcome} in {seconds * 1000:.0f} ms")

    plain = plain_docx()
    documents = {"20,000-row table": with_table(plain, 20_000),
                 "10,000 page breaks": with_page_breaks(plain, 10_000)}
    inspector = DocxInspector()
    print("\n2. Upload inspection (before LibreOffice)")
    for name, document in documents.items():
        outcome, seconds = refusal(lambda d=document: inspector.inspect_docx(d))
        print(f"   {name} ({len(document) / 1e6:.1f} MB): {outcome} in {seconds * 1000:.0f} ms")

    print("\n3. LibreOffice alone on the same documents (what the inspection spares), one warm "
          "worker, page limit 1000")
    caps = [1024] if args.quick else [int(c) for c in args.caps.split(",")]
    print(f"   {'document':<20} {'memory cap':>10} {'seconds':>8} {'peak RSS MiB':>13}  outcome")
    rows = {}
    for name, document in documents.items():
        for cap in caps:
            outcome, seconds, peak = convert_alone(document, cap, args.timeout)
            rows[(name, cap)] = (seconds, peak)
            label = f"{cap} MiB" if cap else "none"
            print(f"   {name:<20} {label:>10} {seconds:>8.1f} {peak:>13.0f}  {outcome}",
                  flush=True)
    if 1024 in caps and 0 in caps:
        print("\n   ratios capped / uncapped (seconds, peak RSS):")
        for name in documents:
            (s1, p1), (s0, p0) = rows[(name, 1024)], rows[(name, 0)]
            print(f"   {name:<20} {s1 / s0:>6.2f} {p1 / p0 if p0 else float('nan'):>6.2f}")


if __name__ == "__main__":
    main()
