"""The scale-out queue: Celery workers on Redis (or RabbitMQ), on any number of machines.

One task per act (``generate_seance_act(job_id, index)``), so the workers share a sitting.
A task is acknowledged only once it has run (``task_acks_late``) and handed back when its
worker dies (``task_reject_on_worker_lost``; on Redis, after ``visibility_timeout`` seconds
for a worker killed outright); each worker takes one task at a time
(``worker_prefetch_multiplier=1``) so the others are not starved. A task that runs twice
generates its act once: the use case skips an act already generated from the same payload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery import Celery
from kombu.exceptions import OperationalError as KombuOperationalError

from service.domain.errors import Unavailable
from service.services.ports import SeanceStore

log = logging.getLogger(__name__)

TASK_NAME = "actes.generate_seance_act"

Runner = Callable[[str, int], None]


def make_celery(
    broker_url: str,
    *,
    runner_factory: Callable[[], Runner] | None = None,
    visibility_timeout: float = 300.0,
    queue_name: str = "actes",
) -> Celery:
    """Return a Celery app on *broker_url* with the act task registered.

    *runner_factory* is called once per worker process, on its first task, and returns what
    generates one act (``run(job_id, index)``): database connections and LibreOffice are
    opened after the worker has forked, never before. A sender needs no runner.
    """
    app = Celery("actes", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=queue_name,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        broker_transport_options=_transport_options(broker_url, visibility_timeout),
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        # A POST must fail fast (503) when the broker is down, not hang on retries.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        worker_hijack_root_logger=False,
    )
    runner: list[Runner] = []

    @app.task(name=TASK_NAME)
    def generate_seance_act(job_id: str, index: int) -> None:
        if not runner:
            if runner_factory is None:
                raise RuntimeError("this Celery app only sends tasks: give it a runner_factory")
            runner.append(runner_factory())
        runner[0](job_id, index)

    return app


def _transport_options(broker_url: str, visibility_timeout: float) -> dict[str, object]:
    if not broker_url.startswith(("redis", "sentinel")):
        return {}  # RabbitMQ hands back the tasks of a lost connection at once
    return {
        "visibility_timeout": visibility_timeout,
        # Look for the tasks of lost workers every few seconds: kombu's default sweep (every
        # 100 s) would leave them waiting long after the visibility timeout.
        "unacked_restore_interval": max(1, min(10, int(visibility_timeout // 4))),
        "unacked_restore_throttle": 1,
        "socket_connect_timeout": 5,
    }


class CeleryQueue:
    """Send one Celery task per act of a job (the :class:`JobQueue` port)."""

    def __init__(self, app: Celery, store: SeanceStore) -> None:
        self.app = app
        self._store = store

    def enqueue_seance(self, job_id: str) -> None:
        """Send a task for every act of *job_id* not generated yet.

        :raises Unavailable: when the broker cannot be reached.
        """
        job = self._store.get_job(job_id)
        if job is None:
            raise ValueError(f"unknown job {job_id}")
        try:
            with self.app.producer_or_acquire() as producer:
                for acte in job.actes:
                    if acte.statut != "generee":
                        self.app.send_task(TASK_NAME, args=(job_id, acte.position),
                                           producer=producer)
        except (KombuOperationalError, OSError) as exc:
            log.error("broker unreachable: %s", exc)
            raise Unavailable(
                "La file de tâches (broker Celery) est injoignable ; réessayez dans un instant.",
                retry_after=30,
            ) from exc

    def close(self) -> None:
        """Close the connections to the broker."""
        self.app.close()
