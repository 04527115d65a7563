"""The service's settings, read from the environment (prefix ``ACTES_``) when asked, never at
import.

Every setting has an embedded default so that ``actes serve`` runs with no configuration:
SQLite and files in ``./data``, bound to 127.0.0.1, no tokens. A bad one (a wrong type, an
unknown name, an unreadable authorities file) is refused when the settings are made, that is
when the app, the CLI or a worker starts, with an :class:`InvalidSettings` naming its
``ACTES_`` variable: never a bare ``ValueError`` at the first request that reads it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from service.domain.actes.settings import CONFIG_KEYS
from service.domain.errors import InvalidSettings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = REPO_ROOT / "templates_actes"


def usable_cpus() -> int:
    """Return the CPUs this process may run on: a container limited to some CPUs (cpuset) has
    only those, where ``os.cpu_count()`` counts every CPU of the host."""
    return len(os.sched_getaffinity(0)) or 1


class Settings(BaseSettings):
    """Configuration of one service instance."""

    model_config = SettingsConfigDict(env_prefix="ACTES_", frozen=True, extra="forbid")

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise InvalidSettings(describe(exc)) from None

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default_factory=lambda: max(2, usable_cpus()))
    threads: int = 4
    """Threads running requests in each gunicorn worker; requests are read before, by the
    worker's event loop (a slow client never holds one)."""
    request_head_timeout: float = 30.0
    """Seconds a client has to send a request's line and headers (then 408)."""
    request_body_timeout: float = 120.0
    """Seconds a client has to send a request's body once its headers are in (then 408)."""
    data_dir: Path = Path("data")
    database_url: str | None = None
    """SQLAlchemy URL; default ``sqlite:///<data_dir>/actes.db``."""
    blob_store: Literal["disk", "database"] = "disk"
    max_content_length: int = 20 * 1024 * 1024
    template_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    """Folders searched before ``templates_actes/``: ``<dir>/<siren>/<name>.docx`` then
    ``<dir>/<name>.docx``."""
    converter: Literal["pool", "soffice"] = "pool"
    pool_size: int = Field(default_factory=lambda: usable_cpus())
    pool_socket: Path | None = None
    conversion_timeout: float = 60.0
    pool_queue: int = 32
    pool_recycle_after: int = 500
    pool_rss_ceiling_mb: int = 400
    pool_memory_mb: int = 1024
    """``RLIMIT_DATA`` of each LibreOffice in MiB (0: none): a document needing more makes it
    stop, and the act is refused (``502 conversion-echouee``) instead of the machine swapping."""
    max_pdf_mb: int = 48
    """Largest PDF of an act: beyond, 413 ``pdf-trop-volumineux`` (the pool server's socket
    carries 64 MiB at most)."""
    max_pages: int = 1000
    """Most pages of one act: beyond, 422 ``acte-trop-long``."""
    pool_pin_cpus: bool = True
    """Pin each LibreOffice of the machine's pool server (``actes serve``) to a CPU of its own
    when it has no more workers than CPUs. In-process pools (CLI, Celery without a pool
    server) are never pinned: several would all start on the first CPU."""
    stamp: dict[str, Any] = Field(default_factory=dict)
    """Stamp style (``kind``: ``accuse-reception`` or ``s2low``, ``every_page``, ``font_size``…)."""
    authorities_file: Path | None = None
    """JSON file: ACTES settings keyed by SIREN (trigramme, arrondissement, nature…)."""
    trust_anchors: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    """``:``-separated certificate files (PEM or DER): the roots signatures are validated
    against (``GET /v1/actes/{id}/signatures``, ``actes verify``)."""
    queue: Literal["embedded", "celery"] = "embedded"
    """Where sitting jobs run: threads of each service process, or Celery workers."""
    broker_url: str = "redis://127.0.0.1:6379/0"
    """Celery broker (Redis or RabbitMQ ``amqp://``) when ``queue`` is ``celery``."""
    queue_name: str = "actes"
    """Celery queue of the act tasks: services sharing a broker each take their own."""
    queue_workers: int = Field(default_factory=lambda data: 2 * data["pool_size"])
    """Threads generating acts in each process with the embedded queue; default twice
    ``pool_size``: while one thread's act is in LibreOffice, another renders, stamps and
    stores its own, so no LibreOffice waits for Python (one thread per LibreOffice left them
    idle 30% of a sitting: ``bench/bench_conversion.py --only sitting``)."""
    queue_visibility_timeout: float = 300.0
    """Seconds before Redis hands a task of a lost worker to another one."""
    unsafe_allow_anonymous: bool = False
    """Serve with no access token on a non-loopback address (anyone reaching the port reads
    and changes every act). Refused at start unless set; see ``entrypoints/exposure.py``."""
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["localhost", "127.0.0.1"])
    """Comma-separated names the ``Host`` header may carry, port ignored (``.example.fr`` for
    its subdomains too; ``*`` for any): others get a 400, against DNS rebinding. Werkzeug
    cannot match an IPv6 literal here: name the host instead."""
    metrics_token: str | None = None
    """When set, ``/metrics`` needs ``Authorization: Bearer <metrics_token>``."""
    secret_key: str | None = None
    """Signs the clerks' session cookies; default: a random key kept in ``<data_dir>/secret_key``
    (0600), the same for every worker sharing the data folder."""

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [h.strip() for h in value.split(",") if h.strip()]
        return value

    @field_validator("template_dirs", "trust_anchors", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [p for p in value.split(os.pathsep) if p]
        return value

    @property
    def effective_database_url(self) -> str:
        """Return the database URL, defaulting to SQLite in the data folder."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'actes.db').resolve()}"

    _authorities: dict[str, dict[str, Any]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        # Read once, when the settings are made: a broken file stops the start, and every
        # request sees the file as it was checked.
        if self.authorities_file:
            self._authorities = read_authorities(self.authorities_file)

    def authorities(self) -> dict[str, dict[str, Any]]:
        """Return the per-SIREN ACTES settings from ``authorities_file`` (empty without it),
        as read and checked when the settings were made."""
        return self._authorities


AUTHORITIES_VARIABLE = "ACTES_AUTHORITIES_FILE"
_SIREN = re.compile(r"[0-9]{9}")
_SECRETS = frozenset({"metrics_token", "secret_key", "database_url", "broker_url"})
"""Settings whose value is never repeated in an error (a password may be in a URL)."""


def read_authorities(path: Path) -> dict[str, dict[str, Any]]:
    """Return the authorities file at *path*: a JSON object keyed by SIREN whose values are
    objects of known ACTES settings (``service/domain/actes/settings.py``).

    Only its shape is checked here; the values (trigramme, e-mails…) are checked with the
    payload that completes them, when an act is packaged.

    :raises InvalidSettings: naming ``ACTES_AUTHORITIES_FILE``, the file and what is wrong.
    """
    where = f"{AUTHORITIES_VARIABLE} ({path})"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidSettings(f"{where} : fichier illisible ({exc.strerror or exc}).") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidSettings(f"{where} : JSON invalide ({exc}).") from None
    if not isinstance(data, dict):
        raise InvalidSettings(f"{where} : un objet JSON indexé par SIREN est attendu.")
    problems = []
    for siren, reglages in data.items():
        if not _SIREN.fullmatch(siren):
            problems.append(f"« {siren} » n'est pas un SIREN (9 chiffres)")
        elif not isinstance(reglages, dict):
            problems.append(f"{siren} : un objet de réglages est attendu")
        elif unknown := sorted(set(reglages) - CONFIG_KEYS):
            problems.append(f"{siren} : réglage(s) inconnu(s) {', '.join(unknown)} "
                            f"(connus : {', '.join(sorted(CONFIG_KEYS))})")
    if problems:
        raise InvalidSettings(f"{where} : " + " ; ".join(problems) + ".")
    return data


def describe(exc: ValidationError) -> str:
    """Return the French message of *exc*: each setting at fault by its ``ACTES_`` variable,
    with pydantic's reason and the value given (unless the setting may hold a secret)."""
    lines = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        variable = f"ACTES_{name.upper()}"
        if error["type"] == "default_factory_not_called":
            # A default computed from another setting that is itself wrong: that one is named.
            continue
        if error["type"] == "extra_forbidden":
            lines.append(f"{variable} : réglage inconnu")
            continue
        reason = error["msg"]
        if name not in _SECRETS and "input" in error:
            reason += f" (valeur reçue : « {str(error['input'])[:80]} »)"
        lines.append(f"{variable} : {reason}")
    return "Configuration invalide : " + " ; ".join(lines) + "."
