"""Converting many documents at once: the one way the pool, its client and the cold converter
share, so that labels are matched and order is kept the same way by all three."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor


def convert_all(
    to_pdf: Callable[..., bytes],
    docxs: Sequence[bytes],
    labels: Sequence[str],
    *,
    width: int,
) -> list[bytes]:
    """Return ``to_pdf(docx, label=…)`` of each of *docxs*, in order, *width* at a time.

    A label is optional for the last documents; more labels than documents is an error.
    """
    if len(labels) > len(docxs):
        raise ValueError("more labels than documents")
    names = list(labels) + [""] * (len(docxs) - len(labels))
    if width <= 1 or len(docxs) <= 1:
        return [to_pdf(d, label=n) for d, n in zip(docxs, names, strict=True)]
    # At most *width* threads: the rest waits in the executor, not in the pool's queue.
    with ThreadPoolExecutor(min(width, len(docxs)), thread_name_prefix="lo-many") as ex:
        return list(ex.map(lambda d, n: to_pdf(d, label=n), docxs, names))
