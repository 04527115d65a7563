"""Who may reach the service: no anonymous service on a public address, a known Host header.

An open service (no access token created) lets anyone who reaches its port read and change
every act. That is fine on 127.0.0.1 for a developer, never on an address others reach, unless
the operator says so with a setting whose name says it is unsafe (``ACTES_UNSAFE_ALLOW_ANONYMOUS``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


class ExposureRefused(Exception):
    """The service would be open to anyone on a non-loopback address."""


def is_loopback(bind: str) -> bool:
    """`True` when *bind* (``host:port``, ``[v6]:port``, ``unix:/path``, a bare host) is
    reachable from this machine only."""
    if bind.startswith("unix:") or bind.startswith("fd://"):
        return True
    host = bind
    if host.startswith("["):
        host = host[1:host.index("]")]
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: whatever it resolves to may be public


def check_exposure(binds: Iterable[str], *, tokens_configured: bool,
                   allow_anonymous: bool) -> None:
    """Do nothing when serving on *binds* is safe.

    :raises ExposureRefused: when no token is configured, a bind is not loopback and
        anonymous access is not explicitly allowed.
    """
    public = [b for b in binds if not is_loopback(b)]
    if not public or tokens_configured or allow_anonymous:
        return
    raise ExposureRefused(
        f"Refus de démarrer : aucun jeton d'accès n'est configuré et le service écouterait sur "
        f"{', '.join(public)}, une adresse joignable par d'autres machines ; quiconque "
        f"l'atteindrait lirait et modifierait tous les actes. Créez un jeton "
        f"(« actes token create NOM --siren SIREN »), ou écoutez sur 127.0.0.1, ou, en "
        f"connaissance de cause, ACTES_UNSAFE_ALLOW_ANONYMOUS=1.")
