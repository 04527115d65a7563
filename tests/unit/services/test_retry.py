"""The one retry of a use case whose write found the act changed since it was read."""

from __future__ import annotations

import pytest

from service.domain.errors import Conflict, StaleRead
from service.services.retry import STALE_ATTEMPTS, retry_stale


def test_a_stale_write_is_tried_again_with_the_attempt_number() -> None:
    seen: list[int] = []

    def attempt(n: int) -> str:
        seen.append(n)
        if n < 3:
            raise StaleRead("changed meanwhile")
        return "written"

    assert retry_stale(attempt) == "written"
    assert seen == [1, 2, 3]


def test_an_act_that_keeps_changing_is_the_caller_s_conflict() -> None:
    seen: list[int] = []

    def attempt(n: int) -> str:
        seen.append(n)
        raise StaleRead("changed meanwhile")

    with pytest.raises(StaleRead):
        retry_stale(attempt)
    assert seen == list(range(1, STALE_ATTEMPTS + 1))


def test_another_refusal_is_not_tried_again() -> None:
    seen: list[int] = []

    def attempt(n: int) -> str:
        seen.append(n)
        raise Conflict("another version")

    with pytest.raises(Conflict):
        retry_stale(attempt)
    assert seen == [1]
