"""DOCX → PDF/A-2b with one ``soffice --headless --convert-to`` process per document.

The simplest converter: a cold LibreOffice start per call (about 0.85 s here, see
``shared/notes/perf-baseline.md``). The warm pool in this package is the fast path; this one is
the reference the benchmark compares against and a fallback needing no UNO.
"""

from __future__ import annotations

import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from service.adapters.libreoffice.batch import convert_all
from service.adapters.libreoffice.limits import PdfLimits
from service.domain.errors import ConversionError, ConversionTimeout

log = logging.getLogger(__name__)

# PDF/A-2b: writer_pdf_Export with SelectPdfVersion=2 (pitfalls.md).
PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'


def find_soffice() -> str:
    """Return the path of the ``soffice`` executable.

    :raises ConversionError: when LibreOffice is not installed.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ConversionError("LibreOffice (soffice) n'est pas installé sur cette machine.")
    return found


class SofficeCliConverter:
    """Convert with a fresh ``soffice`` process per call, each with a private profile.

    Two processes sharing a profile lose conversions silently (pitfalls.md), so every call gets
    its own ``-env:UserInstallation`` in a temporary folder.
    """

    def __init__(self, timeout: float = 120.0, pdfa: bool = True,
                 limits: PdfLimits | None = None, memory_mb: int = 1024) -> None:
        self.memory_mb = memory_mb
        self.timeout = timeout
        self.pdfa = pdfa
        self.limits = limits or PdfLimits()

    def is_ready(self) -> bool:
        """Return ``True``: each document gets its own ``soffice``, started when it comes."""
        return True

    def metrics(self) -> bytes:
        """Return no metrics: a process per document keeps no counters."""
        return b""

    def to_pdf(self, docx: bytes, *, label: str = "", tenant: str = "") -> bytes:
        """Return the PDF of *docx*.

        :raises ConversionTimeout: when LibreOffice runs longer than the timeout (it is killed).
        :raises ConversionError: when LibreOffice produces no PDF.
        :raises PdfTooLarge, TooManyPages: when the PDF exceeds ``limits``.
        """
        with tempfile.TemporaryDirectory(prefix="actes-soffice-") as tmp:
            work = Path(tmp)
            src = work / "document.docx"
            src.write_bytes(docx)
            cmd = [
                find_soffice(),
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless", "--norestore", "--nologo", "--nodefault",
                "--convert-to", PDFA_FILTER if self.pdfa else "pdf",
                "--outdir", str(work / "out"),
                str(src),
            ]
            proc = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                # TMPDIR: soffice.bin's own lu*.tmp folder goes away with this one, even when
                # it is killed.
                env={**os.environ, "HOME": str(work), "TMPDIR": str(work)},
                # Inherited by soffice.bin: the same memory cap as the pool's (bridge.py).
                preexec_fn=partial(_limit_memory, self.memory_mb),
            )
            try:
                _, err = proc.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired as exc:
                # Kill the whole process group: soffice forks soffice.bin.
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise ConversionTimeout(
                    f"La conversion PDF de {label or 'ce document'} a dépassé {self.timeout:g} s."
                ) from exc
            out = work / "out" / "document.pdf"
            if not out.exists():
                log.error("soffice failed for %s: rc=%s %s", label, proc.returncode, err[-500:])
                raise ConversionError(
                    f"LibreOffice n'a pas produit de PDF pour {label or 'ce document'}."
                )
            pdf = out.read_bytes()
        self.limits.check(pdf, label or "ce document")
        return pdf

    def to_pdf_many(self, docxs: Sequence[bytes], *, labels: Sequence[str] = ()) -> list[bytes]:
        """Return the PDFs of *docxs*, one after the other."""
        return convert_all(self.to_pdf, docxs, labels, width=1)


def _limit_memory(megabytes: int) -> None:
    # Runs in the child between fork and exec: one system call.
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
