"""Each hop between the HTTP request and LibreOffice, measured alone on the Dijon act.

Run from the repository root::

    .venv/bin/python bench/bench_hops.py [--n 30]

One call of each in turn, ``--n`` times, on the same DOCX (the service's rendering of the
contract's Dijon example), every conversion PDF/A:

1. **in LibreOffice**: load + export + close, as the bridge reports it;
2. **bridge** (``LibreOfficeWorker.convert``): 1 plus the DOCX written to the worker's folder,
   the request and answer over the bridge's pipe, the PDF read back;
3. **in-process pool** (``LibreOfficePool(1).to_pdf``): 2 plus the pool's slot, queue and checks;
4. **pool server** (``PoolClient.to_pdf`` to ``server --size 1``): 3 plus the Unix socket, the
   bytes copied both ways and the server's thread;
5. **HTTP** alone: ``GET /healthz`` on ``actes serve`` (gunicorn, its buffering worker), a
   request that does no work: what any HTTP call costs before the route runs.

Each hop's cost is the difference of two medians, printed last, then the CPU each costs per
conversion: this process's for 2 and 3 (``time.process_time``, every thread), and for 4 the
calling thread's (``time.thread_time``) plus the pool server process's (``/proc/PID/stat``; the
bridge and LibreOffice, its children, are not counted). Wall time is mostly LibreOffice; the CPU
of the hops is what a busy machine runs short of. The service's own work (render,
stamp, storage) is measured by ``bench/bench_conversion.py``'s "parts" and
``bench/profile_render.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_conversion import payloads, render  # noqa: E402
from http_end_to_end import running_service  # noqa: E402

from service.adapters.libreoffice.pool import LibreOfficePool  # noqa: E402
from service.adapters.libreoffice.server import PoolServerProcess  # noqa: E402
from service.adapters.libreoffice.worker import LibreOfficeWorker, WorkerOptions  # noqa: E402

SETTLE = 0.03
TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """Return the CPU seconds *pid* itself used (user + system, its children not counted)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args(argv)
    docx = render(payloads()["dijon"])
    samples: dict[str, list[float]] = {k: [] for k in (
        "1 in LibreOffice (bridge's report)", "2 bridge: LibreOfficeWorker.convert",
        "3 in-process pool: LibreOfficePool(1).to_pdf", "4 pool server: PoolClient.to_pdf",
        "5 HTTP alone: GET /healthz")}
    names = list(samples)
    cpu_bridge = cpu_pool = cpu_client = cpu_server = 0.0
    with tempfile.TemporaryDirectory(prefix="bench-hops-") as tmp:
        work = Path(tmp)
        worker = LibreOfficeWorker(0, WorkerOptions(work_dir=work / "worker"))
        worker.start()
        server = PoolServerProcess(work / "lo.sock", args=[
            "--size", "1", "--work-dir", str(work / "server"), "--log-level", "WARNING"])
        client = server.start()
        try:
            with LibreOfficePool(1, work_dir=work / "pool", pin_cpus=False) as pool, \
                    running_service() as post:
                healthz = f"{post.base}/healthz"

                def timed(fn) -> float:
                    started = time.perf_counter()
                    fn()
                    elapsed = time.perf_counter() - started
                    time.sleep(SETTLE)
                    return elapsed

                def get() -> None:
                    with urllib.request.urlopen(healthz, timeout=30) as resp:
                        resp.read()

                steps = [
                    lambda: worker.convert(docx, timeout=120, pdfa=True),
                    lambda: pool.to_pdf(docx),
                    lambda: client.to_pdf(docx),
                    get,
                ]
                for _ in range(3):  # warm-up
                    for step in steps:
                        step()
                server_pid = server.proc.pid if server.proc else os.getpid()
                for _ in range(args.n):
                    cpu = time.process_time()
                    samples[names[1]].append(timed(steps[0]))
                    cpu_bridge += time.process_time() - cpu
                    samples[names[0]].append(sum(worker.last_ms.values()) / 1000)
                    cpu = time.process_time()
                    samples[names[2]].append(timed(steps[1]))
                    cpu_pool += time.process_time() - cpu
                    cpu, served = time.thread_time(), process_cpu(server_pid)
                    samples[names[3]].append(timed(steps[2]))
                    cpu_client += time.thread_time() - cpu
                    cpu_server += process_cpu(server_pid) - served
                    samples[names[4]].append(timed(steps[3]))
        finally:
            server.stop()
            worker.stop()
    medians = {k: statistics.median(v) * 1000 for k, v in samples.items()}
    print(f"Dijon act, {len(docx) // 1024} KiB DOCX, n={args.n} each, alternated; medians:")
    for name, m in medians.items():
        s = samples[name]
        print(f"  {name:<48} {m:7.2f} ms  (min {min(s) * 1000:.2f}, max {max(s) * 1000:.2f})")
    print("hops (difference of medians):")
    for a, b in ((0, 1), (1, 2), (2, 3)):
        hop = names[b].split(":")[0][2:]
        print(f"  {hop:<48} +{medians[names[b]] - medians[names[a]]:6.2f} ms")
    print(f"  {'HTTP request alone':<48} {medians[names[4]]:7.2f} ms")
    per = 1000 / args.n
    print("CPU per conversion (sleeps between calls excluded):")
    print(f"  {'2 bridge: this process':<48} {cpu_bridge * per:7.3f} ms")
    print(f"  {'3 in-process pool: this process':<48} {cpu_pool * per:7.3f} ms")
    print(f"  {'4 pool server: calling thread':<48} {cpu_client * per:7.3f} ms")
    print(f"  {'4 pool server: server process':<48} {cpu_server * per:7.3f} ms"
          f"  (±{per / TICK:.3f}: /proc counts in ticks of {1000 / TICK:.0f} ms)")
    print(f"  {'4 the hop (thread + server)':<48} {(cpu_client + cpu_server) * per:7.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
