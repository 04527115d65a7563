"""The Celery worker: ``celery -A service.entrypoints.worker worker`` (or ``actes worker``).

Start as many as wanted, on any machine sharing the database (``ACTES_DATABASE_URL``, with
``ACTES_BLOB_STORE=database`` when the machines share no disk) and the broker
(``ACTES_BROKER_URL``). Each worker process wires the use cases on its first task, after the
fork, and releases them when it stops.
"""

from __future__ import annotations

import sys
from typing import Any

from celery import Celery
from celery.signals import worker_process_shutdown, worker_shutdown

from service.config import Settings

_applications: list[Any] = []


def make_worker_app(settings: Settings | None = None) -> Celery:
    """Return the Celery app whose tasks generate acts with the use cases of *settings*."""
    from service.adapters.queue.celery_app import make_celery

    settings = settings or Settings()

    def runner():
        from service.bootstrap import bootstrap

        # The worker only runs acts: its own queue is Celery's, never embedded threads.
        application = bootstrap(settings.model_copy(update={"queue": "celery"}))
        _applications.append(application)
        return application.seances.run_seance_act

    return make_celery(settings.broker_url, runner_factory=runner,
                       visibility_timeout=settings.queue_visibility_timeout,
                       queue_name=settings.queue_name)


@worker_process_shutdown.connect  # a child of the prefork pool
@worker_shutdown.connect  # the worker itself (solo and threads pools)
def _close_application(**_: Any) -> None:
    while _applications:
        _applications.pop().close()


def __getattr__(name: str) -> Any:
    # ``celery -A`` looks for ``app``; it is built on that first look, not at import.
    if name == "app":
        from service.domain.errors import InvalidSettings
        from service.entrypoints.catalogue import EXIT_REFUSED

        try:
            app = make_worker_app()
        except InvalidSettings as exc:
            # One line naming the setting, as ``actes worker`` says it, not Celery's traceback.
            print(f"Erreur ({exc.code}) : {exc.message}", file=sys.stderr)
            raise SystemExit(EXIT_REFUSED) from None
        globals()["app"] = app
        return app
    raise AttributeError(name)
