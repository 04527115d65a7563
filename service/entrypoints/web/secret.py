"""The key signing the clerks' session cookies: configured, or made once and kept on disk."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from service.config import Settings

SECRET_FILE = "secret_key"


def session_secret(settings: Settings) -> str:
    """Return ``ACTES_SECRET_KEY``, or the key kept in ``<data_dir>/secret_key``.

    The file is made on first use, readable by its owner only (0600). Every worker process
    sharing the data folder reads the same key, so a session opened on one is valid on all.
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.data_dir / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(secrets.token_urlsafe(48))
        # link() never replaces: of several workers starting together, the first key wins and
        # the others read it.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} : clé de session trop courte (32 caractères au moins).")
    return key
