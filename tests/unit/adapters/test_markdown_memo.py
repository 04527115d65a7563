"""What markdown_memo.py keeps: paragraphs with their numbering left open, within a bound."""

from __future__ import annotations

from service.adapters.docx.markdown_memo import Memo, Recorder, Written


class _Numbering:
    def __init__(self, first: int) -> None:
        self.next = first
        self.calls: list[tuple[object, ...]] = []

    def shared(self, name: str) -> int:
        self.calls.append(("shared", name))
        self.next += 1
        return self.next - 1

    def restarted(self, name: str, level: int, start: int = 1) -> int:
        self.calls.append(("restarted", name, level, start))
        self.next += 1
        return self.next - 1


def _written() -> Written:
    recorder = Recorder()
    a, b = recorder.shared("puces"), recorder.restarted("numeros", 1, 3)
    return Written([f'<w:numId w:val="{a}"/>', "<w:t>x</w:t>", f'<w:numId w:val="{b}"/>'],
                   recorder.calls)


def test_a_replay_makes_the_same_calls_and_prints_their_answers() -> None:
    written = _written()
    for first in (1, 7):
        numbering = _Numbering(first)
        assert written.replay(numbering) == (
            f'<w:numId w:val="{first}"/><w:t>x</w:t><w:numId w:val="{first + 1}"/>'
        )
        assert numbering.calls == [("shared", "puces"), ("restarted", "numeros", 1, 3)]


def test_paragraphs_without_lists_come_back_as_written() -> None:
    assert Written(["<w:p/>", "<w:p>a</w:p>"], []).replay(_Numbering(1)) == "<w:p/><w:p>a</w:p>"


def test_the_memo_keeps_the_last_texts_within_its_size() -> None:
    memo = Memo(chars=400)
    for n in range(10):
        written = Written(["x" * 90], [])
        memo.put(n, written)
    assert [n for n in range(10) if memo.get(n) is not None] == [6, 7, 8, 9]
    memo.get(6)  # used: kept before 7
    memo.put(10, Written(["y" * 90], []))
    assert memo.get(6) is not None and memo.get(7) is None
    memo.put("long", Written(["z" * 101], []))  # over a quarter of the memo: not kept
    assert memo.get("long") is None
