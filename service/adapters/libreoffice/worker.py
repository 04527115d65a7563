"""One warm LibreOffice seen from the service: a bridge subprocess and the soffice it owns.

The bridge (``bridge.py``) runs on Debian's ``/usr/bin/python3`` because only that interpreter
has ``import uno``. It is started in a new process group, which ``soffice.bin`` inherits, so a
timeout or a stop kills the whole tree with one ``killpg`` (anchors.md §B.2, item 3).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

BRIDGE = Path(__file__).with_name("bridge.py")
SYSTEM_PYTHON = "/usr/bin/python3"
_PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1024 * 1024


class WorkerFailure(Exception):
    """Base of the failures a worker reports to the pool."""


class DocumentFailure(WorkerFailure):
    """This document cannot be converted; the worker is still usable."""


class CrashFailure(WorkerFailure):
    """LibreOffice or the bridge died; the worker must be restarted."""


class TimeoutFailure(WorkerFailure):
    """The conversion outlived its timeout; the worker has been killed."""


class StartFailure(WorkerFailure):
    """LibreOffice did not come up."""


def find_soffice_bin() -> str:
    """Return the path of ``soffice.bin`` (the bridge runs it directly, without oosplash)."""
    env = os.environ.get("LIBREOFFICE_PROGRAM")
    candidates = [Path(env) / "soffice.bin"] if env else []
    wrapper = shutil.which("soffice") or shutil.which("libreoffice")
    if wrapper:
        candidates.append(Path(os.path.realpath(wrapper)).with_name("soffice.bin"))
    candidates.append(Path("/usr/lib/libreoffice/program/soffice.bin"))
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    raise StartFailure("soffice.bin not found: is LibreOffice installed?")


@dataclass
class WorkerOptions:
    """What every worker of a pool shares."""

    work_dir: Path | None = None  # set before the first start
    jobs_dir: Path | None = None
    """Where documents in flight are written (default: ``work_dir``); see ``memory_jobs_dir``."""
    python: str = SYSTEM_PYTHON
    soffice: str | None = None
    start_timeout: float = 60.0
    test_hooks: dict[str, str] = field(default_factory=dict)
    memory_mb: int = 1024
    """``RLIMIT_DATA`` of each ``soffice.bin`` in MiB (0: none); see ``bridge.limit_memory``."""
    cpus: tuple[int, ...] = ()
    """CPUs to pin workers to, worker *i* on ``cpus[i % len(cpus)]``; empty: not pinned."""
    # Set when the owner shuts down: a start in progress then gives up instead of retrying.
    stopping: threading.Event = field(default_factory=threading.Event)


def memory_jobs_dir(workers: int, base: str = "/dev/shm") -> Path | None:
    """Return a new private folder in memory (tmpfs) for the documents in flight, or ``None``
    when *base* is missing, not writable or has less room than *workers* large acts need.

    Each act is a DOCX written, a PDF written by LibreOffice, both read and removed: on the
    ext4 disk holding ``work_dir`` creating and removing those files cost the pool server
    ~0.35 ms of kernel CPU an act (inode allocation scanning recently deleted inodes, block
    freeing, online discard), a third of its CPU (``perf record`` of the server during
    ``bench/bench_hops.py``); in tmpfs a few tens of µs. A container's small ``/dev/shm``
    (Docker: 64 MiB) is left alone: a large act must not fail for want of room.
    """
    try:
        _remove_left_behind(Path(base))
        stat = os.statvfs(base)
        if stat.f_bavail * stat.f_frsize < workers * _ROOM_PER_WORKER:
            return None
        return Path(tempfile.mkdtemp(prefix=f"{_JOBS_PREFIX}{os.getpid()}-", dir=base))
    except OSError:
        return None


_JOBS_PREFIX = "actes-lo-jobs-"


def _remove_left_behind(base: Path) -> None:
    """Remove the folders of *base* that a pool killed without closing left (its documents
    in flight would hold memory until the machine restarts): those named after a process
    that no longer runs. A folder of a running process, any other pool's, is left alone."""
    for folder in base.glob(f"{_JOBS_PREFIX}*-*"):
        pid = folder.name[len(_JOBS_PREFIX):].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # EPERM: another user's running process
            continue


# A DOCX (20 MB at most once uploaded) and its PDF (48 MiB at most kept), with margin.
_ROOM_PER_WORKER = 256 * MIB


class LibreOfficeWorker:
    """One bridge subprocess and its ``soffice.bin``; converts one document at a time.

    Not thread-safe: the pool hands a worker to one caller at a time.
    """

    def __init__(self, index: int, options: WorkerOptions) -> None:
        self.index = index
        self.name = f"lo-{index}"
        self.options = options
        self.conversions = 0
        self.soffice_pid: int | None = None
        # Milliseconds of the last conversion inside LibreOffice: {"load", "store", "close"}.
        self.last_ms: dict[str, float] = {}
        self.last_pages: int | None = None
        """Pages of the last PDF, as LibreOffice laid them out (``None``: unknown)."""
        self._proc: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._jobs_prefix = ""  # set at start: the jobs folder and a prefix unique to the start
        self._job_numbers = itertools.count()
        # The socket files soffice.bin binds (UNO pipe, single-instance pipe): a killed
        # LibreOffice leaves them in /tmp, so kill() removes them.
        self._sockets: list[str] = []
        # A pidfd of soffice.bin (not our child: the bridge's): readable once it has exited.
        self._soffice_fd: int | None = None
        # Held while reading the bridge's answers, so that a kill from another thread (a pool
        # closing) closes the pipes only after the reader has seen their end.
        self._io = threading.RLock()

    @property
    def profile(self) -> Path:
        """Return this worker's private LibreOffice profile folder."""
        return self._work_dir / f"profile-{self.index}"

    @property
    def jobs(self) -> Path:
        """Return the folder where documents wait for this worker."""
        return (self.options.jobs_dir or self._work_dir) / f"jobs-{self.index}"

    @property
    def tmp(self) -> Path:
        """Return the ``TMPDIR`` of this worker's LibreOffice, emptied at each (re)start.

        soffice.bin makes a ``lu*.tmp`` folder there at start and removes it only when it quits
        cleanly; a killed or recycled one left it in ``/tmp``, 76 kB a restart, for ever.
        """
        return self._work_dir / f"tmp-{self.index}"

    @property
    def _work_dir(self) -> Path:
        if self.options.work_dir is None:
            raise StartFailure(f"{self.name}: no work_dir")
        return Path(self.options.work_dir)

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> float:
        """Start the bridge and its LibreOffice; return the start time in seconds.

        The profile is kept across restarts (a warm profile starts faster); it is wiped only
        when a start fails, in case it is what broke.

        :raises StartFailure: when LibreOffice is not ready within the start timeout.
        """
        self.kill()
        try:
            return self._start_once()
        except StartFailure as exc:
            if self.options.stopping.is_set():
                raise
            log.warning("%s: start failed (%s); retrying with a fresh profile", self.name, exc)
            self.kill()
            shutil.rmtree(self.profile, ignore_errors=True)
            return self._start_once()

    @property
    def cpu(self) -> int | None:
        """The CPU this worker's bridge and LibreOffice run on, or ``None`` when not pinned."""
        cpus = self.options.cpus
        return cpus[self.index % len(cpus)] if cpus else None

    def _start_once(self) -> float:
        started = time.monotonic()
        try:
            self.jobs.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp.mkdir(parents=True)
        except OSError as exc:
            raise StartFailure(f"cannot create {self.jobs} or {self.tmp}: {exc}") from exc
        soffice = self.options.soffice or find_soffice_bin()
        cmd = [
            self.options.python, str(BRIDGE),
            "--soffice", soffice,
            "--profile", str(self.profile),
            "--pipe", f"actes-lo-{os.getpid()}-{self.index}-{uuid.uuid4().hex[:8]}",
            "--start-timeout", str(self.options.start_timeout),
            "--memory-mb", str(self.options.memory_mb),
        ]
        if self.cpu is not None:
            cmd += ["--cpu", str(self.cpu)]  # the bridge pins itself before starting soffice
        for hook, value in self.options.test_hooks.items():
            cmd += [f"--test-{hook}", value]
        self._buffer = b""
        self._jobs_prefix = f"{self.jobs}/{uuid.uuid4().hex[:8]}-"
        self.conversions = 0
        self.soffice_pid = None
        try:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                start_new_session=True, close_fds=True,
                env={**os.environ, "TMPDIR": str(self.tmp)},
            )
        except OSError as exc:  # no /usr/bin/python3, unreadable work dir…
            raise StartFailure(f"cannot run the bridge: {exc}") from exc
        threading.Thread(
            target=_drain, args=(self._proc.stderr, self.name), daemon=True,
            name=f"{self.name}-stderr",
        ).start()
        try:
            event = self._read(started + self.options.start_timeout + 5)
        except (TimeoutFailure, CrashFailure) as exc:
            self.kill()
            raise StartFailure(str(exc)) from exc
        if event.get("event") != "ready":
            self.kill()
            raise StartFailure(event.get("message", "bridge did not start"))
        self.soffice_pid = int(event["soffice_pid"])
        self._sockets = _bound_unix_sockets(self.soffice_pid)
        self._soffice_fd = _pidfd(self.soffice_pid)
        elapsed = time.monotonic() - started
        log.info("%s: LibreOffice ready in %.2f s (soffice.bin pid %s)",
                 self.name, elapsed, self.soffice_pid)
        return elapsed

    def stop(self, grace: float = 3.0) -> None:
        """Ask LibreOffice to quit, then kill whatever is left of the tree."""
        proc = self._proc
        if proc is not None and proc.poll() is None and proc.stdin is not None:
            try:
                proc.stdin.write(b'{"op": "quit"}\n')
                proc.stdin.flush()
                proc.wait(grace)
            except (OSError, subprocess.TimeoutExpired):
                pass
        self.kill()

    def kill(self) -> None:
        """Kill the bridge's process group (bridge, soffice.bin and their children) at once."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        # soffice.bin is in the group too; should it ever leave, the bridge made the kernel
        # kill it when the bridge dies (PR_SET_PDEATHSIG), so no pid is killed by number here.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            log.error("%s: bridge pid %s survived SIGKILL", self.name, proc.pid)
        with self._io:
            for stream in (proc.stdin, proc.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except OSError:
                    pass
        # Return once soffice.bin is gone too, so its memory and pipe are free for a successor.
        deadline = time.monotonic() + 5
        while self.soffice_pid and time.monotonic() < deadline:
            if _process_state(self.soffice_pid) in (None, "Z", "X"):
                break
            time.sleep(0.01)
        for path in self._sockets:
            with contextlib.suppress(OSError):
                os.unlink(path)
        self._sockets = []
        fd, self._soffice_fd = self._soffice_fd, None
        if fd is not None:
            os.close(fd)
        if self.options.work_dir is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- state ------------------------------------------------------------------------------

    def alive(self) -> bool:
        """Return True when both the bridge and its soffice.bin are running."""
        proc = self._proc
        if proc is None or proc.poll() is not None or self.soffice_pid is None:
            return False
        fd = self._soffice_fd
        if fd is not None:  # checked before every conversion: one poll, not a /proc read
            try:
                return not select.select([fd], [], [], 0)[0]
            except (OSError, ValueError):  # closed by a kill in another thread
                return False
        return _process_state(self.soffice_pid) not in (None, "Z", "X")

    def rss_mb(self) -> float | None:
        """Return the resident memory of soffice.bin in MiB (None when it is not running)."""
        if self.soffice_pid is None:
            return None
        # statm's second field is VmRSS in pages; the kernel writes it in a fraction of what
        # the ~60 lines of /proc/PID/status cost, and the pool reads it after each conversion.
        try:
            with open(f"/proc/{self.soffice_pid}/statm", "rb") as fh:
                return int(fh.read().split()[1]) * _PAGE / MIB
        except (OSError, IndexError, ValueError):
            return None

    # -- work -------------------------------------------------------------------------------

    def convert(self, docx: bytes, *, timeout: float, pdfa: bool = True, label: str = "") -> bytes:
        """Return the PDF of *docx*.

        :raises DocumentFailure: when LibreOffice cannot open or export this document.
        :raises CrashFailure: when LibreOffice or the bridge died (the worker is dead).
        :raises TimeoutFailure: after *timeout* seconds (the worker has been killed).
        """
        if not self._jobs_prefix:
            raise CrashFailure(f"{self.name} has not been started")
        # Names unique in this worker's own folder; plain strings and os calls, as this runs
        # for every act (pathlib and uuid4 were a tenth of the pool server's Python per act).
        job = f"{self._jobs_prefix}{next(self._job_numbers)}"
        src, dst = f"{job}.docx", f"{job}.pdf"
        try:
            fd = os.open(src, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
            try:
                with memoryview(docx) as left:
                    while left:
                        left = left[os.write(fd, left):]
            finally:
                os.close(fd)
            request = {"op": "convert", "input": src, "output": dst, "pdfa": pdfa}
            with self._io:
                answer = self._exchange(request, timeout, label)
            if answer.get("ok"):
                self.conversions += 1
                self.last_ms = answer.get("ms", {})
                self.last_pages = answer.get("pages")
                log.debug("%s: converted %r %s", self.name, label, self.last_ms)
                with open(dst, "rb", buffering=0) as fh:
                    return fh.readall()
            message = answer.get("message", "")
            if answer.get("kind") == "crash":
                self.kill()
                raise CrashFailure(f"{self.name}: {message}")
            raise DocumentFailure(message)
        finally:
            for path in (src, dst):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)

    def _exchange(self, request: dict, timeout: float, label: str) -> dict:
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise CrashFailure(f"{self.name} is not running")
        try:
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
        except (OSError, ValueError) as exc:  # ValueError: the pipe was closed by a kill
            self.kill()
            raise CrashFailure(f"{self.name}: bridge gone ({exc})") from exc
        try:
            return self._read(time.monotonic() + timeout)
        except TimeoutFailure:
            log.error("%s: conversion of %r exceeded %g s; killing LibreOffice",
                      self.name, label, timeout)
            self.kill()
            raise

    def _read(self, deadline: float) -> dict:
        """Return the next JSON line of the bridge, waiting until *deadline* at most."""
        with self._io:
            return self._read_locked(deadline)

    def _read_locked(self, deadline: float) -> dict:
        proc = self._proc
        if proc is None or proc.stdout is None:
            raise CrashFailure(f"{self.name} is not running")
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutFailure(f"{self.name}: no answer in time")
            try:
                ready, _, _ = select.select([fd], [], [], remaining)
                chunk = os.read(fd, 65536) if ready else None
            except (OSError, ValueError) as exc:
                self.kill()
                raise CrashFailure(f"{self.name}: pipe closed ({exc})") from exc
            if chunk is None:
                continue
            if not chunk:
                self.kill()
                raise CrashFailure(f"{self.name}: bridge exited")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError as exc:
            self.kill()
            raise CrashFailure(f"{self.name}: garbled answer {line[:200]!r}") from exc


def _drain(stream, name: str) -> None:
    # LibreOffice's chatter (javaldx warnings…) goes to the log, never to a full pipe.
    wlog = logging.getLogger(f"{__name__}.{name}")
    try:
        for raw in iter(stream.readline, b""):
            wlog.debug("%s", raw.decode("utf-8", "replace").rstrip())
    except (OSError, ValueError):
        pass
    finally:
        stream.close()


def _bound_unix_sockets(pid: int) -> list[str]:
    """Return the paths of the Unix sockets *pid* holds open (from /proc; [] on error)."""
    try:
        inodes = set()
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(OSError):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        with open("/proc/net/unix", encoding="utf-8", errors="replace") as fh:
            rows = [line.split() for line in fh.readlines()[1:]]
    except OSError:
        return []
    # Columns: Num RefCount Protocol Flags Type St Inode [Path]
    return sorted({r[7] for r in rows if len(r) > 7 and r[6] in inodes and r[7].startswith("/")})


def _pidfd(pid: int) -> int | None:
    """Return a pidfd of *pid* (Linux 5.3+), or ``None`` where there is none."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _process_state(pid: int) -> str | None:
    """Return the one-letter state of *pid* from /proc (None when there is no such process)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
