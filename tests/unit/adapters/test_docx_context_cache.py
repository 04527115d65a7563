"""What the context keeps per process (flat dicts of a payload) never leaks between renders."""

from __future__ import annotations

from service.adapters.docx.context import _typographed


def test_equal_values_of_other_types_are_not_mixed_up() -> None:
    assert _typographed({"vote": {"n": 1}})["vote"]["n"] is 1  # noqa: F632
    assert _typographed({"vote": {"n": True}})["vote"]["n"] is True
    assert _typographed({"vote": {"n": 1}})["vote"]["n"] is 1  # noqa: F632


def test_each_call_gets_its_own_dicts() -> None:
    first = _typographed({"membres": [{"nom": "Durand", "titre": "Maire : adjoint"}]})
    first["membres"][0]["nom"] = "changé par un modèle"
    again = _typographed({"membres": [{"nom": "Durand", "titre": "Maire : adjoint"}]})
    assert again["membres"][0] == {"nom": "Durand", "titre": "Maire\u202f: adjoint"}
