"""gunicorn hooks for ``actes serve``: one LibreOffice pool per machine, shared by every worker.

The master starts the pool server before forking and hands its socket to the workers through
``ACTES_POOL_SOCKET``; HTTP workers then convert through a :class:`PoolClient`. Migrations also
run once here so that workers starting together never race on them. Each worker freezes what the
app made at start out of the garbage collector's reach (:func:`post_worker_init`).
"""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path
from typing import Any

_pool_server: Any = None

# gunicorn settings read from this module. No control socket: its default path is fixed per
# user ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl), so two instances of one user
# would share it and ``gunicornc`` could reach the wrong one.
control_socket_disable = True


def on_starting(server: Any) -> None:
    global _pool_server
    from service.adapters.storage import make_engine, upgrade
    from service.bootstrap import pool_server_args
    from service.config import Settings
    from service.domain.errors import InvalidSettings
    from service.entrypoints.catalogue import EXIT_REFUSED

    try:
        settings = Settings()
    except InvalidSettings as exc:
        # One line naming the setting, as ``actes serve`` says it, not gunicorn's traceback.
        server.log.error("Erreur (%s) : %s", exc.code, exc.message)
        raise SystemExit(EXIT_REFUSED) from None
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    refuse_anonymous_exposure(server, settings, engine)
    if settings.converter != "pool" or settings.pool_socket:
        return
    from service.adapters.libreoffice.server import PoolServerProcess

    # A short private folder: Unix socket paths are limited to 108 bytes.
    socket_path = Path(tempfile.mkdtemp(prefix="actes-lo-")) / "pool.sock"
    _pool_server = PoolServerProcess(socket_path, args=pool_server_args(settings))
    _pool_server.start()
    os.environ["ACTES_POOL_SOCKET"] = str(socket_path)
    server.log.info("LibreOffice pool server ready on %s", socket_path)


def refuse_anonymous_exposure(server: Any, settings: Any, engine: Any) -> None:
    """Stop here (exit 1) when the service would be open to anyone on a public address."""
    from service.adapters.storage.tokens import SqlTokenStore
    from service.entrypoints.exposure import ExposureRefused, check_exposure

    binds = [str(b) for b in server.cfg.bind]
    try:
        check_exposure(binds, tokens_configured=SqlTokenStore(engine).any_configured(),
                       allow_anonymous=settings.unsafe_allow_anonymous)
    except ExposureRefused as exc:
        server.log.error("%s", exc)
        raise SystemExit(1) from exc
    if settings.unsafe_allow_anonymous and any(not _local(b) for b in binds):
        server.log.warning("ACTES_UNSAFE_ALLOW_ANONYMOUS : service sans jeton sur %s",
                           ", ".join(binds))


def _local(bind: str) -> bool:
    from service.entrypoints.exposure import is_loopback

    return is_loopback(bind)


def post_worker_init(worker: Any) -> None:
    # The app's ~130,000 objects (modules, pydantic schemas, Flask, SQLAlchemy) live as long as
    # the worker. Left in the collector's care, each full collection walks them all: a 65-70 ms
    # pause every fifty requests or so. Frozen, only what requests create is walked.
    gc.freeze()


def on_exit(server: Any) -> None:
    if _pool_server is not None:
        _pool_server.stop()
