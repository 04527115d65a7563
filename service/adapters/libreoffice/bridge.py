"""One warm LibreOffice, driven over UNO, serving conversions on stdin/stdout.

This script runs on Debian's ``/usr/bin/python3``, the only interpreter that can ``import uno``
(pitfalls.md); it imports nothing from the service. It starts ONE ``soffice.bin`` with a private
profile, waits until it accepts UNO connections on a named pipe, prints a ``ready`` line, then
reads requests, one JSON object a line, and answers each with one JSON line::

    → {"op": "convert", "input": "/…/a.docx", "output": "/…/a.pdf", "pdfa": true}
    ← {"ok": true, "ms": {"load": 71.2, "store": 16.0, "close": 7.9}}
    ← {"ok": false, "kind": "document", "message": "…"}   # this document cannot be converted
    ← {"ok": false, "kind": "crash", "message": "…"}      # LibreOffice is gone; the bridge exits
    → {"op": "ping"}  ← {"ok": true}
    → {"op": "quit"}  (LibreOffice is terminated, the bridge exits)

Documents are loaded hidden, read-only, with macros never executed and links never updated, from
a file path (a stream is 40-50 % slower for DOCX, anchors.md §B.3). The profile is seeded so
that LibreOffice blocks links from untrusted documents and sends any HTTP(S) request to a dead
proxy: a document cannot make the machine fetch anything.

The parent (``worker.py``) starts this script in its own process group; ``soffice.bin`` inherits
it, so killing the group ends the whole tree.
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import json
import os
import resource
import signal
import subprocess
import sys
import time
import zipfile
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException

# LibreOffice leaves with this code after it has created a new profile, expecting a restart.
EXIT_RESTART = 81
# com.sun.star.document.MacroExecMode.NEVER_EXECUTE and UpdateDocMode.NO_UPDATE.
NEVER_EXECUTE = 0
NO_UPDATE = 0
DOCX_FILTER = "MS Word 2007 XML"
PDFA_2B = 2

SEED_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
SEED_SETTINGS = [
    # Links (images, OLE, fields) of a document outside the trusted locations are not loaded.
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    # Whatever still tries HTTP(S) goes to the discard port of the loopback.
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "2"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "127.0.0.1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
    # A converter has nothing to recover and no reason to write backups.
    ("/org.openoffice.Office.Recovery/AutoSave", "Enabled", "false"),
    ("/org.openoffice.Office.Recovery/RecoveryInfo", "Enabled", "false"),
]


class StartError(Exception):
    """LibreOffice did not come up."""


def props(**values) -> tuple:
    """Return *values* as a tuple of UNO ``PropertyValue``."""
    out = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        out.append(prop)
    return tuple(out)


def seed_profile(profile: str) -> None:
    """Write the hardening settings into a profile that has none yet."""
    user = os.path.join(profile, "user")
    path = os.path.join(user, "registrymodifications.xcu")
    if os.path.exists(path):
        return
    os.makedirs(user, exist_ok=True)
    items = "\n".join(
        f'<item oor:path="{node}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for node, name, value in SEED_SETTINGS
    )
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(SEED_XCU.format(items=items))


def check_hardening(ctx) -> None:
    """Raise :class:`StartError` unless every setting of ``SEED_SETTINGS`` is in force in the
    running LibreOffice, read back through its configuration service.

    The profile is seeded once and kept across restarts; LibreOffice rewrites its
    ``registrymodifications.xcu`` itself, and anything else that edits it (an operator, a
    damaged write) would silently reopen links and macros. Read at each start, a setting no
    longer in force fails the start, and the worker starts again on a fresh profile.
    """
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx)
    wrong = []
    for node, name, expected in SEED_SETTINGS:
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess", props(nodepath=node))
        actual = access.getByName(name)
        shown = str(actual).lower() if isinstance(actual, bool) else str(actual)
        if shown != expected:
            wrong.append(f"{node}/{name} = {shown!r} (attendu {expected!r})")
    if wrong:
        raise StartError("hardening settings not in force: " + "; ".join(wrong))


# Looked up here, not in the forked child: between fork and exec only the call itself runs.
_PRCTL = ctypes.CDLL(None, use_errno=True).prctl
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # soffice.bin must not outlive this bridge, even when the bridge is SIGKILLed alone.
    _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def limit_memory(megabytes: int) -> None:
    """Cap the data segment (heap and private writable mappings) of this process and its
    children at *megabytes*: a heavy document makes LibreOffice fail its allocations and stop,
    a crash the pool turns into a refusal, instead of pushing the machine into swap.

    ``RLIMIT_DATA`` rather than ``RLIMIT_AS``: an idle soffice.bin maps some 460 MB of
    libraries and reserved arenas that cost no memory, but only ~100-160 MB of data.
    """
    if megabytes > 0:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


class Office:
    """One ``soffice.bin`` process and the UNO desktop it serves."""

    def __init__(self, soffice: str, profile: str, pipe: str, memory_mb: int = 0) -> None:
        self.soffice, self.profile, self.pipe = soffice, profile, pipe
        self.memory_mb = memory_mb
        self.proc: subprocess.Popen[bytes] | None = None
        self.desktop: Any = None
        """The UNO desktop, once connected."""

    @property
    def process(self) -> subprocess.Popen[bytes]:
        """Return the running ``soffice.bin``.

        :raises StartError: before :meth:`start` spawned it.
        """
        if self.proc is None:
            raise StartError("soffice.bin has not been started")
        return self.proc

    def start(self, timeout: float) -> None:
        """Start LibreOffice and connect to it, restarting once after a first-start exit 81.

        :raises StartError: when it does not accept a connection within *timeout* seconds.
        """
        seed_profile(self.profile)
        deadline = time.monotonic() + timeout
        resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext()
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        restarts = 0
        self._spawn()
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                if code == EXIT_RESTART and restarts < 2:
                    restarts += 1
                    print("bridge: soffice.bin asked for a restart (81)", file=sys.stderr)
                    self._spawn()
                    continue
                raise StartError(f"soffice.bin exited with code {code} during start-up")
            try:
                ctx = resolver.resolve(url)
            except NoConnectException:
                time.sleep(0.05)
                continue
            self.desktop = ctx.ServiceManager.createInstanceWithContext(
                "com.sun.star.frame.Desktop", ctx
            )
            check_hardening(ctx)
            return
        raise StartError(f"soffice.bin accepted no connection within {timeout:g} s")

    def _spawn(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.soffice,
                f"-env:UserInstallation=file://{os.path.abspath(self.profile)}",
                "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                "--nolockcheck",
                f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=sys.stderr,
            stderr=sys.stderr,
            preexec_fn=self._child_setup,
        )

    def _child_setup(self) -> None:
        _die_with_parent()
        limit_memory(self.memory_mb)

    def alive(self) -> bool:
        """Return True when soffice.bin is still running."""
        return self.proc is not None and self.proc.poll() is None

    def convert(self, src: str, dst: str, pdfa: bool) -> tuple[dict, int | None]:
        """Export *src* as PDF to *dst*; return the timings of loading and exporting it, and
        the number of pages LibreOffice laid out (``None`` when it cannot say)."""
        t0 = time.perf_counter()
        doc = self.desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(src), "_blank", 0, load_props())
        if doc is None:
            raise DocumentFailure("LibreOffice n'a pas pu ouvrir ce document.")
        t1 = time.perf_counter()
        try:
            honour_test_hooks(src)
            doc.storeToURL(uno.systemPathToFileUrl(dst), store_props(pdfa))
            t2 = time.perf_counter()
            pages = _page_count(doc)
        finally:
            try:
                doc.close(True)
            except Exception:  # noqa: BLE001 - a veto or a dead office: dispose is the fallback
                if self.alive():
                    doc.dispose()
        t3 = time.perf_counter()
        return {"load": _ms(t1 - t0), "store": _ms(t2 - t1), "close": _ms(t3 - t2)}, pages

    def ping(self) -> None:
        """Make a cheap UNO call; raise when the office no longer answers."""
        self.desktop.getCurrentComponent()

    def stop(self) -> None:
        """Terminate LibreOffice, killing it if it does not leave within 3 s."""
        if not self.alive():
            return
        try:
            self.desktop.terminate()
        except Exception:  # noqa: BLE001 - the connection may already be gone
            pass
        try:
            self.process.wait(3)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _load_props() -> tuple:
    return props(Hidden=True, ReadOnly=True, FilterName=DOCX_FILTER,
                 MacroExecutionMode=NEVER_EXECUTE, UpdateDocMode=NO_UPDATE)


def _store_props(pdfa: bool) -> tuple:
    filter_data = props(SelectPdfVersion=PDFA_2B) if pdfa else ()
    return props(FilterName="writer_pdf_Export", Overwrite=True,
                 FilterData=uno.Any("[]com.sun.star.beans.PropertyValue", filter_data))


# The same for every document: made once (a dozen UNO structs, ~0.1 ms of this process an act).
# pyuno converts them to UNO values at each call, so sharing the Python objects is safe.
load_props = functools.cache(_load_props)
store_props = functools.cache(_store_props)


def _page_count(doc) -> int | None:
    """Return the pages of the laid-out *doc* (Writer's view counts them), so that the service
    need not parse the PDF again to know it (2 ms of pypdf per act)."""
    try:
        return int(doc.getCurrentController().getPropertyValue("PageCount"))
    except Exception:  # noqa: BLE001 - no view, or not Writer: the caller counts in the PDF
        return None


class DocumentFailure(Exception):
    """This document cannot be converted; LibreOffice itself is fine."""


# Test hooks, set from the command line: a document whose text holds the marker hangs (or pauses
# between load and export) so that timeouts and crashes can be tested for real.
HOOKS: dict[str, Any] = {"hang": None, "pause": None, "pause_seconds": 2.0}


def _has_marker(src: str, marker: str | None) -> bool:
    if not marker:
        return False
    try:
        with zipfile.ZipFile(src) as zf:
            return marker.encode() in zf.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        return False


def honour_test_hooks(src: str) -> None:
    """Honour the test hooks for *src* (no-op in production)."""
    if _has_marker(src, HOOKS["hang"]):
        time.sleep(3600)
    if _has_marker(src, HOOKS["pause"]):
        time.sleep(HOOKS["pause_seconds"])


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def serve(office: Office, inp, out) -> int:
    """Answer requests from *inp* on *out* until EOF or ``quit``; return the exit code."""

    def reply(**message) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    for line in inp:
        request = json.loads(line)
        op = request.get("op")
        if op == "quit":
            office.stop()
            return 0
        try:
            if op == "ping":
                office.ping()
                reply(ok=True)
            elif op == "convert":
                ms, pages = office.convert(request["input"], request["output"],
                                           request.get("pdfa", True))
                reply(ok=True, ms=ms, pages=pages)
            else:
                reply(ok=False, kind="document", message=f"unknown op {op!r}")
        except DocumentFailure as exc:
            reply(ok=False, kind="document", message=str(exc))
        except Exception as exc:  # noqa: BLE001 - UNO raises many types; classify by office state
            crashed = isinstance(exc, DisposedException) or not office.alive() or not _pings(office)
            kind = "crash" if crashed else "document"
            reply(ok=False, kind=kind, message=f"{type(exc).__name__}: {exc}"[:500])
            if crashed:
                return 3
    office.stop()
    return 0


def _pings(office: Office) -> bool:
    try:
        office.ping()
    except Exception:  # noqa: BLE001
        return False
    return True


def pin(cpu: int) -> None:
    """Run on *cpu* from now on, and so will soffice.bin and every thread it starts.

    Pinning only makes batches faster: a CPU that can no longer be used (a container's set of
    CPUs changed) leaves LibreOffice unpinned rather than not started.
    """
    try:
        os.sched_setaffinity(0, {cpu})
    except OSError as exc:
        print(f"bridge: cannot pin to CPU {cpu} ({exc}); running unpinned", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soffice", required=True, help="path of soffice.bin")
    parser.add_argument("--profile", required=True, help="private profile folder")
    parser.add_argument("--pipe", required=True, help="name of the UNO pipe")
    parser.add_argument("--start-timeout", type=float, default=60.0)
    parser.add_argument("--memory-mb", type=int, default=0,
                        help="RLIMIT_DATA of soffice.bin in MiB (0: none)")
    parser.add_argument("--cpu", type=int, help="run this bridge and its LibreOffice on that CPU")
    parser.add_argument("--test-hang-marker")
    parser.add_argument("--test-pause-marker")
    parser.add_argument("--test-pause-seconds", type=float, default=2.0)
    args = parser.parse_args(argv)
    HOOKS.update(hang=args.test_hang_marker, pause=args.test_pause_marker,
                 pause_seconds=args.test_pause_seconds)

    # The protocol owns the real stdout; anything else printing to fd 1 lands on stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if args.cpu is not None:
        pin(args.cpu)

    office = Office(args.soffice, args.profile, args.pipe, args.memory_mb)
    started = time.perf_counter()
    try:
        office.start(args.start_timeout)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
        if office.proc is not None and office.alive():
            office.proc.kill()
        out.write(json.dumps({"event": "failed", "message": str(exc)[:500]}) + "\n")
        out.flush()
        return 2
    out.write(json.dumps({
        "event": "ready", "soffice_pid": office.process.pid,
        "start_ms": _ms(time.perf_counter() - started),
    }) + "\n")
    out.flush()
    try:
        return serve(office, sys.stdin, out)
    finally:
        if office.alive():
            office.process.kill()


if __name__ == "__main__":
    sys.exit(main())
