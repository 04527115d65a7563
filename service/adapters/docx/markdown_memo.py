"""The paragraphs of a Markdown text written once per template file, found again by the text.

What :class:`.markdown.MarkdownWriter` writes for a text depends on the text, the template's
styles and the ``numId`` of each list it asks the numbering for; the calls it makes depend on
the text alone, their answers on what the render asked before. So the paragraphs are kept with
a placeholder where each ``numId`` goes, and the calls made: a render finding the text again
makes the same calls on its own numbering and puts its answers in the placeholders. An act
generated again (a sitting sent again after a correction, a retried job) finds its exposé and
its articles there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import Any, Protocol

_MARK = "\x00"
"""Around a placeholder: a character the writer's texts never hold (typography.fr removes it;
the writer keeps nothing for a typography that would not)."""


class _Numbering(Protocol):
    def shared(self, name: str) -> int: ...

    def restarted(self, name: str, level: int, start: int = 1) -> int: ...


class Recorder:
    """Stands for the numbering while a text is written: each call is kept, and answered
    with a placeholder."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def _call(self, method: str, *args: Any) -> Any:
        self.calls.append((method, args))
        return f"{_MARK}{len(self.calls) - 1}{_MARK}"

    def shared(self, name: str) -> Any:
        return self._call("shared", name)

    def restarted(self, name: str, level: int, start: int = 1) -> Any:
        return self._call("restarted", name, level, start)


class Written:
    """Paragraphs written with a :class:`Recorder`, ready to be given their numbering."""

    def __init__(self, xml: Sequence[str], calls: list[tuple[str, tuple[Any, ...]]]) -> None:
        pieces = "".join(xml).split(_MARK)
        self._texts = pieces[0::2]
        self._slots = [int(i) for i in pieces[1::2]]
        self._calls = calls
        self.size = sum(map(len, pieces))

    def replay(self, numbering: _Numbering) -> str:
        """Return the paragraphs' XML, the calls made again on *numbering*."""
        answers = [getattr(numbering, method)(*args) for method, args in self._calls]
        if not self._slots:
            return self._texts[0]
        out = [self._texts[0]]
        for slot, text in zip(self._slots, self._texts[1:], strict=True):
            out += [str(answers[slot]), text]
        return "".join(out)


class Memo:
    """The :class:`Written` of the last texts, by key, within a bound on their total size."""

    def __init__(self, chars: int = 400_000) -> None:
        self.chars = chars
        """The most characters of XML kept (a few long exposés, many short articles)."""
        self._kept: OrderedDict[Hashable, Written] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Written | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, written: Written) -> None:
        if written.size > self.chars // 4:
            return  # a text this long would push out all the others
        with self._lock:
            old = self._kept.pop(key, None)
            self._size += written.size - (old.size if old else 0)
            self._kept[key] = written
            while self._size > self.chars:
                _, dropped = self._kept.popitem(last=False)
                self._size -= dropped.size
