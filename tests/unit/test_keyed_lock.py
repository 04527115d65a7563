"""KeyedLocks serialises work on one key and lets other keys run."""

from __future__ import annotations

import threading
import time

from service.services.keyed_lock import KeyedLocks


def test_same_key_is_serialised_and_other_keys_run_in_parallel() -> None:
    locks = KeyedLocks()
    inside: dict[str, int] = {"a": 0, "b": 0}
    peak: dict[str, int] = {"a": 0, "b": 0}
    both = threading.Event()

    def work(key: str) -> None:
        with locks.hold(key):
            inside[key] += 1
            peak[key] = max(peak[key], inside[key])
            if inside["a"] and inside["b"]:
                both.set()
            time.sleep(0.02)
            inside[key] -= 1

    threads = [threading.Thread(target=work, args=(k,)) for k in "abababab"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == {"a": 1, "b": 1}
    assert both.is_set()
    assert len(locks) == 0
