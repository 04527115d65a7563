"""Which LibreOffice workers are free, and the bounded wait for one.

Callers wait in a queue of at most ``max_queue``; past it they are turned away at once with
:class:`Unavailable` and a ``retry_after`` estimated from the recent conversion times, which is
what lets the HTTP layer answer 503 + ``Retry-After`` instead of piling up requests.

The queue is fair between tenants (authorities, by SIREN): a worker that frees up goes to the
waiting caller whose tenant was served least recently, first come first served within a
tenant. One authority's sitting of 100 acts queued first does not hold another authority's
single act behind it: that act gets the next worker that frees up, at most one conversion later.
Written by hand: the standard library's queues know no fairness between groups.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from service.adapters.libreoffice.metrics import PoolMetrics
from service.adapters.libreoffice.worker import LibreOfficeWorker
from service.domain.errors import Unavailable

# A worker's states: new → starting → idle ⇄ busy; starting ⇄ down (backing off after a failed
# start); closed.
READY = ("idle", "busy")


@dataclass(eq=False)
class _Waiter:
    tenant: str
    arrival: int
    worker: LibreOfficeWorker | None = None


class WorkerSlots:
    """The states of a pool's workers and the idle ones, under one condition variable."""

    def __init__(self, workers: Sequence[LibreOfficeWorker], max_queue: int,
                 metrics: PoolMetrics) -> None:
        self.workers = list(workers)
        self.max_queue = max_queue
        self.metrics = metrics
        self.state = {w.name: "new" for w in self.workers}
        self.waiting = 0
        self.closed = False
        self._idle: deque[LibreOfficeWorker] = deque()
        self._cond = threading.Condition()
        self._avg_seconds = 0.5
        self._waiters: list[_Waiter] = []
        self._arrivals = itertools.count()
        self._served = itertools.count(1)
        self._last_served: dict[str, int] = {}

    def acquire(self, timeout: float, label: str, tenant: str = "") -> LibreOfficeWorker:
        """Return an idle worker, now marked busy, waiting *timeout* seconds at most; waiting
        callers are served least recently served *tenant* first.

        :raises Unavailable: when the queue is full, every worker is down, the pool is closed
            or no worker frees up in time.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            if self.closed:
                raise Unavailable("Le convertisseur PDF est arrêté.", retry_after=30)
            if self._idle and not self._waiters:
                return self._hand(self._idle.pop(), tenant)
            if self.waiting >= self.max_queue:
                retry = self.retry_after()
                raise Unavailable(
                    f"Tous les convertisseurs PDF sont occupés ; réessayez dans {retry} s "
                    f"({label} refusé).", retry_after=retry)
            waiter = _Waiter(tenant, next(self._arrivals))
            self._waiters.append(waiter)
            self._set_waiting(+1)
            try:
                while waiter.worker is None:
                    if all(s == "down" for s in self.state.values()):
                        raise Unavailable("LibreOffice ne démarre pas.", retry_after=30)
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or self.closed:
                        raise Unavailable("Aucun convertisseur PDF ne s'est libéré à temps.",
                                          retry_after=self.retry_after())
                    self._cond.wait(remaining)
                return waiter.worker
            except BaseException:
                if waiter.worker is not None and not self.closed:
                    # Handed a worker just as it gave up: give it to the next one.
                    self._give(waiter.worker)
                raise
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
                self._set_waiting(-1)

    def release(self, worker: LibreOfficeWorker) -> bool:
        """Make *worker* idle again, or hand it to the next waiting caller; return False (and
        leave it alone) once closed."""
        with self._cond:
            if self.closed:
                return False
            self._give(worker)
            return True

    def _give(self, worker: LibreOfficeWorker) -> None:
        # The waiter whose tenant was served least recently, the earliest within a tenant.
        if self._waiters:
            waiter = min(self._waiters,
                         key=lambda w: (self._last_served.get(w.tenant, 0), w.arrival))
            self._waiters.remove(waiter)
            waiter.worker = self._hand(worker, waiter.tenant)
            self._cond.notify_all()
            return
        # Last in, first out: the most recently used LibreOffice has the warmest caches.
        self._idle.append(worker)
        self._mark(worker, "idle")
        self._cond.notify_all()

    def _hand(self, worker: LibreOfficeWorker, tenant: str) -> LibreOfficeWorker:
        self._last_served[tenant] = next(self._served)
        self._mark(worker, "busy")
        return worker

    def mark(self, worker: LibreOfficeWorker, state: str) -> None:
        """Record that *worker* is now in *state* (starting, down…)."""
        with self._cond:
            self._mark(worker, state)
            # Waiters re-check: a pool whose workers are all down must fail them fast.
            self._cond.notify_all()

    def take_dead_idle(self) -> list[LibreOfficeWorker]:
        """Return the idle workers whose LibreOffice died, now marked starting."""
        with self._cond:
            dead = [w for w in self._idle if not w.alive()]
            for worker in dead:
                self._idle.remove(worker)
                self._mark(worker, "starting")
            return dead

    def ready_count(self) -> int:
        """Return how many workers can convert now or once free."""
        with self._cond:
            return sum(s in READY for s in self.state.values())

    def close(self) -> None:
        """Refuse every caller from now on, waking those who wait."""
        with self._cond:
            self.closed = True
            self._idle.clear()
            for worker in self.workers:
                self.state[worker.name] = "closed"
            self.metrics.ready.set(0)
            self._cond.notify_all()

    def observe(self, seconds: float) -> None:
        """Take a conversion time into the estimate behind ``retry_after``."""
        with self._cond:
            self._avg_seconds = 0.8 * self._avg_seconds + 0.2 * seconds

    def retry_after(self) -> int:
        """Return the seconds after which the queue has probably moved on."""
        with self._cond:
            if not any(s in READY for s in self.state.values()):
                return 10
            busy = sum(s == "busy" for s in self.state.values())
            ready = sum(s in READY for s in self.state.values())
            return max(1, math.ceil((self.waiting + busy) * self._avg_seconds / ready))

    def _mark(self, worker: LibreOfficeWorker, state: str) -> None:
        if self.closed:
            return
        self.state[worker.name] = state
        self.metrics.ready.set(sum(s in READY for s in self.state.values()))

    def _set_waiting(self, delta: int) -> None:
        self.waiting += delta
        self.metrics.queue_depth.set(self.waiting)
