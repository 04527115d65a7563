"""The one font the stamp is written in: Liberation Sans, embedded.

PDF/A wants every font embedded. reportlab's ``Canvas`` names a bare Helvetica in the page
resources unless it starts with a registered TrueType font (pitfalls.md), so the stamper
registers Liberation Sans once per process and hands its name to the canvas.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from service.domain.errors import StampError

FONT_FILE_NAME = "LiberationSans-Regular.ttf"

# Where Debian/Ubuntu (fonts-liberation, fonts-liberation2), Fedora and Arch put the file.
KNOWN_FONT_DIRS = (
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/liberation-sans",
    "/usr/share/fonts/liberation",
    "/usr/share/fonts/TTF",
)

_lock = threading.Lock()
_registered: dict[Path, str] = {}
_default_path: Path | None = None


def find_liberation_sans() -> Path:
    """Return the path of ``LiberationSans-Regular.ttf``, from known folders or ``fc-match``.

    :raises StampError: when the font is not installed.
    """
    for folder in KNOWN_FONT_DIRS:
        candidate = Path(folder) / FONT_FILE_NAME
        if candidate.is_file():
            return candidate
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            found = subprocess.run(
                [fc_match, "--format=%{file}", "Liberation Sans:style=Regular"],
                capture_output=True, text=True, timeout=10, check=False,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        # fc-match always answers with *some* font: accept only Liberation Sans itself.
        if found and Path(found).name == FONT_FILE_NAME and Path(found).is_file():
            return Path(found)
    raise StampError(
        "La police Liberation Sans est introuvable : installez le paquet fonts-liberation "
        "pour apposer la mention préfectorale."
    )


def register_font(path: Path | None = None) -> str:
    """Return the reportlab name of the TrueType font at *path* (Liberation Sans by default).

    The font is read and registered once per process; later calls return the cached name.

    :raises StampError: when the font cannot be found or read.
    """
    global _default_path
    with _lock:
        if path is None:
            # Looked up once: the fallback runs fc-match, a subprocess.
            _default_path = _default_path or find_liberation_sans()
            path = _default_path
        key = Path(path).resolve()
        if key in _registered:
            return _registered[key]
        # Numbered: two files with the same stem must not replace each other in reportlab.
        name = f"Stamp{len(_registered)}-{key.stem}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(key)))
        except (OSError, TTFError) as exc:
            raise StampError(
                f"La police du tampon ({key.name}) ne peut pas être lue : {exc}"
            ) from exc
        _registered[key] = name
        return name
