"""A warm, self-healing pool of LibreOffice workers: the fast :class:`PdfConverter`.

One worker is one ``soffice.bin`` with its own profile (two cannot share one, pitfalls.md) and
LibreOffice serialises the calls it gets, so the pool scales with one worker per core
(perf-baseline.md, E2: about 18 documents/s on 2 cores against 1.1 with a cold start per call).

What keeps it healthy (anchors.md §B.2):

- a conversion that outlives ``timeout`` kills the worker's whole process tree and raises
  :class:`ConversionTimeout`; the worker is respawned in the background;
- a crash (LibreOffice killed, bridge gone) is retried once on another or respawned worker;
  a document error is never retried;
- a worker is recycled after ``recycle_after`` conversions or above ``rss_ceiling_mb``;
- callers wait in a bounded queue; past ``max_queue`` waiting callers, or after ``queue_timeout``
  seconds of waiting, :class:`Unavailable` tells them when to come back;
- a watcher restarts idle workers whose LibreOffice died.

A pool belongs to one process: do not use it across ``fork``. Gunicorn's HTTP workers share one
pool through ``server.py`` and :class:`~service.adapters.libreoffice.client.PoolClient`.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest

from service.adapters.libreoffice.batch import convert_all
from service.adapters.libreoffice.limits import PdfLimits
from service.adapters.libreoffice.metrics import PoolMetrics
from service.adapters.libreoffice.slots import WorkerSlots
from service.adapters.libreoffice.worker import (
    CrashFailure,
    DocumentFailure,
    LibreOfficeWorker,
    StartFailure,
    TimeoutFailure,
    WorkerOptions,
    memory_jobs_dir,
)
from service.domain.errors import ConversionError, ConversionTimeout, Unavailable

log = logging.getLogger(__name__)


def cpus_to_pin(size: int) -> tuple[int, ...]:
    """Return the CPUs *size* workers are pinned to, one each, or ``()`` when there are fewer
    CPUs than workers (the scheduler then shares them out better than a fixed rule).

    A conversion keeps one LibreOffice thread busy; two LibreOffices the scheduler moves from
    core to core lose their caches and converted 1.7-1.8 times as fast as one on this 2-core
    machine, against 1.9-2.0 pinned (``bench/bench_conversion.py``, throughput).
    """
    allowed = tuple(sorted(os.sched_getaffinity(0)))
    return allowed[:size] if size <= len(allowed) else ()


class LibreOfficePool:
    """Convert DOCX to PDF/A on ``size`` warm LibreOffice processes; implements ``PdfConverter``.

    *pin_cpus*: worker *i* and its LibreOffice run on the *i*-th CPU this process may use,
    when there are at least as many CPUs as workers (see :func:`cpus_to_pin`). Only for the one
    pool of a machine (the pool server): two pools pinning the same way would share CPU 0.

    ``_test_hang_marker`` / ``_test_pause_marker``: a DOCX whose text holds the marker makes its
    bridge hang forever (or pause 2 s between load and export); tests only.
    """

    def __init__(
        self,
        size: int | None = None,
        *,
        timeout: float = 60.0,
        max_queue: int | None = None,
        queue_timeout: float | None = None,
        recycle_after: int = 1000,
        rss_ceiling_mb: float = 400.0,
        pdfa: bool = True,
        work_dir: str | os.PathLike[str] | None = None,
        start_timeout: float = 60.0,
        health_interval: float = 5.0,
        registry: CollectorRegistry | None = None,
        python: str | None = None,
        soffice: str | None = None,
        pin_cpus: bool = False,
        limits: PdfLimits | None = None,
        memory_mb: int = 1024,
        _test_hang_marker: str | None = None,
        _test_pause_marker: str | None = None,
    ) -> None:
        # The CPUs this process may use, not the host's (a container may be limited to some).
        self.size = max(1, size or len(os.sched_getaffinity(0)))
        self.timeout = timeout
        self.max_queue = 4 * self.size if max_queue is None else max_queue
        self.queue_timeout = timeout if queue_timeout is None else queue_timeout
        self.recycle_after = recycle_after
        self.rss_ceiling_mb = rss_ceiling_mb
        self.pdfa = pdfa
        self.limits = limits or PdfLimits()
        self.start_timeout = start_timeout
        self.health_interval = health_interval
        self.registry = registry if registry is not None else CollectorRegistry()
        self.counters = PoolMetrics(self.registry)
        self._own_dir = work_dir is None  # a temporary folder, made at start, removed at close
        hooks = {"hang-marker": _test_hang_marker, "pause-marker": _test_pause_marker}
        self._closed = threading.Event()
        self.options = options = WorkerOptions(
            work_dir=Path(work_dir) if work_dir else None, start_timeout=start_timeout,
            soffice=soffice, jobs_dir=None,  # chosen at start: memory_jobs_dir
            test_hooks={k: v for k, v in hooks.items() if v}, stopping=self._closed,
            cpus=cpus_to_pin(self.size) if pin_cpus else (), memory_mb=memory_mb,
            **({"python": python} if python else {}),
        )
        self.workers = [LibreOfficeWorker(i, options) for i in range(self.size)]
        self.slots = WorkerSlots(self.workers, self.max_queue, self.counters)
        self._first_start = {w.name: threading.Event() for w in self.workers}
        self._lock = threading.Lock()
        self._started = False
        self._threads: set[threading.Thread] = set()

    # -- life cycle -------------------------------------------------------------------------

    def start(self, *, wait: bool = True) -> None:
        """Start every worker in parallel; with *wait*, return when each has tried once.

        :raises Unavailable: when *wait* is set and no worker could start.
        """
        with self._lock:
            if self._closed.is_set():
                raise Unavailable("Le convertisseur PDF est arrêté.", retry_after=30)
            if self._started:
                return
            self._started = True
        work_dir = self.options.work_dir
        if self._own_dir or work_dir is None:  # a fresh folder at each start of its own
            work_dir = self.options.work_dir = Path(tempfile.mkdtemp(prefix="actes-lo-pool-"))
        work_dir.mkdir(parents=True, exist_ok=True)
        if self.options.jobs_dir is None:
            self.options.jobs_dir = memory_jobs_dir(self.size)
        atexit.register(self.close)
        for worker in self.workers:
            self._respawn(worker, "start")
        self._spawn(self._watch, "lo-watch")
        if wait:
            deadline = time.monotonic() + 2 * self.start_timeout + 10
            for event in self._first_start.values():
                event.wait(max(0.0, deadline - time.monotonic()))
            if not self.is_ready():
                raise Unavailable("LibreOffice n'a pas pu démarrer.", retry_after=30)

    def close(self) -> None:
        """Stop every worker and remove the pool's files; safe to call twice or at exit."""
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
        atexit.unregister(self.close)
        self.slots.close()
        for worker in self.workers:
            worker.kill()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=10)
        for worker in self.workers:
            worker.kill()
        if self._own_dir and self.work_dir is not None:
            shutil.rmtree(self.work_dir, ignore_errors=True)
        if self.options.jobs_dir is not None:
            shutil.rmtree(self.options.jobs_dir, ignore_errors=True)

    @property
    def work_dir(self) -> Path | None:
        """Return the folder of the profiles and documents in flight (None before start)."""
        return self.options.work_dir

    def __enter__(self) -> LibreOfficePool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_ready(self) -> bool:
        """Return True when at least one worker can convert now (a cheap check, no conversion)."""
        if self._closed.is_set():
            return False
        self._reap_dead_idle()
        return self.slots.ready_count() > 0

    def metrics(self) -> bytes:
        """Return the pool's Prometheus metrics in the text exposition format."""
        return generate_latest(self.registry)

    def stats(self) -> dict:
        """Return counters and the state of each worker (pid, conversions, memory)."""
        return {
            "size": self.size,
            "ready": self.slots.ready_count(),
            "queue_depth": self.slots.waiting,
            **self.counters.totals(),
            "workers": [
                {"name": w.name, "state": self.slots.state[w.name], "soffice_pid": w.soffice_pid,
                 "cpu": w.cpu, "conversions": w.conversions, "rss_mb": w.rss_mb()}
                for w in self.workers
            ],
        }

    # -- conversion -------------------------------------------------------------------------

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        """Return the PDF (PDF/A-2b unless ``pdfa=False``) of *docx*; *label* names the act;
        waiting callers get workers least recently served *tenant* first (see slots.py).

        :raises ConversionError: when LibreOffice cannot convert this document.
        :raises ConversionTimeout: when the conversion outlives the timeout.
        :raises Unavailable: when the queue is full or no worker frees up in time.
        :raises PdfTooLarge, TooManyPages: when the PDF exceeds ``limits``.
        """
        self.start(wait=False)
        name = label or "document"
        for attempt in (1, 2):
            self._reap_dead_idle()
            try:
                worker = self.slots.acquire(self.queue_timeout, name, tenant)
            except Unavailable as exc:
                log.warning("%s refused: %s", name, exc.message)
                raise
            started = time.perf_counter()
            try:
                pdf = worker.convert(docx, timeout=self.timeout, pdfa=self.pdfa, label=name)
                pages = worker.last_pages  # read while the worker is still this caller's
            except DocumentFailure as exc:
                self.counters.failures.labels("document").inc()
                self._release(worker)
                log.warning("conversion of %s on %s refused: %s", name, worker.name, exc)
                raise ConversionError(
                    f"LibreOffice n'a pas pu convertir {name} en PDF : document illisible."
                ) from exc
            except TimeoutFailure as exc:
                self.counters.failures.labels("timeout").inc()
                self._respawn(worker, "timeout")
                raise ConversionTimeout(
                    f"La conversion PDF de {name} a dépassé {self.timeout:g} s."
                ) from exc
            except CrashFailure as exc:
                self.counters.failures.labels("crash").inc()
                self._respawn(worker, "crash")
                log.warning("LibreOffice crashed converting %s on %s (attempt %d): %s",
                            name, worker.name, attempt, exc)
                if attempt == 2:
                    raise ConversionError(
                        f"LibreOffice s'est arrêté deux fois en convertissant {name}."
                    ) from exc
                continue
            elapsed = time.perf_counter() - started
            self.counters.conversions.inc()
            self.counters.seconds.observe(elapsed)
            self.slots.observe(elapsed)
            # DEBUG, not INFO: the histogram above counts every conversion and its time; a log
            # record per act was a sixth of the pool server's Python CPU (py-spy --gil).
            log.debug("converted %s on %s in %.0f ms", name, worker.name, elapsed * 1000)
            self._release_or_recycle(worker)
            self.limits.check(pdf, name, pages=pages)
            return pdf
        raise AssertionError("unreachable")

    def to_pdf_many(self, docxs: Sequence[bytes], *, labels: Sequence[str] = ()) -> list[bytes]:
        """Return the PDFs of *docxs* in order, converting on every worker at once."""
        if not docxs:
            return []
        self.start(wait=False)
        return convert_all(self.to_pdf, docxs, labels, width=self.size)

    # -- keeping the workers alive ----------------------------------------------------------

    def _release(self, worker: LibreOfficeWorker) -> None:
        if not self.slots.release(worker):
            worker.kill()

    def _release_or_recycle(self, worker: LibreOfficeWorker) -> None:
        rss = worker.rss_mb() or 0.0
        if worker.conversions >= self.recycle_after:
            log.info("%s: recycling after %d conversions", worker.name, worker.conversions)
            self._respawn(worker, "recycle")
        elif rss > self.rss_ceiling_mb:
            log.info("%s: recycling at %.0f MiB", worker.name, rss)
            self._respawn(worker, "memory")
        else:
            self._release(worker)

    def _respawn(self, worker: LibreOfficeWorker, reason: str) -> None:
        """(Re)start *worker* in the background; it joins the idle ones once it is ready."""
        self.slots.mark(worker, "starting")
        self._spawn(lambda: self._restart(worker, reason), f"{worker.name}-start")

    def _restart(self, worker: LibreOfficeWorker, reason: str) -> None:
        delay = 0.5
        try:
            while not self._closed.is_set():
                # A recycled LibreOffice may quit cleanly; a crashed or hung one is just killed.
                worker.stop(grace=2.0 if reason in ("recycle", "memory") else 0.0)
                try:
                    worker.start()
                except StartFailure as exc:
                    if self._closed.is_set():
                        break
                    log.error("%s: LibreOffice does not start (%s); next try in %.1f s",
                              worker.name, exc, delay)
                    # "down" while backing off: callers fail fast when every worker is.
                    self.slots.mark(worker, "down")
                    self._first_start[worker.name].set()
                    if self._closed.wait(delay):
                        break
                    delay = min(delay * 2, 30.0)
                    self.slots.mark(worker, "starting")
                    continue
                if reason != "start":
                    self.counters.restarts.labels(reason).inc()
                self._release(worker)
                return
            worker.kill()
        finally:
            self._first_start[worker.name].set()

    def _reap_dead_idle(self) -> None:
        # A LibreOffice that died while idle is only noticed here: respawn it before use.
        for worker in self.slots.take_dead_idle():
            log.warning("%s: LibreOffice died while idle", worker.name)
            self._respawn(worker, "crash")

    def _watch(self) -> None:
        while not self._closed.wait(self.health_interval):
            self._reap_dead_idle()

    def _spawn(self, target, name: str) -> None:
        def run() -> None:
            try:
                target()
            finally:
                with self._lock:
                    self._threads.discard(threading.current_thread())

        thread = threading.Thread(target=run, name=name, daemon=True)
        with self._lock:
            self._threads.add(thread)
        thread.start()
