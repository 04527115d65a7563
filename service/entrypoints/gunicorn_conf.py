"""gunicorn hooks for ``actes serve``: one LibreOffice pool per machine, shared by every worker.

The master starts the pool server before forking and hands its socket to the workers through
``ACTES_POOL_SOCKET``; HTTP workers then convert through a :class:`PoolClient`. Migrations also
run once here so that workers starting together never race on them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

_pool_server: Any = None


def on_starting(server: Any) -> None:
    global _pool_server
    from service.adapters.storage import make_engine, upgrade
    from service.bootstrap import pool_server_args
    from service.config import Settings

    settings = Settings()
    upgrade(make_engine(settings.effective_database_url))
    if settings.converter != "pool" or settings.pool_socket:
        return
    from service.adapters.libreoffice.server import PoolServerProcess

    # A short private folder: Unix socket paths are limited to 108 bytes.
    socket_path = Path(tempfile.mkdtemp(prefix="actes-lo-")) / "pool.sock"
    _pool_server = PoolServerProcess(socket_path, args=pool_server_args(settings))
    _pool_server.start()
    os.environ["ACTES_POOL_SOCKET"] = str(socket_path)
    server.log.info("LibreOffice pool server ready on %s", socket_path)


def on_exit(server: Any) -> None:
    if _pool_server is not None:
        _pool_server.stop()
