"""Write results atomically, and never replace anything Tumen did not write.

Every file and folder Tumen writes is built under a temporary name beside its target and
moved into place with :func:`os.replace`, which is atomic on one file system: a reader,
a crash or an interrupt never leaves half a result, and the old result stays until the
new one is complete.

Tumen replaces only what it wrote itself:

* a **folder** it writes holds a marker file, :data:`MARKER`, listing every entry Tumen
  put in it. An existing folder is replaced only when it is empty, or when it holds the
  marker and nothing the marker does not list. Any other folder, the current folder and
  the folders above it are refused with an :class:`~tumen.errors.OutputError`.
* a **file** it writes is recorded (name, size, modification time) in :data:`REGISTRY`
  in the same folder. An existing file is replaced only when that record matches it, so
  a user's own file, or a result the user has since edited, is never overwritten.

Files and folders get the permissions the user's umask gives (``0o666``/``0o777`` less
the umask). A write that fails raises :class:`~tumen.errors.OutputError` naming the path
and the reason. Temporary entries left by a killed run (``SIGKILL``) carry the host and
process id in their name and are removed by the next write beside them once that
process is gone.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from tumen.errors import OutputError

__all__ = [
    "MARKER",
    "REGISTRY",
    "InterruptedAfterWrite",
    "check_output_dir",
    "check_output_file",
    "write_dir_atomically",
    "write_file_atomically",
]

#: Marker file in every folder Tumen writes; lists the entries Tumen put there.
MARKER = ".tumen-output"
#: Record, in a folder, of the single files Tumen wrote there (size and mtime of each).
REGISTRY = ".tumen-files"
_MARKER_HEAD = "# Written by Tumen. The next Tumen run writing here replaces this folder"
_REGISTRY_HEAD = "# Files Tumen wrote in this folder: size, mtime_ns, name (tab-separated)"
_SIGNALS = ("SIGINT", "SIGTERM")


class InterruptedAfterWrite(KeyboardInterrupt):
    """Raised when Ctrl-C or SIGTERM arrived while a result was being moved into place.

    The move is never cut short: ``path`` holds the whole new result.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


# ---------------------------------------------------------------------------- checks


def _reason(exc: BaseException) -> str:
    """Return the plain reason of an ``OSError`` (``Permission denied``), else its text."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _holds_cwd(target: Path) -> bool:
    """Return True if ``target`` is the current folder or a folder above it."""
    try:
        here = Path.cwd().resolve()
        there = target.resolve()
    except OSError:
        return False
    return here == there or there in here.parents


def _check_parent(target: Path) -> None:
    """Refuse early, before any work, when ``target`` could not be written.

    The nearest existing folder above ``target`` must be a folder in which a file can be
    created: a probe file is created there and removed at once.
    """
    for folder in (target.parent, *target.parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(target, f"{folder} is a file, not a folder")
            probe = folder / _temp_name(target.name, "tmp")
            try:
                os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
                probe.unlink()
            except OSError as exc:
                raise OutputError(target, _reason(exc)) from None
            return


def _listed(folder: Path) -> set[str] | None:
    """Return the entries the marker of ``folder`` lists, or None if it has no marker."""
    marker = folder / MARKER
    if not marker.is_file() or marker.is_symlink():
        return None
    try:
        text = marker.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# Written by Tumen"):
        return None
    return {line for line in lines[1:] if line and not line.startswith("#")}


def _entries(folder: Path) -> list[str]:
    """Every file and folder below ``folder``, as ``/``-separated relative paths."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for name in (*dirs, *files):
            found.append((rel / name).as_posix())
    return sorted(p for p in found if p != MARKER)


def check_output_dir(target: str | Path) -> Path:
    """Check that Tumen may create or replace the folder ``target``.

    Parameters
    ----------
    target : str or Path
        The folder to write.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    OutputError
        If ``target`` is a file or a symbolic link, the current folder or one above it,
        or a non-empty folder that Tumen did not write (no marker), or a Tumen folder
        that now also holds entries Tumen did not write; or if the folder it would go in
        is a file or cannot be written.
    """
    target = Path(target)
    if target.is_symlink():
        raise OutputError(target, "it is a symbolic link; name a new folder instead")
    _check_parent(target)
    if not target.exists():
        return target
    if not target.is_dir():
        raise OutputError(target, "it is a file, and Tumen writes a folder there")
    if _holds_cwd(target):
        raise OutputError(target, "it is the current folder or holds it; name a new folder")
    try:
        entries = _entries(target)
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None
    if not entries and not (target / MARKER).exists():
        return target
    listed = _listed(target)
    if listed is None:
        raise OutputError(
            target,
            f"a folder Tumen did not write, holding {len(entries)} "
            f"{'entry' if len(entries) == 1 else 'entries'}; "
            "name a new folder or empty this one",
        )
    registry = _registry(target)
    foreign = [e for e in entries if e not in listed and not _recorded(target, e, registry)]
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise OutputError(
            target,
            f"it holds entries Tumen did not write ({shown}); move them or name a new folder",
        )
    return target


def _registry(folder: Path) -> dict[str, tuple[int, int]]:
    """Return the registry of ``folder``: name -> (size, mtime_ns)."""
    path = folder / REGISTRY
    out: dict[str, tuple[int, int]] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) != 3:
            continue
        with contextlib.suppress(ValueError):
            out[parts[2]] = (int(parts[0]), int(parts[1]))
    return out


def _recorded(folder: Path, entry: str, registry: dict[str, tuple[int, int]]) -> bool:
    """Return True if ``entry`` of ``folder`` is a file Tumen wrote there, unchanged since.

    A file written into a result folder after the folder itself (``report.html`` beside a
    demo's results) is recorded in the folder's ``registry`` (:func:`_registry`), which is
    Tumen's too.
    """
    if entry == REGISTRY:
        return True
    if "/" in entry:
        return False
    try:
        st = (folder / entry).stat()
    except OSError:
        return False
    return registry.get(entry) == (st.st_size, st.st_mtime_ns)


def check_output_file(target: str | Path) -> Path:
    """Check that Tumen may create or replace the file ``target``.

    Parameters
    ----------
    target : str or Path
        The file to write.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    OutputError
        If ``target`` is a folder or a symbolic link, or a file that Tumen did not
        write or that has changed since Tumen wrote it; or if the folder it would go in
        is a file or cannot be written.
    """
    target = Path(target)
    if target.is_symlink():
        raise OutputError(target, "it is a symbolic link; name a new file instead")
    _check_parent(target)
    if not target.exists():
        return target
    if target.is_dir():
        raise OutputError(target, "it is a folder, and Tumen writes a file there")
    try:
        target.stat()
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None
    if target.name == REGISTRY or not _recorded(
        target.parent, target.name, _registry(target.parent)
    ):
        raise OutputError(
            target,
            "the file exists and Tumen did not write it (or it changed since); "
            "move it or name a new file",
        )
    return target


# ------------------------------------------------------------ permissions and temps


def _umask() -> int:
    """Return the process umask without changing it (Linux), else by setting it back."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _make_parent(target: Path) -> None:
    """Create the folder ``target`` goes in (see :func:`_check_parent`)."""
    _check_parent(target)
    target.parent.mkdir(parents=True, exist_ok=True)


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]


def _temp_name(name: str, kind: str) -> str:
    return f".{name}.{kind}-{_host_tag()}-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _is_stale_tumen_temp(path: Path, kind: str) -> bool:
    """Return True for a temp entry of a finished Tumen run, holding only Tumen output."""
    if path.is_symlink():
        return False
    if path.is_file():
        return kind == "tmp"
    if not path.is_dir():
        return False
    names = {p.name for p in path.iterdir()}
    if kind == "old":
        previous = path / "previous"
        return names <= {"previous"} and (
            not names or _listed(previous) is not None or not any(previous.iterdir())
        )
    return not names or _listed(path) is not None


def _remove_stale(parent: Path, name: str) -> None:
    """Remove temporary entries for ``name`` left in ``parent`` by killed Tumen runs."""
    pattern = re.compile(rf"^\.{re.escape(name)}\.(tmp|old)-{_host_tag()}-(\d+)-[0-9a-f]{{8}}$")
    try:
        candidates = list(parent.iterdir())
    except OSError:
        return
    for path in candidates:
        match = pattern.match(path.name)
        if match is None or _alive(int(match.group(2))):
            continue
        with contextlib.suppress(OSError):
            if not _is_stale_tumen_temp(path, match.group(1)):
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()


# ------------------------------------------------------------------- interrupts


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM while a result is moved into place; list those that came.

    Outside the main thread (where handlers cannot be set) this does nothing.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = {}
    for name in _SIGNALS:
        number = getattr(signal, name)
        previous[number] = signal.getsignal(number)
        signal.signal(number, lambda signum, frame: received.append(signum))
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _commit(target: Path, do: Callable[[], None]) -> None:
    """Run the move ``do`` with interrupts held; report one that came as already written."""
    with _signals_held() as received:
        do()
    if received:
        raise InterruptedAfterWrite(target)


# ------------------------------------------------------------------------- writers


def _write_marker(folder: Path, entries: list[str]) -> None:
    text = "\n".join([_MARKER_HEAD, *entries]) + "\n"
    (folder / MARKER).write_text(text, encoding="utf-8")


def write_dir_atomically(target: str | Path, fill: Callable[[Path], None]) -> Path:
    """Build a folder in a temporary sibling, then move it into place in one step.

    Parameters
    ----------
    target : str or Path
        The folder to create, or to replace if Tumen wrote it (see
        :func:`check_output_dir`).
    fill : callable
        Called with the temporary folder; writes every entry into it.

    Returns
    -------
    Path
        ``target``, holding what ``fill`` wrote and the marker :data:`MARKER`. A reader
        never sees a half-written folder: the old one (if any) stays until the new one
        is complete.

    Raises
    ------
    OutputError
        If ``target`` may not be replaced, or a write fails (``cannot write PATH:
        REASON``). Nothing is left behind and the old folder is unchanged.
    """
    target = Path(target)
    check_output_dir(target)
    parent = target.parent
    try:
        _make_parent(target)
        _remove_stale(parent, target.name)
        tmp = parent / _temp_name(target.name, "tmp")
        tmp.mkdir(mode=0o777)
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None
    old = parent / _temp_name(target.name, "old")
    try:
        _write_marker(tmp, [])
        fill(tmp)
        _write_marker(tmp, _entries(tmp))
        os.chmod(tmp, 0o777 & ~_umask())
        check_output_dir(target)

        def swap() -> None:
            if target.exists():
                old.mkdir(mode=0o700)
                os.replace(target, old / "previous")
            os.replace(tmp, target)

        _commit(target, swap)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if (old / "previous").exists() and not target.exists():
            os.replace(old / "previous", target)
        with contextlib.suppress(OSError):
            if old.exists():
                shutil.rmtree(old)
        if isinstance(exc, InterruptedAfterWrite) and exc.path != target:
            raise KeyboardInterrupt from None  # a folder inside ours: ours is unchanged
        if isinstance(exc, OutputError) and exc.path != target:
            raise OutputError(target, exc.reason) from None
        if isinstance(exc, OSError):
            raise OutputError(target, _reason(exc)) from None
        raise
    with contextlib.suppress(OSError):
        if old.exists():
            shutil.rmtree(old)
    return target


def _record(target: Path) -> None:
    """Note in the folder's registry that Tumen wrote ``target`` as it is now."""
    folder = target.parent
    entries = _registry(folder)
    st = target.stat()
    entries[target.name] = (st.st_size, st.st_mtime_ns)
    lines = [_REGISTRY_HEAD] + [f"{s}\t{m}\t{n}" for n, (s, m) in sorted(entries.items())]
    tmp = folder / _temp_name(REGISTRY, "tmp")
    try:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(tmp, folder / REGISTRY)
    finally:
        tmp.unlink(missing_ok=True)


def write_file_atomically(
    target: str | Path, write: Callable[[Path], None], *, edit: bool = False
) -> Path:
    """Call ``write(tmp)`` for a temporary path beside ``target``, then move it into place.

    Parameters
    ----------
    target : str or Path
        File to create, or to replace if Tumen wrote it and it has not changed since
        (see :func:`check_output_file`). Its folder is created if needed.
    write : callable
        Writes the whole content to the temporary path it is given.
    edit : bool, default False
        ``target`` is a user's file that the command exists to edit, and ``write`` writes
        its old content with the edit (``tumen ledger accept`` adding rows to a dataset's
        ``events.csv``): it is replaced whoever wrote it, still atomically.

    Returns
    -------
    Path
        ``target``.

    Raises
    ------
    OutputError
        If ``target`` may not be replaced, or a write fails (``cannot write PATH:
        REASON``). The old file, if any, is then unchanged.

    Examples
    --------
    >>> from pathlib import Path
    >>> write_file_atomically("out.txt", lambda tmp: tmp.write_text("done"))  # doctest: +SKIP
    """
    target = Path(target)
    if not edit:
        check_output_file(target)
    parent = target.parent
    try:
        _make_parent(target)
        _remove_stale(parent, target.name)
        tmp = parent / _temp_name(target.name, "tmp")
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise OutputError(target, _reason(exc)) from None
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        if not edit:
            check_output_file(target)

        def move() -> None:
            os.replace(tmp, target)
            if not edit:  # an edited user's file stays the user's
                with contextlib.suppress(OSError):
                    _record(target)

        _commit(target, move)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(target, _reason(exc)) from None
        raise
    return target
