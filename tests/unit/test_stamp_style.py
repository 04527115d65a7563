"""StampStyle: defaults, reading from a configuration mapping, refusals."""

from __future__ import annotations

import dataclasses

import pytest

from service.adapters.pdf_stamp.style import StampStyle


def test_default_style_is_the_accuse_reception_box_top_right_of_page_1_in_8_pt():
    style = StampStyle()

    assert (style.kind, style.position, style.font_size, style.every_page) == (
        "accuse-reception", "top-right", 8, False,
    )


def test_style_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        StampStyle().font_size = 9  # type: ignore[misc]


def test_from_config_reads_field_names_and_their_hyphenated_spelling():
    style = StampStyle.from_config(
        {"kind": "s2low", "font-size": 7, "every_page": True, "position": "bottom-left",
         "margin-x": 30, "margin_y": 12.5}
    )

    assert style == StampStyle(
        kind="s2low", font_size=7, every_page=True, position="bottom-left",
        margin_x=30, margin_y=12.5,
    )


def test_from_config_with_an_empty_mapping_gives_the_defaults():
    assert StampStyle.from_config({}) == StampStyle()


def test_from_config_names_every_unknown_key():
    with pytest.raises(ValueError, match="clé\\(s\\) inconnue\\(s\\)") as info:
        StampStyle.from_config({"kind": "s2low", "opacity": 0.8, "colour": "red"})

    assert "colour, opacity" in str(info.value)
    assert "font_size" in str(info.value)  # the message lists what is accepted


@pytest.mark.parametrize("size", [7, 8.5, 9])
def test_font_sizes_from_7_to_9_pt_are_accepted(size):
    assert StampStyle.from_config({"font_size": size}).font_size == size


@pytest.mark.parametrize("size", [6.9, 9.5, 12])
def test_font_sizes_outside_7_to_9_pt_are_refused(size):
    with pytest.raises(ValueError, match="taille de police"):
        StampStyle.from_config({"font_size": size})


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"kind": "stela"}, "style de tampon"),
        ({"position": "centre"}, "position du tampon"),
        ({"font_size": "8"}, "doit être un nombre"),
        ({"font_size": True}, "doit être un nombre"),
        ({"margin_x": -5}, "ne peut pas être négatif"),
        ({"border_width": 0}, "épaisseur du cadre"),
        ({"line_spacing": 3}, "interligne"),
        ({"every_page": "yes"}, "every_page"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(config, message):
    with pytest.raises(ValueError, match=message):
        StampStyle.from_config(config)


def test_from_config_refuses_what_is_not_a_mapping():
    with pytest.raises(ValueError, match="dictionnaire"):
        StampStyle.from_config(["kind", "s2low"])  # type: ignore[arg-type]


def test_leading_follows_font_size_and_line_spacing():
    assert StampStyle(font_size=8, line_spacing=1.5).leading == 12
