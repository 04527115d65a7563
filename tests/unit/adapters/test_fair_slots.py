"""The LibreOffice workers are shared fairly between authorities (issue 13, item 2)."""

from __future__ import annotations

import threading
import time

import pytest
from prometheus_client import CollectorRegistry

from service.adapters.libreoffice.metrics import PoolMetrics
from service.adapters.libreoffice.slots import WorkerSlots
from service.errors import Unavailable


class FakeWorker:
    def __init__(self, name: str) -> None:
        self.name = name

    def alive(self) -> bool:
        return True


def slots_of(n: int, max_queue: int = 100) -> tuple[WorkerSlots, list[FakeWorker]]:
    workers = [FakeWorker(f"lo-{i}") for i in range(n)]
    slots = WorkerSlots(workers, max_queue, PoolMetrics(CollectorRegistry()))
    for w in workers:
        slots.release(w)
    return slots, workers


def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def queue_callers(slots: WorkerSlots, tenants: list[str], served: list[str]
                  ) -> list[threading.Thread]:
    """Start one waiting caller per entry of *tenants*, in that order; each records its tenant
    in *served* when it gets a worker, then gives it back at once."""
    threads = []
    for tenant in tenants:
        def call(tenant: str = tenant) -> None:
            worker = slots.acquire(5.0, f"acte de {tenant}", tenant)
            served.append(tenant)
            slots.release(worker)

        before = slots.waiting
        thread = threading.Thread(target=call)
        thread.start()
        wait_for(lambda before=before: slots.waiting == before + 1)
        threads.append(thread)
    return threads


def test_a_light_act_of_b_passes_before_a_sitting_of_a_queued_first() -> None:
    slots, _ = slots_of(1)
    held = slots.acquire(1.0, "séance A", "A")  # A's sitting is converting
    served: list[str] = []
    threads = queue_callers(slots, ["A"] * 6 + ["B"], served)
    slots.release(held)
    for thread in threads:
        thread.join(5)
    # B waited for the conversion in progress only: served first once the worker freed up.
    assert served == ["B"] + ["A"] * 6


def test_tenants_alternate_and_keep_their_own_order() -> None:
    slots, _ = slots_of(1)
    held = slots.acquire(1.0, "x", "C")
    served: list[str] = []
    threads = queue_callers(slots, ["A", "A", "A", "B", "B", "C"], served)
    slots.release(held)
    for thread in threads:
        thread.join(5)
    # Never served tenants first (A, B: arrival order), C last (served just before); then
    # each time the tenant served least recently.
    assert served == ["A", "B", "C", "A", "B", "A"]


def test_an_idle_worker_is_taken_at_once_without_waiting() -> None:
    slots, workers = slots_of(2)
    assert {slots.acquire(0.1, "a", "A").name, slots.acquire(0.1, "b", "A").name} == {
        "lo-0", "lo-1"}
    with pytest.raises(Unavailable):
        slots.acquire(0.05, "c", "B")
    assert slots.waiting == 0


def test_a_caller_giving_up_leaves_the_queue_and_its_worker_to_the_next() -> None:
    slots, _ = slots_of(1)
    held = slots.acquire(1.0, "x", "A")
    with pytest.raises(Unavailable):
        slots.acquire(0.05, "y", "B")
    served: list[str] = []
    threads = queue_callers(slots, ["C"], served)
    slots.release(held)
    threads[0].join(5)
    assert served == ["C"] and slots.waiting == 0
