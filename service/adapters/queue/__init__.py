"""Job queues for sittings: threads in the service's own processes, or Celery workers.

Both implement the :class:`~service.services.ports.JobQueue` port; the job's state lives in the
database either way, so ``GET /v1/jobs/{id}`` answers the same from any process.
"""

from service.adapters.queue.embedded import EmbeddedQueue

__all__ = ["EmbeddedQueue"]
