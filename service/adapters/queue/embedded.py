"""The embedded queue: a few threads of the service process generate the acts, no server needed.

The job is read from the database, so a process that restarts can resume the jobs another one
left unfinished (:meth:`EmbeddedQueue.resume_stale`); an act generated twice is generated once
(the use case skips it), so resuming is safe.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from service.services.ports import SeanceStore

log = logging.getLogger(__name__)


class EmbeddedQueue:
    """Run each act of a job on a pool of *workers* threads (the :class:`JobQueue` port)."""

    def __init__(
        self, store: SeanceStore, run_act: Callable[[str, int], None], *, workers: int = 2
    ) -> None:
        self._store = store
        self._run_act = run_act
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="actes-job")

    def enqueue_seance(self, job_id: str) -> None:
        """Queue every act of *job_id* not generated yet; return at once."""
        job = self._store.get_job(job_id)
        if job is None:
            raise ValueError(f"unknown job {job_id}")
        for acte in job.actes:
            if acte.statut != "generee":
                self._pool.submit(self._run, job_id, acte.position)

    def _run(self, job_id: str, position: int) -> None:
        try:
            self._run_act(job_id, position)
        except Exception:  # a thread's exception would vanish silently: log it
            log.exception("job %s: act %s failed", job_id, position)

    def resume_stale(self, older_than: dt.timedelta) -> list[str]:
        """Queue the unfinished jobs nobody worked on for *older_than*; return their ids."""
        claimed = self._store.stale_jobs(older_than)
        for job_id in claimed:
            log.info("resuming job %s", job_id)
            self.enqueue_seance(job_id)
        return claimed

    def close(self) -> None:
        """Finish the acts being generated; the others wait in the database for a resume."""
        self._pool.shutdown(wait=True, cancel_futures=True)
