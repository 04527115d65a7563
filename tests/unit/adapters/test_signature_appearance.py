"""A signature's box shows the time in Paris, whatever zone the machine runs in."""

from __future__ import annotations

import datetime as dt
import time

from service.adapters.pdf_sign.appearance import SignatureAppearance


def test_the_signature_date_and_time_are_read_in_paris(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        # 23:30 UTC on 1 March is 00:30 on 2 March in Paris, 18:30 on 1 March in New York.
        signed = SignatureAppearance("Le Président", "François Rebsamen",
                                     dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC))
        assert signed.lines[2] == "le 02/03/2026 à 00:30"
        summer = SignatureAppearance("Le Président", "François Rebsamen",
                                     dt.datetime(2026, 7, 1, 10, 0, tzinfo=dt.UTC))
        assert summer.lines[2] == "le 01/07/2026 à 12:00"
    finally:
        monkeypatch.undo()
        time.tzset()
