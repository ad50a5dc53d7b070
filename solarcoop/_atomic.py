"""Writing files whole or not at all.

Two shapes of output:

- one file (a scenario, a statement): :func:`write_file` writes it under a temporary name
  beside the target and renames it over the target only when it is complete;
- a set of files that belong together (a report, the tables and charts of a run):
  :func:`write_folder` writes them into a new folder beside the output folder and swaps
  that folder in, in one step where the system allows it (Linux ``renameat2``), else in two
  renames. A reader sees the old set or the new set, never a mix.

An output folder written by :func:`write_folder` holds a list of its files
(:data:`MANIFEST`). A second run into the same folder refuses unless ``force`` is given;
with ``force`` the whole earlier set is replaced, so files the new run does not write are
gone. A folder holding files that solarcoop did not write is never replaced, even with
``force``. :func:`check_folder` makes these checks before any computing.

Temporary names carry the writer's process id; a later write removes those left by a
process that no longer runs (a killed run), so nothing half-written stays behind. While
the main thread writes, SIGTERM (like Ctrl-C) ends the write by an exception, so the
temporary files are removed before the process stops.

An output folder given as a symbolic link is written where the link points (the link
stays); a link to nothing, the current folder and a folder holding it are refused.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import threading
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

from solarcoop._validation import InputError

MANIFEST = ".solarcoop-files.json"
"""Name of the file listing what a run wrote into its output folder."""


class OutputExistsError(InputError, FileExistsError):
    """The output already holds the files of an earlier run, and ``force`` was not given."""


def _temporary_name(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.{kind}"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale(target: Path) -> None:
    """Remove temporary files and folders of ``target`` left by processes that no longer run."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)-[0-9a-f]{{12}}\.(partial|old)$")
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            match = pattern.match(entry.name)
            if match and not _alive(int(match.group(1))):
                _remove(entry)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with contextlib.suppress(OSError), open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _describe(error: OSError) -> str:
    return error.strerror or str(error)


class Terminated(SystemExit):
    """SIGTERM arrived during a write: the write is undone and the process exits (status 143)."""


def _raise_terminated(signum, frame):
    raise Terminated(128 + signal.SIGTERM)


@contextlib.contextmanager
def _undone_on_sigterm():
    """While the body runs in the main thread, SIGTERM raises :class:`Terminated` (when no
    other handler is set), so that the writer's cleanup runs; the handler is restored after."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _os_error_behind(error: BaseException) -> OSError | None:
    """The OSError an error was raised while handling, if any: a writer that hits a full
    disk often fails again while closing its file (``seek of closed file``), and that
    second error would hide the cause."""
    seen = error
    for _ in range(10):
        if isinstance(seen, OSError):
            return seen
        seen = seen.__context__
        if seen is None:
            return None
    return None


def real_folder(out) -> Path:
    """Where files for the output folder ``out`` go: its absolute path with links followed.

    Raises
    ------
    InputError
        When ``out`` is a link to nothing, or is the current folder or a folder holding it
        (which the writer, replacing the folder whole, would pull from under the run).
    """
    out = Path(out)
    if out.is_symlink() and not out.exists():
        raise InputError(
            f"output folder {str(out)!r} is a link to {os.readlink(out)!r}, which does not exist: "
            "create that folder or give another"
        )
    real = Path(os.path.realpath(out))
    here = Path.cwd().resolve()
    if real == here or real in here.parents:
        raise InputError(
            f"output folder {str(out)!r} is the current folder or holds it: the folder is replaced "
            "whole, so give a new folder name (for example --out solarcoop-run)"
        )
    return real


def write_file(path, write: Callable[[Path], object]) -> Path:
    """Write one file whole or not at all.

    Parameters
    ----------
    path : str or path
        The file to write; an existing file is replaced only once the new one is complete.
    write : callable
        Called with a temporary path beside ``path`` (same folder, so the final rename is
        one step); it must write the whole content there.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    InputError
        When ``path`` is a folder or its folder is missing.
    OSError
        When writing fails (a full disk, no permission); the temporary file is removed and
        an existing ``path`` is left as it was.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a folder: give the path of a file to write")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    remove_stale(path)
    temporary = _temporary_name(path, "partial")
    with _undone_on_sigterm():
        try:
            write(temporary)
            _fsync(temporary)
            os.replace(temporary, path)
        except Exception as error:
            _remove(temporary)
            cause = _os_error_behind(error)
            if cause is not None and cause is not error:
                raise cause from None
            raise
        except BaseException:
            _remove(temporary)
            raise
    return path


def _read_manifest(folder: Path) -> list[str] | None:
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return [str(name) for name in listed] if isinstance(listed, list) else None


def check_folder(out, force: bool = False) -> Path:
    """Check, before any computing, that a set of files may be written into ``out``.

    ``out`` may be missing, empty, or hold a set written by an earlier run (replaced
    only with ``force``).

    Raises
    ------
    OutputExistsError
        When ``out`` holds an earlier run's files and ``force`` is false.
    InputError
        When ``out`` is a file, holds files solarcoop did not write, or its parent folder
        cannot be written.
    """
    given = Path(out)
    out = real_folder(given)
    if out.exists() and not out.is_dir():
        raise InputError(f"output folder {str(given)!r} is a file, not a folder: give a folder name")
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write output folder {out}: {parent} is not a folder this user may write into")
    if not out.exists():
        return given
    try:
        present = sorted(entry.name for entry in out.iterdir())
    except OSError as error:
        raise InputError(f"cannot read output folder {out}: {_describe(error)}") from None
    if not present:
        return given
    listed = _read_manifest(out)
    foreign = [name for name in present if listed is None or (name not in listed and name != MANIFEST)]
    if foreign:
        raise InputError(
            f"output folder {out} holds files solarcoop did not write ({', '.join(foreign[:3])}"
            f"{' ...' if len(foreign) > 3 else ''}): the folder is replaced whole, so give a new "
            "or empty folder"
        )
    if not force:
        shown = [name for name in present if name != MANIFEST]
        raise OutputExistsError(
            f"output folder {out} already holds the files of an earlier run ({', '.join(shown[:3])}"
            f"{f' and {len(shown) - 3} more' if len(shown) > 3 else ''}): pass force=True "
            "(--force on the command line) to replace them, or choose another folder"
        )
    return given


_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _renameat2(source: Path, target: Path, flags: int) -> bool:
    """Linux ``renameat2``; False when the system does not offer it (then fall back)."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (AttributeError, OSError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # this file system cannot
        return False
    raise OSError(code, os.strerror(code), str(target))


def _swap_in(new: Path, out: Path) -> Path | None:
    """Put folder ``new`` at ``out``; return where the earlier ``out`` went (or None)."""
    if not out.exists():
        if not _renameat2(new, out, _RENAME_NOREPLACE):
            os.rename(new, out)
        return None
    old = _temporary_name(out, "old")
    if _renameat2(new, out, _RENAME_EXCHANGE):
        os.rename(new, old)  # ``new`` now names the earlier folder
        return old
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    return old


def write_folder(out, writers: Mapping[str, Callable[[Path], object]], force: bool = False) -> list[Path]:
    """Write a set of files into the folder ``out``, all of them or none.

    Parameters
    ----------
    out : str or path
        The output folder. It is replaced whole: see :func:`check_folder` for when that is
        allowed.
    writers : mapping of str to callable
        File name -> a function that writes that file at the path it is given.
    force : bool
        Replace the files of an earlier run.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``writers``.

    Raises
    ------
    OutputExistsError, InputError
        As :func:`check_folder` (checked again at the end, so of two runs into one folder
        the later one refuses rather than replace the other's files).
    OSError
        When writing fails; the earlier folder is left as it was and nothing new remains.
    """
    given = Path(out)
    for name in writers:
        if Path(name).name != name or name.startswith("."):
            raise InputError(f"output file name {name!r} must be a plain file name")
    check_folder(given, force)
    out = real_folder(given)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out)
    staging = _temporary_name(out, "partial")
    old = None
    try:
        staging.mkdir()
    except OSError as error:
        raise InputError(f"cannot write output folder {str(given)!r}: {_describe(error)} in {str(out.parent)!r}") from None
    with _undone_on_sigterm():
        try:
            for name, write in writers.items():
                write(staging / name)
                _fsync(staging / name)
            (staging / MANIFEST).write_text(json.dumps({"files": list(writers)}, indent=1), encoding="utf-8")
            check_folder(given, force)
            old = _swap_in(staging, out)
        except Exception as error:
            _remove(staging)
            cause = _os_error_behind(error)
            if cause is not None and cause is not error:
                raise cause from None
            raise
        except BaseException:
            _remove(staging)
            raise
        if old is not None:
            _remove(old)
    return [given / name for name in writers]
