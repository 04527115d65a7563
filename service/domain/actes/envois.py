"""An authority's sendings of a day: how they are numbered, and when one is the same again.

The operator names each archive of an authority's day by a serial, 1, 2… below 10000
(:data:`~service.domain.actes.archive.SERIAL_MAX`), and matches the prefecture's answers by that
name: two sendings never share one (:func:`checked_serial`). The same archive of an act asked
for again on the same platform is the same sending, and keeps the name (and day) it was first
given; another content (an amended or signed act, other settings) is another sending. The
storage counts and finds sendings by their content (``adapters/storage/envois.py``).
"""

from __future__ import annotations

import datetime as dt

from service.domain.actes.archive import SERIAL_MAX
from service.domain.errors import Conflict


def checked_serial(siren: str, jour: dt.date, serial: int) -> int:
    """Return *serial*, the next of *siren*'s sendings on *jour*, if the operator numbers it.

    :raises Conflict: (``envois-du-jour-epuises``) when the authority already sent
        :data:`SERIAL_MAX` archives that day; the count must then not be kept.
    """
    if serial > SERIAL_MAX:
        raise Conflict(
            f"La collectivité {siren} a déjà envoyé {SERIAL_MAX} archives le "
            f"{jour:%d/%m/%Y} : l'opérateur n'en numérote pas davantage ; réessayez demain.",
            code="envois-du-jour-epuises",
        )
    return serial
