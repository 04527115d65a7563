"""How the prefecture's mention looks on the page: wording, corner, size, margins.

Modelled on pyHanko's ``TextStampStyle``: a frozen dataclass with defaults that suit most
authorities, built from a configuration mapping by :meth:`StampStyle.from_config`. Lengths are
in PDF points (1/72 inch) and measured on the page as it is displayed, whatever its rotation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from service.domain.mention import STYLES_MENTION, StyleMention

Corner = Literal["top-right", "top-left", "bottom-right", "bottom-left"]
CORNERS: tuple[str, ...] = get_args(Corner)

# A mention smaller than 7 pt is hard to read once printed (S²LOW uses 7 pt); above 9 pt the
# box starts to cover the letterhead.
MIN_FONT_SIZE = 7.0
MAX_FONT_SIZE = 9.0


@dataclass(frozen=True)
class StampStyle:
    """The look of the stamp; every field has a default, so ``StampStyle()`` is usable."""

    kind: StyleMention = "accuse-reception"
    """Wording of the lines: ``accuse-reception`` or ``s2low`` (see ``lignes_mention``)."""

    position: Corner = "top-right"
    """Corner of the page the box is pinned to."""

    font_size: float = 8.0
    """Text size in points, from 7 to 9."""

    margin_x: float = 20.0
    """Gap between the box and the left or right edge of the page."""

    margin_y: float = 20.0
    """Gap between the box and the top or bottom edge of the page."""

    padding: float = 4.0
    """Gap between the border and the text."""

    border_width: float = 0.5
    """Width of the box border; a thin line by default."""

    line_spacing: float = 1.25
    """Distance between baselines, as a multiple of the font size."""

    every_page: bool = False
    """Stamp every page instead of page 1 only (S²LOW stamps page 1 only)."""

    def __post_init__(self) -> None:
        if self.kind not in STYLES_MENTION:
            raise ValueError(
                f"style de tampon « kind » inconnu : {self.kind!r} "
                f"(attendu : {', '.join(STYLES_MENTION)})"
            )
        if self.position not in CORNERS:
            raise ValueError(
                f"position du tampon inconnue : {self.position!r} (attendu : {', '.join(CORNERS)})"
            )
        lengths = ("font_size", "margin_x", "margin_y", "padding", "border_width", "line_spacing")
        for name in lengths:
            value = getattr(self, name)
            # bool is an int subclass: `every_page` given as `font_size` must not pass.
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"« {name} » du tampon doit être un nombre, pas {value!r}")
            if value < 0:
                raise ValueError(f"« {name} » du tampon ne peut pas être négatif ({value!r})")
        if not MIN_FONT_SIZE <= self.font_size <= MAX_FONT_SIZE:
            raise ValueError(
                f"taille de police du tampon hors limites : {self.font_size!r} "
                f"(de {MIN_FONT_SIZE:g} à {MAX_FONT_SIZE:g} pt)"
            )
        if not 0 < self.border_width <= 2:
            raise ValueError(
                f"épaisseur du cadre du tampon hors limites : {self.border_width!r} (0 < e ≤ 2 pt)"
            )
        if not 1 <= self.line_spacing <= 2:
            raise ValueError(f"interligne du tampon hors limites : {self.line_spacing!r} (1 à 2)")
        if not isinstance(self.every_page, bool):
            raise ValueError(
                f"« every_page » du tampon doit valoir true ou false, pas {self.every_page!r}"
            )

    @property
    def leading(self) -> float:
        """Distance between two baselines, in points."""
        return self.font_size * self.line_spacing

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> StampStyle:
        """Return the style described by *config*; missing keys keep their default.

        Keys are the field names; as in pyHanko, ``font-size`` is read as ``font_size``.

        :raises ValueError: when a key is unknown or a value is out of range.
        """
        if not isinstance(config, Mapping):
            raise ValueError(
                f"la configuration du tampon doit être un dictionnaire, pas {config!r}"
            )
        known = {f.name for f in dataclasses.fields(cls)}
        values = {str(key).replace("-", "_"): value for key, value in config.items()}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"clé(s) inconnue(s) dans la configuration du tampon : {', '.join(unknown)} "
                f"(clés possibles : {', '.join(sorted(known))})"
            )
        return cls(**values)
